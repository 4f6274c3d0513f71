"""The pages: planned from the site and the related lists, then rendered where their inputs changed.

A page's fingerprint joins its template's key (the template and those it uses) with its
data's, so a template edit re-renders only the pages of that template, and an engine's kept
data keys make that a matter of milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from sitegen import workers
from sitegen.build.context import Mode, Run, settings_key
from sitegen.build.steps.assemble import Assembled, RelatedLists
from sitegen.build.steps.outputs import make_staging
from sitegen.build.steps.reach import edited_places, page_listing, reached_pages
from sitegen.config import Config
from sitegen.fingerprint import Fingerprinter, digest_bytes, fingerprint
from sitegen.i18n import SITE_LOCALES, THEME_LOCALES
from sitegen.parallel import MIN_ITEMS_FOR_WORKERS, collector_paused, fork_map
from sitegen.render.environment import THEME_DIR, make_environment, template_key
from sitegen.render.pages import PageFailure, PageTemplateError, render_pages
from sitegen.render.plan import Page, plan_pages
from sitegen.render.replan import replan_pages
from sitegen.urls import output_file


@dataclass(frozen=True)
class PagePlan:
    """Every page of the site, and what they were planned from."""

    pages: list[Page]
    plan_key: str  # digest of everything the plan and the pages' fingerprints come from
    templates: str  # digest of the template files
    replanned: list[int] | None = None  # pages a shortcut planned anew; None: all of them
    outlined: bool = False  # the pages are the cache's outline of the same plan, not planned anew
    shape_key: str = ""  # digest of what every page's fingerprint depends on besides the articles
    listing: list[str] = field(default_factory=list)  # see ``reach.page_listing``; the CLI's only
    # places of the articles edited since the cached build, when the site kept its shape (the CLI's)
    edited_since_cache: list[int] | None = None


@dataclass(frozen=True)
class RenderedPages:
    """The pages rendered anew, and the keys a long-lived engine keeps to render fewer next time."""

    plan: PagePlan  # the plan rendered (planned in full if an outline would not do)
    env: Any  # the Jinja2 environment, templates compiled
    template_keys: dict[str, str]  # template name -> key of it and what it uses
    data_keys: list[str]  # each page's fingerprint without its template's
    rendered: dict[str, bytes]  # made in this process, by output file
    staged: dict[str, str]  # written by workers into the staging folder, by output file -> digest


def plan(run: Run, config: Config, assembled: Assembled, related: RelatedLists) -> PagePlan:
    """The pages: replanned where a shortcut's edits reach, taken from the cache's outline when
    the same articles, settings and templates plan the same pages, or planned anew."""
    kept, site = run.kept, assembled.site
    templates = _templates_digest(run.options.root / "templates")
    plan_key = fingerprint(("plan", assembled.articles_key, settings_key(config), run.options.offline, templates))
    if run.related_index is None:  # the CLI: compare with the build recorded on disk
        shape_key = fingerprint((settings_key(config), run.options.offline, templates, assembled.intros_key))
        listing = page_listing(site)
        edited = edited_places(run, shape_key, listing)
    else:
        shape_key, listing, edited = "", [], None
    recorded = partial(PagePlan, shape_key=shape_key, listing=listing, edited_since_cache=edited)
    if run.mode is Mode.ARTICLES and kept is not None:
        pages, replanned = replan_pages(
            site, kept.pages, kept.page_index, assembled.edited, related.lists, related.changed, kept.citing
        )
        return PagePlan(pages, plan_key, templates, replanned)
    if run.mode is Mode.TEMPLATES and kept is not None:
        return PagePlan(kept.pages, plan_key, templates, [])
    if run.related_index is None and run.cache.plan_key == plan_key and run.cache.outline:
        # Their outline serves unless one of them must be rendered (see render). Planning
        # costs a warm build 20 %.
        return recorded(list(map(Page.from_outline, run.cache.outline)), plan_key, templates, outlined=True)
    return recorded(plan_all(assembled, related), plan_key, templates)


def plan_all(assembled: Assembled, related: RelatedLists) -> list[Page]:
    """Every page, planned from the site and the related lists."""
    with collector_paused():
        return plan_pages(assembled.site, related.lists)


def _templates_digest(site_templates: Path) -> str:
    """A digest of every template file, the site's and the theme's."""
    parts: list[str] = []
    for folder in (site_templates, THEME_DIR / "templates", site_templates.parent / SITE_LOCALES, THEME_LOCALES):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts.append(f"{path.relative_to(folder).as_posix()}\x1f{digest_bytes(path.read_bytes())}")
    return digest_bytes("\x1e".join(parts).encode("utf-8", "surrogateescape"))


def render(run: Run, config: Config, assembled: Assembled, related: RelatedLists, planned: PagePlan) -> RenderedPages:
    """Render the pages whose inputs changed; the rest keep the previous build's file."""
    kept = run.kept
    # The environment holds the labels of the config's language, so a config edit makes a new one.
    same_templates = kept is not None and kept.templates == planned.templates and kept.config == config
    env = kept.env if kept is not None and same_templates else make_environment(run.options.root / "templates", config)
    template_keys = dict(kept.template_keys) if kept is not None and same_templates else {}
    fingerprinter = Fingerprinter()
    # The same articles, settings and templates make the same pages: their keys are known.
    # A long-lived engine keeps every page's data key instead.
    same_plan = run.cache.plan_key == planned.plan_key and run.related_index is None
    known = run.cache.pages if same_plan else {}
    pages = planned.pages
    numbers: Sequence[int] = range(len(pages))
    data_keys: list[str] = []
    if same_plan and len(run.cache.data_keys) == len(pages):
        data_keys = list(run.cache.data_keys)
    if planned.replanned is not None and kept is not None:
        data_keys = list(kept.data_keys)
        for number in planned.replanned:
            data_keys[number] = _data_key(fingerprinter, pages[number], config, run.options.offline)
        for relative, key in run.cache.pages.items():  # the rest as the kept build made them
            run.fingerprints.setdefault(relative, key)
        if run.mode is Mode.ARTICLES:
            numbers = planned.replanned
    elif not known:
        reached = reached_pages(run, assembled, related, pages, planned.edited_since_cache)
        if reached is None:
            data_keys = [_data_key(fingerprinter, page, config, run.options.offline) for page in pages]
        else:  # only the pages the edits reach have new data
            data_keys = list(run.cache.data_keys)
            for number in reached:
                data_keys[number] = _data_key(fingerprinter, pages[number], config, run.options.offline)
    stale: list[Page] = []
    for number in numbers:
        page = pages[number]
        relative = output_file(page.url)
        key = known.get(relative) or digest_bytes(
            f"{template_key(env, page.template, template_keys)}\x1f{data_keys[number]}".encode()
        )
        run.fingerprints[relative] = key
        if not run.unchanged_output(relative, key):
            stale.append(page)
    if stale and planned.outlined:  # these need what their templates read: plan the pages after all
        planned = replace(planned, pages=plan_all(assembled, related), outlined=False)
        by_url = {page.url: page for page in planned.pages}
        stale = [by_url[page.url] for page in stale]
    rendered, staged = _render_stale(run, config, env, stale)
    return RenderedPages(planned, env, template_keys, data_keys, rendered, staged)


