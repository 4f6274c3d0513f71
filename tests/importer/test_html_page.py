"""Saved web pages: what trafilatura extracts, and how our rules finish the job."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sitegen.importer.html_page import NO_HTML_HEADLINE, draft_from_html, looks_like_html

VALDORA = (Path(__file__).parent / "fixtures" / "pages" / "valdora-port.html").read_text(encoding="utf-8")
PARAGRAPHS = (
    "<p>OSLO (Reuters) -The harbour authority approved night-time dredging on Friday, officials"
    " said after a meeting that lasted most of the day and ended without a vote.</p>"
    "<p>The work will start in August and last about three months, the authority said in a"
    " statement published on its website after the meeting.</p>"
)


def _page(head: str = "", body: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head>"
        f"<body><article><h1>Harbour approves dredging</h1>{body}{PARAGRAPHS}</article>"
        "</body></html>"
    )


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("\n  <html lang='en'><p>x</p></html>", True),
        ("<!-- saved from url -->\n<!doctype HTML>", True),
        ("<div><p>One</p><p>Two</p><p>Three</p></div>", True),
        ("Ports <b>rise</b>\n\nPublished 01/01/2024, 10:00 AM", False),
        ("Shares rose 5% as x < y and y > z.", False),
    ],
)
def test_looks_like_html(text: str, is_html: bool) -> None:
    assert looks_like_html(text) is is_html


def test_the_saved_page_yields_every_field() -> None:
    draft = draft_from_html(VALDORA)
    assert draft.title == "Port of Valdora to add two deep-water berths - AFP"
    assert draft.published == datetime(2024, 5, 7, 14, 20)
    assert draft.updated == datetime(2024, 5, 7, 16, 5)
    assert draft.authors == ("Lena Okafor", "Tomas Ruiz")
    assert draft.source == "AFP"
    assert draft.problems == ()


def test_only_the_articles_own_figures_give_captions() -> None:
    captions = draft_from_html(VALDORA).captions
    assert captions == ("© AFP. Cranes stand idle at the Port of Valdora, April 30, 2024. AFP/Staff",)


def test_the_printed_date_wins_over_the_meta_tag() -> None:
    head = "<meta property='article:published_time' content='2023-06-01T08:00:00'>"
    draft = draft_from_html(_page(head, "<p>Published 06/02/2023, 10:00 AM</p>"))
    assert draft.published == datetime(2023, 6, 2, 10, 0)


def test_dates_of_other_stories_above_the_article_are_not_taken() -> None:
    html = _page(body="<p>Published 06/02/2023, 10:00 AM</p>").replace(
        "<body>", "<body><nav><p>Most read: Ferry routes. Published 01/01/2023, 09:00 AM</p></nav>"
    )
    assert draft_from_html(html).published == datetime(2023, 6, 2, 10, 0)


def test_a_date_printed_outside_the_article_is_found() -> None:
    html = _page().replace("<body>", "<body><header><span>Published 06/03/2023, 11:30 AM</span></header>")
    assert draft_from_html(html).published == datetime(2023, 6, 3, 11, 30)


def test_without_a_printed_date_the_meta_tag_is_used_with_its_zone() -> None:
    head = "<meta property='article:published_time' content='2023-06-01T08:00:00+02:00'>"
    draft = draft_from_html(_page(head))
    assert draft.published == datetime(2023, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=2)))


def test_a_meta_date_without_a_time_stays_a_date() -> None:
    head = "<meta property='article:published_time' content='2023-06-01'>"
    assert draft_from_html(_page(head)).published == date(2023, 6, 1)


def test_a_page_without_any_date_says_so() -> None:
    draft = draft_from_html(_page())
    assert draft.published is None
    assert draft.problems == ("no publication date found (expected a line like 'Published 06/15/2023, 08:41 AM')",)


def test_the_heading_is_the_title_and_not_repeated_in_the_body() -> None:
    draft = draft_from_html(_page(body="<p>Published 06/02/2023, 10:00 AM</p>"))
    assert draft.title == "Harbour approves dredging"
    assert "Harbour approves dredging" not in draft.lines
    assert next(line for line in draft.lines if line).startswith("OSLO (Reuters) - The harbour")


def test_a_page_without_a_title_is_refused_with_its_own_message() -> None:
    html = f"<html><body><div>{PARAGRAPHS}</div><p>Published 06/02/2023, 10:00 AM</p></body></html>"
    draft = draft_from_html(html)
    assert draft.title is None
    assert draft.problems == (NO_HTML_HEADLINE,)
