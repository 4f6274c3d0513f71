"""Property: any front matter and Markdown give a new complete site, or exit 1 with path:line: messages."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from conftest import article, tree_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.cli import main

SCALARS = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.booleans(),
    st.none(),
    st.dates().map(str),
    st.sampled_from(["2024-13-40", "0000-01-01", "2024-02-30T25:00", "yes", "~", "[", "{a: b", "../../etc"]),
)
FRONT_MATTER = st.dictionaries(
    st.sampled_from(
        ["title", "date", "updated", "author", "source", "source_url", "topics", "tags", "summary", "slug", "language",
         "draft", "note", "extra"]
    ),
    st.one_of(SCALARS, st.lists(SCALARS, max_size=4)),
    max_size=8,
)  # fmt: skip
PIECES = [*"ab \n#*_[]()<>!`-|>:&\"'/\\", "<script>", "](javascript:x)", "\x00", "\r", "\ufeff", "```", "[^1]"]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
MESSAGE = re.compile(r"^[^\n]+?(:\d+)?: .+$")


def test_any_input_builds_or_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "archive"
    (root / "content").mkdir(parents=True)
    (root / "content/stable.md").write_text(article("Stable", "2023-01-01"))
    monkeypatch.chdir(root)
    runs = {"built": 0, "refused": 0}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(fields=FRONT_MATTER, body=MARKDOWN)
    def check(fields: dict[str, object], body: str) -> None:
        fields = {"title": "Generated", "date": "2024-01-01", **fields}  # random fields may spoil these
        lines = ["---", *(f"{key}: {json.dumps(value)}" for key, value in fields.items()), "---", body]
        (root / "content/generated.md").write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
        before = tree_bytes(root / "site") if (root / "site").exists() else None
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(["build", "-q"])
        assert code in (0, 1)
        assert "Traceback" not in stderr.getvalue()
        if code == 1:
            runs["refused"] += 1
            problems = stderr.getvalue().splitlines()
            assert problems, "exit 1 without a message"
            assert all(MESSAGE.match(line) for line in problems), problems
            assert (tree_bytes(root / "site") if (root / "site").exists() else None) == before
        else:
            runs["built"] += 1
            assert (root / "site/2023/01/stable/index.html").is_file()
            assert (root / "site/index.html").is_file()

    check()
    assert runs["built"] > 0
    assert runs["refused"] > 0
