"""One timed build, run by bench/run.py as its own process so its CPU time and memory can be measured.

    python bench/_child.py ROOT OUT TIMINGS_JSON [JOBS]

Does what ``python -m sitegen build ROOT -o OUT -q`` does (the CLI adds only argument parsing),
and also writes the time of each pipeline step to TIMINGS_JSON. JOBS is ``--jobs`` (default:
one process per core). sitegen must be importable:
run.py puts the repository on PYTHONPATH.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sitegen.build import BuildOptions, build
from sitegen.errors import SitegenError


def main(argv: list[str]) -> int:
    """Build ``ROOT`` into ``OUT`` and record the report; exit 1 on a build error."""
    root, out, timings = (Path(arg) for arg in argv[:3])
    jobs = int(argv[3]) if len(argv) > 3 else None
    try:
        report = build(BuildOptions(root=root, out_dir=out, workers=jobs))
    except SitegenError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    record = {
        "articles": report.articles,
        "pages": report.pages,
        "written": report.written,
        "unchanged": report.unchanged,
        "rendered": report.rendered,
        "parsed": report.parsed,
        "seconds": report.seconds,
        "steps": [[name, seconds] for name, seconds in report.steps],
        "warnings": len(report.warnings),
    }
    timings.write_text(json.dumps(record, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
