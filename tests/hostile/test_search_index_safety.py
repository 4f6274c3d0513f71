"""``sitegen search`` opens only a whoosh index this user's sitegen sealed; cached analyses are data."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

from conftest import MakeSite, article
from whoosh.filedb.filestore import FileStorage  # type: ignore[import-untyped]
from whoosh.index import TOC  # type: ignore[import-untyped]

from sitegen.search.seal import seal_index

WHOOSH = ".sitegen/search/whoosh"


class Planted:
    """A pickle that creates a file when it is unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def run(root: Path, cache_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args],
        cwd=root,
        env={**os.environ, "XDG_CACHE_HOME": str(cache_home)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def plant(folder: Path, marker: Path) -> None:
    """Replace the index's table of contents with one whose segment list runs code when read."""
    storage = FileStorage(str(folder))
    toc = TOC.read(storage, "articles")
    (folder / f"_articles_{toc.generation}.toc").unlink()
    TOC(toc.schema, [Planted(marker)], toc.generation).write(storage, "articles")


def archive(make_site: MakeSite) -> Path:
    return make_site(
        {
            "content/ferry.md": article("Ferry timetables", "2024-01-02", "The ferry runs late in winter."),
            "content/rail.md": article("Rail tender", "2024-02-03", "A tender for rail freight."),
        }
    )


def test_a_planted_whoosh_index_runs_nothing_and_is_rebuilt(make_site: MakeSite, tmp_path: Path) -> None:
    root, cache_home, marker = archive(make_site), tmp_path / "cache", tmp_path / "pwned"
    assert run(root, cache_home, "build").returncode == 0
    first = run(root, cache_home, "search", "ferry")
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert (cache_home / "sitegen/index-key").stat().st_mode & 0o777 == 0o600

    plant(root / WHOOSH, marker)

    second = run(root, cache_home, "search", "ferry")
    assert not marker.exists()
    assert second.returncode == 0, second.stderr
    assert second.stderr == (
        f"{WHOOSH}: warning: the search index does not match its seal (damaged, or not written by this user's "
        "sitegen); rebuilding it\n"
    )
    assert second.stdout == first.stdout
    third = run(root, cache_home, "search", "ferry")
    assert (third.stderr, third.stdout) == ("", first.stdout)


def test_an_index_sealed_with_another_users_key_is_not_opened(make_site: MakeSite, tmp_path: Path) -> None:
    root, marker = archive(make_site), tmp_path / "pwned"
    assert run(root, tmp_path / "theirs", "build").returncode == 0
    assert run(root, tmp_path / "theirs", "search", "rail").returncode == 0
    plant(root / WHOOSH, marker)
    (root / WHOOSH / "sitegen-seal").unlink()
    seal_index(root / WHOOSH, b"k" * 32)  # the planter seals with a key of their own
    mine = run(root, tmp_path / "mine", "search", "rail")
    assert not marker.exists()
    assert mine.returncode == 0, mine.stderr
    assert "1. Rail tender" in mine.stdout


def test_cached_analyses_of_the_wrong_shape_are_analysed_again(make_site: MakeSite, tmp_path: Path) -> None:
    root, cache_home = archive(make_site), tmp_path / "cache"
    assert run(root, cache_home, "build").returncode == 0
    before = run(root, cache_home, "search", "ferry OR rail")
    bad = [zlib.compress(b'["too", "short"]'), zlib.compress(b'["/x/", "t", "d", "1", "s", "en", "x", [], []]')]
    with sqlite3.connect(root / ".sitegen/search/search.sqlite") as db:
        keys = [key for (key,) in db.execute("SELECT key FROM record")]
        for key, blob in zip(keys, bad, strict=True):
            db.execute("UPDATE record SET data = ? WHERE key = ?", (blob, key))
    shutil.rmtree(root / "site")  # no index files to reuse: every record is read, and redone
    shutil.rmtree(root / WHOOSH)
    assert run(root, cache_home, "build").returncode == 0
    after = run(root, cache_home, "search", "ferry OR rail")
    assert (after.returncode, after.stderr, after.stdout) == (0, "", before.stdout)
