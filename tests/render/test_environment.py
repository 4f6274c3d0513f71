"""The theme's filters: dates a reader scans, and links written as filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sitegen.model import Moment
from sitegen.render.environment import human_date, make_environment
from sitegen.render.pages import Linker


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (date(2024, 3, 5), "5 March 2024"),
        (date(999, 12, 31), "31 December 999"),
        (datetime(2024, 3, 5, 9, 7), "5 March 2024, 09:07"),
        (datetime(2024, 3, 5, 9, 30, tzinfo=UTC), "5 March 2024, 09:30 UTC"),
        (datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(minutes=-330))), "5 March 2024, 09:30 UTC-05:30"),
    ],
)
def test_human_dates_spell_out_the_month(moment: Moment, text: str) -> None:
    assert human_date(moment) == text


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
