"""Progress: live counts on a terminal (checked through a pseudo-terminal), plain lines on a
pipe, nothing but errors with -q."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run, article, run_subprocess

from sitegen.progress import PlainProgress

SitegenRun = Callable[..., Run]
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _archive(make_site: MakeSite, count: int) -> Path:
    return make_site(
        {f"content/2024/story-{n}.md": article(title=f"Story {n}", topics='["Sea"]') for n in range(count)}
    )


def _on_a_terminal(*args: str, cwd: Path) -> str:
    """What ``sitegen ARGS`` shows on a (pseudo-)terminal, escape codes removed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", *args], cwd=cwd, stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        shown += data
    os.close(leader)
    assert process.wait(timeout=120) == 0, shown.decode(errors="replace")
    return _ESCAPE.sub("", shown.decode("utf-8", errors="replace"))


def test_a_build_on_a_terminal_shows_its_steps_with_counts(make_site: MakeSite) -> None:
    root = _archive(make_site, 3)
    shown = _on_a_terminal("build", str(root), cwd=root)
    assert re.search(r"load articles +━+ 3/3", shown)
    assert "render" in shown
    assert "built 3 articles into " in shown


def test_an_import_on_a_terminal_counts_its_pages(tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f"page{n}.txt").write_text(
            f"Harbour story number {n}\n\nPublished 03/0{n + 1}/2024\n\nThe port tried something new.\n",
            encoding="utf-8",
        )
    shown = _on_a_terminal("import", "page0.txt", "page1.txt", "page2.txt", cwd=tmp_path)
    assert re.search(r"import pages +━+ 3/3", shown)


def test_the_first_search_on_a_terminal_counts_the_articles_it_indexes(make_site: MakeSite) -> None:
    root = _archive(make_site, 3)
    assert run_subprocess("build", "-q", cwd=root).returncode == 0
    shown = _on_a_terminal("search", "story", cwd=root)
    assert re.search(r"index for search +━+ 3/3", shown)
    assert "3 results for story" in shown


def test_a_small_build_on_a_pipe_prints_its_summary_alone(make_site: MakeSite) -> None:
    root = _archive(make_site, 3)
    built = run_subprocess("build", cwd=root)
    assert built.returncode == 0
    assert built.stderr == ""
    assert re.fullmatch(
        r"built 3 articles into site: \d+ pages \(\d+ rendered\), 3 articles parsed, "
        r"\d+ files written, 0 unchanged, in [0-9.]+ s\n",
        built.stdout,
    )


def test_quiet_prints_nothing_but_errors(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = _archive(make_site, 3)
    quiet = sitegen("build", "-q", cwd=root)
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")

    (root / "content/2024/story-1.md").write_text("---\ntitle: Story 1\ndate: 2024-13-40\n---\nText.\n")
    failed = sitegen("build", "-q", cwd=root)
    assert failed.code == 1
    assert failed.out == ""
    assert failed.err == (
        "content/2024/story-1.md:3: 'date' is not a date: \"2024-13-40\" "
        "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)\n"
    )


def test_plain_lines_word_for_word() -> None:
    stream = io.StringIO()
    plain = PlainProgress(stream, large=200)
    plain.started("config")
    plain.finished("config", 0.01)
    plain.advanced("load articles", 0, 3000)  # a large step: the log begins, with what came before
    assert stream.getvalue() == "  config: 0.01 s\n"
    plain.advanced("load articles", 1024, 3000)
    plain.advanced("load articles", 1088, 3000)  # still within the same quarter
    plain.advanced("load articles", 3000, 3000)
    plain.finished("load articles", 2.45)
    plain.advanced("render", 800, 3200)
    plain.advanced("render", 2400, 3200)
    plain.advanced("render", 3200, 3200)
    plain.finished("render", 9.5)
    plain.finished("write", 0.004)

    assert stream.getvalue() == (
        "  config: 0.01 s\n"
        "  load articles: 1,024/3,000\n"
        "  load articles: 3,000/3,000 in 2.45 s\n"
        "  render: 800/3,200\n"
        "  render: 2,400/3,200\n"
        "  render: 3,200/3,200 in 9.50 s\n"
        "  write: 0.00 s\n"
    )


def test_plain_lines_stay_away_from_a_small_run() -> None:
    stream = io.StringIO()
    plain = PlainProgress(stream, large=200)
    plain.advanced("load articles", 199, 199)
    plain.finished("load articles", 0.2)
    plain.finished("write", 0.1)
    assert stream.getvalue() == ""


def test_a_large_build_on_a_pipe_logs_each_step_in_plain_lines(make_site: MakeSite) -> None:
    root = _archive(make_site, 200)
    built = run_subprocess("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "\x1b" not in built.stderr
    time = r"\d+\.\d\d s"
    # Articles are loaded 64 to a chunk: 64, 128 and 192 of 200 pass the quarters.
    expected = [
        rf"  config: {time}",
        rf"  discover: {time}",
        r"  load articles: 64/200",
        r"  load articles: 128/200",
        r"  load articles: 192/200",
        rf"  load articles: 200/200 in {time}",
        rf"  assemble: {time}",
        rf"  start search index: {time}",
        rf"  related articles: {time}",
        rf"  plan pages: {time}",
        rf"  feeds and sitemap: {time}",
        rf"  exports: {time}",
    ]
    lines = built.stderr.splitlines()
    assert len(lines) > len(expected)
    for pattern, line in zip(expected, lines, strict=False):
        assert re.fullmatch(pattern, line), (pattern, line)
    rest = [rf"  render: [\d,]+/[\d,]+( in {time})?", rf"  (search index|plan outputs|strict check|write): {time}"]
    for line in lines[len(expected) :]:
        assert any(re.fullmatch(pattern, line) for pattern in rest), line
    assert re.fullmatch(rf"  write: {time}", lines[-1])
