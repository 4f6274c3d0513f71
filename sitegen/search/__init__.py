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
from sitegen.model import Site
from sitegen.search.cache import IndexedArticle, SearchCache, article_key, encode_record, index_record
from sitegen.search.static_index import LAYOUT, build_static_index, client_source

__all__ = ["IndexedArticle", "SearchFiles", "article_key", "encode_record", "index_record", "search_index_files"]


@dataclass(frozen=True)
class SearchFiles:
    """The files of ``site/search/`` (None: keep the file as it is), and what made them."""

    files: dict[str, bytes | None]
    warnings: list[Problem]


def search_index_files(
    site: Site,
    root: Path,
    reusable: Callable[[str], bool] | None = None,
    fresh: Mapping[str, IndexedArticle] | None = None,
    encoded: Mapping[str, bytes] | None = None,
) -> SearchFiles:
    """The files of ``site/search/`` (paths relative to it) and any cache warnings.

    ``fresh`` holds records analysed by the load workers (by key) and ``encoded`` their
    stored form; the other articles' records come from the cache. When no article changed
    since the last build and ``reusable(path)`` confirms that each file the last build wrote
    is still intact, every value is None.
    """
    with SearchCache(root) as cache:
        fingerprint = _fingerprint(site)
        last, paths = cache.built()
        if reusable is not None and last == fingerprint and paths and all(map(reusable, paths)):
            return SearchFiles(dict.fromkeys(paths), list(cache.warnings))
        indexed = cache.indexed_articles(site.articles, fresh or {})
        analyses = {record.url: record.analysis for record in indexed}
        texts = {record.url: record.text for record in indexed}
        index = build_static_index(site, analyses, cache.state(), texts)
        cache.save_build(indexed, index.state, fingerprint, sorted(index.files), encoded or {})
        return SearchFiles(dict(index.files), list(cache.warnings))


def _fingerprint(site: Site) -> str:
    """A digest of everything the static index is made from."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{LAYOUT}\x1f{client_source()}".encode())
    for article in sorted(site.articles, key=lambda a: a.url):
        digest.update(f"\x1e{article.url}\x1f{article_key(article)}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
