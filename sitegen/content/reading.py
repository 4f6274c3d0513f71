"""Reading aids: how long an article is, and how long it takes to read."""

from __future__ import annotations

import math
import re
from html import unescape

_TAG = re.compile(r"<[^>]*>")
# Scripts written without spaces between words: each character is counted as a word.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f"
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_WORD = re.compile(r"\S*\w\S*")
WORDS_PER_MINUTE = 230  # adult silent reading of prose (Brysbaert, 2019)
CHARACTERS_PER_MINUTE = 400  # the same for Chinese and Japanese characters


def count_words(html: str) -> tuple[int, int]:
    """The words of an HTML fragment's text and, of those, characters of unspaced scripts."""
    text = unescape(_TAG.sub(" ", html))
    spaced, unspaced = _UNSPACED_CHAR.subn(" ", text)
    return len(_WORD.findall(spaced)) + unspaced, unspaced


def reading_minutes(words: int, unspaced: int) -> int:
    """Whole minutes to read, at least one for any text."""
    if words == 0:
        return 0
    minutes = (words - unspaced) / WORDS_PER_MINUTE + unspaced / CHARACTERS_PER_MINUTE
    return max(1, math.ceil(minutes))
