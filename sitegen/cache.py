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
from sitegen.cache_format import (
    SHARD_FILE,
    CacheFormatError,
    decode_cache,
    encode_cache,
    encode_shard,
    shard_count,
    shard_of,
)
from sitegen.content.load import LoadResult
from sitegen.errors import Problem, display_path
from sitegen.output import FileRecord
from sitegen.parallel import collector_paused
from sitegen.render.plan import Outline

CACHE_DIR = ".sitegen"
CACHE_FILE = "build-cache.json"
SHARD_DIR = "build-cache"  # beside CACHE_FILE: the articles' records, a shard a file
_FORMAT = f"sitegen-build-cache-{__version__}-16"


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
    # URL -> (telling terms, topics) the lists came from, of the articles a failed build parsed
    # anew since (``articles`` holds their new results): what a resumed update starts from.
    related_inputs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    plan_key: str = ""  # digest of what the pages' fingerprints were computed from
    outline: list[Outline] = field(default_factory=list)  # the pages planned from that (see ``Page.outline``)
    # What lets a build after an edit fingerprint only the pages the edited articles reach:
    shape_key: str = ""  # digest of the settings, templates and section intros the pages were made with
    listed: list[str] = field(default_factory=list)  # each published article's URL and digest, in site order
    data_keys: list[str] = field(default_factory=list)  # each outlined page's data key (see steps.pages)
    shards: list[str] = field(default_factory=list)  # the files in SHARD_DIR holding ``articles``, as loaded or saved


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
            shard_dir = path.parent / SHARD_DIR
            with collector_paused():  # hundreds of thousands of objects, no cycles
                cache = decode_cache(data, BuildCache, CachedArticle, lambda name: (shard_dir / name).read_bytes())
            if cache.format == _FORMAT:
                return cache, []
            reason = "it was written by another version of sitegen"
        except CacheFormatError as error:
            reason = str(error)
    warning = Problem(display_path(path), None, f"ignoring the build cache: {reason}; it will be rebuilt")
    return BuildCache(), [warning]


def save_cache(root: Path, cache: BuildCache, previous: BuildCache | None = None) -> list[Problem]:
    """Write the cache so that a killed build leaves the old cache or the new one.

    The shard files are written first, under names that are their digests, then the main
    file that names them, atomically; shards no main file names any more go last. A shard
    whose articles are those ``previous`` (the cache as loaded) held is not written again.
    A cache that cannot be written (a folder planted in its place, a full disk) costs only
    speed: it is a warning, and the site just written stands.
    """
    path = cache_path(root)
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        cache.shards = _save_shards(path.parent / SHARD_DIR, cache, previous)
        handle, temporary = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(encode_cache(cache, cache.shards))
        os.replace(temporary, path)
        temporary = None
        _remove_unnamed_shards(path.parent / SHARD_DIR, cache.shards)
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


def _save_shards(folder: Path, cache: BuildCache, previous: BuildCache | None) -> list[str]:
    """Write the shards of ``cache.articles`` that differ from ``previous``'s; every shard's name."""
    folder.mkdir(exist_ok=True)
    count = shard_count(len(cache.articles))
    groups = _groups(cache.articles, count)
    kept = previous.shards if previous is not None and len(previous.shards) == count else None
    before = _groups(previous.articles, count) if previous is not None and kept is not None else None
    names: list[str] = []
    for number, group in enumerate(groups):
        same = kept is not None and before is not None and _same_group(group, before[number])
        if same and kept is not None and (folder / kept[number]).is_file():
            names.append(kept[number])
            continue
        name, data = encode_shard(group)
        # Written even when a file of that name exists: it may be a damaged copy, which a
        # load refused (that is how this shard came to be made again).
        handle, temporary = tempfile.mkstemp(prefix=".shard-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        names.append(name)
    return names


def _groups(articles: dict[str, CachedArticle], count: int) -> list[dict[str, CachedArticle]]:
    groups: list[dict[str, CachedArticle]] = [{} for _ in range(count)]
    for path, cached in articles.items():
        groups[shard_of(path, count)][path] = cached
    return groups


def _same_group(group: dict[str, CachedArticle], before: dict[str, CachedArticle]) -> bool:
    """Whether a shard holds the very records it held as loaded (reused objects, not equal ones)."""
    return group.keys() == before.keys() and all(cached is before[path] for path, cached in group.items())


def _remove_unnamed_shards(folder: Path, names: list[str]) -> None:
    """Remove the shard files (and leftover temporary files) the main file no longer names."""
    keep = set(names)
    for entry in folder.iterdir():
        if entry.name not in keep and (SHARD_FILE.fullmatch(entry.name) or entry.name.startswith(".shard-")):
            entry.unlink(missing_ok=True)
