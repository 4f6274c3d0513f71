"""Child of bench/run.py: the search figures of a built archive, as JSON.

    python bench/_search_child.py ARCHIVE SITE QUERIES.json [WHOOSH] RESULT.json

Unless WHOOSH is ``no``, brings the whoosh index of ARCHIVE up to date (timed) and asks
``sitegen search``'s engine the queries; asks the static client the same queries (under
Node, reading SITE/search/ and counting every byte it loads), and writes what each answered.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sitegen.search.query import compile_query, parse_query
from sitegen.search.whoosh_index import search_archive, update_whoosh_index

NODE_RUNNER = Path(__file__).resolve().parents[1] / "tests" / "search" / "node" / "run_client.mjs"
TOP = 10
# Queries built to make a parser work hard: deep nesting, long operator chains, stray quotes.
HOSTILE_QUERIES = (
    "(" * 5000 + "a" + ")" * 5000,
    " OR ".join(["x"] * 5000),
    " AND NOT ".join(f"w{n}" for n in range(3000)),
    '"' * 9999,
    "a* " * 4000,
    "topic:" * 3000,
    "date:[" * 2000,
    "-(" * 3000,
)


def _parse_hostile() -> float:
    """The longest any hostile query takes to parse and compile, in seconds (the unit tests
    check that they stay within the parser's limits; this is how long that takes)."""
    longest = 0.0
    for query in HOSTILE_QUERIES:
        started = time.perf_counter()
        compile_query(parse_query(query), lambda prefix, fields: [])
        longest = max(longest, time.perf_counter() - started)
    return longest


def _ask_whoosh(archive: Path, queries: list[str]) -> tuple[float, list[list[str]], list[float]]:
    started = time.perf_counter()
    update_whoosh_index(archive)
    update = time.perf_counter() - started
    found: list[list[str]] = []
    seconds: list[float] = []
    for query in queries:
        started = time.perf_counter()
        results = search_archive(archive, query, limit=TOP)
        seconds.append(time.perf_counter() - started)
        found.append([hit.url for hit in results.hits])
    return update, found, seconds


def main() -> None:
    archive, site, queries_file, result_file = (Path(arg) for arg in (*sys.argv[1:4], sys.argv[-1]))
    with_whoosh = len(sys.argv) < 6 or sys.argv[4] != "no"
    queries: list[str] = json.loads(queries_file.read_text(encoding="utf-8"))
    whoosh_update, whoosh, whoosh_seconds = _ask_whoosh(archive, queries) if with_whoosh else (None, None, None)
    request = {
        "module": str(site / "search" / "sitegen-search.js"),
        "index": str(site / "search"),
        "searches": [{"query": query, "options": {"limit": TOP}} for query in queries],
    }
    node = subprocess.run(
        ["node", str(NODE_RUNNER)], input=json.dumps(request), capture_output=True, text=True, check=False
    )
    if node.returncode != 0:
        raise SystemExit(f"the static client failed under Node: {node.stderr.strip()[-500:]}")
    answer = json.loads(node.stdout)
    static = [
        {
            "query": done["query"],
            "urls": [hit["url"] for hit in done["results"]],
            "bytes": done["bytes"],
            "files": len(done["files"]),
            "cold ms": done["cold"],
            "warm ms": done["warm"],
            "error": done["error"],
        }
        for done in answer["searches"]
    ]
    result = {
        "whoosh update seconds": whoosh_update,
        "whoosh query seconds": whoosh_seconds,
        "whoosh": whoosh,
        "static": static,
        "library bytes": answer["librarySize"],
        "setup bytes": answer["setup"]["bytes"],
        "hostile parse seconds": _parse_hostile(),
    }
    result_file.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
