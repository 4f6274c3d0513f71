"""Typo tolerance, shared by ``sitegen search`` and the browser client (``typoCandidates``).

A query word whose index term is found in fewer than ``FEW`` documents is also looked for
as the vocabulary's terms within edit distance 1 (terms of 4+ letters) or 2 (8+ letters),
counting a swap of two neighbours as one edit. Those terms weigh ``TYPO_WEIGHT`` of the word
itself, so a word as typed always outranks its corrections. Candidates keep the word's first
or last letter (one edit cannot change both), which lets the static index keep its
vocabulary in small files by length and first or last letter, loaded only on a miss.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

FEW = 2  # a term in fewer documents than this is looked for as its near spellings too
TYPO_WEIGHT = 0.5
MIN_TYPO_LENGTH = 4
LONG_TYPO_LENGTH = 8  # from this length, two edits
MAX_LOOKED_UP = 8  # candidates whose frequency is looked up, nearest first
MAX_CORRECTIONS = 3  # of those, the ones searched: nearest, then most frequent


def max_edits(term: str) -> int:
    """How many edits a typo of ``term`` may hold (0: too short to correct, or not a word)."""
    if not term.isalpha() or len(term) < MIN_TYPO_LENGTH:
        return 0
    return 2 if len(term) >= LONG_TYPO_LENGTH else 1


def in_vocabulary(term: str) -> bool:
    """Whether a term is one typos may be corrected to: words of letters, 3+ long."""
    return term.isalpha() and len(term) >= MIN_TYPO_LENGTH - 1


def bucket_keys(term: str, edits: int) -> list[str]:
    """The vocabulary files a term's near spellings are in: by length, first or last letter."""
    keys: list[str] = []
    for length in range(len(term) - edits, len(term) + edits + 1):
        keys += [vocabulary_key(length, "f", term[0]), vocabulary_key(length, "l", term[-1])]
    return keys


def vocabulary_key(length: int, end: str, letter: str) -> str:
    """The name of one vocabulary file: ``v/8f63.js`` holds the 8-letter terms starting with "c"."""
    return f"{length}{end}{ord(letter):x}"


def vocabulary_files(terms: Iterable[str]) -> dict[str, list[str]]:
    """Every vocabulary file's terms, sorted, from the index's terms."""
    files: dict[str, list[str]] = {}
    for term in sorted(terms):
        if in_vocabulary(term):
            files.setdefault(vocabulary_key(len(term), "f", term[0]), []).append(term)
            files.setdefault(vocabulary_key(len(term), "l", term[-1]), []).append(term)
    return files


def edit_distance(a: str, b: str, most: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit); ``most + 1`` when larger."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
        if min(row) > most:
            return most + 1
    return row[-1]


def near_terms(term: str, vocabulary: Iterable[str]) -> list[tuple[str, int]]:
    """The vocabulary's terms within reach of ``term`` (not itself), nearest then in code point order,
    at most ``MAX_LOOKED_UP``, with their distances."""
    edits = max_edits(term)
    if not edits:
        return []
    found = {
        other: distance
        for other in set(vocabulary)
        if other != term and (other[0] == term[0] or other[-1] == term[-1])
        if (distance := edit_distance(term, other, edits)) <= edits
    }
    return sorted(found.items(), key=lambda item: (item[1], item[0]))[:MAX_LOOKED_UP]


def corrections(near: Sequence[tuple[str, int]], frequency: Callable[[str], int]) -> list[str]:
    """The near terms searched for: found in some document, nearest first, then most frequent."""
    counted = [(distance, -count, other) for other, distance in near if (count := frequency(other)) > 0]
    return [other for _, _, other in sorted(counted)[:MAX_CORRECTIONS]]
