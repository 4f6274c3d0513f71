"""Related articles from shared distinctive terms, in time linear in the number of articles.

Each article is reduced to its few most distinctive terms (tf-idf). Only articles that share
one of those terms, or are near it in one of its rarest topics, are compared; each term's
list and each topic's neighbourhood is capped, and shared topics add a bonus to the score,
so the cost is bounded per article instead of growing with every pair.
Ties are broken by URL, so the result is the same from build to build.

``RelatedIndex`` keeps what the lists come from between builds and, after an edit, redoes
only the work the edit can reach, with results identical to a computation from scratch. The
preview keeps one in memory; ``sitegen build`` resumes one from the lists and inputs its cache
saved (``update_related``).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sitegen.parallel import collector_paused, fork_map

TERMS_PER_ARTICLE = 12
POSTINGS_CAP = 64  # articles kept per term, strongest first
TOPIC_BONUS = 0.15  # per shared topic: about two strongly shared words
# Articles that share a topic are candidates even with no word in common (an article in
# another language, say): from each of an article's TOPICS_CONSULTED rarest topics, its
# TOPIC_NEIGHBOURS nearest members in URL order (nearest in time, as URLs start with the date).
TOPICS_CONSULTED = 8
TOPIC_NEIGHBOURS = 16
RELATED_COUNT = 5

ArticleChange = tuple[Mapping[str, int], Iterable[str]] | None  # (term counts, topics), None if removed
_Vector = Mapping[str, float]  # an article's strongest terms and their weights
_Key = tuple[float, str]  # how a candidate ranks, smaller first: (-rounded score, url)


def related_articles(
    term_counts: Mapping[str, Mapping[str, int]],
    topics: Mapping[str, Iterable[str]],
    *,
    count: int = RELATED_COUNT,
    workers: int = 1,
    defer: bool = False,
) -> dict[str, tuple[str, ...]]:
    """For each article URL, up to ``count`` other URLs, most similar first (scored on ``workers``
    cores, at a lower priority with ``defer``: see ``fork_map``).

    The lists ``RelatedIndex`` makes, without what it keeps to redo them after an edit
    (a copy of every count, every term's articles): a one-off build needs less memory.
    """
    frequency = Counter(term for counts in term_counts.values() for term in counts)
    documents = len(term_counts)
    idf = {term: _idf(documents, number) for term, number in frequency.items() if number > 1}
    del frequency
    vectors = {url: _vector(counts, idf)[0] for url, counts in term_counts.items()}
    capped = {term: _cap(entries) for term, entries in _term_postings(vectors).items()}
    topic_sets = {url: frozenset(topics.get(url, ())) for url in term_counts}
    members: defaultdict[str, set[str]] = defaultdict(set)
    for url, names in topic_sets.items():
        for name in names:
            members[name].add(url)
    ordered = {topic: sorted(urls) for topic, urls in members.items()}
    scoring = _Scoring(vectors, capped, topic_sets, members, ordered, count)
    ranked = _rank_all(scoring, list(term_counts), workers, defer)
    return {url: related for url, related, _ in ranked}


RelatedInputs = Mapping[str, tuple[str, tuple[str, ...]]]  # url -> (encoded term counts, topics)


def update_related(
    previous: RelatedInputs | None,
    lists: Mapping[str, tuple[str, ...]],
    current: RelatedInputs,
    *,
    workers: int = 1,
    defer: bool = False,
) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """The related lists of ``current``, and the URLs whose list differs from ``lists``.

    ``lists`` are what ``related_articles`` gave for ``previous`` (None: inputs unknown): from
    them, as ``RelatedIndex`` does in memory, only the articles an edit can reach are ranked
    again. A change in the number of articles moves every weight, so then all of them are.
    """
    index = None
    if previous is not None and len(previous) == len(current):
        with collector_paused():  # a million objects, no cycles: full collections would walk the whole build
            try:
                decoded = {url: (decode_term_counts(terms), topics) for url, (terms, topics) in previous.items()}
                index = RelatedIndex.resume(decoded, lists)
            except ValueError:  # a count that is no count, or not above 0: not what a build saved
                index = None
    if index is None:
        term_counts = {url: decode_term_counts(terms) for url, (terms, _) in current.items()}
        topics = {url: topics for url, (_, topics) in current.items()}
        fresh = related_articles(term_counts, topics, workers=workers, defer=defer)
        return fresh, frozenset(url for url in fresh.keys() | lists.keys() if fresh.get(url) != lists.get(url))
    assert previous is not None
    changes: dict[str, ArticleChange] = {
        url: (decode_term_counts(terms), topics)
        for url, (terms, topics) in current.items()
        if previous.get(url) != (terms, topics)
    }
    changes.update(dict.fromkeys(previous.keys() - current.keys()))
    with collector_paused():
        updated = index.update(changes, workers=workers)
    return updated, index.changed_urls


def encode_term_counts(counts: Iterable[tuple[str, int]]) -> str:
    """Terms and their counts as one string ("term count term count"; terms have no spaces)."""
    return " ".join(f"{term} {count}" for term, count in counts)


def decode_term_counts(encoded: str) -> dict[str, int]:
    """The term -> count dict of ``encode_term_counts``'s string."""
    parts = iter(encoded.split(" ")) if encoded else iter(())
    return dict(zip(parts, map(int, parts), strict=True))


class RelatedIndex:
    """The related lists of a changing set of articles, updated by the work each change reaches.

    An article's list depends only on its own vector and topics, the capped lists of its
    vector's terms and the topics of the candidates in them; a vector depends only on the
    article's counts, the article total and its terms' document frequencies. An update
    follows those links from what changed, so one edit costs milliseconds, except that a
    change in the number of articles shifts every weight and recomputes everything.
    """

    def __init__(self, *, count: int = RELATED_COUNT) -> None:
        self._count = count
        self._counts: dict[str, dict[str, int]] = {}
        self._topics: dict[str, frozenset[str]] = {}
        self._members: defaultdict[str, set[str]] = defaultdict(set)  # topic -> articles that have it
        self._ordered: dict[str, list[str]] = {}  # topic -> its articles' URLs, sorted
        self._regrouped: set[str] = set()  # topics whose articles changed since the last ranking
        self._frequency: Counter[str] = Counter()  # term -> how many articles' counts have it
        self._idf: dict[str, float] = {}  # of the terms more than one article has
        self._vectors: dict[str, dict[str, float]] = {}
        self._floors: dict[str, _Key | None] = {}  # unnormalised (weight, term) of a full vector's weakest term
        self._postings: dict[str, dict[str, float]] = {}  # term -> url -> weight, over every vector
        self._capped = _CappedLists(self._postings)  # the strongest POSTINGS_CAP of each, strongest first
        self._related: dict[str, tuple[str, ...]] = {}
        # The last related article's key, if the list is full; a resumed list's is worked out when needed.
        self._cutoffs: dict[str, _Key | None] = {}
        self._changed: frozenset[str] = frozenset()

    @property
    def changed_urls(self) -> frozenset[str]:
        """URLs whose related list differs from before the last update, added and removed articles included."""
        return self._changed

    def update(self, changed: Mapping[str, ArticleChange], *, workers: int = 1) -> dict[str, tuple[str, ...]]:
        """Apply changes (url -> (term counts, topics), or None for a removed article) and return every list.

        The first call gets every article as changed. The returned dict is a new one each
        time, so the caller may keep it; later updates do not touch it.
        """
        documents = len(self._counts)
        moved, retopiced, shifted = self._apply(changed)
        if len(self._counts) != documents:  # every idf moved, so every weight did
            self._rebuild(workers)
        else:
            self._refresh(moved, retopiced, shifted, workers)
        return dict(self._related)

    def _apply(
        self, changed: Mapping[str, ArticleChange]
    ) -> tuple[set[str], dict[str, frozenset[str]], dict[str, int]]:
        """Take in the new counts and topics: the articles whose counts changed, those whose topics
        changed (with their old topics) and the terms whose document frequency changed (by how much)."""
        moved: set[str] = set()
        retopiced: dict[str, frozenset[str]] = {}
        growth: Counter[str] = Counter()  # in document frequency
        for url, entry in changed.items():
            old = self._counts.get(url)
            if entry is None:
                if old is None:
                    continue
                new: dict[str, int] = {}
                del self._counts[url]
                self._set_topics(url, None)
            else:
                new, topics = dict(entry[0]), frozenset(entry[1])
                if old is not None and self._topics[url] != topics:
                    retopiced[url] = self._topics[url]
                self._set_topics(url, topics)
                if new == old:
                    continue
                self._counts[url] = new
            moved.add(url)
            old_terms = old.keys() if old is not None else set()
            growth.update(new.keys() - old_terms)
            growth.subtract(old_terms - new.keys())
        shifted = {term: change for term, change in growth.items() if change}
        for term, change in shifted.items():
            frequency = self._frequency[term] + change
            if frequency:
                self._frequency[term] = frequency
            else:
                del self._frequency[term]
        return moved, retopiced, shifted

    def _set_topics(self, url: str, topics: frozenset[str] | None) -> None:
        """Record an article's topics (None: it is gone), both ways round."""
        before, after = self._topics.get(url, frozenset()), topics or frozenset()
        if before != after:  # the bonus it shares with their members changes, as do their neighbours
            self._regrouped.update(before | after)
        for topic in self._topics.pop(url, frozenset()) - (topics or frozenset()):
            members = self._members[topic]
            members.discard(url)
            ordered = self._ordered[topic]
            del ordered[bisect.bisect_left(ordered, url)]
            if not members:
                del self._members[topic], self._ordered[topic]
        if topics is not None:
            for topic in topics:
                if url not in self._members[topic]:
                    self._members[topic].add(url)
                    bisect.insort(self._ordered.setdefault(topic, []), url)
            self._topics[url] = topics

    @classmethod
    def resume(
        cls,
        inputs: Mapping[str, tuple[dict[str, int], Iterable[str]]],
        lists: Mapping[str, Sequence[str]],
        *,
        count: int = RELATED_COUNT,
    ) -> RelatedIndex | None:
        """The index an update with every article of ``inputs`` would leave, given the ``lists``
        that update returned (a previous build's), without ranking every article again.

        Only weights and term lists are recomputed (a fraction of a ranking's cost); a list's
        cutoff is scored when an update first needs it. The lists are taken on trust: the caller
        must know they were computed from exactly these inputs. None if they cannot have been
        (an article without a list, a list too long, naming an unknown article or its own).
        The index keeps the count dicts as they are given (copying them cost ~50 ms at 10,000 articles).
        """
        index = cls(count=count)
        if lists.keys() != inputs.keys():
            return None
        for url, listed in lists.items():
            related = index._related[url] = tuple(listed)
            if len(related) > count or url in related or len(set(related)) != len(related):
                return None
        if not inputs.keys() >= set(itertools.chain.from_iterable(index._related.values())):
            return None
        index._counts = {url: counts for url, (counts, _) in inputs.items()}
        index._frequency = Counter(itertools.chain.from_iterable(index._counts.values()))
        for url, (_, topics) in inputs.items():
            names = index._topics[url] = frozenset(topics)
            for name in names:
                index._members[name].add(url)
        index._ordered = {topic: sorted(urls) for topic, urls in index._members.items()}
        index._reweigh()
        return index

    def _reweigh(self) -> None:
        """Every idf, vector and capped list from the counts: all but the ranking."""
        documents = len(self._counts)
        self._idf = {term: _idf(documents, number) for term, number in self._frequency.items() if number > 1}
        self._vectors, self._floors = {}, {}
        for url, counts in self._counts.items():
            self._vectors[url], self._floors[url] = _vector(counts, self._idf)
        self._postings = _term_postings(self._vectors)
        self._capped = _CappedLists(self._postings)

    def _rebuild(self, workers: int) -> None:
        """Every vector, capped list and related list from scratch."""
        self._reweigh()
        before = self._related
        self._related, self._cutoffs, self._regrouped = {}, {}, set()
        self._rank(list(self._counts), workers)
        gone = before.keys() - self._related.keys()
        self._changed = frozenset(url for url, related in self._related.items() if before.get(url) != related) | gone

    def _refresh(
        self, moved: set[str], retopiced: dict[str, frozenset[str]], shifted: dict[str, int], workers: int
    ) -> None:
        """Redo what the changes reach, with the article total unchanged."""
        revectored = self._revector(moved, shifted)
        recapped = self._recap({term for pair in revectored.values() for vector in pair for term in vector})
        rescore = {url for url in revectored if url in self._counts}
        rescore.update(retopiced)
        for topic in self._regrouped:  # an article came, went or moved: its topic neighbours did too
            rescore.update(self._members.get(topic, ()))
        self._regrouped = set()
        scoring = self._scoring()
        for url, others in self._suspects(recapped, retopiced).items():
            if url not in rescore and self._may_reorder(scoring, url, others):
                rescore.add(url)
        previous = {url: self._related.get(url) for url in rescore}
        gone = {url for url in moved if url not in self._counts}  # not a set op on keys: that walks them all
        for url in gone:
            del self._related[url]
            self._cutoffs.pop(url, None)
        self._rank(sorted(rescore), workers)
        self._changed = frozenset(url for url in rescore if previous[url] != self._related[url]) | gone

    def _recap(self, terms: set[str]) -> dict[str, set[str]]:
        """Recompute these terms' capped lists; return term -> urls whose entry in it changed."""
        recapped: dict[str, set[str]] = {}
        for term in terms:
            capped = _cap(self._postings[term]) if term in self._postings else {}
            old = self._capped.pop(term, {})
            if capped:
                self._capped[term] = capped
            if capped != old:
                recapped[term] = {url for url in old.keys() | capped.keys() if old.get(url) != capped.get(url)}
        return recapped

    def _suspects(self, recapped: dict[str, set[str]], retopiced: dict[str, frozenset[str]]) -> dict[str, set[str]]:
        """For each article, the candidates whose score for it may have changed."""
        suspects: dict[str, set[str]] = defaultdict(set)
        for term, urls in recapped.items():
            for url in self._postings.get(term, ()):
                suspects[url] |= urls
        for other, before in retopiced.items():
            after = self._topics[other]
            for term in self._vectors[other]:
                if other in self._capped[term]:
                    for url in self._postings[term]:
                        mine = self._topics[url]
                        if mine and len(mine & before) != len(mine & after):  # else its bonus is as it was
                            suspects[url].add(other)
        return suspects

    def _revector(self, moved: set[str], shifted: dict[str, int]) -> dict[str, tuple[_Vector, _Vector]]:
        """Recompute the vectors the changes can reach; return those that differ, url -> (old, new)."""
        revectored: dict[str, tuple[_Vector, _Vector]] = {}
        present = {url for url in moved if url in self._counts}
        for url in moved - present:
            revectored[url] = (self._vectors.pop(url), {})
            del self._floors[url]
        for url in present | self._reached(moved, shifted):
            vector, self._floors[url] = _vector(self._counts[url], self._idf)
            prior = self._vectors.get(url)
            if prior is None or list(prior.items()) != list(vector.items()):  # order too: scores are summed in it
                self._vectors[url] = vector
                revectored[url] = (prior or {}, vector)
        for old, new in revectored.values():  # their capped lists as they were, for _recap to compare
            for term in itertools.chain(old, new):
                if term in self._postings:
                    _ = self._capped[term]  # made now if it was not yet
        for url, (old, new) in revectored.items():
            for term in old:
                entries = self._postings[term]
                del entries[url]
                if not entries:
                    del self._postings[term]
            for term, weight in new.items():
                self._postings.setdefault(term, {})[url] = weight
        return revectored

    def _reached(self, moved: set[str], shifted: dict[str, int]) -> set[str]:
        """Update the idf of the terms whose document frequency changed; return the unedited
        articles whose vectors that can change.

        Only those with such a term among their strongest, whose weights set the norm, or
        whose term now outranks the weakest of those; the other terms' weights do not depend
        on it. A weight that fell cannot enter, so most of a common term's articles are skipped.
        """
        documents = len(self._counts)
        reached: set[str] = set()
        rising: dict[str, float] = {}  # term -> idf, of the terms whose idf rose or that count now
        for term, change in shifted.items():
            reached.update(self._postings.get(term, ()))
            frequency = self._frequency.get(term, 0)
            if frequency <= 1:  # too rare to count now
                self._idf.pop(term, None)
                continue
            idf = self._idf[term] = _idf(documents, frequency)
            if change > 0 and frequency - change > 1:  # counted before, and its idf fell
                continue
            rising[term] = idf
        if rising:  # one pass over every article's counts finds those that have these terms
            terms = set(rising)
            for url, counts in self._counts.items():
                if url in moved:
                    continue
                found = terms.intersection(counts) if len(terms) > 4 else [term for term in terms if term in counts]
                for term in found:
                    floor = self._floors[url]
                    weight = _tf(counts[term]) * rising[term]  # as _vector computes it, to the bit
                    if floor is None or (weight, term) > floor:
                        reached.add(url)
        return reached - moved

    def _may_reorder(self, scoring: _Scoring, url: str, others: set[str]) -> bool:
        """Whether new scores of ``others`` as candidates for ``url`` can change its list.

        Every other candidate scores as before, so the list stands unless one of these was
        on it or now outranks its last entry.
        """
        related = self._related[url]
        if not others.isdisjoint(related):
            return True
        if url in self._cutoffs:
            cutoff = self._cutoffs[url]
        else:  # a resumed list: its last article is not among ``others``, so it scores as when it was ranked
            cutoff = self._cutoffs[url] = self._resumed_cutoff(scoring, url, related)
        for other in others:
            if other == url:
                continue
            score = scoring.score(url, other)
            if score is not None and (cutoff is None or _key(score, other) < cutoff):
                return True
        return False

    def _resumed_cutoff(self, scoring: _Scoring, url: str, related: tuple[str, ...]) -> _Key | None:
        if len(related) < self._count:
            return None
        score = scoring.score(url, related[-1])
        return None if score is None else _key(score, related[-1])  # None: it is ranked again

    def _scoring(self) -> _Scoring:
        return _Scoring(self._vectors, self._capped, self._topics, self._members, self._ordered, self._count)

    def _rank(self, urls: list[str], workers: int) -> None:
        """Score ``urls`` afresh, on ``workers`` cores when there are many."""
        for url, related, cutoff in _rank_all(self._scoring(), urls, workers):
            self._related[url], self._cutoffs[url] = related, cutoff


@dataclass(frozen=True)
class _Scoring:
    """What scoring one article's candidates needs: every vector and the capped term lists."""

    vectors: Mapping[str, Mapping[str, float]]
    capped: Mapping[str, Mapping[str, float]]
    topic_sets: Mapping[str, frozenset[str]]
    topic_members: Mapping[str, set[str]]  # topic -> urls of the articles that have it
    topic_ordered: Mapping[str, Sequence[str]]  # topic -> the same urls, sorted
    count: int

    def topic_neighbours(self, url: str, mine: frozenset[str]) -> set[str]:
        """Articles near ``url`` in its rarest topics: candidates whatever words they use."""
        rarest = sorted(mine, key=lambda topic: (len(self.topic_ordered[topic]), topic))[:TOPICS_CONSULTED]
        half = TOPIC_NEIGHBOURS // 2
        neighbours: set[str] = set()
        for topic in rarest:
            ordered = self.topic_ordered[topic]
            place = bisect.bisect_left(ordered, url)
            neighbours.update(ordered[max(0, place - half) : place], ordered[place + 1 : place + 1 + half])
        neighbours.discard(url)
        return neighbours

    def rank(self, url: str) -> tuple[tuple[str, ...], _Key | None]:
        """The best candidates for one article, by shared term weight plus shared topics, and the
        key of the last of them if there are ``count``."""
        scores: dict[str, float] = {}
        get = scores.get
        for term, weight in self.vectors[url].items():
            for other, other_weight in self.capped[term].items():
                scores[other] = get(other, 0.0) + weight * other_weight
        scores.pop(url, None)
        mine = self.topic_sets.get(url)
        if mine:
            for other in self.topic_neighbours(url, mine):
                scores.setdefault(other, 0.0)
        if mine and scores:  # set intersections in C, not one per candidate
            shared: Counter[str] = Counter()
            for topic in mine:
                shared.update(scores.keys() & self.topic_members[topic])
            for other, topics in shared.items():
                scores[other] += TOPIC_BONUS * topics
        candidates: Iterable[tuple[str, float]] = scores.items()
        if len(scores) > self.count:  # rank only those near the top: rounding can tie a lower score
            floor = sorted(scores.values(), reverse=True)[self.count - 1] - _ROUNDING_MARGIN
            candidates = [(other, score) for other, score in candidates if score >= floor]
        best = heapq.nsmallest(self.count, candidates, key=lambda item: (-round(item[1], 9), item[0]))
        cutoff = _key(best[-1][1], best[-1][0]) if best and len(best) == self.count else None
        return tuple(other for other, _ in best), cutoff

    def score(self, url: str, other: str) -> float | None:
        """The score ``rank`` gives ``other`` for ``url``, summed in the same order; None if not a candidate."""
        total: float | None = None
        for term, weight in self.vectors[url].items():
            other_weight = self.capped[term].get(other)
            if other_weight is not None:
                total = (total or 0.0) + weight * other_weight
        mine = self.topic_sets.get(url, frozenset())
        if total is None and mine and other in self.topic_neighbours(url, mine):
            total = 0.0
        if total is not None and mine:
            total += TOPIC_BONUS * len(mine & self.topic_sets.get(other, frozenset()))
        return total


_ROUNDING_MARGIN = 1e-8  # wider than rounding to 9 places can move a score


def _key(score: float, url: str) -> _Key:
    return (-round(score, 9), url)  # as rank orders candidates


_shared: list[_Scoring] = []  # the scoring a worker process was set up with (see _share)


def _share(scoring: _Scoring) -> None:
    _shared[:] = [scoring]


_Ranked = tuple[str, tuple[str, ...], _Key | None]  # url, its related urls, the key of the last


def _rank_all(scoring: _Scoring, urls: list[str], workers: int, defer: bool = False) -> Iterator[_Ranked]:
    """Rank ``urls``, on ``workers`` cores when there are many."""
    try:
        chunks = fork_map(_rank_chunk, urls, initializer=_share, initargs=(scoring,), workers=workers, defer=defer)
    finally:
        _shared.clear()  # do not keep the scoring alive through the module
    for chunk in chunks:
        yield from chunk


def _rank_chunk(urls: Sequence[str]) -> list[_Ranked]:
    return [(url, *_shared[0].rank(url)) for url in urls]


def _idf(documents: int, frequency: int) -> float:
    """A term's inverse document frequency; computed by this one expression, so it is the same to the bit."""
    return math.log(1 + documents / frequency)


def _vector(counts: Mapping[str, int], idf: Mapping[str, float]) -> tuple[dict[str, float], _Key | None]:
    """An article's strongest terms by tf-idf, normalised to unit length, and the unnormalised
    (weight, term) of the weakest of them if there are TERMS_PER_ARTICLE."""
    weights = [
        ((_TF[count] if 0 < count < _TF_COUNTS else _tf(count)) * idf[term], term)  # _tf's value, without a call
        for term, count in counts.items()
        if term in idf  # a word no other article has cannot relate it to one
    ]
    weights.sort(reverse=True)  # a sort in C: twice as fast as heapq.nlargest with a key
    strongest = weights[:TERMS_PER_ARTICLE]
    norm = math.sqrt(sum(weight * weight for weight, _ in strongest)) or 1.0
    floor = strongest[-1] if len(strongest) == TERMS_PER_ARTICLE else None
    return {term: weight / norm for weight, term in strongest}, floor


def _tf(count: int) -> float:
    """A term's weight in an article from its count, before idf; the one expression, so the same to the bit."""
    return 1 + math.log(count)


_TF_COUNTS = 256
_TF = [0.0, *map(_tf, range(1, _TF_COUNTS))]  # for the counts most terms have


def _term_postings(vectors: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Term -> url -> weight, over every vector."""
    postings: defaultdict[str, dict[str, float]] = defaultdict(dict)
    for url, vector in vectors.items():
        for term, weight in vector.items():
            postings[term][url] = weight
    return dict(postings)


class _CappedLists(dict[str, dict[str, float]]):
    """Each term's capped list, made from its postings when first asked for: after a resume,
    most are never asked for (capping them all cost ~0.1 s at 10,000 articles)."""

    def __init__(self, postings: Mapping[str, Mapping[str, float]]) -> None:
        super().__init__()
        self._postings = postings

    def __missing__(self, term: str) -> dict[str, float]:
        capped = self[term] = _cap(self._postings[term])
        return capped


def _cap(entries: Mapping[str, float]) -> dict[str, float]:
    """A term's strongest POSTINGS_CAP articles (url -> weight), strongest first, ties by URL."""
    ranked = [(weight, url) for url, weight in entries.items()]  # a list: nlargest sorts it if it is short
    return {url: weight for weight, url in heapq.nlargest(POSTINGS_CAP, ranked)}
