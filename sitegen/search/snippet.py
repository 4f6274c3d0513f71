"""Snippets: the passage of an article that holds the most query terms, words marked.

The same choice as ``makeSnippet`` in the browser client. A snippet is a tuple of
(text, matched) parts, plain text that a caller escapes or styles as it needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sitegen.search.analysis import english_term, normalize

SNIPPET_WORDS = 30
Snippet = tuple[tuple[str, bool], ...]

# Words as they stand in the original text (the client's /[\p{L}\p{N}\p{M}]+/gu); marks are
# rare enough in snippets that a mark ending a word early costs only a missed highlight.
_WORD = re.compile(r"[^\W_]+")


def make_snippet(text: str, summary: str, terms: frozenset[str], words: int = SNIPPET_WORDS) -> Snippet:
    """The best passage of ``text`` (then of ``summary``) for ``terms``, or their opening."""
    for source in (text, summary):
        parts = _best_passage(source, terms, words)
        if parts is not None:
            return parts
    source = summary or text
    spans = [match.span() for match in _WORD.finditer(source)]
    return _passage(source, spans, 0, words, lambda _: False)


def _best_passage(text: str, terms: frozenset[str], words: int) -> Snippet | None:
    spans: list[tuple[int, int]] = []
    hits: list[str | None] = []
    for match in _WORD.finditer(text):
        spans.append(match.span())
        word = normalize(match.group())
        english = english_term(word)
        hits.append(word if word in terms else english if english is not None and english in terms else None)
    best, best_key = -1, (0, 0)
    for start, hit in enumerate(hits):
        if hit is None:
            continue
        window = [term for term in hits[start : start + words] if term is not None]
        key = (len(set(window)), len(window))
        if key > best_key:
            best, best_key = start, key
    if best < 0:
        return None
    first = max(0, best - 4)
    return _passage(text, spans, first, words, lambda i: hits[i] is not None)


def _passage(text: str, spans: list[tuple[int, int]], first: int, words: int, is_hit: Callable[[int], bool]) -> Snippet:
    """Words ``first`` to ``first + words`` of ``text``; "…" marks text left out at either end."""
    chosen = spans[first : first + words]
    if not chosen:
        return ((text[:200], False),) if text else ()
    parts: list[list[object]] = []

    def push(piece: str, match: bool) -> None:
        if not piece:
            return
        if parts and parts[-1][1] == match:
            parts[-1][0] = f"{parts[-1][0]}{piece}"
        else:
            parts.append([piece, match])

    at = 0 if first == 0 else chosen[0][0]
    if first > 0:
        push("… ", False)
    for index, (begin, finish) in enumerate(chosen, start=first):
        push(text[at:begin], False)
        push(text[begin:finish], is_hit(index))
        at = finish
    if first + len(chosen) < len(spans):
        push(" …", False)
    else:
        push(text[at:], False)
    return tuple((str(piece), bool(match)) for piece, match in parts)


def snippet_text(snippet: Snippet, mark: Callable[[str], str] = lambda word: word) -> str:
    """A snippet as one line, matched words passed through ``mark``."""
    return "".join(mark(text) if matched else text for text, matched in snippet).replace("\n", " ")


def snippet_highlights(snippet: Snippet) -> list[tuple[int, int]]:
    """Where the matched words are in ``snippet_text(snippet)``: (start, end) offsets."""
    spans: list[tuple[int, int]] = []
    at = 0
    for text, matched in snippet:
        if matched:
            spans.append((at, at + len(text)))
        at += len(text)
    return spans
