"""The static index's postings: per field, each term's documents, and their encoded form.

``Postings`` holds, per field, every term's postings in document order, in a form that a
document can be taken out of and put back into; ``OneOffPostings`` holds them in a fifth
of the memory, for an index built once. ``TermCodes`` turns a term's postings into the
entries its shard stores (see ``encode_field``). A kept
index (the preview's) re-encodes a term after every edit that changes one of its postings,
and a common term has a posting in most documents, so there a long posting list's code is
kept with where each block of about ``BLOCK`` postings lies in it: an edit re-encodes only
the blocks that hold its documents and splices them in. The codes are the same either way.
"""

from __future__ import annotations

import itertools
import json
from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter, sub

from sitegen.search.analysis import FIELDS, LENGTH_TABLE
from sitegen.search.encoding import code, code_table

Posting = tuple[int, int, int, str]  # document id, term frequency, field length byte, encoded positions

BLOCK = 8  # postings per block of a long posting list (a block grows to twice that before it splits)
_LONG = 2 * BLOCK  # a posting list longer than this is kept in blocks
_GROUP = 32  # blocks whose widths are summed together, so that finding a block's offset takes few steps


class Postings:
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
        return self._add(doc_id, tokens, None)

    def remove(self, doc_id: int) -> set[str]:
        """Take one document out; its terms."""
        return self._remove(doc_id, None)

    def replace(
        self, doc_id: int, tokens: Mapping[str, Sequence[str]]
    ) -> tuple[set[str], set[str], dict[str, set[int]]]:
        """Index a document anew under its id; the terms whose codes, and whose positions, changed.

        An edit often changes few postings (a few words; none for a new date), and fewer
        positions (text added at the end moves none), in few fields: only those need
        encoding anew. The third value holds each changed term's changed field numbers.
        """
        before: dict[tuple[int, str], Posting] = {}
        after: dict[tuple[int, str], Posting] = {}
        self._remove(doc_id, before)
        self._add(doc_id, tokens, after)
        codes: set[str] = set()
        places: set[str] = set()
        fields: dict[str, set[int]] = {}
        for key in before.keys() | after.keys():
            old, new = before.get(key), after.get(key)
            if old == new:
                continue
            fields.setdefault(key[1], set()).add(key[0])
            if old is None or new is None or old[:3] != new[:3]:
                codes.add(key[1])
            if old is None or new is None or old[3] != new[3]:
                places.add(key[1])
        return codes, places, fields

    def _add(
        self, doc_id: int, tokens: Mapping[str, Sequence[str]], found: dict[tuple[int, str], Posting] | None
    ) -> set[str]:
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
            last, repeated, length_byte = field_places(terms)
            field_terms.append(tuple(last))
            if not last:
                continue
            entries = [(doc_id, 1, length_byte, codes[place]) for place in last.values()]
            if repeated:
                for index, term in enumerate(last):
                    if term in repeated:
                        places = repeated[term]
                        entries[index] = (doc_id, len(places), length_byte, _gaps(places, codes))
            by_term = self.by_field[number]
            if found is not None:
                found.update(zip([(number, term) for term in last], entries, strict=True))
            if in_order:
                self._sweep(map(list.append, map(by_term.__getitem__, last), entries))
            else:
                for term, entry in zip(last, entries, strict=True):
                    insort(by_term[term], entry)
        return {term for terms in field_terms for term in terms}

    def _remove(self, doc_id: int, found: dict[tuple[int, str], Posting] | None) -> set[str]:
        field_terms = self._terms.pop(doc_id)
        for number, terms in enumerate(field_terms):
            by_term = self.by_field[number]
            for term in terms:
                postings = by_term[term]
                index = bisect_left(postings, (doc_id,))
                if found is not None:
                    found[number, term] = postings[index]
                del postings[index]
                if not postings:
                    del by_term[term]
        for number, length in enumerate(self._lengths.pop(doc_id)):
            self.totals[number] -= length
        return {term for terms in field_terms for term in terms}


