"""The archive in Arabic and in Japanese, in Chromium: labels, direction, charts, no serious
axe violation on any page kind in light and dark, and valid HTML."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitegen.build import BuildOptions, build

from .archive import PAGE_KINDS
from .conftest import VIEWPORTS, Tab, _SiteHandler
from .languages import VARIANTS, language_archive
from .test_accessibility import _background_luminance, _status, axe_violations
from .test_validity import validate

if TYPE_CHECKING:
    from playwright.sync_api import Browser

LANGUAGES = ("ar", "ja")
PAGES = {**PAGE_KINDS, "own-article": "", "topic-index": "topics/", "date-index": "archive/"}


def _build(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    build(BuildOptions(root=root, workers=1))
    return root / "site"


@pytest.fixture(scope="module")
def language_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture archive built once per interface language."""
    return {
        language: _build(tmp_path_factory.mktemp(f"browser-{language}") / "archive", language_archive(language))
        for language in LANGUAGES
    }


@pytest.fixture(scope="module")
def language_tabs(browser: Browser, language_sites: dict[str, Path]) -> Iterator[dict[str, Tab]]:
    """A tab per language, each on its site served on loopback."""
    servers, tabs = [], {}
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    for language, folder in language_sites.items():
        handler = functools.partial(_SiteHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, name=f"browser-{language}", daemon=True).start()
        servers.append(server)
        tabs[language] = Tab(context.new_page(), f"http://127.0.0.1:{server.server_address[1]}/")
    yield tabs
    context.close()
    for server in servers:
        server.shutdown()
        server.server_close()


def _path(language: str, name: str) -> str:
    return VARIANTS[language][2] if name == "own-article" else PAGES[name]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_serious_axe_violation_in_arabic_and_japanese(
    language_tabs: dict[str, Tab], language: str, name: str
) -> None:
    tab = language_tabs[language]
    tab.reset()
    path = _path(language, name)
    page = tab.open(path, status=_status(path))
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    light = axe_violations(page)
    page.emulate_media(color_scheme="dark")
    assert _background_luminance(page) < 0.1
    dark = axe_violations(page)
    assert {"light": light, "dark": dark} == {"light": [], "dark": []}
    tab.check()


def test_arabic_interface_reads_right_to_left(language_tabs: dict[str, Tab]) -> None:
    """The header's first item (the site's name) sits at the right; a German article keeps
    its own direction and labels inside the Arabic page."""
    tab = language_tabs["ar"]
    tab.reset()
    page = tab.open("")
    title = page.locator(".site-title").bounding_box()
    search = page.locator(".site-search").bounding_box()
    assert title is not None and search is not None
    assert title["x"] > search["x"]
    assert page.locator(".site-nav a").first.inner_text() == "المواضيع"
    page = tab.open("2024/06/waermespeicher-freibad/")
    article = page.locator("article.article")
    assert article.get_attribute("lang") == "de"
    assert article.get_attribute("dir") == "ltr"
    assert page.locator(".facts dt").first.inner_text() == "Von"
    assert page.locator("#cite-heading").text_content() == "Zitieren"
    assert page.locator("#related-heading").inner_text() == "مقالات ذات صلة"
    tab.check()


def test_a_chart_bar_is_a_link_to_its_period(language_tabs: dict[str, Tab]) -> None:
    tab = language_tabs["ja"]
    tab.reset()
    page = tab.open("topics/transport/")
    # Its articles span 20 months (September 2023 to April 2025): a bar a month, empty ones too.
    assert page.locator(".chart-caption").inner_text() == "月別の記事数"
    assert page.locator(".chart-ends").inner_text().split() == ["2023年9月", "2025年4月"]
    bars = page.locator(".chart-bars a")
    assert bars.count() == page.locator(".chart-table tbody tr").count() >= 2
    bars.first.locator("rect").click()
    page.wait_for_url("**/archive/2023/09/")
    assert page.locator("h1").inner_text() == "2023年9月"
    tab.check()


def test_the_pages_in_arabic_and_japanese_validate(language_sites: dict[str, Path]) -> None:
    assert validate(language_sites) == []
