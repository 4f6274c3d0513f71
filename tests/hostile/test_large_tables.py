"""A huge Markdown table is left as text with a warning, so memory stays bounded (issue 22).

markdown-it makes several objects per cell: 5,000 columns by 200 rows (2 MB of text) took
1.4 GB and a minute. The build runs in a child whose address space is capped at 1.5 GB.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path


def _table(columns: int, rows: int) -> str:
    head = "|" + "|".join(f"h{i}" for i in range(columns)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    return head + rule + ("|" + "|".join("c" for _ in range(columns)) + "|\n") * rows


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))


def test_a_table_of_a_million_cells_is_left_as_text_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    head = "---\ntitle: Tables\ndate: 2024-01-15\n---\n"
    text = head + "Small table:\n\n" + _table(100, 400) + "\nHuge table:\n\n" + _table(5000, 200)
    (tmp_path / "content/tables.md").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "content/tables.md:412: warning: a table of more than 50,000 cells is left as text; "
        "split it, or link to the data\n"
    )
    page = (tmp_path / "site/2024/01/tables/index.html").read_text(encoding="utf-8")
    assert page.count("<table>") == 1  # the small one (40,100 cells)
    assert page.count("<td>c</td>") == 100 * 400
    assert "|h0|h1|h2|" in page