def field_places(terms: Sequence[str]) -> tuple[dict[str, int], dict[str, list[int]], int]:
    """A field's distinct terms, in the order first used, each with its last place; every place
    of those used more than once; the length byte.

    A field of 91,000+ words is cut there: the rest is not indexed.
    """
    limit = len(code_table()) - 1
    if len(terms) > limit:
        terms = terms[:limit]
    last = dict(zip(terms, range(len(terms)), strict=True))  # a later place overwrites an earlier one
    repeated: dict[str, list[int]] = {}
    if len(last) < len(terms):
        repeated = {term: [] for term, count in Counter(terms).items() if count > 1}
        for place, term in enumerate(terms):
            if term in repeated:
                repeated[term].append(place)
    return last, repeated, length_to_byte(len(terms))


def document_postings(tokens: Mapping[str, Sequence[str]]) -> tuple[list[dict[str, tuple[int, int, str]]], list[int]]:
    """One document's postings, as ``Postings`` holds them, by field number: term -> (term
    frequency, length byte, positions code); and its field lengths."""
    codes = code_table()
    by_field: list[dict[str, tuple[int, int, str]]] = []
    lengths: list[int] = []
    for name in FIELDS:
        terms = tokens.get(name, ())
        lengths.append(len(terms))
        last, repeated, length_byte = field_places(terms)
        entries = {term: (1, length_byte, codes[place]) for term, place in last.items()}
        for term, places in repeated.items():
            entries[term] = (len(places), length_byte, _gaps(places, codes))
        by_field.append(entries)
    return by_field, lengths


class OneOffPostings:
    """The postings of a one-off index, added in document order and held compactly.

    Per field and term, one list that holds each posting as two items: its (document id,
    term frequency, length byte), one tuple shared by all the terms a document's field uses
    once, and its positions code, for such a term a shared string of the code table. That
    is 16 bytes a posting where ``Postings`` holds a tuple of 80, so a 10,000-article index
    fits in one pass; one list, not two, since each posting's append is a cache miss.

    An index of many articles is built in passes, each holding a part of the terms (see
    ``part``), so that it never holds all of them at once. The first pass goes over each
    document's tokens and hands back the postings of the other parts as compact strings
    (``add_later`` adds them), so that no later pass goes over the tokens again.
    """

    def __init__(self, part: tuple[int, int] = (0, 1)) -> None:
        # (k, n): hold only the terms whose hash is k modulo n.
        self.part = part
        self.by_field: list[dict[str, list[tuple[int, int, int] | str]]] = [defaultdict(list) for _ in FIELDS]
        self.totals = [0] * len(FIELDS)
        self._codes = code_table()
        self._sweep = deque[None](maxlen=0).extend

    def add(self, doc_id: int, tokens: Mapping[str, Sequence[str]]) -> list[str]:
        """Add one document, after every document added so far; the postings of each other part,
        in order, as the strings ``add_later`` takes."""
        codes = self._codes
        mine, passes = self.part
        others: list[list[str]] = [[] for _ in range(passes)]
        for number, name in enumerate(FIELDS):
            terms = tokens.get(name, ())
            self.totals[number] += len(terms)
            last, repeated, length_byte = field_places(terms)
            if not last:
                continue
            parts: list[Collection[str]] = [last.keys()]
            if passes > 1:  # each part's terms, by one C pass over the terms per part
                which = list(map(passes.__rmod__, map(hash, last)))
                parts = [list(itertools.compress(last, map(part.__eq__, which))) for part in range(passes)]
            for part, keys in enumerate(parts):
                single: Collection[str] = keys
                twice: list[str] = []
                if repeated:
                    twice = list(filter(repeated.__contains__, keys))
                    single = list(itertools.filterfalse(repeated.__contains__, keys)) if twice else keys
                if part == mine:
                    self._add_field(number, doc_id, length_byte, last, single, twice, repeated)
                elif single or twice:
                    others[part].append(
                        "\t".join(
                            (
                                str(number),
                                str(length_byte),
                                " ".join(single),
                                " ".join(map(codes.__getitem__, map(last.__getitem__, single))),
                                " ".join(twice),
                                " ".join(str(len(repeated[term])) for term in twice),
                                " ".join(_gaps(repeated[term], codes) for term in twice),
                            )
                        )
                    )
        return ["\n".join(lines) for part, lines in enumerate(others) if part != mine]

    def _add_field(
        self,
        number: int,
        doc_id: int,
        length_byte: int,
        last: Mapping[str, int],
        single: Collection[str],
        twice: Sequence[str],
        repeated: Mapping[str, list[int]],
    ) -> None:
        codes, by_term = self._codes, self.by_field[number]
        for term in twice:
            where = repeated[term]
            by_term[term] += ((doc_id, len(where), length_byte), _gaps(where, codes))
        places = map(codes.__getitem__, map(last.__getitem__, single))
        self._add_single(by_term, single, (doc_id, 1, length_byte), places)

    def _add_single(
        self,
        by_term: Mapping[str, list[tuple[int, int, int] | str]],
        terms: Iterable[str],
        shared: tuple[int, int, int],
        places: Iterable[str],
    ) -> None:
        """Add the postings of terms a document's field uses once: ``shared`` is their (document
        id, 1, length byte), ``places`` their positions codes, in the order of ``terms``.

        The order of appends across terms is free, so they go in C sweeps: two appends each,
        a fifth cheaper than extending each list by a pair.
        """
        lists = list(map(by_term.__getitem__, terms))
        self._sweep(map(list.append, lists, itertools.repeat(shared)))
        self._sweep(map(list.append, lists, places))

    def add_later(self, doc_id: int, postings: str) -> None:
        """Add one document's postings of this part, as a first pass's ``add`` handed them back
        (after every document added so far; the field totals are the first pass's)."""
        for line in postings.split("\n") if postings else ():
            number, length_text, single, places, twice, counts, gaps = line.split("\t")
            by_term, length_byte = self.by_field[int(number)], int(length_text)
            if single:
                self._add_single(by_term, single.split(" "), (doc_id, 1, length_byte), places.split(" "))
            if twice:
                shared = zip(itertools.repeat(doc_id), map(int, counts.split(" ")), itertools.repeat(length_byte))
                pairs = zip(shared, gaps.split(" "), strict=True)
                self._sweep(map(list.extend, map(by_term.__getitem__, twice.split(" ")), pairs))

    def terms(self) -> Iterator[tuple[int, str, list[tuple[int, int, int]], list[str]]]:
        """Each field's terms, field by field (most terms are in one field): the field's number,
        the term, its postings there and their positions codes."""
        for number, by_term in enumerate(self.by_field):
            for term, items in by_term.items():
                yield number, term, items[0::2], items[1::2]  # type: ignore[misc]


