"""What the static index keeps of each article for showing results: a card and excerpt files.

A result shows the article's title, date, authors, topics and source, a snippet around the
words found and up to three sections where they stand. The card ``d/F/ID.js`` holds all but
the text: the fields shown, the sections (heading id, heading text, first chunk) and where
each chunk of text ends, counted in body terms. The text itself is in excerpt files
``x/F/ID-G.js`` of a few chunks each, so a result loads only the excerpts that hold its
query words (the client finds them from the terms' positions), not the whole article. A
short article's text stays in its card: one request, and no file more per article.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.model import Article
from sitegen.search.analysis import Analysis, Section

EXCERPT_CHARS = 1000  # chunks are gathered into excerpt files of about this many characters
INLINE_CHARS = 2500  # a text no longer than this stays in the card
LEAD_CHARS = 240  # the opening shown when no body word matched and there is no summary


@dataclass(frozen=True)
class DocumentText:
    """An article's text in chunks, where each chunk ends in body terms, and its sections."""

    chunks: tuple[str, ...]
    term_ends: tuple[int, ...] = ()
    sections: tuple[Section, ...] = ()


def document_text(analysis: Analysis) -> DocumentText:
    """The body's chunks, as the analysis cut them (pure)."""
    chunks: list[str] = []
    char_start = 0
    for char_end, _ in analysis.chunk_ends:
        chunks.append(analysis.text[char_start:char_end])
        char_start = char_end + 1
    ends = tuple(count for _, count in analysis.chunk_ends)
    return DocumentText(tuple(chunks), ends, analysis.sections)


def doc_path(doc_id: int, docs_per_folder: int) -> str:
    """The file of one document's card."""
    return f"d/{doc_id // docs_per_folder}/{doc_id}.js"


def excerpt_path(doc_id: int, docs_per_folder: int, group: int) -> str:
    """The file of one group of a document's chunks."""
    return f"x/{doc_id // docs_per_folder}/{doc_id}-{group}.js"


def excerpt_groups(chunks: tuple[str, ...]) -> list[int]:
    """The first chunk of each excerpt file: consecutive chunks up to ``EXCERPT_CHARS``."""
    starts: list[int] = []
    size = EXCERPT_CHARS
    for index, chunk in enumerate(chunks):
        if size + len(chunk) > EXCERPT_CHARS:
            starts.append(index)
            size = 0
        size += len(chunk) + 1
    return starts


def lead(text: str) -> str:
    """The opening of a text, cut at a space, for a result with no snippet of its own."""
    if len(text) <= LEAD_CHARS:
        return text
    cut = text.rfind(" ", 0, LEAD_CHARS)
    return text[: cut if cut > 0 else LEAD_CHARS] + " …"


def document_data(article: Article, text: DocumentText, docs_per_folder: int, doc_id: int) -> Mapping[str, object]:
    """The files of one document: its card, and its excerpt files unless the text is short."""
    card: dict[str, object] = {
        "u": article.url,
        "t": article.title,
        "d": article.date.isoformat()[:10],
        "s": article.summary,
        "a": list(article.authors),
        "k": list(article.topics),
        "r": article.source or "",
        "l": lead(text.chunks[0]) if text.chunks and not article.summary else "",
        "h": [[section.anchor, section.title, section.chunk] for section in text.sections],
        "c": list(text.term_ends),
    }
    files: dict[str, object] = {doc_path(doc_id, docs_per_folder): card}
    if sum(len(chunk) + 1 for chunk in text.chunks) <= INLINE_CHARS:
        card["x"] = list(text.chunks)
        return files
    starts = excerpt_groups(text.chunks)
    card["g"] = starts
    for group, (start, end) in enumerate(zip(starts, [*starts[1:], len(text.chunks)], strict=True)):
        files[excerpt_path(doc_id, docs_per_folder, group)] = list(text.chunks[start:end])
    return files
