"""Related articles: the incremental index agrees exactly with a computation from scratch."""

from __future__ import annotations

import heapq
import math
import random
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest
from conftest import MakeSite, Run, article, tree_bytes

from sitegen import related
from sitegen.related import RelatedIndex, related_articles

Counts = dict[str, dict[str, int]]
Topics = dict[str, tuple[str, ...]]
TOPICS = ("energy", "climate", "transport", "health", "housing", "water")


def reference_related(term_counts: Mapping[str, Mapping[str, int]], topics: Mapping[str, Iterable[str]]) -> dict:
    """The related lists as computed before the incremental index, kept here as the standard."""
    documents = len(term_counts)
    frequency: dict[str, int] = defaultdict(int)
    for counts in term_counts.values():
        for term in counts:
            frequency[term] += 1
    vectors = {}
    for url, counts in term_counts.items():
        weights = {
            term: (1 + math.log(count)) * math.log(1 + documents / frequency[term])
            for term, count in counts.items()
            if frequency[term] > 1
        }
        strongest = heapq.nlargest(related.TERMS_PER_ARTICLE, weights.items(), key=lambda item: (item[1], item[0]))
        norm = math.sqrt(sum(weight * weight for _, weight in strongest)) or 1.0
        vectors[url] = {term: weight / norm for term, weight in strongest}
    postings: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for url, vector in vectors.items():
        for term, weight in vector.items():
            postings[term].append((weight, url))
    capped = {term: heapq.nlargest(related.POSTINGS_CAP, entries) for term, entries in postings.items()}
    topic_sets = {url: frozenset(names) for url, names in topics.items()}
    ordered: dict[str, list[str]] = defaultdict(list)
    for url, names in sorted(topic_sets.items()):
        for name in names:
            ordered[name].append(url)
    result = {}
    for url, vector in vectors.items():
        scores: dict[str, float] = defaultdict(float)
        for term, weight in vector.items():
            for other_weight, other in capped[term]:
                if other != url:
                    scores[other] += weight * other_weight
        mine = topic_sets.get(url, frozenset())
        # Articles near this one (in URL order) in its rarest topics are candidates too.
        half = related.TOPIC_NEIGHBOURS // 2
        for name in sorted(mine, key=lambda name: (len(ordered[name]), name))[: related.TOPICS_CONSULTED]:
            members = ordered[name]
            place = members.index(url)
            for other in members[max(0, place - half) : place] + members[place + 1 : place + 1 + half]:
                scores[other] += 0.0
        if mine:
            for other in scores:
                scores[other] += related.TOPIC_BONUS * len(mine & topic_sets.get(other, frozenset()))
        best = heapq.nsmallest(related.RELATED_COUNT, scores.items(), key=lambda item: (-round(item[1], 9), item[0]))
        result[url] = tuple(other for other, _ in best)
    return result


