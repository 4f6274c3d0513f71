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
