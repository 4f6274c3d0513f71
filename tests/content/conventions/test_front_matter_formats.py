"""Front matter as Hugo, Zola and Pelican write it: TOML, JSON and ``Key: value`` headers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import MakeSite, Run

from sitegen.content.conventions.formats import read_front_matter
from sitegen.content.frontmatter import FrontMatterError

SitegenRun = Callable[..., Run]

ZOLA_POST = """+++
title = "Tides and moons"
date = 2021-06-14T08:30:00+02:00
description = "Why the sea keeps time."
[taxonomies]
tags = ["sea", "physics"]
categories = ["Science"]
[extra]
mood = "calm"
+++

The moon pulls.
"""

JSON_POST = """{
  "title": "Counting birds",
  "date": "2020-02-03",
  "tags": ["birds"],
  "categories": ["Field notes"]
}

Seven sparrows.
"""

PELICAN_POST = """Title: Lanterns at dusk
Date: 2019-10-05 19:45
Category: Evenings
Tags: light, walking, town
Authors: Ima Lamp, Ron Wick
Summary: A walk when the lamps come on.

The first lamp is lit at the bridge.
"""


def test_toml_json_and_header_front_matter_all_build(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {"content/tides.md": ZOLA_POST, "content/birds.md": JSON_POST, "content/lanterns.md": PELICAN_POST}
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err == ""
    tides = (root / "site/2021/06/tides/index.html").read_text()
    assert "<h1>Tides and moons</h1>" in tides
    assert '<meta name="description" content="Why the sea keeps time.">' in tides
    assert (root / "site/topics/science/index.html").exists()
    assert (root / "site/tags/physics/index.html").exists()
    birds = (root / "site/2020/02/birds/index.html").read_text()
    assert "Seven sparrows." in birds
    assert (root / "site/topics/field-notes/index.html").exists()
    lanterns = (root / "site/2019/10/lanterns/index.html").read_text()
    assert "The first lamp is lit at the bridge." in lanterns
    assert "Title: Lanterns" not in lanterns
    assert (root / "site/topics/evenings/index.html").exists()
    for tag in ("light", "walking", "town"):
        assert (root / f"site/tags/{tag}/index.html").exists()
    for author in ("ima-lamp", "ron-wick"):
        assert (root / f"site/authors/{author}/index.html").exists()


def test_zola_taxonomies_and_extra_are_read() -> None:
    matter = read_front_matter(ZOLA_POST)
    assert matter.kind == "toml"
    assert matter.data["taxonomies"] == {"tags": ["sea", "physics"], "categories": ["Science"]}
    assert matter.data["extra"] == {"mood": "calm"}
    assert matter.lines[("title",)] == 2
    assert matter.lines[("taxonomies",)] == 5
    assert matter.body_line == 11


def test_pelican_headers_continue_on_indented_lines() -> None:
    matter = read_front_matter("Title: A long\n    title\nDate: 2020-01-01\n\nBody\n")
    assert matter.kind == "headers"
    assert matter.data == {"title": "A long title", "date": "2020-01-01"}
    assert matter.body == "Body\n"
    assert matter.body_line == 5


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('+++\ntitle = "x"\ndate = 2020-01-01\ntags = ["a",\n+++\n', 4, "invalid TOML: Invalid value"),
        ("+++\ntitle = Unquoted\n+++\n", 2, "invalid TOML: Invalid value"),
        ('+++\ntitle = "x"\n', 1, "front matter is not closed: add a line '+++' after the last field"),
        ('{\n  "title": "x",\n  "date": 2020-01-01\n}\n', 3, "invalid JSON front matter: Expecting ',' delimiter"),
    ],
)
def test_unreadable_front_matter_keeps_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        read_front_matter(text)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_a_toml_error_is_reported_with_path_and_line(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/bad.md": '+++\ntitle = "Bad"\ndate = 2020-13-01\n+++\nText\n'})
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        "content/bad.md:3: invalid TOML: Expected newline or end of document after a statement"
    ]
