"""Every page kind on a phone (360x740) and a desktop (1280x800): it fits the width, the
navigation is on the first screen and big enough to tap, and no text is under 16 px.

Each page is also saved as a full-page screenshot in screenshots/ for a reviewer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .archive import PAGE_KINDS
from .conftest import VIEWPORTS, Tab, save_screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

MIN_TEXT_PX = 16
MIN_TARGET_PX = 24  # WCAG 2.2 target size (minimum)
NAVIGATION = ("Topics", "Sources", "Authors", "Tags", "Dates")

# Visible text under the minimum: text nodes by their element's computed size, and form controls.
_SMALL_TEXT = """(minimum) => {
  const found = new Set();
  const shown = (element) => element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !shown(element)) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    const text = node.textContent.trim().slice(0, 40);
    if (size < minimum) found.add(`${size}px: <${element.localName} class="${element.className}"> ${text}`);
  }
  for (const element of document.querySelectorAll("input, button, select, textarea, summary")) {
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (shown(element) && size < minimum) found.add(`${size}px: <${element.localName} name="${element.name ?? ""}">`);
  }
  return [...found];
}"""


def _small_text(page: Page) -> list[str]:
    page.evaluate("() => document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    return list(page.evaluate(_SMALL_TEXT, MIN_TEXT_PX))


def _box(page: Page, locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    return dict(box)


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_fits_and_navigation_is_reachable(tab: Tab, kind: str, size: str) -> None:
    viewport = VIEWPORTS[size]
    tab.page.set_viewport_size(viewport)
    page = tab.open(PAGE_KINDS[kind], status=404 if kind == "404" else 200)
    save_screenshot(page, f"{kind}-{size}")

    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths[0]} px of content in {widths[1]} px"

    header = page.locator(".site-header")
    targets = [header.get_by_role("link", name=name, exact=True) for name in NAVIGATION]
    targets += [header.get_by_role("searchbox", name="Search the archive"), header.get_by_role("button", name="Search")]
    for target in targets:
        assert target.is_visible()
        box = _box(page, target)
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{target} is off the side: {box}"
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{target} is below the fold: {box}"
        assert box["height"] >= MIN_TARGET_PX and box["width"] >= MIN_TARGET_PX, f"{target} is too small: {box}"

    small = _small_text(page)
    assert small == [], "text under 16 px:\n" + "\n".join(small)


def test_small_text_is_noticed(tab: Tab) -> None:
    """The size check can fail: a 12 px caption is reported."""
    page = tab.open("")
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('afterbegin', '<p style=\"font-size:12px\">tiny</p>')"
    )
    assert _small_text(page) == ['12px: <p class=""> tiny']
