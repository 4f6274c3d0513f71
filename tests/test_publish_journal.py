"""The publish journal: a committed one is finished, an uncommitted one undone, a bad one refused."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeSite, Run, article, tree_bytes

from sitegen.publish_journal import Journal, commit_journal, journal_file, new_side_folder, remove_leftovers

SitegenRun = Callable[..., Run]
OLD = {"a/old.html": b"old\n", "a/same.html": b"same\n", "gone.html": b"gone\n"}
NEW = {"a/old.html": b"new\n", "a/same.html": b"same\n", "b/added.html": b"added\n"}
CHANGES = Journal(replace=("a/old.html", "b/added.html"), remove=("gone.html",))


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)


def stage(site: Path, files: dict[str, bytes]) -> Path:
    """A side folder beside ``site`` holding ``files``, as a build writes it before committing."""
    side = new_side_folder(site)
    side.mkdir()
    write_tree(side, files)
    return side


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # paths in warnings are shown relative to it
    write_tree(tmp_path / "site", OLD)
    return tmp_path / "site"


def test_a_committed_journal_is_rolled_forward(site: Path) -> None:
    side = stage(site, {"a/old.html": b"new\n", "b/added.html": b"added\n"})
    commit_journal(side, CHANGES)
    assert remove_leftovers(site) == []
    assert tree_bytes(site) == NEW
    assert sorted(os.listdir(site.parent)) == ["site"]


def test_a_journal_half_applied_when_the_build_was_killed_is_finished(site: Path) -> None:
    side = stage(site, {"a/old.html": b"new\n", "b/added.html": b"added\n"})
    commit_journal(side, CHANGES)
    (site / "gone.html").unlink()  # the killed build had removed one file and moved one in
    (site / "b").mkdir()
    os.replace(side / "b/added.html", site / "b/added.html")
    assert remove_leftovers(site) == []
    assert tree_bytes(site) == NEW
    assert remove_leftovers(site) == []  # finishing twice changes nothing
    assert tree_bytes(site) == NEW
    assert sorted(os.listdir(site.parent)) == ["site"]


def test_an_uncommitted_side_folder_is_rolled_back(site: Path) -> None:
    side = stage(site, {"a/old.html": b"new\n"})
    journal_file(side).with_suffix(".journal.tmp").write_bytes(b"sitegen publish journal\nsha256 12")  # half written
    assert remove_leftovers(site) == []
    assert tree_bytes(site) == OLD
    assert sorted(os.listdir(site.parent)) == ["site"]


def damage_flip(data: bytes) -> bytes:
    return data[:-3] + bytes([data[-3] ^ 1]) + data[-2:]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (damage_flip, "its checksum does not match its contents (the file is damaged)"),
        (lambda data: data[:40], "its checksum line is missing"),
        (lambda data: b"#!/bin/sh\nrm -rf /\n", "it is not a sitegen publish journal"),
    ],
)
def test_a_damaged_journal_is_discarded_with_a_warning(site: Path, damage: object, reason: str) -> None:
    side = stage(site, {"a/old.html": b"new\n", "b/added.html": b"added\n"})
    commit_journal(side, CHANGES)
    journal = journal_file(side)
    assert callable(damage)
    journal.write_bytes(damage(journal.read_bytes()))
    warnings = [str(warning) for warning in remove_leftovers(site)]
    assert warnings == [f"{journal.name}: discarded an unfinished update of site: {reason}; rewriting it"]
    assert tree_bytes(site) == OLD
    assert sorted(os.listdir(site.parent)) == ["site"]


def test_a_journal_entry_leading_out_of_the_folder_is_refused(site: Path) -> None:
    outside = site.parent / "outside.txt"
    outside.write_text("mine\n")
    side = stage(site, {"x.html": b"evil\n"})
    commit_journal(side, Journal(replace=("../outside.txt",), remove=("../outside.txt",)))
    warnings = [str(warning) for warning in remove_leftovers(site)]
    reason = "it names a path outside the output folder: '../outside.txt'"
    assert warnings == [f"{journal_file(side).name}: discarded an unfinished update of site: {reason}; rewriting it"]
    assert outside.read_text() == "mine\n"
    assert tree_bytes(site) == OLD


@pytest.mark.parametrize(
    ("journal", "reason"),
    [
        (
            Journal(replace=("link/keep.html",), remove=()),
            "refusing to write through {link}: it is not a folder (a symlink?)",
        ),
        (Journal(replace=(), remove=("link/keep.html",)), "refusing to write through {link}: it is a symlink"),
    ],
)
def test_a_journal_entry_through_a_symlink_is_refused(site: Path, journal: Journal, reason: str) -> None:
    elsewhere = site.parent / "elsewhere"
    write_tree(elsewhere, {"keep.html": b"mine\n"})
    (site / "link").symlink_to(elsewhere, target_is_directory=True)
    side = stage(site, {"link/keep.html": b"evil\n"})
    commit_journal(side, journal)
    warnings = [str(warning) for warning in remove_leftovers(site)]
    shown = reason.format(link=site / "link")
    assert warnings == [f"{journal_file(side).name}: discarded an unfinished update of site: {shown}; rewriting it"]
    assert tree_bytes(elsewhere) == {"keep.html": b"mine\n"}
    assert sorted(os.listdir(site.parent)) == ["elsewhere", "site"]


def test_a_symlink_in_the_side_folder_is_not_published(site: Path) -> None:
    secret = site.parent / "secret.txt"
    secret.write_text("secret\n")
    side = stage(site, {})
    (side / "leak.html").symlink_to(secret)
    commit_journal(side, Journal(replace=("leak.html",), remove=()))
    warnings = [str(warning) for warning in remove_leftovers(site)]
    reason = f"refusing to publish {side / 'leak.html'}: it is not a plain file"
    assert warnings == [f"{journal_file(side).name}: discarded an unfinished update of site: {reason}; rewriting it"]
    assert tree_bytes(site) == OLD


def four_articles() -> dict[str, str]:
    return {f"content/{name}.md": article(name, f"2024-0{month}-01") for month, name in enumerate("abcd", 1)}


def test_an_edit_moves_in_only_what_changed_and_leaves_a_users_own_files(
    make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path
) -> None:
    root = make_site(four_articles())
    assert sitegen("build", cwd=root).code == 0
    site = root / "site"
    (site / "notes").mkdir()
    (site / "notes/mine.txt").write_text("mine\n")  # not in the manifest: the journal never touches it
    kept = site / "2024/04/d/index.html"
    before = (kept.stat().st_mtime_ns, kept.stat().st_ctime_ns, site.stat().st_ino)
    (root / "content/c.md").write_text(article("c", "2024-03-01", "Edited."))
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert (kept.stat().st_mtime_ns, kept.stat().st_ctime_ns, site.stat().st_ino) == before  # not even linked anew
    assert "Edited." in (site / "2024/03/c/index.html").read_text()
    assert (site / "notes/mine.txt").read_text() == "mine\n"
    assert sitegen("build", "-o", str(tmp_path / "clean"), cwd=root).code == 0
    assert {k: v for k, v in tree_bytes(site).items() if k != "notes/mine.txt"} == tree_bytes(tmp_path / "clean")
    assert [name for name in os.listdir(root) if name.startswith(".sitegen-")] == []


def test_removed_articles_vanish_and_their_emptied_folders_too(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(four_articles())
    assert sitegen("build", cwd=root).code == 0
    inode = (root / "site").stat().st_ino
    (root / "content/a.md").unlink()
    assert sitegen("build", cwd=root).code == 0
    assert (root / "site").stat().st_ino == inode
    assert not (root / "site/2024/01").exists()


def test_a_users_file_where_a_new_page_goes_makes_the_build_replace_the_folder_whole(
    make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path
) -> None:
    root = make_site(four_articles())
    assert sitegen("build", cwd=root).code == 0
    planted = root / "site/2024/05/e/index.html"
    planted.parent.mkdir(parents=True)
    planted.write_text("mine\n")
    (root / "content/e.md").write_text(article("e", "2024-05-01"))
    assert sitegen("build", cwd=root).code == 0
    assert "<h1>e</h1>" in planted.read_text()
    assert sitegen("build", "-o", str(tmp_path / "clean"), cwd=root).code == 0
    assert tree_bytes(root / "site") == tree_bytes(tmp_path / "clean")


def test_a_damaged_journal_beside_the_site_is_one_warning_and_a_correct_site(
    make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path
) -> None:
    root = make_site(four_articles())
    assert sitegen("build", cwd=root).code == 0
    side = stage(root / "site", {"2024/02/b/index.html": b"half an update\n"})
    journal_file(side).write_bytes(b"garbage")
    (root / "content/b.md").write_text(article("b", "2024-02-01", "Edited."))
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert run.err == (
        f"{journal_file(side).name}: warning: discarded an unfinished update of site: "
        "it is not a sitegen publish journal; rewriting it\n"
    )
    assert "Traceback" not in run.err
    assert sitegen("build", "-o", str(tmp_path / "clean"), cwd=root).code == 0
    assert tree_bytes(root / "site") == tree_bytes(tmp_path / "clean")
    assert [name for name in os.listdir(root) if name.startswith(".sitegen-")] == []


def test_an_edit_in_a_large_archive_equals_a_clean_build_and_keeps_the_other_search_files(
    make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path
) -> None:
    """240 articles: the search index is made in a child, which leaves the files that did not change."""
    words = ["grid", "turbine", "harbour", "ferry", "glacier", "drought", "tariff", "battery", "pylon", "levee"]
    root = make_site(
        {
            f"content/{number:03d}.md": article(
                f"Article {number}", f"2023-{number % 12 + 1:02d}-11", " ".join(words[number % 7 :] * 8) + f" w{number}"
            )
            for number in range(240)
        }
    )
    assert sitegen("build", "--jobs", "2", cwd=root).code == 0
    search = root / "site/search"
    before = {path: path.stat().st_mtime_ns for path in search.rglob("*") if path.is_file()}
    edited = root / "content/005.md"
    edited.write_text(edited.read_text() + "\nA quokka, newly seen.\n")
    assert sitegen("build", "--jobs", "2", cwd=root).code == 0
    after = {path: path.stat().st_mtime_ns for path in search.rglob("*") if path.is_file()}
    kept = [path for path in before if after.get(path) == before[path]]
    assert 0 < len(before) - len(kept) < len(before) // 4  # a few files changed; the rest kept their mtimes
    assert sitegen("build", "-o", str(tmp_path / "clean"), cwd=root).code == 0
    assert tree_bytes(root / "site") == tree_bytes(tmp_path / "clean")
