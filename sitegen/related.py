"""Related articles from shared distinctive terms, in time linear in the number of articles.

Each article is reduced to its few most distinctive terms (tf-idf). Only articles that share
one of those terms are compared, each term's list is capped, and shared topics add a bonus
to those candidates, so the cost is bounded per article instead of growing with every pair.
Ties are broken by URL, so the result is the same from build to build.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sitegen.parallel import fork_map

TERMS_PER_ARTICLE = 12
POSTINGS_CAP = 64  # articles kept per term, strongest first
TOPIC_BONUS = 0.15  # per shared topic: about two strongly shared words
RELATED_COUNT = 5


def related_articles(
    term_counts: Mapping[str, Mapping[str, int]],
    topics: Mapping[str, Iterable[str]],
    *,
    count: int = RELATED_COUNT,
    workers: int = 1,
) -> dict[str, tuple[str, ...]]:
    """For each article URL, up to ``count`` other URLs, most similar first (scored on ``workers`` cores)."""
    vectors = _distinctive_vectors(term_counts)
    postings: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for url, vector in vectors.items():
        for term, weight in vector.items():
            postings[term].append((weight, url))
    capped = {
        term: heapq.nlargest(POSTINGS_CAP, entries, key=lambda entry: (entry[0], entry[1]))
        for term, entries in postings.items()
    }
    scoring = _Scoring(vectors, capped, {url: frozenset(names) for url, names in topics.items()}, count)
    chunks = fork_map(_related_chunk, list(vectors), initializer=_share, initargs=(scoring,), workers=workers)
    return {url: related for chunk in chunks for url, related in chunk}


@dataclass(frozen=True)
class _Scoring:
    """What scoring one article's candidates needs: every vector and the capped term lists."""

    vectors: Mapping[str, Mapping[str, float]]
    capped: Mapping[str, list[tuple[float, str]]]
    topic_sets: Mapping[str, frozenset[str]]
    count: int

    def related(self, url: str) -> tuple[str, ...]:
        """The best candidates for one article, by shared term weight plus shared topics."""
        scores: dict[str, float] = defaultdict(float)
        for term, weight in self.vectors[url].items():
            for other_weight, other in self.capped[term]:
                if other != url:
                    scores[other] += weight * other_weight
        mine = self.topic_sets.get(url, frozenset())
        if mine:
            for other in scores:
                scores[other] += TOPIC_BONUS * len(mine & self.topic_sets.get(other, frozenset()))
        best = heapq.nsmallest(self.count, scores.items(), key=lambda item: (-round(item[1], 9), item[0]))
        return tuple(other for other, _ in best)


_shared: list[_Scoring] = []  # the scoring a worker process was set up with (see _share)


def _share(scoring: _Scoring) -> None:
    _shared[:] = [scoring]


def _related_chunk(urls: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    return [(url, _shared[0].related(url)) for url in urls]


def _distinctive_vectors(term_counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, float]]:
    """Each article's strongest terms by tf-idf, normalised to unit length."""
    documents = len(term_counts)
    frequency: dict[str, int] = defaultdict(int)
    for counts in term_counts.values():
        for term in counts:
            frequency[term] += 1
    vectors: dict[str, dict[str, float]] = {}
    for url, counts in term_counts.items():
        weights = {
            term: (1 + math.log(count)) * math.log(1 + documents / frequency[term])
            for term, count in counts.items()
            if frequency[term] > 1  # a word no other article has cannot relate it to one
        }
        strongest = heapq.nlargest(TERMS_PER_ARTICLE, weights.items(), key=lambda item: (item[1], item[0]))
        norm = math.sqrt(sum(weight * weight for _, weight in strongest)) or 1.0
        vectors[url] = {term: weight / norm for term, weight in strongest}
    return vectors
