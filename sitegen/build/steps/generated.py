"""The files made from the articles rather than from templates: feeds, sitemap, robots.txt,
the JSON Feed, the catalog and the citation files. Each is made again only when the
articles it lists changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial

from sitegen.build.context import Mode, Run
from sitegen.build.steps.assemble import Assembled
from sitegen.build.steps.pages import PagePlan
from sitegen.citations import EXPORT_FORMATS, export_url
from sitegen.config import Config
from sitegen.fingerprint import Fingerprinter, digest_bytes
from sitegen.model import Site
from sitegen.output import Output
from sitegen.render.exports import (
    CATALOG_CSV_URL,
    CATALOG_JSON_URL,
    JSON_FEED_URL,
    Entries,
    catalog_csv,
    catalog_json,
    catalog_record,
    citation_files,
    json_feed,
    patch_catalog,
)
from sitegen.render.feeds import FEED_SIZE, atom_feed, robots_txt, sitemap_xml
from sitegen.render.plan import FEED_URL, Page, term_feed_url
from sitegen.urls import output_file

Generated = dict[str, Output]  # output file -> what to write there


def feeds(run: Run, config: Config, assembled: Assembled, planned: PagePlan) -> Generated:
    """Atom feeds (each rebuilt only when its entries changed), the sitemap and robots.txt."""
    site, generated = assembled.site, Generated()
    entries: dict[str, str] = {}
    fingerprinter = Fingerprinter()
    shortcut = run.mode is not Mode.FULL
    all_feeds = [
        (FEED_URL, config.title, "/", tuple(article.url for article in site.articles[:FEED_SIZE]), "the site feed")
    ]
    for topic in site.taxonomies["topics"]:
        urls = topic.article_urls[:FEED_SIZE]
        title = f"{topic.name} · {config.title}"
        all_feeds.append((term_feed_url(topic.url), title, topic.url, urls, f"the feed of {topic.name}"))
    edited = set(assembled.edited)
    for feed_url, title, page_url, entry_urls, origin in all_feeds:
        relative = output_file(feed_url)
        if shortcut and edited.isdisjoint(entry_urls):
            generated[relative] = Output(origin=origin, reuse=True)  # its entries are as they were
            continue
        articles = tuple(map(site.article, entry_urls))
        key = fingerprinter.digest(("atom", config, title, feed_url, page_url, articles))
        run.fingerprints[relative] = key
        if run.unchanged_output(relative, key):
            generated[relative] = Output(origin=origin, reuse=True)
            continue
        data = atom_feed(config, title=title, feed_url=feed_url, page_url=page_url, articles=articles, entries=entries)
        generated[relative] = Output(origin=origin, data=data)
    kept = run.kept
    if shortcut and kept is not None and _same_lastmods(kept.pages, planned.pages, planned.replanned or ()):
        generated["sitemap.xml"] = Output(origin="the sitemap", reuse=True)
        generated["robots.txt"] = Output(origin="robots.txt", reuse=True)
        return generated
    # What the sitemap shows of each page, as a repr made in C: far cheaper than the XML
    # (about a second at 10,000 articles), which a warm build then need not make.
    shown = [(page.kind == "404", page.url, page.lastmod) for page in planned.pages]
    key = digest_bytes(repr(("sitemap", config.base_url, shown)).encode("utf-8", "surrogatepass"))
    run.fingerprints["sitemap.xml"] = key
    if run.unchanged_output("sitemap.xml", key):
        generated["sitemap.xml"] = Output(origin="the sitemap", reuse=True)
    else:
        generated["sitemap.xml"] = Output(origin="the sitemap", data=sitemap_xml(config, planned.pages))
    generated["robots.txt"] = Output(origin="robots.txt", data=robots_txt(config))
    return generated


def _same_lastmods(before: Sequence[Page], after: Sequence[Page], numbers: Iterable[int]) -> bool:
    """Whether the pages at ``numbers`` keep their last-modified times (the sitemap's data)."""
    return all(before[number].lastmod == after[number].lastmod for number in numbers)


def exports(run: Run, config: Config, assembled: Assembled, planned: PagePlan) -> Generated:
    """JSON Feed, the catalog, and the citation files of every article and term page."""
    site, generated = assembled.site, Generated()
    entries = Entries(config)
    fingerprinter = Fingerprinter()
    edited = set(assembled.edited)
    shortcut = run.mode is not Mode.FULL
    # The CLI's record on disk: a file listing none of the edited articles keeps its key.
    places = planned.edited_since_cache
    since_cache = None if places is None else {site.articles[place].url for place in places}

    def add(
        origin: str, article_urls: Sequence[str], make: Callable[[], Mapping[str, bytes]], urls: Sequence[str]
    ) -> None:
        relatives = [output_file(url) for url in urls]
        if shortcut and edited.isdisjoint(article_urls):
            for relative in relatives:
                generated[relative] = Output(origin=origin, reuse=True)
            return
        if since_cache is not None and since_cache.isdisjoint(article_urls) and run.kept_outputs(relatives):
            for relative in relatives:
                run.fingerprints[relative] = run.cache.pages[relative]
                generated[relative] = Output(origin=origin, reuse=True)
            return
        key = fingerprinter.digest(("export", config, tuple(urls), tuple(map(site.article, article_urls))))
        if all(run.unchanged_output(relative, key) for relative in relatives):
            for relative in relatives:
                run.fingerprints[relative] = key
                generated[relative] = Output(origin=origin, reuse=True)
            return
        for url, data in make().items():
            run.fingerprints[output_file(url)] = key
            generated[output_file(url)] = Output(origin=origin, data=data)

    newest = [article.url for article in site.articles[:FEED_SIZE]]
    add("the JSON feed", newest, lambda: {JSON_FEED_URL: json_feed(config, site.articles)}, [JSON_FEED_URL])
    every = [article.url for article in site.articles]

    def catalog() -> dict[str, bytes]:
        records = [catalog_record(config, article) for article in site.articles]
        return {CATALOG_JSON_URL: catalog_json(records), CATALOG_CSV_URL: catalog_csv(records)}

    if not _patched_catalog(run, config, site, planned, generated):
        add("the catalog", every, catalog, [CATALOG_JSON_URL, CATALOG_CSV_URL])
    for article in site.articles:
        urls = [export_url(article.url, article.slug, suffix) for suffix in EXPORT_FORMATS]
        make = partial(citation_files, entries, article.url, article.slug, [article])
        add(f"{run.shown_prefix}{article.path}", [article.url], make, urls)
    for kind, terms in site.taxonomies.items():
        for term in terms:
            listed = [site.article(url) for url in term.article_urls]
            urls = [export_url(term.url, term.slug, suffix) for suffix in EXPORT_FORMATS]
            make = partial(citation_files, entries, term.url, term.slug, listed)
            add(f"the {kind} page {term.url}", term.article_urls, make, urls)
    return generated


def _patched_catalog(run: Run, config: Config, site: Site, planned: PagePlan, generated: Generated) -> bool:
    """The previous build's catalog with the lines of the articles edited since put in.

    Half a second at 10,000 articles, made anew for every edit otherwise. Its key joins the
    previous key with the edited articles' entries, so it changes with them; a build that
    cannot patch computes the full key, which differs, and makes the catalog anew.
    """
    places = planned.edited_since_cache
    relatives = [output_file(CATALOG_JSON_URL), output_file(CATALOG_CSV_URL)]
    if not places or not run.kept_outputs(relatives):
        return False
    try:
        before = [(run.options.output / relative).read_bytes() for relative in relatives]
    except OSError:
        return False
    changed = {place: catalog_record(config, site.articles[place]) for place in places}
    patched = patch_catalog(before[0], before[1], len(site.articles), changed)
    if patched is None:
        return False
    entries = "\x1e".join(planned.listing[place] for place in places)
    for relative, data in zip(relatives, patched, strict=True):
        key = digest_bytes(f"{run.cache.pages[relative]}\x1e{entries}".encode("utf-8", "surrogatepass"))
        run.fingerprints[relative] = key
        generated[relative] = Output(origin="the catalog", data=data)
    return True
