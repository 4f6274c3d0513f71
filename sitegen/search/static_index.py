"""The static search index under ``site/search/``: data files the browser client reads.

Every file is a line of JavaScript, ``sitegenSearch.register("PATH", DATA);``, so it loads
by ``fetch`` (the client strips the wrapper and parses the JSON) or, from ``file://``, by a
``<script>`` tag. Files hold raw counts, never scores, so a file changes only when its own
data does, and an edit to one article rewrites only the files that mention it:

* ``meta.js``: global statistics (document count, total field lengths), the field boosts,
  BM25 parameters, whoosh's length table, the stopwords and the sharding parameters;
* ``t/N.js``: postings of the terms whose group key hashes to shard N (see ``group_key``):
  ``{term: code}``, where code is, per field, the field number, the posting count, then for
  each document the id delta, the term frequency and the field's length byte, as varints;
* ``p/N.js``: the same terms' positions (per posting, deltas), loaded for phrases only;
* ``d/F/ID.js``: one document's URL, title, date, summary and text, for results and snippets;
* ``dates.js``: every document's date, three characters each, for date filters and sorting;
* ``facets.js`` and ``f/*.js``: topics, sources and authors with their document ids.

Document ids and shard parameters persist between builds in an ``IndexState`` so that file
names and contents stay put; a missing state only means one full rewrite.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from sitegen.model import Article, Site
from sitegen.search.analysis import (
    BM25_B,
    BM25_K1,
    BOOSTS,
    FIELDS,
    LENGTH_TABLE,
    Analysis,
)
from sitegen.search.query import day_number

FORMAT = 1
SHARD_TARGET = 16_000  # average bytes of postings per shard
GROUP_MAX = 12_000  # a prefix group bigger than this is split by one more character
KEY_LENGTH = 2  # a prefix of at least this many characters finds its terms in one shard
DOCS_PER_FOLDER = 1000
CLIENT_FILE = "sitegen-search.js"
GLOBAL_FILE = "sitegen-search.global.js"

# Varints: 45 "last digit" symbols and 45 "more digits follow" symbols, all of them characters
# that need no escaping in a JSON string.
ALPHABET = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in '"\\')[:90]
_BASE = 45
_DATE_WIDTH = 3
_DATE_OFFSET = 400_000  # days before 1970 a date may reach; dates are stored from there
_NO_DATE = "~" * _DATE_WIDTH


@dataclass(frozen=True)
class IndexState:
    """What keeps the index's file names stable from build to build."""

    ids: Mapping[str, int] = field(default_factory=dict)  # article URL -> document id
    shards: int = 0
    split: frozenset[str] = frozenset()  # prefixes whose terms are grouped by a longer prefix

    def to_json(self) -> dict[str, object]:
        """Plain data for saving."""
        return {"format": FORMAT, "ids": dict(self.ids), "shards": self.shards, "split": sorted(self.split)}

    @classmethod
    def from_json(cls, data: object) -> IndexState:
        """Read saved data; anything unexpected gives the empty state (a full rewrite)."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls()
        ids, shards, split = data.get("ids"), data.get("shards"), data.get("split")
        if not (isinstance(ids, dict) and isinstance(shards, int) and isinstance(split, list)):
            return cls()
        clean = {url: i for url, i in ids.items() if isinstance(url, str) and isinstance(i, int) and i >= 0}
        if len(set(clean.values())) != len(clean):
            return cls()
        return cls(clean, max(shards, 0), frozenset(s for s in split if isinstance(s, str)))


@dataclass(frozen=True)
class StaticIndex:
    """The index's files (paths relative to ``search/``) and the state to keep."""

    files: dict[str, bytes]
    state: IndexState


def build_static_index(site: Site, analyses: Mapping[str, Analysis], previous: IndexState | None = None) -> StaticIndex:
    """Every file of ``site/search/``; ``analyses`` maps each article URL to its analysis."""
    previous = previous or IndexState()
    ids = assign_ids(site.articles, previous.ids)
    by_id = sorted((doc_id, site.article(url)) for url, doc_id in ids.items())
    slots = max(ids.values(), default=-1) + 1
    postings, positions, totals = _invert(by_id, analyses)
    vocabulary = set().union(*postings)
    entries = {term: _encode_term(term, postings) for term in vocabulary}
    sizes = {term: len(code) + len(term) + 6 for term, code in entries.items()}
    shards, split = _shard_layout(sizes, previous)
    files: dict[str, bytes] = {}
    grouped: dict[int, list[str]] = defaultdict(list)
    for term in entries:
        grouped[shard_of(term, split, shards)].append(term)
    for number in range(shards):
        terms = sorted(grouped[number])
        files[f"t/{number}.js"] = _wrap(f"t/{number}.js", {term: entries[term] for term in terms})
        files[f"p/{number}.js"] = _wrap(f"p/{number}.js", {term: _encode_places(term, positions) for term in terms})
    for doc_id, article in by_id:
        path = doc_path(doc_id)
        files[path] = _wrap(path, _document(article, analyses[article.url]))
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
        "lengths": totals,
        "shards": shards,
        "split": sorted(split),
        "keyLength": KEY_LENGTH,
        "docsPerFolder": DOCS_PER_FOLDER,
    }
    files["meta.js"] = _wrap("meta.js", meta)
    files[CLIENT_FILE] = client_source().encode("utf-8")
    files[GLOBAL_FILE] = classic_script(client_source()).encode("utf-8")
    return StaticIndex(files, IndexState(ids, shards, split))


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


