"""``sitegen migrate``: an archive from another generator, rewritten in sitegen's own terms.

The build reads other generators' conventions as they are (see content/conventions/); this
command is for curators who want to leave them behind. It plans the new files from the old
ones (pure), then writes them into a new folder, never over the old content/: YAML front
matter with sitegen's fields, Liquid and shortcodes already translated, `.md` names without
date prefixes, and Jekyll's `_posts/` and `_drafts/` as `posts/` and `drafts/`.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from sitegen.config import Config
from sitegen.content.conventions.aliases import FIELD_ALIASES
from sitegen.content.conventions.files import is_left_unread
from sitegen.content.conventions.reading import Source, read_source
from sitegen.content.conventions.redirects import REDIRECT_FIELDS, old_urls
from sitegen.content.conventions.targets import Targets
from sitegen.content.discover import discover
from sitegen.content.fields import check_fields
from sitegen.content.frontmatter import FrontMatterError, decode_text
from sitegen.errors import Problem, SitegenError, display_path
from sitegen.urls import slugify
from sitegen.yamlio import YamlSyntaxError

# Jekyll's folders that hold articles, renamed so the new archive no longer reads as Jekyll's.
RENAMED_FOLDERS = {"_posts": "posts", "_drafts": "drafts"}
_CONSUMED = {alias.name for alias in FIELD_ALIASES} | set(REDIRECT_FIELDS) | {"taxonomies"}
_ORDER = ("title", "date", "updated", "author", "source", "source_url", "topics", "tags", "summary", "slug",
          "language", "draft", "note", "image", "aliases")  # fmt: skip


@dataclass(frozen=True)
class MigratedFile:
    """One file of the new content folder: new text, or the old file's bytes under a new name."""

    source: str  # relative to the old content/
    target: str  # relative to the new content folder
    old_text: str | None = None
    text: str | None = None  # None: copied as it is


@dataclass(frozen=True)
class Migration:
    """The new content folder, and the old files it leaves out."""

    files: tuple[MigratedFile, ...]
    left_out: tuple[str, ...]


def plan_migration(root: Path, config: Config) -> Migration:
    """The new files for the archive at ``root``; problems stop it, as they stop a build."""
    content_dir = root / "content"
    discovery = discover(content_dir)
    content_files = frozenset(discovery.articles + discovery.assets)
    targets = Targets(
        content_files, content_dir, config.permalinks["article"], config.base_path, config.title, config.base_url
    )
    problems: list[Problem] = []
    files: list[MigratedFile] = []
    pages: list[str] = []  # another generator's dateless pages: not articles, so left out
    for relative in discovery.articles:
        shown = f"{display_path(content_dir)}/{relative}"
        try:
            old_text = decode_text((content_dir / relative).read_bytes())
            source = read_source(relative, old_text, targets)
        except (OSError, UnicodeError) as error:
            problems.append(Problem(shown, None, f"cannot be read: {error}"))
            continue
        except (FrontMatterError, YamlSyntaxError) as error:
            problems.append(Problem(shown, error.line or 1, error.message))
            continue
        if source.is_page:
            pages.append(relative)
            continue
        migrated = _migrate_article(relative, source, old_text, problems, shown)
        if migrated is not None:
            files.append(migrated)
    for relative in discovery.assets:
        files.append(MigratedFile(relative, _renamed(relative)))
    if problems:
        raise SitegenError(problems)
    return Migration(_without_clashes(files), tuple(sorted(_left_out(content_dir) + pages)))


