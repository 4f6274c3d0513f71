"""Every hostile case, run through the real command in a child process with a time limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tree_bytes

from tests.hostile.cases import CASES, Case

GOOD = "---\ntitle: Good article\ndate: 2023-06-01\n---\nGood text.\n"


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "content").mkdir(parents=True)
    (root / "content/good.md").write_text(GOOD)
    first = run_build(root)
    assert first.returncode == 0, first.stderr
    previous = tree_bytes(root / "site")

    for relative, data in case.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    if case.setup is not None:
        case.setup(root)

    result = run_build(root, *case.args)
    assert "Traceback" not in result.stderr, result.stderr
    for message in case.messages:
        assert message in result.stderr, result.stderr
    leftovers = [p.name for p in root.iterdir() if p.name.startswith((".sitegen-new", ".sitegen-old"))]
    assert leftovers == []
    if case.expect == "fails":
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stdout == ""
        assert tree_bytes(root / "site") == previous
    else:
        assert result.returncode == 0, result.stderr
        assert (root / "site/2023/06/good/index.html").is_file()
        if case.check is not None:
            case.check(root / "site")
