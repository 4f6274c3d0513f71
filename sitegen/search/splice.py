"""Splicing documents into, and out of, a term's codes as a shard file stores them.

A term's postings code (see ``postings.encode_field``) is, field by field, the field number,
the posting count and the smallest length byte, then per posting the document id gap, the
term frequency and the length byte above that smallest; its positions code is, field by
field, each posting's positions (as many varints as its term frequency). Patching the index
on disk (``patch``) changes a few documents of a term: the field's postings are decoded
(C sweeps: a regular expression cuts the varints, a dict turns them into numbers), changed
and encoded again with ``encode_field``, so the code is the one a build from scratch makes;
the positions are cut and joined around the changed documents' without being decoded.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add

from sitegen.search.encoding import ALPHABET, BASE, code, code_table
from sitegen.search.postings import encode_field

_LAST = "".join(map(re.escape, ALPHABET[:BASE]))  # a varint's last symbol
_MORE = "".join(map(re.escape, ALPHABET[BASE:]))  # a symbol that more follow
_VARINT = re.compile(f"[{_MORE}]*[{_LAST}]")
# Positions are skipped by counting the varints' last symbols, which this makes b"." (and the
# others b"+"), so that bytes.count, in C, does the counting.
_KINDS = bytes.maketrans(
    (ALPHABET[:BASE] + ALPHABET[BASE:]).encode("ascii"), (b"." * BASE + b"+" * (len(ALPHABET) - BASE))
)


class Unspliceable(ValueError):
    """A term's codes are not what the documents' old postings say they hold."""


@dataclass(frozen=True)
class Edit:
    """One document's posting of a term in one field, before and after (None: none)."""

    field: int
    doc: int
    before: tuple[int, int, str] | None  # term frequency, length byte, positions code
    after: tuple[int, int, str] | None


def splice_term(postings: str, places: str, edits: Sequence[Edit]) -> tuple[str, str]:
    """The term's postings code and positions code once ``edits`` are made ("" and "": no postings left)."""
    tokens, numbers = _numbers(postings)
    kinds = places.encode("ascii", "replace").translate(_KINDS)
    by_field: dict[int, dict[int, Edit]] = {}
    for edit in edits:
        by_field.setdefault(edit.field, {})[edit.doc] = edit
    code_parts: list[str] = []
    place_parts: list[str] = []
    start = place_start = 0  # in ``numbers`` and in ``places``
    fields: dict[int, tuple[int, int, int, int]] = {}  # field -> where its codes start and end in each
    while start < len(numbers):
        if start + 3 > len(numbers):
            raise Unspliceable("a field's header is cut short")
        number, count = numbers[start], numbers[start + 1]
        end = start + 3 + 3 * count
        if end > len(numbers) or number in fields:
            raise Unspliceable("a field's postings are cut short")
        place_end = _skip(kinds, place_start, sum(numbers[start + 4 : end : 3]))
        fields[number] = (start, end, place_start, place_end)
        start, place_start = end, place_end
    if place_start != len(places):
        raise Unspliceable("positions are left over")
    for number in sorted({*fields, *by_field}):
        known = fields.get(number)
        changes = by_field.get(number)
        if changes is None and known is not None:  # as it was: copied
            code_parts.append("".join(tokens[known[0] : known[1]]))
            place_parts.append(places[known[2] : known[3]])
            continue
        assert changes is not None
        field_code, field_places = _edited(tokens, numbers, places, kinds, number, known, changes)
        if field_code:
            code_parts.append(field_code)
            place_parts.append(field_places)
    return "".join(code_parts), "".join(place_parts)


