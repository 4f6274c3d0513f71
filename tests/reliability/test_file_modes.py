"""Output and imported files follow the umask, as any other tool's do (0755 / 0644 under 022)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MakeSite, article

PAGE = Path(__file__).parent.parent / "importer" / "fixtures" / "pages" / "rail-tender.txt"


def modes(folder: Path) -> set[tuple[str, str]]:
    """The permission bits of ``folder`` and everything in it, as (kind, octal)."""
    found = {("folder", oct(stat.S_IMODE(folder.stat().st_mode)))}
    for path in folder.rglob("*"):
        kind = "folder" if path.is_dir() else "file"
        found.add((kind, oct(stat.S_IMODE(path.stat().st_mode))))
    return found


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sitegen", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.usefixtures("umask_022")
def test_the_site_follows_the_umask_on_a_cold_and_a_warm_build(make_site: MakeSite) -> None:
    root = make_site({"content/2024/one.md": article("One"), "static/a/b.txt": "b\n", "content/2024/pic.txt": "p"})
    for _ in range(2):
        result = run("build", cwd=root)
        assert result.returncode == 0, result.stderr
        assert modes(root / "site") == {("folder", "0o755"), ("file", "0o644")}
        (root / "content/2024/one.md").write_text(article("One, again"))


@pytest.mark.usefixtures("umask_022")
def test_imported_articles_follow_the_umask(tmp_path: Path) -> None:
    assert run("init", "archive", cwd=tmp_path).returncode == 0
    result = run("import", str(PAGE), cwd=tmp_path / "archive")
    assert result.returncode == 0, result.stderr
    written = [tmp_path / "archive" / line for line in result.stdout.splitlines()]
    assert written
    assert {oct(stat.S_IMODE(path.stat().st_mode)) for path in written} == {"0o644"}
