"""Turning a cleaned draft into an article file: slug, summary, escaping, front matter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import PurePosixPath

import pytest

from sitegen.importer.article import (
    NO_BODY,
    Article,
    article_from_draft,
    article_path,
    first_sentence,
    markdown_paragraph,
    render_article,
    summarise,
)
from sitegen.importer.draft import Draft
from sitegen.importer.errors import PageProblem
from sitegen.importer.slug import strip_attribution, title_slug

from .conftest import Article as ArticleFile


def _article(**changes: object) -> Article:
    fields: dict[str, object] = {
        "title": "Port to add berths - AFP",
        "published": datetime(2024, 5, 7, 14, 20),
        "updated": None,
        "authors": ("Lena Okafor",),
        "source": "AFP",
        "topics": (),
        "summary": "The port will add berths.",
        "captions": (),
        "paragraphs": ("VALDORA (AFP) - The port will add berths.",),
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "EU opens tender for cross-border rail signalling upgrade",
            "eu-opens-tender-for-cross-border-rail-signalling-upgrade",
        ),
        (
            "Norway and Chile agree to widen lithium research cooperation - ministry",
            "norway-and-chile-agree-to-widen-lithium-research-cooperation",
        ),
        ("Russia's Novatek starts LNG shipments - Reuters", "russia-s-novatek-starts-lng-shipments"),
        ("Zürich café chain opens 3 stores – dpa", "zürich-café-chain-opens-3-stores"),
        ("東京 stocks rise 2% — Kyodo", "東京-stocks-rise-2"),
        ("Oil: what next?!", "oil-what-next"),
        ("Apple earnings - what to expect this week", "apple-earnings-what-to-expect-this-week"),
    ],
)
def test_title_slug(title: str, slug: str) -> None:
    assert title_slug(title) == slug


def test_long_slugs_are_cut_at_a_word_boundary() -> None:
    title = (
        "Officials from eleven countries agree on a shared framework for cross-border"
        " electricity trading after two years of talks in Brussels"
    )
    slug = title_slug(title)
    assert slug == "officials-from-eleven-countries-agree-on-a-shared-framework-for-cross-border"
    assert len(slug) <= 80


def test_a_single_overlong_word_is_cut_rather_than_lost() -> None:
    assert title_slug("x" * 100) == "x" * 80


def test_strip_attribution_keeps_titles_without_one() -> None:
    assert strip_attribution("Cross-border rail - a new start for the network") == (
        "Cross-border rail - a new start for the network"
    )
    assert strip_attribution("- Reuters") == "- Reuters"


def test_article_path_uses_the_year_and_the_slug() -> None:
    assert article_path(_article()) == PurePosixPath("2024/port-to-add-berths.md")


def test_article_path_falls_back_to_the_date_when_the_title_has_no_letters() -> None:
    assert article_path(_article(title="?!")) == PurePosixPath("2024/article-2024-05-07.md")


@pytest.mark.parametrize(
    ("paragraph", "sentence"),
    [
        ("One. Two.", "One."),
        (
            "Mr. Hayashi met U.S. customers in Tokyo on Jan. 5. He left.",
            "Mr. Hayashi met U.S. customers in Tokyo on Jan. 5.",
        ),
        ('"We agree," he said. "Now build."', '"We agree," he said.'),
        ("Prices rose 2.5% on Monday! Traders cheered.", "Prices rose 2.5% on Monday!"),
        ("No full stop at all", "No full stop at all"),
    ],
)
def test_first_sentence(paragraph: str, sentence: str) -> None:
    assert first_sentence(paragraph) == sentence


def test_summary_leaves_out_the_dateline() -> None:
    assert summarise("TOKYO, March 4 (Kyodo) - Shares rose. Bonds fell.") == "Shares rose."


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# of ships rose", "\\# of ships rose"),
        ("> 40 ships", "\\> 40 ships"),
        ("- or so they said", "\\- or so they said"),
        ("1. The port said", "1\\. The port said"),
        ("2023 was a record year.", "2023 was a record year."),
        (
            "Shares of *Acme* and [Beta] rose <today> by `2`",
            "Shares of \\*Acme\\* and \\[Beta] rose \\<today> by \\`2\\`",
        ),
        ("AT&amp;T and S&P 500", "AT&amp;amp;T and S&P 500"),
        ("~~~ fence", "\\~~~ fence"),
    ],
)
def test_markdown_paragraph_escapes_markup(text: str, escaped: str) -> None:
    assert markdown_paragraph(text) == escaped


@pytest.mark.parametrize(
    "title",
    [
        'He said: "no" - Reuters',
        "#1 port? Yes & no: 'maybe' - AFP",
        "true",
        "2024-05-07",
        "Line\u2028separator and back\\slash",
        "--- not a fence",
    ],
)
def test_front_matter_round_trips_any_title(title: str, read_article: Callable[[str], ArticleFile]) -> None:
    fields, _ = read_article(render_article(_article(title=title, summary=title)))
    assert fields["title"] == title
    assert fields["summary"] == title


def test_front_matter_order_and_omitted_fields(read_article: Callable[[str], ArticleFile]) -> None:
    text = render_article(_article(authors=(), source=None, summary=None))
    assert text == (
        "---\n"
        'title: "Port to add berths - AFP"\n'
        "date: 2024-05-07T14:20:00\n"
        "---\n"
        "\n"
        "VALDORA (AFP) - The port will add berths.\n"
    )


def test_front_matter_with_every_field(read_article: Callable[[str], ArticleFile]) -> None:
    article = _article(
        published=datetime(2024, 5, 7, 14, 20, tzinfo=timezone(timedelta(hours=2))),
        updated=date(2024, 5, 8),
        authors=("Lena Okafor", "Tomas Ruiz"),
        topics=("Ports", "Europe"),
        captions=("© AFP. Cranes. AFP/Staff", "© AFP. A ferry. AFP/Staff"),
        paragraphs=("First.", "Second."),
    )
    text = render_article(article)
    assert text.splitlines()[1:10] == [
        'title: "Port to add berths - AFP"',
        "date: 2024-05-07T14:20:00+02:00",
        "updated: 2024-05-08",
        'author: ["Lena Okafor", "Tomas Ruiz"]',
        'source: "AFP"',
        'topics: ["Ports", "Europe"]',
        'summary: "The port will add berths."',
        'captions: ["© AFP. Cranes. AFP/Staff", "© AFP. A ferry. AFP/Staff"]',
        "---",
    ]
    fields, paragraphs = read_article(text)
    assert fields["date"] == article.published
    assert fields["updated"] == date(2024, 5, 8)
    assert paragraphs == ["First.", "Second."]


def test_captions_are_kept_as_written_never_in_the_note(read_article: Callable[[str], ArticleFile]) -> None:
    fields, _ = read_article(render_article(_article(captions=("© AP. A *rare* view <of> the port. AP/Staff",))))
    # Plain text, not Markdown: the template escapes it as a figure caption.
    assert fields["captions"] == ["© AP. A *rare* view <of> the port. AP/Staff"]
    assert "note" not in fields


LEAD = "VALDORA (AFP) - The port will add two berths. Work starts in June."


@pytest.mark.parametrize(
    ("description", "summary"),
    [
        (None, None),
        ("", None),
        ("The port will add two berths.", None),  # the lead's first sentence again
        ("The port will add two berths. Work starts…", None),  # the lead cut short
        ("VALDORA (AFP) - The port will add two berths...", None),
        ("The port will add two berths. Work starts in June.", None),
        (
            "Bigger ships, longer queues: what the expansion means",
            "Bigger ships, longer queues: what the expansion means",
        ),
    ],
)
def test_summary_is_only_a_real_dek(description: str | None, summary: str | None) -> None:
    draft = Draft(lines=(LEAD,), title="Port to add berths", published=date(2024, 5, 7), description=description)
    assert article_from_draft(draft, ()).summary == summary


def test_a_draft_without_text_is_refused() -> None:
    draft = Draft(lines=("", ""), title="Headline", published=datetime(2024, 1, 1))
    with pytest.raises(PageProblem) as raised:
        article_from_draft(draft, ())
    assert raised.value.messages == (NO_BODY,)


def test_every_problem_of_a_draft_is_reported_together() -> None:
    draft = Draft(lines=("Body.",), problems=("first problem", "second problem"))
    with pytest.raises(PageProblem) as raised:
        article_from_draft(draft, ())
    assert raised.value.messages == ("first problem", "second problem")
