"""The incremental engine: one archive built again and again, redoing only what changed.

``sitegen build`` runs it once, its memory being the cache in ``.sitegen/`` (saved only
with the site it describes). The preview server keeps one alive: it also keeps the last
good build in memory (``Kept``) and is told what a file watcher saw change, which lets an
edit of articles or templates take a shortcut (``Mode``) and update its live folder in place.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sitegen.build.context import Mode, Run, Salvage, settings_key
from sitegen.build.options import BuildOptions, BuildProgress, BuildReport, Changes, StepCallback
from sitegen.build.pipeline import Built, run_pipeline
from sitegen.build.steps.sources import hinted_articles
from sitegen.cache import CACHE_DIR, BuildCache, load_cache, save_cache
from sitegen.config import Config
from sitegen.content.discover import Discovery
from sitegen.errors import Problem
from sitegen.lock import build_lock
from sitegen.model import Site, moment_to_utc
from sitegen.output import Output, remove_pending
from sitegen.output_folder import check_output_folder
from sitegen.parallel import collector_paused
from sitegen.publish_journal import remove_leftovers
from sitegen.related import RelatedIndex
from sitegen.render.plan import Outline, Page
from sitegen.render.replan import PageIndex, cited_by, index_pages
from sitegen.search import SearchCache, StaticIndexer, article_key


@dataclass
class Kept:
    """What a long-lived engine keeps of its last good build, to redo only what an edit touched."""

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
    listed: list[str]  # as ``Assembled.listed``
    noted: tuple[str, ...]  # as ``LoadedArticles.noted``
    next_release: datetime | None  # when a future article becomes due: then all is redone


class Builder:
    """Builds one archive, as often as asked, redoing only the work whose inputs changed.

    ``persist``: save the cache in ``.sitegen/`` under the build lock (``sitegen build``);
    otherwise keep the last build in memory and take the watcher's hints (the preview).
    ``in_place``: update a live output folder instead of swapping a new one in.
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
        # A long-lived engine keeps the search analyses and the static index in memory.
        self.search_encoded: dict[str, bytes] = {}
        self.search_indexer = StaticIndexer() if not persist else None
        self.related_index = RelatedIndex()
        self.related_inputs: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._kept: Kept | None = None

    def build(
        self, on_step: StepCallback | None = None, changes: Changes | None = None, progress: BuildProgress | None = None
    ) -> BuildReport:
        """Run every step in order; raise a SitegenError (and change nothing) on bad input.

        ``changes`` (a long-lived engine's, from a file watcher) lets an edit of articles
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
            # A long-lived engine (the preview) starts from what `sitegen build` saved too: its
            # parsed articles are reused, while its page records name another folder and do not apply.
            self.cache, cache_warnings = load_cache(self.options.root)
        started_ns = time.time_ns()
        run = Run(
            options=self.options,
            cache=self.cache,
            now=datetime.now(UTC).replace(tzinfo=None),
            in_place=self.in_place,
            kept=self._kept,
            hint=changes,
            progress=progress,
            on_step=on_step,
            warnings=cache_warnings,
            search_encoded=dict(self.search_encoded),
            search_indexer=self.search_indexer,
        )
        # A killed build's publish is finished (or undone) before anything reads the output folder.
        run.warnings.extend(remove_leftovers(self.options.output))
        if not self.persist:
            run.related_index, run.related_inputs = self.related_index, self.related_inputs
        try:
            built = run_pipeline(run)
        except BaseException:
            self._clean_up_after_failure(run, started_ns)
            raise
        previous = self.cache
        self.cache = BuildCache(
            out_dir=str(self.options.output.absolute()),
            settings_key=settings_key(built.config),
            started_ns=started_ns,
            articles=dict(built.loaded.files),
            pages=run.fingerprints,
            manifest=built.written.manifest,
            related_key=built.related.key,
            related=dict(built.related.lists),
            plan_key=built.pages.plan.plan_key,
            outline=_outline(run, built) if self.persist else [],
        )
        pages = built.pages
        if self.persist and len(pages.data_keys) == len(self.cache.outline) and pages.plan.listing:
            self.cache.shape_key, self.cache.listed, self.cache.data_keys = (
                pages.plan.shape_key,
                pages.plan.listing,
                pages.data_keys,
            )
        site = built.assembled.site
        if self.persist:
            if not _same_cache(previous, self.cache):
                run.warnings.extend(save_cache(self.options.root, self.cache, previous))
        else:
            self.search_encoded = run.search_encoded
            if run.mode is Mode.FULL:  # an edit leaves one stale analysis: let them go only now and then
                keys = {article_key(article) for article in site.articles}
                self.search_encoded = {key: data for key, data in self.search_encoded.items() if key in keys}
            self._kept = _keep(run, built)
        return BuildReport(
            articles=len(site.articles),
            pages=len(built.pages.plan.pages),
            written=built.written.written,
            unchanged=built.written.unchanged,
            seconds=time.perf_counter() - started,
            steps=tuple(run.timings),
            warnings=tuple(sorted(run.warnings)),
            rendered=len(built.pages.rendered) + len(built.pages.staged),
            removed=built.written.removed,
            shortcut=run.mode.value,
            parsed=built.loaded.parsed,
        )

    def _clean_up_after_failure(self, run: Run, started_ns: int) -> None:
        """Stop what the failed build started, and keep what it parsed, if the site is as it was."""
        if run.search is not None:
            run.search.cancel()
        if run.staging is not None:
            shutil.rmtree(run.staging, ignore_errors=True)
        if run.pending:
            remove_pending(self.options.output)
        if run.writing and run.staging is None:
            self.cache = None  # its manifest may not match the live folder now: rewrite it all next time
        elif self.persist and run.salvage is not None and not run.writing:
            self._keep_loaded_articles(run, run.salvage, started_ns)

    def _keep_loaded_articles(self, run: Run, salvage: Salvage, started_ns: int) -> None:
        """Save what a failed build parsed, so that fixing its one bad file costs one file.

        The output folder is as the previous build left it, so the rest of that build's cache
        (its pages, manifest, related lists) still describes it and is kept as it was.
        """
        assert self.cache is not None
        before = self.cache
        related_inputs = dict(before.related_inputs)
        for path, entry in before.articles.items():  # the related lists came from these, not the new ones
            article = entry.result.article
            if salvage.articles.get(path) is not entry and article is not None and article.url in before.related:
                related_inputs.setdefault(article.url, (entry.terms, article.topics))
        cache = replace(
            before,
            articles=salvage.articles,
            settings_key=salvage.settings_key,
            started_ns=started_ns,
            related_inputs=related_inputs,
        )
        # A cache only saves time: if it cannot be saved, the build's own error is still the one to report.
        if save_cache(self.options.root, cache, before):
            return
        self.cache = cache
        if run.search_encoded:  # analyses made in this process; workers store theirs themselves
            with contextlib.suppress(OSError), SearchCache(self.options.root) as search_cache:
                search_cache.store(run.search_encoded.items())


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
    builds again and again, keeps its collector (see ``sitegen.parallel.settle_after_rebuild``).
    """
    with collector_paused():
        return Builder(options, on_wait=on_wait).build(on_step, progress=progress)


