"""Other generators' field names, mapped onto sitegen's by the one table in aliases.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run

from sitegen.content.conventions.aliases import FIELD_ALIASES, KNOWN_ELSEWHERE, OWN_FIELDS

SitegenRun = Callable[..., Run]

JEKYLL_POST = """---
layout: post
title: Spring release
categories: release notes
tags: security privacy
author: '[Ada Quill](https://example.org/ada)'
excerpt: What changed this spring.
last_modified_at: 2016-04-01 9:00:00 +0000
canonical_url: https://old.example.org/spring
image: img/flowers.png
---
Text of the release.
"""

HUGO_POST = """---
title: Winter notes
date: 2018-01-05T10:00:00Z
lastmod: 2018-02-01
category: Field Notes
tags: [snow, "cold days"]
authors: [Bo Frost, Cy Ice]
description: Notes from a cold month.
summary: The summary field wins over description.
weight: 10
cover: /shared/cover.png
---
Snow.
"""


def test_jekyll_and_hugo_fields_fill_sitegen_s(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "sitegen.yaml": 'title: Archive\nbase_url: "https://archive.example.org/"\n',
            "content/_posts/2016-03-10-spring.md": JEKYLL_POST,
            "content/_posts/img/flowers.png": b"\x89PNG flowers",
            "content/winter.md": HUGO_POST,
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err == ""
    spring = (root / "site/2016/03/spring/index.html").read_text()
    for topic in ("release", "notes"):  # Jekyll splits a categories string on spaces
        assert (root / f"site/topics/{topic}/index.html").exists()
    for tag in ("security", "privacy"):
        assert (root / f"site/tags/{tag}/index.html").exists()
    assert ">Ada Quill</a>" in spring
    assert "[Ada Quill]" not in spring
    assert '<meta name="description" content="What changed this spring.">' in spring
    assert '<p class="dek">What changed this spring.</p>' in spring
    assert '<meta property="article:modified_time" content="2016-04-01T09:00:00+00:00">' in spring
    assert '<a href="https://old.example.org/spring" rel="external noopener">original article</a>' in spring
    assert '<meta property="og:image" content="https://archive.example.org/2016/03/spring/img/flowers.png">' in spring
    assert '<figure class="lead-image"><img src="img/flowers.png" alt=""></figure>' in spring
    assert (root / "site/2016/03/spring/img/flowers.png").read_bytes() == b"\x89PNG flowers"

    winter = (root / "site/2018/01/winter/index.html").read_text()
    assert (root / "site/topics/field-notes/index.html").exists()  # category is one name
    assert (root / "site/tags/cold-days/index.html").exists()  # a list stays a list
    for author in ("bo-frost", "cy-ice"):
        assert (root / f"site/authors/{author}/index.html").exists()
    assert '<meta name="description" content="The summary field wins over description.">' in winter
    assert '<meta property="og:image" content="https://archive.example.org/shared/cover.png">' in winter


def test_unpublished_and_pelican_draft_posts_are_drafts(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/_posts/2020-01-01-hidden.md": "---\ntitle: Hidden\npublished: false\n---\nx\n",
            "content/pelican.md": "Title: Later\nDate: 2020-01-02\nStatus: draft\n\nx\n",
            "content/_drafts/someday.md": "---\ntitle: Someday\ndate: 2020-01-03\n---\nx\n",
            "content/shown.md": "---\ntitle: Shown\ndate: 2020-01-04\npublished: true\n---\nx\n",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.out.startswith("built 1 article into")
    run = sitegen("build", "--drafts", cwd=root)
    assert run.out.startswith("built 4 articles")


def test_the_table_maps_only_onto_sitegen_s_fields_and_shadows_none() -> None:
    assert {alias.target for alias in FIELD_ALIASES} <= OWN_FIELDS | {"image"}
    assert len({alias.name for alias in FIELD_ALIASES}) == len(FIELD_ALIASES)
    assert not KNOWN_ELSEWHERE & {alias.name for alias in FIELD_ALIASES}


def test_readme_lists_every_alias() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    for alias in FIELD_ALIASES:
        target = "lead image" if alias.target == "image" else f"`{alias.target}`"
        assert f"| `{alias.name}` | {target} |" in readme


def test_folders_above_jekyll_posts_are_categories(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {"content/news/_posts/2020-01-02-launch.md": "---\ntitle: Launch\ncategories: [Rockets]\n---\nUp.\n"}
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert sorted(p.name for p in (root / "site/topics").iterdir() if p.is_dir()) == ["news", "rockets"]
