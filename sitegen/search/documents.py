"""What the static index keeps of each article for showing results: its card and its text.

A result needs the article's URL, title and date, and a snippet around the words found.
The text is cut into chunks of about ``analysis.CHUNK_CHARS`` characters, each in its own file, and
the document file lists one small Bloom filter per chunk of the index terms it holds (the
terms a query looks for: every query word stands for its English stem and itself), so the
client downloads only the chunk likely to hold the query's words instead of the whole text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sitegen.model import Article
from sitegen.search.analysis import Analysis
from sitegen.search.encoding import fnv1a

BLOOM_BITS_PER_WORD = 8  # two hash functions: about 5% false positives
_BLOOM_SYMBOLS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"  # six bits each


@dataclass(frozen=True)
class DocumentText:
    """An article's text in chunks, with a Bloom filter of each chunk's words."""

    chunks: tuple[str, ...]
    filters: tuple[str, ...]


def document_text(analysis: Analysis) -> DocumentText:
    """The body's chunks (as the analysis cut them) and a filter of each one's terms (pure)."""
    chunks: list[str] = []
    filters: list[str] = []
    char_start = term_start = 0
    body = analysis.tokens.get("body", ())
    for char_end, term_end in analysis.chunk_ends:
        chunks.append(analysis.text[char_start:char_end])
        filters.append(bloom(body[term_start:term_end]))
        char_start, term_start = char_end + 1, term_end
    return DocumentText(tuple(chunks), tuple(filters))


def doc_path(doc_id: int, docs_per_folder: int) -> str:
    """The file of one document's card."""
    return f"d/{doc_id // docs_per_folder}/{doc_id}.js"


def chunk_path(doc_id: int, docs_per_folder: int, number: int) -> str:
    """The file of one chunk of a document's text."""
    return f"d/{doc_id // docs_per_folder}/{doc_id}.{number}.js"


def document_data(article: Article, text: DocumentText, docs_per_folder: int, doc_id: int) -> Mapping[str, object]:
    """Every file of one document: its card (URL, title, date, summary, chunk filters) and chunks."""
    card = {
        "u": article.url,
        "t": article.title,
        "d": article.date.isoformat()[:10],
        "s": article.summary,
        "c": list(text.filters),
    }
    files: dict[str, object] = {doc_path(doc_id, docs_per_folder): card}
    for number, chunk in enumerate(text.chunks):
        files[chunk_path(doc_id, docs_per_folder, number)] = chunk
    return files


@functools.lru_cache(maxsize=1 << 17)
def _hashes(word: str) -> tuple[int, int]:
    """The two hashes of a word (cached: words repeat from article to article)."""
    return fnv1a(word), fnv1a(word + "\x01")


def bloom(words: Iterable[str]) -> str:
    """A Bloom filter of ``words``: two bits per word, by FNV-1a of the word and of word + "\x01"."""
    items = set(words)
    size = max(1, -(-len(items) * BLOOM_BITS_PER_WORD // 6))
    bits = [0] * size
    for word in items:
        for position in _hashes(word):
            position %= size * 6
            bits[position // 6] |= 1 << (position % 6)
    return "".join(_BLOOM_SYMBOLS[value] for value in bits)
