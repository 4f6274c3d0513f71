"""Full-text search: one text analysis feeding a static index for browsers and a whoosh index.

* ``search_index_files(site, root)``: the build step's work: analyse (cached by content
  key in ``.sitegen/search/``) and produce the files of ``site/search/``.
* ``update_whoosh_index(root)`` and ``search_archive(root, query)`` (in ``whoosh_index``):
  bring the whoosh index up to date with the last build, off the build's critical path, and
  query it for ``sitegen search``.

Layering: this package reads the model and writes nothing outside ``.sitegen/search/``; it
never imports the build, the renderer or the server.
"""

from __future__ import annotations

import hashlib
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, is_not
from pathlib import Path

from sitegen.errors import Problem
from sitegen.model import Article, Site
from sitegen.search.analysis import Analysis
from sitegen.search.cache import (
    IndexedArticle,
    LayoutRecord,
    SearchCache,
    article_key,
    decode_record,
    encode_record,
    index_record,
)
from sitegen.search.documents import DocumentText, document_text
from sitegen.search.patch import Change, Unpatchable, patch_index
from sitegen.search.static_index import LAYOUT, IndexState, StaticIndexer, client_source

__all__ = [
    "IndexedArticle",
    "PublishedIndex",
    "SearchCache",
    "SearchFiles",
    "StaticIndexer",
    "article_key",
    "encode_record",
    "index_record",
    "search_index_files",
]


@dataclass(frozen=True)
class SearchFiles:
    """The files of ``site/search/`` (None: keep the file as it is), and what made them."""

    files: Mapping[str, bytes | None]
    warnings: list[Problem]
    # With a kept indexer that built on its last build: the paths made anew or dropped since.
    # None: unknown, every file may have changed.
    changed: frozenset[str] | None = None
    # The search cache's generation that describes these files, for the build cache to record
    # with them (see ``PublishedIndex``); "": none does.
    generation: str = ""


@dataclass(frozen=True)
class PublishedIndex:
    """The search files of the site in place, as the build cache (saved with that site) records them.

    A build with no kept indexer patches those files when few articles changed, instead of
    making every file anew; it trusts the search cache's state only when the cache holds
    the very save (``generation``) that the site in place was built with: a build killed, or
    failed, after the search cache was saved never published what it saved.
    """

    generation: str  # the search cache's generation recorded with the site in place ("": unknown)
    intact: Callable[[Iterable[str]], bool]  # whether each search/PATH in the site is as that build wrote it
    read: Callable[[str], bytes | None]  # the bytes of search/PATH, if so (None otherwise)


def search_index_files(
    site: Site,
    root: Path,
    reusable: Callable[[str], bool] | None = None,
    encoded: Mapping[str, bytes] | None = None,
    indexer: StaticIndexer | None = None,
    sink: Callable[[Mapping[str, bytes]], None] | None = None,
    previous: PublishedIndex | None = None,
) -> SearchFiles:
    """The files of ``site/search/`` (paths relative to it) and any cache warnings.

    Without a kept ``indexer``, each document's files may go to ``sink`` as they are made,
    to be written at once instead of held; they are then listed with None.

    ``encoded`` holds stored-form records by key (made by the load workers); the other
    articles' records come from the cache, or are analysed now. When no article changed
    since the last build and ``reusable(path)`` confirms that each file the last build wrote
    is still intact, every value is None.

    A kept ``indexer`` (the preview's) remembers its last build's articles and keys, and
    what it last stored in the cache. The articles that are the same objects as last time
    are taken as unchanged, so only the others are keyed and indexed anew. While the cache
    holds what it stored (no other build saved since), nothing is read back, and something
    is stored only when the index's state changed (document ids, shards, big terms): then
    only what changed since it last stored. Only the state shapes what a later build
    writes, so an edit that leaves it alone (most do) costs no write; until the next save,
    the cache holds the earlier build as a whole, which ``sitegen search`` then shows.

    Without a kept indexer, ``previous`` (the site in place's files) lets a build after a
    few articles changed patch those files instead (see ``patch``); the files it does not
    change are listed with None.
    """
    memo: _Memo | None = None
    if indexer is not None and isinstance(indexer.stored, _Memo):
        memo, indexer.stored = indexer.stored, None  # put back only once this build succeeds
    keys = _Keys.of(tuple(site.articles), memo)
    with SearchCache(root) as cache:
        saved = memo.saved if memo is not None else None
        if saved is not None and (
            indexer is None
            or indexer.state is not saved.state
            or cache.warnings
            or cache.generation() != saved.generation
        ):
            saved = None  # another build saved since, or this indexer starts afresh: read the cache
        run = _Run(site, keys, cache, encoded or {}, sink)
        if saved is None or indexer is None or memo is None:
            files = run.rebuild(reusable, indexer, previous if indexer is None else None)
        else:
            files = run.update(saved, memo.pending, indexer)
        if indexer is not None and indexer.kept and run.indexed:
            indexer.stored = _Memo(keys, run.saved, run.pending)
        generation = run.saved.generation if run.saved is not None else run.kept_generation
        return SearchFiles(files, list(cache.warnings), run.changed, generation)


