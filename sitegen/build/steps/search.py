"""The static search index under search/, made in a child process beside the other steps.

It is the build's longest step and needs only the site, so it runs beside related articles
and rendering instead of before or after them. Analyses are cached in .sitegen/search/.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.build.context import Mode, Run
from sitegen.build.steps.assemble import Assembled
from sitegen.build.steps.generated import Generated
from sitegen.build.steps.outputs import make_staging
from sitegen.errors import Problem
from sitegen.fingerprint import digest_bytes, fingerprint
from sitegen.output import (
    FileRecord,
    Output,
    previous_file_intact,
    previous_files_intact,
    read_previous_file,
    write_new_files,
)
from sitegen.parallel import MIN_ITEMS_FOR_WORKERS, Background, collector_paused
from sitegen.search import PublishedIndex, SearchFiles, search_index_files

SEARCH_KEY = "search/"  # the search index's entry among the page fingerprints
SEARCH_GENERATION = "search/#generation"  # the search cache's generation that these files match
SEARCH_ORIGIN = "the search index"  # its files' origin (the search page, search/index.html, is a page)


@dataclass(frozen=True)
class SearchOutputs:
    """The search index's files, and those a shortcut removes (paths under search/)."""

    generated: Generated
    dropped: set[str] = field(default_factory=set)


def start_search_index(run: Run, assembled: Assembled) -> None:
    """Start making the static search index in a child process; ``collect_search_index`` waits for it.

    The index files are reused only when this build cache (saved with the site it
    describes) says they were made from these very articles: the search cache alone cannot
    know which site is in place, for a build may have been killed between saving it and
    the swap.
    """
    site, out_dir, cache = assembled.site, run.options.output, run.cache
    key = fingerprint(("search index", assembled.articles_key))
    run.fingerprints[SEARCH_KEY] = key
    same_folder = run.cache_is_of_output and cache.pages.get(SEARCH_KEY) == key

    def intact(relative: str) -> bool:
        return same_folder and previous_file_intact(out_dir, f"search/{relative}", cache.manifest)

    def published(relatives: Iterable[str]) -> bool:  # as the build that recorded the cache's generation wrote them
        paths = (f"search/{relative}" for relative in relatives)
        return run.cache_is_of_output and previous_files_intact(out_dir, paths, cache.manifest)

    def read(relative: str) -> bytes | None:
        return read_previous_file(out_dir, f"search/{relative}", cache.manifest) if published([relative]) else None

    generation = cache.pages.get(SEARCH_GENERATION, "") if run.cache_is_of_output else ""
    previous = PublishedIndex(generation, published, read)
    small = len(site.articles) < MIN_ITEMS_FOR_WORKERS or run.workers <= 1
    arguments = (site, run.options.root, intact, run.search_encoded, run.search_indexer)
    # A kept indexer must be updated here, in this process, to be of use next time.
    search: Background[Any]
    if small or run.search_indexer is not None:
        search = Background(search_index_files, *arguments, None, previous, inline=True)
    else:
        make_staging(run)
        if run.staging is None:
            search = Background(search_index_files, *arguments, None, previous)
        else:
            manifest = cache.manifest if run.cache_is_of_output else {}
            search = Background(_search_into, run.staging / "search", out_dir, manifest, previous, *arguments)
    run.search = search


@dataclass(frozen=True)
class _StagedSearch:
    """The search index's files as a child wrote them into the staging folder."""

    digests: Mapping[str, str | None]  # path under search/ -> its bytes' digest (None: keep the file)
    warnings: list[Problem]
    generation: str = ""  # as ``SearchFiles.generation``


def _search_into(
    folder: Path, out_dir: Path, manifest: Mapping[str, FileRecord], previous: PublishedIndex, *arguments: Any
) -> _StagedSearch:
    """``search_index_files``, written into ``folder`` by the child that made them.

    Only digests go back: the index's bytes (70 MB for 10,000 articles) never cross a pipe
    nor wait in the build process, and writing them overlaps rendering. Each document's
    files are written as soon as they are made, so the child never holds them all either.
    A file whose bytes equal the previous build's, intact in ``out_dir``, is not written but
    listed as None (keep it): when the index is made anew rather than patched, most of its
    55,000 files (at 10,000 articles) come out as they were, and writing them only to
    discard them cost more than publishing the edit.
    """
    made: set[Path] = set()
    handed: dict[str, str | None] = {}

    def write(files: Mapping[str, bytes]) -> None:
        changed: dict[str, bytes] = {}
        for relative, data in files.items():
            path = f"search/{relative}"
            record = manifest.get(path)
            if record and record.digest == digest_bytes(data) and previous_file_intact(out_dir, path, manifest):
                handed[relative] = None
            else:
                changed[relative] = data
        handed.update(write_new_files(folder, changed, made))

    with collector_paused():  # millions of postings, no cycles: full collections cost 1.4 s at 10,000 articles
        site, root, reusable, encoded, indexer = arguments
        search = search_index_files(site, root, reusable, encoded, indexer, sink=write, previous=previous)
    digests: dict[str, str | None] = dict.fromkeys(search.files)  # None: keep the previous file
    write({relative: data for relative, data in search.files.items() if data is not None})
    digests.update(handed)
    return _StagedSearch(digests, search.warnings, search.generation)


def collect_search_index(run: Run) -> SearchOutputs:
    """Wait for the static search index started by ``start_search_index``."""
    assert run.search is not None
    search: SearchFiles | _StagedSearch = run.search.result()
    run.search = None
    run.warnings.extend(search.warnings)
    run.fingerprints[SEARCH_GENERATION] = search.generation  # what the next build may patch
    generated = Generated()
    if isinstance(search, _StagedSearch):
        for relative, digest in search.digests.items():
            generated[f"search/{relative}"] = Output(origin=SEARCH_ORIGIN, staged=digest, reuse=digest is None)
        return SearchOutputs(generated)
    kept = run.kept
    shortcut = run.mode is not Mode.FULL and kept is not None
    if shortcut and search.changed is not None:
        dropped: set[str] = set()
        for relative in search.changed:  # the kept plan holds the rest as they are
            data = search.files.get(relative)
            if data is None:
                dropped.add(relative)
            else:
                generated[f"search/{relative}"] = Output(origin=SEARCH_ORIGIN, data=data)
        return SearchOutputs(generated, dropped)
    for relative, data in search.files.items():
        generated[f"search/{relative}"] = Output(origin=SEARCH_ORIGIN, data=data, reuse=data is None)
    if shortcut and kept is not None:  # which files are gone is not known: compare
        before = {relative[len(SEARCH_KEY) :] for relative, out in kept.outputs.items() if out.origin == SEARCH_ORIGIN}
        return SearchOutputs(generated, before - search.files.keys())
    return SearchOutputs(generated)
