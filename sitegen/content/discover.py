"""Find the article files and other files under ``content/``."""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sitegen.content.conventions.files import is_article_file, is_left_unread, unread_warning
from sitegen.errors import Problem, display_path


@dataclass(frozen=True)
class Discovery:
    """What lies under content/: articles, other files, and what was refused."""

    articles: tuple[str, ...]  # relative to content/, '/'-separated, sorted
    assets: tuple[str, ...]
    warnings: tuple[Problem, ...]


def discover(content_dir: Path, skip: Collection[Path] = ()) -> Discovery:
    """List articles (Markdown under its usual names, and MDX) and other files; hidden files,
    outside symlinks, the folders in ``skip`` (resolved paths: the output folder, say) and
    other generators' machinery are skipped, the last with one warning."""
    articles: list[str] = []
    assets: list[str] = []
    unread: list[str] = []
    warnings: list[Problem] = []
    if not content_dir.is_dir():
        return Discovery((), (), ())
    root = content_dir.resolve()
    for folder, dirs, files in os.walk(content_dir):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and _stays_inside(here / d, root, warnings) and not _skipped(here / d, skip)
        )
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or not _stays_inside(path, root, warnings):
                continue
            relative = path.relative_to(content_dir).as_posix()
            if is_left_unread(relative):
                unread.append(relative)
            else:
                (articles if is_article_file(name) else assets).append(relative)
    warning = unread_warning(display_path(content_dir) + "/", unread)
    if warning is not None:
        warnings.append(warning)
    return Discovery(tuple(articles), tuple(assets), tuple(warnings))


def _skipped(folder: Path, skip: Collection[Path]) -> bool:
    return bool(skip) and folder.resolve() in skip


def _stays_inside(path: Path, root: Path, warnings: list[Problem]) -> bool:
    """Symlinks that lead out of content/ are not followed: an archive must not leak files."""
    if not path.is_symlink():
        return True
    target = path.resolve()
    if target == root or root in target.parents:
        return True
    warnings.append(Problem(display_path(path), None, "is a symlink to a place outside content/; skipped"))
    return False
