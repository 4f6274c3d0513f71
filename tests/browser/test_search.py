"""Search in the browser, over HTTP and from file://: what tests/search/test_search_browser.py
leaves out. Results come ranked with the query's words highlighted, the query is kept in the
URL so a reload shows the same results, and a result opens its article.
"""

from __future__ import annotations

import pytest

from .conftest import Tab

FERRY = "Tidewater council approves a second night ferry"
BUS_LANE = "Bus lane on Quarry Road cuts journey times, survey says"


def _titles(tab: Tab) -> list[str]:
    return tab.page.locator("#search-results .search-result h2 a").all_inner_texts()


def _wait_for_results(tab: Tab, query: str) -> None:
    """Until the results for ``query`` itself are shown (typing searches every prefix on the way)."""
    tab.page.wait_for_function(
        "(query) => new URLSearchParams(location.search).get('q') === query"
        " && !document.querySelector('form[aria-busy]') && document.querySelector('#search-status').textContent",
        arg=query,
    )


def _search_reload_and_follow(tab: Tab, search_page: str) -> None:
    page = tab.open(search_page)
    page.locator("#search-query").press_sequentially("night ferry", delay=15)
    _wait_for_results(tab, "night ferry")
    # Both articles say "night ferry"; the one with the words in its title and more often ranks first.
    assert _titles(tab) == [FERRY, BUS_LANE]
    assert page.locator("#search-status").inner_text() == "2 results."
    for result in page.locator("#search-results .search-result").all():
        marked = {text.lower() for text in result.locator(".search-snippet mark").all_inner_texts()}
        assert marked == {"night", "ferry"}, marked
    assert "q=night+ferry" in page.url

    page.reload()
    assert page.locator("#search-query").input_value() == "night ferry"
    _wait_for_results(tab, "night ferry")
    assert _titles(tab) == [FERRY, BUS_LANE]

    page.locator("#search-results h2 a", has_text=FERRY).click()
    page.wait_for_url("**/2025/04/night-ferry/**")
    assert page.locator("h1").inner_text() == FERRY


def test_search_over_http(tab: Tab) -> None:
    _search_reload_and_follow(tab, "search/")


def test_search_from_disk(offline_tab: Tab) -> None:
    _search_reload_and_follow(offline_tab, "search/index.html")


@pytest.mark.parametrize("query", ["ferries", "FERRY"])
def test_other_forms_of_a_word_find_and_highlight_it(tab: Tab, query: str) -> None:
    page = tab.open(f"search/?q={query}")
    assert _titles(tab) == [FERRY, BUS_LANE]
    assert {text.lower() for text in page.locator("#search-results mark").all_inner_texts()} == {"ferry"}
