"""Full-text search: one text analysis feeding a static index for browsers and a whoosh index.

* ``search_index_files(site, root)``: the build step's work: analyse (cached by content
  key in ``.sitegen/search/``) and produce the files of ``site/search/``.
* ``update_whoosh_index(root)`` and ``search_archive(root, query)`` (in ``whoosh_index``):
  bring the whoosh index up to date with the last build, off the build's critical path, and
  query it for ``sitegen search``.

Layering: this package reads the model and writes nothing outside ``.sitegen/search/``; it
never imports the build, the renderer or the server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Problem
from sitegen.model import Article, Site
from sitegen.search.analysis import Analysis
from sitegen.search.cache import (
    IndexedArticle,
    SearchCache,
    article_key,
    decode_record,
    encode_record,
    index_record,
)
from sitegen.search.documents import DocumentText, document_text
from sitegen.search.static_index import LAYOUT, StaticIndexer, client_source

__all__ = [
    "IndexedArticle",
    "SearchFiles",
    "StaticIndexer",
    "article_key",
    "encode_record",
    "index_record",
    "search_index_files",
]


@dataclass(frozen=True)
class SearchFiles:
    """The files of ``site/search/`` (None: keep the file as it is), and what made them."""

    files: dict[str, bytes | None]
    warnings: list[Problem]


def search_index_files(
    site: Site,
    root: Path,
    reusable: Callable[[str], bool] | None = None,
    encoded: Mapping[str, bytes] | None = None,
    indexer: StaticIndexer | None = None,
) -> SearchFiles:
    """The files of ``site/search/`` (paths relative to it) and any cache warnings.

    ``encoded`` holds stored-form records by key (made by the load workers); the other
    articles' records come from the cache, or are analysed now. When no article changed
    since the last build and ``reusable(path)`` confirms that each file the last build wrote
    is still intact, every value is None.
    """
    manifest = {article.url: article_key(article) for article in site.articles}
    with SearchCache(root) as cache:
        fingerprint = _fingerprint(manifest)
        last, paths = cache.built()
        if reusable is not None and last == fingerprint and paths and all(map(reusable, paths)):
            return SearchFiles(dict.fromkeys(paths), list(cache.warnings))
        known = dict(encoded or {})
        known.update(cache.stored(key for key in manifest.values() if key not in known))
        redone: set[str] = set()

        def source(article: Article) -> tuple[Analysis, DocumentText]:
            key = manifest[article.url]
            record = decode_record(key, known[key]) if key in known else None
            if record is None:  # not analysed yet, or stored by another version
                record = index_record(article)
                known[key] = encode_record(record)
                redone.add(key)
            return record.analysis, document_text(record.analysis)

        index = (indexer or StaticIndexer(kept=False)).build(site, source, cache.state(), manifest)
        cache.save_build(manifest, known, index.state, fingerprint, sorted(index.files), redone)
        return SearchFiles(dict(index.files), list(cache.warnings))


def _fingerprint(manifest: Mapping[str, str]) -> str:
    """A digest of everything the static index is made from (``manifest``: URL -> content key)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{LAYOUT}\x1f{client_source()}".encode())
    for url, key in sorted(manifest.items()):
        digest.update(f"\x1e{url}\x1f{key}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
