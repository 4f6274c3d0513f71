"""The build cache is data: a planted or damaged cache never runs code nor breaks a build."""

from __future__ import annotations

import hashlib
import json
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeSite, Run, article, tree_bytes

CACHE = ".sitegen/build-cache.json"
SHARDS = ".sitegen/build-cache"  # the shard files holding the articles' records
SHARD_MAGIC = b"sitegen article shard\n"
OLD_CACHE = ".sitegen/build-cache.pickle"
SitegenRun = Callable[..., Run]
MAGIC = b"sitegen build cache\n"  # the file's first line

ODD_FRONT_MATTER = {
    "rating": "4.5",
    "flags": "[1, 2.5, null, true, {3: three, x: [a]}]",
    "seen": '"2024-01-01T10:00:00+02:00"',
    "blob": "!!binary aGVsbG8=",
    "kinds": "!!set {a, b}",
}


def archive_files() -> dict[str, str]:
    files = {
        f"content/2024/article-{number}.md": article(
            f"Article {number}",
            f"2024-0{number % 9 + 1}-1{number % 10}" if number % 3 else f"2024-02-0{number % 9 + 1}T08:30:00+05:30",
            body=f"Words about topic {number}. [missing](nothing-{number}.md)",
            topics=f'["Topic {number % 3}"]',
            tags='["x", "y"]',
            **ODD_FRONT_MATTER,
        )
        for number in range(12)
    }
    files["content/2024/broken-link.md"] = article("Warned", "2024-05-05", body="See [this](gone.md).")
    return files


