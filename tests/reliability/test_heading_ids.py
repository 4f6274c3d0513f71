"""Heading ids: the same as mdit_py_plugins' anchors plugin gave, in linear time (issue 22)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from sitegen.content.anchors import UniqueIds
from sitegen.content.markdown import heading_slug, make_markdown, render_markdown

# Texts whose slugs collide with each other and with the suffixed forms of each other.
TEXTS = ["Results", "results", "Results 1", "Results-1", "Results 2", "results-1-1", "`code`", "!!!", "Section", "a"]


def _ids(html: str) -> list[str]:
    return re.findall(r'<h[1-6] id="([^"]*)"', html)


def _plugin_ids(text: str) -> list[str]:
    """What the anchors plugin (the ids published so far) gives."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=heading_slug)
    return _ids(md.render(text))


def _our_ids(text: str) -> list[str]:
    return _ids(render_markdown(make_markdown(), text, source_dir="", content_files=frozenset()).html)


def test_an_ordinary_document_keeps_its_ids() -> None:
    text = (
        "# Title\n\n## Background\n\nText.\n\n### Figures\n\n## Background\n\n#### Figures\n\n"
        "##### Too deep\n\n## Figures 1\n\n## `code` and *words*\n\n## \n\n## Background\n"
    )
    ids = _our_ids(text)
    assert ids == [
        *("background", "figures", "background-1", "figures-1", "figures-1-1", "code-and-words", "section"),
        "background-2",
    ]
    assert ids == _plugin_ids(text)


@pytest.mark.parametrize("seed", range(30))
def test_random_headings_get_the_ids_the_plugin_gave(seed: int) -> None:
    rng = random.Random(seed)
    lines = [f"{'#' * rng.randint(1, 5)} {rng.choice(TEXTS)}\n\nText.\n" for _ in range(rng.randint(1, 60))]
    text = "\n".join(lines)
    assert _our_ids(text) == _plugin_ids(text)


def test_unique_ids_skip_taken_suffixes_and_ids_given_before() -> None:
    ids = UniqueIds(["a-2"])
    claimed = [ids.claim(slug) for slug in ["a", "a", "a", "a-1", "a", "a-3"]]
    assert claimed == ["a", "a-1", "a-3", "a-1-1", "a-4", "a-3-1"]


def test_forty_thousand_copies_of_one_heading_build_in_reasonable_time(tmp_path: Path) -> None:
    """The plugin needed about five minutes here (its cost grows with the square of the count);
    the limit below is far above what linear ids need, and far below that."""
    count = 40_000
    (tmp_path / "content").mkdir()
    body = "## Again\n\nText.\n\n" * count
    (tmp_path / "content/many.md").write_text(f"---\ntitle: Many\ndate: 2024-01-15\n---\n{body}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    page = (tmp_path / "site/2024/01/many/index.html").read_text(encoding="utf-8")
    assert f'<h2 id="again-{count - 1}">' in page
    assert len(_ids(page)) >= count
