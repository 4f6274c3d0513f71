"""Dates as other generators write them, and dates and slugs taken from file names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from conftest import MakeSite, Run

from sitegen.content.conventions.dates import name_parts, parse_lenient
from sitegen.model import Moment

SitegenRun = Callable[..., Run]
MINUS_8 = timezone(timedelta(hours=-8))


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2013-11-22 5:00:00 +0000", datetime(2013, 11, 22, 5, 0, tzinfo=UTC)),  # single-digit hour
        ("2013-11-22 05:00:00 +0000", datetime(2013, 11, 22, 5, 0, tzinfo=UTC)),
        ("2021-03-04T10:20:30Z", datetime(2021, 3, 4, 10, 20, 30, tzinfo=UTC)),
        ("2021-03-04T10:20:30.123456789-08:00", datetime(2021, 3, 4, 10, 20, 30, 123456, tzinfo=MINUS_8)),
        ("2021-03-04 10:20:30.5", datetime(2021, 3, 4, 10, 20, 30, 500000)),
        ("2021-03-04 10:20", datetime(2021, 3, 4, 10, 20)),
        ("2021-03-04 10:20 UTC", datetime(2021, 3, 4, 10, 20, tzinfo=UTC)),
        ("2021-03-04T10:20:30-0800", datetime(2021, 3, 4, 10, 20, 30, tzinfo=MINUS_8)),
        ("'2021-03-04 10:20:30 +0000'", datetime(2021, 3, 4, 10, 20, 30, tzinfo=UTC)),  # quoted
        ('"2021-03-04"', date(2021, 3, 4)),
        ("2021-3-4", date(2021, 3, 4)),
        ("2021/03/04", date(2021, 3, 4)),
    ],
)
def test_lenient_date_forms(text: str, moment: Moment) -> None:
    assert parse_lenient(text) == moment


@pytest.mark.parametrize("text", ["2023-01-29 18:30:22 2023 -0800", "2022-13-40", "yesterday", "2021-02-30 10:00"])
def test_what_is_not_a_date(text: str) -> None:
    assert parse_lenient(text) is None


def test_name_parts() -> None:
    assert name_parts("_posts/2016-03-10-spring-release.markdown").date == date(2016, 3, 10)
    assert name_parts("_posts/2016-03-10-spring-release.markdown").slug_source == "spring-release"
    assert name_parts("notes/plain.md").date is None
    bundle = name_parts("posts/2020-05-01-trip-north/index.md")
    assert (bundle.date, bundle.slug_source) == (date(2020, 5, 1), "trip-north")
    assert bundle.bundle == "posts/2020-05-01-trip-north"
    assert name_parts("posts/_index.md").section


def test_dates_and_slugs_come_from_jekyll_names(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/_posts/2016-03-10-spring-release.md": "---\ntitle: Spring release\n---\nNew things.\n",
            "content/_posts/2020-05-01-given-date.md": "---\ntitle: Given\ndate: 2020-05-02 9:15:00 +0000\n---\n",
            "content/_posts/2013-11-22-untitled-post.markdown": "---\nlayout: post\n---\nNo title.\n",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err == ""
    assert "New things." in (root / "site/2016/03/spring-release/index.html").read_text()
    assert (root / "site/2020/05/given-date/index.html").exists()  # the front matter's date wins
    assert "<h1>Untitled Post</h1>" in (root / "site/2013/11/untitled-post/index.html").read_text()


def test_an_unreadable_date_falls_back_to_the_file_name(make_site: MakeSite, sitegen: SitegenRun) -> None:
    odd = "---\ntitle: Odd\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nText.\n"
    root = make_site({"content/_posts/2023-01-29-odd-date.md": odd})
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert run.err.splitlines() == [
        "content/_posts/2023-01-29-odd-date.md:3: warning: 'date' is not a date: \"2023-01-29 18:30:22 2023 -0800\"; "
        "the file name's date 2023-01-29 is used",
    ]
    assert (root / "site/2023/01/odd-date/index.html").exists()
    (root / "content/_posts/2023-01-29-odd-date.md").rename(root / "content/odd-date.md")
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        "content/odd-date.md:3: 'date' is not a date: \"2023-01-29 18:30:22 2023 -0800\" "
        "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)",
    ]
