"""The cost of related lists after a one-article edit: from scratch, or resumed from the last build's.

    python bench/related_edit.py ARCHIVE [--repeat 3]

ARCHIVE is an archive built at least once: its build cache holds every article's telling terms
and topics. The script edits one article's terms in memory in three ways (one count up, a word
it now repeats, all its words replaced by another article's) and prints the CPU time, least
of ``--repeat`` runs, of:

- ``from scratch``: ``related_articles`` over every article (what ``sitegen build`` did);
- ``resume``: ``RelatedIndex.resume`` from the previous inputs and lists (no ranking);
- ``persisted cutoffs JSON``: what writing and reading every full list's last score would cost,
  the alternative to scoring them when an update needs them;
- ``edit ...: resume and update``: ``update_related`` as the build calls it, decoding included.

It checks that each edit's lists, and which changed, equal those from scratch. Run it with
PYTHONPATH set to the checkout; one core, CPU time, so the machine's load moves it less.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sitegen.cache import load_cache
from sitegen.related import RelatedIndex, decode_term_counts, encode_term_counts, related_articles, update_related

T = TypeVar("T")


def least_cpu(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The least CPU seconds of ``repeat`` calls of ``run``, and what the last returned."""
    times: list[float] = []
    for _ in range(repeat):
        started = time.process_time()
        result = run()
        times.append(time.process_time() - started)
    return min(times), result


def from_scratch(inputs: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """What ``sitegen build`` did before it resumed: every list ranked, on one core."""
    counts = {url: decode_term_counts(terms) for url, (terms, _) in inputs.items()}
    return related_articles(counts, {url: topics for url, (_, topics) in inputs.items()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure related lists after a one-article edit.")
    parser.add_argument("archive", type=Path, help="an archive built at least once")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each cheap measure (default: 3)")
    args = parser.parse_args(argv)
    cache, warnings = load_cache(args.archive)
    inputs: dict[str, tuple[str, tuple[str, ...]]] = {}
    for cached in cache.articles.values():
        article = cached.result.article
        if article is not None and article.url in cache.related:
            inputs[article.url] = (cached.terms, article.topics)
    if warnings or len(inputs) < 2:
        print(f"no usable build cache in {args.archive}: build it first", file=sys.stderr)
        return 1
    urls = sorted(inputs)
    edited, donor = urls[len(urls) // 2], urls[len(urls) // 3]
    terms, topics = inputs[edited]
    counts = decode_term_counts(terms)
    common = max(counts, key=lambda term: (counts[term], term))
    rare = sorted(set(decode_term_counts(inputs[donor][0])) - set(counts))[0]
    edits = {
        "one count": {**counts, common: counts[common] + 1},  # a sentence more, with a word it already repeats
        "a new word": {**counts, rare: 2},  # a word it now repeats: one term's document frequency moves
        "rewritten": decode_term_counts(inputs[donor][0]),  # another article's words: dozens move
    }
    before_seconds, before = least_cpu(1, lambda: from_scratch(inputs))
    decoded = {url: (decode_term_counts(terms), topics) for url, (terms, topics) in inputs.items()}
    resume_seconds, index = least_cpu(args.repeat, lambda: RelatedIndex.resume(decoded, before))
    cutoffs = {url: 0.123456789 for url, related in before.items() if related}  # one score a full list
    json_seconds, _ = least_cpu(args.repeat, lambda: json.loads(json.dumps(cutoffs)))
    print(f"articles: {len(inputs)}")
    print(f"from scratch CPU: {before_seconds:.2f} s")
    print(f"resume CPU: {resume_seconds * 1000:.0f} ms")
    print(f"persisted cutoffs JSON CPU: {json_seconds * 1000:.0f} ms (encode and decode, not counting the file)")
    same = index is not None
    for name, edit in edits.items():
        edited_inputs = {**inputs, edited: (encode_term_counts(edit.items()), topics)}
        seconds, (updated, changed) = least_cpu(
            args.repeat, lambda edited_inputs=edited_inputs: update_related(inputs, before, edited_inputs)
        )
        after = from_scratch(edited_inputs)
        differs = {url for url in after if after[url] != before[url]}
        same = same and updated == after and changed == differs
        print(f"edit {name}: resume and update CPU: {seconds * 1000:.0f} ms; lists changed: {len(changed)}")
    if not same:
        print("the resumed lists differ from those computed from scratch", file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
