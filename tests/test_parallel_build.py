"""A build large enough for worker processes makes the very site a single process makes."""

from __future__ import annotations

import gc
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from conftest import MakeSite, Run, article, tree_bytes

from sitegen import workers
from sitegen.build import Builder, BuildOptions, build
from sitegen.config import Config
from sitegen.parallel import MIN_ITEMS_FOR_WORKERS, Background, fork_map

ARTICLES = 230  # above MIN_ITEMS_FOR_WORKERS, so loading and rendering fork


def _archive(make_site: MakeSite) -> Path:
    words = ["harbour", "council", "flood", "budget", "school", "railway", "drought", "election", "museum", "strike"]
    files = {}
    for number in range(ARTICLES):
        body = " ".join(words[(number * 7 + i) % len(words)] for i in range(40 + number % 30))
        files[f"content/{number:03d}.md"] = article(
            title=f"Story {number} about the {words[number % len(words)]}",
            date=f"20{10 + number % 12}-{1 + number % 12:02d}-{1 + number % 27:02d}",
            body=f"{body}.\n\nA second paragraph on item {number}.",
            topics=f"[{words[number % 3]}, {words[number % 5 + 3]}]",
        )
    return make_site(files)


def test_workers_store_analyses_in_the_search_cache_and_build_the_single_process_site(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = _archive(make_site)
    search_cache = root / ".sitegen" / "search" / "search.sqlite"
    alone = Builder(BuildOptions(root=root, out_dir=tmp_path / "alone", workers=1), persist=False)
    alone.build()
    assert len(alone.search_encoded) == ARTICLES  # made in this process, and kept by it
    search_cache.unlink()

    forked = Builder(BuildOptions(root=root, out_dir=tmp_path / "forked", workers=2), persist=False)
    forked.build()

    assert forked.search_encoded == {}  # the workers stored them: this process never held them
    with sqlite3.connect(search_cache) as db:
        assert db.execute("SELECT count(*) FROM record").fetchone() == (ARTICLES,)
    search_cache.unlink()
    report = build(BuildOptions(root=root, out_dir=tmp_path / "cold", workers=2))  # the index made in a child
    assert report.articles == ARTICLES
    single = tree_bytes(tmp_path / "alone")
    assert tree_bytes(tmp_path / "forked") == single
    assert tree_bytes(tmp_path / "cold") == single


def test_jobs_1_builds_in_one_process_the_very_site_all_cores_build(
    make_site: MakeSite, sitegen: Callable[..., Run], tmp_path: Path
) -> None:
    root = _archive(make_site)
    default = sitegen("build", "-o", str(tmp_path / "all"), cwd=root)
    assert default.code == 0, default.err
    shutil.rmtree(root / ".sitegen")  # cold again: every step redone, in one process
    alone = sitegen("build", "--jobs", "1", "-o", str(tmp_path / "one"), cwd=root)
    assert alone.code == 0, alone.err
    assert f", {ARTICLES} articles parsed, " in alone.out
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "all")
    zero = sitegen("build", "--jobs", "0", cwd=root)
    assert zero.code == 2
    assert zero.err.splitlines()[-1] == (
        "sitegen build: error: argument -j/--jobs: must be a whole number of processes, 1 or more, not '0'"
    )


def test_a_file_a_worker_cannot_read_is_reported_by_its_path(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "here.md").write_text(article(title="Here"), encoding="utf-8")
    workers.init_loader(Config(), frozenset({"here.md"}), "content/", "settings", tmp_path)

    here, gone = workers.load_chunk([("here.md", None), ("gone.md", None)])

    assert here.result.article is not None and here.result.article.title == "Here"
    assert here.digest and not gone.digest
    assert [str(problem) for problem in gone.result.errors] == [
        "content/gone.md: cannot be read: No such file or directory"
    ]


def _frozen_objects(chunk: Sequence[int]) -> int:
    return gc.get_freeze_count()


def _nothing() -> None:
    pass


def test_worker_processes_never_collect_the_objects_they_inherit() -> None:
    # A collection in a child would write to each inherited object, copying the pages it
    # shares with the build: children see them frozen, and the build has them back.
    counts = fork_map(_frozen_objects, range(MIN_ITEMS_FOR_WORKERS), initializer=_nothing, initargs=(), workers=2)
    assert len(counts) > 1 and min(counts) > 1000
    assert Background(gc.get_freeze_count).result() > 1000
    assert gc.get_freeze_count() == 0
