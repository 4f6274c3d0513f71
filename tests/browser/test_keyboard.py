"""Keyboard only: a skip link first, a visible focus ring on every stop, and search from the
header box to an article with Tab, typing, the arrow keys and Enter.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from .archive import PAGE_KINDS
from .conftest import Tab

if TYPE_CHECKING:
    from playwright.sync_api import Page

MAX_STOPS = 80
MIN_RING_PX = 2
MIN_RING_CONTRAST = 3.0  # WCAG 1.4.11, non-text contrast

_FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    name: `<${element.localName}> ${(element.textContent || element.name || "").trim().slice(0, 80)}`,
    outline: [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor],
    background: getComputedStyle(document.body).backgroundColor,
    inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def _luminance(css_color: str) -> float:
    red, green, blue = (float(part) / 255 for part in re.findall(r"[\d.]+", css_color)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS rgb() colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focused(page: Page) -> dict[str, Any] | None:
    """The focused element: its name, outline and whether it is on screen."""
    result = page.evaluate(_FOCUSED)
    return dict(result) if result else None


def ring_problem(state: dict[str, Any]) -> str | None:
    """Why the focused element's ring is not visible enough, or None when it is."""
    style, width, color = state["outline"]
    if style == "none":
        return f"{state['name']}: no focus ring"
    if width < MIN_RING_PX:
        return f"{state['name']}: a focus ring of only {width}px"
    if contrast(color, state["background"]) < MIN_RING_CONTRAST:
        return f"{state['name']}: focus ring {color} too faint on {state['background']}"
    if not state["inView"]:
        return f"{state['name']}: focused but off screen"
    return None


def tab_through(page: Page) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves the page; every stop on the way."""
    for _ in range(MAX_STOPS):  # something has focus (the search box): Tab out of the page first
        if focused(page) is None:
            break
        page.keyboard.press("Tab")
    stops: list[dict[str, Any]] = []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        state = focused(page)
        if state is None or (stops and state["name"] == stops[0]["name"]):
            return stops
        stops.append(state)
    raise AssertionError(f"more than {MAX_STOPS} tab stops: is focus trapped? last: {stops[-1]['name']}")


def test_the_first_tab_stop_is_a_visible_skip_link(tab: Tab) -> None:
    page = tab.open(PAGE_KINDS["article"])
    page.keyboard.press("Tab")
    state = focused(page)
    assert state is not None and state["name"] == "<a> Skip to content"
    assert ring_problem(state) is None
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is the first one inside the content, not the header
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize(
    ("kind", "scheme"), [("home", "light"), ("article", "light"), ("article", "dark"), ("search", "light")]
)
def test_every_tab_stop_shows_a_focus_ring(tab: Tab, kind: str, scheme: str) -> None:
    tab.page.emulate_media(color_scheme=scheme)
    page = tab.open(PAGE_KINDS[kind])
    stops = tab_through(page)
    names = [stop["name"] for stop in stops]
    assert len(stops) >= 10, names
    assert "<input> q" in names  # the header's search box is on the way
    assert [problem for stop in stops if (problem := ring_problem(stop))] == []


def test_the_focus_ring_check_can_fail(tab: Tab) -> None:
    page = tab.open("")
    page.add_style_tag(content=".site-title:focus-visible { outline: none; }")
    problems = [problem for stop in tab_through(page) if (problem := ring_problem(stop))]
    assert problems == ["<a> Estuary Clippings: no focus ring"]


def test_search_with_the_keyboard_alone(tab: Tab) -> None:
    page = tab.open("")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "site-search-q":
            break
    else:
        raise AssertionError("the search box is not among the first 12 tab stops")
    page.keyboard.type("ferry")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=ferry")
    results = page.locator("#search-results .search-result h2 a")
    results.first.wait_for()
    titles = results.all_inner_texts()
    assert titles[:2] == [
        "Tidewater council approves a second night ferry",
        "Bus lane on Quarry Road cuts journey times, survey says",
    ]
    assert page.evaluate("() => document.activeElement.id") == "search-query"

    for key, expected in [("ArrowDown", 0), ("ArrowDown", 1), ("ArrowUp", 0), ("ArrowDown", 1)]:
        page.keyboard.press(key)
        state = focused(page)
        assert state is not None and state["name"] == f"<a> {titles[expected]}"
        assert ring_problem(state) is None
    page.keyboard.press("Enter")
    page.wait_for_url("**/2023/09/quarry-road-bus-lane/")
    assert page.locator("h1").inner_text() == titles[1]
