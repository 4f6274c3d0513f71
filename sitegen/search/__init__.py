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

from pathlib import Path

from sitegen.errors import Problem
from sitegen.model import Site
from sitegen.search.cache import SearchCache
from sitegen.search.static_index import build_static_index

__all__ = ["search_index_files"]


def search_index_files(site: Site, root: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The files of ``site/search/`` (paths relative to it) and any cache warnings."""
    with SearchCache(root) as cache:
        indexed = cache.indexed_articles(site.articles)
        analyses = {record.url: record.analysis for record in indexed}
        index = build_static_index(site, analyses, cache.state())
        cache.save_build(indexed, index.state)
        return index.files, list(cache.warnings)