class Planted:
    """A pickle that creates a file when it is unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_a_planted_pickle_runs_nothing(make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path) -> None:
    root = make_site(archive_files())
    marker = tmp_path / "pwned"
    (root / ".sitegen").mkdir()
    for name in (CACHE, OLD_CACHE):
        (root / name).write_bytes(pickle.dumps(Planted(marker)))
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert not marker.exists()
    assert (
        f"{CACHE}: warning: ignoring the build cache: it is not a sitegen build cache; it will be rebuilt\n" in run.err
    )


def test_a_cache_with_a_wrong_field_is_one_warning(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(archive_files())
    assert sitegen("build", cwd=root).code == 0
    clean = tree_bytes(root / "site")
    magic, checksum, payload = (root / CACHE).read_bytes().split(b"\n", 2)
    assert (magic + b"\n", checksum[:6]) == (MAGIC, b"crc32 ")
    document = json.loads(payload)
    (shard_name,) = document["articles"]  # the articles' records are in a shard file of their own
    shard_magic, _, shard_payload = (root / SHARDS / shard_name).read_bytes().split(b"\n", 2)
    assert shard_magic + b"\n" == SHARD_MAGIC
    shard = json.loads(shard_payload)
    first = next(iter(shard["articles"]))
    shard["articles"][first][4][4] = 20240101  # a date that is not text
    shard_payload = json.dumps(shard).encode()
    # Put back as the cache would have saved it: a valid checksum, named by its digest.
    shard_data = SHARD_MAGIC + b"crc32 %08x\n" % zlib.crc32(shard_payload) + shard_payload
    renamed = hashlib.blake2b(shard_data, digest_size=16).hexdigest() + ".json"
    (root / SHARDS / renamed).write_bytes(shard_data)
    document["articles"] = [renamed]
    payload = json.dumps(document).encode()
    (root / CACHE).write_bytes(MAGIC + b"crc32 %08x\n" % zlib.crc32(payload) + payload)  # a valid checksum
    run = sitegen("build", cwd=root)
    assert run.code == 0
    cache_lines = [line for line in run.err.splitlines() if "build cache" in line]
    assert cache_lines == [
        f"{CACHE}: warning: ignoring the build cache: it holds invalid data (TypeError); it will be rebuilt"
    ]
    assert tree_bytes(root / "site") == clean


def test_a_warm_build_reuses_every_odd_value(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(archive_files())
    first = sitegen("build", cwd=root)
    assert first.code == 0, first.err
    clean = tree_bytes(root / "site")
    again = sitegen("build", cwd=root)
    assert again.code == 0
    assert "build cache" not in again.err
    assert "(0 rendered), 0 articles parsed, 0 files written" in again.out
    assert tree_bytes(root / "site") == clean


@pytest.mark.parametrize("damaged", ["main file", "article shard"])
def test_150_one_byte_flips_each_rebuild_the_same_site(
    make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path, damaged: str
) -> None:
    root = make_site(archive_files())
    clean_root = make_site(archive_files(), root=tmp_path / "clean")
    assert sitegen("build", cwd=clean_root).code == 0
    clean = tree_bytes(clean_root / "site")
    assert sitegen("build", cwd=root).code == 0
    (shard,) = (root / SHARDS).iterdir()
    target = root / CACHE if damaged == "main file" else shard
    good, good_cache = target.read_bytes(), (root / CACHE).read_bytes()
    positions = sorted({round(step * (len(good) - 1) / 149) for step in range(150)})
    assert len(positions) == 150
    for position in positions:
        flipped = bytearray(good)
        flipped[position] ^= 0x5A
        target.write_bytes(bytes(flipped))
        for build in range(2):  # the build after the damaged one too
            run = sitegen("build", cwd=root)
            assert run.code == 0, (position, run.err)
            assert "Traceback" not in run.err
            assert sum("build cache" in line for line in run.err.splitlines()) <= (1 if build == 0 else 0), run.err
            assert tree_bytes(root / "site") == clean, position
        target.write_bytes(good)
        (root / CACHE).write_bytes(good_cache)  # the builds saved a cache of their own: put the good one back


def test_a_missing_or_foreign_shard_is_one_warning(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(archive_files())
    assert sitegen("build", cwd=root).code == 0
    clean = tree_bytes(root / "site")
    (shard,) = (root / SHARDS).iterdir()
    name = shard.name
    shard.rename(shard.with_name("0" * 32 + ".json"))  # a shard the main file does not name
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert [line for line in run.err.splitlines() if "build cache" in line] == [
        f"{CACHE}: warning: ignoring the build cache: its article shard {name} could not be read "
        "(No such file or directory); it will be rebuilt"
    ]
    assert tree_bytes(root / "site") == clean
    assert [path.name for path in (root / SHARDS).iterdir()] == [name]  # saved again; the stray one removed
    document = json.loads((root / CACHE).read_bytes().split(b"\n", 2)[2])
    document["articles"] = ["../../content/2024/article-1.md"]  # a name that leads out of the folder
    payload = json.dumps(document).encode()
    (root / CACHE).write_bytes(MAGIC + b"crc32 %08x\n" % zlib.crc32(payload) + payload)
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert [line for line in run.err.splitlines() if "build cache" in line] == [
        f"{CACHE}: warning: ignoring the build cache: it holds invalid data (TypeError); it will be rebuilt"
    ]
    assert tree_bytes(root / "site") == clean


def test_a_folder_in_place_of_the_cache_costs_only_warnings(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(archive_files())
    (root / CACHE).mkdir(parents=True)
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    cache_lines = [line for line in run.err.splitlines() if "build cache" in line]
    assert cache_lines == [
        f"{CACHE}: warning: ignoring the build cache: it could not be read (Is a directory); it will be rebuilt",
        f"{CACHE}: warning: the build cache could not be saved (Is a directory); the next build redoes its work",
    ]
    assert "Article 1" in (root / "site/index.html").read_text()


def test_something_else_in_place_of_the_search_cache_is_an_error_not_a_traceback(
    make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path
) -> None:
    root = make_site(archive_files())
    search_cache = root / ".sitegen/search/search.sqlite"
    search_cache.mkdir(parents=True)
    run = sitegen("build", cwd=root)
    assert (run.code, run.err) == (
        1,
        ".sitegen/search/search.sqlite: cannot keep the search cache here (it is not a plain file); remove it\n",
    )
    search_cache.rmdir()
    victim = tmp_path / "notes.txt"
    victim.write_text("mine\n")
    search_cache.symlink_to(victim)
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert victim.read_text() == "mine\n"