def _gaps(places: list[int], codes: tuple[str, ...]) -> str:
    """The positions code: the first place, then each place's distance from the one before, less one.

    Every step runs in C (``map`` over operators), for this is done for every repeated word.
    """
    return codes[places[0]] + "".join(map(codes.__getitem__, map(sub, places[1:], map(_NEXT, places))))


_NEXT = (1).__add__


def length_to_byte(length: int) -> int:
    """whoosh's one-byte field length (the byte the client turns back into a length)."""
    return 255 if length >= LENGTH_TABLE[255] else bisect_left(LENGTH_TABLE, length)


def encode_field(number: int, entries: Sequence[Posting] | Sequence[tuple[int, int, int]]) -> str:
    """One field's part of a term's postings code (its positions code is theirs, joined).

    The field number, the posting count and the smallest length byte, then per posting the
    document id gap, the term frequency and the length byte above that smallest one
    (articles of similar length have close bytes, so this is mostly one symbol, not two).
    """
    codes = code_table()
    if len(entries) == 1:  # a rare term's: most terms of an index are in few documents
        doc, frequency, byte = entries[0][:3]
        return code(number, codes) + codes[1] + codes[byte] + code(doc, codes) + codes[frequency] + codes[0]
    least: int = min(map(_BYTE, entries))
    return code(number, codes) + code(len(entries), codes) + codes[least] + _pieces(entries, 0, least, codes)


_DOC, _TF, _BYTE, _PLACES = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)


