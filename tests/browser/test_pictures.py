"""The two screenshots README.md shows are committed, desktop-sized and small.

readme_screenshots.py makes them from the bundled example archive; the suite's own
screenshots of every page kind go to screenshots/, which git ignores.
"""

from __future__ import annotations

import struct

import pytest

from .conftest import REPO

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 300 * 1024


@pytest.mark.parametrize("name", ["screenshot-home.png", "screenshot-article.png"])
def test_readme_picture_is_committed_small_and_shown(name: str) -> None:
    data = (REPO / "docs" / name).read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    assert (width, height) == (1280, 800)
    assert len(data) < MAX_BYTES
    assert f"](docs/{name})" in (REPO / "README.md").read_text(encoding="utf-8")


def test_screenshots_folder_is_ignored_by_git() -> None:
    assert "screenshots/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
