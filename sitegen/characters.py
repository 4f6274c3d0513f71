"""Characters that outputs cannot carry, and text made safe to print on a terminal.

XML 1.0 allows tab, line feed and carriage return but no other C0 control character, nor
U+FFFE, U+FFFF or a lone surrogate: one form feed in a title makes every feed that lists
it unreadable. Such characters are taken out of content as it is loaded, once, so every
output (HTML, feeds, sitemap, JSON-LD, search) is built from clean text.
"""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Vertical tab, form feed and the four separators (U+001C-U+001F) separate words: a space
# keeps the words apart; the rest (escape, bell, backspace...) are dropped.
_AS_SPACE = "\x0b\x0c\x1c\x1d\x1e\x1f"


def first_forbidden(text: str) -> int | None:
    """The index of the first character XML 1.0 forbids in ``text``, or None."""
    found = _FORBIDDEN_IN_XML.search(text)
    return None if found is None else found.start()


def remove_forbidden(text: str) -> tuple[str, int]:
    """``text`` without the characters XML 1.0 forbids (word separators become spaces), and
    how many there were."""
    return _FORBIDDEN_IN_XML.subn(lambda found: " " if found.group() in _AS_SPACE else "", text)


def code_point(character: str) -> str:
    """A character as a message names it: U+000C."""
    return f"U+{ord(character):04X}"


def visible(text: str) -> str:
    """``text`` for a terminal: control characters (C0 but tab and line feed, DEL, C1) shown
    escaped, like ``\\x1b``.

    Text from content (titles, file names, link targets) must not move the cursor, clear
    the screen or retitle the window of whoever reads a build's messages.
    """
    if text.isprintable():
        return text
    return "".join(_escaped(character) for character in text)


def _escaped(character: str) -> str:
    # Tab and line feed stay: they cannot drive a terminal, and some messages span lines.
    if character in "\t\n" or unicodedata.category(character) != "Cc":
        return character
    point = ord(character)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"
