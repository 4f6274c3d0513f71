"""Killing an incremental build at any step of its publish never loses the site.

The journal publish changes ``site/`` file by file, so a kill in the middle may leave it
mixed for a moment: then the next build's first act (``remove_leftovers``) finishes it. At
every point the site is the old one or the new one, at once or after that recovery, and the
next build's site is a clean build's.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from conftest import article, tree_bytes

from sitegen.publish_journal import JOURNAL_PREFIX, remove_leftovers

ARTICLES = 40
KILL_AT = Path(__file__).with_name("kill_at.py")
SPREAD = 10  # kills spread over the publish's renames and removals, besides those around its commit


def write_archive(root: Path, edited: bool) -> None:
    """40 articles; the edited version changes one, removes one and adds one."""
    numbers = [*range(ARTICLES - 1), ARTICLES] if edited else list(range(ARTICLES))
    for path in (root / "content").glob("*.md"):
        path.unlink()
    for number in numbers:
        path = root / "content" / f"{number:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = f"Paragraph of article {number}{', edited' if edited and number == 5 else ''}. " * 20
        topics = f'["Topic {number % 7}"]'
        path.write_text(article(f"Article {number}", f"2023-{number % 12 + 1:02d}-11", body, topics=topics))


def build(root: Path, kill_at: int, events: Path, *args: str) -> int:
    command = [sys.executable, str(KILL_AT), str(kill_at), str(events), *args]
    return subprocess.run(command, cwd=root, timeout=300, check=False).returncode


def restore(snapshot: Path, root: Path) -> None:
    shutil.rmtree(root)
    shutil.copytree(snapshot, root, symlinks=True)  # mtimes kept: the cache's manifest still describes site/


def kill_points(events: list[str]) -> list[int]:
    """Steps to kill the build at: around the journal's commit and end, spread over the rest of
    the publish, the cache's save after it, and a few before (staging, the search index, the lock)."""
    publish = [number for number, event in enumerate(events) if JOURNAL_PREFIX in event or " site/" in event]
    journal = [
        number for number in publish if ".journal" in events[number] or events[number].startswith("shutil.rmtree")
    ]
    cache = [
        number for number, event in enumerate(events) if event.startswith(("open .sitegen/", "os.rename .sitegen/"))
    ]
    chosen = set(publish[:: max(1, len(publish) // SPREAD)]) | set(journal) | {number + 1 for number in journal}
    chosen |= set(cache) | set(range(0, publish[0], max(1, publish[0] // 4)))
    return sorted(point for point in chosen if point < len(events))


def test_sigkill_at_every_step_of_a_journal_publish(tmp_path: Path) -> None:
    root, events_file = tmp_path / "archive", tmp_path / "events.txt"
    write_archive(root, edited=False)
    assert build(root, -1, events_file) == 0
    old, inode = tree_bytes(root / "site"), (root / "site").stat().st_ino
    write_archive(root, edited=True)
    snapshot = tmp_path / "snapshot"
    shutil.copytree(root, snapshot, symlinks=True)
    assert build(root, -1, events_file) == 0  # the build each kill interrupts, run to its end
    new = tree_bytes(root / "site")
    assert new != old
    assert (root / "site").stat().st_ino == inode  # published through the journal, not swapped
    assert build(root, -1, tmp_path / "clean-events.txt", "-o", str(tmp_path / "clean")) == 0
    assert tree_bytes(tmp_path / "clean") == new
    events = events_file.read_text(encoding="utf-8").splitlines()
    renamed = [event for event in events if event.startswith(f"os.rename {JOURNAL_PREFIX}site-") and "/" in event]
    assert len(renamed) >= 10  # files moved from the side folder into place
    outcomes = {"old": 0, "new": 0, "finished by the next build": 0}
    for point in kill_points(events):
        restore(snapshot, root)
        assert build(root, point, events_file) == -signal.SIGKILL, f"the build ended before step {point}"
        site = tree_bytes(root / "site")
        assert remove_leftovers(root / "site") == []  # what the next build does first
        recovered = tree_bytes(root / "site")
        assert recovered in (old, new), f"kill at {point} ({events[point]}): neither the old nor the new site"
        if site != recovered:
            outcomes["finished by the next build"] += 1
        outcomes["old" if recovered == old else "new"] += 1
        assert build(root, -1, tmp_path / "next-events.txt") == 0
        assert tree_bytes(root / "site") == new, f"kill at {point} ({events[point]}): the next build differs"
        assert [name for name in os.listdir(root) if name.startswith(".sitegen-")] == []
    assert outcomes["old"] >= 1 and outcomes["new"] >= 1 and outcomes["finished by the next build"] >= 1, outcomes
