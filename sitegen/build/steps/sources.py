"""The first steps: the settings, the content files, and each article file loaded.

Loading is the cold build's longest step: files are parsed on every core, and a file
already parsed by an earlier build (same bytes, same settings) is taken from the cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sitegen import workers
from sitegen.build.context import Mode, Run, Salvage, settings_key
from sitegen.cache import CachedArticle
from sitegen.config import Config, load_config
from sitegen.content.discover import Discovery, discover
from sitegen.content.load import LoadResult, unreadable
from sitegen.errors import ContentError, Problem
from sitegen.fingerprint import digest_bytes
from sitegen.model import Article
from sitegen.output_folder import skipped_folders
from sitegen.parallel import MIN_ITEMS_FOR_WORKERS, fork_map
from sitegen.search import SearchCache
from sitegen.site import url_clashes

# File times come from a coarse kernel clock that can lag the one time.time_ns() reads.
_CLOCK_SLACK_NS = 1_000_000_000


@dataclass(frozen=True)
class LoadedArticles:
    """Every article file's load, by path under content/ (reused or parsed now)."""

    files: Mapping[str, CachedArticle]
    parsed: int  # files parsed anew
    noted: tuple[str, ...]  # files whose loading gave warnings


def read_config(run: Run) -> Config:
    """sitegen.yaml, with --base-url applied; the engine's mode follows from it."""
    config, warnings = load_config(run.options.root)
    run.warnings.extend(warnings)
    if run.options.base_url is not None:
        config = config.with_base_url(run.options.base_url)
    run.mode = _mode(run, config)
    return config


def _mode(run: Run, config: Config) -> Mode:
    """Which shortcut this build may take, from what the watcher saw change.

    Edited articles or templates alone, with the same settings, leave everything else as
    the kept build had it; anything more is redone in full.
    """
    kept, hint = run.kept, run.hint
    if kept is None or hint is None or not run.in_place or kept.config != config:
        return Mode.FULL
    if kept.next_release is not None and run.now >= kept.next_release:
        return Mode.FULL  # an article dated in the future is due: it joins the site
    kinds = {kind for kind, paths in hint.items() if paths}
    if kinds == {"articles"}:
        return Mode.ARTICLES
    return Mode.TEMPLATES if kinds == {"templates"} else Mode.FULL


def hinted_articles(run: Run) -> tuple[str, ...]:
    """The article files the watcher saw change."""
    return tuple(run.hint.get("articles", ())) if run.hint is not None else ()


def discover_files(run: Run) -> Discovery:
    """The article and asset files under content/."""
    kept = run.kept
    if run.mode is not Mode.FULL and kept is not None:
        content_dir = run.options.root / "content"
        known = set(kept.discovery.articles)
        if all(path in known and (content_dir / path).is_file() for path in hinted_articles(run)):
            run.warnings.extend(kept.discovery.warnings)  # edited in place: no file came or went
            return kept.discovery
        run.mode = Mode.FULL
    skipped = skipped_folders(run.options.root, run.options.output)
    discovery = discover(run.options.root / "content", skip=skipped)
    run.warnings.extend(discovery.warnings)
    return discovery


