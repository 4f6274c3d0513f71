"""Groupings derived from the articles (topics, sources, authors, tags) and article neighbours."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sitegen.model import Article, Term
from sitegen.urls import slugify, term_url


def group_terms(
    articles: Sequence[Article], names_of: Callable[[Article], Iterable[str]], url_pattern: str
) -> tuple[Term, ...]:
    """Terms whose names slug alike are one term, named by its most common spelling.

    ``articles`` must be newest first; each term lists its articles in that order. The work
    is linear in the number of (article, name) pairs.
    """
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        seen: set[str] = set()
        for name in names_of(article):
            slug = slugify(name)
            spellings[slug][name] += 1
            if slug not in seen:
                seen.add(slug)
                members[slug].append(article.url)
    terms = [
        Term(
            slug=slug,
            name=_most_common(spellings[slug]),
            url=term_url(url_pattern, slug),
            article_urls=tuple(urls),
        )
        for slug, urls in members.items()
    ]
    return tuple(sorted(terms, key=lambda term: (term.name.casefold(), term.slug)))


def _most_common(counts: Counter[str]) -> str:
    # Ties go to the alphabetically first spelling so the choice is stable between builds.
    return min(counts, key=lambda name: (-counts[name], name))


def neighbours(articles: Sequence[Article]) -> dict[str, tuple[str | None, str | None]]:
    """For each article URL, the (older, newer) article URLs; ``articles`` newest first."""
    result: dict[str, tuple[str | None, str | None]] = {}
    for index, article in enumerate(articles):
        older = articles[index + 1].url if index + 1 < len(articles) else None
        newer = articles[index - 1].url if index > 0 else None
        result[article.url] = (older, newer)
    return result


@dataclass(frozen=True)
class Taxonomy:
    """One way of grouping articles: by topic, tag, author or source."""

    key: str  # plural, used in URLs and templates: "topics"
    singular: str  # the permalink kind: "topic"
    title: str  # shown on its index page
    names_of: Callable[[Article], Iterable[str]]


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy("topics", "topic", "Topics", lambda article: article.topics),
    Taxonomy("sources", "source", "Sources", lambda article: (article.source,) if article.source else ()),
    Taxonomy("authors", "author", "Authors", lambda article: article.authors),
    Taxonomy("tags", "tag", "Tags", lambda article: article.tags),
)


def index_url(term_pattern: str) -> str:
    """The index page of a taxonomy: its term permalink without the trailing ``{slug}/``."""
    return term_pattern.removesuffix("{slug}/")


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class MonthGroup:
    """The articles of one calendar month, newest first."""

    year: int
    month: int
    url: str
    article_urls: tuple[str, ...]


@dataclass(frozen=True)
class YearGroup:
    """The articles of one year, and its months, newest first."""

    year: int
    url: str
    article_urls: tuple[str, ...]
    months: tuple[MonthGroup, ...]


def group_by_date(articles: Sequence[Article], archive_url: str) -> tuple[YearGroup, ...]:
    """Years and months as the articles' own dates give them; ``articles`` newest first."""
    by_month: dict[tuple[int, int], list[str]] = defaultdict(list)
    for article in articles:
        by_month[(article.date.year, article.date.month)].append(article.url)
    years: dict[int, list[MonthGroup]] = defaultdict(list)
    for (year, month), urls in sorted(by_month.items(), reverse=True):
        years[year].append(MonthGroup(year, month, f"{archive_url}{year:04d}/{month:02d}/", tuple(urls)))
    return tuple(
        YearGroup(
            year=year,
            url=f"{archive_url}{year:04d}/",
            article_urls=tuple(url for month in months for url in month.article_urls),
            months=tuple(months),
        )
        for year, months in sorted(years.items(), reverse=True)
    )
