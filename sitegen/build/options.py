"""What a build is asked to do, and what it reports back: the engine's public types."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sitegen.errors import Problem


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for on the command line."""

    root: Path
    out_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    strict: bool = False
    offline: bool = False
    workers: int | None = None  # processes for loading and rendering; None: one per core
    force: bool = False  # replace an output folder that sitegen did not write (never a protected one)

    @property
    def output(self) -> Path:
        """Where the site goes: ``-o`` or ``ROOT/site``."""
        return self.out_dir if self.out_dir is not None else self.root / "site"


# What changed since the last build, by kind ("articles", "templates", "static", "config";
# see serve.changes), as paths relative to the archive root.
Changes = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class BuildReport:
    """What a successful build did."""

    articles: int
    pages: int
    written: int
    unchanged: int
    seconds: float
    steps: tuple[tuple[str, float], ...]
    warnings: tuple[Problem, ...]
    rendered: int = 0  # pages rendered anew (the rest were unchanged)
    removed: int = 0  # files removed from a live folder
    shortcut: str = ""  # "articles" or "templates" when only those changed and only their pages were redone
    parsed: int = 0  # article files parsed anew (the rest were reused from the cache)


StepCallback = Callable[[str, float], None]


class BuildProgress(Protocol):
    """What a build tells whoever shows its progress (the CLI): steps as they start and end,
    and for the long ones (loading articles, rendering) how many of their items are done."""

    def started(self, step: str) -> None: ...

    def advanced(self, step: str, done: int, total: int) -> None: ...

    def finished(self, step: str, seconds: float) -> None: ...