def doc_path(doc_id: int) -> str:
    """The file of one document's metadata and text."""
    return f"d/{doc_id // DOCS_PER_FOLDER}/{doc_id}.js"


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points (the client computes the same)."""
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def group_key(term: str, split: frozenset[str]) -> str:
    """The prefix that decides a term's shard: ``KEY_LENGTH`` characters, more where split."""
    length = KEY_LENGTH
    while length < len(term) and term[:length] in split:
        length += 1
    return term[:length]


def shard_of(term: str, split: frozenset[str], shards: int) -> int:
    """The shard holding a term's postings."""
    return fnv1a(group_key(term, split)) % shards


def _invert(
    by_id: Sequence[tuple[int, Article]], analyses: Mapping[str, Analysis]
) -> tuple[list[dict[str, list[int | str]]], list[dict[str, list[str]]], list[int]]:
    """Per field number: term -> [last doc id, encoded postings...] and term -> positions.

    This loop touches every token of the archive, so it is written for speed: documents come
    in id order, so each posting is encoded as it is found (id delta, tf, length byte), and a
    word seen once in a field (most words) needs no list of positions.
    """
    postings: list[dict[str, list[int | str]]] = [{} for _ in FIELDS]
    positions: list[dict[str, list[str]]] = [{} for _ in FIELDS]
    totals = [0] * len(FIELDS)
    codes = _codes()
    small = len(codes)
    one = codes[1]
    for doc_id, article in by_id:
        tokens = analyses[article.url].tokens
        doc_code = _code(doc_id, codes)
        for number, name in enumerate(FIELDS):
            terms = tokens.get(name, ())
            if not terms:
                continue
            totals[number] += len(terms)
            if len(terms) >= small:
                terms = terms[: small - 1]  # a field of 91,000+ words: the rest is not indexed
            length_code = codes[length_to_byte(len(terms))]
            post, where = postings[number], positions[number]
            last = {term: place for place, term in enumerate(terms)}
            repeated: dict[str, list[int]] = {}
            if len(last) < len(terms):
                repeated = {term: [] for term, count in Counter(terms).items() if count > 1}
                for place, term in enumerate(terms):
                    if term in repeated:
                        repeated[term].append(place)
            for term, place in last.items():
                if term in repeated:
                    places = repeated[term]
                    tail, at = codes[len(places)] + length_code, _gaps(places, codes)
                else:
                    tail, at = one + length_code, codes[place]
                entry = post.get(term)
                if entry is None:
                    post[term] = [doc_id, doc_code + tail]
                    where[term] = [at]
                else:
                    before = entry[0]
                    assert isinstance(before, int)
                    entry[0] = doc_id
                    gap = doc_id - before
                    entry.append((codes[gap] if gap < small else varint(gap)) + tail)
                    where[term].append(at)
    return postings, positions, totals


def _code(value: int, codes: tuple[str, ...]) -> str:
    return codes[value] if value < len(codes) else varint(value)


def _gaps(places: list[int], codes: tuple[str, ...]) -> str:
    gaps = [places[0], *(b - a - 1 for a, b in itertools.pairwise(places))]
    return "".join(codes[gap] for gap in gaps)


def length_to_byte(length: int) -> int:
    """whoosh's one-byte field length (the byte the client turns back into a length)."""
    return 255 if length >= LENGTH_TABLE[255] else bisect_left(LENGTH_TABLE, length)


def varint(value: int) -> str:
    """One non-negative integer in the index's varint symbols."""
    last = ALPHABET[value % _BASE]
    value //= _BASE
    digits: list[str] = []
    while value:
        digits.append(ALPHABET[_BASE + value % _BASE])
        value //= _BASE
    return "".join(reversed(digits)) + last


@functools.cache
def _codes() -> tuple[str, ...]:
    """The varints of 0 .. 45**3 - 1, built once: encoding is then one lookup per number."""
    return tuple(varint(v) for v in range(_BASE**3))


def _encode_numbers(numbers: list[int]) -> str:
    codes = _codes()
    if max(numbers) < len(codes):
        return "".join(map(codes.__getitem__, numbers))
    return "".join(varint(n) for n in numbers)


def _encode_term(term: str, postings: Sequence[Mapping[str, list[int | str]]]) -> str:
    codes = _codes()
    parts: list[str] = []
    for number, by_term in enumerate(postings):
        entry = by_term.get(term)
        if entry is not None:
            parts.append(_code(number, codes) + _code(len(entry) - 1, codes))
            parts.extend(entry[1:])  # type: ignore[arg-type]
    return "".join(parts)


def _encode_places(term: str, positions: Sequence[Mapping[str, list[str]]]) -> str:
    return "".join("".join(by_term[term]) for by_term in positions if term in by_term)


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


def _document(article: Article, analysis: Analysis) -> dict[str, str]:
    return {
        "u": article.url,
        "t": article.title,
        "d": article.date.isoformat()[:10],
        "s": article.summary,
        "x": analysis.text,
    }


def _dates(by_id: Sequence[tuple[int, Article]], slots: int) -> str:
    codes = [_NO_DATE] * slots
    for doc_id, article in by_id:
        value = min(max(day_number(article.date) + _DATE_OFFSET, 0), 90**_DATE_WIDTH - 1)
        code = ""
        for _ in range(_DATE_WIDTH):
            code = ALPHABET[value % 90] + code
            value //= 90
        codes[doc_id] = code
    return "".join(codes)


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


def iter_terms(files: Mapping[str, bytes]) -> Iterable[tuple[str, str]]:
    """(term, shard path) for every term in built index files (for tests and tools)."""
    for path, data in sorted(files.items()):
        if path.startswith("t/"):
            parsed = parse_data_file(data)
            assert isinstance(parsed, dict)
            for term in parsed:
                yield term, path
