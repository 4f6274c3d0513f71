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
