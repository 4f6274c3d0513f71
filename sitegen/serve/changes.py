"""Sort changed files into the kinds of change a rebuild distinguishes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import CONFIG_FILE
from sitegen.content.conventions.files import is_article_file

# Order matters for the summary line: the broadest kind first.
KINDS = ("config", "templates", "static", "content", "articles")


@dataclass(frozen=True)
class ChangeSet:
    """Changed paths relative to the archive root, by kind."""

    by_kind: dict[str, tuple[str, ...]]

    @property
    def empty(self) -> bool:
        return not any(self.by_kind.values())

    def describe(self, limit: int = 3) -> str:
        """A short human summary: ``articles: 2024/a.md, 2024/b.md``."""
        parts = []
        for kind in KINDS:
            paths = self.by_kind.get(kind, ())
            if paths:
                shown = ", ".join(paths[:limit]) + (f" and {len(paths) - limit} more" if len(paths) > limit else "")
                parts.append(f"{kind}: {shown}")
        return "; ".join(parts)


# Files editors and tools write beside the one being saved, and remove again (hidden files,
# such as vim's .x.swp and emacs's .#x locks, are ignored with every other hidden file).
_TEMPORARY_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".temp", ".kate-swp", "___jb_tmp___", "___jb_old___", "~")
_TEMPORARY_NAMES = (
    re.compile(r"4913"),  # vim checks that it may write in the folder with this file
    re.compile(r"sed[A-Za-z0-9]{6}"),  # GNU sed -i writes its output here before renaming it
    re.compile(r"#.*#"),  # emacs's auto-save file
)


def is_editor_temporary(name: str) -> bool:
    """Whether a file name is that of an editor's or a tool's temporary file."""
    return name.endswith(_TEMPORARY_SUFFIXES) or any(pattern.fullmatch(name) for pattern in _TEMPORARY_NAMES)


def classify(root: Path, paths: Iterable[Path]) -> ChangeSet:
    """The kind of each changed path; paths outside the watched places are ignored."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in KINDS}
    root = root.absolute()
    for path in paths:
        try:
            relative = path.absolute().relative_to(root)
        except ValueError:
            continue
        parts = relative.parts
        if not parts or any(part.startswith(".") for part in parts) or is_editor_temporary(parts[-1]):
            continue
        if parts == (CONFIG_FILE,):
            by_kind["config"].append(relative.as_posix())
        elif parts[0] == "templates":
            by_kind["templates"].append(relative.as_posix())
        elif parts[0] == "static":
            by_kind["static"].append(relative.as_posix())
        elif parts[0] == "content":
            kind = "articles" if is_article_file(relative.name) else "content"
            by_kind[kind].append(Path(*parts[1:]).as_posix())
    return ChangeSet({kind: tuple(sorted(set(paths))) for kind, paths in by_kind.items()})