class Corpus:
    """Small synthetic articles over a small, skewed vocabulary and a pool of rare words, so
    that shared terms, terms of one article, full and short vectors and crowded term lists
    all occur, and edits move terms across all of those."""

    def __init__(self, seed: int, articles: int = 300, vocabulary: int = 90) -> None:
        self.rng = random.Random(seed)
        self.terms = [f"t{rank}" for rank in range(vocabulary)]
        self.term_weights = [1 / (rank + 1) ** 0.8 for rank in range(vocabulary)]
        self.rare = [f"r{rank}" for rank in range(articles)]
        self.next_id = 0
        self.counts: Counts = {}
        self.topics: Topics = {}
        for _ in range(articles):
            url = self.new_url()
            self.counts[url], self.topics[url] = self.words(), self.some_topics()

    def new_url(self) -> str:
        self.next_id += 1
        return f"/a/{self.next_id:04d}/"

    def words(self) -> dict[str, int]:
        size = self.rng.randint(1, 18)
        chosen = set(self.rng.choices(self.terms, self.term_weights, k=size))
        chosen.update(self.rng.sample(self.rare, self.rng.randint(0, 3)))
        return {term: self.rng.randint(1, 9) for term in chosen}

    def some_topics(self) -> tuple[str, ...]:
        return tuple(self.rng.sample(TOPICS, self.rng.randint(0, 2)))

    def edit(self) -> dict[str, tuple[dict[str, int], tuple[str, ...]] | None]:
        """One random change: to one article's counts, terms or topics, or an article added,
        removed or renamed, or several at once."""
        rng, urls = self.rng, sorted(self.counts)
        kind = rng.choice(["counts", "counts", "terms", "terms", "topics", "add", "remove", "rename", "many", "same"])
        if kind == "many":
            changes: dict[str, tuple[dict[str, int], tuple[str, ...]] | None] = {}
            for url in rng.sample(urls, 4):
                self.counts[url] = self.words()
                if rng.random() < 0.5:
                    self.topics[url] = self.some_topics()
                changes[url] = (self.counts[url], self.topics[url])
            return changes
        if kind == "add":
            url = self.new_url()
            self.counts[url], self.topics[url] = self.words(), self.some_topics()
            return {url: (self.counts[url], self.topics[url])}
        url = rng.choice(urls)
        if kind in ("remove", "rename"):
            counts, topics = self.counts.pop(url), self.topics.pop(url)
            if kind == "remove":
                return {url: None}
            renamed = self.new_url()
            self.counts[renamed], self.topics[renamed] = counts, topics
            return {url: None, renamed: (counts, topics)}
        counts = dict(self.counts[url])
        if kind == "counts" and counts:
            for term in rng.sample(sorted(counts), rng.randint(1, len(counts))):
                counts[term] = rng.randint(1, 9)
        elif kind == "terms":
            for _ in range(rng.randint(1, 2)):
                if counts and rng.random() < 0.5:
                    del counts[rng.choice(sorted(counts))]
                else:
                    term = (
                        rng.choice(self.rare) if rng.random() < 0.5 else rng.choices(self.terms, self.term_weights)[0]
                    )
                    counts[term] = rng.randint(1, 9)
        elif kind == "topics":
            self.topics[url] = self.some_topics()
        self.counts[url] = counts
        return {url: (counts, self.topics[url])}


@pytest.mark.parametrize("cap", [3, 64])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_related_articles_gives_the_lists_it_always_gave(monkeypatch: pytest.MonkeyPatch, seed: int, cap: int) -> None:
    monkeypatch.setattr(related, "POSTINGS_CAP", cap)
    corpus = Corpus(seed)
    assert related_articles(corpus.counts, corpus.topics) == reference_related(corpus.counts, corpus.topics)


@pytest.mark.parametrize(("seed", "cap"), [(11, 3), (12, 4), (13, 4), (14, 8), (15, 64)])
def test_every_update_gives_the_lists_of_a_computation_from_scratch(
    monkeypatch: pytest.MonkeyPatch, seed: int, cap: int
) -> None:
    monkeypatch.setattr(related, "POSTINGS_CAP", cap)
    corpus = Corpus(seed)
    index = RelatedIndex()
    lists = index.update({url: (counts, corpus.topics[url]) for url, counts in corpus.counts.items()})
    assert lists == related_articles(corpus.counts, corpus.topics)
    assert index.changed_urls == set(lists)
    for step in range(100):
        change = corpus.edit()
        updated = index.update(change)
        expected = related_articles(corpus.counts, corpus.topics)
        assert updated == expected, f"step {step}: {change}"
        differs = {url for url in lists.keys() | expected.keys() if lists.get(url) != expected.get(url)}
        assert index.changed_urls == differs, f"step {step}: {change}"
        lists = updated


