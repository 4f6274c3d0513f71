"""No request leaves the site's origin: every page of the fixture site is opened, over HTTP
and from file://, and every request it makes is recorded (no web fonts, scripts or images
from elsewhere; nothing missing either).

The tab fixtures check this after every test of the suite too; here it is the whole point.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from .archive import PAGE_KINDS
from .conftest import Tab


def _pages(site: Path) -> list[str]:
    """Every page of a built site, as URL paths relative to its root."""
    return sorted(
        quote(folder.relative_to(site).as_posix() + "/").removeprefix("./")
        for folder in (page.parent for page in site.rglob("index.html"))
    )


def test_every_page_over_http_asks_only_its_own_origin(tab: Tab, site_dir: Path) -> None:
    pages = _pages(site_dir)
    assert len(pages) >= 50
    for path in [*pages, PAGE_KINDS["search"]]:
        tab.open(path)
    tab.open(PAGE_KINDS["404"], status=404)
    requested = {url.removeprefix(tab.base) for url in tab.requests}
    # The check saw what a page loads besides itself: stylesheet, chart, search scripts and index.
    assert {"assets/style.css", "2024/11/heat-cameras/loans-chart.svg", "assets/search-ui.js"} <= requested
    assert any(path.startswith("search/t/") for path in requested)
    assert tab.foreign_requests() == []


def test_every_page_from_disk_asks_only_its_own_folder(offline_tab: Tab, offline_dir: Path) -> None:
    pages = [f"{path}index.html" for path in _pages(offline_dir)]
    for path in [*pages, "search/index.html?q=ferry"]:
        offline_tab.open(path)
    requested = {url.removeprefix(offline_tab.base) for url in offline_tab.requests}
    assert {"assets/style.css", "2024/11/heat-cameras/loans-chart.svg", "assets/search-ui.js"} <= requested
    assert offline_tab.foreign_requests() == []


def test_a_request_elsewhere_is_recorded_and_stopped(tab: Tab) -> None:
    """The check can fail: a web font and a script from other hosts are caught, never sent."""
    page = tab.open("")
    font, script = "https://fonts.example/remote.woff2", "http://cdn.example/library.js"
    with page.expect_request(font), page.expect_request(script):
        page.evaluate(
            """([font, script]) => {
              new FontFace("Remote", `url(${font})`).load().catch(() => {});
              document.head.append(Object.assign(document.createElement("script"), { src: script }));
            }""",
            [font, script],
        )
    assert sorted(tab.foreign_requests()) == [script, font]
    tab.requests.clear()  # planted on purpose: not a failure of this test
