"""sitegen serve ignores the temporary files editors and tools write beside the files they save."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import MakeSite, article

from sitegen.serve.changes import classify, is_editor_temporary

TEMPORARY = [
    "sedUpswuP",
    "4913",
    ".#alpha.md",
    "alpha.md~",
    ".alpha.md.swp",
    ".alpha.md.swx",
    "alpha.md.tmp",
    "#alpha.md#",
]


@pytest.mark.parametrize("name", TEMPORARY)
def test_editor_temporary_files_are_not_changes(name: str, tmp_path: Path) -> None:
    changes = classify(tmp_path, [tmp_path / "content/2024" / name, tmp_path / "templates" / name])
    assert changes.empty


@pytest.mark.parametrize("name", ["alpha.md", "chart.png", "sedimentation.md", "4913-report.pdf", "notes.txt"])
def test_ordinary_names_are_not_temporary(name: str) -> None:
    assert not is_editor_temporary(name)


class Lines:
    """A child's output lines, read on a thread so that waiting for one can time out."""

    def __init__(self, stream: object) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line.rstrip("\n"))

    def until(self, wanted: str, timeout: float = 60) -> list[str]:
        """Every line up to and including the first that contains ``wanted``."""
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no line with {wanted!r} in {timeout} s; got {seen}") from None
            seen.append(line)
            if wanted in line:
                return seen


def test_serve_neither_logs_nor_rebuilds_for_editor_files(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/2024/alpha.md": article("Alpha", "2024-01-10", "Alpha body."),
            "content/2024/beta.md": article("Beta", "2024-02-10", "Beta body."),
        }
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        output = Lines(child.stdout)
        output.until("serving ")
        folder = root / "content/2024"
        # An edit the watcher reports proves it is watching before the temporary files come;
        # the watcher starts after the line above, so the first edits may come too early.
        for attempt in range(20):
            (folder / "beta.md").write_text(article("Beta", "2024-02-10", f"Beta, edited {attempt} times."))
            try:
                output.until("articles: 2024/beta.md", timeout=3)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError("the watcher never reported an edit")
        for name in TEMPORARY:  # written and removed, as editors and sed -i do
            (folder / name).write_text("temporary")
            (folder / name).unlink()
        (folder / "alpha.md").write_text(article("Alpha", "2024-01-10", "Alpha, edited."))
        logged = output.until("2024/alpha.md")
        assert len(logged) == 1 and logged[0].startswith("articles: 2024/alpha.md: ")  # nothing before it
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)
