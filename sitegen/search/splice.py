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
_KINDS = bytes.maketrans(ALPHABET.encode("ascii"), b"." * BASE + b"+" * (len(ALPHABET) - BASE))
_SYMBOLS = ALPHABET.encode("ascii")
_DIGITS = bytes.maketrans(ALPHABET.encode("ascii"), bytes(range(BASE)) * 2)  # each symbol's digit


class Unspliceable(ValueError):
    """A term's codes are not what the documents' old postings say they hold."""


@dataclass(frozen=True)
class Edit:
    """One document's posting of a term in one field, before and after (None: none)."""

    field: int
    doc: int
    before: tuple[int, int, str] | None  # term frequency, length byte, positions code
    after: tuple[int, int, str] | None


@dataclass(frozen=True)
class _Field:
    """One field's part of a term's codes, as read."""

    least: int  # the smallest length byte
    code: tuple[int, int]  # where its postings code (header included) starts and ends
    places: tuple[int, int]  # where its positions code starts and ends
    # The numbers of its postings, three a posting (bytes when every varint is one symbol,
    # as in most long posting lists: read without making a string of each), and the varints.
    numbers: Sequence[int]
    body: str | list[str]  # the varints of its postings: the code itself, or one string each


def splice_term(postings: str, places: str, edits: Sequence[Edit]) -> tuple[str, str]:
    """The term's postings code and positions code once ``edits`` are made ("" and "": no postings left)."""
    place_kinds = places.encode("ascii", "replace").translate(_KINDS)
    fields = _fields(postings, places, place_kinds)
    by_field: dict[int, dict[int, Edit]] = {}
    for edit in edits:
        by_field.setdefault(edit.field, {})[edit.doc] = edit
    code_parts: list[str] = []
    place_parts: list[str] = []
    for number in sorted({*fields, *by_field}):
        known = fields.get(number)
        changes = by_field.get(number)
        if changes is None and known is not None:  # as it was: copied
            code_parts.append(postings[known.code[0] : known.code[1]])
            place_parts.append(places[known.places[0] : known.places[1]])
            continue
        assert changes is not None
        field_code, field_places = _edited(places, place_kinds, number, known, changes)
        if field_code:
            code_parts.append(field_code)
            place_parts.append(field_places)
    return "".join(code_parts), "".join(place_parts)


def _fields(postings: str, places: str, place_kinds: bytes) -> dict[int, _Field]:
    """The fields of a term's codes, by number."""
    data = postings.encode("ascii", "replace")
    if data.translate(None, _SYMBOLS):
        raise Unspliceable("a postings code holds symbols that are not varints")
    kinds, digits = data.translate(_KINDS), data.translate(_DIGITS)
    fields: dict[int, _Field] = {}
    at = place_at = 0
    while at < len(postings):
        header: list[int] = []
        start = at
        for _ in range(3):
            found = _VARINT.match(postings, at)
            if found is None:
                raise Unspliceable("a field's header is cut short")
            header.append(_value(found.group()))
            at = found.end()
        number, count, least = header
        end = _skip(kinds, at, 3 * count)
        if number in fields:
            raise Unspliceable("a field comes twice")
        numbers: Sequence[int]
        body: str | list[str]
        if kinds.count(b"+", at, end) == 0:
            numbers, body = digits[at:end], postings[at:end]
        else:
            body = _VARINT.findall(postings, at, end)
            numbers = _numbers(body)
        place_end = _skip(place_kinds, place_at, sum(numbers[1::3]))
        fields[number] = _Field(least, (start, end), (place_at, place_end), numbers, body)
        at, place_at = end, place_end
    if place_at != len(places):
        raise Unspliceable("positions are left over")
    return fields


def _edited(
    places: str, kinds: bytes, number: int, known: _Field | None, changes: Mapping[int, Edit]
) -> tuple[str, str]:
    """A field's postings code and positions code after ``changes`` ("" and "": no postings left)."""
    numbers: Sequence[int] = known.numbers if known is not None else []
    place_start, place_end = known.places if known is not None else (0, 0)
    least = known.least if known is not None else 0
    docs = list(accumulate(numbers[0::3]))
    frequencies = numbers[1::3]
    above = numbers[2::3]  # each length byte above the smallest
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
            if (frequencies[index], above[index] + least) != (frequency, length_byte):
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
    if known is None or above.count(0) <= least_taken or min(bytes_after, default=least) < least:
        # The smallest length byte is another: every posting's code counts from it.
        entries = _entries(docs, list(frequencies), list(above), least, changes)
        return encode_field(number, entries), "".join(pieces)
    codes = code_table()
    body = _spliced(known.body, docs, sorted(changes.items()), places_at, least)
    return code(number, codes) + code(count, codes) + codes[least] + body, "".join(pieces)


def _spliced(
    body: str | list[str], docs: list[int], changes: list[tuple[int, Edit]], places_at: list[int], least: int
) -> str:
    """The field's postings code after its header, the changes spliced into the old one (``body``:
    its varints, three a posting), the smallest length byte as it was."""
    codes = code_table()
    out: list[str] = []
    before = 0  # the document of the posting written last
    copied = 0  # postings copied or dropped
    for (doc, edit), index in zip(changes, places_at, strict=True):
        if index > copied:  # the postings in between, the first one's gap counted anew
            out += (code(docs[copied] - before, codes), _joined(body, 3 * copied + 1, 3 * index))
            before = docs[index - 1]
        copied = index + (edit.before is not None)
        if edit.after is not None:
            frequency, length_byte, _ = edit.after
            out += (code(doc - before, codes), codes[frequency], codes[length_byte - least])
            before = doc
    if copied < len(docs):
        out += (code(docs[copied] - before, codes), _joined(body, 3 * copied + 1, len(body)))
    return "".join(out)


def _joined(body: str | list[str], start: int, end: int) -> str:
    """The varints ``start`` to ``end`` of a body, as one string."""
    return body[start:end] if isinstance(body, str) else "".join(body[start:end])


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


def _numbers(tokens: list[str]) -> list[int]:
    """The numbers of varints."""
    try:
        return list(map(_values().__getitem__, tokens))
    except KeyError:  # a varint of three symbols or more (rare: a gap of 2,025 documents)
        return [_value(token) for token in tokens]


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
    """Each varint of one or two symbols -> its number (longer ones are rare: ``_value``)."""
    return {symbols: number for number, symbols in enumerate(code_table()[: BASE * BASE])}


def _value(token: str) -> int:
    """The number of one varint."""
    value = 0
    for symbol in token:
        value = value * BASE + ALPHABET.index(symbol) % BASE
    return value
