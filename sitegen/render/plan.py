"""The output plan: every page the site will have, with its template and data.

Planning is pure: it reads the Site and returns Page values; nothing is rendered or written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.model import Moment, Site, moment_to_utc
from sitegen.render.charts import period_chart
from sitegen.render.views import Card, Pagination, make_cards
from sitegen.taxonomy import MONTH_NAMES, TAXONOMIES, group_by_date, index_url, neighbours
from sitegen.urls import paged_url

FEED_URL = "/feed.xml"


@dataclass(frozen=True)
class Page:
    """One page to render: its URL, template, title and the data the template gets."""

    url: str
    template: str
    kind: str  # "home", "article", "taxonomy", "term", "search", "404"
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""  # what asked for the page, for clash messages
    article_urls: tuple[str, ...] = ()  # the articles the page shows: its lastmod and its dependencies
    feeds: tuple[str, ...] = ()  # Atom feeds the page links to
    lastmod: Moment | None = None

    def outline(self) -> Outline:
        """What a build needs of a page it does not render (not what its template reads), as
        plain values: a cache stores 15,000 of them, and pickles plain values far faster."""
        return (self.url, self.template, self.kind, self.title, self.origin, self.lastmod)

    @classmethod
    def from_outline(cls, outline: Outline) -> Page:
        url, template, kind, title, origin, lastmod = outline
        return cls(url, template, kind, title, origin=origin, lastmod=lastmod)


Outline = tuple[str, str, str, str, str, Moment | None]  # see Page.outline


def plan_pages(site: Site, related: Mapping[str, tuple[str, ...]] | None = None) -> list[Page]:
    """Every page of the site, in a stable order; ``related`` lists each article's related URLs."""
    cards = make_cards(site)
    listing_cards = {url: card.for_listing() for url, card in cards.items()}  # shared by every listing
    pages: list[Page] = []
    pages.extend(_article_pages(site, cards, related or {}))
    all_urls = [article.url for article in site.articles]
    pages.extend(_listing_pages("/", "home", site.config.title, all_urls, site, listing_cards, {}, (FEED_URL,)))
    pages.extend(_archive_pages(site, listing_cards))
    archive_url = site.config.permalinks["archive"]
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
                feeds=(FEED_URL,),
            )
        )
        for term in terms:
            dates = (site.article(url).date for url in term.article_urls)
            extra = {"term": term, "taxonomy": taxonomy, "chart": period_chart(dates, archive_url)}
            feeds = (FEED_URL, term_feed_url(term.url)) if taxonomy.key == "topics" else (FEED_URL,)
            pages.extend(
                _listing_pages(term.url, "term", term.name, term.article_urls, site, listing_cards, extra, feeds)
            )
    pages.append(Page(url="/search/", template="search.html", kind="search", title="Search", origin="the search page"))
    pages.append(Page(url="/404.html", template="404.html", kind="404", title="Page not found", origin="404 page"))
    return pages


def _article_pages(site: Site, cards: Mapping[str, Card], related: Mapping[str, tuple[str, ...]]) -> Iterator[Page]:
    around = neighbours(site.articles)
    for article in site.articles:
        yield article_page(site, cards[article.url], *around[article.url], related.get(article.url, ()))


def article_page(site: Site, card: Card, older: str | None, newer: str | None, related: Sequence[str]) -> Page:
    """The page of one article: its card, its older and newer neighbours and related articles."""
    article = card.article
    return Page(
        url=article.url,
        template="article.html",
        kind="article",
        title=article.title,
        context={
            "card": card,
            "article": article,
            "older": site.article(older) if older else None,
            "newer": site.article(newer) if newer else None,
            "related": [site.article(url) for url in related],
        },
        origin=f"content/{article.path}",
        article_urls=(article.url,),
        lastmod=article.updated or article.date,
    )


def _listing_pages(
    first_url: str,
    kind: str,
    title: str,
    article_urls: Sequence[str],
    site: Site,
    cards: Mapping[str, Card],
    extra: Mapping[str, Any],
    feeds: tuple[str, ...] = (FEED_URL,),
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
            context={
                "cards": [cards[url] for url in chunk],
                "pagination": pagination,
                "heading": title,
                "intro": site.intros.get(first_url) if number == 1 else None,
                **extra,
            },
            origin=f"listing {first_url}",
            article_urls=tuple(chunk),
            feeds=feeds,
            lastmod=newest_change(site, chunk),
        )


def _archive_pages(site: Site, cards: Mapping[str, Card]) -> Iterator[Page]:
    archive_url = site.config.permalinks["archive"]
    years = group_by_date(site.articles, archive_url)
    yield Page(
        url=archive_url,
        template="archive.html",
        kind="archive",
        title="Archive by date",
        context={"years": years, "chart": period_chart((article.date for article in site.articles), archive_url)},
        origin="the date archive",
        feeds=(FEED_URL,),
    )
    for year in years:
        heading = str(year.year)
        yield from _listing_pages(year.url, "archive-year", heading, year.article_urls, site, cards, {"year": year})
        for month in year.months:
            heading = f"{MONTH_NAMES[month.month - 1]} {month.year}"
            extra = {"month": month}
            yield from _listing_pages(month.url, "archive-month", heading, month.article_urls, site, cards, extra)


def term_feed_url(term_url: str) -> str:
    """The Atom feed of a topic, beside its page."""
    return f"{term_url}feed.xml"


def newest_change(site: Site, article_urls: Sequence[str]) -> Moment | None:
    moments = [site.article(url).updated or site.article(url).date for url in article_urls]
    return max(moments, key=moment_to_utc) if moments else None