def load_articles(run: Run, config: Config, discovery: Discovery) -> LoadedArticles:
    """Parse and render the articles that changed, on every core; reuse the rest.

    A file whose size and mtime are as last seen is taken as unchanged without reading it,
    unless its mtime is not older than the last build's start (it may have changed again
    within the clock's resolution, as git's "racy" files); any other is read, and reused
    still if its bytes are the same. Before any error is raised, every file's result is
    in ``run.salvage``: a failed build keeps the others' work.
    """
    content_dir = run.options.root / "content"
    files = frozenset(discovery.articles + discovery.assets)
    key = settings_key(config)
    cached = run.cache.articles if run.cache.settings_key == key else {}
    errors: list[Problem] = []
    to_load: list[tuple[str, bytes | None]] = []  # None: the worker reads the file
    loaded: dict[str, CachedArticle] = {}
    paths: Iterable[str] = discovery.articles
    if run.mode is not Mode.FULL:  # the others are as the kept build loaded them
        loaded = dict(run.cache.articles)
        paths = hinted_articles(run)
    for relative in paths:
        try:
            stat = (content_dir / relative).stat()
            previous = cached.get(relative)
            if previous is None:  # nothing to compare: read where it is parsed, not here
                loaded[relative] = CachedArticle("", LoadResult(None), stat.st_mtime_ns, stat.st_size)
                to_load.append((relative, None))
                continue
            same_stat = (previous.mtime_ns, previous.size) == (stat.st_mtime_ns, stat.st_size)
            settled = stat.st_mtime_ns < run.cache.started_ns - _CLOCK_SLACK_NS
            if same_stat and settled and previous.result.still_valid(files):
                loaded[relative] = previous
                continue
            data = (content_dir / relative).read_bytes()
        except OSError as error:
            errors.append(unreadable(run.shown_prefix + relative, error))
            continue
        digest = digest_bytes(data)
        if previous.digest == digest and previous.result.still_valid(files):
            loaded[relative] = replace(previous, mtime_ns=stat.st_mtime_ns, size=stat.st_size)
        else:
            loaded[relative] = CachedArticle(digest, LoadResult(None), stat.st_mtime_ns, stat.st_size)
            to_load.append((relative, data))
    _parse(run, config, files, key, to_load, loaded, errors)
    run.salvage = Salvage(key, loaded)
    # A shortcut's other articles loaded without errors last time: only their warnings count.
    checked: Iterable[str] = discovery.articles
    if run.mode is not Mode.FULL and run.kept is not None:
        checked = dict.fromkeys([*paths, *run.kept.noted])
    noted: list[str] = []
    for relative in checked:
        if relative in loaded:
            result = loaded[relative].result
            errors.extend(result.errors)
            run.warnings.extend(result.warnings)
            if result.warnings:
                noted.append(relative)
    if errors:  # the clashes among the valid articles too: every problem in one run
        raise ContentError(errors + url_clashes(published(run, discovery, loaded), run.shown_prefix))
    return LoadedArticles(loaded, len(to_load), tuple(noted))


def _parse(
    run: Run,
    config: Config,
    files: frozenset[str],
    key: str,
    to_load: list[tuple[str, bytes | None]],
    loaded: dict[str, CachedArticle],
    errors: list[Problem],
) -> None:
    """Parse ``to_load`` on the workers, putting each result into ``loaded``."""
    # Many articles loaded on workers: their analyses go to the search cache, not through here.
    store = len(to_load) >= MIN_ITEMS_FOR_WORKERS and run.workers > 1
    if store:
        with SearchCache(run.options.root) as search_cache:  # repaired here, before workers share it
            run.warnings.extend(search_cache.warnings)
    chunks = fork_map(
        workers.load_chunk,
        to_load,
        initializer=workers.init_loader,
        initargs=(config, files, run.shown_prefix, key, run.options.root, store),
        workers=run.workers,
        on_done=run.counter("load articles", len(to_load)),
    )
    for (relative, given), item in zip(to_load, (item for chunk in chunks for item in chunk), strict=True):
        if given is None and not item.digest:  # the worker could not read it: nothing to keep
            del loaded[relative]
            errors.extend(item.result.errors)
            continue
        cached_article = loaded[relative]
        loaded[relative] = replace(
            cached_article, digest=item.digest or cached_article.digest, result=item.result, terms=item.terms
        )
        if item.encoded:
            run.search_encoded[item.search_key] = item.encoded


def published(run: Run, discovery: Discovery, loaded: Mapping[str, CachedArticle]) -> list[Article]:
    """The loaded articles the site shows, in the order of their files."""
    articles = []
    for relative in discovery.articles:
        cached = loaded.get(relative)
        if cached is not None and cached.result.article is not None and run.is_published(cached.result.article):
            articles.append(cached.result.article)
    return articles