def _pieces(
    entries: Sequence[Posting] | Sequence[tuple[int, int, int]], before: int, least: int, codes: tuple[str, ...]
) -> str:
    """The codes of ``entries``, the first one's gap counted from document ``before``.

    Three streams of codes (gaps, frequencies, length bytes), interleaved and joined, all in C:
    this runs for every posting of the index.
    """
    docs = list(map(_DOC, entries))
    gaps = map(sub, docs, [before, *docs[:-1]])
    gap_codes = map(codes.__getitem__, gaps) if docs[-1] < len(codes) else (code(gap, codes) for gap in gaps)
    tf_codes = map(codes.__getitem__, map(_TF, entries))
    byte_codes = map(codes.__getitem__, map(sub, map(_BYTE, entries), itertools.repeat(least)))
    return "".join(itertools.chain.from_iterable(zip(gap_codes, tf_codes, byte_codes, strict=True)))


TermEntry = tuple[int, str, str, str]  # size, its entry in a postings file, in a positions file, and as a 0


class TermCodes:
    """Each term's entries in the shard files, remade for the terms a change touched.

    A term's postings code (all fields, see ``encode_field``) and positions code are kept
    as they appear in a shard, ``"term":"code"``, so that writing a shard only joins them;
    with its size (what the layout weighs) and its entry as a 0 (a big term's numbered
    shard). With ``blocks`` (a kept index), long posting lists are held in ``_Blocks``, so
    that a change re-encodes only the blocks of the documents it changed.
    """

    def __init__(self, *, blocks: bool) -> None:
        self.entries: dict[str, TermEntry] = {}
        self._blocks: dict[tuple[int, str], _Blocks] | None = {} if blocks else None

    def update(
        self,
        codes: Collection[str],
        places: Collection[str],
        by_field: Sequence[Mapping[str, list[Posting]]],
        changed: Collection[int],
        fields: Mapping[str, Collection[int]] | None = None,
    ) -> None:
        """Re-encode the terms whose ``codes`` or ``places`` (positions) changed, in the documents ``changed``.

        A term's postings gained or lost a document only if its positions changed too.
        ``fields`` may say, for some terms, in which fields alone their postings changed.
        """
        blocks, fields = self._blocks, fields or {}
        for term in {*codes, *places}:
            known = self.entries.get(term)
            with_codes, with_places = known is None or term in codes, known is None or term in places
            code_parts: list[str] = []
            place_parts: list[str] = []
            for number, by_term in enumerate(by_field):
                entries = by_term.get(term)
                if blocks is None or entries is None or len(entries) <= _LONG:
                    if blocks is not None:
                        blocks.pop((number, term), None)
                    if entries is not None:
                        if with_codes:
                            code_parts.append(encode_field(number, entries))
                        if with_places:
                            place_parts.append("".join(map(_PLACES, entries)))
                    continue
                kept = blocks.get((number, term))
                if kept is None:
                    kept = blocks[number, term] = _Blocks(entries)
                elif term not in fields or number in fields[term]:
                    kept.update(entries, changed, places=with_places)
                if with_codes:
                    code_parts.append(kept.encoded(number, len(entries)))
                if with_places:
                    place_parts.append(kept.places.decode("ascii"))
            if not code_parts and not place_parts:
                self.entries.pop(term, None)
                continue
            name = json.dumps(term, ensure_ascii=False)
            if known is None or with_codes:
                size, postings_entry = _postings_entry(term, name, "".join(code_parts))
            else:
                size, postings_entry = known[0], known[1]
            places_entry = f'{name}:"{"".join(place_parts)}"' if known is None or with_places else known[2]
            self.entries[term] = (size, postings_entry, places_entry, f"{name}:0")

    def add_all(self, postings: OneOffPostings) -> set[str]:
        """Encode every term of a one-off index's ``postings`` (or of their part); those terms."""
        code_parts: defaultdict[str, list[str]] = defaultdict(list)
        place_parts: defaultdict[str, list[str]] = defaultdict(list)
        for number, term, entries, places in postings.terms():
            code_parts[term].append(encode_field(number, entries))
            place_parts[term].append("".join(places))
        for term, parts in code_parts.items():
            name = json.dumps(term, ensure_ascii=False)
            size, postings_entry = _postings_entry(term, name, "".join(parts))
            self.entries[term] = (size, postings_entry, f'{name}:"{"".join(place_parts[term])}"', f"{name}:0")
        return set(code_parts)


