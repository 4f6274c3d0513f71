"""The build cache in ``.sitegen/``: what a build can reuse from the one before.

A cache never changes what the output is, only how much work producing it takes: every
entry is keyed by digests of what it was made from. An unreadable or foreign cache is
ignored with a warning and rebuilt.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import __version__
from sitegen.content.load import LoadResult
from sitegen.errors import Problem, display_path
from sitegen.output import FileRecord
from sitegen.parallel import collector_paused
from sitegen.render.plan import Outline

CACHE_DIR = ".sitegen"
CACHE_FILE = "build-cache.pickle"
_FORMAT = f"sitegen-build-cache-{__version__}-11"


@dataclass(frozen=True)
class CachedArticle:
    """One article file as last loaded: its stat, its digest, and the result of loading it."""

    digest: str
    result: LoadResult
    mtime_ns: int = -1
    size: int = -1
    terms: str = ""  # its telling terms, for related articles (see related.encode_term_counts)


@dataclass
class BuildCache:
    """Reusable results of the previous build of one archive into one output folder."""

    format: str = _FORMAT
    out_dir: str = ""
    settings_key: str = ""
    started_ns: int = 0  # when the build began reading content/; files newer than this are re-read
    articles: dict[str, CachedArticle] = field(default_factory=dict)  # by path under content/
    pages: dict[str, str] = field(default_factory=dict)  # output file -> fingerprint of its inputs
    manifest: dict[str, FileRecord] = field(default_factory=dict)  # output file -> as written
    related_key: str = ""  # digest of the articles the related lists were computed from
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plan_key: str = ""  # digest of what the pages' fingerprints were computed from
    outline: list[Outline] = field(default_factory=list)  # the pages planned from that (see ``Page.outline``)


def cache_path(root: Path) -> Path:
    """Where the build cache of the archive at ``root`` lives."""
    return root / CACHE_DIR / CACHE_FILE


def load_cache(root: Path) -> tuple[BuildCache, list[Problem]]:
    """The saved cache, or an empty one (with a warning when the file was unusable)."""
    path = cache_path(root)
    if not path.exists():
        return BuildCache(), []
    try:
        with path.open("rb") as stream, collector_paused():
            cache = pickle.load(stream)
        if isinstance(cache, BuildCache) and cache.format == _FORMAT:
            return cache, []
        reason = "it was written by another version of sitegen"
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError) as error:
        reason = f"it could not be read ({type(error).__name__})"
    warning = Problem(display_path(path), None, f"ignoring the build cache: {reason}; it will be rebuilt")
    return BuildCache(), [warning]


def save_cache(root: Path, cache: BuildCache) -> None:
    """Write the cache atomically, so a killed build leaves the old cache or the new one."""
    path = cache_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(cache, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
