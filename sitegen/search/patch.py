"""Patching the static index in place: a build after a few articles changed redoes only what they touch.

The preview keeps a ``StaticIndexer`` in memory; ``sitegen build`` starts afresh each time,
with nothing in memory, but the site in place holds every file of the last index, and the
search cache holds the state (ids, shards, split prefixes, big terms), the layout's total
size and the analyses (the changed articles' old ones too, until this build saves). From
those, ``patch_index`` makes only the files the changed documents reach, the same bytes as
a build from scratch from the same state would write:

* each term whose postings the changes touch is read from its shard file, spliced (see
  ``splice``) and its shard written anew; the layout rules (a term's own file past
  ``BIG_TERM``, the shard count, split groups) are applied to those terms as ``Layout`` does;
  a change of shard count or a new split moves terms across files, so it gives up (the
  caller builds from scratch);
* the vocabulary files of terms that came or went, dates.js, meta.js, the changed
  documents' own files; the facet files are made whole (from the site: cheap) and compared.

Every file read comes from ``read``, which gives only the bytes the last build wrote (None
otherwise); anything that does not fit what the old analyses say raises ``Unpatchable``.
"""

from __future__ import annotations

import json
from bisect import insort
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sitegen.model import Article, Site
from sitegen.search.analysis import FIELDS
from sitegen.search.documents import DocumentText, doc_path, document_data, excerpt_path
from sitegen.search.fuzzy import in_vocabulary, vocabulary_key
from sitegen.search.layout import GROUP_MAX, SHARD_TARGET, big_name, group_key, shard_of
from sitegen.search.postings import document_postings
from sitegen.search.splice import Edit, Unspliceable, splice_term
from sitegen.search.static_index import (
    BIG_TERM,
    DOCS_PER_FOLDER,
    LAYOUT,
    NO_DATE,
    IndexState,
    assign_ids,
    day_code,
    facet_files,
    meta_file,
    parse_data_file,
    wrap_body,
    wrap_data,
)

Tokens = Mapping[str, Sequence[str]]  # an analysis's tokens, by field name


class Unpatchable(Exception):
    """The index cannot be patched: the caller builds it from scratch."""


@dataclass(frozen=True)
class Change:
    """An article added, changed or removed since the last build."""

    before: tuple[int, Tokens] | None  # its document id and tokens in the last build
    after: tuple[Article, Tokens, DocumentText] | None  # as it is now


@dataclass(frozen=True)
class Patched:
    """Every file of the index (None: as the last build wrote it), and what to keep for the next."""

    files: dict[str, bytes | None]
    state: IndexState
    small_total: int


def patch_index(
    site: Site,
    previous: IndexState,
    changes: Sequence[Change],
    paths: Iterable[str],
    small_total: int,
    read: Callable[[str], bytes | None],
) -> Patched:
    """The index after ``changes``, from the last build's files (``paths``, their bytes by ``read``)."""
    if previous.layout != LAYOUT or previous.shards <= 0:
        raise Unpatchable("the index's layout is another")
    ids = assign_ids(site.articles, previous.ids)
    before: dict[int, Tokens] = {}
    after: dict[int, tuple[Article, Tokens, DocumentText]] = {}
    for change in changes:
        if change.before is not None:
            before[change.before[0]] = change.before[1]
        if change.after is not None:
            after[ids[change.after[0].url]] = change.after
    files = _Files(read)
    edits, deltas = _edits(before, {doc: tokens for doc, (_, tokens, _) in after.items()})
    try:
        big, small_total, came, went = _patch_terms(edits, previous, small_total, files)
    except Unspliceable as error:
        raise Unpatchable(str(error)) from None
    _check_shard_count(small_total, previous.shards)
    _patch_vocabulary(came, went, files)
    slots = max(ids.values(), default=-1) + 1
    _patch_dates(before, after, slots, files)
    _patch_documents(after, files)
    paths = list(paths)
    facets = facet_files(site, ids)
    for path in paths:
        if path.startswith("f/") and path not in facets:
            files.write(path, None)
    for path, data in facets.items():
        files.write(path, data)
    lengths = _lengths(files.data("meta.js"))
    files.write(
        "meta.js",
        meta_file(len(ids), slots, list(map(sum, zip(lengths, deltas, strict=True))), previous.shards, previous.split),
    )
    state = IndexState(ids, previous.shards, previous.split, frozenset(big))
    return Patched(files.listing(paths, before.keys()), state, small_total)


