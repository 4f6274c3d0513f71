"""End to end on the two pages curators saved: every field, and nothing that was dropped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sitegen.importer import import_pages

from .conftest import Article

PAGES = Path(__file__).parent / "fixtures" / "pages"

LITHIUM_CAPTION = (
    "© Reuters. FILE PHOTO - Workers inspect brine evaporation ponds at a lithium site in"
    " northern Chile, January 12, 2023. REUTERS/Staff Photographer"
)
RAIL_CAPTION = (
    "© Reuters. A regional train waits at a platform in Strasbourg, France, October 4, 2021. REUTERS/Staff Photographer"
)


def _sample_lines(name: str, *prefixes: str) -> list[str]:
    """The sample's lines that start with any of the prefixes, whole."""
    lines = (PAGES / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith(prefixes)]


def test_lithium_page(tmp_path: Path, read_article: Callable[[str], Article]) -> None:
    report = import_pages([str(PAGES / "lithium-research.txt")], into=tmp_path, topics=["Energy", "Mining"])

    target = tmp_path / "2023" / "norway-and-chile-agree-to-widen-lithium-research-cooperation.md"
    assert report.written == (target,)
    assert (report.problems, report.skipped) == ((), ())
    text = target.read_text(encoding="utf-8")
    assert report.articles == (text,)
    fields, paragraphs = read_article(text)
    assert list(fields) == [
        "title", "date", "updated", "author", "source", "topics", "captions"
    ]  # fmt: skip
    assert fields == {
        "title": "Norway and Chile agree to widen lithium research cooperation - ministry",
        "date": datetime(2023, 3, 2, 9, 41),
        "updated": datetime(2023, 3, 2, 11, 15),
        "author": ["Maria Lindqvist"],
        "source": "Reuters",
        "topics": ["Energy", "Mining"],
        "captions": [LITHIUM_CAPTION],
    }
    # ISO 8601 with a 'T' and no zone, as the front matter should be read by people too.
    assert "\ndate: 2023-03-02T09:41:00\nupdated: 2023-03-02T11:15:00\n" in text
    assert paragraphs == [
        "OSLO (Reuters) - Norway and Chile will expand joint research on lithium extraction and"
        " recycling, Norway's trade ministry said on Thursday, after officials from both"
        " countries met in Oslo.",
        "The two governments plan to fund shared laboratory work on lower-water extraction"
        " methods, the ministry said in a statement, without giving a figure for the budget.",
        "Chile holds some of the world's largest lithium reserves, while Norway has been"
        " building battery factories that need a steady supply of the metal.",
        '"Our industries need each other," the ministry quoted its deputy minister as saying.',
        "Officials said the first projects would start later this year and would include"
        " universities in both countries.",
        "Chile's mining ministry did not immediately respond to a request for comment.",
    ]
    assert text.count("Workers inspect brine evaporation ponds") == 1


def test_lithium_page_drops_everything_that_is_not_the_article(tmp_path: Path) -> None:
    text = import_pages([str(PAGES / "lithium-research.txt")], into=tmp_path, topics=[]).articles[0]
    body = text.split("\n---\n", 1)[1]
    dropped = _sample_lines(
        "lithium-research.txt",
        "\N{CHART WITH UPWARDS TREND}",  # the promotion line
        "Latest comments",
        "Risk Disclosure",
        "Before deciding",
        "Fusion Media",
        "It is prohibited",
        "© 2007",
    )
    assert len(dropped) == 8
    for line in dropped:
        assert line not in text
    metadata = _sample_lines("lithium-research.txt", "Norway and Chile agree", "Published", "By ")
    metadata += _sample_lines("lithium-research.txt", "Updated", "© Reuters")
    assert len(metadata) == 6  # headline, dates, byline, and the caption printed twice
    for line in metadata:
        assert line not in body
    assert text.count(LITHIUM_CAPTION) == 1


def test_rail_page(tmp_path: Path, read_article: Callable[[str], Article]) -> None:
    report = import_pages([str(PAGES / "rail-tender.txt")], into=tmp_path, topics=["Transport"])

    target = tmp_path / "2021" / "eu-opens-tender-for-cross-border-rail-signalling-upgrade.md"
    assert report.written == (target,)
    fields, paragraphs = read_article(target.read_text(encoding="utf-8"))
    assert fields == {
        "title": "EU opens tender for cross-border rail signalling upgrade",
        "date": datetime(2021, 10, 19, 14, 7),
        "author": ["Pierre Almeida", "Katrin Vogt"],
        "source": "Reuters",
        "topics": ["Transport"],
        "captions": [RAIL_CAPTION],
    }
    assert paragraphs == [
        "BRUSSELS (Reuters) - The European Commission on Tuesday opened a tender for upgrading"
        " signalling systems on three cross-border rail lines, part of a plan to make"
        " international train journeys faster.",
        "The lines connect France with Germany, Belgium with the Netherlands and Austria with"
        " Slovenia, the Commission said.",
        "A spokesperson said bids would be assessed on cost, delivery time and compatibility"
        " with the bloc's common signalling standard.",
    ]


def test_rail_page_drops_everything_that_is_not_the_article(tmp_path: Path) -> None:
    text = import_pages([str(PAGES / "rail-tender.txt")], into=tmp_path, topics=[]).articles[0]
    for line in (
        "Market movers today: find out which sectors are leading the rally.Unlock Stocks",
        "Latest comments",
        "Risk Disclosure: Trading in financial instruments and/or cryptocurrencies involves high"
        " risks including the risk of losing some, or all, of your investment amount, and may"
        " not be suitable for all investors.",
        "Fusion Media would like to remind you that the data contained in this website is not"
        " necessarily real-time nor accurate.",
        "© 2007-2024 - Fusion Media Limited. All Rights Reserved.",
        "Published 10/19/2021, 02:07 PM",
        "By Pierre Almeida and Katrin Vogt",
    ):
        assert line not in text
    assert text.count("A regional train waits at a platform") == 1
    assert RAIL_CAPTION not in text.split("\n---\n", 1)[1]
