"""Run ``sitegen build`` and kill it with SIGKILL just before its N-th change to the archive folder.

    python kill_at.py N EVENTS_FILE [BUILD ARGS...]

An audit hook (``sys.addaudithook``, Python's public interface for watching what a process
does) sees each file operation before it happens: writes, renames, removals, folder
changes, in the build's own process and under the working folder (the archive: ``site/``,
the folders beside it, ``.sitegen/``). The N-th one kills the process, so a test can stop a
build at exactly each step of its publish, with no timing involved. With N = -1 the build
runs to its end and the operations are listed in EVENTS_FILE, one ``event path`` a line.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from sitegen.cli import main

WATCHED = frozenset({"open", "os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.link", "shutil.rmtree"})
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _target(event: str, details: tuple[object, ...]) -> str | None:
    """The path a watched operation changes under the working folder, or None."""
    if event not in WATCHED or not details or not isinstance(details[0], (str, bytes, os.PathLike)):
        return None
    if event == "open":
        mode, flags = details[1], details[2]
        writes = (
            any(letter in mode for letter in "wax+")
            if isinstance(mode, str)
            else isinstance(flags, int) and flags & WRITING
        )
        if not writes:
            return None
    path = os.path.abspath(os.fsdecode(details[0]))
    root = os.getcwd()
    return os.path.relpath(path, root) if path.startswith(root + os.sep) else None


def run(kill_at: int, events_file: Path, args: list[str]) -> int:
    """Build with ``args``; kill this process before operation ``kill_at`` (or list them all)."""
    own = os.getpid()
    seen: list[str] = []

    def hook(event: str, details: tuple[object, ...]) -> None:
        if os.getpid() != own:  # a worker or the search index's child: not the publish
            return
        target = _target(event, details)
        if target is None:
            return
        if len(seen) == kill_at:
            os.kill(own, signal.SIGKILL)
        seen.append(f"{event} {target}")

    sys.addaudithook(hook)
    code = main(["build", "-q", *args])
    if kill_at < 0:
        events_file.write_text("".join(f"{line}\n" for line in seen), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(run(int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]))
