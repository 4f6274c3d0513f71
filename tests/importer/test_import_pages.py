"""import_pages as the CLI calls it: several files, bad input, existing articles, dry runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.importer import ImportReport, import_pages

FIXTURES = Path(__file__).parent / "fixtures"
LITHIUM = str(FIXTURES / "pages" / "lithium-research.txt")
RAIL = str(FIXTURES / "pages" / "rail-tender.txt")
LITHIUM_PATH = Path("2023/norway-and-chile-agree-to-widen-lithium-research-cooperation.md")
RAIL_PATH = Path("2021/eu-opens-tender-for-cross-border-rail-signalling-upgrade.md")


def _import(*sources: str, into: Path, **options: object) -> ImportReport:
    return import_pages(list(sources), into=into, topics=[], **options)  # type: ignore[arg-type]


def test_each_page_becomes_one_article(tmp_path: Path) -> None:
    report = _import(LITHIUM, RAIL, into=tmp_path)
    assert report.written == (tmp_path / LITHIUM_PATH, tmp_path / RAIL_PATH)
    assert report.articles == tuple(p.read_text(encoding="utf-8") for p in report.written)
    assert (report.problems, report.skipped) == ((), ())
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()) == [
        RAIL_PATH,
        LITHIUM_PATH,
    ]


def test_dry_run_writes_nothing_and_returns_the_articles(tmp_path: Path) -> None:
    report = _import(LITHIUM, into=tmp_path / "content", dry_run=True)
    assert report.written == ()
    assert report.articles[0].startswith('---\ntitle: "Norway and Chile agree')
    assert not (tmp_path / "content").exists()


def test_dash_reads_standard_input(tmp_path: Path) -> None:
    page = Path(RAIL).read_text(encoding="utf-8")
    report = _import("-", into=tmp_path, stdin_text=page)
    assert report.written == (tmp_path / RAIL_PATH,)


def test_topics_are_trimmed_split_and_deduplicated(tmp_path: Path) -> None:
    report = import_pages([RAIL], into=tmp_path, topics=["Transport, EU", " EU ", ""])
    assert '\ntopics: ["Transport", "EU"]\n' in report.articles[0]


@pytest.mark.parametrize(
    ("name", "messages"),
    [
        ("empty.txt", ["the page is empty"]),
        ("blank-lines.txt", ["the page is empty"]),
        ("no-headline.txt", [
            "no headline found (expected the first non-empty line to be the title)",
            "no publication date found (expected a line like 'Published 06/15/2023, 08:41 AM')",
        ]),
        ("no-date.txt", [
            "no publication date found (expected a line like 'Published 06/15/2023, 08:41 AM')",
        ]),
        ("unreadable-date.txt", [
            "cannot read the date in 'Published 2 hours ago' (expected MM/DD/YYYY, HH:MM AM/PM)",
        ]),
        ("headline-only.txt", ["no article text found below the headline"]),
        ("no-title.html", ["no headline found (the page has no <title>, og:title or <h1>)"]),
    ],
)  # fmt: skip
def test_bad_pages_are_reported_by_name(tmp_path: Path, name: str, messages: list[str]) -> None:
    source = str(FIXTURES / "bad" / name)
    report = _import(source, into=tmp_path)
    assert report.problems == tuple(f"{source}: {message}" for message in messages)
    assert (report.written, report.articles) == ((), ())
    assert list(tmp_path.iterdir()) == []


def test_binary_and_unreadable_files_are_problems(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 opens\n\nPublished 01/01/2024, 10:00 AM\n".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    into = tmp_path / "content"

    report = _import(str(binary), str(latin), str(missing), str(tmp_path), into=into)

    assert report.problems == (
        f"{binary}: binary data, not a text or HTML page (it contains NUL bytes)",
        f"{latin}: not UTF-8 text (undecodable byte at offset 3); save the page as UTF-8",
        f"{missing}: cannot read the file (No such file or directory)",
        f"{tmp_path}: cannot read the file (Is a directory)",
    )
    assert not into.exists()


def test_standard_input_problems_name_stdin(tmp_path: Path) -> None:
    assert _import("-", into=tmp_path, stdin_text="  \n").problems == ("<stdin>: the page is empty",)
    assert _import("-", into=tmp_path).problems == ("<stdin>: no standard input was given",)
    assert _import("-", into=tmp_path, stdin_text="a\x00b").problems == (
        "<stdin>: binary data, not a text or HTML page (it contains NUL bytes)",
    )


def test_a_bad_page_does_not_stop_the_others(tmp_path: Path) -> None:
    empty = str(FIXTURES / "bad" / "empty.txt")
    report = _import(LITHIUM, empty, RAIL, into=tmp_path)
    assert report.written == (tmp_path / LITHIUM_PATH, tmp_path / RAIL_PATH)
    assert report.problems == (f"{empty}: the page is empty",)


def test_a_second_import_is_a_duplicate_and_changes_nothing(tmp_path: Path) -> None:
    _import(LITHIUM, into=tmp_path)
    target = tmp_path / LITHIUM_PATH
    target.write_text(target.read_text(encoding="utf-8") + "\nEdited by a curator.\n")

    report = _import(LITHIUM, into=tmp_path)

    assert report.skipped == (
        f"{LITHIUM}: already imported as {target} (same title and date); skipped (use --force to replace it)",
    )
    assert (report.written, report.articles, report.problems) == ((), (), ())
    assert target.read_text(encoding="utf-8").endswith("Edited by a curator.\n")


def test_a_duplicate_is_found_under_another_file_name(tmp_path: Path) -> None:
    earlier = tmp_path / "archive" / "lithium.md"
    earlier.parent.mkdir()
    earlier.write_text(
        "---\ntitle: 'norway and chile agree to widen  lithium research cooperation - ministry'\n"
        "date: 2023-03-02T09:41:00\n---\n\nText.\n",
        encoding="utf-8",
    )
    report = _import(LITHIUM, into=tmp_path)
    assert report.skipped == (
        f"{LITHIUM}: already imported as {earlier} (same title and date); skipped (use --force to replace it)",
    )
    assert not (tmp_path / LITHIUM_PATH).exists()


def test_same_title_on_another_date_is_not_a_duplicate_but_its_file_is_not_overwritten(
    tmp_path: Path,
) -> None:
    existing = tmp_path / LITHIUM_PATH
    existing.parent.mkdir()
    existing.write_text(
        '---\ntitle: "Norway and Chile agree to widen lithium research cooperation - ministry"\n'
        "date: 2023-01-05T10:00:00\n---\n\nOlder story.\n",
        encoding="utf-8",
    )
    report = _import(LITHIUM, into=tmp_path)
    assert report.skipped == (f"{LITHIUM}: {existing} already exists; not overwritten (use --force to replace it)",)
    assert existing.read_text(encoding="utf-8").endswith("Older story.\n")


def test_force_replaces_the_earlier_copy_where_it_is(tmp_path: Path) -> None:
    earlier = tmp_path / "2023" / "lithium.md"
    earlier.parent.mkdir()
    earlier.write_text(
        '---\ntitle: "Norway and Chile agree to widen lithium research cooperation - ministry"\n'
        "date: 2023-03-02T09:41:00\n---\n\nOld text.\n",
        encoding="utf-8",
    )
    report = _import(LITHIUM, into=tmp_path, force=True)
    assert report.written == (earlier,)
    assert report.skipped == ()
    assert "Old text." not in earlier.read_text(encoding="utf-8")
    assert not (tmp_path / LITHIUM_PATH).exists()


def test_force_overwrites_an_existing_file_at_the_same_path(tmp_path: Path) -> None:
    existing = tmp_path / LITHIUM_PATH
    existing.parent.mkdir()
    existing.write_text("not an article\n", encoding="utf-8")
    report = _import(LITHIUM, into=tmp_path, force=True)
    assert report.written == (existing,)
    assert existing.read_text(encoding="utf-8") == report.articles[0]


def test_the_same_page_twice_in_one_import_is_a_duplicate(tmp_path: Path) -> None:
    for dry_run in (True, False):
        report = _import(RAIL, RAIL, into=tmp_path, dry_run=dry_run)
        assert len(report.articles) == 1
        assert report.skipped == (
            f"{RAIL}: already imported as {tmp_path / RAIL_PATH} (same title and date);"
            " skipped (use --force to replace it)",
        )


def test_unreadable_articles_in_the_content_folder_are_left_to_the_build(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\xff\xfe")
    (tmp_path / "plain.md").write_text("No front matter.\n", encoding="utf-8")
    (tmp_path / "list.md").write_text("---\n- a\n---\n", encoding="utf-8")
    report = _import(RAIL, into=tmp_path)
    assert report.written == (tmp_path / RAIL_PATH,)


def test_a_page_over_an_existing_non_directory_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "2021").write_text("a file where the year folder should be\n")
    report = _import(RAIL, into=tmp_path)
    assert report.written == ()
    assert len(report.problems) == 1
    assert report.problems[0].startswith(f"{RAIL}: cannot write {tmp_path / RAIL_PATH} (")


def test_windows_line_endings_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    page = Path(RAIL).read_text(encoding="utf-8").replace("\n", "\r\n")
    source = tmp_path / "windows.txt"
    source.write_bytes(b"\xef\xbb\xbf" + page.encode("utf-8"))
    report = _import(str(source), into=tmp_path / "content")
    assert report.written == (tmp_path / "content" / RAIL_PATH,)
    assert "\r" not in report.articles[0]
    assert '\ntitle: "EU opens tender for cross-border rail signalling upgrade"\n' in report.articles[0]
