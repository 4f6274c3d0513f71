"""The code base stays ruff clean, checked by the suite itself."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_ruff_check_is_clean() -> None:
    folders = [name for name in ("sitegen", "tests", "bench") if (REPO / name).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *folders], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_as_it_is() -> None:
    folders = [name for name in ("sitegen", "tests", "bench") if (REPO / name).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *folders],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_no_error_in_the_package(tmp_path: Path) -> None:
    # Its cache goes to a temporary folder: a cache from another mypy or checkout can hide errors.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "sitegen"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
