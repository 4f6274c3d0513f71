"""The search box and page in a real browser (Debian's Chromium driven by Playwright).

Over HTTP and from file:// (an --offline build): type into the header's search box, see
ranked results appear, move with the arrow keys and follow one with Enter. Without Chromium
or Playwright these tests skip, saying how to install them; with CI set they fail instead.

Playwright runs on a thread of its own here: its sync API allows one instance per thread,
and the browser suite in tests/browser/ keeps one open on the main thread for the session.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import TIMEOUT_MS, launch, require_chromium

from .conftest import build, write_files
from .corpus import fixture_archive

InPage = Callable[[Callable[[Any], None]], None]


@pytest.fixture(scope="module")
def browser_thread() -> Iterator[tuple[ThreadPoolExecutor, Any]]:
    """A thread that owns a Playwright instance and one headless Chromium."""
    require_chromium()
    thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-browser")

    def start() -> tuple[Any, Any]:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        chromium = launch(playwright)
        return playwright, chromium

    playwright, chromium = thread.submit(start).result()
    yield thread, chromium
    thread.submit(lambda: (chromium.close(), playwright.stop())).result()
    thread.shutdown()


@pytest.fixture
def in_page(browser_thread: tuple[ThreadPoolExecutor, Any]) -> InPage:
    """Run ``steps(page)`` on the browser's thread, in a fresh tab that must meet no error."""
    thread, chromium = browser_thread

    def run(steps: Callable[[Any], None]) -> None:
        def body() -> None:
            context = chromium.new_context()
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            problems: list[str] = []
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
            try:
                steps(page)
            finally:
                context.close()
            assert problems == []

        thread.submit(body).result()

    return run


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


def test_search_over_http(in_page: InPage, http_site: str) -> None:
    in_page(lambda page: _search_from_header_and_follow(page, http_site + "2023/04/sanktsii/"))


def test_search_from_disk(in_page: InPage, offline_site: Path) -> None:
    in_page(lambda page: _search_from_header_and_follow(page, (offline_site / "index.html").as_uri()))


def test_results_appear_while_typing_and_markup_stays_text(in_page: InPage, http_site: str) -> None:
    in_page(functools.partial(_typing_and_markup, http_site=http_site))


def _typing_and_markup(page: Any, http_site: str) -> None:
    page.goto(http_site + "search/")
    query = page.locator("#search-query")
    query.press_sequentially("onerror zygomor", delay=30)
    link = page.locator("#search-results .search-result h2 a").first
    link.wait_for()
    assert link.inner_text() == "Council debates <script> tags and &amp; signs"
    snippet = page.locator("#search-results .search-snippet").first.inner_text()
    assert "<img src=x onerror=alert(1)>" in snippet
    assert page.locator("#search-results img, #search-results script").count() == 0


def test_hostile_queries_leave_the_page_working(in_page: InPage, http_site: str) -> None:
    in_page(functools.partial(_hostile_queries, http_site=http_site))


def _hostile_queries(page: Any, http_site: str) -> None:
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


def test_filters_and_order_are_kept_in_the_url(in_page: InPage, http_site: str) -> None:
    in_page(functools.partial(_filters_and_order, http_site=http_site))


def _filters_and_order(page: Any, http_site: str) -> None:
    page.goto(http_site + "search/?q=ferry&topic=transport&sort=date")
    page.locator("#search-results .search-result").first.wait_for()
    assert page.locator("select[name=topic]").input_value() == "transport"
    dates = page.locator("#search-results time").all_inner_texts()
    assert dates == sorted(dates, reverse=True)
    page.select_option("select[name=sort]", "relevance")
    page.wait_for_function("() => !location.search.includes('sort=')")
    assert "topic=transport" in page.url