def _migrate_article(
    relative: str, source: Source, old_text: str, problems: list[Problem], shown: str
) -> MigratedFile | None:
    if not isinstance(source.data, dict):
        problems.append(Problem(shown, 2, "front matter must be fields like 'title: ...', one a line"))
        return None
    target = _renamed(relative)
    folder, name = posixpath.split(target)
    stem = posixpath.splitext(name)[0]
    if source.is_section:
        matter: dict[str, Any] = {"title": source.data["title"]} if source.data.get("title") else {}
        return MigratedFile(relative, posixpath.join(folder, stem + ".md"), old_text, _write(matter, source.body))
    fields, errors, _ = check_fields(source.data)
    for error in errors:
        problems.append(Problem(shown, None, error.message))
    if errors or fields.date is None:
        return None
    slug = fields.slug or slugify(source.name.slug_source)
    if source.name.date is not None and source.name.bundle is None:
        stem = source.name.slug_source  # the date is in the front matter now
    matter = {key: value for key, value in source.data.items() if key not in ("slug",)}
    matter.update({key: _plain(value) for key, value in matter.items()})
    if slug != slugify(stem):
        matter["slug"] = slug
    if source.image:
        matter["image"] = source.image
    old = source.extra if source.old_permalink is None else {"permalink": source.old_permalink, **source.extra}
    redirects, _ = old_urls(old, relative, fields.date, slug, fields.topics)
    if redirects:
        matter["aliases"] = redirects
    for key, value in source.extra.items():
        if key.lower() not in _CONSUMED and key not in matter:
            matter[key] = _plain(value)
    ordered = {key: matter[key] for key in _ORDER if key in matter}
    ordered.update({key: value for key, value in matter.items() if key not in ordered})
    return MigratedFile(relative, posixpath.join(folder, stem + ".md"), old_text, _write(ordered, source.body))


def _renamed(relative: str) -> str:
    parts = relative.split("/")
    return "/".join(
        RENAMED_FOLDERS.get(part, part) if index < len(parts) - 1 else part for index, part in enumerate(parts)
    )


def _plain(value: Any) -> Any:
    """Values as YAML writes them for sitegen to read: dates in ISO 8601."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _write(matter: dict[str, Any], body: str) -> str:
    head = yaml.safe_dump(matter, sort_keys=False, allow_unicode=True, width=1000) if matter else ""
    return f"---\n{head}---\n{body.lstrip(chr(10))}"


def _without_clashes(files: list[MigratedFile]) -> tuple[MigratedFile, ...]:
    """Two articles whose new names would be one keep their old names (less their folder's rename)."""
    seen: dict[str, int] = {}
    for file in files:
        seen[file.target] = seen.get(file.target, 0) + 1
    return tuple(
        file if seen[file.target] == 1 else MigratedFile(file.source, _renamed(file.source), file.old_text, file.text)
        for file in files
    )


def _left_out(content_dir: Path) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(content_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            relative = (Path(folder) / name).relative_to(content_dir).as_posix()
            if not name.startswith(".") and is_left_unread(relative):
                found.append(relative)
    return found


def migration_diff(migration: Migration, old_prefix: str, new_prefix: str) -> str:
    """A unified diff of every rewritten article, and one line per file copied under a new name."""
    out: list[str] = []
    for file in migration.files:
        if file.text is None:
            if file.target != file.source:
                out.append(f"rename {old_prefix}{file.source} -> {new_prefix}{file.target}\n")
            continue
        out.extend(
            difflib.unified_diff(
                (file.old_text or "").splitlines(keepends=True),
                file.text.splitlines(keepends=True),
                f"{old_prefix}{file.source}",
                f"{new_prefix}{file.target}",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def write_migration(migration: Migration, content_dir: Path, into: Path) -> None:
    """Write the new content folder at ``into``, which must not exist; all of it or nothing."""
    if into.exists():
        raise SitegenError(f"{display_path(into)} already exists; migrate writes only into a new folder")
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sitegen-migrate-", dir=into.parent))
    try:
        for file in migration.files:
            path = staging / file.target
            path.parent.mkdir(parents=True, exist_ok=True)
            if file.text is None:
                shutil.copyfile(content_dir / file.source, path)
            else:
                path.write_text(file.text, encoding="utf-8")
        staging.rename(into)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)  # our own staging folder, nothing else
        raise SitegenError(f"cannot write {display_path(into)}: {error.strerror}") from None
