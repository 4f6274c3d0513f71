"""The static search index under ``site/search/``: data files the browser client reads.

Every file is a line of JavaScript, ``sitegenSearch.register("PATH", DATA);``, so it loads
by ``fetch`` (the client strips the wrapper and parses the JSON) or, from ``file://``, by a
``<script>`` tag. Files hold raw counts, never scores, so a file changes only when its own
data does, and an edit to one article rewrites only the files that mention it:

* ``meta.js``: global statistics (document count, total field lengths), the field boosts,
  the BM25 parameters and the sharding parameters (shard count, split prefixes);
* ``t/N.js``: postings of the terms whose group key hashes to shard N (see ``group_key``);
  a big term (over ``BIG_TERM`` bytes) appears there as 0, its postings in ``t/bHASH.js``:
  ``{term: code}``, where code is, per field, the field number, the posting count and the
  smallest length byte, then for each document the id delta, the term frequency and the
  field's length byte above the smallest, as varints (see ``postings.encode_field``);
* ``p/N.js``: the same terms' positions (per posting, deltas), loaded for phrases only;
* ``d/F/ID.js``: one document's card: URL, title, date, summary, authors, topics, source,
  sections and where its text chunks end; ``x/F/ID-G.js``: its text, a few chunks a file
  (see ``documents``);
* ``v/KEY.js``: the vocabulary typos are corrected to, by length and first or last letter
  (see ``fuzzy``), loaded only when a query word is found in too few documents;
* ``dates.js``: every document's date, three characters each, for date filters and sorting;
* ``facets.js`` and ``f/*.js``: topics, sources and authors with their document ids.

Document ids and shard parameters persist between builds in an ``IndexState`` so that file
names and contents stay put; a missing state only means one full rewrite.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from operator import itemgetter
from types import MappingProxyType

from sitegen.model import Article, Site
from sitegen.search.analysis import BM25_B, BM25_K1, BOOSTS, CHUNK_CHARS, FIELDS, Analysis
from sitegen.search.documents import EXCERPT_CHARS, INLINE_CHARS, DocumentText, document_data, document_text
from sitegen.search.encoding import ALPHABET, code_table, fnv1a, varint
from sitegen.search.fuzzy import vocabulary_files
from sitegen.search.layout import GROUP_MAX, KEY_LENGTH, SHARD_TARGET, Layout, big_name, group_key, shard_of
from sitegen.search.postings import OneOffPostings, Postings, TermCodes, length_to_byte
from sitegen.search.query import day_number

__all__ = [  # what other modules and the tests take from here, some of it defined elsewhere
    "ALPHABET",
    "CLIENT_FILE",
    "GLOBAL_FILE",
    "LAYOUT",
    "IndexState",
    "StaticIndex",
    "StaticIndexer",
    "analyses_of",
    "assign_ids",
    "big_name",
    "build_static_index",
    "classic_script",
    "client_source",
    "day_code",
    "facet_files",
    "fnv1a",
    "group_key",
    "length_to_byte",
    "meta_file",
    "parse_data_file",
    "shard_of",
    "varint",
    "wrap_body",
    "wrap_data",
]

FORMAT = 3
BIG_TERM = 8_000  # a term with more bytes of postings than this gets a file of its own
DOCS_PER_FOLDER = 1000
# A one-off index builds its postings in a pass per DOCS_PER_PASS documents, at most PASSES:
# each pass holds a part of them; the first goes over every token, the later ones over the
# compact strings it leaves them.
DOCS_PER_PASS = 10_000
PASSES = 3
# Everything above that shapes the files: a change lays the index out anew (ids stay).
LAYOUT = (
    f"{FORMAT}-{SHARD_TARGET}-{GROUP_MAX}-{BIG_TERM}-{KEY_LENGTH}-{CHUNK_CHARS}-{DOCS_PER_FOLDER}"
    f"-{EXCERPT_CHARS}-{INLINE_CHARS}"
)
CLIENT_FILE = "sitegen-search.js"
GLOBAL_FILE = "sitegen-search.global.js"

_DATE_WIDTH = 3
_DATE_OFFSET = 400_000  # days before 1970 a date may reach; dates are stored from there
NO_DATE = "~" * _DATE_WIDTH


@dataclass(frozen=True)
class IndexState:
    """What keeps the index's file names stable from build to build."""

    ids: Mapping[str, int] = field(default_factory=dict)  # article URL -> document id
    shards: int = 0
    split: frozenset[str] = frozenset()  # prefixes whose terms are grouped by a longer prefix
    big: frozenset[str] = frozenset()  # terms with files of their own
    layout: str = LAYOUT  # the constants shards, split and big were chosen under

    def to_json(self) -> dict[str, object]:
        """Plain data for saving."""
        return {
            "format": FORMAT,
            "ids": dict(self.ids),
            "shards": self.shards,
            "split": sorted(self.split),
            "big": sorted(self.big),
            "layout": self.layout,
        }

    @classmethod
    def from_json(cls, data: object) -> IndexState:
        """Read saved data; anything unexpected gives the empty state (a full rewrite)."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls()
        ids, shards, split, big = data.get("ids"), data.get("shards"), data.get("split"), data.get("big")
        if not (isinstance(ids, dict) and isinstance(shards, int) and isinstance(split, list)):
            return cls()
        if not isinstance(big, list):
            return cls()
        clean = {url: i for url, i in ids.items() if isinstance(url, str) and isinstance(i, int) and i >= 0}
        if len(set(clean.values())) != len(clean):
            return cls()
        strings = frozenset(s for s in split if isinstance(s, str)), frozenset(t for t in big if isinstance(t, str))
        return cls(clean, max(shards, 0), *strings, layout=str(data.get("layout", "")))


@dataclass(frozen=True)
class StaticIndex:
    """The index's files (paths relative to ``search/``) and the state to keep."""

    files: Mapping[str, bytes]  # a kept indexer's own: read it before its next build
    state: IndexState
    handed: tuple[str, ...] = ()  # files handed to the indexer's sink instead (not in ``files``)
    # The files made or dropped since the kept indexer's last build, when this one built on
    # it; None: unknown (take every file as changed).
    changed: frozenset[str] | None = None
    small_total: int = 0  # the sizes of the terms in numbered shards, which the shard count follows


