"""Killing a build at any moment, or running two at once, never loses the site."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import article, tree_bytes

KILL_POINTS = 14


def write_archive(root: Path, version: str, count: int = 120) -> None:
    for number in range(count):
        path = root / "content" / f"{number:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        topics = f'["Topic {number % 7}"]'
        body = f"Paragraph of article {number}, {version}. " * 20
        path.write_text(article(f"Article {number} {version}", f"2023-{number % 12 + 1:02d}-11", body, topics=topics))


def start_build(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", "-q", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_at_many_points_leaves_a_complete_site(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    write_archive(root, "first")
    assert start_build(root).wait(timeout=300) == 0
    old = tree_bytes(root / "site")
    write_archive(root, "second")
    reference = start_build(root, "-o", str(tmp_path / "reference"))
    assert reference.wait(timeout=300) == 0
    new = tree_bytes(tmp_path / "reference")
    assert new != old

    started = time.perf_counter()
    assert start_build(root, "-o", str(tmp_path / "timing")).wait(timeout=300) == 0
    duration = time.perf_counter() - started
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0}
    for point in range(KILL_POINTS):
        process = start_build(root)
        time.sleep(rng.uniform(0.05, duration * 1.1) if point else 0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        site = tree_bytes(root / "site")
        assert site in (old, new), f"kill point {point}: site is neither the old nor the new one"
        outcomes["old" if site == old else "new"] += 1
        if site == new:  # rewind, so later kills again interrupt a build that changes the site
            write_archive(root, "first")
            assert start_build(root).wait(timeout=300) == 0
            write_archive(root, "second")
    assert outcomes["old"] >= 1  # the kills did interrupt builds midway
    finished = start_build(root)
    assert finished.wait(timeout=300) == 0, finished.stderr.read() if finished.stderr else ""
    assert tree_bytes(root / "site") == new
    leftovers = [name for name in os.listdir(tmp_path / "archive") if name.startswith((".sitegen-new", ".sitegen-old"))]
    assert leftovers == []


def test_two_builds_at_once_take_turns(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    write_archive(root, "only", count=60)
    first, second = start_build(root), start_build(root)
    assert first.wait(timeout=300) == 0
    assert second.wait(timeout=300) == 0
    reference = start_build(root, "-o", str(tmp_path / "reference"))
    assert reference.wait(timeout=300) == 0
    assert tree_bytes(root / "site") == tree_bytes(tmp_path / "reference")


def test_a_waiting_build_says_so(tmp_path: Path) -> None:
    import fcntl

    root = tmp_path / "archive"
    write_archive(root, "only", count=5)
    (root / ".sitegen").mkdir()
    with open(root / ".sitegen/build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "build"], cwd=root, stderr=subprocess.PIPE, text=True
        )
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting for the lock
    assert waiting.wait(timeout=120) == 0
    assert waiting.stderr is not None
    assert "another build of this archive is running; waiting for it to finish" in waiting.stderr.read()
