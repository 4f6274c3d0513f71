"""On a terminal, a web import shows each page as it finishes: how far, and failures so far."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from .web_server import WebServer, page


def test_progress_lines_on_a_terminal(tmp_path: Path, web: WebServer) -> None:
    web.routes["/ferry"] = page("ferry-timetable.html")
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "sitegen", "import", web.url("/missing"), web.url("/ferry"), "--delay", "0"]
    child = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the child has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert child.wait(timeout=60) == 1
    assert (
        child.stdout is not None
        and child.stdout.read() == "content/2024/island-ferry-adds-an-early-sailing-on-weekdays.md\n"
    )
    child.stdout.close()
    assert b"".join(chunks).decode().splitlines() == [
        f"[1/2, 1 failed] {web.url('/missing')}",
        f"[2/2, 1 failed] {web.url('/ferry')}",
        f"{web.url('/missing')}: HTTP 404 Not Found",
        "1 article imported; 1 failed",
    ]
