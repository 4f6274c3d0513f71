"""sitegen migrate: an archive from elsewhere rewritten in sitegen's terms, into a new folder."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run, tree_bytes

SitegenRun = Callable[..., Run]

FILES = {
    "content/_config.yml": "title: Old blog\n",
    "content/_includes/note.md": "**Note:** {{ include.text }}\n",
    "content/_posts/2016-03-10-spring.markdown": (
        "---\nlayout: post\ntitle: Spring\ncategories: releases\nredirect_from: /old/spring/\n---\n"
        '# Spring\n\nSee [winter]({% post_url 2015-12-01-winter %}).\n\n{% include note.md text="Careful" %}\n'
        "\n![Flowers](img/flowers.png)\n"
    ),
    "content/_posts/img/flowers.png": b"\x89PNG flowers",
    "content/_posts/2015-12-01-winter.md": "---\ntitle: Winter\ntags: cold snow\n---\nCold.\n",
    "content/trips/north/index.md": (
        '+++\ntitle = "North"\ndate = 2020-05-01T10:00:00Z\n[taxonomies]\ncategories = ["Trips"]\n+++\n'
        '{{< figure src="map.svg" caption="The route" >}}\n'
    ),
    "content/trips/north/map.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "content/lanterns.md": "Title: Lanterns\nDate: 2019-10-05 19:45\nTags: light, town\n\nLamps.\n",
}


def _bodies(site: Path) -> dict[str, str]:
    found = {}
    for page in sorted(site.glob("20*/*/*/index.html")):
        match = re.search(r'<div class="article-body">\n(.*?)\n  </div>', page.read_text(), re.DOTALL)
        if match:
            found[page.parent.relative_to(site).as_posix()] = match.group(1)
    return found


def test_a_migrated_archive_builds_the_same_articles(make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path) -> None:
    root = make_site(FILES)
    before = tree_bytes(root / "content")
    assert sitegen("build", cwd=root).code == 0
    run = sitegen("migrate", cwd=root)
    assert run.code == 0, run.err
    assert run.out == "migrated 4 articles and 2 other files into content-migrated\n"
    assert run.err == "left out 2 files: _config.yml, _includes/note.md\n"
    assert tree_bytes(root / "content") == before  # the old archive is untouched
    migrated = root / "content-migrated"
    assert sorted(p.relative_to(migrated).as_posix() for p in migrated.rglob("*") if p.is_file()) == [
        "lanterns.md", "posts/img/flowers.png", "posts/spring.md", "posts/winter.md",
        "trips/north/index.md", "trips/north/map.svg",
    ]  # fmt: skip
    assert (migrated / "posts/spring.md").read_text() == (
        "---\ntitle: Spring\ndate: '2016-03-10'\ntopics:\n- releases\n"
        "aliases:\n- /old/spring/\n- /releases/2016/03/10/spring.html\nlayout: post\n---\n"
        "See [winter](/2015/12/winter/).\n\n**Note:** Careful\n\n\n![Flowers](img/flowers.png)\n"
    )
    assert (
        (migrated / "trips/north/index.md")
        .read_text()
        .startswith("---\ntitle: North\ndate: '2020-05-01T10:00:00+00:00'\ntopics:\n- Trips\nslug: north\n---\n")
    )

    second = tmp_path / "second"
    shutil.copytree(migrated, second / "content")
    run = sitegen("build", cwd=second)
    assert run.code == 0, run.err
    assert run.err == ""
    assert _bodies(second / "site") == _bodies(root / "site")
    assert (second / "site/old/spring/index.html").exists()
    assert (second / "site/topics/releases/index.html").exists()
    assert (second / "site/tags/snow/index.html").exists()


def test_dry_run_prints_a_diff_and_writes_nothing(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/lanterns.md": FILES["content/lanterns.md"]})
    run = sitegen("migrate", "--dry-run", cwd=root)
    assert run.code == 0, run.err
    assert run.out == "\n".join(
        [
            "--- content/lanterns.md",
            "+++ content-migrated/lanterns.md",
            "@@ -1,5 +1,8 @@",
            "-Title: Lanterns",
            "-Date: 2019-10-05 19:45",
            "-Tags: light, town",
            "-",
            "+---",
            "+title: Lanterns",
            "+date: '2019-10-05T19:45:00'",
            "+tags:",
            "+- light",
            "+- town",
            "+---",
            " Lamps.",
            "",
        ]
    )
    assert not (root / "content-migrated").exists()


def test_migrate_never_writes_over_a_folder(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/lanterns.md": FILES["content/lanterns.md"], "content-migrated/keep.txt": "mine\n"})
    run = sitegen("migrate", cwd=root)
    assert run.code == 1
    assert run.err == "sitegen: content-migrated already exists; migrate writes only into a new folder\n"
    assert (root / "content-migrated/keep.txt").read_text() == "mine\n"
