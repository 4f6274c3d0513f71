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
  field's length byte above the smallest, as varints (see ``_encode_term``);
* ``p/N.js``: the same terms' positions (per posting, deltas), loaded for phrases only;
* ``d/F/ID.js``: one document's URL, title, date, summary and text (see ``documents``);
* ``dates.js``: every document's date, three characters each, for date filters and sorting;
* ``facets.js`` and ``f/*.js``: topics, sources and authors with their document ids.

Document ids and shard parameters persist between builds in an ``IndexState`` so that file
names and contents stay put; a missing state only means one full rewrite.
"""

from __future__ import annotations

import itertools
import json
import re
from bisect import bisect_left, insort
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from sitegen.model import Article, Site
from sitegen.search.analysis import (
    BM25_B,
    BM25_K1,
    BOOSTS,
    CHUNK_CHARS,
    FIELDS,
    LENGTH_TABLE,
    Analysis,
)
from sitegen.search.documents import DocumentText, document_data, document_text
from sitegen.search.encoding import ALPHABET, code, code_table, fnv1a, varint
from sitegen.search.query import day_number

FORMAT = 2
SHARD_TARGET = 8_000  # bytes of postings per numbered shard, on average (big terms aside)
GROUP_MAX = 12_000  # a prefix group bigger than this is split by one more character
BIG_TERM = 8_000  # a term with more bytes of postings than this gets a file of its own
KEY_LENGTH = 2  # a prefix of at least this many characters finds its terms in one shard
DOCS_PER_FOLDER = 1000
# Everything above that shapes the files: a change lays the index out anew (ids stay).
LAYOUT = f"{FORMAT}-{SHARD_TARGET}-{GROUP_MAX}-{BIG_TERM}-{KEY_LENGTH}-{CHUNK_CHARS}-{DOCS_PER_FOLDER}"
CLIENT_FILE = "sitegen-search.js"
GLOBAL_FILE = "sitegen-search.global.js"

_DATE_WIDTH = 3
_DATE_OFFSET = 400_000  # days before 1970 a date may reach; dates are stored from there
_NO_DATE = "~" * _DATE_WIDTH


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

    files: dict[str, bytes]
    state: IndexState


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
    every term's postings in memory, so after an edit only the changed articles are analysed
    into it, only their terms re-encoded and only the shards holding those terms wrapped
    anew. The files are the same as a build from scratch would write from the same state.
    """

    def __init__(self, *, kept: bool = True) -> None:
        self._kept = kept  # False: used once, so what only a next build needs is not held
        self._reset()

    def _reset(self) -> None:
        self._postings = _Postings(remember=self._kept)
        self._state: IndexState | None = None  # what the last build left; None: nothing held
        self._docs: dict[int, tuple[str, str]] = {}  # document id -> (URL, content key) indexed
        self._doc_files: dict[int, dict[str, bytes]] = {}
        self._encoded: dict[str, tuple[str, str]] = {}
        self._shards: dict[str, tuple[tuple[tuple[str, bool], ...], bytes, bytes]] = {}

    def build(
        self,
        site: Site,
        source: AnalysisSource,
        previous: IndexState | None = None,
        keys: Mapping[str, str] | None = None,
    ) -> StaticIndex:
        """The files; ``keys`` (URL -> content key) tells which articles are as last indexed.

        Each article is asked of ``source`` only when new or changed, and its analysis let
        go at once, so a source that decodes stored analyses keeps only postings in memory.
        """
        previous = previous or IndexState()
        if previous.layout != LAYOUT:
            previous = IndexState(previous.ids)
        if keys is None or previous != self._state or not self._kept:
            self._reset()  # start afresh: what is held may not match
        ids = assign_ids(site.articles, previous.ids)
        wanted = {doc_id: (url, keys[url] if keys is not None else "") for url, doc_id in ids.items()}
        gone = [doc_id for doc_id, entry in self._docs.items() if wanted.get(doc_id) != entry]
        touched: set[str] = set()
        for doc_id in gone:
            touched |= self._postings.remove(doc_id)
            del self._docs[doc_id], self._doc_files[doc_id]
        for doc_id, entry in sorted(wanted.items()):
            if doc_id in self._docs:
                continue
            article = site.article(entry[0])
            analysis, text = source(article)
            touched |= self._postings.add(doc_id, analysis.tokens)
            self._docs[doc_id] = entry
            data = document_data(article, text, DOCS_PER_FOLDER, doc_id)
            self._doc_files[doc_id] = {path: _wrap(path, value) for path, value in data.items()}
        by_field = self._postings.by_field
        for term in touched:
            if any(term in postings for postings in by_field):
                self._encoded[term] = _encode_term(term, by_field)
            else:
                self._encoded.pop(term, None)
        if not self._kept:  # the encoded postings are all the files need: free the rest now
            totals = self._postings.totals
            self._postings = _Postings(remember=False)
            self._postings.totals = totals
        by_id = sorted((doc_id, site.article(url)) for url, doc_id in ids.items())
        files = self._files(site, ids, by_id, previous, touched)
        self._state = files.state
        return files

    def _files(
        self,
        site: Site,
        ids: Mapping[str, int],
        by_id: Sequence[tuple[int, Article]],
        previous: IndexState,
        touched: set[str],
    ) -> StaticIndex:
        encoded = self._encoded
        files: dict[str, bytes] = {}
        for doc_files in self._doc_files.values():
            files.update(doc_files)
        sizes = {term: len(code) + len(term) + 6 for term, (code, _) in encoded.items()}
        # A term that once had a file of its own keeps it until it shrinks to half the limit.
        big = frozenset(t for t, n in sizes.items() if n > BIG_TERM or (t in previous.big and n > BIG_TERM // 2))
        shards, split = _shard_layout({t: n for t, n in sizes.items() if t not in big}, previous)
        grouped: dict[str, list[str]] = defaultdict(list)
        for term in encoded:
            grouped[str(shard_of(term, split, shards))].append(term)
            if term in big:
                grouped[big_name(term)].append(term)
        kept: dict[str, tuple[tuple[tuple[str, bool], ...], bytes, bytes]] = {}
        for name in sorted(set(grouped) | {str(number) for number in range(shards)}):
            # In its numbered shard, a big term is only a 0: "see t/bHASH.js" (and p/bHASH.js).
            elsewhere = name.isdigit()
            terms = tuple((term, elsewhere and term in big) for term in sorted(grouped[name]))
            shard = self._shards.get(name)
            if shard is None or shard[0] != terms or any(term in touched for term, _ in terms):
                postings_data = {t: 0 if only_zero else encoded[t][0] for t, only_zero in terms}
                places = {t: encoded[t][1] for t, only_zero in terms if not only_zero}
                shard = (terms, _wrap(f"t/{name}.js", postings_data), _wrap(f"p/{name}.js", places))
            kept[name] = shard
            files[f"t/{name}.js"], files[f"p/{name}.js"] = shard[1], shard[2]
        self._shards = kept
        slots = max(ids.values(), default=-1) + 1
        files["dates.js"] = _wrap("dates.js", _dates(by_id, slots))
        files.update(_facets(site, ids))
        meta = {
            "format": FORMAT,
            "docs": len(by_id),
            "slots": slots,
            "fields": list(FIELDS),
            "boosts": [BOOSTS[name] for name in FIELDS],
            "b": BM25_B,
            "k1": BM25_K1,
            "lengths": list(self._postings.totals),
            "shards": shards,
            "split": sorted(split),
            "keyLength": KEY_LENGTH,
            "docsPerFolder": DOCS_PER_FOLDER,
        }
        files["meta.js"] = _wrap("meta.js", meta)
        files[CLIENT_FILE] = client_source().encode("utf-8")
        files[GLOBAL_FILE] = classic_script(client_source()).encode("utf-8")
        return StaticIndex(files, IndexState(dict(ids), shards, split, big))


def assign_ids(articles: Sequence[Article], previous: Mapping[str, int]) -> dict[str, int]:
    """Stable document ids: kept for known URLs, freed ids reused, new ones oldest first."""
    urls = {article.url for article in articles}
    ids = {url: doc_id for url, doc_id in previous.items() if url in urls}
    taken = set(ids.values())
    free = (i for i in range(len(articles) + len(taken) + 1) if i not in taken)
    for article in sorted(articles, key=lambda a: a.sort_key):
        if article.url not in ids:
            ids[article.url] = next(free)
    return ids


def group_key(term: str, split: frozenset[str]) -> str:
    """The prefix that decides a term's shard: ``KEY_LENGTH`` characters, more where split."""
    length = KEY_LENGTH
    while length < len(term) and term[:length] in split:
        length += 1
    return term[:length]


def shard_of(term: str, split: frozenset[str], shards: int) -> int:
    """The numbered shard holding a term's postings (unless the term is big)."""
    return fnv1a(group_key(term, split)) % shards


def big_name(term: str) -> str:
    """The name of a big term's own files, ``t/NAME.js`` and ``p/NAME.js``."""
    return f"b{fnv1a(term):08x}"


Posting = tuple[int, int, int, str]  # document id, term frequency, field length byte, encoded positions


class _Postings:
    """Per field number, term -> postings in document order; and the total field lengths.

    This touches every token of the archive, so the per-posting work is done by C code
    (dict comprehensions, ``map``), not by Python statements: for each document and field,
    one tuple per distinct word is built and appended to that word's list in one sweep.
    A document added out of order (after an edit) is inserted in place instead.
    """

    def __init__(self, *, remember: bool = True) -> None:
        self.remember = remember  # keep each document's terms, so that it can be removed
        self.by_field: list[dict[str, list[Posting]]] = [defaultdict(list) for _ in FIELDS]
        self.totals = [0] * len(FIELDS)
        self._terms: dict[int, list[tuple[str, ...]]] = {}  # document id -> its terms, by field
        self._lengths: dict[int, list[int]] = {}  # document id -> its field lengths
        self._last = -1  # the highest document id added
        self._codes = code_table()
        self._sweep = deque[None](maxlen=0).extend

    def add(self, doc_id: int, tokens: Mapping[str, Sequence[str]]) -> set[str]:
        """Add one document; its terms."""
        codes = self._codes
        in_order = doc_id > self._last
        self._last = max(self._last, doc_id)
        field_terms: list[tuple[str, ...]] = []
        lengths: list[int] = []
        if self.remember:
            self._terms[doc_id], self._lengths[doc_id] = field_terms, lengths
        for number, name in enumerate(FIELDS):
            terms = tokens.get(name, ())
            lengths.append(len(terms))
            self.totals[number] += len(terms)
            if len(terms) >= len(codes):
                terms = terms[: len(codes) - 1]  # a field of 91,000+ words: the rest is not indexed
            length_byte = length_to_byte(len(terms))
            last = {term: place for place, term in enumerate(terms)}  # the place of a word seen once
            field_terms.append(tuple(last))
            if not terms:
                continue
            entries = [(doc_id, 1, length_byte, codes[place]) for place in last.values()]
            if len(last) < len(terms):
                repeated: dict[str, list[int]] = {t: [] for t, count in Counter(terms).items() if count > 1}
                for place, term in enumerate(terms):
                    if term in repeated:
                        repeated[term].append(place)
                for index, term in enumerate(last):
                    if term in repeated:
                        places = repeated[term]
                        entries[index] = (doc_id, len(places), length_byte, _gaps(places, codes))
            by_term = self.by_field[number]
            if in_order:
                self._sweep(map(list.append, map(by_term.__getitem__, last), entries))
            else:
                for term, entry in zip(last, entries, strict=True):
                    insort(by_term[term], entry)
        return {term for terms in field_terms for term in terms}

    def remove(self, doc_id: int) -> set[str]:
        """Take one document out; its terms."""
        field_terms = self._terms.pop(doc_id)
        for number, terms in enumerate(field_terms):
            by_term = self.by_field[number]
            for term in terms:
                postings = by_term[term]
                del postings[bisect_left(postings, (doc_id,))]
                if not postings:
                    del by_term[term]
        for number, length in enumerate(self._lengths.pop(doc_id)):
            self.totals[number] -= length
        return {term for terms in field_terms for term in terms}


def _gaps(places: list[int], codes: tuple[str, ...]) -> str:
    gaps = [places[0], *(b - a - 1 for a, b in itertools.pairwise(places))]
    return "".join(codes[gap] for gap in gaps)


def length_to_byte(length: int) -> int:
    """whoosh's one-byte field length (the byte the client turns back into a length)."""
    return 255 if length >= LENGTH_TABLE[255] else bisect_left(LENGTH_TABLE, length)


def _encode_numbers(numbers: list[int]) -> str:
    codes = code_table()
    if max(numbers) < len(codes):
        return "".join(map(codes.__getitem__, numbers))
    return "".join(varint(n) for n in numbers)


def _encode_term(term: str, postings: Sequence[Mapping[str, list[Posting]]]) -> tuple[str, str]:
    """A term's postings and positions codes.

    Per field: its number, the posting count and the smallest length byte, then per posting
    the document id gap, the term frequency and the length byte above that smallest one
    (articles of similar length have close bytes, so this is mostly one symbol, not two).
    """
    codes = code_table()
    parts: list[str] = []
    places: list[str] = []
    for number, by_term in enumerate(postings):
        entries = by_term.get(term)
        if entries is None:
            continue
        docs = [entry[0] for entry in entries]
        gaps = [docs[0], *(b - a for a, b in itertools.pairwise(docs))]
        least = min(entry[2] for entry in entries)
        parts.append(code(number, codes) + code(len(entries), codes) + codes[least])
        if docs[-1] < len(codes):
            parts.extend(
                codes[gap] + codes[tf] + codes[byte - least]
                for gap, (_, tf, byte, _) in zip(gaps, entries, strict=True)
            )
        else:
            parts.extend(
                code(gap, codes) + codes[tf] + codes[byte - least]
                for gap, (_, tf, byte, _) in zip(gaps, entries, strict=True)
            )
        places.extend(entry[3] for entry in entries)
    return "".join(parts), "".join(places)


def _shard_layout(sizes: Mapping[str, int], previous: IndexState) -> tuple[int, frozenset[str]]:
    """How many shards, and which prefixes are split, keeping the previous layout if it fits."""
    wanted = 1
    while wanted * SHARD_TARGET < sum(sizes.values()):
        wanted *= 2
    if previous.shards and wanted // 2 <= previous.shards <= wanted * 2:
        shards, split = previous.shards, set(previous.split)
    else:
        shards, split = wanted, set()
    members: dict[str, list[str]] = defaultdict(list)
    for term in sizes:
        members[group_key(term, frozenset(split))].append(term)
    pending = sorted(members)
    while pending:
        key = pending.pop()
        terms = members.pop(key)
        if sum(sizes[term] for term in terms) <= GROUP_MAX or all(len(term) <= len(key) for term in terms):
            continue
        split.add(key)
        frozen = frozenset(split)
        regrouped: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            regrouped[group_key(term, frozen)].append(term)
        members.update(regrouped)
        pending.extend(regrouped)
    return shards, frozenset(split)


def _dates(by_id: Sequence[tuple[int, Article]], slots: int) -> str:
    days = [_NO_DATE] * slots
    for doc_id, article in by_id:
        value = min(max(day_number(article.date) + _DATE_OFFSET, 0), 90**_DATE_WIDTH - 1)
        digits = ""
        for _ in range(_DATE_WIDTH):
            digits = ALPHABET[value % 90] + digits
            value //= 90
        days[doc_id] = digits
    return "".join(days)


def _facets(site: Site, ids: Mapping[str, int]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    listing: dict[str, list[list[object]]] = {}
    for key in ("topics", "sources", "authors"):
        rows: list[list[object]] = []
        for term in site.taxonomies.get(key, ()):
            path = f"f/{key[0]}{fnv1a(term.slug):08x}.js"
            while path in files:
                path = path[:-3] + "x.js"
            docs = sorted(ids[url] for url in term.article_urls if url in ids)
            deltas = [docs[0], *(b - a for a, b in itertools.pairwise(docs))] if docs else []
            files[path] = _wrap(path, _encode_numbers(deltas) if deltas else "")
            rows.append([term.name, term.slug, path, len(docs)])
        listing[key] = rows
    files["facets.js"] = _wrap("facets.js", listing)
    return files


def _wrap(path: str, data: object) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
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
