"""A small deterministic archive of English news-like articles (plus a few in other scripts).

Real English words with their inflections, so stemming matters (``sanctions`` must find
``sanctioned``), drawn with a Zipf-like skew so that some words are common and most rare,
as ranking needs. The same seed always gives the same files.
"""

from __future__ import annotations

import json
from random import Random

_STEM_TEXT = """
sanction sanctions sanctioned sanctioning ferry ferries battery batteries harbour harbours port ports
grid grids storage store stored turbine turbines wind winds solar panel panels coal gas gases pipeline
pipelines council councils vote votes voted voting budget budgets school schools teacher teachers
hospital hospitals nurse nurses doctor doctors river rivers flood floods flooded flooding bridge bridges
rail railway railways train trains station stations tram trams bus buses cycle cycling cyclist road
roads housing house houses rent rents tenant tenants landlord landlords price prices inflation wage
wages worker workers strike strikes union unions factory factories export exports import imports tariff
tariffs ship ships shipping fish fishing fisheries quota quotas forest forests timber drought crop crops
harvest farmer farmers water reservoir reservoirs court courts judge judges ruling appeal appeals police
officer officers election elections candidate candidates minister ministers parliament law laws
regulator regulators licence licences energy electric electricity charge charging charger chargers
network networks broadband cable cables data privacy hospital research researchers university students
museum archive archives library libraries festival theatre carbon emission emissions climate heat
heatwave storm storms coast coastal island islands tourism tourist tourists airport airports flight
flights noise community communities plan plans planning report reports reported reporting study
"""
STEMS = _STEM_TEXT.split()
_FILLER_TEXT = """
the a of and to in that is for on with as was by at from has have are be this which said says will
would could also after before over under more than about into new first last year years week month
local national public city town region people officials according while where when because however
"""
FILLER = _FILLER_TEXT.split()
TOPICS = ["Energy", "Transport", "Housing", "Climate", "Health", "Economy", "Justice", "Fisheries"]
SOURCES = ["Coastal Wire", "Harbour Herald", "The Meridian", "Valley Post", "Northern Times"]
AUTHORS = ["Mira Castell", "Jon Ide", "Ana Ruiz", "Bo Lind", "Cy Oak", "Dee Marsh", "Eli Stone"]
TAGS = ["ferries", "batteries", "floods", "strikes", "tariffs", "rail", "schools", "wind"]


def _words(rng: Random, count: int) -> list[str]:
    weights = [1.0 / (rank + 3) for rank in range(len(STEMS))]
    words: list[str] = []
    for _ in range(count):
        if rng.random() < 0.35:
            words.append(rng.choice(FILLER))
        else:
            words.append(rng.choices(STEMS, weights)[0])
    return words


def _sentence(rng: Random, count: int) -> str:
    words = _words(rng, count)
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def english_articles(count: int, seed: int = 7) -> dict[str, str]:
    """``count`` English articles as ``content/...`` paths and file texts."""
    rng = Random(seed)
    files: dict[str, str] = {}
    for number in range(count):
        year = 2019 + number % 6
        month = 1 + (number * 7) % 12
        day = 1 + (number * 11) % 28
        title = " ".join(_words(rng, rng.randint(4, 9))).capitalize()
        paragraphs = [
            " ".join(_sentence(rng, rng.randint(8, 22)) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(1, 5))
        ]
        fields = [
            "---",
            f"title: {json.dumps(title)}",
            f"date: {year}-{month:02d}-{day:02d}",
            f"author: {json.dumps(rng.sample(AUTHORS, rng.choice((1, 1, 2))))}",
            f"source: {json.dumps(rng.choice(SOURCES))}",
            f"topics: {json.dumps(rng.sample(TOPICS, rng.choice((1, 1, 2))))}",
            f"tags: {json.dumps(rng.sample(TAGS, rng.randint(0, 2)))}",
        ]
        if rng.random() < 0.3:
            fields.append(f"summary: {json.dumps(_sentence(rng, 12))}")
        files[f"content/{year}/story-{number:03d}.md"] = "\n".join([*fields, "---", "", "\n\n".join(paragraphs), ""])
    return files


OTHER_LANGUAGES = {
    "content/2023/sanktsii.md": (
        "---\ntitle: Санкции против судоходных компаний\ndate: 2023-04-02\nlanguage: ru\n"
        'topics: ["Economy"]\nsource: "Valley Post"\n---\n\n'
        "Правительство ввело новые санкции против трёх судоходных компаний. "
        "Паромы в порту остаются у причала.\n"
    ),
    "content/2023/seoul-ferry.md": (
        "---\ntitle: 서울 한강 수상버스 시범 운항\ndate: 2023-05-10\nlanguage: ko\n"
        'topics: ["Transport"]\n---\n\n'
        "서울시는 한강에서 전기 수상버스를 시범 운항한다고 밝혔다. 배터리 충전소는 여의도에 있다.\n"
    ),
    "content/2022/faehre.md": (
        "---\ntitle: Die Fähre fährt elektrisch\ndate: 2022-09-01\nlanguage: de\n"
        'topics: ["Transport", "Energy"]\n---\n\n'
        "Die neue Fähre über den Fluss fährt mit Batterien. Die Gemeinde plant weitere Fähren.\n"
    ),
}

SPECIAL = {
    # Words that stem alike: a query for one must find the others.
    "content/2024/sanctioned-fleet.md": (
        '---\ntitle: "Regulator sanctioned the ferry operator"\ndate: 2024-02-03\n'
        'author: "Mira Castell"\nsource: "Coastal Wire"\ntopics: ["Transport"]\n---\n\n'
        "The regulator sanctioned the operator after two battery fires on its ferries. "
        'Officials called the decision "a warning to the whole fleet".\n'
    ),
    # Markup in text must come back as text, never as markup.
    "content/2024/markup.md": (
        '---\ntitle: "Council debates <script> tags and &amp; signs"\ndate: 2024-03-04\n'
        'topics: ["Justice"]\n---\n\n'
        "A resident pasted <img src=x onerror=alert(1)> into the zygomorphic council form.\n"
    ),
}


def fixture_archive(count: int = 120) -> dict[str, str]:
    """The files of the fixture archive used by the search tests."""
    files = {"sitegen.yaml": 'title: "Search test archive"\nbase_url: "https://example.org/news/"\n'}
    files.update(english_articles(count))
    files.update(OTHER_LANGUAGES)
    files.update(SPECIAL)
    return files
