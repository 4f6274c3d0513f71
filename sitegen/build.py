"""The build pipeline: the list of steps and the loop that runs and times them.

content files -> validated articles -> site model -> page plan -> rendered pages ->
output plan -> an atomic write of site/. Nothing is written until every step before the
write has succeeded, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import shutil
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Protocol

from sitegen import __version__, workers
from sitegen.cache import CACHE_DIR, BuildCache, CachedArticle, load_cache, save_cache
from sitegen.citations import EXPORT_FORMATS, export_url
from sitegen.config import Config, load_config
from sitegen.content.conventions.sections import Section, unplaced_sections
from sitegen.content.discover import Discovery, discover
from sitegen.content.load import LoadResult, unreadable
from sitegen.content.markdown import asset_output_name
from sitegen.errors import ContentError, Problem, SitegenError, display_path
from sitegen.fingerprint import Fingerprinter, digest_bytes, fingerprint
from sitegen.i18n import SITE_LOCALES, THEME_LOCALES
from sitegen.lock import build_lock
from sitegen.model import Article, Site, moment_to_utc
from sitegen.output import (
    Output,
    OutputPlan,
    WriteResult,
    new_staging,
    previous_file_intact,
    read_previous_file,
    remove_leftovers,
    remove_pending,
    update_site,
    write_new_files,
    write_site,
)
from sitegen.output_folder import MARKER_FILE, MARKER_TEXT, check_output_folder, skipped_folders
from sitegen.parallel import MIN_ITEMS_FOR_WORKERS, Background, available_cores, collector_paused, fork_map
from sitegen.related import RelatedIndex, decode_term_counts, related_articles
from sitegen.render.environment import THEME_DIR, make_environment, template_key
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
)
from sitegen.render.feeds import FEED_SIZE, atom_feed, robots_txt, sitemap_xml
from sitegen.render.pages import PageFailure, PageTemplateError, render_pages
from sitegen.render.plan import FEED_URL, Outline, Page, plan_pages, term_feed_url
from sitegen.render.redirects import redirect_page
from sitegen.render.replan import PageIndex, cited_by, index_pages, replan_pages
from sitegen.search import PublishedIndex, SearchCache, SearchFiles, StaticIndexer, article_key, search_index_files
from sitegen.site import assemble_site, url_clashes
from sitegen.urls import output_file


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for on the command line."""

    root: Path
    out_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    strict: bool = False
    offline: bool = False
    workers: int | None = None  # processes for loading and rendering; None: one per core
    force: bool = False  # replace an output folder that sitegen did not write (never a protected one)

    @property
    def output(self) -> Path:
        """Where the site goes: ``-o`` or ``ROOT/site``."""
        return self.out_dir if self.out_dir is not None else self.root / "site"


Changes = Mapping[str, Sequence[str]]  # what changed since the last build, by kind (see serve.changes)


@dataclass
class _Kept:
    """What a long-lived builder keeps of its last good build, to redo only what an edit touched."""

    config: Config
    discovery: Discovery
    site: Site
    templates: str  # digest of the template files
    env: Any  # the Jinja2 environment, templates compiled
    template_keys: dict[str, str]  # template name -> key of it and what it uses
    pages: list[Page]
    page_index: PageIndex
    data_keys: list[str]  # each page's fingerprint without its template's
    related: dict[str, tuple[str, ...]]
    citing: dict[str, set[str]]
    outputs: dict[str, Output]  # the site as planned, every file as "reuse" or "copy"
    listed: list[str]  # as ``_State.listed``
    noted: list[str]  # as ``_State.noted``
    next_release: datetime | None  # when a future article becomes due: then all is redone


@dataclass(frozen=True)
class BuildReport:
    """What a successful build did."""

    articles: int
    pages: int
    written: int
    unchanged: int
    seconds: float
    steps: tuple[tuple[str, float], ...]
    warnings: tuple[Problem, ...]
    rendered: int = 0  # pages rendered anew (the rest were unchanged)
    removed: int = 0  # files removed from a live folder
    shortcut: str = ""  # "articles" or "templates" when only those changed and only their pages were redone
    parsed: int = 0  # article files parsed anew (the rest were reused from the cache)


@dataclass
class _State:
    """What the steps hand each other; private to this module."""

    options: BuildOptions
    cache: BuildCache
    now: datetime
    in_place: bool
    kept: _Kept | None = None
    hint: Changes | None = None
    quick: str = ""  # "articles": articles edited in place; "templates": templates only; "": everything
    edited: list[str] = field(default_factory=list)  # URLs of articles edited in place ("articles")
    shown_prefix: str = ""
    config: Config = field(default_factory=Config)
    discovery: Discovery = field(default_factory=lambda: Discovery((), (), ()))
    articles: list[Article] = field(default_factory=list)
    loaded: dict[str, CachedArticle] = field(default_factory=dict)
    loaded_all: bool = False  # ``loaded`` holds every article file's result, none half done
    parsed: int = 0  # article files parsed anew
    site: Site | None = None
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    listed: list[str] = field(default_factory=list)  # each published article's URL and digest, joined
    articles_key: str = ""  # digest of the published articles' URLs and contents
    noted: list[str] = field(default_factory=list)  # articles (paths) whose loading gave warnings
    plan_key: str = ""  # digest of everything the page plan and page fingerprints come from
    related_key: str = ""
    pages: list[Page] = field(default_factory=list)
    replanned: list[int] | None = None  # pages planned anew; None: all of them
    outlined: bool = False  # ``pages`` are the cache's outline of the same plan, not planned anew
    related_changed: Collection[str] = ()
    related_index: RelatedIndex | None = None  # a long-lived builder's, with what it was given
    related_inputs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    templates: str = ""
    env: Any = None
    template_keys: dict[str, str] = field(default_factory=dict)
    data_keys: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    rendered: dict[str, bytes] = field(default_factory=dict)
    staged: dict[str, str] = field(default_factory=dict)  # pages workers wrote, by digest
    pending: bool = False  # workers may have left files beside the live folder's
    writing: bool = False  # the write step began: a live folder may be partly updated
    search: Background[SearchFiles | _StagedSearch] | None = None  # the search index, being made
    search_encoded: dict[str, bytes] = field(default_factory=dict)  # search analyses (stored form), by key
    search_indexer: StaticIndexer | None = None  # the long-lived builder's, updated in this process
    touched: set[str] = field(default_factory=set)  # output files an in-place quick build considered
    staging: Path | None = None  # the folder the next site is built in (None: updating in place)
    generated: dict[str, Output] = field(default_factory=dict)  # feeds, sitemap, search index, ...
    search_dropped: set[str] = field(default_factory=set)  # search files a quick build removes (under search/)
    outputs: OutputPlan = field(default_factory=OutputPlan)
    result: WriteResult = field(default_factory=lambda: WriteResult(0, 0, 0, {}))
    warnings: list[Problem] = field(default_factory=list)
    progress: BuildProgress | None = None  # told how far the long steps are

    @cached_property
    def cache_is_of_output(self) -> bool:
        """Whether the build cache describes the output folder this build writes: only then do
        its records of the files there apply (asked once per page of a warm build)."""
        return self.cache.out_dir == str(self.options.output.absolute())