def _keep(run: Run, built: Built) -> Kept:
    """What the next build of a long-lived engine may reuse of this one."""
    kept, site, pages = run.kept, built.assembled.site, built.pages
    files = built.outputs.files
    shortcut = kept is not None and run.mode is not Mode.FULL
    outputs = files if shortcut else {}  # a shortcut's plan is a copy of the kept one: take it over
    for relative in built.outputs.touched if shortcut else files:
        output = files.get(relative)
        if output is not None:  # the bytes are on disk now: hold the file's name, not its bytes
            outputs[relative] = output if output.copy_from is not None else Output(origin=output.origin, reuse=True)
    related = built.related
    if kept is not None and shortcut:
        citing, page_index = kept.citing, kept.page_index
        for url in related.changed:
            for other in kept.related.get(url, ()):
                citing[other].discard(url)
            for other in related.lists.get(url, ()):
                citing.setdefault(other, set()).add(url)
    else:
        citing, page_index = cited_by(related.lists), index_pages(site, pages.plan.pages)
        for name in sorted({page.template for page in pages.plan.pages}):
            pages.env.get_template(name)  # compiled here now, not in the first edit (workers rendered these)
    loaded = built.loaded.files
    checked = [loaded[path] for path in hinted_articles(run)] if shortcut else loaded.values()
    future = [
        moment_to_utc(cached.result.article.date)
        for cached in checked
        if cached.result.article is not None and moment_to_utc(cached.result.article.date) > run.now
    ]
    if kept is not None and shortcut and kept.next_release is not None:
        future.append(kept.next_release)
    return Kept(
        config=built.config,
        discovery=built.discovery,
        site=site,
        templates=pages.plan.templates,
        env=pages.env,
        template_keys=pages.template_keys,
        pages=pages.plan.pages,
        page_index=page_index,
        data_keys=pages.data_keys,
        related=dict(related.lists),
        citing=citing,
        outputs=outputs,
        listed=built.assembled.listed,
        noted=built.loaded.noted,
        next_release=min(future, default=None),
    )


def _outline(run: Run, built: Built) -> list[Outline]:
    """The pages of this build as the next one may take them (see ``Page.outline``)."""
    plan = built.pages.plan
    return run.cache.outline if plan.outlined else [page.outline() for page in plan.pages]


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
