"""Incremental rebuilds through the preview server's own code path, timed.

    python bench/_serve_child.py ROOT RESULT_JSON [EDITS]

Starts the preview (``sitegen.serve.preview.Preview``, on a free loopback port) on ROOT,
which does its first build; then, EDITS times, appends a sentence to one article and calls
``Preview.rebuild`` with the change sorted as the watcher sorts it, which is what the
watcher loop does after its debounce; then edits a template the same way. Every edited file
is restored afterwards, so the corpus is left as it was.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from sitegen.build import BuildOptions
from sitegen.render.environment import THEME_DIR
from sitegen.serve.changes import classify
from sitegen.serve.preview import Preview


def main(argv: list[str]) -> int:
    """Measure and write the figures as JSON."""
    root, result = Path(argv[0]), Path(argv[1])
    edits = int(argv[2]) if len(argv) > 2 else 7
    started = time.perf_counter()
    preview = Preview(BuildOptions(root=root), port=0)
    first = time.perf_counter() - started
    articles = sorted((root / "content").rglob("*.md"))
    chosen = [articles[(index * 7919) % len(articles)] for index in range(edits)]
    times, written, rendered = [], [], []
    for number, path in enumerate(chosen):
        original = path.read_bytes()
        try:
            path.write_bytes(original + f"\nAn added sentence, edit {number}.\n".encode())
            outcome = _rebuild(preview, root, path)
            times.append(outcome[0])
            written.append(outcome[1])
            rendered.append(outcome[2])
        finally:
            path.write_bytes(original)
    _rebuild(preview, root, chosen[-1])

    template = root / "templates" / "article.html"
    existed = template.exists()
    original_template = template.read_bytes() if existed else None
    template.parent.mkdir(parents=True, exist_ok=True)
    source = original_template or (THEME_DIR / "templates" / "article.html").read_bytes()
    try:
        template.write_bytes(source + b"{# edited by the benchmark #}\n")
        template_seconds, template_written, template_rendered = _rebuild(preview, root, template)
    finally:
        if original_template is None:
            template.unlink()
        else:
            template.write_bytes(original_template)
    preview.stop()
    result.write_text(
        json.dumps(
            {
                "first build": first,
                "edit seconds": times,
                "edit median": statistics.median(times),
                "edit max": max(times),
                "edit files written": statistics.median(written),
                "edit pages rendered": statistics.median(rendered),
                "template seconds": template_seconds,
                "template files written": template_written,
                "template pages rendered": template_rendered,
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    return 0


def _rebuild(preview: Preview, root: Path, path: Path) -> tuple[float, int, int]:
    outcome = preview.rebuild(classify(root, [path]))
    if outcome.report is None:
        raise SystemExit("rebuild failed: " + "; ".join(outcome.errors))
    return outcome.milliseconds / 1000, outcome.report.written, outcome.report.rendered


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
