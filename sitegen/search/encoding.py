"""The compact encodings of the static index, shared by its writers: varints and FNV-1a.

The browser client decodes the same symbols (``decodeVarints`` in sitegen-search.js).
"""

from __future__ import annotations

import functools

# Varints: 45 "last digit" symbols and 45 "more digits follow" symbols, all of them characters
# that need no escaping in a JSON string.
ALPHABET = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in '"\\')[:90]
BASE = 45


def varint(value: int) -> str:
    """One non-negative integer in the index's varint symbols."""
    last = ALPHABET[value % BASE]
    value //= BASE
    digits: list[str] = []
    while value:
        digits.append(ALPHABET[BASE + value % BASE])
        value //= BASE
    return "".join(reversed(digits)) + last


@functools.cache
def code_table() -> tuple[str, ...]:
    """The varints of 0 .. 45**3 - 1, built once: encoding is then one lookup per number.

    Built by concatenating symbols, as ``varint`` would write them (a tenth of its time):
    one last symbol; one more-follows symbol from 1 on, then a last one; two, then one.
    """
    last, more = ALPHABET[:BASE], ALPHABET[BASE : 2 * BASE]
    pairs = [high + low for high in more[1:] for low in last]
    triples = [high + middle + low for high in more[1:] for middle in more for low in last]
    return (*last, *pairs, *triples)


def code(value: int, table: tuple[str, ...]) -> str:
    """The varint of ``value``, from ``table`` when it is there."""
    return table[value] if value < len(table) else varint(value)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points (the client computes the same)."""
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value
