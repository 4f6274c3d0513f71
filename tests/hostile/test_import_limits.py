"""``sitegen import`` reads at most 32 MB of a page, from a file or standard input (issue 22).

The child runs with its address space capped at 1 GB, so code that reads without bound
fails fast instead of taking the machine's memory.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

MESSAGE = "larger than 32 MB, the most a page may be; is it an article page?"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _import(*args: str, cwd: Path, stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "import", *args, "--into", "content"],
        cwd=cwd,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_limit_memory,
    )


def test_importing_an_endless_file_stops_at_the_size_limit(tmp_path: Path) -> None:
    result = _import("/dev/zero", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"/dev/zero: {MESSAGE}\n0 articles imported; 1 failed\n"
    assert not (tmp_path / "content").exists()


def test_importing_endless_standard_input_stops_at_the_size_limit(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as endless:
        result = _import("-", cwd=tmp_path, stdin=endless.fileno())
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"<stdin>: {MESSAGE}\n0 articles imported; 1 failed\n"


def test_a_page_just_over_the_limit_is_refused_and_one_under_it_is_read(tmp_path: Path) -> None:
    words = ("Wind farm tender\n\nPublished 03/05/2024, 10:02 AM\n\n" + "Turbines turn in the wind. " * 10).encode()
    over = tmp_path / "over.txt"
    over.write_bytes(words + b" " * (32 * 1024 * 1024 + 1 - len(words)))
    under = tmp_path / "under.txt"
    under.write_bytes(words + b"\n")
    result = _import(str(over), str(under), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"{over}: {MESSAGE}\n1 article imported; 1 failed\n"
    assert result.stdout == "content/2024/wind-farm-tender.md\n"
