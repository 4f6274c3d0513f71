"""The site model from the loaded articles, and each article's related articles.

A long-lived engine whose articles were only edited in place (``Mode.ARTICLES``) puts the
edited articles into its kept site instead, when no edit moved an article in any listing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sitegen.build.context import Mode, Run
from sitegen.build.steps.sources import LoadedArticles, hinted_articles, published
from sitegen.cache import CachedArticle
from sitegen.config import Config
from sitegen.content.conventions.sections import Section, unplaced_sections
from sitegen.content.discover import Discovery
from sitegen.fingerprint import digest_bytes
from sitegen.model import Article, Site
from sitegen.related import RelatedIndex, decode_term_counts, update_related
from sitegen.site import assemble_site


@dataclass(frozen=True)
class Assembled:
    """The site, and what tells whether its articles changed."""

    site: Site
    listed: list[str]  # each published article's URL and digest, joined
    articles_key: str  # digest of the published articles' URLs and contents, and the section intros
    edited: tuple[str, ...] = ()  # URLs of the articles a shortcut put into the kept site
    intros_key: str = ""  # digest of the section pages' intros


@dataclass(frozen=True)
class RelatedLists:
    """Up to five related articles for each article."""

    lists: Mapping[str, tuple[str, ...]]
    key: str  # digest of what they were computed from ("" when an index keeps them)
    changed: Collection[str] = ()  # URLs whose list differs from the previous build's


def assemble(run: Run, config: Config, discovery: Discovery, loaded: LoadedArticles) -> Assembled:
    """The site: the kept one with edits put in where that holds, else assembled anew."""
    kept = run.kept
    site: Site | None = None
    edited: tuple[str, ...] = ()
    if run.mode is Mode.ARTICLES and kept is not None:
        edit = _edit_in_place(run, kept.site, loaded.files)
        if edit is not None:
            site, edited = edit
    elif run.mode is Mode.TEMPLATES and kept is not None:
        site = kept.site
    if site is None:
        run.mode = Mode.FULL
        sections = _sections(discovery, loaded.files)
        articles = published(run, discovery, loaded.files)
        site = assemble_site(config, articles, discovery.assets, run.shown_prefix, sections)
        run.warnings.extend(unplaced_sections(sections, site.intros, run.shown_prefix))
    if run.mode is not Mode.FULL and kept is not None:  # the kept list, with the edited articles' entries put in
        listed = list(kept.listed) if edited else kept.listed
        for url in edited:
            listed[site.place(url)] = _listing_entry(site.article(url))
    else:
        listed = list(map(_listing_entry, site.articles))
    intros = [f"{url}\x1f{intro.origin}\x1f{intro.title}\x1f{intro.html}" for url, intro in sorted(site.intros.items())]
    key = digest_bytes("\x1e".join(listed + intros).encode("utf-8", "surrogatepass"))
    return Assembled(site, listed, key, edited, digest_bytes("\x1e".join(intros).encode("utf-8", "surrogatepass")))


def _sections(discovery: Discovery, loaded: Mapping[str, CachedArticle]) -> list[tuple[str, Section]]:
    """The section pages (Hugo's _index.md) among the loaded files."""
    found = []
    for relative in discovery.articles:
        cached = loaded.get(relative)
        if cached is not None and cached.result.section is not None:
            found.append((relative, cached.result.section))
    return found


def _listing_entry(article: Article) -> str:
    return f"{article.url}\x1f{article.digest}"


def _edit_in_place(run: Run, site: Site, loaded: Mapping[str, CachedArticle]) -> tuple[Site, tuple[str, ...]] | None:
    """The kept site with the edited articles put in, and their URLs; None if an edit changed its shape.

    An article that keeps its URL, date, groupings and linked files keeps its place, and
    every listing stays as it was; anything else needs the site assembled anew.
    """
    previous = run.cache.articles
    replaced: dict[str, Article] = {}
    for relative in hinted_articles(run):
        cached = previous.get(relative)
        if (cached and cached.result.section) or loaded[relative].result.section:
            return None  # a section page introduces a listing: assemble anew
        before, after = cached.result.article if cached else None, loaded[relative].result.article
        shown_before = before is not None and run.is_published(before)
        shown_after = after is not None and run.is_published(after)
        if not shown_before and not shown_after:
            continue
        if not (shown_before and shown_after and before is not None and after is not None):
            return None
        if shape(before) != shape(after):
            return None
        if before != after:
            replaced[after.url] = after
    return (site.with_edited(replaced) if replaced else site), tuple(sorted(replaced))


def shape(article: Article) -> tuple[object, ...]:
    """What places an article in the site: an edit that keeps it changes no listing."""
    return (
        article.url,
        type(article.date),
        article.date,
        article.topics,
        article.tags,
        article.authors,
        article.source,
        article.assets,
        article.redirects,
    )


def relate(run: Run, assembled: Assembled, loaded: LoadedArticles) -> RelatedLists:
    """Up to five related articles for each article, recomputed only when what they come from changed.

    They come from each article's URL, telling terms and topics alone, so an edit that leaves
    those as they were (a typo, a note, a date, a tag) reuses every list, and one that changes
    them resumes from the lists and inputs the cache holds to rank again only what it reaches.
    """
    if run.related_index is not None:
        return _relate_kept(run, run.related_index, assembled, loaded)
    current = {article.url: (loaded.files[article.path].terms, article.topics) for article in assembled.site.articles}
    key = _related_key(current)
    if run.cache.related_key == key:
        return RelatedLists(run.cache.related, key)
    cached = {}  # what the cached lists came from: a failed build since kept the inputs of those it replaced
    for entry in run.cache.articles.values():
        article = entry.result.article
        if article is not None and article.url in run.cache.related:
            cached[article.url] = (entry.terms, article.topics)
    cached.update(run.cache.related_inputs)
    previous = cached if _related_key(cached) == run.cache.related_key else None
    lists, changed = update_related(previous, run.cache.related, current, workers=run.workers, defer=run.search_running)
    return RelatedLists(lists, key, changed)


def _related_key(inputs: Mapping[str, tuple[str, tuple[str, ...]]]) -> str:
    """A digest of the related lists' inputs (url -> telling terms, topics), in URL order."""
    digest = hashlib.blake2b(digest_size=16)
    for item in sorted(inputs.items()):  # repr, made in C, stands for the topics (a Python join cost ~0.4 s)
        digest.update(repr(item).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _relate_kept(run: Run, index: RelatedIndex, assembled: Assembled, loaded: LoadedArticles) -> RelatedLists:
    """A long-lived engine's related lists: its index rescores only what an edit can change."""
    site, inputs = assembled.site, run.related_inputs
    urls: Collection[str] = assembled.edited if run.mode is not Mode.FULL else [a.url for a in site.articles]
    current: dict[str, tuple[str, tuple[str, ...]]] = {}
    for url in urls:
        article = site.article(url)
        current[url] = (loaded.files[article.path].terms, article.topics)
    changes: dict[str, tuple[dict[str, int], tuple[str, ...]] | None] = {
        url: (decode_term_counts(terms), topics)
        for url, (terms, topics) in current.items()
        if inputs.get(url) != (terms, topics)
    }
    if run.mode is Mode.FULL:
        changes.update(dict.fromkeys(inputs.keys() - current.keys()))
    inputs.update(current)
    for url, change in changes.items():
        if change is None:
            del inputs[url]
    lists = index.update(changes, workers=run.workers)
    return RelatedLists(lists, "", index.changed_urls)
