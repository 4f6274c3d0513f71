"""Which pages an edit reaches, found from the previous build's record on disk.

A long-lived engine keeps its last plan in memory and replans only the pages that show an
edited article (``render.replan``). ``sitegen build`` does the same from the build cache:
when the site keeps its shape (the same articles in the same order, each in the same
groupings, the same settings, templates and section intros), a page's data changes only
if it shows an edited article, names one as older or newer, or has a related list that
changed, so only those pages are fingerprinted again; every other page keeps the data
key the cache recorded for it. Anything else answers None: every page is fingerprinted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sitegen.build.context import Run
from sitegen.build.steps.assemble import Assembled, RelatedLists, shape
from sitegen.model import Site
from sitegen.render.plan import Page
from sitegen.render.replan import index_pages


def page_listing(site: Site) -> list[str]:
    """Each article's URL, content digest and a digest of what places it, in site order."""
    entries = []
    for article in site.articles:
        placed = hashlib.blake2b(repr(shape(article)).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        entries.append(f"{article.url}\x1f{article.digest}\x1f{placed}")
    return entries


def edited_places(run: Run, shape_key: str, listing: list[str]) -> list[int] | None:
    """The places of the articles edited since the cached build, if the site kept its shape."""
    cache = run.cache
    if not listing or cache.shape_key != shape_key or len(cache.listed) != len(listing):
        return None
    edited: list[int] = []
    for place, (before, after) in enumerate(zip(cache.listed, listing, strict=True)):
        if before != after:
            url_before, _, placed_before = before.split("\x1f")
            url_after, _, placed_after = after.split("\x1f")
            if (url_before, placed_before) != (url_after, placed_after):
                return None  # an article came, went, moved or changed groupings: the shape changed
            edited.append(place)
    return edited


def reached_pages(
    run: Run, assembled: Assembled, related: RelatedLists, pages: Sequence[Page], edited: Sequence[int] | None
) -> set[int] | None:
    """The numbers of the pages whose data the changes since the cached build can reach.

    ``edited``: ``edited_places``, None if the site changed its shape.
    """
    cache = run.cache
    if edited is None or len(cache.data_keys) != len(pages):
        return None
    if any(outline[0] != page.url for outline, page in zip(cache.outline, pages, strict=True)):
        return None
    articles = assembled.site.articles
    lists = related.lists
    own = {url for url, urls in lists.items() if cache.related.get(url) != urls}
    names_edited = {articles[place].url for place in edited}
    for url, urls in lists.items():  # pages whose related list names an edited article show its card
        if not names_edited.isdisjoint(urls):
            own.add(url)
    for place in edited:
        own.update(
            articles[neighbour].url for neighbour in (place - 1, place, place + 1) if 0 <= neighbour < len(articles)
        )
    index = index_pages(assembled.site, pages)
    reached = {index.article_page[url] for url in own}
    for url in names_edited:
        reached.update(index.listings.get(url, ()))
    return reached
