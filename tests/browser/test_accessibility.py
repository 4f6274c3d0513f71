"""axe-core in the page: no serious or critical violation on any page kind, light or dark.

axe.min.js is vendored (tests/browser/vendor/, MPL-2.0, header kept) and injected inline, so
the check needs no registry at test time and always runs the same rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .archive import PAGE_KINDS
from .conftest import Tab

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")
# More pages than the kinds: the indexes, a second listing page, and articles with a table
# and footnotes, a curator's note and a German text.
MORE_PAGES = {
    "topic-index": "topics/",
    "date-index": "archive/",
    "month": "archive/2024/11/",
    "home-page-2": "page/2/",
    "article-with-table": "2025/02/kelp-harvest/",
    "article-with-note": "2025/04/night-ferry/",
    "article-in-german": "2024/06/waermespeicher-freibad/",
}
PAGES = {**PAGE_KINDS, **MORE_PAGES}

_RUN_AXE = """async (blocking) => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((rule) => blocking.includes(rule.impact))
    .flatMap((rule) => rule.nodes.map((node) =>
      `${rule.id} (${rule.impact}): ${rule.help}; at ${node.target.join(" ")}: ${node.failureSummary}`));
}"""


def axe_violations(page: Page) -> list[str]:
    """Every serious or critical axe violation on the page as it is now, one line each."""
    page.evaluate("() => document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return list(page.evaluate(_RUN_AXE, list(BLOCKING)))


def _background_luminance(page: Page) -> float:
    """The body's background as 0 (black) to 1 (white), to tell which scheme is showing."""
    rgb = page.evaluate("() => getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).slice(0, 3)")
    red, green, blue = (float(part) / 255 for part in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _status(path: str) -> int:
    return 404 if path == PAGE_KINDS["404"] else 200


def test_axe_itself_is_vendored_with_its_licence() -> None:
    header = AXE.read_text(encoding="utf-8")[:600]
    assert header.startswith("/*! axe v4.")
    assert "Mozilla Public" in header and "License, v. 2.0" in header
    assert (AXE.parent / "axe-core-LICENSE.txt").read_text(encoding="utf-8").startswith("Mozilla Public License")


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_axe_violation_light_or_dark(tab: Tab, name: str) -> None:
    """Light mode, then the same page in dark mode (prefers-color-scheme: dark): axe again."""
    page = tab.open(PAGES[name], status=_status(PAGES[name]))
    assert _background_luminance(page) > 0.8
    light = axe_violations(page)
    page.emulate_media(color_scheme="dark")
    assert _background_luminance(page) < 0.1
    dark = axe_violations(page)
    assert {"light": light, "dark": dark} == {"light": [], "dark": []}


def test_axe_finds_a_planted_violation(tab: Tab) -> None:
    """The check can fail: grey text on white and an unlabelled field are caught."""
    page = tab.open("")
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("afterbegin",
            '<p style="color:#bbb;background:#fff">faint</p><input type="text">');
        }"""
    )
    found = axe_violations(page)
    assert any(line.startswith("color-contrast (serious)") for line in found), found
    assert any(line.startswith("label (critical)") for line in found), found
