"""One build's context: its mode, options, cache, clock and what its steps record as they go.

The steps' results are frozen dataclasses handed from step to step (see ``pipeline``); what
lives here is what every step may consult (options, cache, the time, the mode) and the few
records that outlive a failure: the warnings, the fingerprints, and where files are being
written, so that a failed build can be cleaned up and its parsed articles kept.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from sitegen import __version__
from sitegen.build.options import BuildOptions, BuildProgress, Changes, StepCallback
from sitegen.cache import BuildCache, CachedArticle
from sitegen.config import Config
from sitegen.errors import Problem, display_path
from sitegen.fingerprint import fingerprint
from sitegen.model import Article, moment_to_utc
from sitegen.output import FileRecord, previous_file_intact, previous_files_intact
from sitegen.parallel import Background, available_cores

if TYPE_CHECKING:
    from sitegen.build.engine import Kept
    from sitegen.related import RelatedIndex
    from sitegen.search import StaticIndexer

P = ParamSpec("P")
T = TypeVar("T")


class Mode(enum.Enum):
    """How much of the kept build a rebuild may take as it is (a long-lived engine's shortcuts)."""

    FULL = ""  # every input checked; unchanged work found by fingerprints and the cache
    ARTICLES = "articles"  # only articles edited in place, keeping their URLs and places
    TEMPLATES = "templates"  # only templates changed


@dataclass(frozen=True)
class Salvage:
    """Every article file's load, under these settings: what a failed build keeps."""

    settings_key: str
    articles: dict[str, CachedArticle]


@dataclass
class Run:
    """What every step of one build may consult, and the records that outlive a failure."""

    options: BuildOptions
    cache: BuildCache
    now: datetime
    in_place: bool  # the output is a live folder updated in place (the preview's)
    kept: Kept | None = None  # what a long-lived engine kept of its last good build
    hint: Changes | None = None  # what a file watcher saw change since then
    mode: Mode = Mode.FULL
    progress: BuildProgress | None = None
    on_step: StepCallback | None = None
    warnings: list[Problem] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)  # output file -> digest of its inputs
    salvage: Salvage | None = None  # every article file's load, kept if the build fails
    search_encoded: dict[str, bytes] = field(default_factory=dict)  # search analyses (stored form), by key
    search_indexer: StaticIndexer | None = None  # a long-lived engine's, updated in this process
    related_index: RelatedIndex | None = None  # a long-lived engine's, with what it was given
    related_inputs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    search: Background[Any] | None = None  # the search index, being made in a child
    staging: Path | None = None  # the folder the next site is built in (None: updating in place)
    pending: bool = False  # workers may have left files beside the live folder's
    writing: bool = False  # the write step began: a live folder may be partly updated

    @cached_property
    def shown_prefix(self) -> str:
        """How content/ is shown in messages: relative to the working folder when inside it."""
        return display_path(self.options.root / "content") + "/"

    @cached_property
    def cache_is_of_output(self) -> bool:
        """Whether the build cache describes the output folder this build writes: only then do
        its records of the files there apply (asked once per page of a warm build)."""
        return self.cache.out_dir == str(self.options.output.absolute())

    @property
    def workers(self) -> int:
        """Processes for loading and rendering."""
        return self.options.workers or available_cores()

    @property
    def search_running(self) -> bool:
        """Whether the search index is being made in a child meanwhile: then workers defer to it."""
        return self.search is not None and self.search.running

    def timed(self, name: str, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one step, timed, telling the progress display and the caller."""
        if self.progress is not None:
            self.progress.started(name)
        started = time.perf_counter()
        result = step(*args, **kwargs)
        seconds = time.perf_counter() - started
        self.timings.append((name, seconds))
        if self.on_step is not None:
            self.on_step(name, seconds)
        if self.progress is not None:
            self.progress.finished(name, seconds)
        return result

    def counter(self, step: str, total: int) -> Callable[[int], None] | None:
        """A callback that adds up the items workers report done and tells the build's progress."""
        progress = self.progress
        if progress is None or total == 0:  # nothing to do: nothing to count
            return None
        done = 0
        progress.advanced(step, 0, total)

        def count(items: int) -> None:
            nonlocal done
            done += items
            progress.advanced(step, done, total)

        return count

    def is_published(self, article: Article) -> bool:
        """Whether the site shows the article: not a draft (unless asked), not dated ahead."""
        if article.draft and not self.options.drafts:
            return False
        return self.options.future or moment_to_utc(article.date) <= self.now

    def unchanged_output(self, relative: str, key: str) -> bool:
        """Whether the previous build wrote this file from inputs with this key, and it is intact.

        The preview's live folder is the preview's own, so there its manifest is trusted; an
        output folder anyone may touch is checked file by file.
        """
        cache = self.cache
        if not self.cache_is_of_output or cache.pages.get(relative) != key:
            return False
        if self.in_place:
            return relative in cache.manifest
        return previous_file_intact(self.options.output, relative, cache.manifest)

    def kept_outputs(self, relatives: Sequence[str]) -> bool:
        """Whether the previous build wrote all these files, with keys recorded, and they are intact.

        For files whose inputs are known to be as the previous build had them: their keys carry over.
        """
        cache = self.cache
        if not self.cache_is_of_output or not all(relative in cache.pages for relative in relatives):
            return False
        if self.in_place:
            return all(relative in cache.manifest for relative in relatives)
        return previous_files_intact(self.options.output, relatives, cache.manifest)

    @property
    def manifest(self) -> dict[str, FileRecord]:
        """The previous build's record of the output folder, if it is this one's."""
        return self.cache.manifest if self.cache_is_of_output else {}


def settings_key(config: Config) -> str:
    """A digest of the settings every article's load depends on."""
    return fingerprint((__version__, config))
