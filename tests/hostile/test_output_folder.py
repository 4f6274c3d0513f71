"""A wrong ``-o`` must never delete anything: only sitegen's own output folders are replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article, run_subprocess, tree_bytes

FILES = {
    "sitegen.yaml": "title: Careful\n",
    "content/2024/one.md": article("One"),
    "templates/README.txt": "my templates\n",
    "static/robots-extra.txt": "kept\n",
}


def make_archive(root: Path) -> Path:
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("output", "why"),
    [
        ("content", "it is the archive's content/ folder"),
        ("templates", "it is the archive's templates/ folder"),
        ("static", "it is the archive's static/ folder"),
        (".sitegen", "it is the archive's .sitegen/ cache folder"),
        (".", "it is the archive folder (the folder of sitegen.yaml)"),
        ("..", "it contains the archive folder (the folder of sitegen.yaml)"),
        ("/", "it is the root folder /"),
    ],
)
def test_the_archive_own_folders_are_refused_even_with_force(tmp_path: Path, output: str, why: str) -> None:
    root = make_archive(tmp_path / "archive")
    before = tree_bytes(tmp_path)
    for extra in ((), ("--force",)):
        result = run_subprocess("build", "-o", output, *extra, cwd=root)
        assert result.returncode == 1
        assert result.stderr == f"{output}: refusing to replace this output folder: {why}\n"
        assert result.stdout == ""
        assert tree_bytes(tmp_path) == before


def test_the_home_folder_is_refused(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "archive")
    home = tmp_path / "home"
    (home / "notes.txt").parent.mkdir()
    (home / "notes.txt").write_text("mine\n")
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-o", str(home), "--force"],
        cwd=root,
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == f"{home}: refusing to replace this output folder: it is the home folder\n"
    assert (home / "notes.txt").read_text() == "mine\n"
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt"]


def test_a_symlink_to_content_is_content(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "archive")
    (root / "out").symlink_to(root / "content")
    result = run_subprocess("build", "-o", "out", "--force", cwd=root)
    assert result.returncode == 1
    assert result.stderr == "out: refusing to replace this output folder: it is the archive's content/ folder\n"
    assert (root / "content/2024/one.md").read_text() == FILES["content/2024/one.md"]


def test_a_folder_of_other_files_needs_force(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "archive")
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"not really a cat")
    result = run_subprocess("build", "-o", str(other), cwd=root)
    assert result.returncode == 1
    assert result.stderr == (
        f"{other}: refusing to replace this output folder: it holds files that sitegen did not write "
        "(no .sitegen-output in it); choose an empty or new folder, or pass --force to replace it "
        "(once, for a site built by an older sitegen)\n"
    )
    assert tree_bytes(other) == {"cat.jpg": b"not really a cat"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".sitegen")] == []

    forced = run_subprocess("build", "-o", str(other), "--force", cwd=root)
    assert forced.returncode == 0, forced.stderr
    assert (other / "2024/03/one/index.html").is_file()
    assert not (other / "cat.jpg").exists()


def test_a_previous_output_empty_or_new_folder_is_replaced(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "archive")
    (tmp_path / "empty").mkdir()
    for output in ("site", "site", str(tmp_path / "empty"), str(tmp_path / "new/deeper")):
        result = run_subprocess("build", "-o", output, cwd=root)
        assert result.returncode == 0, result.stderr
    assert (root / "site/.sitegen-output").is_file()
    assert (tmp_path / "empty/2024/03/one/index.html").is_file()
    assert (tmp_path / "new/deeper/.sitegen-output").is_file()


@pytest.mark.parametrize("output", ["content/out", "static/out"])
def test_an_output_inside_content_or_static_is_not_published_again(tmp_path: Path, output: str) -> None:
    root = make_archive(tmp_path / "archive")
    for _ in range(3):
        result = run_subprocess("build", "-o", output, cwd=root)
        assert result.returncode == 0, result.stderr
    files = tree_bytes(root / output)
    assert "2024/03/one/index.html" in files
    assert not any(name.startswith("out/") for name in files)
    assert (root / "content/2024/one.md").is_file()
