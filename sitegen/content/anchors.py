"""Heading ids: the ids of mdit_py_plugins' anchors plugin, found in linear time.

The plugin tries ``slug``, ``slug-1``, ``slug-2``... from the start for every heading, so a
document repeating one heading n times costs n²/2 lookups (30,000 copies took minutes).
Here each slug remembers the next suffix to try: every suffix skipped before is still
taken, so the ids are the same, one or two lookups each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


class UniqueIds:
    """Hands out ids, suffixing ``-1``, ``-2``... to one already taken."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)
        self._next_suffix: dict[str, int] = {}

    def claim(self, slug: str) -> str:
        """``slug``, or the first free ``slug-N``; it is taken from then on."""
        unique = slug
        if unique in self._taken:
            suffix = self._next_suffix.get(slug, 1)
            unique = f"{slug}-{suffix}"
            while unique in self._taken:
                suffix += 1
                unique = f"{slug}-{suffix}"
            self._next_suffix[slug] = suffix + 1
        self._taken.add(unique)
        return unique


def anchors(md: MarkdownIt, *, min_level: int, max_level: int, slug_func: Callable[[str], str]) -> None:
    """Give headings of ``min_level`` to ``max_level`` an id made by ``slug_func`` from their text."""
    levels = {f"h{level}" for level in range(min_level, max_level + 1)}

    def anchor(state: StateCore) -> None:
        tokens = state.tokens
        # Ids a heading already has (from an attributes plugin) are never handed out again.
        ids = UniqueIds(str(t.attrGet("id")) for t in tokens if t.type == "heading_open" and t.attrGet("id"))
        for index, token in enumerate(tokens):
            if token.type != "heading_open" or token.tag not in levels or token.attrGet("id"):
                continue
            children = tokens[index + 1].children or []
            title = "".join(child.content for child in children if child.type in ("text", "code_inline"))
            token.attrSet("id", ids.claim(slug_func(title)))

    md.core.ruler.push("anchor", anchor)
