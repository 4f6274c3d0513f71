"""The default theme ships inside the wheel: init and build work from an installed package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_in_a_fresh_venv_inits_and_builds(tmp_path: Path) -> None:
    def run(*args: str | Path, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp_path / "dist", REPO)
    wheel = next((tmp_path / "dist").glob("sitegen-*.whl"))
    run(sys.executable, "-m", "venv", tmp_path / "venv")
    bin_dir = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin")
    run(bin_dir / "python", "-m", "pip", "install", "-q", wheel)
    run(bin_dir / "sitegen", "init", "fresh")
    # Build from outside the source tree so only the installed package can supply the theme.
    result = run(bin_dir / "sitegen", "build", "fresh")
    assert result.stdout.startswith("built 1 article into fresh/site: ")
    assert (tmp_path / "fresh/site/assets/style.css").is_file()
    assert "Welcome to your archive" in (tmp_path / "fresh/site/index.html").read_text()