class _Files(dict[str, bytes]):
    """The index's files, with the paths set or deleted since ``changed`` was last cleared.

    A kept index of 10,000 articles has some 15,000 files, of which an edit changes a few
    dozen: noting them where they are set saves going over every file after each edit.
    Only ``files[path] = ...``, ``del files[path]`` and ``discard`` are noted: the other
    ways dict has to change itself (``update``, ``pop``, ``setdefault``) would go unseen.
    """

    def __init__(self) -> None:
        super().__init__()
        self.changed: set[str] = set()

    def __setitem__(self, path: str, data: bytes) -> None:
        self.changed.add(path)
        super().__setitem__(path, data)

    def __delitem__(self, path: str) -> None:
        self.changed.add(path)
        super().__delitem__(path)

    def discard(self, path: str) -> None:
        """Delete the file at ``path``, if there is one."""
        if path in self:
            del self[path]


AnalysisSource = Callable[[Article], tuple[Analysis, DocumentText]]  # an article's analysis and text


def analyses_of(analyses: Mapping[str, Analysis]) -> AnalysisSource:
    """A source over analyses already made, by article URL (the text cut from each)."""

    def source(article: Article) -> tuple[Analysis, DocumentText]:
        analysis = analyses[article.url]
        return analysis, document_text(analysis)

    return source


def build_static_index(site: Site, source: AnalysisSource, previous: IndexState | None = None) -> StaticIndex:
    """Every file of ``site/search/``; ``source`` gives each article's analysis and text."""
    return StaticIndexer(kept=False).build(site, source, previous)