@dataclass(frozen=True)
class _Saved:
    """What a build stored in the search cache, as far as its next build needs to know."""

    generation: str  # the cache's generation after the save
    inputs: str  # the digest of the layout and client (see _inputs)
    fingerprint: str
    paths: tuple[str, ...]  # the index's files, sorted
    path_set: frozenset[str]
    state: IndexState


class _Keys:
    """Every article's URL and content key, and the manifest they make, kept from build to build.

    A kept builder passes the same article objects again for unchanged files, so a build
    after an edit looks only at the articles that are not where they were: comparing
    references is cheap, while reading each article's URL, let alone its key's digest,
    costs more than the edit.
    """

    def __init__(self, articles: tuple[Article, ...]) -> None:
        self.articles = articles  # held, so that the ids of those objects stay theirs
        self.urls: list[str] = list(map(attrgetter("url"), articles))  # by position in ``articles``
        self.keys: list[str] = list(map(article_key, articles))
        self.manifest = dict(zip(self.urls, self.keys, strict=True))  # URL -> content key
        self.total = _digest_sum(self.manifest.items())  # the manifest's digest sum
        # The articles that may have been added, changed or removed (None) since the last
        # build, by URL; None: unknown (every article may have).
        self.changed: dict[str, Article | None] | None = None

    @classmethod
    def of(cls, articles: tuple[Article, ...], memo: _Memo | None) -> _Keys:
        """The keys of ``articles``; those of the last build's (``memo``), brought up to date."""
        if memo is None:
            return cls(articles)
        keys = memo.keys
        old = keys.articles
        if len(old) == len(articles):
            moved = list(compress(range(len(articles)), map(is_not, articles, old)))
            if len(moved) * 8 <= len(articles):
                return keys._moved(articles, moved)
        return keys._rematched(articles)

    def _moved(self, articles: tuple[Article, ...], moved: list[int]) -> _Keys:
        """Brought up to date where the articles are not the ones at the same place last time."""
        at = {id(self.articles[i]): (self.urls[i], self.keys[i]) for i in moved}
        found = [at.pop(id(articles[i]), None) for i in moved]
        return self._update(articles, list(zip(moved, found, strict=True)), [url for url, _ in at.values()])

    def _rematched(self, articles: tuple[Article, ...]) -> _Keys:
        """Brought up to date by finding each article among the last build's."""
        at = dict(zip(map(id, self.articles), zip(self.urls, self.keys, strict=True), strict=True))
        found = [at.pop(id(article), None) for article in articles]
        self.urls, self.keys = [""] * len(articles), [""] * len(articles)
        return self._update(articles, list(enumerate(found)), [url for url, _ in at.values()])

    def _update(
        self, articles: tuple[Article, ...], places: list[tuple[int, tuple[str, str] | None]], gone: list[str]
    ) -> _Keys:
        """Put the articles at ``places`` (with their URL and key, if known) in; ``gone`` URLs out."""
        changed: dict[str, Article | None] = dict.fromkeys(gone)
        fresh: dict[str, str] = {}  # URL -> key, of the articles not found
        for place, known in places:
            if known is None:
                article = articles[place]
                known = (article.url, article_key(article))
                changed[article.url] = article
                fresh[article.url] = known[1]
            self.urls[place], self.keys[place] = known
        for url in changed:
            key = self.manifest.pop(url, None)
            if key is not None:
                self.total -= _digest_sum([(url, key)])
            if url in fresh:
                self.manifest[url] = fresh[url]
                self.total += _digest_sum([(url, fresh[url])])
        self.total %= _MODULUS
        self.articles, self.changed = articles, changed
        return self


@dataclass(frozen=True)
class _Memo:
    """What a kept indexer remembers between builds (``StaticIndexer.stored``)."""

    keys: _Keys
    saved: _Saved | None  # None: its last build stored nothing
    pending: frozenset[str]  # URLs whose manifest row may differ from what was stored


