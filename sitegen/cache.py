"""The build cache in ``.sitegen/``: what a build can reuse from the one before.

A cache never changes what the output is, only how much work producing it takes: every
entry is keyed by digests of what it was made from. The file is data, never code (see
``cache_format``): an unreadable, invalid or foreign cache is ignored with one warning
and rebuilt.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import __version__
from sitegen.cache_format import CacheFormatError, decode_cache, encode_cache
from sitegen.content.load import LoadResult
from sitegen.errors import Problem, display_path
from sitegen.output import FileRecord
from sitegen.parallel import collector_paused
from sitegen.render.plan import Outline

CACHE_DIR = ".sitegen"
CACHE_FILE = "build-cache.json"
_FORMAT = f"sitegen-build-cache-{__version__}-13"


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
    # What lets a build after an edit fingerprint only the pages the edited articles reach:
    shape_key: str = ""  # digest of the settings, templates and section intros the pages were made with
    listed: list[str] = field(default_factory=list)  # each published article's URL and digest, in site order
    data_keys: list[str] = field(default_factory=list)  # each outlined page's data key (see steps.pages)


def cache_path(root: Path) -> Path:
    """Where the build cache of the archive at ``root`` lives."""
    return root / CACHE_DIR / CACHE_FILE


def load_cache(root: Path) -> tuple[BuildCache, list[Problem]]:
    """The saved cache, or an empty one (with one warning when the file was unusable)."""
    path = cache_path(root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return BuildCache(), []
    except OSError as error:
        reason = f"it could not be read ({error.strerror})"
    else:
        try:
            with collector_paused():  # hundreds of thousands of objects, no cycles
                cache = decode_cache(data, BuildCache, CachedArticle)
            if cache.format == _FORMAT:
                return cache, []
            reason = "it was written by another version of sitegen"
        except CacheFormatError as error:
            reason = str(error)
    warning = Problem(display_path(path), None, f"ignoring the build cache: {reason}; it will be rebuilt")
    return BuildCache(), [warning]


def save_cache(root: Path, cache: BuildCache) -> list[Problem]:
    """Write the cache atomically, so a killed build leaves the old cache or the new one.

    A cache that cannot be written (a folder planted in its place, a full disk) costs only
    speed: it is a warning, and the site just written stands.
    """
    path = cache_path(root)
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(encode_cache(cache))
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        reason = error.strerror or str(error)
        return [
            Problem(
                display_path(path),
                None,
                f"the build cache could not be saved ({reason}); the next build redoes its work",
            )
        ]
    except BaseException:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise
    return []
