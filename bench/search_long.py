"""Search on long articles: bytes per query, bytes while typing, precision@5, agreement with whoosh.

    python bench/search_long.py --articles 300 --keep /tmp/long
    python bench/search_long.py --articles 300 --keep /tmp/long-before --sitegen /tmp/sitegen-before

Generates the long-article corpus (``long_corpus.py``; reused when kept), builds it with the
sitegen at ``--sitegen`` (default: this checkout), and asks the static client (under Node,
counting every byte it loads, client and ``meta.js`` included) and whoosh the judged queries.
One figure a line, as ``run.py`` prints them. Bytes are uncompressed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
NODE_RUNNER = REPO / "tests" / "search" / "node" / "run_client.mjs"
sys.path.insert(0, str(BENCH_DIR))
from long_corpus import Judged, generate_long_corpus, judged_queries  # noqa: E402


def _env(sitegen: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(sitegen)}


def _node(site: Path, searches: list[dict[str, Any]]) -> dict[str, Any]:
    """One client session: the searches in order, files kept between them as in a page."""
    request = {"module": str(site / "search" / "sitegen-search.js"), "index": str(site / "search")}
    request["searches"] = searches  # type: ignore[assignment]
    done = subprocess.run(
        ["node", str(NODE_RUNNER)], input=json.dumps(request), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"the client failed: {done.stderr[-500:]}")
    answer: dict[str, Any] = json.loads(done.stdout)
    for search in answer["searches"]:
        if search["error"]:
            raise SystemExit(f"the client failed on {search['query']!r}: {search['error']}")
    return answer


def _fresh_bytes(site: Path, query: str, limit: int) -> int:
    """Bytes a page loads for ``query`` from nothing: client, meta.js and the query's files."""
    answer = _node(site, [{"query": query, "options": {"limit": limit}}])
    return int(answer["librarySize"] + answer["setup"]["bytes"] + answer["searches"][0]["bytes"])


def _typing_bytes(site: Path, query: str) -> tuple[int, int]:
    """Bytes loaded while ``query`` is typed key by key, and the bytes of the query alone; both
    without the client and meta.js, which load once either way. As the search page does: a
    search at every key without excerpts (``snippets: false``), then one with them once typing
    pauses (a client without that option loads excerpts at every key)."""
    keys = [
        {"query": query[:n], "options": {"limit": 10, "prefix": True, "snippets": False}} for n in range(1, len(query))
    ]
    keys.append({"query": query, "options": {"limit": 10, "prefix": True}})
    typed = _node(site, keys)
    alone = _node(site, [{"query": query, "options": {"limit": 10}}])
    return sum(s["bytes"] for s in typed["searches"]), alone["searches"][0]["bytes"]


def _precision(found: list[str], relevant: frozenset[str]) -> float:
    top = found[:5]
    return sum(url in relevant for url in top) / min(5, max(1, len(relevant)))


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it (the corpus is reused)")
    parser.add_argument("--sitegen", type=Path, default=REPO, help="the sitegen checkout to build and search with")
    parser.add_argument("--no-whoosh", action="store_true")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="sitegen-long-"))
    if not (work / "content").exists():
        generate_long_corpus(work, args.articles, args.seed)
    sizes = [path.stat().st_size for path in (work / "content").glob("*.md")]
    print(f"long corpus articles: {len(sizes)}")
    print(f"long corpus article size median: {statistics.median(sizes) / 1000:.1f} kB")
    print(f"long corpus article size min, max: {min(sizes) / 1000:.1f}, {max(sizes) / 1000:.1f} kB")
    env = _env(args.sitegen.resolve())
    # Run from the corpus folder: ``-m`` and ``-c`` put the working folder first on sys.path.
    build = subprocess.run([sys.executable, "-m", "sitegen", "build", ".", "-q"], cwd=work, env=env, check=False)
    if build.returncode != 0:
        raise SystemExit("the build failed")
    site = work / "site"
    judged = judged_queries(args.articles, args.seed)
    plain = [j.query for j in judged if j.kind == "plain"]
    one_word = [q.split()[0] for q in plain[:10]]
    two_word = plain[:10]
    for label, queries in (("one-word", one_word), ("two-word", two_word)):
        for limit in (10, 20):
            loaded = [_fresh_bytes(site, query, limit) / 1000 for query in queries]
            print(f"search {label} query at {limit} results median: {statistics.median(loaded):.1f} kB")
            print(f"search {label} query at {limit} results max: {max(loaded):.1f} kB")
    ratios = []
    for query in two_word[:5]:
        typed, alone = _typing_bytes(site, query)
        ratios.append(typed / max(1, alone))
    print(f"search typing a two-word query / the query alone, median: {statistics.median(ratios):.2f}")
    print(f"search typing a two-word query / the query alone, max: {max(ratios):.2f}")
    answer = _node(site, [{"query": j.query, "options": {"limit": 10}} for j in judged])
    found = [[hit["url"] for hit in s["results"]] for s in answer["searches"]]
    by_kind: dict[str, list[float]] = {}
    for j, urls in zip(judged, found, strict=True):
        by_kind.setdefault(j.kind, []).append(_precision(urls, j.relevant))
    every = [p for values in by_kind.values() for p in values]
    print(f"precision@5 over {len(every)} judged queries: {statistics.mean(every):.2f}")
    for kind, values in by_kind.items():
        print(f"precision@5 {kind} ({len(values)}): {statistics.mean(values):.2f}")
    if not args.no_whoosh:
        _whoosh(work, env, judged, found)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _whoosh(work: Path, env: dict[str, str], judged: list[Judged], found: list[list[str]]) -> None:
    code = (
        "import json, sys\nfrom pathlib import Path\nfrom sitegen.search.whoosh_index import search_archive\n"
        "root = Path(sys.argv[1])\nqueries = json.loads(sys.stdin.read())\n"
        "print(json.dumps([[h.url for h in search_archive(root, q, limit=10).hits] for q in queries]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "."],
        input=json.dumps([j.query for j in judged]),
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"whoosh failed: {done.stderr[-500:]}")
    whoosh = json.loads(done.stdout)
    overlaps = []
    for static, other in zip(found, whoosh, strict=True):
        both = len(set(static) & set(other))
        overlaps.append(10.0 if not static and not other else 10 * both / max(len(static), len(other)))
    print(f"search top-10 agreement with whoosh mean: {statistics.mean(overlaps):.1f} of 10")
    print(f"search top-10 agreement with whoosh min: {min(overlaps):.1f} of 10")


if __name__ == "__main__":
    sys.exit(main())
