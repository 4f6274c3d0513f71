"""Killing a build at any moment, or running two at once, never loses the site."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from conftest import article, tree_bytes

ARTICLES = 160  # enough pages (over 200) for a build on a pipe to print each step as it ends
LINE_TIMEOUT = 120.0  # seconds; a bound on a wait for a real line, never a pause


def write_archive(root: Path, version: str, count: int = ARTICLES) -> None:
    for number in range(count):
        path = root / "content" / f"{number:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        topics = f'["Topic {number % 7}"]'
        body = f"Paragraph of article {number}, {version}. " * 20
        path.write_text(article(f"Article {number} {version}", f"2023-{number % 12 + 1:02d}-11", body, topics=topics))


def start_build(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def error_lines(process: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The lines ``process`` writes to stderr, as they come; None once it closes the stream."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_sigkill_at_many_points_leaves_a_complete_site(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    write_archive(root, "first")
    assert start_build(root, "-q").wait(timeout=300) == 0
    old = tree_bytes(root / "site")
    write_archive(root, "second")
    _, shown = start_build(root).communicate(timeout=300)  # the very build each kill interrupts
    new = tree_bytes(root / "site")
    assert new != old
    steps = shown.splitlines()  # each step's line as it ends; the first ones come at once
    write_archive(root, "first")
    assert start_build(root, "-q").wait(timeout=300) == 0
    assert tree_bytes(root / "site") == old
    write_archive(root, "second")
    rendering = next(number for number, line in enumerate(steps) if line.startswith("  render: "))
    # Killed as soon as the build starts, once the steps before rendering have ended, and
    # right after each line from then on: rendering, the search index, the write, the end.
    kill_points = [None, *range(rendering, len(steps))]
    outcomes = {"old": 0, "new": 0}
    for point in kill_points:
        process = start_build(root)
        lines = error_lines(process)
        for _ in range(0 if point is None else point + 1):
            assert lines.get(timeout=LINE_TIMEOUT) is not None, f"the build ended before line {point}"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        site = tree_bytes(root / "site")
        assert site in (old, new), f"kill after line {point}: site is neither the old nor the new one"
        outcomes["old" if site == old else "new"] += 1
        if site == new:  # rewind, so later kills again interrupt a build that changes the site
            write_archive(root, "first")
            assert start_build(root, "-q").wait(timeout=300) == 0
            write_archive(root, "second")
    assert outcomes["old"] >= 2  # at least the kills at the start and while rendering
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
        waiting = start_build(root)
        lines = error_lines(waiting)
        said = lines.get(timeout=LINE_TIMEOUT)
        assert said == "another build of this archive is running; waiting for it to finish"
        assert waiting.poll() is None  # it said so while the lock was held, and waits on
    assert waiting.wait(timeout=120) == 0
    assert lines.get(timeout=LINE_TIMEOUT) is None  # nothing else on stderr: the build went ahead