@pytest.mark.parametrize("cap", [4, 64])
def test_the_cap_matters_in_these_corpora(monkeypatch: pytest.MonkeyPatch, cap: int) -> None:
    """Some term lists are longer than the cap, so the tests above exercise capping."""
    corpus = Corpus(11)
    monkeypatch.setattr(related, "POSTINGS_CAP", 10_000)
    uncapped = related_articles(corpus.counts, corpus.topics)
    monkeypatch.setattr(related, "POSTINGS_CAP", cap)
    assert related_articles(corpus.counts, corpus.topics) != uncapped


def test_a_returned_dict_is_not_changed_by_later_updates() -> None:
    corpus = Corpus(5, articles=50)
    index = RelatedIndex()
    first = index.update({url: (counts, corpus.topics[url]) for url, counts in corpus.counts.items()})
    kept = dict(first)
    index.update({url: None for url in list(corpus.counts)[:10]})
    assert first == kept


def test_an_update_that_changes_nothing_changes_no_list() -> None:
    corpus = Corpus(6, articles=80)
    index = RelatedIndex()
    everything = {url: (counts, corpus.topics[url]) for url, counts in corpus.counts.items()}
    first = index.update(everything)
    assert index.update(everything) == first
    assert index.changed_urls == frozenset()
    assert index.update({"/not/there/": None}) == first
    assert index.changed_urls == frozenset()


def test_scoring_on_two_cores_gives_the_same_lists() -> None:
    corpus = Corpus(7, articles=400)
    assert related_articles(corpus.counts, corpus.topics, workers=2) == related_articles(corpus.counts, corpus.topics)


def test_an_article_with_no_shared_term_or_topic_has_no_related_articles() -> None:
    counts = {"/a/": {"tram": 3, "quay": 2}, "/b/": {"tram": 2}, "/c/": {"unique": 5}}
    topics = {"/a/": ("transport",), "/b/": ("transport",), "/c/": ("water",)}
    assert related_articles(counts, topics) == {"/a/": ("/b/",), "/b/": ("/a/",), "/c/": ()}


def test_articles_sharing_topics_are_related_without_a_shared_word() -> None:
    """A Russian and an English article on the same topics share no word, and are related;
    shared words still count: they rank an article with words and topics in common first."""
    counts = {
        "/en/korea-talks/": {"talks": 3, "pyongyang": 2, "envoy": 2},
        "/en/korea-envoy/": {"talks": 2, "envoy": 3},
        "/ru/peregovory/": {"переговоры": 3, "пхеньян": 2},
        "/en/tram-line/": {"tram": 3},
    }
    topics = {
        "/en/korea-talks/": ("Russia", "North Korea"),
        "/en/korea-envoy/": ("North Korea",),
        "/ru/peregovory/": ("Russia", "North Korea"),
        "/en/tram-line/": ("Transport",),
    }
    lists = related_articles(counts, topics)
    assert lists["/ru/peregovory/"] == ("/en/korea-talks/", "/en/korea-envoy/")
    assert lists["/en/korea-talks/"] == ("/en/korea-envoy/", "/ru/peregovory/")
    assert lists["/en/tram-line/"] == ()
    index = RelatedIndex()
    assert index.update({url: (terms, topics[url]) for url, terms in counts.items()}) == lists


def test_a_renamed_article_without_shared_terms_gets_an_empty_list() -> None:
    counts = {"/a/": {"tram": 3}, "/b/": {"tram": 2}, "/c/": {}}
    index = RelatedIndex()  # no topics: a renamed article with no words has nothing in common
    index.update({url: (terms, ()) for url, terms in counts.items()})
    assert index.update({"/c/": None, "/d/": ({}, ())}) == {"/a/": ("/b/",), "/b/": ("/a/",), "/d/": ()}
    assert index.changed_urls == {"/c/", "/d/"}


@pytest.mark.parametrize("counts", [{}, {"tram": 3}, {"été": 2, "日本": 12, "co2": 2, "straße": 40}])
def test_term_counts_survive_their_one_string_form(counts: dict[str, int]) -> None:
    encoded = related.encode_term_counts(counts.items())
    assert isinstance(encoded, str)
    assert related.decode_term_counts(encoded) == counts