def _edits(before: Mapping[int, Tokens], after: Mapping[int, Tokens]) -> tuple[dict[str, list[Edit]], list[int]]:
    """Each term's changed postings, and how each field's total length changes."""
    edits: dict[str, list[Edit]] = {}
    deltas = [0] * len(FIELDS)
    empty: dict[str, tuple[int, int, str]] = {}
    for doc in before.keys() | after.keys():
        old, old_lengths = (
            document_postings(before[doc]) if doc in before else ([empty] * len(FIELDS), [0] * len(FIELDS))
        )
        new, new_lengths = document_postings(after[doc]) if doc in after else ([empty] * len(FIELDS), [0] * len(FIELDS))
        for number in range(len(FIELDS)):
            deltas[number] += new_lengths[number] - old_lengths[number]
            was, now = old[number], new[number]
            for term in was.keys() | now.keys():
                posting_before, posting_after = was.get(term), now.get(term)
                if posting_before != posting_after:
                    edits.setdefault(term, []).append(Edit(number, doc, posting_before, posting_after))
    return edits, deltas


class _Files:
    """The files read from the last build and those made now."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        self._read = read
        self._bytes: dict[str, bytes | None] = {}  # path -> the last build's bytes (None: no such file)
        self.made: dict[str, bytes | None] = {}  # path -> its bytes now (None: dropped)
        self.shards: dict[str, dict[str, object]] = {}  # shard path -> term -> its code (or a 0)

    def old(self, path: str) -> bytes | None:
        if path not in self._bytes:
            self._bytes[path] = self._read(path)
        return self._bytes[path]

    def data(self, path: str, missing: object = None) -> object:
        """The JSON of a file of the last build; ``missing`` when there was none (None: it must be there)."""
        data = self.old(path)
        if data is None:
            if missing is None:
                raise Unpatchable(f"{path} is not as the last build wrote it")
            return missing
        try:
            return parse_data_file(data)
        except (ValueError, UnicodeDecodeError):
            raise Unpatchable(f"{path} cannot be read") from None

    def shard(self, folder: str, name: str) -> dict[str, object]:
        """The entries of a shard file (a numbered one must be there; a big term's may be new)."""
        path = f"{folder}/{name}.js"
        entries = self.shards.get(path)
        if entries is None:
            data = self.data(path, None if name.isdigit() else {})
            if not isinstance(data, dict):
                raise Unpatchable(f"{path} is not a shard")
            entries = self.shards[path] = data
        return entries

    def write(self, path: str, data: bytes | None) -> None:
        """Make the file ``path`` (None: drop it)."""
        self.made[path] = data

    def listing(self, paths: Iterable[str], old_docs: Iterable[int]) -> dict[str, bytes | None]:
        """Every file now: those made, with None for the rest of the last build's ``paths``
        (but the files of the documents ``old_docs``, unless made anew)."""
        for path, entries in self.shards.items():
            name = path[2:-3]
            if entries or name.isdigit():
                body = "{" + ",".join(_entry(term, entries[term]) for term in sorted(entries)) + "}"
                self.made[path] = wrap_body(path, body)
            else:
                self.made[path] = None
        files: dict[str, bytes | None] = dict.fromkeys(paths)
        for doc in old_docs:
            files.pop(doc_path(doc, DOCS_PER_FOLDER), None)
            group = 0
            while excerpt_path(doc, DOCS_PER_FOLDER, group) in files:  # the groups are numbered from 0
                del files[excerpt_path(doc, DOCS_PER_FOLDER, group)]
                group += 1
        for path, data in self.made.items():
            if data is None:
                files.pop(path, None)
            else:
                files[path] = None if self.old(path) == data else data
        return files


def _entry(term: str, value: object) -> str:
    name = json.dumps(term, ensure_ascii=False)
    return f"{name}:0" if value == 0 else f'{name}:"{value}"'


def _patch_terms(
    edits: Mapping[str, list[Edit]], previous: IndexState, small_total: int, files: _Files
) -> tuple[set[str], int, set[str], set[str]]:
    """Splice the changed postings into their shards; the big terms, the small terms' total size,
    the terms that came and those that went."""
    big, split = set(previous.big), previous.split
    came: set[str] = set()
    went: set[str] = set()
    grown: set[tuple[str, str]] = set()  # (numbered shard, group key) of groups that may have grown
    for term, term_edits in edits.items():
        numbered = str(shard_of(term, split, previous.shards))
        was_big = term in previous.big
        home = big_name(term) if was_big else numbered
        postings, places = files.shard("t", home), files.shard("p", home)
        code, place_code = postings.pop(term, None), places.pop(term, None)
        if code is None and was_big:
            raise Unpatchable(f"the big term {term!r} has no postings")
        if (code is None) != (place_code is None) or not isinstance(code or "", str):
            raise Unpatchable(f"the term {term!r} is not whole in its shards")
        old_code, old_places = str(code or ""), str(place_code or "")
        if was_big and files.shard("t", numbered).pop(term, None) != 0:
            raise Unpatchable(f"the big term {term!r} is not marked in its shard")
        new_code, new_places = splice_term(old_code, old_places, term_edits)
        if not was_big and old_code:
            small_total -= len(old_code) + len(term) + 6
        if not new_code:
            big.discard(term)
            if old_code:
                went.add(term)
            continue
        if not old_code:
            came.add(term)
        size = len(new_code) + len(term) + 6
        if size > BIG_TERM or (was_big and size > BIG_TERM // 2):
            big.add(term)
            files.shard("t", big_name(term))[term] = new_code
            files.shard("p", big_name(term))[term] = new_places
            files.shard("t", numbered)[term] = 0
        else:
            big.discard(term)
            files.shard("t", numbered)[term] = new_code
            files.shard("p", numbered)[term] = new_places
            small_total += size
            grown.add((numbered, group_key(term, split)))
    for numbered, key in grown:
        _check_group(files.shard("t", numbered), key, split)
    return big, small_total, came, went


def _check_group(entries: Mapping[str, object], key: str, split: frozenset[str]) -> None:
    """Give up if the group of terms ``key`` grew past what a layout splits (see ``Layout``)."""
    members = [term for term, code in entries.items() if code != 0 and group_key(term, split) == key]
    size = sum(len(str(entries[term])) + len(term) + 6 for term in members)
    if size > GROUP_MAX and any(len(term) > len(key) for term in members):
        raise Unpatchable(f"the terms starting {key!r} are to be split")


def _check_shard_count(small_total: int, shards: int) -> None:
    """Give up if the terms' total size calls for another shard count (see ``Layout.place``)."""
    wanted = 1
    while wanted * SHARD_TARGET < small_total:
        wanted *= 2
    if not wanted // 2 <= shards <= wanted * 2:
        raise Unpatchable("the shard count changes")


def _patch_vocabulary(came: set[str], went: set[str], files: _Files) -> None:
    """Add the terms that came to their vocabulary files, take those that went out of theirs."""
    touched: dict[str, list[str]] = {}
    for term in sorted(came | went):
        if not in_vocabulary(term):
            continue
        for key in (vocabulary_key(len(term), "f", term[0]), vocabulary_key(len(term), "l", term[-1])):
            if key not in touched:
                text = files.data(f"v/{key}.js", "")
                if not isinstance(text, str):
                    raise Unpatchable(f"v/{key}.js is not a vocabulary file")
                touched[key] = text.split(" ") if text else []
            terms = touched[key]
            if term in came:
                insort(terms, term)
            elif term in terms:
                terms.remove(term)
            else:
                raise Unpatchable(f"v/{key}.js lacks {term!r}")
    if not touched:
        return
    keys = files.data("v/keys.js")
    if not isinstance(keys, list):
        raise Unpatchable("v/keys.js is not a list")
    listed = set(map(str, keys))
    for key, terms in touched.items():
        files.write(f"v/{key}.js", wrap_data(f"v/{key}.js", " ".join(terms)) if terms else None)
        (listed.add if terms else listed.discard)(key)
    files.write("v/keys.js", wrap_data("v/keys.js", sorted(listed)))


def _patch_dates(
    before: Mapping[int, Tokens], after: Mapping[int, tuple[Article, Tokens, DocumentText]], slots: int, files: _Files
) -> None:
    """dates.js with the removed documents' dates blanked and the new ones' set."""
    text = files.data("dates.js")
    if not isinstance(text, str) or len(text) % len(NO_DATE):
        raise Unpatchable("dates.js is not a list of dates")
    width = len(NO_DATE)
    days = [text[start : start + width] for start in range(0, len(text), width)]
    days = days[:slots] + [NO_DATE] * (slots - len(days))
    for doc in before:
        if doc < slots:
            days[doc] = NO_DATE
    for doc, (article, _, _) in after.items():
        days[doc] = day_code(article)
    files.write("dates.js", wrap_data("dates.js", "".join(days)))


def _patch_documents(after: Mapping[int, tuple[Article, Tokens, DocumentText]], files: _Files) -> None:
    """The new documents' own files."""
    for doc, (article, _, text) in after.items():
        for path, value in document_data(article, text, DOCS_PER_FOLDER, doc).items():
            files.write(path, wrap_data(path, value))


def _lengths(meta: object) -> list[int]:
    """The total field lengths in meta.js."""
    lengths = meta.get("lengths") if isinstance(meta, dict) else None
    if not isinstance(lengths, list) or len(lengths) != len(FIELDS) or not all(type(n) is int for n in lengths):
        raise Unpatchable("meta.js has no field lengths")
    return lengths
