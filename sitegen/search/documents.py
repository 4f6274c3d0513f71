"""What the static index keeps of each article for showing results: its card and its text.

A result needs the article's URL, title and date, and a snippet around the words found.
All of it is one file per document: a result costs one request of a few kilobytes, and the
index stays at one file per article (tens of thousands of tiny files make writing, copying
and deleting a site slow). The text is kept in the chunks the analysis cut it into (about
``analysis.CHUNK_CHARS`` characters, at paragraphs), so the client marks where a snippet's
chunk was cut from the rest with "…".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.model import Article
from sitegen.search.analysis import Analysis


@dataclass(frozen=True)
class DocumentText:
    """An article's text in chunks."""

    chunks: tuple[str, ...]


def document_text(analysis: Analysis) -> DocumentText:
    """The body's chunks, as the analysis cut them (pure)."""
    chunks: list[str] = []
    char_start = 0
    for char_end, _ in analysis.chunk_ends:
        chunks.append(analysis.text[char_start:char_end])
        char_start = char_end + 1
    return DocumentText(tuple(chunks))


def doc_path(doc_id: int, docs_per_folder: int) -> str:
    """The file of one document's card."""
    return f"d/{doc_id // docs_per_folder}/{doc_id}.js"


def document_data(article: Article, text: DocumentText, docs_per_folder: int, doc_id: int) -> Mapping[str, object]:
    """The file of one document: its URL, title, date, summary and text chunks."""
    card = {
        "u": article.url,
        "t": article.title,
        "d": article.date.isoformat()[:10],
        "s": article.summary,
        "x": list(text.chunks),
    }
    return {doc_path(doc_id, docs_per_folder): card}