StepCallback = Callable[[str, float], None]


class BuildProgress(Protocol):
    """What a build tells whoever shows its progress (the CLI): steps as they start and end,
    and for the long ones (loading articles, rendering) how many of their items are done."""

    def started(self, step: str) -> None: ...

    def advanced(self, step: str, done: int, total: int) -> None: ...

    def finished(self, step: str, seconds: float) -> None: ...


class Builder:
    """Builds one archive, as often as asked, redoing only the work whose inputs changed.

    ``sitegen build`` runs it once with the cache saved in ``.sitegen/``; the preview server
    keeps one alive and rebuilds on every change, updating its live folder in place.
    """

    def __init__(
        self,
        options: BuildOptions,
        *,
        in_place: bool = False,
        persist: bool = True,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.options = options
        self.in_place = in_place
        self.persist = persist
        self.on_wait = on_wait  # called when another build of the archive holds the lock
        self.cache: BuildCache | None = None
        # A long-lived builder keeps the search analyses and the static index in memory.
        self.search_encoded: dict[str, bytes] = {}
        self.search_indexer = StaticIndexer() if not persist else None
        self.related_index = RelatedIndex()
        self.related_inputs: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._kept: _Kept | None = None

    def _keep_loaded_articles(self, state: _State, started_ns: int) -> None:
        """Save what a failed build parsed, so that fixing its one bad file costs one file.

        The output folder is as the previous build left it, so the rest of that build's cache
        (its pages, manifest, related lists) still describes it and is kept as it was.
        """
        assert self.cache is not None
        cache = replace(
            self.cache, articles=state.loaded, settings_key=_settings_key(state.config), started_ns=started_ns
        )
        # A cache only saves time: if it cannot be saved, the build's own error is still the one to report.
        if save_cache(self.options.root, cache):
            return
        self.cache = cache
        if state.search_encoded:  # analyses made in this process; workers store theirs themselves
            with contextlib.suppress(OSError), SearchCache(self.options.root) as search_cache:
                search_cache.store(state.search_encoded.items())

    def build(
        self, on_step: StepCallback | None = None, changes: Changes | None = None, progress: BuildProgress | None = None
    ) -> BuildReport:
        """Run every step in order; raise a SitegenError (and change nothing) on bad input.

        ``changes`` (a long-lived builder's, from a file watcher) lets an edit of articles
        or templates redo only the pages it touches; without it every input is checked.
        """
        # Before anything is touched, the lock file included: a wrong -o must change nothing.
        check_output_folder(self.options.root, self.options.output, force=self.options.force)
        if not self.persist:
            try:
                return self._build(on_step, changes, progress)
            except BaseException:
                self._kept = None  # what it held may be half updated: the next build checks all
                self.related_index, self.related_inputs = RelatedIndex(), {}
                raise
        with build_lock(self.options.root / CACHE_DIR, self.on_wait):
            return self._build(on_step, None, progress)

    def _build(
        self, on_step: StepCallback | None, changes: Changes | None, progress: BuildProgress | None
    ) -> BuildReport:
        started = time.perf_counter()
        cache_warnings: list[Problem] = []
        if self.cache is None:
            # A long-lived builder (the preview) starts from what `sitegen build` saved too: its
            # parsed articles are reused, while its page records name another folder and do not apply.
            self.cache, cache_warnings = load_cache(self.options.root)
        started_ns = time.time_ns()
        state = _State(
            options=self.options,
            cache=self.cache,
            now=datetime.now(UTC).replace(tzinfo=None),
            in_place=self.in_place,
            warnings=cache_warnings,
            search_encoded=dict(self.search_encoded),
            search_indexer=self.search_indexer,
            kept=self._kept,
            hint=changes,
            progress=progress,
        )
        if not self.persist:
            state.related_index, state.related_inputs = self.related_index, self.related_inputs
        state.shown_prefix = display_path(self.options.root / "content") + "/"
        timings: list[tuple[str, float]] = []
        try:
            for name, step in STEPS:
                if progress is not None:
                    progress.started(name)
                step_started = time.perf_counter()
                step(state)
                seconds = time.perf_counter() - step_started
                timings.append((name, seconds))
                if on_step is not None:
                    on_step(name, seconds)
                if progress is not None:
                    progress.finished(name, seconds)
        except BaseException:
            if state.search is not None:
                state.search.cancel()
            if state.staging is not None:
                shutil.rmtree(state.staging, ignore_errors=True)
            if state.pending:
                remove_pending(self.options.output)
            if state.writing and state.staging is None:
                self.cache = None  # its manifest may not match the live folder now: rewrite it all next time
            elif self.persist and state.loaded_all and not state.writing:
                self._keep_loaded_articles(state, started_ns)
            raise
        previous = self.cache
        self.cache = BuildCache(
            out_dir=str(self.options.output.absolute()),
            settings_key=_settings_key(state.config),
            started_ns=started_ns,
            articles=state.loaded,
            pages=state.fingerprints,
            manifest=state.result.manifest,
            related_key=state.related_key,
            related=state.related,
            plan_key=state.plan_key,
            outline=_outline(state) if self.persist else [],
        )
        assert state.site is not None
        if self.persist:
            if not _same_cache(previous, self.cache):
                state.warnings.extend(save_cache(self.options.root, self.cache))
        else:
            self.search_encoded = state.search_encoded
            if not state.quick:  # an edit leaves one stale analysis: let them go only now and then
                keys = {article_key(article) for article in state.site.articles}
                self.search_encoded = {key: data for key, data in self.search_encoded.items() if key in keys}
            self._kept = _keep(state)
        return BuildReport(
            articles=len(state.site.articles),
            pages=len(state.pages),
            written=state.result.written,
            unchanged=state.result.unchanged,
            seconds=time.perf_counter() - started,
            steps=tuple(timings),
            warnings=tuple(sorted(state.warnings)),
            rendered=len(state.rendered) + len(state.staged),
            removed=state.result.removed,
            shortcut=state.quick,
            parsed=state.parsed,
        )


def build(
    options: BuildOptions,
    on_step: StepCallback | None = None,
    on_wait: Callable[[], None] | None = None,
    progress: BuildProgress | None = None,
) -> BuildReport:
    """One build of the archive, reusing the cache in ``.sitegen/`` where it still holds.

    The garbage collector is paused throughout, and forked workers inherit the pause: a
    build makes objects by the million but almost no reference cycles (16 in a whole build
    of 1,500 articles), while each full collection walks every object the process holds
    (about 2 s of CPU over a cold build of 10,000 articles). A long-lived preview, which
    builds again and again, keeps its collector (see ``sitegen.serve``).
    """
    with collector_paused():
        return Builder(options, on_wait=on_wait).build(on_step, progress=progress)


def _keep(state: _State) -> _Kept:
    """What the next build of a long-lived builder may reuse of this one."""
    assert state.site is not None
    kept = state.kept
    files = state.outputs.files
    quick = kept is not None and bool(state.quick)
    outputs = files if quick else {}  # a quick build's plan is a copy of the kept one: take it over
    for relative in state.touched if quick else files:
        output = files.get(relative)
        if output is not None:  # the bytes are on disk now: hold the file's name, not its bytes
            outputs[relative] = output if output.copy_from is not None else Output(origin=output.origin, reuse=True)
    if kept is not None and state.quick:
        citing, page_index = kept.citing, kept.page_index
        for url in state.related_changed:
            for other in kept.related.get(url, ()):
                citing[other].discard(url)
            for other in state.related.get(url, ()):
                citing.setdefault(other, set()).add(url)
    else:
        citing, page_index = cited_by(state.related), index_pages(state.site, state.pages)
        for name in sorted({page.template for page in state.pages}):
            state.env.get_template(name)  # compiled here now, not in the first edit (workers rendered these)
    checked = [state.loaded[path] for path in _hinted_articles(state)] if state.quick else state.loaded.values()
    future = [
        moment_to_utc(cached.result.article.date)
        for cached in checked
        if cached.result.article is not None and moment_to_utc(cached.result.article.date) > state.now
    ]
    if kept is not None and state.quick and kept.next_release is not None:
        future.append(kept.next_release)
    return _Kept(
        config=state.config,
        discovery=state.discovery,
        site=state.site,
        templates=state.templates,
        env=state.env,
        template_keys=state.template_keys,
        pages=state.pages,
        page_index=page_index,
        data_keys=state.data_keys,
        related=dict(state.related),
        citing=citing,
        outputs=outputs,
        listed=state.listed,
        noted=state.noted,
        next_release=min(future, default=None),
    )


def _outline(state: _State) -> list[Outline]:
    """The pages of this build as the next one may take them (see ``Page.outline``)."""
    return state.cache.outline if state.outlined else [page.outline() for page in state.pages]


def _same_cache(before: BuildCache, after: BuildCache) -> bool:
    """Whether a build changed nothing worth saving: every article reused as it was, same output.

    Keeping the older cache keeps its older start time, which only makes the next build read
    a few more files to check them.
    """
    same_articles = before.articles.keys() == after.articles.keys() and all(
        after.articles[path] is article for path, article in before.articles.items()
    )
    keys = ("out_dir", "settings_key", "related_key", "plan_key")
    return (
        same_articles
        and all(getattr(before, key) == getattr(after, key) for key in keys)
        and before.pages == after.pages
        and before.manifest == after.manifest
    )


def _settings_key(config: Config) -> str:
    return fingerprint((__version__, config))


def _read_config(state: _State) -> None:
    state.config, warnings = load_config(state.options.root)
    state.warnings.extend(warnings)
    if state.options.base_url is not None:
        state.config = state.config.with_base_url(state.options.base_url)
    state.quick = _quick_kind(state)


def _quick_kind(state: _State) -> str:
    """Which shortcut this build may take, from what the watcher saw change.

    Edited articles ("articles") or templates ("templates") alone, with the same settings,
    leave everything else as the kept build had it; anything more is redone in full.
    """
    kept, hint = state.kept, state.hint
    if kept is None or hint is None or state.in_place is False or kept.config != state.config:
        return ""
    if kept.next_release is not None and state.now >= kept.next_release:
        return ""  # an article dated in the future is due: it joins the site
    kinds = {kind for kind, paths in hint.items() if paths}
    return kinds.pop() if kinds in ({"articles"}, {"templates"}) else ""


def _hinted_articles(state: _State) -> tuple[str, ...]:
    return tuple(state.hint.get("articles", ())) if state.hint is not None else ()


def _discover(state: _State) -> None:
    kept = state.kept
    if state.quick and kept is not None:
        content_dir = state.options.root / "content"
        known = set(kept.discovery.articles)
        if all(path in known and (content_dir / path).is_file() for path in _hinted_articles(state)):
            state.discovery = kept.discovery  # edited in place: no file came or went
            state.warnings.extend(state.discovery.warnings)
            return
        state.quick = ""
    skipped = skipped_folders(state.options.root, state.options.output)
    state.discovery = discover(state.options.root / "content", skip=skipped)
    state.warnings.extend(state.discovery.warnings)


def _load_articles(state: _State) -> None:
    """Parse and render the articles that changed, on every core; reuse the rest.

    A file whose size and mtime are as last seen is taken as unchanged without reading it,
    unless its mtime is not older than the last build's start (it may have changed again
    within the clock's resolution, as git's "racy" files); any other is read, and reused
    still if its bytes are the same.
    """
    content_dir = state.options.root / "content"
    files = frozenset(state.discovery.articles + state.discovery.assets)
    settings_key = _settings_key(state.config)
    cached = state.cache.articles if state.cache.settings_key == settings_key else {}
    errors: list[Problem] = []
    to_load: list[tuple[str, bytes | None]] = []  # None: the worker reads the file
    paths = state.discovery.articles
    if state.quick:  # the others are as the kept build loaded them
        state.loaded = dict(state.cache.articles)
        paths = _hinted_articles(state)
    for relative in paths:
        try:
            stat = (content_dir / relative).stat()
            previous = cached.get(relative)
            if previous is None:  # nothing to compare: read where it is parsed, not here
                state.loaded[relative] = CachedArticle("", LoadResult(None), stat.st_mtime_ns, stat.st_size)
                to_load.append((relative, None))
                continue
            same_stat = (previous.mtime_ns, previous.size) == (stat.st_mtime_ns, stat.st_size)
            settled = stat.st_mtime_ns < state.cache.started_ns - _CLOCK_SLACK_NS
            if same_stat and settled and previous.result.still_valid(files):
                state.loaded[relative] = previous
                continue
            data = (content_dir / relative).read_bytes()
        except OSError as error:
            errors.append(unreadable(state.shown_prefix + relative, error))
            continue
        digest = digest_bytes(data)
        if previous.digest == digest and previous.result.still_valid(files):
            state.loaded[relative] = replace(previous, mtime_ns=stat.st_mtime_ns, size=stat.st_size)
        else:
            state.loaded[relative] = CachedArticle(digest, LoadResult(None), stat.st_mtime_ns, stat.st_size)
            to_load.append((relative, data))
    # Many articles loaded on workers: their analyses go to the search cache, not through here.
    store = len(to_load) >= MIN_ITEMS_FOR_WORKERS and _workers(state) > 1
    if store:
        with SearchCache(state.options.root) as search_cache:  # repaired here, before workers share it
            state.warnings.extend(search_cache.warnings)
    loaded = fork_map(
        workers.load_chunk,
        to_load,
        initializer=workers.init_loader,
        initargs=(state.config, files, state.shown_prefix, settings_key, state.options.root, store),
        workers=_workers(state),
        on_done=_counter(state, "load articles", len(to_load)),
    )
    for (relative, given), item in zip(to_load, (item for chunk in loaded for item in chunk), strict=True):
        if given is None and not item.digest:  # the worker could not read it: nothing to keep
            del state.loaded[relative]
            errors.extend(item.result.errors)
            continue
        cached_article = state.loaded[relative]
        state.loaded[relative] = replace(
            cached_article, digest=item.digest or cached_article.digest, result=item.result, terms=item.terms
        )
        if item.encoded:
            state.search_encoded[item.search_key] = item.encoded
    state.loaded_all, state.parsed = True, len(to_load)
    # A quick build's other articles loaded without errors last time: only their warnings count.
    checked: Iterable[str] = state.discovery.articles
    if state.quick and state.kept is not None:
        checked = dict.fromkeys([*paths, *state.kept.noted])
    for relative in checked:
        if relative in state.loaded:
            result = state.loaded[relative].result
            errors.extend(result.errors)
            state.warnings.extend(result.warnings)
            if result.warnings:
                state.noted.append(relative)
    if errors:  # the clashes among the valid articles too: every problem in one run
        raise ContentError(errors + url_clashes(_published(state), state.shown_prefix))
    if not state.quick:
        state.articles = _published(state)


def _published(state: _State) -> list[Article]:
    """The loaded articles the site shows, in the order of their files."""
    articles = []
    for relative in state.discovery.articles:
        cached = state.loaded.get(relative)
        if cached is not None and cached.result.article is not None and _is_published(cached.result.article, state):
            articles.append(cached.result.article)
    return articles


# File times come from a coarse kernel clock that can lag the one time.time_ns() reads.
_CLOCK_SLACK_NS = 1_000_000_000


def _workers(state: _State) -> int:
    return state.options.workers or available_cores()


def _is_published(article: Article, state: _State) -> bool:
    if article.draft and not state.options.drafts:
        return False
    return state.options.future or moment_to_utc(article.date) <= state.now


def _assemble(state: _State) -> None:
    kept = state.kept
    if state.quick == "articles" and kept is not None:
        state.site = _edit_in_place(state, kept.site)
    elif state.quick == "templates" and kept is not None:
        state.site = kept.site
    if state.site is None:
        state.quick = ""
        state.articles = _published(state)
        sections = _sections(state)
        state.site = assemble_site(state.config, state.articles, state.discovery.assets, state.shown_prefix, sections)
        state.warnings.extend(unplaced_sections(sections, state.site.intros, state.shown_prefix))
    site = state.site
    if state.quick and kept is not None:  # the kept list, with the edited articles' entries put in
        state.listed = list(kept.listed) if state.edited else kept.listed
        for url in state.edited:
            state.listed[site.place(url)] = _listing_entry(site.article(url))
    else:
        state.listed = list(map(_listing_entry, site.articles))
    intros = [f"{url}\x1f{intro.origin}\x1f{intro.title}\x1f{intro.html}" for url, intro in sorted(site.intros.items())]
    state.articles_key = digest_bytes("\x1e".join(state.listed + intros).encode("utf-8", "surrogatepass"))


def _sections(state: _State) -> list[tuple[str, Section]]:
    """The section pages (Hugo's _index.md) among the loaded files."""
    found = []
    for relative in state.discovery.articles:
        cached = state.loaded.get(relative)
        if cached is not None and cached.result.section is not None:
            found.append((relative, cached.result.section))
    return found


def _listing_entry(article: Article) -> str:
    return f"{article.url}\x1f{article.digest}"


def _edit_in_place(state: _State, site: Site) -> Site | None:
    """The kept site with the edited articles put in; None if an edit changed its shape.

    An article that keeps its URL, date, groupings and linked files keeps its place, and
    every listing stays as it was; anything else needs the site assembled anew.
    """
    previous = state.cache.articles
    replaced: dict[str, Article] = {}
    for relative in _hinted_articles(state):
        cached = previous.get(relative)
        if (cached and cached.result.section) or state.loaded[relative].result.section:
            return None  # a section page introduces a listing: assemble anew
        before, after = cached.result.article if cached else None, state.loaded[relative].result.article
        shown_before = before is not None and _is_published(before, state)
        shown_after = after is not None and _is_published(after, state)
        if not shown_before and not shown_after:
            continue
        if not (shown_before and shown_after and before is not None and after is not None):
            return None
        if _shape(before) != _shape(after):
            return None
        if before != after:
            replaced[after.url] = after
    state.edited = sorted(replaced)
    return site.with_edited(replaced) if replaced else site


def _shape(article: Article) -> tuple[object, ...]:
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


def _related(state: _State) -> None:
    """Up to five related articles for each article, recomputed only when what they come from changed.

    They come from each article's URL, telling terms and topics alone, so an edit that leaves
    those as they were (a typo, a note, a date, a tag) reuses every list.
    """
    assert state.site is not None
    if state.related_index is not None:
        _related_kept(state, state.related_index)
        return
    articles = state.site.articles
    digest = hashlib.blake2b(digest_size=16)
    for article in articles:  # repr, made in C, stands for the topics (a Python join cost ~0.4 s)
        item = (article.url, state.loaded[article.path].terms, article.topics)
        digest.update(repr(item).encode("utf-8", "surrogatepass"))
    state.related_key = digest.hexdigest()
    if state.cache.related_key == state.related_key:
        state.related = state.cache.related
        return
    terms = {article.url: decode_term_counts(state.loaded[article.path].terms) for article in articles}
    topics = {article.url: article.topics for article in articles}
    state.related = related_articles(terms, topics, workers=_workers(state), defer=_search_running(state))


def _related_kept(state: _State, index: RelatedIndex) -> None:
    """A long-lived builder's related lists: its index rescores only what an edit can change."""
    assert state.site is not None
    inputs = state.related_inputs
    if state.quick:
        urls: Collection[str] = state.edited
    else:
        urls = [article.url for article in state.site.articles]
    current: dict[str, tuple[str, tuple[str, ...]]] = {}
    for url in urls:
        article = state.site.article(url)
        current[url] = (state.loaded[article.path].terms, article.topics)
    changes: dict[str, tuple[dict[str, int], tuple[str, ...]] | None] = {
        url: (decode_term_counts(terms), topics)
        for url, (terms, topics) in current.items()
        if inputs.get(url) != (terms, topics)
    }
    if not state.quick:
        changes.update(dict.fromkeys(inputs.keys() - current.keys()))
    inputs.update(current)
    for url, change in changes.items():
        if change is None:
            del inputs[url]
    state.related = index.update(changes, workers=_workers(state))
    state.related_changed = index.changed_urls


def _plan(state: _State) -> None:
    assert state.site is not None
    kept = state.kept
    templates = _templates_digest(state.options.root / "templates")
    state.templates = templates
    state.plan_key = fingerprint(
        ("plan", state.articles_key, _settings_key(state.config), state.options.offline, templates)
    )
    if state.quick == "articles" and kept is not None:
        state.pages, state.replanned = replan_pages(
            state.site, kept.pages, kept.page_index, state.edited, state.related, state.related_changed, kept.citing
        )
    elif state.quick == "templates" and kept is not None:
        state.pages, state.replanned = kept.pages, []
    elif state.related_index is None and state.cache.plan_key == state.plan_key and state.cache.outline:
        # The same articles, settings and templates plan the same pages: their outline serves
        # unless one of them must be rendered (see _render). Planning costs a warm build 20 %.
        state.pages, state.outlined = list(map(Page.from_outline, state.cache.outline)), True
    else:
        state.pages = _plan_all(state)


def _plan_all(state: _State) -> list[Page]:
    """Every page, planned from the site and the related lists."""
    assert state.site is not None
    with collector_paused():
        return plan_pages(state.site, state.related)


def _templates_digest(site_templates: Path) -> str:
    """A digest of every template file, the site's and the theme's."""
    parts: list[str] = []
    for folder in (site_templates, THEME_DIR / "templates", site_templates.parent / SITE_LOCALES, THEME_LOCALES):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts.append(f"{path.relative_to(folder).as_posix()}\x1f{digest_bytes(path.read_bytes())}")
    return digest_bytes("\x1e".join(parts).encode("utf-8", "surrogateescape"))


def _render(state: _State) -> None:
    """Render the pages whose inputs changed; the rest keep the previous build's file.

    A page's fingerprint joins its template's key (the template and those it uses) with
    its data's, so a template edit re-renders only the pages of that template, and a kept
    build's data keys make that a matter of milliseconds.
    """
    kept = state.kept
    # The environment holds the labels of the config's language, so a config edit makes a new one.
    same_templates = kept is not None and kept.templates == state.templates and kept.config == state.config
    if kept is not None and same_templates:
        env = kept.env
    else:
        env = make_environment(state.options.root / "templates", state.config)
    state.env = env
    template_keys = state.template_keys = dict(kept.template_keys) if kept is not None and same_templates else {}
    fingerprinter = Fingerprinter()
    # The same articles, settings and templates make the same pages: their keys are known.
    # A long-lived builder keeps every page's data key instead.
    known = state.cache.pages if state.cache.plan_key == state.plan_key and state.related_index is None else {}
    numbers: Sequence[int] = range(len(state.pages))
    if state.replanned is not None and kept is not None:
        state.data_keys = list(kept.data_keys)
        for number in state.replanned:
            state.data_keys[number] = _data_key(fingerprinter, state.pages[number], state)
        state.fingerprints = dict(state.cache.pages)
        if state.quick == "articles":
            numbers = state.replanned
    elif not known:
        state.data_keys = [_data_key(fingerprinter, page, state) for page in state.pages]
    stale: list[Page] = []
    for number in numbers:
        page = state.pages[number]
        relative = output_file(page.url)
        key = known.get(relative) or digest_bytes(
            f"{template_key(env, page.template, template_keys)}\x1f{state.data_keys[number]}".encode()
        )
        state.fingerprints[relative] = key
        if not _unchanged_output(state, relative, key):
            stale.append(page)
    if stale and state.outlined:  # these need what their templates read: plan the pages after all
        state.pages, state.outlined = _plan_all(state), False
        planned = {page.url: page for page in state.pages}
        stale = [planned[page.url] for page in stale]
    _make_staging(state)
    if state.staging is None and len(stale) < MIN_ITEMS_FOR_WORKERS:
        state.rendered = render_pages(env, state.config, stale, offline=state.options.offline)
        return
    if state.staging is None:  # the live folder: files wait beside their places until the write
        render = partial(workers.render_chunk_beside, state.options.output)
        state.pending = True
    else:
        render = partial(workers.render_chunk_to, state.staging)
    rendered = fork_map(
        render,
        range(len(stale)),
        initializer=workers.init_renderer,
        initargs=(state.options.root / "templates", state.config, stale, state.options.offline, state.cache.manifest),
        workers=_workers(state),
        defer=_search_running(state),
        on_done=_counter(state, "render", len(stale)),
    )
    failures: list[PageFailure] = []
    for chunk in rendered:
        if isinstance(chunk, PageTemplateError):  # every chunk's, so each template error is told once
            failures.extend(chunk.failures)
        else:
            state.staged.update(chunk)
    if failures:
        raise PageTemplateError(failures)


def _counter(state: _State, step: str, total: int) -> Callable[[int], None] | None:
    """A callback that adds up the items workers report done and tells the build's progress."""
    progress = state.progress
    if progress is None or total == 0:  # nothing to do: nothing to count
        return None
    done = 0
    progress.advanced(step, 0, total)

    def count(items: int) -> None:
        nonlocal done
        done += items
        progress.advanced(step, done, total)

    return count


def _search_running(state: _State) -> bool:
    """Whether the search index is being made in a child meanwhile: then workers defer to it."""
    return state.search is not None and state.search.running


def _make_staging(state: _State) -> None:
    """Start the folder the new site is built in, unless the build updates a live folder."""
    if state.staging is None and not (state.in_place and state.options.output.is_dir()):
        remove_leftovers(state.options.output)
        state.staging = new_staging(state.options.output)


def _data_key(fingerprinter: Fingerprinter, page: Page, state: _State) -> str:
    """A digest of everything a page's template sees but the template itself."""
    return fingerprinter.digest((page, state.config, state.options.offline))


def _feeds(state: _State) -> None:
    """Atom feeds (each rebuilt only when its entries changed), the sitemap and robots.txt."""
    assert state.site is not None
    site, config = state.site, state.config
    entries: dict[str, str] = {}
    fingerprinter = Fingerprinter()
    feeds = [
        (FEED_URL, config.title, "/", tuple(article.url for article in site.articles[:FEED_SIZE]), "the site feed")
    ]
    for topic in site.taxonomies["topics"]:
        urls = topic.article_urls[:FEED_SIZE]
        feeds.append(
            (term_feed_url(topic.url), f"{topic.name} · {config.title}", topic.url, urls, f"the feed of {topic.name}")
        )
    edited = set(state.edited)
    for feed_url, title, page_url, entry_urls, origin in feeds:
        relative = output_file(feed_url)
        if state.quick and edited.isdisjoint(entry_urls):
            state.generated[relative] = Output(origin=origin, reuse=True)  # its entries are as they were
            continue
        articles = tuple(map(site.article, entry_urls))
        key = fingerprinter.digest(("atom", config, title, feed_url, page_url, articles))
        state.fingerprints[relative] = key
        if _unchanged_output(state, relative, key):
            state.generated[relative] = Output(origin=origin, reuse=True)
            continue
        data = atom_feed(config, title=title, feed_url=feed_url, page_url=page_url, articles=articles, entries=entries)
        state.generated[relative] = Output(origin=origin, data=data)
    if state.quick and state.kept is not None and _same_lastmods(state.kept.pages, state.pages, state.replanned or ()):
        state.generated["sitemap.xml"] = Output(origin="the sitemap", reuse=True)
        state.generated["robots.txt"] = Output(origin="robots.txt", reuse=True)
        return
    # What the sitemap shows of each page, as a repr made in C: far cheaper than the XML
    # (about a second at 10,000 articles), which a warm build then need not make.
    shown = [(page.kind == "404", page.url, page.lastmod) for page in state.pages]
    key = digest_bytes(repr(("sitemap", config.base_url, shown)).encode("utf-8", "surrogatepass"))
    state.fingerprints["sitemap.xml"] = key
    if _unchanged_output(state, "sitemap.xml", key):
        state.generated["sitemap.xml"] = Output(origin="the sitemap", reuse=True)
    else:
        state.generated["sitemap.xml"] = Output(origin="the sitemap", data=sitemap_xml(config, state.pages))
    state.generated["robots.txt"] = Output(origin="robots.txt", data=robots_txt(config))


def _exports(state: _State) -> None:
    """JSON Feed, the catalog, and the citation files of every article and term page; each
    file is made again only when the articles it lists changed."""
    assert state.site is not None
    site, config = state.site, state.config
    entries = Entries(config)
    fingerprinter = Fingerprinter()
    edited = set(state.edited)

    def add(
        origin: str, article_urls: Sequence[str], make: Callable[[], Mapping[str, bytes]], urls: Sequence[str]
    ) -> None:
        relatives = [output_file(url) for url in urls]
        if state.quick and edited.isdisjoint(article_urls):
            for relative in relatives:
                state.generated[relative] = Output(origin=origin, reuse=True)
            return
        key = fingerprinter.digest(("export", config, tuple(urls), tuple(map(site.article, article_urls))))
        if all(_unchanged_output(state, relative, key) for relative in relatives):
            for relative in relatives:
                state.fingerprints[relative] = key
                state.generated[relative] = Output(origin=origin, reuse=True)
            return
        for url, data in make().items():
            state.fingerprints[output_file(url)] = key
            state.generated[output_file(url)] = Output(origin=origin, data=data)

    newest = [article.url for article in site.articles[:FEED_SIZE]]
    add("the JSON feed", newest, lambda: {JSON_FEED_URL: json_feed(config, site.articles)}, [JSON_FEED_URL])
    every = [article.url for article in site.articles]

    def catalog() -> dict[str, bytes]:
        records = [catalog_record(config, article) for article in site.articles]
        return {CATALOG_JSON_URL: catalog_json(records), CATALOG_CSV_URL: catalog_csv(records)}

    add("the catalog", every, catalog, [CATALOG_JSON_URL, CATALOG_CSV_URL])
    for article in site.articles:
        urls = [export_url(article.url, article.slug, suffix) for suffix in EXPORT_FORMATS]
        add(
            f"{state.shown_prefix}{article.path}",
            [article.url],
            partial(citation_files, entries, article.url, article.slug, [article]),
            urls,
        )
    for key, terms in site.taxonomies.items():
        for term in terms:
            listed = [site.article(url) for url in term.article_urls]
            urls = [export_url(term.url, term.slug, suffix) for suffix in EXPORT_FORMATS]
            make = partial(citation_files, entries, term.url, term.slug, listed)
            add(f"the {key} page {term.url}", term.article_urls, make, urls)


def _same_lastmods(before: Sequence[Page], after: Sequence[Page], numbers: Iterable[int]) -> bool:
    """Whether the pages at ``numbers`` keep their last-modified times (the sitemap's data)."""
    return all(before[number].lastmod == after[number].lastmod for number in numbers)


def _unchanged_output(state: _State, relative: str, key: str) -> bool:
    """Whether the previous build wrote this file from inputs with this key, and it is intact.

    The preview's live folder is the preview's own, so there its manifest is trusted; an
    output folder anyone may touch is checked file by file.
    """
    cache, out_dir = state.cache, state.options.output
    if not state.cache_is_of_output or cache.pages.get(relative) != key:
        return False
    if state.in_place:
        return relative in cache.manifest
    return previous_file_intact(out_dir, relative, cache.manifest)


def _start_search_index(state: _State) -> None:
    """Start making the static search index in a child process; ``_search_index`` collects it.

    It is the build's longest step and needs only the site, so it runs beside related
    articles and rendering instead of before or after them. Analyses are cached in
    .sitegen/search/. The index files are reused only when this build cache (saved with the
    site it describes) says they were made from these very articles: the search cache alone
    cannot know which site is in place, for a build may have been killed between saving it
    and the swap.
    """
    assert state.site is not None
    out_dir, cache = state.options.output, state.cache
    key = fingerprint(("search index", state.articles_key))
    state.fingerprints[SEARCH_KEY] = key
    same_folder = state.cache_is_of_output and cache.pages.get(SEARCH_KEY) == key

    def intact(relative: str) -> bool:
        return same_folder and previous_file_intact(out_dir, f"search/{relative}", cache.manifest)

    def published(relative: str) -> bool:  # as the build that recorded the search cache's generation wrote it
        return state.cache_is_of_output and previous_file_intact(out_dir, f"search/{relative}", cache.manifest)

    def read(relative: str) -> bytes | None:
        return read_previous_file(out_dir, f"search/{relative}", cache.manifest) if published(relative) else None

    generation = cache.pages.get(SEARCH_GENERATION, "") if state.cache_is_of_output else ""
    previous = PublishedIndex(generation, published, read)
    small = len(state.site.articles) < MIN_ITEMS_FOR_WORKERS or _workers(state) <= 1
    arguments = (state.site, state.options.root, intact, state.search_encoded, state.search_indexer)
    # A kept indexer must be updated here, in this process, to be of use next time.
    if small or state.search_indexer is not None:
        state.search = Background(search_index_files, *arguments, None, previous, inline=True)
        return
    _make_staging(state)
    if state.staging is None:
        state.search = Background(search_index_files, *arguments, None, previous)
    else:
        state.search = Background(_search_into, state.staging / "search", previous, *arguments)


@dataclass(frozen=True)
class _StagedSearch:
    """The search index's files as a child wrote them into the staging folder."""

    digests: Mapping[str, str | None]  # path under search/ -> its bytes' digest (None: keep the file)
    warnings: list[Problem]
    generation: str = ""  # as ``SearchFiles.generation``


def _search_into(folder: Path, previous: PublishedIndex, *arguments: Any) -> _StagedSearch:
    """``search_index_files``, written into ``folder`` by the child that made them.

    Only digests go back: the index's bytes (70 MB for 10,000 articles) never cross a pipe
    nor wait in the build process, and writing them overlaps rendering. Each document's
    files are written as soon as they are made, so the child never holds them all either.
    """
    made: set[Path] = set()
    handed: dict[str, str] = {}

    def write(files: Mapping[str, bytes]) -> None:
        handed.update(write_new_files(folder, files, made))

    with collector_paused():  # millions of postings, no cycles: full collections cost 1.4 s at 10,000 articles
        search = search_index_files(*arguments, sink=write, previous=previous)
    new = {relative: data for relative, data in search.files.items() if data is not None}
    digests: dict[str, str | None] = dict.fromkeys(search.files)  # None: keep the previous file
    digests.update(handed)
    digests.update(write_new_files(folder, new, made))
    return _StagedSearch(digests, search.warnings, search.generation)


def _search_index(state: _State) -> None:
    """Wait for the static search index started by ``_start_search_index``."""
    assert state.search is not None
    search = state.search.result()
    state.search = None
    state.warnings.extend(search.warnings)
    state.fingerprints[SEARCH_GENERATION] = search.generation  # what the next build may patch
    if isinstance(search, _StagedSearch):
        for relative, digest in search.digests.items():
            state.generated[f"search/{relative}"] = Output(origin=SEARCH_ORIGIN, staged=digest, reuse=digest is None)
        return
    if state.quick and state.kept is not None and search.changed is not None:
        for relative in search.changed:  # the kept plan holds the rest as they are
            data = search.files.get(relative)
            if data is None:
                state.search_dropped.add(relative)
            else:
                state.generated[f"search/{relative}"] = Output(origin=SEARCH_ORIGIN, data=data)
        return
    for relative, data in search.files.items():
        state.generated[f"search/{relative}"] = Output(origin=SEARCH_ORIGIN, data=data, reuse=data is None)
    if state.quick and state.kept is not None:  # which files are gone is not known: compare
        kept = state.kept.outputs
        before = {relative[len(SEARCH_KEY) :] for relative in kept if kept[relative].origin == SEARCH_ORIGIN}
        state.search_dropped = before - search.files.keys()


SEARCH_KEY = "search/"  # the search index's entry among the page fingerprints
SEARCH_GENERATION = "search/#generation"  # the search cache's generation that these files match
SEARCH_ORIGIN = "the search index"  # its files' origin (the search page, search/index.html, is a page)


def _plan_outputs(state: _State) -> None:
    assert state.site is not None
    plan = state.outputs
    if state.quick and state.kept is not None:
        _plan_changed_outputs(state, state.kept)
        return
    for page in state.pages:
        relative = output_file(page.url)
        data, staged = state.rendered.get(relative), state.staged.get(relative)
        plan.add(relative, Output(origin=page.origin, data=data, staged=staged, reuse=data is None and staged is None))
    for relative, output in state.generated.items():
        plan.add(relative, output)
    content_dir = state.options.root / "content"
    linked: set[str] = set()
    for article in state.site.articles:
        page_dir = posixpath.dirname(output_file(article.url))
        source_dir = posixpath.dirname(article.path)
        for asset in article.assets:
            linked.add(asset)
            name = asset_output_name(posixpath.relpath(asset, source_dir))
            plan.add(
                posixpath.join(page_dir, name),
                Output(origin=f"{state.shown_prefix}{article.path}", copy_from=content_dir / asset),
            )
        for old_url in article.redirects:
            page = redirect_page(state.config, old_url, article.url, article.title, offline=state.options.offline)
            plan.add(output_file(old_url), Output(origin=f"{state.shown_prefix}{article.path}", data=page))
    for asset in state.discovery.assets:
        if asset not in linked:
            plan.add(asset, Output(origin=f"{state.shown_prefix}{asset}", copy_from=content_dir / asset))
    skipped = skipped_folders(state.options.root, state.options.output)
    for relative, path in _static_files(state.options.root, state.warnings, skipped).items():
        plan.add(relative, Output(origin=display_path(path), copy_from=path))
    plan.add(MARKER_FILE, Output(origin="the output folder's marker", data=MARKER_TEXT))
    if plan.problems:
        raise SitegenError(plan.problems)


def _plan_changed_outputs(state: _State, kept: _Kept) -> None:
    """The kept plan with the files this build made put in; ``state.touched`` names them.

    No URL changed, so no file can clash with another; only the search index may drop files.
    """
    files = state.outputs.files = dict(kept.outputs)
    for relative, data in state.rendered.items():
        files[relative] = Output(origin=files[relative].origin, data=data)
        state.touched.add(relative)
    for relative, digest in state.staged.items():
        files[relative] = Output(origin=files[relative].origin, staged=digest)
        state.touched.add(relative)
    for relative, output in state.generated.items():
        if not (output.reuse and relative in files):
            files[relative] = output
            state.touched.add(relative)
    for relative in state.search_dropped:
        files.pop(f"search/{relative}", None)
        state.touched.add(f"search/{relative}")


def _static_files(root: Path, warnings: list[Problem], skipped: Collection[Path] = ()) -> dict[str, Path]:
    """The theme's assets under assets/, then the site's static/ folder, which wins.

    A symlink in static/ that leads out of the archive is skipped with a warning, as in
    content/: building an archive must not publish files from elsewhere on the machine.
    The folders in ``skipped`` (resolved: an output folder inside static/) are not entered.
    """
    files: dict[str, Path] = {}
    archive = root.resolve()
    for base, prefix in ((THEME_DIR / "static", "assets/"), (root / "static", "")):
        if not base.is_dir():
            continue
        for folder, dirs, names in os.walk(base):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skipped)
            for name in sorted(names):
                path = here / name
                if name.startswith(".") or (prefix == "" and not _inside(path, archive, warnings)):
                    continue
                if path.is_file():
                    files[prefix + path.relative_to(base).as_posix()] = path
            for name in dirs:
                if prefix == "" and (here / name).is_symlink():
                    _inside(here / name, archive, warnings)  # not followed; said when it leads out
    return dict(sorted(files.items()))


