"""The CPU cost of reading and writing the build cache of one archive (built before).

    python bench/cache_cost.py ARCHIVE [--repeat 7]

Prints the least CPU time of ``load_cache`` and ``save_cache`` over the repeats, the cache's
size and how many articles it holds; run it with PYTHONPATH set to the checkout to measure.
CPU time, not wall time: the figure should not depend on what else the machine is doing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sitegen.cache import cache_path, load_cache, save_cache


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the build cache's load and save cost.")
    parser.add_argument("archive", type=Path, help="an archive built at least once")
    parser.add_argument("--repeat", type=int, default=7, help="how many times to load and save (default: 7)")
    args = parser.parse_args(argv)
    loads: list[float] = []
    saves: list[float] = []
    for _ in range(args.repeat):
        started = time.process_time()
        cache, warnings = load_cache(args.archive)
        loads.append(time.process_time() - started)
        if warnings or not cache.articles:
            print(f"no usable build cache in {args.archive}: build it first", file=sys.stderr)
            return 1
        started = time.process_time()
        save_cache(args.archive, cache)
        saves.append(time.process_time() - started)
    size = cache_path(args.archive).stat().st_size
    print(f"articles: {len(cache.articles)}")
    print(f"cache size: {size / 1e6:.1f} MB")
    print(f"cache load CPU: {min(loads) * 1000:.0f} ms")
    print(f"cache save CPU: {min(saves) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
