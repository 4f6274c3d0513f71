"""View models: what templates see, derived from the data model and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.model import Article, Site
from sitegen.urls import slugify


@dataclass(frozen=True)
class TermLink:
    """A named link to a term page (a topic, tag, author or source)."""

    name: str
    url: str


LISTING_TOPICS = 8  # a listing shows this many topics of an article, then "and N more"


@dataclass(frozen=True)
class Card:
    """An article with its groupings resolved to links, as listings and its page show it."""

    article: Article
    topics: tuple[TermLink, ...]
    tags: tuple[TermLink, ...]
    authors: tuple[TermLink, ...]
    source: TermLink | None
    more_topics: int = 0  # topics left out of a listing card

    def for_listing(self) -> Card:
        """The card as listings show it: a few topics, no tags or authors.

        Keeping listing cards small keeps every listing's cost independent of how many
        topics one article has.
        """
        return Card(
            article=self.article,
            topics=self.topics[:LISTING_TOPICS],
            tags=(),
            authors=(),
            source=self.source,
            more_topics=max(0, len(self.topics) - LISTING_TOPICS),
        )


@dataclass(frozen=True)
class Pagination:
    """Where a listing page sits among its siblings."""

    number: int
    count: int
    previous_url: str | None
    next_url: str | None


def make_cards(site: Site) -> Mapping[str, Card]:
    """One card per article URL."""
    maker = CardMaker(site)
    return {article.url: maker.card(article) for article in site.articles}


class CardMaker:
    """Makes cards for the articles of one site, resolving names to its term links."""

    def __init__(self, site: Site) -> None:
        self._lookup = {
            key: {term.slug: TermLink(term.name, term.url) for term in terms} for key, terms in site.taxonomies.items()
        }

    def _links(self, key: str, names: tuple[str, ...]) -> tuple[TermLink, ...]:
        return tuple(self._lookup[key][slugify(name)] for name in names)

    def card(self, article: Article) -> Card:
        """The article's card."""
        return Card(
            article=article,
            topics=self._links("topics", article.topics),
            tags=self._links("tags", article.tags),
            authors=self._links("authors", article.authors),
            source=self._links("sources", (article.source,))[0] if article.source else None,
        )