def _inside(path: Path, archive: Path, warnings: list[Problem]) -> bool:
    """Whether ``path`` is no symlink, or one to a place inside the archive."""
    if not path.is_symlink() or path.resolve().is_relative_to(archive):
        return True
    warnings.append(Problem(display_path(path), None, "is a symlink to a place outside the archive; skipped"))
    return False


def _check_strict(state: _State) -> None:
    if state.options.strict and state.warnings:
        raise SitegenError([Problem(p.path, p.line, f"{p.message} (--strict)") for p in state.warnings])


def _write(state: _State) -> None:
    out_dir = state.options.output
    manifest = state.cache.manifest if state.cache_is_of_output else {}
    state.writing = True
    if state.staging is None:
        only = state.touched if state.quick else None
        state.result = update_site(out_dir, state.outputs.files, manifest, only=only)
    else:
        state.result = write_site(out_dir, state.outputs.files, manifest, state.staging)
        state.staging = None  # swapped in: it is the site now


STEPS: tuple[tuple[str, Callable[[_State], None]], ...] = (
    ("config", _read_config),
    ("discover", _discover),
    ("load articles", _load_articles),
    ("assemble", _assemble),
    ("start search index", _start_search_index),
    ("related articles", _related),
    ("plan pages", _plan),
    # Before the render, while the search index's child works: made after it, this step
    # would lengthen the build's tail, when only this process has anything left to do.
    ("feeds and sitemap", _feeds),
    ("exports", _exports),
    ("render", _render),
    ("search index", _search_index),
    ("plan outputs", _plan_outputs),
    ("strict check", _check_strict),
    ("write", _write),
)
