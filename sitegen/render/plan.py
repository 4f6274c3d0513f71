"""The output plan: every page the site will have, with its template and data.

Planning is pure: it reads the Site and returns Page values; nothing is rendered or written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.model import Site
from sitegen.render.views import Card, Pagination, make_cards
from sitegen.taxonomy import TAXONOMIES, index_url, neighbours
from sitegen.urls import paged_url


@dataclass(frozen=True)
class Page:
    """One page to render: its URL, template, title and the data the template gets."""

    url: str
    template: str
    kind: str  # "home", "article", "taxonomy", "term", "404"
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""  # what asked for the page, for clash messages


def plan_pages(site: Site) -> list[Page]:
    """Every page of the site, in a stable order."""
    cards = make_cards(site)
    pages: list[Page] = []
    pages.extend(_article_pages(site, cards))
    pages.extend(_listing_pages("/", "home", site.config.title, [a.url for a in site.articles], site, cards, {}))
    for taxonomy in TAXONOMIES:
        terms = site.taxonomies[taxonomy.key]
        first_url = index_url(site.config.permalinks[taxonomy.singular])
        pages.append(
            Page(
                url=first_url,
                template="terms.html",
                kind="taxonomy",
                title=taxonomy.title,
                context={"taxonomy": taxonomy, "terms": terms},
                origin=f"the {taxonomy.key} index",
            )
        )
        for term in terms:
            extra = {"term": term, "taxonomy": taxonomy}
            pages.extend(_listing_pages(term.url, "term", term.name, term.article_urls, site, cards, extra))
    pages.append(Page(url="/404.html", template="404.html", kind="404", title="Page not found", origin="404 page"))
    return pages


def _article_pages(site: Site, cards: Mapping[str, Card]) -> Iterator[Page]:
    around = neighbours(site.articles)
    for article in site.articles:
        older, newer = around[article.url]
        yield Page(
            url=article.url,
            template="article.html",
            kind="article",
            title=article.title,
            context={
                "card": cards[article.url],
                "article": article,
                "older": site.article(older) if older else None,
                "newer": site.article(newer) if newer else None,
            },
            origin=f"content/{article.path}",
        )


def _listing_pages(
    first_url: str,
    kind: str,
    title: str,
    article_urls: Sequence[str],
    site: Site,
    cards: Mapping[str, Card],
    extra: Mapping[str, Any],
) -> Iterator[Page]:
    size = site.config.per_page
    count = max(1, -(-len(article_urls) // size))
    for number in range(1, count + 1):
        chunk = article_urls[(number - 1) * size : number * size]
        pagination = Pagination(
            number=number,
            count=count,
            previous_url=paged_url(first_url, number - 1) if number > 1 else None,
            next_url=paged_url(first_url, number + 1) if number < count else None,
        )
        yield Page(
            url=paged_url(first_url, number),
            template="list.html",
            kind=kind,
            title=title if number == 1 else f"{title} (page {number})",
            context={"cards": [cards[url] for url in chunk], "pagination": pagination, "heading": title, **extra},
            origin=f"listing {first_url}",
        )
