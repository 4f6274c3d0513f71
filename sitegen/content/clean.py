"""Take the characters XML cannot carry out of an article, and say where they were.

Done once as a file is loaded, so every output built from the article is well-formed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.characters import code_point, first_forbidden, remove_forbidden
from sitegen.errors import Problem


@dataclass(frozen=True)
class Removed:
    """How many characters were removed, the first of them, and where it was."""

    count: int
    first: str
    line: int | None = None  # in the file's text
    key: str | None = None  # or in this front-matter field (a YAML escape such as "\f")


def clean_text(text: str) -> tuple[str, Removed | None]:
    """The file's text without the characters XML forbids."""
    first = first_forbidden(text)
    if first is None:
        return text, None
    cleaned, count = remove_forbidden(text)
    return cleaned, Removed(count, text[first], line=text.count("\n", 0, first) + 1)


def clean_fields(data: dict[Any, Any]) -> tuple[dict[Any, Any], Removed | None]:
    """Front-matter values (in lists and mappings too) without the characters XML forbids."""
    found: list[Removed] = []

    def clean(value: Any, key: str) -> Any:
        if isinstance(value, str):
            first = first_forbidden(value)
            if first is None:
                return value
            cleaned, count = remove_forbidden(value)
            found.append(Removed(count, value[first], key=key))
            return cleaned
        if isinstance(value, list):
            return [clean(item, key) for item in value]
        if isinstance(value, dict):
            return {name: clean(item, key) for name, item in value.items()}
        return value

    cleaned = {name: clean(value, str(name)) for name, value in data.items()}
    if not found:
        return data, None
    return cleaned, Removed(sum(one.count for one in found), found[0].first, key=found[0].key)


def removal_warning(shown: str, removed: Removed, lines: Mapping[tuple[str | int, ...], int]) -> Problem:
    """The one warning of a file that held such characters, at the line of the first."""
    line = removed.line or lines.get((removed.key or "",), 1)
    characters = "character" if removed.count == 1 else "characters"
    message = f"removed {removed.count} {characters} that feeds and pages cannot carry"
    return Problem(shown, line, f"{message} (the first is {code_point(removed.first)})")
