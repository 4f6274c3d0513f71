"""What one article's edit costs the search index step of ``sitegen build`` on a built archive.

    python bench/search_edit.py ROOT [--edits 3] [--jobs 1] [--sitegen DIR]

ROOT must have been built already (``sitegen build ROOT``; its output in ROOT/site). Each edit
appends a sentence to one article (the same articles each run, in order) and builds ROOT as
``sitegen build -q`` does, as its own process (``bench/_child.py``), and prints the seconds
of the search steps. With ``--jobs 1`` (the default) the index is made in the build process
itself, so the ``start search index`` step is the whole ``search_index_files`` call; with
more jobs it runs in a child beside rendering and ``search index`` is only the wait for it.
``--sitegen DIR`` runs another checkout (e.g. ``git archive <commit> | tar -x -C DIR``), for
before and after figures. The first build after an older sitegen built ROOT makes the index
from scratch (nothing recorded for patching yet): run with ``--edits`` of 2 or more and
read the later ones.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def edit(article: Path, number: int) -> None:
    """Append a sentence to ``article``."""
    text = article.read_text(encoding="utf-8")
    article.write_text(f"{text}\nA line added by the search edit benchmark, number {number}.\n", encoding="utf-8")


def build(root: Path, jobs: int, checkout: Path) -> tuple[float, dict[str, float]]:
    """One build of ``root`` as its own process: its wall time and its steps' seconds."""
    with tempfile.TemporaryDirectory() as folder:
        timings = Path(folder) / "timings.json"
        environment = {**os.environ, "PYTHONPATH": str(checkout)}
        command = [sys.executable, str(HERE / "_child.py"), str(root), str(root / "site"), str(timings), str(jobs)]
        started = time.perf_counter()
        subprocess.run(command, env=environment, check=True)
        wall = time.perf_counter() - started
        report = json.loads(timings.read_text(encoding="utf-8"))
    return wall, {name: seconds for name, seconds in report["steps"]}


def main() -> int:
    """Edit, build and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--sitegen", type=Path, default=HERE.parent, help="the checkout to run (default: this one)")
    options = parser.parse_args()
    articles = sorted((options.root / "content").rglob("*.md"))
    for number in range(options.edits):
        article = articles[(number * 7919) % len(articles)]
        edit(article, number)
        wall, steps = build(options.root, options.jobs, options.sitegen.resolve())
        start, wait = steps.get("start search index", 0.0), steps.get("search index", 0.0)
        print(f"edit {number + 1} ({article.relative_to(options.root)})")
        print(f"  build wall: {wall:.2f} s")
        print(f"  start search index: {start:.3f} s")
        print(f"  search index (wait): {wait:.3f} s")
        print(f"  search steps: {start + wait:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
