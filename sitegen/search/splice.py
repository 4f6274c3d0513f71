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

from sitegen.search.encoding import ALPHABET, BASE, code_table
from sitegen.search.postings import encode_field

_LAST = "".join(map(re.escape, ALPHABET[:BASE]))  # a varint's last symbol
_MORE = "".join(map(re.escape, ALPHABET[BASE:]))  # a symbol that more follow
_VARINT = re.compile(f"[{_MORE}]*[{_LAST}]")


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
    numbers = _numbers(postings)
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
        place_end = _skip(places, place_start, sum(numbers[start + 4 : end : 3]))
        fields[number] = (start, end, place_start, place_end)
        start, place_start = end, place_end
    if place_start != len(places):
        raise Unspliceable("positions are left over")
    tokens: list[str] | None = None
    for number in sorted({*fields, *by_field}):
        known = fields.get(number)
        changes = by_field.get(number)
        if changes is None and known is not None:  # as it was: copied
            if tokens is None:
                tokens = _VARINT.findall(postings)
            code_parts.append("".join(tokens[known[0] : known[1]]))
            place_parts.append(places[known[2] : known[3]])
            continue
        assert changes is not None
        entries, field_places = _edited(numbers, places, known, changes)
        if entries:
            code_parts.append(encode_field(number, entries))
            place_parts.append(field_places)
    return "".join(code_parts), "".join(place_parts)


def _edited(
    numbers: list[int], places: str, known: tuple[int, int, int, int] | None, changes: Mapping[int, Edit]
) -> tuple[list[tuple[int, int, int]], str]:
    """A field's postings (document, frequency, length byte) and positions code after ``changes``."""
    docs: list[int] = []
    frequencies: list[int] = []
    length_bytes: list[int] = []
    place_start = 0
    if known is not None:
        start, end, place_start, _ = known
        least = numbers[start + 2]
        docs = list(accumulate(numbers[start + 3 : end : 3]))
        frequencies = numbers[start + 4 : end : 3]
        length_bytes = list(map(add, numbers[start + 5 : end : 3], repeat(least)))
    ends = list(accumulate(frequencies, initial=0))  # positions before each posting, in varints
    pieces: list[str] = []
    place = place_start  # where the positions not yet copied start
    copied = 0  # postings whose positions are copied or dropped
    for doc in sorted(changes):
        edit = changes[doc]
        index = bisect_left(docs, doc)
        present = index < len(docs) and docs[index] == doc
        if present != (edit.before is not None):
            raise Unspliceable(f"document {doc} is not where its old posting says")
        offset = _skip(places, place, ends[index] - ends[copied])
        pieces.append(places[place:offset])
        place = offset
        if edit.before is not None:
            frequency, length_byte, positions = edit.before
            if (frequencies[index], length_bytes[index]) != (frequency, length_byte):
                raise Unspliceable(f"document {doc}'s posting is not its old one")
            if not places.startswith(positions, offset):
                raise Unspliceable(f"document {doc}'s positions are not its old ones")
            place = offset + len(positions)
        copied = index + present
        if edit.after is not None:
            pieces.append(edit.after[2])
    end_place = known[3] if known is not None else place_start
    pieces.append(places[place:end_place])
    entries = list(zip(docs, frequencies, length_bytes, strict=True))
    for doc in sorted(changes, reverse=True):  # from the last back, so that the indexes before hold
        edit = changes[doc]
        index = bisect_left(entries, (doc,))
        if edit.before is not None:
            del entries[index]
        if edit.after is not None:
            entries.insert(index, (doc, edit.after[0], edit.after[1]))
    return entries, "".join(pieces)


def _numbers(code: str) -> list[int]:
    """The numbers of a postings code."""
    tokens = _VARINT.findall(code)
    if sum(map(len, tokens)) != len(code):
        raise Unspliceable("a postings code holds symbols that are not varints")
    try:
        return list(map(_values().__getitem__, tokens))
    except KeyError:  # a number too big for the table (rare: a document id past 91,124)
        return [_value(token) for token in tokens]


def _skip(places: str, start: int, count: int) -> int:
    """Where the ``count`` varints from ``start`` on end in ``places``."""
    if count == 0:
        return start
    found = re.compile(f"(?:[{_MORE}]*[{_LAST}]){{{count}}}").match(places, start)
    if found is None:
        raise Unspliceable("positions are cut short")
    return found.end()


@functools.cache
def _values() -> dict[str, int]:
    """Each varint of the code table -> its number."""
    return {symbols: number for number, symbols in enumerate(code_table())}


def _value(token: str) -> int:
    value = 0
    for symbol in token:
        value = value * BASE + ALPHABET.index(symbol) % BASE
    return value
