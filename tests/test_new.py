"""``sitegen new``: an article with its front matter filled in, at content/{year}/{slug}.md."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from conftest import Run

SitegenRun = Callable[..., Run]


def test_new_writes_an_article_that_builds_and_prints_its_path(tmp_path: Path, sitegen: SitegenRun) -> None:
    assert sitegen("init", "archive", cwd=tmp_path).code == 0
    root = tmp_path / "archive"
    before = datetime.now().astimezone()
    run = sitegen("new", "Ferries: go électrique!", "--topics", "Energy, Sea, Energy", cwd=root)
    after = datetime.now().astimezone()

    assert run.code == 0, run.err
    path = Path(run.out.strip())
    assert path == Path(f"content/{before.year}/ferries-go-électrique.md") or before.year != after.year
    text = (root / path).read_text(encoding="utf-8")
    fields = yaml.safe_load(text.split("---\n")[1])
    assert fields["title"] == "Ferries: go électrique!"
    assert fields["topics"] == ["Energy", "Sea"]
    written = fields["date"]
    assert isinstance(written, datetime) and written.utcoffset() == before.utcoffset()
    assert before - timedelta(seconds=1) <= written <= after

    build = sitegen("build", cwd=root)
    assert build.code == 0, build.err
    assert "Ferries: go électrique!" in (root / "site/topics/energy/index.html").read_text(encoding="utf-8")


def test_new_refuses_to_overwrite_an_article(tmp_path: Path, sitegen: SitegenRun) -> None:
    root = tmp_path / "archive"
    (root / "content").mkdir(parents=True)
    first = sitegen("new", "Tide tables", cwd=root)
    path = root / first.out.strip()
    path.write_text("my own words", encoding="utf-8")

    again = sitegen("new", "Tide Tables", cwd=root)

    assert again.code == 1
    assert (
        again.err
        == f"sitegen: {first.out.strip()} already exists; not overwritten (edit it, or choose another title)\n"
    )
    assert path.read_text(encoding="utf-8") == "my own words"


def test_new_outside_an_archive_says_how_to_make_one(tmp_path: Path, sitegen: SitegenRun) -> None:
    run = sitegen("new", "Tide tables", "--root", "elsewhere", cwd=tmp_path)
    assert run.code == 1
    assert (
        run.err
        == "sitegen: elsewhere has no content/ folder or sitegen.yaml; make an archive with: sitegen init FOLDER\n"
    )
    assert not (tmp_path / "elsewhere").exists()


def test_new_needs_a_title_with_a_letter_or_digit(tmp_path: Path, sitegen: SitegenRun) -> None:
    (tmp_path / "content").mkdir()
    run = sitegen("new", "?!", cwd=tmp_path)
    assert run.code == 1
    assert run.err == "sitegen: cannot make a file name from the title '?!': give it a letter or digit\n"
