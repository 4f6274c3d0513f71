"""Snippets: the passage of an article that holds the most query terms, words marked.

The same choice as ``makeSnippet`` in the browser client. A snippet is a tuple of
(text, matched) parts, plain text that a caller escapes or styles as it needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sitegen.search.analysis import CJK_HINT, HAN_RUNS, english_term, raw_tokens, tokenize

SNIPPET_WORDS = 30
Snippet = tuple[tuple[str, bool], ...]

# Words as they stand in the original text (the client's WORD), version-like runs whole;
# marks are rare enough in snippets that a mark ending a word early costs only a missed highlight.
_WORD = re.compile(r"[^\W_]*\d(?:\.\d[^\W_]*)+|[^\W_]+(?:-\d[^\W_]*){2,}|[^\W_]+")


def _hit(word: str, terms: frozenset[str]) -> str | None:
    """The query term a word of the text stands for (a CJK run: the first of its bigrams found)."""
    for normal in raw_tokens(word):
        english = normal if normal in terms else english_term(normal)
        if english is not None and english in terms:
            return english
    return None


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
    seen: dict[str, str | None] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        if CJK_HINT.search(word):
            for start, end, hit in _cjk_hits(word, match.start(), terms):
                spans.append((start, end))
                hits.append(hit)
            continue
        spans.append(match.span())
        if word not in seen:
            seen[word] = _hit(word, terms)
        hits.append(seen[word])
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


def _cjk_hits(word: str, at: int, terms: frozenset[str]) -> list[tuple[int, int, str | None]]:
    """A word with Han or kana in it as (start, end, hit): each such character a word of its
    own, hit when a bigram it is part of is a query term (the client's ``spans``)."""
    found: list[tuple[int, int, str | None]] = []
    for run in HAN_RUNS.finditer(word):
        start = at + run.start()
        chars = run.group()
        if not run.group(1):
            found.append((start, start + len(chars), _hit(chars, terms)))
            continue
        for i, char in enumerate(chars):
            context = [char] if len(chars) == 1 else []
            context += [chars[i - 1 : i + 1]] if i > 0 else []
            context += [chars[i : i + 2]] if i + 1 < len(chars) else []
            hit = next((term for pair in context if (term := _hit(pair, terms)) is not None), None)
            found.append((start + i, start + i + 1, hit))
    return found


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


MAX_SECTIONS = 3


@dataclass(frozen=True)
class SectionHit:
    """A section of a result where query words stand: its heading's id and text, and a snippet."""

    anchor: str
    title: str
    snippet: Snippet


def _chunks(text: str, chunk_ends: Sequence[int]) -> list[str]:
    chunks: list[str] = []
    start = 0
    for end in chunk_ends:
        chunks.append(text[start:end])
        start = end + 1
    return chunks


def document_view(
    text: str,
    chunk_ends: Sequence[int],
    sections: Sequence[tuple[str, str, int]],
    summary: str,
    terms: frozenset[str],
    language: str,
) -> tuple[Snippet, tuple[SectionHit, ...]]:
    """A result's snippet, from the chunk of text holding the most query terms (then the most
    hits), and its best sections, up to ``MAX_SECTIONS`` (the client's ``showDocument``)."""
    chunks = _chunks(text, chunk_ends) if chunk_ends else [text]
    found: list[tuple[int, int]] = []
    for chunk in chunks:
        matched = [term for term in tokenize(chunk, language) if term in terms]
        found.append((len(set(matched)), len(matched)))
    scored = [k for k in range(len(chunks)) if found[k][1]]
    best = min(scored, key=lambda k: (-found[k][0], -found[k][1], k), default=-1)
    snippet = make_snippet(chunks[best], summary, terms) if best >= 0 else ()
    if not snippet:
        snippet = make_snippet(text, summary, terms)
    picked: list[tuple[int, int, int, int, str, str]] = []
    for order, (anchor, title, first) in enumerate(sections):
        last = sections[order + 1][2] if order + 1 < len(sections) else len(chunks)
        inside = [k for k in scored if first <= k < last]
        if not inside:
            continue
        distinct = len({term for k in inside for term in tokenize(chunks[k], language) if term in terms})
        count = sum(found[k][1] for k in inside)
        where = min(inside, key=lambda k: (-found[k][0], -found[k][1], k))
        picked.append((-distinct, -count, order, where, anchor, title))
    hits_out = tuple(
        SectionHit(anchor, title, make_snippet(chunks[where], "", terms))
        for _, _, _, where, anchor, title in sorted(picked)[:MAX_SECTIONS]
    )
    return snippet, hits_out


def mark_words(text: str, terms: frozenset[str]) -> Snippet:
    """A short text (an author's name) whole, every word a query term stands for marked."""
    spans: list[tuple[int, int]] = []
    hits: list[str | None] = []
    for match in _WORD.finditer(text):
        if CJK_HINT.search(match.group()):
            for start, end, hit in _cjk_hits(match.group(), match.start(), terms):
                spans.append((start, end))
                hits.append(hit)
        else:
            spans.append(match.span())
            hits.append(_hit(match.group(), terms))
    if not spans:
        return ((text, False),) if text else ()
    return _passage(text, spans, 0, len(spans), lambda i: hits[i] is not None)


def did_you_mean(query: str, used: Mapping[str, Sequence[str]], snippets: Sequence[Snippet]) -> str | None:
    """``query`` with each word corrected for a typo replaced by the word of the text that the
    best ranked result matched it with (else its first correction, as an index term)."""
    if not used:
        return None
    words: dict[str, str] = {}
    for term, fixes in used.items():
        marked = (text for snippet in snippets for text, matched in snippet if matched)
        found = (text for text in marked if _hit(text, frozenset(fixes)))
        words[term] = next(found, fixes[0]).lower()
    pieces = []
    for piece in query.split():
        forms = [english_term(word) or word for word in raw_tokens(piece)]
        pieces.append(words[forms[0]] if len(forms) == 1 and forms[0] in words else piece)
    return " ".join(pieces)
