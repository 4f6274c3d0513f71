"""Planning again after articles were edited in place: only the pages that show them change.

An edit that keeps an article's URL, date and groupings (topics, tags, authors, source)
leaves the site's shape as it was: the same pages, the same listings in the same order.
Only the pages whose data holds the edited article differ, and they are known from the
previous plan: the article's own page, its neighbours' pages (which name it as older or
newer), the pages whose related list names it, and the listing pages that show its card.
Those are planned anew exactly as ``plan_pages`` plans them; every other page is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from sitegen.model import Site
from sitegen.render.plan import Page, article_page, newest_change
from sitegen.render.views import CardMaker


@dataclass(frozen=True)
class PageIndex:
    """Where each article shows in a plan, so that an edit finds its pages without a search."""

    article_page: Mapping[str, int]  # article URL -> index of its own page
    listings: Mapping[str, tuple[int, ...]]  # article URL -> indexes of the listing pages showing it
    position: Mapping[str, int]  # article URL -> its place among the site's articles, newest first


def index_pages(site: Site, pages: Sequence[Page]) -> PageIndex:
    """The index of a plan made by ``plan_pages`` for ``site``."""
    own: dict[str, int] = {}
    listings: dict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(pages):
        if page.kind == "article":
            own[page.url] = number
        else:
            for url in page.article_urls:
                listings[url].append(number)
    return PageIndex(
        article_page=own,
        listings={url: tuple(numbers) for url, numbers in listings.items()},
        position={article.url: number for number, article in enumerate(site.articles)},
    )


def cited_by(related: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """For each article URL, the articles whose related list names it."""
    citing: dict[str, set[str]] = defaultdict(set)
    for url, others in related.items():
        for other in others:
            citing[other].add(url)
    return citing


def replan_pages(
    site: Site,
    pages: Sequence[Page],
    index: PageIndex,
    edited: Collection[str],
    related: Mapping[str, tuple[str, ...]],
    related_changed: Collection[str],
    citing: Mapping[str, Collection[str]],
) -> tuple[list[Page], list[int]]:
    """``pages`` with every page that shows an ``edited`` article, or whose related list
    changed, planned anew; and the indexes of those pages.

    ``site`` must have the articles of the plan's site, by URL and in order, and its
    groupings; ``citing`` is ``cited_by(related)``.
    """
    maker = CardMaker(site)
    articles = site.articles
    own_pages = set(related_changed)
    listing_pages: set[int] = set()
    for url in edited:
        place = index.position[url]
        own_pages.add(url)
        own_pages.update(citing.get(url, ()))
        if place > 0:
            own_pages.add(articles[place - 1].url)
        if place + 1 < len(articles):
            own_pages.add(articles[place + 1].url)
        listing_pages.update(index.listings.get(url, ()))
    new_pages = list(pages)
    for url in own_pages:
        place = index.position[url]
        older = articles[place + 1].url if place + 1 < len(articles) else None
        newer = articles[place - 1].url if place > 0 else None
        card = maker.card(articles[place])
        new_pages[index.article_page[url]] = article_page(site, card, older, newer, related.get(url, ()))
    listing_cards = {url: maker.card(site.article(url)).for_listing() for url in edited}
    for number in listing_pages:
        page = pages[number]
        cards = [listing_cards.get(card.article.url, card) for card in page.context["cards"]]
        new_pages[number] = replace(
            page, context={**page.context, "cards": cards}, lastmod=newest_change(site, page.article_urls)
        )
    changed = sorted({index.article_page[url] for url in own_pages} | listing_pages)
    return new_pages, changed
