"""Slugs fit a file name: at most 200 bytes of UTF-8, never a "File name too long" (issue 22).

A slug given in ``slug:`` is the author's choice: too long is an error naming the article.
A slug derived from a file name or a headline is shortened at a character boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run, article

LETTER = "\U0002070e"  # a CJK letter of four bytes in UTF-8, kept by slugify as it is


def test_a_slug_field_longer_than_200_bytes_is_a_content_error(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    root = make_site({"content/long.md": article(slug=LETTER * 130), "content/ok.md": article("Fine")})
    result = sitegen("build", cwd=root)
    assert result.code == 1
    assert result.err == (
        "content/long.md:4: 'slug' is 520 bytes long in UTF-8; a slug may be at most 200 bytes "
        "(it names a folder, and file systems allow 255 bytes in a name)\n"
    )


def test_a_slug_from_a_long_file_name_is_shortened_at_a_letter(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    root = make_site({f"content/{LETTER * 63}.md": article()})  # 252 + 3 bytes: the longest file name
    result = sitegen("build", cwd=root)
    assert result.code == 0, result.err
    assert (root / "site/2024/03" / (LETTER * 50) / "index.html").is_file()


def test_a_permalink_that_makes_a_folder_name_too_long_is_a_content_error(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    root = make_site(
        {
            "sitegen.yaml": "permalinks:\n  article: /{year}/{slug}-" + "x" * 60 + "/\n",
            "content/long.md": article(slug="a" * 200),
        }
    )
    result = sitegen("build", cwd=root)
    assert result.code == 1
    assert result.err == (
        "content/long.md:4: the page's folder name '" + "a" * 40 + "...' is 261 bytes in UTF-8; "
        "file systems allow 255: shorten the slug or the permalink pattern\n"
    )


def test_importing_a_headline_of_long_letters_writes_a_file_name_that_fits(
    tmp_path: Path, sitegen: Callable[..., Run]
) -> None:
    page = tmp_path / "page.txt"
    headline = f"Wind {LETTER * 70} {LETTER * 70}"  # slugified: 'wind-' and 70 letters (285 bytes), at a word
    text = f"{headline}\n\nPublished 03/05/2024, 10:02 AM\n\nBy Ann Lee\n\nThe text of the article, long enough.\n"
    page.write_text(text, encoding="utf-8")
    result = sitegen("import", str(page), "--into", "content", cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out == "content/2024/wind.md\n"
    assert (tmp_path / "content/2024/wind.md").is_file()