def encoded(corpus: Corpus) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The corpus as the build cache keeps it: each article's counts in their one string form."""
    return {
        url: (related.encode_term_counts(counts.items()), corpus.topics[url]) for url, counts in corpus.counts.items()
    }


@pytest.mark.parametrize(("seed", "cap"), [(21, 3), (22, 4), (23, 8), (24, 64)])
def test_an_index_resumed_from_saved_lists_updates_them_as_a_computation_from_scratch(
    monkeypatch: pytest.MonkeyPatch, seed: int, cap: int
) -> None:
    """As `sitegen build` does, from the inputs and lists the last build saved; and, as the
    preview does, several updates in a row of an index resumed once."""
    monkeypatch.setattr(related, "POSTINGS_CAP", cap)
    corpus = Corpus(seed)
    lists = related_articles(corpus.counts, corpus.topics)
    index = None
    for step in range(80):
        if index is None or corpus.rng.random() < 0.5:
            inputs = {url: (dict(counts), corpus.topics[url]) for url, counts in corpus.counts.items()}
            index = RelatedIndex.resume(inputs, lists)
            assert index is not None
        change = corpus.edit()
        updated = index.update(change)
        expected = related_articles(corpus.counts, corpus.topics)
        assert updated == expected, f"step {step}: {change}"
        differs = {url for url in lists.keys() | expected.keys() if lists.get(url) != expected.get(url)}
        assert index.changed_urls == differs, f"step {step}: {change}"
        lists = updated


@pytest.mark.parametrize("seed", [31, 32])
def test_update_related_gives_the_lists_of_a_computation_from_scratch_and_what_changed(seed: int) -> None:
    corpus = Corpus(seed, articles=150)
    lists = related_articles(corpus.counts, corpus.topics)
    previous = encoded(corpus)
    for step in range(40):
        change = corpus.edit()
        current = encoded(corpus)
        expected = related_articles(corpus.counts, corpus.topics)
        differs = {url for url in lists.keys() | expected.keys() if lists.get(url) != expected.get(url)}
        assert related.update_related(previous, lists, current) == (expected, differs), f"step {step}: {change}"
        previous, lists = current, expected


@pytest.mark.parametrize("terms", ["t1 2 t2", "t1 two", "t1 0", "t1 -3"])
def test_saved_terms_that_are_not_counts_mean_a_computation_from_scratch(terms: str) -> None:
    corpus = Corpus(42, articles=60)
    lists = related_articles(corpus.counts, corpus.topics)
    previous = encoded(corpus)
    damaged = next(iter(previous))
    previous[damaged] = (terms, previous[damaged][1])
    edited = sorted(corpus.counts)[-1]
    corpus.counts[edited] = {**corpus.counts[edited], "t2": 5}
    expected = related_articles(corpus.counts, corpus.topics)
    assert related.update_related(previous, lists, encoded(corpus))[0] == expected


@pytest.mark.parametrize(
    "damage",
    ["an article without a list", "a list too long", "an unknown article", "its own url", "twice the same", "none"],
)
def test_lists_that_cannot_come_from_the_inputs_are_computed_from_scratch(damage: str) -> None:
    corpus = Corpus(41, articles=120)
    lists = related_articles(corpus.counts, corpus.topics)
    previous = encoded(corpus)
    url = next(url for url, listed in sorted(lists.items()) if len(listed) == related.RELATED_COUNT)
    damaged = dict(lists)
    if damage == "an article without a list":
        del damaged[url]
    elif damage == "a list too long":
        damaged[url] = (*lists[url], next(other for other in sorted(lists) if other not in (url, *lists[url])))
    elif damage == "an unknown article":
        damaged[url] = (*lists[url][:-1], "/not/an/article/")
    elif damage == "its own url":
        damaged[url] = (*lists[url][:-1], url)
    elif damage == "twice the same":
        damaged[url] = (*lists[url][:-1], lists[url][0])
    inputs = {url: (dict(counts), corpus.topics[url]) for url, counts in corpus.counts.items()}
    assert (RelatedIndex.resume(inputs, damaged) is None) == (damage != "none")
    edited = next(iter(corpus.counts))
    corpus.counts[edited] = {**corpus.counts[edited], "t1": 7}
    expected = related_articles(corpus.counts, corpus.topics)
    assert related.update_related(previous, damaged, encoded(corpus))[0] == expected


