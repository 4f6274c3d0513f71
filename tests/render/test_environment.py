"""The theme's filters: dates a reader scans, and links written as filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from sitegen.i18n import format_moment
from sitegen.model import Moment
from sitegen.render.environment import make_environment
from sitegen.render.pages import Linker


@pytest.mark.parametrize(
    ("moment", "language", "text"),
    [
        (date(2024, 3, 5), "en", "March 5, 2024"),
        (date(999, 12, 31), "en", "December 31, 999"),
        (datetime(2024, 3, 5, 9, 7), "en", "March 5, 2024, 9:07\u202fAM"),
        (datetime(2024, 3, 5, 9, 30, tzinfo=UTC), "en", "March 5, 2024, 9:30\u202fAM\u00a0GMT"),
        (
            datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(minutes=-330))),
            "en",
            "March 5, 2024, 9:30\u202fAM\u00a0GMT\u22125:30",
        ),
        (datetime(2024, 3, 5, 16, 20, tzinfo=timezone(timedelta(hours=2))), "de", "5. März 2024, 16:20\u00a0GMT+2"),
        (datetime(2024, 3, 5, 16, 20, tzinfo=timezone(timedelta(hours=2))), "fr", "5 mars 2024, 16:20\u00a0UTC+2"),
        (date(2024, 3, 5), "ja", "2024年3月5日"),
        (date(2024, 3, 5), "ru", "5 марта 2024\u202fг."),
        (date(2024, 3, 5), "xx-unknown", "March 5, 2024"),
    ],
)
def test_dates_follow_the_cldr_pattern_of_their_language(moment: Moment, language: str, text: str) -> None:
    """Dates by CLDR's long pattern; the offset only with a time, as short as it can be."""
    assert format_moment(moment, language) == text
    assert (
        make_environment(Path("/nonexistent")).from_string("{{ m|human_date(l) }}").render(m=moment, l=language) == text
    )


def test_one_instant_at_two_offsets_keeps_each_its_own_clock() -> None:
    # Equal as datetimes (the same instant), so a cache keyed on the datetime alone showed
    # whichever was formatted first: output then hung on the order pages were rendered in.
    brisbane = datetime(2023, 10, 11, 6, 0, tzinfo=timezone(timedelta(hours=10)))
    tokyo = datetime(2023, 10, 11, 5, 0, tzinfo=timezone(timedelta(hours=9)))
    assert brisbane == tokyo
    assert format_moment(brisbane, "en") == "October 11, 2023, 6:00\u202fAM\u00a0GMT+10"
    assert format_moment(tokyo, "en") == "October 11, 2023, 5:00\u202fAM\u00a0GMT+9"


def test_the_link_filter_is_the_page_s_link(tmp_path: Path) -> None:
    env = make_environment(tmp_path)
    template = env.from_string("{{ link('/topics/a b/') }}|{{ '/topics/a b/'|link }}|{{ '/'|link }}")
    for linker in (Linker("/2024/03/x/", "/"), Linker("/404.html", "/archive/", absolute=True)):
        call, filtered, home = template.render(link=linker).split("|")
        assert call == filtered == linker("/topics/a b/")
        assert home == linker("/")


def test_globals_reach_includes_and_a_template_s_own_globals_stay_its_own(tmp_path: Path) -> None:
    """Templates hold their globals in a plain dict (cheaper to copy per render than jinja2's
    ChainMap), with jinja2's meaning: the environment's globals, overlaid by a template's own,
    which neither the environment nor another template sees."""
    (tmp_path / "inner.html").write_text("{{ month_names[1] }}/{{ extra|default('none') }}", encoding="utf-8")
    (tmp_path / "outer.html").write_text('{% include "inner.html" %}|{{ extra|default("none") }}', encoding="utf-8")
    (tmp_path / "other.html").write_text('{{ extra|default("none") }}', encoding="utf-8")
    env = make_environment(tmp_path)
    outer = env.get_template("outer.html", globals={"extra": "mine"})
    assert outer.render() == "February/mine|mine"  # an include sees the including template's context
    assert env.get_template("inner.html").render() == "February/none"
    assert env.get_template("other.html").render() == "none"
    assert "extra" not in env.globals
    assert env.from_string("{{ month_names[1] }}", globals={"month_names": ["x", "y"]}).render() == "y"
    assert env.get_template("inner.html").render() == "February/none"


class _Html:
    def __html__(self) -> str:
        return "<b>safe & sound</b>"


def test_output_is_escaped_as_by_stock_jinja2_in_every_kind_of_block(tmp_path: Path) -> None:
    """The environment writes autoescaped values its own way (see ``_Environment.escaped``):
    what it writes must be what jinja2's own escaping writes, wherever a value is output."""
    (tmp_path / "part.html").write_text("[{{ value }}]", encoding="utf-8")
    source = (
        "{% macro show(v) %}<m>{{ v }}</m>{% endmacro %}{% macro wrap() %}<w>{{ caller() }}</w>{% endmacro %}"
        "{{ value }}|{{ value ~ '&' }}|{{ show(value) }}|{% set held %}<s>{{ value }}</s>{% endset %}{{ held }}|"
        "{% filter upper %}{{ value }}{% endfilter %}|{% call wrap() %}{{ value }}{% endcall %}|"
        "{% include 'part.html' %}|"
        "{% for v in [value, value] %}{{ v }}{% endfor %}|{% autoescape false %}{{ value }}{% endautoescape %}|"
        "{{ value|safe }}|{{ value|e }}"
    )
    (tmp_path / "page.html").write_text(source, encoding="utf-8")
    ours = make_environment(tmp_path)
    stock = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True)
    assert "environment.escaped(" in ours.compile(source, raw=True)  # else jinja2 changed: see _CodeGenerator
    values: list[object] = ["plain words", "", "a & b", "<i>x</i>", "\"quoted\" 'single'", "\x00mark", "ü € —"]
    values += [Markup("<em>marked</em> & kept"), _Html(), 42, 3.5, None, ["<list>"]]
    for value in values:
        assert ours.get_template("page.html").render(value=value) == stock.get_template("page.html").render(
            value=value
        ), value
