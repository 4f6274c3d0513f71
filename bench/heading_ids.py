"""How rendering time grows with the number of headings that share one text (issue 22).

    python bench/heading_ids.py [--counts 5000,10000,30000]

Prints one line per count: ``headings N: S s``. Heading ids are made unique by suffixes
(``-1``, ``-2``...); linear cost means the time per heading stays flat as N grows.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.content.markdown import make_markdown, render_markdown


def time_headings(count: int) -> float:
    """Seconds to render a document of ``count`` copies of one heading, each with a line of text."""
    text = "## The same heading\n\nA line of text.\n\n" * count
    md = make_markdown()
    started = time.perf_counter()
    render_markdown(md, text, source_dir="", content_files=frozenset())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="5000,10000,30000", help="comma-separated heading counts")
    args = parser.parse_args()
    for count in (int(part) for part in args.counts.split(",")):
        seconds = time_headings(count)
        print(f"headings {count}: {seconds:.2f} s ({seconds / count * 1e6:.1f} µs a heading)", flush=True)


if __name__ == "__main__":
    main()