def _render_stale(run: Run, config: Config, env: Any, stale: list[Page]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Render ``stale``: here when few and the folder is live, else on workers writing their files."""
    make_staging(run)
    if run.staging is None and len(stale) < MIN_ITEMS_FOR_WORKERS:
        return render_pages(env, config, stale, offline=run.options.offline), {}
    if run.staging is None:  # the live folder: files wait beside their places until the write
        render_chunk = partial(workers.render_chunk_beside, run.options.output)
        run.pending = True
    else:
        render_chunk = partial(workers.render_chunk_to, run.staging)
    chunks = fork_map(
        render_chunk,
        range(len(stale)),
        initializer=workers.init_renderer,
        initargs=(run.options.root / "templates", config, stale, run.options.offline, run.cache.manifest),
        workers=run.workers,
        defer=run.search_running,
        on_done=run.counter("render", len(stale)),
    )
    failures: list[PageFailure] = []
    staged: dict[str, str] = {}
    for chunk in chunks:
        if isinstance(chunk, PageTemplateError):  # every chunk's, so each template error is told once
            failures.extend(chunk.failures)
        else:
            staged.update(chunk)
    if failures:
        raise PageTemplateError(failures)
    return {}, staged


def _data_key(fingerprinter: Fingerprinter, page: Page, config: Config, offline: bool) -> str:
    """A digest of everything a page's template sees but the template itself."""
    return fingerprinter.digest((page, config, offline))
