"""One base error for everything sitegen reports to a user.

Library code raises these; only the command line prints them and picks the exit code.
Content problems carry a location so the message reads ``path:line: message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) at a place in a file."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class SitegenError(Exception):
    """Base of every error a user may see; the CLI maps it to exit code 1."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("sitegen", None, problems)]
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[SitegenError], tuple[list[Problem]]]:
        # Errors raised in worker processes cross back pickled; keep their problems whole.
        return (type(self), (list(self.problems),))


class ContentError(SitegenError):
    """One or more articles are invalid."""


class ConfigError(SitegenError):
    """sitegen.yaml is invalid."""


class TemplateError(SitegenError):
    """A template is missing or failed to render."""


def display_path(path: Path) -> str:
    """Show ``path`` relative to the working folder when it lies inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
