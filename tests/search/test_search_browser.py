"""The search box and page in a real browser (Debian's Chromium driven by Playwright).

Over HTTP and from file:// (an --offline build): type into the header's search box, see
ranked results appear, move with the arrow keys and follow one with Enter. Without Chromium
or Playwright these tests skip, saying how to install them; with CI set they fail instead.

The tabs open in the suite's one Chromium, the session fixture ``browser`` of tests/conftest.py.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import TIMEOUT_MS

from .conftest import build, write_files
from .corpus import fixture_archive

InPage = Callable[[Callable[[Any], None]], None]


@pytest.fixture
def in_page(browser: Any) -> InPage:
    """Run ``steps(page)`` in a fresh tab of the suite's one Chromium; the tab must meet no error."""

    def run(steps: Callable[[Any], None]) -> None:
        context = browser.new_context()
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


def _long_article() -> str:
    sections = []
    names = ["Opening", "Harbour", "Dunes", "Quillwort survey", "Costs", "Next steps", "Tides", "Birds", "Sources"]
    for name in names:  # long enough below the survey for its heading to reach the top of the window
        filler = " ".join(["The coast team walked the shore and counted what grew there."] * 12)
        rare = " The quillwort beds were mapped for the first time." if name == "Quillwort survey" else ""
        rare += " Sea holly grew by the boardwalk." if name == "Dunes" else ""
        sections.append(f"## {name}\n\n{filler}{rare}\n\n{filler}")
    body = "\n\n".join(sections)
    return f'---\ntitle: "A long coastal report"\ndate: 2024-06-01\nauthor: "Zoë Strand"\n---\n\nIntro.\n\n{body}\n'


def paging_archive() -> dict[str, str]:
    files = {"sitegen.yaml": 'title: "Paging"\nbase_url: "https://example.org/"\n', "content/long.md": _long_article()}
    for number in range(45):
        files[f"content/marram-{number:02d}.md"] = (
            f'---\ntitle: "Marram note {number:02d}"\ndate: 2023-01-{1 + number % 28:02d}\n---\n\n'
            f"{'Marram grass holds the dune. ' * (1 + number % 5)}Note {number}.\n"
        )
    return files


@pytest.fixture(scope="module")
def paging_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The paging archive served over HTTP, and built --offline for file://."""
    base = tmp_path_factory.mktemp("paging")
    online = write_files(base / "online", paging_archive())
    build(online)
    offline = write_files(base / "offline", paging_archive())
    build(offline, "--offline")
    handler = functools.partial(_QuietHandler, directory=str(online / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", offline / "site"
    server.shutdown()
    server.server_close()


def _section_link_lands_on_its_heading(page: Any, search_page: str) -> None:
    page.goto(search_page + "?q=quillwort")
    section = page.locator("#search-results .search-sections a").first
    section.wait_for()
    assert section.inner_text() == "Quillwort survey"
    assert page.locator("#search-results .search-sections mark").first.inner_text() == "Quillwort"
    section.click()
    page.wait_for_url("**#quillwort-survey")
    landed = page.evaluate(
        "() => { const h = document.getElementById('quillwort-survey'); const top = h.getBoundingClientRect().top;"
        " return [h.tagName, h.textContent, top > -2 && top < innerHeight / 2]; }"
    )
    assert landed == ["H2", "Quillwort survey", True]


def test_section_links_land_on_the_heading_over_http(in_page: InPage, paging_sites: tuple[str, Path]) -> None:
    in_page(lambda page: _section_link_lands_on_its_heading(page, paging_sites[0] + "search/"))


def test_section_links_land_on_the_heading_from_disk(in_page: InPage, paging_sites: tuple[str, Path]) -> None:
    in_page(lambda page: _section_link_lands_on_its_heading(page, (paging_sites[1] / "search/index.html").as_uri()))


def _more_results_from_the_keyboard(page: Any, search_page: str) -> None:
    page.goto(search_page)
    query = page.locator("#search-query")
    query.press_sequentially("marram", delay=20)
    query.press("Enter")
    links = page.locator("#search-results .search-result h2 a")
    page.wait_for_function("() => document.querySelectorAll('#search-results .search-result').length === 20")
    assert page.locator("#search-status").inner_text() == "45 results, best 20 shown."
    query.press("ArrowDown")
    for _ in range(20):  # down the twenty results, then onto the button
        page.keyboard.press("ArrowDown")
    more = page.get_by_role("button", name="More results")
    assert more.evaluate("button => button === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#search-results .search-result').length === 40")
    assert links.nth(20).evaluate("link => link === document.activeElement")
    assert page.locator("#search-status").inner_text() == "45 results, best 40 shown."
    page.keyboard.press("Tab")  # past the results' own links to the button again
    more.focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelectorAll('#search-results .search-result').length === 45")
    assert more.is_hidden()
    assert page.locator("#search-status").inner_text() == "45 results."
    titles = links.all_inner_texts()
    assert len(set(titles)) == 45


def test_more_results_from_the_keyboard_over_http(in_page: InPage, paging_sites: tuple[str, Path]) -> None:
    in_page(lambda page: _more_results_from_the_keyboard(page, paging_sites[0] + "search/"))


def test_more_results_from_disk(in_page: InPage, paging_sites: tuple[str, Path]) -> None:
    in_page(lambda page: _more_results_from_the_keyboard(page, (paging_sites[1] / "search/index.html").as_uri()))


def test_result_cards_show_the_byline_with_the_author_marked(in_page: InPage, paging_sites: tuple[str, Path]) -> None:
    def steps(page: Any) -> None:
        page.goto(paging_sites[0] + "search/?q=zoe+quillwort")
        byline = page.locator("#search-results .search-byline").first
        byline.wait_for()
        assert byline.locator(".search-authors mark").inner_text() == "Zoë"
        assert byline.inner_text() == "2024-06-01 · Zoë Strand"

    in_page(steps)


def test_a_typo_offers_the_word_meant(in_page: InPage, paging_sites: tuple[str, Path]) -> None:
    def steps(page: Any) -> None:
        page.goto(paging_sites[0] + "search/?q=bordwalk")
        fix = page.locator("#search-status .search-suggestion")
        fix.wait_for()
        assert page.locator("#search-status").inner_text() == "1 result. Did you mean boardwalk?"
        assert page.locator("#search-results .search-snippet mark").first.inner_text() == "boardwalk"
        fix.click()
        page.wait_for_function("() => document.querySelector('#search-query').value === 'boardwalk'")
        page.wait_for_function("() => document.querySelector('#search-status').textContent === '1 result.'")
        page.goto(paging_sites[0] + "search/?q=xyzzyqq")
        page.wait_for_function("() => document.querySelector('#search-status').textContent.startsWith('No results')")
        assert page.locator("#search-results .search-result").count() == 0

    in_page(steps)