THEMES = {
    "tram": "The tram line reached the depot. Tram drivers and tram riders praised the depot, the line and its rails.",
    "glacier": "The glacier melted early. Glacier ice and glacier meltwater fed the valley, the ice thinner each year.",
    "harbour": "The harbour dredged its quay. Harbour cranes and harbour pilots met at the quay, ships waiting.",
}


def related_titles(page: Path) -> list[str]:
    """The titles an article page lists as related, in order."""
    aside = page.read_text(encoding="utf-8").partition('class="wrap related"')[2].partition("</aside>")[0]
    return [link.partition(">")[2].partition("<")[0] for link in aside.split("<a href=")[1:]]


def themed_archive(make_site: MakeSite) -> Path:
    files = {}
    for number, theme in enumerate(["tram"] * 4 + ["glacier"] * 4 + ["harbour"] * 4):
        title = f"{theme.title()} report {number}"
        files[f"content/{number:02d}.md"] = article(
            title, f"2024-03-{number + 1:02d}", THEMES[theme], slug=f"r{number}"
        )
    return make_site(files)


def clean_build(root: Path, sitegen: Callable[..., Run]) -> dict[str, bytes]:
    shutil.rmtree(root / ".sitegen")
    shutil.rmtree(root / "site")
    assert sitegen("build", cwd=root).code == 0
    return tree_bytes(root / "site")


def test_an_edit_of_an_articles_words_builds_the_pages_of_a_clean_build_without_ranking_every_article(
    make_site: MakeSite, sitegen: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = themed_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    page = root / "site/2024/03/r0/index.html"
    assert related_titles(page)[:3] == ["Tram report 1", "Tram report 2", "Tram report 3"]
    edited = article("Tram report 0", "2024-03-01", THEMES["glacier"], slug="r0")
    (root / "content/00.md").write_text(edited, encoding="utf-8")
    computed: list[int] = []  # how many articles each computation from scratch ranked
    from_scratch = related.related_articles
    monkeypatch.setattr(
        related,
        "related_articles",
        lambda terms, *args, **kw: computed.append(len(terms)) or from_scratch(terms, *args, **kw),
    )
    assert sitegen("build", cwd=root).code == 0
    assert computed == []  # resumed from the lists the first build saved
    assert related_titles(page)[:4] == [f"Glacier report {number}" for number in range(4, 8)]
    edited_build = tree_bytes(root / "site")
    assert clean_build(root, sitegen) == edited_build
    assert computed == [12]


def test_after_a_failed_build_the_lists_are_computed_anew_and_are_those_of_a_clean_build(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    """A failed build saves the articles it parsed but not its lists: they no longer match."""
    root = themed_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    (root / "content/05.md").write_text(article("Glacier report 5", "2024-03-06", THEMES["tram"], slug="r5"))
    (root / "content/zz.md").write_text(article("Broken", "2024-13-40"))
    assert sitegen("build", cwd=root).code == 1
    (root / "content/zz.md").unlink()
    assert sitegen("build", cwd=root).code == 0
    assert related_titles(root / "site/2024/03/r5/index.html")[:3] == [
        "Tram report 0",
        "Tram report 1",
        "Tram report 2",
    ]
    assert clean_build(root, sitegen) == tree_bytes(root / "site")
