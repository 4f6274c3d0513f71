"""The search box and page in a real browser (Debian's Chromium driven by Playwright).

Over HTTP and from file:// (an --offline build): type into the header's search box, see
ranked results appear, move with the arrow keys and follow one with Enter. Without Chromium
or Playwright these tests skip, saying how to install them; with CI set they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import build, write_files
from .corpus import fixture_archive

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def _require_browser() -> Any:
    missing = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("pip install playwright")
        sync_playwright = None
    if not CHROMIUM.exists():
        missing.append("apt-get update && apt-get install -y chromium")
    if missing:
        message = "the browser tests need Chromium and Playwright; install with: " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _require_browser()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    tab.problems = problems
    yield tab
    context.close()
    assert problems == []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def http_site(built_archive: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_archive / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(tmp_path_factory.mktemp("offline") / "archive", fixture_archive())
    build(root, "--offline")
    return root / "site"


def _search_from_header_and_follow(page: Any, start_url: str) -> None:
    page.goto(start_url)
    box = page.get_by_role("searchbox", name="Search the archive").first
    box.fill("sanctions")
    box.press("Enter")
    page.wait_for_url("**/search/**q=sanctions*")
    results = page.locator("#search-results .search-result")
    results.first.wait_for()
    assert results.count() > 5
    assert page.locator("#search-results mark").count() > 0
    assert "results" in page.locator("#search-status").inner_text()

    query = page.locator("#search-query")
    assert query.input_value() == "sanctions"
    query.fill("")
    query.press_sequentially('"battery fires"', delay=20)
    first = page.locator("#search-results .search-result h2 a").first
    page.wait_for_function(
        "() => document.querySelector('#search-results h2 a')?.textContent === "
        "'Regulator sanctioned the ferry operator'"
    )
    assert page.locator("#search-results .search-result").count() == 1
    assert "battery+fires" in page.url or "battery%20fires" in page.url
    query.press("ArrowDown")
    assert first.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/2024/02/sanctioned-fleet/**")
    assert page.locator("h1").inner_text() == "Regulator sanctioned the ferry operator"


def test_search_over_http(page: Any, http_site: str) -> None:
    _search_from_header_and_follow(page, http_site + "2023/04/sanktsii/")


def test_search_from_disk(page: Any, offline_site: Path) -> None:
    _search_from_header_and_follow(page, (offline_site / "index.html").as_uri())


def test_results_appear_while_typing_and_markup_stays_text(page: Any, http_site: str) -> None:
    page.goto(http_site + "search/")
    query = page.locator("#search-query")
    query.press_sequentially("onerror zygomor", delay=30)
    link = page.locator("#search-results .search-result h2 a").first
    link.wait_for()
    assert link.inner_text() == "Council debates <script> tags and &amp; signs"
    snippet = page.locator("#search-results .search-snippet").first.inner_text()
    assert "<img src=x onerror=alert(1)>" in snippet
    assert page.locator("#search-results img, #search-results script").count() == 0


def test_hostile_queries_leave_the_page_working(page: Any, http_site: str) -> None:
    page.goto(http_site + "search/?q=" + "%22unbalanced+(+OR+NOT+<b>")
    page.locator("#search-status").wait_for()
    query = page.locator("#search-query")
    for text in ['"', "))) (((", "NOT", "<img src=x onerror=alert(1)>", "x" * 10_000, "Санкции"]:
        query.fill(text)
        page.wait_for_function("() => !document.querySelector('form[aria-busy]')")
    query.fill("санкции")
    page.wait_for_function(
        "() => document.querySelector('#search-results h2 a')?.textContent === 'Санкции против судоходных компаний'"
    )


def test_filters_and_order_are_kept_in_the_url(page: Any, http_site: str) -> None:
    page.goto(http_site + "search/?q=ferry&topic=transport&sort=date")
    page.locator("#search-results .search-result").first.wait_for()
    assert page.locator("select[name=topic]").input_value() == "transport"
    dates = page.locator("#search-results time").all_inner_texts()
    assert dates == sorted(dates, reverse=True)
    page.select_option("select[name=sort]", "relevance")
    page.wait_for_function("() => !location.search.includes('sort=')")
    assert "topic=transport" in page.url
