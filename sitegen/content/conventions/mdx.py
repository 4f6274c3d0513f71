"""MDX files read as Markdown: ESM lines dropped, JSX components kept as text and named."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ESM = re.compile(r"^(import|export)\s")
_COMPONENT = re.compile(r"<([A-Z][\w.]*)")  # JSX components start upper-case; HTML tags do not
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True)
class MdxText:
    """The Markdown left of an MDX body, and the components it keeps as text (name, line)."""

    text: str
    components: tuple[tuple[str, int], ...]


def read_mdx(body: str) -> MdxText:
    """Drop ``import``/``export`` statements (outside code) and find JSX components.

    A dropped statement leaves an empty line, so line numbers stay those of the file. A
    multi-line statement runs until its brackets balance.
    """
    lines = body.split("\n")
    fence: str | None = None
    depth = 0  # open brackets of a statement being dropped
    found: dict[str, int] = {}
    for index, line in enumerate(lines):
        marker = _FENCE.match(line)
        if depth == 0 and marker:
            fence = None if fence == marker.group(1) else fence or marker.group(1)
            continue
        if fence:
            continue
        if depth > 0 or _ESM.match(line):
            depth = max(0, depth + _balance(line))
            lines[index] = ""
            continue
        for match in _COMPONENT.finditer(_outside_code_spans(line)):
            found.setdefault(match.group(1), index + 1)
    return MdxText("\n".join(lines), tuple(sorted(found.items(), key=lambda item: item[1])))


def _balance(line: str) -> int:
    return sum(line.count(c) for c in "({[") - sum(line.count(c) for c in ")}]")


def _outside_code_spans(line: str) -> str:
    return re.sub(r"`[^`]*`", "", line)