def _postings_entry(term: str, name: str, postings: str) -> tuple[int, str]:
    """A term's entry in a postings shard, and the size the layout weighs it by.

    Codes are made of ALPHABET, which JSON needs not escape.
    """
    return len(postings) + len(term) + 6, f'{name}:"{postings}"'


class _Blocks:
    """A long posting list's codes, and where each block of about ``BLOCK`` postings lies in them.

    ``body`` is the field's postings code after its header, ``places`` its positions code.
    Block k holds ``counts[k]`` postings from document ``starts[k]`` on (block 0 from the
    first); their codes take ``widths[k]`` characters of ``body`` (the first posting's,
    with its gap from the posting before, ``heads[k]``) and ``spans[k]`` of ``places``;
    ``lows[k]`` is their smallest length byte. A change re-encodes the blocks of the
    documents it changed and splices them in, reading no other posting (those cost a cache
    miss each in a big index).
    """

    __slots__ = ("body", "counts", "heads", "least", "lows", "places", "spans", "starts", "totals", "widths")
    body: bytearray
    places: bytearray
    least: int
    starts: list[int]
    counts: list[int]
    widths: list[int]
    heads: list[int]
    spans: list[int]
    lows: list[int]
    totals: tuple[list[int], ...]  # per group of blocks: the sums of their widths, spans and counts

    def __init__(self, entries: Sequence[Posting]) -> None:
        self._fill(entries)

    def _fill(self, entries: Sequence[Posting]) -> None:
        self.least = min(map(_BYTE, entries))
        chunks = [entries[start : start + BLOCK] for start in range(0, len(entries), BLOCK)]
        befores = [0, *(chunk[-1][0] for chunk in chunks[:-1])]
        body, places, rows = self._encode(chunks, befores)
        self.body, self.places = bytearray(body, "ascii"), bytearray(places, "ascii")
        columns = list(zip(*rows, strict=True))
        self.starts, self.counts, self.widths, self.heads, self.spans, self.lows = map(list, columns)
        self._total()

    def _total(self) -> None:
        """Sum the widths, spans and counts of each group of ``_GROUP`` blocks (offsets in a few steps)."""
        self.totals = tuple(
            [sum(column[start : start + _GROUP]) for start in range(0, len(column), _GROUP)]
            for column in (self.widths, self.spans, self.counts)
        )

    def _offset(self, which: int, k: int) -> int:
        """Where block k starts in ``body`` (``which`` 0), ``places`` (1) or the postings (2)."""
        group, column = k // _GROUP, (self.widths, self.spans, self.counts)[which]
        return sum(self.totals[which][:group]) + sum(column[group * _GROUP : k])

    def _encode(
        self, chunks: list[Sequence[Posting]], befores: list[int], spans: list[int] | None = None
    ) -> tuple[str, str, list[tuple[int, int, int, int, int, int]]]:
        """The codes of ``chunks`` as blocks, and each block's row (start, count, width, head, span, low).

        Given the ``spans`` of their positions (as they were), positions are not encoded.
        """
        codes, least = code_table(), self.least
        bodies: list[str] = []
        places: list[str] = []
        rows: list[tuple[int, int, int, int, int, int]] = []
        for index, (chunk, before) in enumerate(zip(chunks, befores, strict=True)):
            first, tf, byte, _ = chunk[0]
            head = code(first - before, codes) + codes[tf] + codes[byte - least]
            body = head + _pieces(chunk[1:], first, least, codes) if len(chunk) > 1 else head
            if spans is None:
                places.append("".join(map(_PLACES, chunk)))
            bodies.append(body)
            span = len(places[-1]) if spans is None else spans[index]
            rows.append((first, len(chunk), len(body), len(head), span, min(map(_BYTE, chunk))))
        return "".join(bodies), "".join(places), rows

    def update(self, entries: Sequence[Posting], changed: Collection[int], *, places: bool = True) -> None:
        """Remake the blocks that hold (or held) a document of ``changed``; all of them if need be.

        Without ``places``, the positions are as they were (so are the postings' documents).
        """
        starts, counts = self.starts, self.counts
        if len(changed) * 4 > len(starts):  # most blocks change: remake them in one go
            self._fill(entries)
            return
        # Each dirty block's postings now: from where it began to the next block's start, found
        # by a search near there (it grew by at most a posting per document changed).
        plan: list[tuple[int, int, Sequence[Posting]]] = []
        sizes: list[int] = []  # how many postings the dirty blocks before gained
        for k in sorted({max(bisect_right(starts, doc) - 1, 0) for doc in changed}):
            low = self._offset(2, k) + sum(sizes)  # as many postings before as then, and what blocks before gained
            high = len(entries)
            if k + 1 < len(starts):
                high = bisect_left(entries, (starts[k + 1],), low, min(high, low + counts[k] + len(changed)))
            plan.append((k, low, entries[low:high]))
            sizes.append(high - low - counts[k])
        if self._least_moves(plan):
            self._fill(entries)  # every code counts from the smallest byte: remake them all
            return
        dirty = {k for k, _, _ in plan}
        for k, low, chunk in reversed(plan):  # from the last back, so that offsets before stay put
            offset, width, span, count = self._offset(0, k), self.widths[k], self.spans[k], self.counts[k]
            step = BLOCK if len(chunk) > 2 * BLOCK else 2 * BLOCK
            chunks = [chunk[start : start + step] for start in range(0, len(chunk), step)]
            befores = [entries[low - 1][0] if low else 0, *(piece[-1][0] for piece in chunks[:-1])]
            same_places = not places and len(chunks) == 1
            body, new_places, rows = self._encode(chunks, befores[: len(chunks)], [span] if same_places else None)
            self.body[offset : offset + width] = body.encode("ascii")  # in place: often as wide as before
            if not same_places:
                place_offset = self._offset(1, k)
                self.places[place_offset : place_offset + span] = new_places.encode("ascii")
            if len(rows) == 1:
                for column, value in zip(self._columns(), rows[0], strict=True):
                    column[k] = value
                self.totals[0][k // _GROUP] += self.widths[k] - width
                self.totals[1][k // _GROUP] += self.spans[k] - span
                self.totals[2][k // _GROUP] += self.counts[k] - count
            else:  # blocks split, or one emptied: the groups move
                for column, values in zip(self._columns(), zip(*rows, strict=True) if rows else [()] * 6, strict=True):
                    column[k : k + 1] = values
                self._total()
            following = k + len(chunks)  # the block that was k + 1
            if following < len(starts) and k + 1 not in dirty:
                self._redo_head(following, entries, low + len(chunk))

    def _least_moves(self, plan: list[tuple[int, int, Sequence[Posting]]]) -> bool:
        """Whether the smallest length byte is another once the ``plan``'s blocks are remade."""
        new = min([min(map(_BYTE, chunk)) for _, _, chunk in plan if chunk], default=255)
        if new <= self.least:
            return new < self.least
        dirty = [k for k, _, _ in plan if self.lows[k] == self.least]  # blocks that held the smallest
        return bool(dirty) and (self.lows.index(self.least) in dirty and self.lows.count(self.least) == len(dirty))

    def _columns(self) -> tuple[list[int], ...]:
        return (self.starts, self.counts, self.widths, self.heads, self.spans, self.lows)

    def _redo_head(self, k: int, entries: Sequence[Posting], index: int) -> None:
        """Re-encode block k's first posting (``entries[index]``): the posting before it changed."""
        codes = code_table()
        first, tf, byte, _ = entries[index]
        head = code(first - (entries[index - 1][0] if index else 0), codes) + codes[tf] + codes[byte - self.least]
        offset = self._offset(0, k)
        self.body[offset : offset + self.heads[k]] = head.encode("ascii")
        self.widths[k] += len(head) - self.heads[k]
        self.totals[0][k // _GROUP] += len(head) - self.heads[k]
        self.heads[k] = len(head)

    def encoded(self, number: int, count: int) -> str:
        """The field's postings code, as ``encode_field`` makes it."""
        codes = code_table()
        return code(number, codes) + code(count, codes) + codes[self.least] + self.body.decode("ascii")