class StaticIndexer:
    """Makes the static index, and remakes it after a change by redoing only what the change touched.

    A one-off build uses it once. A long-lived builder (the preview) keeps one: it holds
    every term's postings and every file in memory, so after an edit only the changed
    articles are analysed into it, only their terms re-encoded (for a common term, only the
    blocks of postings their documents are in), laid out and wrapped anew, and the dates,
    facets and meta files remade only where they changed. The files are the same as a build
    from scratch would write from the same state.
    """

    def __init__(self, *, kept: bool = True, sink: Callable[[Mapping[str, bytes]], None] | None = None) -> None:
        self._kept = kept  # False: used once, so what only a next build needs is not held
        # A one-off index hands each document's files to ``sink`` as soon as they are made,
        # instead of holding them: they are most of the index (440 MB at 100,000 articles).
        self._sink = sink if not kept else None
        self._handed: list[str] = []
        # What the caller last stored of this indexer's output (``search_index_files`` keeps
        # its record of the search cache here), so that the next build need not read it back.
        self.stored: object = None
        self._reset(IndexState())

    def _reset(self, previous: IndexState) -> None:
        self._postings = Postings(remember=self._kept)
        self._codes = TermCodes(blocks=self._kept)
        self._layout = Layout(previous.shards, previous.split)
        self._state: IndexState | None = None  # what the last build left; None: nothing held
        self._keys: dict[str, str] = {}  # URL -> content key, of the articles indexed
        self._doc_paths: dict[int, tuple[str, ...]] = {}  # document id -> its files
        self._days: list[str] = []  # by document id, as in dates.js
        self._facets = _Facets()
        self._files = _Files()
        self._vocabulary_state: dict[str, object] = {}  # path -> data of the vocabulary files written

    @property
    def kept(self) -> bool:
        """Whether it is kept for a next build (else used once)."""
        return self._kept

    @property
    def state(self) -> IndexState | None:
        """The state the last build left (None when a next build starts afresh)."""
        return self._state

    def build(
        self,
        site: Site,
        source: AnalysisSource,
        previous: IndexState | None = None,
        keys: Mapping[str, str] | None = None,
        changed: Mapping[str, Article | None] | None = None,
    ) -> StaticIndex:
        """The files; ``keys`` (URL -> content key) tells which articles are as last indexed.

        A content key must change whenever anything the index shows of the article does
        (its analysis, text, title, date, summary). Each article is asked of ``source`` only
        when new or changed, and its analysis let go at once, so a source that decodes stored
        analyses keeps only postings in memory. ``changed``, if given, holds by URL every
        article that may have been added, changed or removed (None) since this indexer's last
        build, so that no other article is looked at: a long-lived builder knows what it
        changed, and going over every article costs more than the edit itself.
        """
        previous = previous or IndexState()
        if previous.layout != LAYOUT:
            previous = IndexState(previous.ids)
        built_on = keys is not None and self._kept and previous == self._state
        if not built_on:
            self._reset(previous)  # start afresh: what is held may not match
            changed = None
        self._files.changed.clear()
        self._state = None  # until this build is done: one that fails half way leaves nothing to build on
        if changed is None or keys is None:
            ids, gone, redo = self._compare_all(site, previous, keys)
        else:
            ids, gone, redo = self._compare(changed, previous, keys)
        coded: set[str] = set()  # the terms whose postings codes changed
        placed: set[str] = set()  # the terms whose positions changed
        fields: dict[str, set[int]] = {}  # the fields they changed in, if known (only edits tell)
        whole: set[str] = set()  # the terms of documents added or removed: every field may change
        days, postings = self._days, self._postings
        again = set(gone).intersection(doc_id for doc_id, _ in redo)  # indexed anew under their ids
        for doc_id in gone:
            if doc_id not in again:
                terms = postings.remove(doc_id)
                coded |= terms
                placed |= terms
                whole |= terms
            for path in self._doc_paths.pop(doc_id):
                del self._files[path]
            days[doc_id] = NO_DATE
        slots = len(days) if ids is previous.ids and days else max(ids.values(), default=-1) + 1
        dates_changed = bool(gone or redo) or len(days) != slots or "dates.js" not in self._files
        del days[slots:]
        days.extend([NO_DATE] * (slots - len(days)))
        if not self._kept and not gone:  # a one-off index: every document is new
            coded = placed = self._index_in_passes(redo, source)
        else:
            for doc_id, article in redo:
                analysis, text = source(article)
                if doc_id in again:
                    codes, places, numbers = postings.replace(doc_id, analysis.tokens)
                    for term, changed_fields in numbers.items():
                        fields.setdefault(term, set()).update(changed_fields)
                else:
                    codes = places = postings.add(doc_id, analysis.tokens)
                    whole |= codes
                coded |= codes
                placed |= places
                self._add_document(doc_id, article, text)
            for term in whole.intersection(fields):
                del fields[term]
            touched = {doc_id for doc_id, _ in redo}.union(gone)
            self._codes.update(coded, placed, postings.by_field, touched, fields)
        self._write_shards(*self._layout.place(self._codes.entries, coded, placed, previous.big, BIG_TERM))
        if dates_changed:
            self._files["dates.js"] = wrap_data("dates.js", "".join(days))
        self._facets.update(site, ids, self._files)
        if coded or "v/" not in self._vocabulary_state:
            self._write_vocabulary()
        self._write_meta(len(ids), slots)
        state = self._state_after(previous, ids)
        total = self._layout.small_total
        if not self._kept:
            return StaticIndex(self._files, state, tuple(self._handed), small_total=total)
        if keys is not None:
            self._state = state
        changed_files = frozenset(self._files.changed) if built_on else None
        return StaticIndex(MappingProxyType(self._files), state, changed=changed_files, small_total=total)

    def _add_document(self, doc_id: int, article: Article, text: DocumentText) -> None:
        """The document's own file, and its date."""
        data = document_data(article, text, DOCS_PER_FOLDER, doc_id)
        files = {path: wrap_data(path, value) for path, value in data.items()}
        if self._sink is not None:
            self._sink(files)
            self._handed.extend(files)
        else:
            for path, file_bytes in files.items():
                self._files[path] = file_bytes
        self._doc_paths[doc_id] = tuple(data)
        self._days[doc_id] = day_code(article)

    def _index_in_passes(self, redo: Sequence[tuple[int, Article]], source: AnalysisSource) -> set[str]:
        """Index every document of a one-off index, in passes over a part of the terms each; all the terms.

        Postings are the index's bulk in memory, while the codes made from them are a
        fraction of that: building and encoding them a part at a time keeps the peak down.
        The first pass is made as the analyses are read, and hands back the later parts'
        postings as compact strings, so the tokens are gone over once.
        """
        passes = max(1, min(PASSES, -(-len(redo) // DOCS_PER_PASS)))
        later: list[list[str]] = [[] for _ in range(passes - 1)]  # each later part's postings, a string a document
        postings = OneOffPostings((0, passes))
        for doc_id, article in redo:
            analysis, text = source(article)
            for documents, document in zip(later, postings.add(doc_id, analysis.tokens), strict=True):
                documents.append(document)
            self._add_document(doc_id, article, text)
        self._postings.totals[:] = postings.totals  # the same in each part
        terms = self._codes.add_all(postings)
        for part, documents in enumerate(later, 1):
            del postings  # before the next part's are made
            postings = OneOffPostings((part, passes))
            for (doc_id, _), document in zip(redo, documents, strict=True):
                postings.add_later(doc_id, document)
            documents.clear()
            terms |= self._codes.add_all(postings)
        return terms

    def _compare_all(
        self, site: Site, previous: IndexState, keys: Mapping[str, str] | None
    ) -> tuple[Mapping[str, int], list[int], list[tuple[int, Article]]]:
        """Ids, and the documents to drop and to (re)index, from every article's key."""
        ids = assign_ids(site.articles, previous.ids)
        current = dict(keys) if keys is not None else dict.fromkeys(ids, "")
        last = self._keys
        gone = [previous.ids[url] for url in last.keys() - current.keys()]
        urls = [url for url, _ in current.items() - last.items()]
        gone += [ids[url] for url in urls if url in last]
        self._keys = current
        return ids, gone, sorted(((ids[url], site.article(url)) for url in urls), key=itemgetter(0))

    def _compare(
        self, changed: Mapping[str, Article | None], previous: IndexState, keys: Mapping[str, str]
    ) -> tuple[Mapping[str, int], list[int], list[tuple[int, Article]]]:
        """Ids, and the documents to drop and to (re)index, from the articles that may have changed."""
        removed = {url for url, article in changed.items() if article is None and url in previous.ids}
        added = [article for url, article in changed.items() if article is not None and url not in previous.ids]
        ids: Mapping[str, int] = previous.ids
        if removed or added:
            ids = _with_new_ids({url: i for url, i in previous.ids.items() if url not in removed}, added)
        last = self._keys
        gone: list[int] = []
        redo: list[tuple[int, Article]] = []
        for url, article in changed.items():
            before, after = last.get(url), keys[url] if article is not None else None
            if before == after:
                continue
            if before is not None:
                gone.append(previous.ids[url])
                del last[url]
            if article is not None and after is not None:
                redo.append((ids[url], article))
                last[url] = after
        return ids, gone, sorted(redo, key=itemgetter(0))

    def _state_after(self, previous: IndexState, ids: Mapping[str, int]) -> IndexState:
        """The state to keep; ``previous`` itself when nothing in it changed."""
        layout = self._layout
        same_layout = layout.shards == previous.shards and layout.split == previous.split
        if ids is previous.ids and same_layout and layout.big == previous.big:
            return previous
        state = IndexState(ids, layout.shards, frozenset(layout.split), frozenset(layout.big))
        return previous if state == previous else state

    def _write_vocabulary(self) -> None:
        """Remake the files ``v/KEY.js`` of the terms typos are corrected to (see ``fuzzy``),
        writing only those whose terms changed."""
        buckets = vocabulary_files(self._codes.entries)
        made: dict[str, object] = {f"v/{key}.js": " ".join(terms) for key, terms in buckets.items()}
        made["v/keys.js"] = sorted(buckets)  # which exist: the client asks for no file that is not there
        for path in self._vocabulary_state.keys() - made.keys() - {"v/"}:
            self._files.discard(path)
        for path, text in made.items():
            if self._vocabulary_state.get(path) != text:
                self._files[path] = wrap_data(path, text)
        self._vocabulary_state = {"v/": "", **made}

    def _write_shards(self, postings: Iterable[str], places: Iterable[str]) -> None:
        """Remake the files ``t/NAME.js`` of ``postings`` and ``p/NAME.js`` of ``places`` (or drop them)."""
        for folder, names in (("t", postings), ("p", places)):
            for name in names:
                path = f"{folder}/{name}.js"
                body = self._shard_body(name, folder == "t")
                if body is None:
                    self._files.discard(path)
                else:
                    self._files[path] = wrap_body(path, body)

    def _shard_body(self, name: str, postings: bool) -> str | None:
        """The JSON of a shard's postings or positions (None: the file is no more)."""
        entries, layout = self._codes.entries, self._layout
        terms = layout.files.get(name)
        numbered = name.isdigit()  # a big term is only a 0 there: "see t/bHASH.js" (and p/bHASH.js)
        if not terms and not (numbered and int(name) < layout.shards):
            return None
        ordered = sorted(terms or ())
        big = layout.big.intersection(ordered) if numbered else ()
        if postings:
            return "{" + ",".join([entries[term][3] if term in big else entries[term][1] for term in ordered]) + "}"
        return "{" + ",".join([entries[term][2] for term in ordered if term not in big]) + "}"

    def _write_meta(self, docs: int, slots: int) -> None:
        layout = self._layout
        self._files["meta.js"] = meta_file(docs, slots, self._postings.totals, layout.shards, layout.split)
        if CLIENT_FILE not in self._files:
            client = client_source()
            self._files[CLIENT_FILE] = client.encode("utf-8")
            self._files[GLOBAL_FILE] = classic_script(client).encode("utf-8")


def meta_file(docs: int, slots: int, lengths: Sequence[int], shards: int, split: Iterable[str]) -> bytes:
    """meta.js: the global statistics and the parameters the client needs first."""
    meta = {
        "format": FORMAT,
        "docs": docs,
        "slots": slots,
        "fields": list(FIELDS),
        "boosts": [BOOSTS[name] for name in FIELDS],
        "b": BM25_B,
        "k1": BM25_K1,
        "lengths": list(lengths),
        "shards": shards,
        "split": sorted(split),
        "keyLength": KEY_LENGTH,
        "docsPerFolder": DOCS_PER_FOLDER,
    }
    return wrap_data("meta.js", meta)


def facet_files(site: Site, ids: Mapping[str, int]) -> dict[str, bytes]:
    """facets.js and every ``f/*.js``, as a build from scratch makes them."""
    files: dict[str, bytes] = {}
    _Facets().update(site, ids, files)
    return files


def assign_ids(articles: Sequence[Article], previous: Mapping[str, int]) -> dict[str, int]:
    """Stable document ids: kept for known URLs, freed ids reused, new ones oldest first."""
    urls = {article.url for article in articles}
    if urls == previous.keys():
        return dict(previous)
    ids = {url: doc_id for url, doc_id in previous.items() if url in urls}
    return _with_new_ids(ids, [article for article in articles if article.url not in ids])


def _with_new_ids(ids: dict[str, int], new: Sequence[Article]) -> dict[str, int]:
    """``ids`` with ids for the ``new`` articles: the free ones first, oldest article first."""
    taken = set(ids.values())
    free = (i for i in itertools.count() if i not in taken)
    for article in sorted(new, key=lambda a: a.sort_key):
        if article.url not in ids:
            ids[article.url] = next(free)
    return ids


def _encode_numbers(numbers: list[int]) -> str:
    codes = code_table()
    if max(numbers) < len(codes):
        return "".join(map(codes.__getitem__, numbers))
    return "".join(varint(n) for n in numbers)


def day_code(article: Article) -> str:
    """An article's date as in dates.js: days from ``_DATE_OFFSET`` before 1970, three symbols."""
    value = min(max(day_number(article.date) + _DATE_OFFSET, 0), 90**_DATE_WIDTH - 1)
    digits = ""
    for _ in range(_DATE_WIDTH):
        digits = ALPHABET[value % 90] + digits
        value //= 90
    return digits


class _Facets:
    """facets.js and ``f/*.js``: topics, sources and authors with their document ids.

    A kept index remakes a facet's file only when its articles changed: an article keeps
    its id from build to build, so the same articles give the same ids.
    """

    def __init__(self) -> None:
        self._made: dict[str, tuple[tuple[str, ...], int]] = {}  # path -> (the facet's article URLs, doc count)
        self._listing: dict[str, list[list[object]]] | None = None
        self._hashes: dict[str, int] = {}  # slug -> its FNV-1a

    def update(self, site: Site, ids: Mapping[str, int], files: MutableMapping[str, bytes]) -> None:
        """Put the facet files of ``site`` into ``files``, dropping those no longer there."""
        made: dict[str, tuple[tuple[str, ...], int]] = {}
        listing: dict[str, list[list[object]]] = {}
        for key in ("topics", "sources", "authors"):
            rows: list[list[object]] = []
            for term in site.taxonomies.get(key, ()):
                if term.slug not in self._hashes:
                    self._hashes[term.slug] = fnv1a(term.slug)
                path = f"f/{key[0]}{self._hashes[term.slug]:08x}.js"
                while path in made:
                    path = path[:-3] + "x.js"
                known = self._made.get(path)
                if known is None or known[0] != term.article_urls:
                    docs = sorted(ids[url] for url in term.article_urls if url in ids)
                    deltas = [docs[0], *(b - a for a, b in itertools.pairwise(docs))] if docs else []
                    files[path] = wrap_data(path, _encode_numbers(deltas) if deltas else "")
                    known = (term.article_urls, len(docs))
                made[path] = known
                rows.append([term.name, term.slug, path, known[1]])
            listing[key] = rows
        for path in self._made.keys() - made.keys():
            del files[path]
        self._made = made
        if listing != self._listing:
            files["facets.js"] = wrap_data("facets.js", listing)
            self._listing = listing


def wrap_data(path: str, data: object) -> bytes:
    return wrap_body(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def wrap_body(path: str, body: str) -> bytes:
    return f"sitegenSearch.register({json.dumps(path)}, {body});\n".encode()


def parse_data_file(data: bytes) -> object:
    """The JSON inside a data file (for tests and tools; the client does the same)."""
    text = data.decode("utf-8")
    return json.loads(text[text.index(", ") + 2 : text.rindex(")")])


def client_source() -> str:
    """The ES module source of the browser client, as shipped: without comments and indentation.

    Every byte counts in what a search downloads; the source keeps no template literal or
    string that spans lines with meaningful leading blanks, and no line that starts with //
    other than a comment, so dropping those is safe.
    """
    text = resources.files("sitegen.search").joinpath("client", CLIENT_FILE).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    code = "".join(f"{line}\n" for line in lines if line and not line.startswith("//"))
    return f"// sitegen-search.js, the client of sitegen's search index (see sitegen's source for comments)\n{code}"


_EXPORT = re.compile(r"^export (?=(?:async )?function|const|class)", re.MULTILINE)
_EXPORTED = re.compile(r"^export (?:async )?(?:function\*?|const|class) ([A-Za-z_$][\w$]*)", re.MULTILINE)


def classic_script(module_source: str) -> str:
    """The client as a classic script that sets ``window.sitegenSearch`` (for ``file://``).

    Browsers refuse ES modules from ``file://``, so the same source is wrapped in a function
    whose exports become properties of the global ``sitegenSearch``.
    """
    names = _EXPORTED.findall(module_source)
    body = _EXPORT.sub("", module_source)
    exported = ", ".join(names)
    return (
        "// Generated by sitegen from sitegen-search.js: the same code as a classic script.\n"
        "(function () {\n"
        f"{body}\n"
        "const api = globalThis.sitegenSearch || (globalThis.sitegenSearch = {});\n"
        f"Object.assign(api, {{ {exported} }});\n"
        "})();\n"
    )