class _Run:
    """One call of ``search_index_files``: the records it reads or makes, and what it stores."""

    def __init__(
        self,
        site: Site,
        keys: _Keys,
        cache: SearchCache,
        encoded: Mapping[str, bytes],
        sink: Callable[[Mapping[str, bytes]], None] | None = None,
    ) -> None:
        self.site, self.keys, self.cache, self.encoded, self.sink = site, keys, cache, encoded, sink
        self.records: dict[str, bytes] = {}  # read from the cache, or made now
        self.redone: set[str] = set()  # records made now
        self.saved: _Saved | None = None
        self.pending: frozenset[str] = frozenset()
        self.indexed = False  # whether the indexer was brought up to date with ``keys``
        self.changed: frozenset[str] | None = None  # as ``SearchFiles.changed``
        self.ahead: _ReadAhead | None = None  # the stored records, read as the indexer asks
        self.kept_generation = ""  # the cache's generation, when the files kept are the ones it describes

    def source(self, article: Article) -> tuple[Analysis, DocumentText]:
        """An article's analysis and text, decoded from its record, or made now."""
        key = self.keys.manifest[article.url]
        data = self.record(key)
        if data is None and self.ahead is not None:  # a rebuild: its window was read, absent is absent
            data = self.ahead.take(key)
        elif data is None:  # an update whose indexer started afresh asks for all
            data = self.cache.stored([key]).get(key)
        record = decode_record(key, data) if data is not None else None
        if record is None:  # not analysed yet, or stored by another version
            record = index_record(article)
            self.records[key] = encode_record(record)
            self.redone.add(key)
        return record.analysis, document_text(record.analysis)

    def record(self, key: str) -> bytes | None:
        """A record in stored form, if at hand (one made now first)."""
        data = self.records.get(key)
        return self.encoded.get(key) if data is None else data

    def rebuild(
        self,
        reusable: Callable[[str], bool] | None,
        indexer: StaticIndexer | None,
        previous: PublishedIndex | None = None,
    ) -> Mapping[str, bytes | None]:
        """Build from the cache as stored: the whole manifest, the state and files it records."""
        cache, manifest = self.cache, self.keys.manifest
        inputs = _inputs()
        fingerprint = _fingerprint(inputs, self.keys.total)
        last, paths = cache.built()
        if reusable is not None and last == fingerprint and paths and all(map(reusable, paths)):
            if previous is not None and previous.generation == cache.generation():
                self.kept_generation = previous.generation  # else the cache may hold another state
            return dict.fromkeys(paths)
        if previous is not None and previous.generation and previous.generation == cache.generation():
            patched = self.patch(previous, inputs, fingerprint, paths)
            if patched is not None:
                return patched
        self.ahead = _ReadAhead(cache, [key for key in manifest.values() if key not in self.encoded])
        index = (indexer or StaticIndexer(kept=False, sink=self.sink)).build(
            self.site, self.source, cache.state(), manifest, self.keys.changed
        )
        self.ahead = None
        self.indexed, self.changed = True, index.changed
        paths = sorted([*index.files, *index.handed])
        everything = ChainMap(self.records, dict(self.encoded))
        layout = LayoutRecord(inputs, index.small_total)
        generation = cache.save_build(manifest, everything, index.state, fingerprint, paths, self.redone, layout)
        self.saved = _Saved(generation, inputs, fingerprint, tuple(paths), frozenset(paths), index.state)
        return {**index.files, **dict.fromkeys(index.handed)}

    def patch(
        self, previous: PublishedIndex, inputs: str, fingerprint: str, paths: list[str]
    ) -> Mapping[str, bytes | None] | None:
        """Patch the files of the site in place for the articles changed since (None: cannot).

        The cache holds the save the site in place was built with (the caller checked), so
        its manifest, state and analyses describe those files.
        """
        cache, manifest = self.cache, self.keys.manifest
        layout = cache.layout()
        if layout is None or layout.inputs != inputs or not paths:
            return None
        stored = cache.manifest()
        changed = [url for url, key in manifest.items() if stored.get(url) != key]
        changed += [url for url in stored if url not in manifest]
        if len(changed) > _PATCH_MOST:
            return None  # a build from scratch costs less
        state = cache.state()
        if state.ids.keys() != stored.keys():  # saved together: anything else is not this cache's doing
            return None
        old_records = cache.stored(stored[url] for url in changed if url in stored)
        changes: list[Change] = []
        for url in changed:
            before = None
            if url in stored:
                data = old_records.get(stored[url])
                record = decode_record(stored[url], data) if data is not None else None
                if record is None:
                    return None
                before = (state.ids[url], record.analysis.tokens)
            after = None
            if url in manifest:
                article = self.site.article(url)
                analysis, text = self.source(article)
                after = (article, analysis.tokens, text)
            changes.append(Change(before, after))
        try:
            patched = patch_index(self.site, state, changes, paths, layout.small_total, previous.read)
        except Unpatchable:
            return None
        if not previous.intact(path for path, data in patched.files.items() if data is None):
            return None  # the files to keep must be there: a build from scratch makes them
        new_paths = sorted(patched.files)
        same_paths = new_paths == paths
        rows = {url: manifest[url] for url in changed if url in manifest}
        made = ((key, self.record(key)) for key in {*rows.values(), *self.redone})
        records = {key: data for key, data in made if data is not None}
        removed = [url for url in changed if url not in manifest]
        new_layout = LayoutRecord(inputs, patched.small_total)
        state_now = None if patched.state == state else patched.state
        generation = cache.save_changes(
            previous.generation,
            rows,
            removed,
            records,
            fingerprint,
            None if same_paths else new_paths,
            state_now,
            new_layout,
        )
        if generation is None:  # another build saved meanwhile
            return None
        self.saved = _Saved(generation, inputs, fingerprint, tuple(new_paths), frozenset(new_paths), patched.state)
        return patched.files

    def update(self, saved: _Saved, pending: frozenset[str], indexer: StaticIndexer) -> Mapping[str, bytes | None]:
        """Build on what the kept ``indexer`` last stored, and store only what changed since.

        The indexer holds every file, so when nothing changed it has nothing to do: files
        are not checked for reuse (the same bytes objects come back for unchanged files).
        """
        cache, manifest, changed = self.cache, self.keys.manifest, self.keys.changed or {}
        self.saved, self.pending = saved, pending.union(changed)
        wanted = (manifest[url] for url, article in changed.items() if article is not None)
        self.records.update(cache.stored(key for key in wanted if key not in self.encoded))
        index = indexer.build(self.site, self.source, saved.state, manifest, self.keys.changed)
        self.indexed, self.changed = True, index.changed
        if index.state is saved.state:  # nothing a later build depends on changed: store nothing
            return index.files
        fingerprint = _fingerprint(saved.inputs, self.keys.total)
        rows = {url: manifest[url] for url in self.pending if url in manifest}
        made = ((key, self.record(key)) for key in {*rows.values(), *self.redone})
        new = {key: data for key, data in made if data is not None}
        same_paths = index.files.keys() == saved.path_set
        paths = saved.paths if same_paths else tuple(sorted(index.files))
        removed = [url for url in self.pending if url not in manifest]
        stored = cache.save_changes(
            saved.generation, rows, removed, new, fingerprint, None if same_paths else paths, index.state
        )
        if stored is None:  # another build saved meanwhile: store it all, as a build from scratch
            everything = ChainMap(self.records, dict(self.encoded))
            stored = cache.save_build(manifest, everything, index.state, fingerprint, paths, self.redone)
        path_set = saved.path_set if same_paths else frozenset(paths)
        self.saved = _Saved(stored, saved.inputs, fingerprint, paths, path_set, index.state)
        self.pending = frozenset()
        return index.files