def _edited(
    tokens: list[str],
    numbers: list[int],
    places: str,
    kinds: bytes,
    number: int,
    known: tuple[int, int, int, int] | None,
    changes: Mapping[int, Edit],
) -> tuple[str, str]:
    """A field's postings code and positions code after ``changes`` ("" and "": no postings left)."""
    start, end, place_start, place_end = known if known is not None else (0, 0, 0, 0)
    least = numbers[start + 2] if known is not None else 0
    docs = list(accumulate(numbers[start + 3 : end : 3]))
    frequencies = numbers[start + 4 : end : 3]
    ends = list(accumulate(frequencies, initial=0))  # positions before each posting, in varints
    pieces: list[str] = []
    place = place_start  # where the positions not yet copied start
    copied = 0  # postings whose positions are copied or dropped
    places_at: list[int] = []  # each change's posting's index in ``docs`` (or where it goes)
    for doc in sorted(changes):
        edit = changes[doc]
        index = bisect_left(docs, doc)
        present = index < len(docs) and docs[index] == doc
        if present != (edit.before is not None):
            raise Unspliceable(f"document {doc} is not where its old posting says")
        places_at.append(index)
        offset = _skip(kinds, place, ends[index] - ends[copied])
        pieces.append(places[place:offset])
        place = offset
        if edit.before is not None:
            frequency, length_byte, positions = edit.before
            if (frequencies[index], numbers[start + 5 + 3 * index] + least) != (frequency, length_byte):
                raise Unspliceable(f"document {doc}'s posting is not its old one")
            if not places.startswith(positions, offset):
                raise Unspliceable(f"document {doc}'s positions are not its old ones")
            place = offset + len(positions)
        copied = index + present
        if edit.after is not None:
            pieces.append(edit.after[2])
    pieces.append(places[place:place_end])
    count = len(docs) + sum((edit.after is not None) - (edit.before is not None) for edit in changes.values())
    if not count:
        return "", ""
    bytes_after = [edit.after[1] for edit in changes.values() if edit.after is not None]
    least_taken = sum(edit.before is not None and edit.before[1] == least for edit in changes.values())
    if not (docs and numbers[start + 5 : end : 3].count(0) > least_taken and min(bytes_after, default=least) >= least):
        # The smallest length byte is another: every posting's code counts from it.
        entries = _entries(docs, frequencies, numbers[start + 5 : end : 3], least, changes)
        return encode_field(number, entries), "".join(pieces)
    codes = code_table()
    body = _spliced(tokens[start + 3 : end], docs, sorted(changes.items()), places_at, least)
    return code(number, codes) + code(count, codes) + codes[least] + body, "".join(pieces)


def _spliced(
    body: list[str], docs: list[int], changes: list[tuple[int, Edit]], places_at: list[int], least: int
) -> str:
    """The field's postings code after its header, the changes spliced into the old one (``body``:
    its varints, three a posting), the smallest length byte as it was."""
    codes = code_table()
    out: list[str] = []
    before = 0  # the document of the posting written last
    copied = 0  # postings copied or dropped
    for (doc, edit), index in zip(changes, places_at, strict=True):
        if index > copied:  # the postings in between, the first one's gap counted anew
            out += (code(docs[copied] - before, codes), "".join(body[3 * copied + 1 : 3 * index]))
            before = docs[index - 1]
        copied = index + (edit.before is not None)
        if edit.after is not None:
            frequency, length_byte, _ = edit.after
            out += (code(doc - before, codes), codes[frequency], codes[length_byte - least])
            before = doc
    if copied < len(docs):
        out += (code(docs[copied] - before, codes), "".join(body[3 * copied + 1 :]))
    return "".join(out)


def _entries(
    docs: list[int], frequencies: list[int], above: list[int], least: int, changes: Mapping[int, Edit]
) -> list[tuple[int, int, int]]:
    """The field's postings (document, frequency, length byte) after ``changes``."""
    entries = list(zip(docs, frequencies, map(add, above, repeat(least)), strict=True))
    for doc in sorted(changes, reverse=True):  # from the last back, so that the indexes before hold
        edit = changes[doc]
        index = bisect_left(entries, (doc,))
        if edit.before is not None:
            del entries[index]
        if edit.after is not None:
            entries.insert(index, (doc, edit.after[0], edit.after[1]))
    return entries


def _numbers(code: str) -> tuple[list[str], list[int]]:
    """The varints of a postings code, and their numbers."""
    tokens = _VARINT.findall(code)
    if sum(map(len, tokens)) != len(code):
        raise Unspliceable("a postings code holds symbols that are not varints")
    try:
        return tokens, list(map(_values().__getitem__, tokens))
    except KeyError:  # a number too big for the table (rare: a document id past 91,124)
        return tokens, [_value(token) for token in tokens]


def _skip(kinds: bytes, start: int, count: int) -> int:
    """Where the ``count`` varints from ``start`` on end, in positions whose symbols' ``kinds`` these are.

    Most varints of positions are one symbol, so ``count`` symbols on is a first guess,
    short by the symbols of the longer ones: each step counts how many are still missing.
    """
    end, found = start + count, kinds.count(b".", start, start + count)
    while found < count:
        if end >= len(kinds):
            raise Unspliceable("positions are cut short")
        step = count - found
        found += kinds.count(b".", end, end + step)
        end += step
    if count and kinds[end - 1] != _END:  # went on into the next varint's first symbols
        end = kinds.rindex(b".", start, end) + 1
    return end


_END = ord(".")


@functools.cache
def _values() -> dict[str, int]:
    """Each varint of the code table -> its number."""
    return {symbols: number for number, symbols in enumerate(code_table())}


def _value(token: str) -> int:
    value = 0
    for symbol in token:
        value = value * BASE + ALPHABET.index(symbol) % BASE
    return value
