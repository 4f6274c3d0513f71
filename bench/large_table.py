"""Time and peak memory of rendering one huge Markdown table (issue 22).

    python bench/large_table.py [--columns 5000] [--rows 200]

Prints ``table CxR: S s, peak RSS M MB``. Tables over sitegen's cell limit are left as text,
so the peak stays near the size of the text instead of 1.4 GB.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.content.markdown import make_markdown, render_markdown


def table(columns: int, rows: int) -> str:
    """A GFM table of ``columns`` by ``rows`` one-letter cells."""
    head = "|" + "|".join(f"h{i}" for i in range(columns)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    return head + rule + ("|" + "|".join("c" for _ in range(columns)) + "|\n") * rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=200)
    args = parser.parse_args()
    text = table(args.columns, args.rows)
    started = time.perf_counter()
    render_markdown(make_markdown(), text, source_dir="", content_files=frozenset())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"table {args.columns}x{args.rows}: {seconds:.2f} s, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