class _ReadAhead:
    """Stored records read from the cache a batch at a time, and let go once taken.

    The indexer asks for the records in document order, which follows the manifest's
    order or its reverse, so each read takes the keys on both sides of the one asked for:
    however large the archive, only a few hundred records are held at once.
    """

    def __init__(self, cache: SearchCache, keys: list[str]) -> None:
        self.cache, self.keys = cache, keys
        self.place = {key: number for number, key in enumerate(keys)}
        self.read = bytearray(len(keys))  # 1 where the key was read (or asked for) already
        self.batch: dict[str, bytes] = {}

    def take(self, key: str) -> bytes | None:
        """The stored record of ``key``, if it is one of the keys and stored."""
        if key not in self.batch:
            number = self.place.get(key)
            if number is None or self.read[number]:
                return None
            start, end = max(0, number - _READ_AHEAD), min(len(self.keys), number + _READ_AHEAD)
            window = [self.keys[i] for i in range(start, end) if not self.read[i]]
            self.read[start:end] = b"\x01" * (end - start)
            self.batch.update(self.cache.stored(window))
        return self.batch.pop(key, None)


_READ_AHEAD = 250  # records read on each side of the one asked for
_PATCH_MOST = 32  # articles changed beyond which patching the index on disk costs more than building it

_MODULUS = 2**128


def _digest_sum(entries: Iterable[tuple[str, str]]) -> int:
    """The sum of the manifest entries' digests: updated entry by entry as the manifest changes."""
    total = 0
    for url, key in entries:
        digest = hashlib.blake2b(f"{url}\x1f{key}".encode("utf-8", "surrogatepass"), digest_size=16).digest()
        total += int.from_bytes(digest, "big")
    return total % _MODULUS


def _inputs() -> str:
    """A digest of what shapes the static index besides the manifest: the layout and the client."""
    return hashlib.blake2b(f"{LAYOUT}\x1f{client_source()}".encode(), digest_size=16).hexdigest()


def _fingerprint(inputs: str, total: int) -> str:
    """A digest of everything the static index is made from (``total``: the manifest's digest sum)."""
    return hashlib.blake2b(f"{inputs}\x1f{total:032x}".encode(), digest_size=16).hexdigest()
