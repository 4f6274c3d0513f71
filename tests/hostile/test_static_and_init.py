"""Nothing from outside the archive is published, and a new archive keeps its builds out of git."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run, article, run_subprocess

SitegenRun = Callable[..., Run]


def test_a_static_symlink_leading_out_of_the_archive_is_skipped(make_site: MakeSite, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "key.txt").write_text("private too\n")
    root = make_site({"content/one.md": article("One"), "static/ok.txt": "public\n", "content/pic.txt": "inside\n"})
    (root / "static/passwd.txt").symlink_to(secret)
    (root / "static/dir").symlink_to(elsewhere, target_is_directory=True)
    (root / "static/inside.txt").symlink_to(root / "content/pic.txt")

    result = run_subprocess("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "static/dir: warning: is a symlink to a place outside the archive; skipped\n"
        "static/passwd.txt: warning: is a symlink to a place outside the archive; skipped\n"
    )
    assert not (root / "site/passwd.txt").exists()
    assert not (root / "site/dir").exists()
    assert (root / "site/ok.txt").read_text() == "public\n"
    assert (root / "site/inside.txt").read_text() == "inside\n"

    strict = run_subprocess("build", "--strict", cwd=root)
    assert strict.returncode == 1
    assert strict.stderr == (
        "static/dir: is a symlink to a place outside the archive; skipped (--strict)\n"
        "static/passwd.txt: is a symlink to a place outside the archive; skipped (--strict)\n"
    )


def test_init_writes_a_gitignore_for_the_site_and_the_caches(tmp_path: Path, sitegen: SitegenRun) -> None:
    assert sitegen("init", "archive", cwd=tmp_path).code == 0
    assert (tmp_path / "archive/.gitignore").read_text() == "site/\n.sitegen/\n"
