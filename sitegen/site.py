"""Assemble the loaded articles into a Site: order them, refuse clashes, derive topics."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.config import Config
from sitegen.content.conventions.sections import Section, place_intros
from sitegen.errors import ContentError, Problem
from sitegen.model import Article, Site
from sitegen.taxonomy import TAXONOMIES, group_terms


def assemble_site(
    config: Config,
    articles: Iterable[Article],
    assets: tuple[str, ...],
    shown_prefix: str,
    sections: Iterable[tuple[str, Section]] = (),
) -> Site:
    """Newest-first articles and their topics; two articles with one URL are an error.

    ``sections`` (path, section page) become the introductions of the listings they name.
    """
    ordered = sorted(articles, key=lambda article: article.sort_key, reverse=True)
    problems = url_clashes(ordered, shown_prefix)
    if problems:
        raise ContentError(problems)
    taxonomies = {
        taxonomy.key: group_terms(ordered, taxonomy.names_of, config.permalinks[taxonomy.singular])
        for taxonomy in TAXONOMIES
    }
    listings = {term.slug: term.url for term in taxonomies.get("topics", ())}
    intros = place_intros(sections, listings)
    return Site(config=config, articles=tuple(ordered), taxonomies=taxonomies, assets=assets, intros=intros)


def url_clashes(articles: Iterable[Article], shown_prefix: str) -> list[Problem]:
    """One problem for each article whose URL an article earlier in path order has already."""
    first_by_url: dict[str, Article] = {}
    problems: list[Problem] = []
    for article in sorted(articles, key=lambda article: article.path):
        other = first_by_url.setdefault(article.url, article)
        if other is not article:
            problems.append(
                Problem(
                    f"{shown_prefix}{article.path}",
                    None,
                    f"has the same URL {article.url} as {shown_prefix}{other.path}; give one of them another 'slug:'",
                )
            )
    return problems
