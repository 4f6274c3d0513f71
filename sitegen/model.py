"""The archive's data model: frozen, plain data with no I/O.

Objects refer to each other by URL or source path, never by reference, so any of them can
be cached, pickled to a worker process, or compared between two builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache
from typing import Any

from sitegen.config import Config

Moment = date | datetime


@dataclass(frozen=True)
class Caption:
    """The publisher's words about a picture; the picture itself only when the curator kept it."""

    text: str
    image: str | None = None  # a path or URL, as the front matter gave it


@dataclass(frozen=True)
class Article:
    """One curated article, validated and rendered to HTML."""

    path: str  # source file, relative to content/, with '/' separators
    slug: str
    url: str  # permalink from the site root, e.g. "/2022/08/some-slug/"
    title: str
    date: Moment
    updated: Moment | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    source_url: str | None = None
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str = ""  # plain text: the given summary, or the first paragraph
    dek: str = ""  # the given summary only, shown under the headline
    language: str = "en"
    draft: bool = False
    note_html: str = ""
    body_html: str = ""
    assets: tuple[str, ...] = ()  # local files the article links to, relative to content/
    extra: Mapping[str, Any] = field(default_factory=dict)  # unknown front-matter fields
    captions: tuple[Caption, ...] = ()
    captured: Moment | None = None  # when the page was fetched or saved
    capture: str | None = None  # the published safe copy of the capture, relative to the article's page
    source_digest: str | None = None  # "sha256:..." of the bytes the article was made from
    word_count: int = 0  # words of the body; a character of Chinese or Japanese counts as one
    reading_minutes: int = 0
    references: tuple[tuple[str, str], ...] = ()  # (style, HTML): its formatted citations, made once
    digest: str = ""  # of the source file and the settings that shaped it: equal digest, equal article
    image: str | None = None  # the lead image (image/images/cover of other generators), a path or URL
    redirects: tuple[str, ...] = ()  # old URLs (aliases, redirect_from, permalink) that lead here

    @property
    def sort_key(self) -> tuple[datetime, str]:
        """Chronological order; ties broken by URL so the order is stable."""
        return (moment_to_utc(self.date), self.url)


@dataclass(frozen=True)
class Term:
    """A topic (or other grouping) and the articles in it, newest first."""

    slug: str
    name: str
    url: str
    article_urls: tuple[str, ...]


@dataclass(frozen=True)
class Intro:
    """What a listing shows above its cards: a section page's title and text (Hugo's _index.md)."""

    title: str
    html: str
    origin: str  # the section file, relative to content/


@dataclass(frozen=True)
class Site:
    """Everything known about the archive after loading: the input to page planning."""

    config: Config
    articles: tuple[Article, ...]  # newest first
    taxonomies: Mapping[str, tuple[Term, ...]]  # "topics", "tags", ... -> terms by name
    assets: tuple[str, ...] = ()  # content files that are not articles, relative to content/
    intros: Mapping[str, Intro] = field(default_factory=dict)  # listing URL -> its introduction

    def article(self, url: str) -> Article:
        """The article with this URL."""
        return self._by_url[url]

    def place(self, url: str) -> int:
        """Where the article with this URL is in ``articles``."""
        return self._places[url]

    def with_edited(self, edited: Mapping[str, Article]) -> Site:
        """This site with some articles replaced by new versions at the same URLs and places.

        An edit in the preview changes an article or two of thousands: the lookups are
        carried over and patched rather than made anew from every article.
        """
        articles = list(self.articles)
        for url, article in edited.items():
            articles[self._places[url]] = article
        site = replace(self, articles=tuple(articles))
        site.__dict__["_places"] = self._places  # the same URLs in the same places
        site.__dict__["_by_url"] = {**self._by_url, **edited}
        return site

    @cached_property
    def _by_url(self) -> dict[str, Article]:
        # Derived from the frozen articles, so computing it once is safe.
        return {article.url: article for article in self.articles}

    @cached_property
    def _places(self) -> dict[str, int]:
        return {article.url: place for place, article in enumerate(self.articles)}


@lru_cache(maxsize=1 << 17)  # pure, and asked for each article's moment again and again when planning
def moment_to_utc(moment: Moment) -> datetime:
    """A naive UTC datetime for ordering; dates and naive times count as UTC.

    A date never equals a datetime, nor a naive datetime an aware one, so the cache never
    answers for a moment of another kind.
    """
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            return moment.astimezone(UTC).replace(tzinfo=None)
        return moment
    return datetime(moment.year, moment.month, moment.day)
