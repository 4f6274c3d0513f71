"""Pages of our own making (invented text) showing the rules hold beyond the two samples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sitegen.importer import import_pages

from .conftest import Article

PAGES = Path(__file__).parent / "fixtures" / "pages"


@dataclass(frozen=True)
class Expected:
    page: str
    path: str
    fields: dict[str, Any]
    first_paragraph: str
    paragraph_count: int
    dropped: tuple[str, ...]


EXPECTED = (
    Expected(
        page="lisbon-dock-strike.txt",  # AP, three authors, em-dash dateline, caption once
        path="2024/lisbon-dock-workers-end-five-day-strike-after-wage-deal.md",
        fields={
            "title": "Lisbon dock workers end five-day strike after wage deal - AP",
            "date": datetime(2024, 7, 22, 18, 15),
            "author": ["Ana Ribeiro", "David Mensah", "Sofia Marques"],
            "source": "AP",
            "captions": [
                "© AP. Dock workers gather outside the port offices in"
                " Lisbon, Portugal, July 22, 2024. AP/Staff Photographer",
            ],
        },
        first_paragraph="LISBON (AP) - Dock workers at the port of Lisbon ended a five-day"
        " strike on Monday after their union accepted a pay offer from the port operator."
        " Ships began moving again within hours.",
        paragraph_count=4,
        dropped=(
            "Get our free morning briefing on markets and policy.Sign up",
            "Share this article",
            "Latest comments",
            "Rui: about time this was settled.",
            "Disclaimer: Marketdesk publishes this page",
            "Copyright © 2024 Marketdesk Ltd. All rights reserved.",
            "LISBON (AP) —",
        ),
    ),
    Expected(
        page="danish-wind-tender.txt",  # AFP, no Updated line, no caption, NBSPs, widgets
        path="2024/danish-wind-farm-tender-draws-record-seven-bids.md",
        fields={
            "title": "Danish wind farm tender draws record seven bids - AFP",
            "date": datetime(2024, 1, 9, 10, 2),
            "author": ["Henrik Aalund"],
            "source": "AFP",
        },
        first_paragraph="COPENHAGEN (AFP) - Seven consortiums have bid to build an offshore"
        " wind farm in the North Sea, the Danish energy agency said on Tuesday, the highest"
        " number for any tender in the country so far.",
        paragraph_count=3,
        dropped=(
            "Our analysts rank them.Unlock Rankings",
            "12 Comments",
            "Share Tweet Email",
            "Disclaimer:",
            "Prices shown may be delayed.",
            "Copyright ©",
            "\u00a0",
        ),
    ),
    Expected(
        page="kyodo-chip-plant.txt",  # Kyodo, dated dateline, serial comma, caption twice
        path="2024/chipmaker-says-new-kumamoto-plant-is-on-schedule.md",
        fields={
            "title": "Chipmaker says new Kumamoto plant is on schedule",
            "date": datetime(2024, 3, 4, 16, 30),
            "updated": datetime(2024, 3, 5, 8, 10),
            "author": ["Aiko Tanaka", "Kenji Mori", "Yui Sato"],
            "source": "Kyodo",
            "captions": [
                "© Kyodo. FILE PHOTO - A construction crane stands beside the"
                " plant site in Kumamoto, Japan, February 2, 2024. KYODO/Staff",
            ],
        },
        first_paragraph="TOKYO, March 4 (Kyodo) - A chipmaker building a plant in Kumamoto"
        " said on Monday it would start production in the fourth quarter, after Mr. Hayashi,"
        " its chief executive, met U.S. customers in Tokyo. The company did not give a figure"
        " for the cost.",
        paragraph_count=3,
        dropped=(
            "Upgrade Now",
            "Read more",
            "generated with the support of AI",
            "Latest comments",
            "Risk Disclosure",
            "Fusion Media",
        ),
    ),
    Expected(
        page="dpa-rail-freight.txt",  # dpa, no promotion line, no caption, two authors
        path="2022/germany-to-run-freight-trains-more-often-on-two-north-south-corridors.md",
        fields={
            "title": "Germany to run freight trains more often on two north-south corridors",
            "date": datetime(2022, 11, 30, 19, 5),
            "updated": datetime(2022, 11, 30, 21, 40),
            "author": ["Lukas Brandt", "Mira Hoffmann"],
            "source": "dpa",
        },
        first_paragraph="BERLIN (dpa) - Freight trains will run more often on two north-south"
        " corridors from next year, the transport ministry said on Wednesday, as part of a plan"
        " to move more goods off the roads.",
        paragraph_count=3,
        dropped=("Share on Facebook", "Copy link"),
    ),
    Expected(
        page="valdora-port.html",  # saved HTML: trafilatura, then the same rules
        path="2024/port-of-valdora-to-add-two-deep-water-berths.md",
        fields={
            "title": "Port of Valdora to add two deep-water berths - AFP",
            "date": datetime(2024, 5, 7, 14, 20),
            "updated": datetime(2024, 5, 7, 16, 5),
            "author": ["Lena Okafor", "Tomas Ruiz"],
            "source": "AFP",
            "language": "en",  # from <html lang>
            "captions": [
                "© AFP. Cranes stand idle at the Port of Valdora, April 30, 2024. AFP/Staff",
            ],
        },
        first_paragraph="VALDORA (AFP) - The port authority of Valdora said on Tuesday it"
        " would build two deep-water berths, allowing larger container ships to call at the"
        " harbour from 2026.",
        paragraph_count=4,
        dropped=(
            "Home",
            "Get the edge on every market move",
            "Try Pro",
            "Marketdesk",
            "Tweet",
            "Latest comments",
            "Great news for the region",
            "A ferry leaves the harbour",
            "Ferry operator adds summer routes",
            "Risk Disclosure",
            "Fusion Media",
            "<",
        ),
    ),
)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.page)
def test_own_page(expected: Expected, tmp_path: Path, read_article: Callable[[str], Article]) -> None:
    report = import_pages([str(PAGES / expected.page)], into=tmp_path, topics=["Ports"])

    assert (report.problems, report.skipped) == ((), ())
    assert report.written == (tmp_path / expected.path,)
    text = (tmp_path / expected.path).read_text(encoding="utf-8")
    fields, paragraphs = read_article(text)
    assert fields == {**expected.fields, "topics": ["Ports"]}
    assert paragraphs[0] == expected.first_paragraph
    assert len(paragraphs) == expected.paragraph_count
    for fragment in expected.dropped:
        assert fragment not in text
    for caption in fields.get("captions", []):
        assert text.count(caption) == 1
