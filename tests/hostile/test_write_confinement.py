"""No build, on any worker, writes outside its output folder: bad permalinks, planted symlinks."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeSite, article, run_subprocess, tree_bytes

from sitegen.build import BuildOptions
from sitegen.serve.preview import Preview

# Enough articles that pages render on worker processes, which write files themselves.
MANY = 240


def many_articles() -> dict[str, str]:
    return {f"content/2024/a{number}.md": article(f"Article {number}", "2024-02-03") for number in range(MANY)}


@pytest.mark.parametrize(
    "pattern",
    ["/../../../x/{slug}/", "/{year}/../../../x/{slug}/", "/a/./{slug}/", "/a//{slug}/", "/..\\\\x/{slug}/"],
)
def test_a_permalink_leaving_the_site_is_a_config_error(make_site: MakeSite, tmp_path: Path, pattern: str) -> None:
    config = f"title: T\npermalinks:\n  tag: /tags/{{slug}}/\n  article: '{pattern}'\n"
    root = make_site({"sitegen.yaml": config, **many_articles()})
    before = tree_bytes(tmp_path)
    result = run_subprocess("build", cwd=root)
    assert result.returncode == 1
    problem = (
        "must not contain backslashes or control characters"
        if "\\" in pattern
        else "must not contain '..', '.' or empty parts between '/' (every page stays inside the site)"
    )
    assert result.stderr == f"sitegen.yaml:4: permalink 'article': {problem}\n"
    after = tree_bytes(tmp_path)
    assert {name for name in after if not name.startswith("archive/.sitegen/")} == set(before)


def test_the_preview_with_a_bad_permalink_writes_nothing(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site({"sitegen.yaml": "permalinks:\n  article: /../../../x/{slug}/\n", **many_articles()})
    preview = Preview(BuildOptions(root=root, workers=2), port=0)
    try:
        assert preview.first.report is None
        assert preview.first.errors == (
            f"{root / 'sitegen.yaml'}:2: permalink 'article': must not contain '..', '.' or empty parts between '/' "
            "(every page stays inside the site)",
        )
    finally:
        preview.stop()
    assert not (tmp_path / "x").exists()
    assert not (tmp_path.parent / "x").exists()


def test_a_symlink_planted_in_the_preview_folder_is_not_written_through(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(many_articles())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine\n")
    preview_dir = root / ".sitegen/preview"
    preview_dir.mkdir(parents=True)
    (preview_dir / "2024").symlink_to(outside, target_is_directory=True)
    preview = Preview(BuildOptions(root=root, workers=2), port=0)
    try:
        assert preview.first.report is None
        assert preview.first.errors == (
            f"sitegen: refusing to write through {preview_dir / '2024'}: it is not a folder (a symlink?)",
        )
    finally:
        preview.stop()
    assert tree_bytes(outside) == {"keep.txt": b"mine\n"}


def test_a_symlink_in_place_of_a_page_is_not_written_through(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site({"content/2024/one.md": article("One", "2024-02-03")})
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    preview_dir = root / ".sitegen/preview"
    (preview_dir / "2024/02/one").mkdir(parents=True)
    (preview_dir / "2024/02/one/index.html").symlink_to(victim)
    preview = Preview(BuildOptions(root=root), port=0)
    try:
        assert preview.first.report is not None, preview.first.errors
    finally:
        preview.stop()
    assert victim.read_text() == "mine\n"
    page = preview_dir / "2024/02/one/index.html"
    assert not page.is_symlink()
    assert "<h1>One</h1>" in page.read_text()
