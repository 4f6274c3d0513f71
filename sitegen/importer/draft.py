"""The state a scraped page passes through while the text rules clean it up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Draft:
    """A page part-way through clean-up.

    `lines` holds what the rules have not yet claimed or dropped, one paragraph per line;
    an empty string marks a paragraph break as the page had it.
    """

    lines: tuple[str, ...]
    title: str | None = None
    published: date | None = None
    updated: date | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    captions: tuple[str, ...] = ()
    description: str | None = None  # the page's own description or subtitle, a dek candidate
    site_name: str | None = None
    language: str | None = None
    canonical: str | None = None  # the page's own <link rel=canonical> or og:url
    problems: tuple[str, ...] = ()


# A rule takes a draft and returns a new one; rules never mutate and never do I/O.
Rule = Callable[[Draft], Draft]


def draft_from_text(text: str) -> Draft:
    """Split page text into a draft of lines, nothing claimed yet."""
    return Draft(lines=tuple(text.splitlines()))


def run_rules(draft: Draft, rules: tuple[Rule, ...]) -> Draft:
    """Apply each rule in order; the list of rules is the whole pipeline."""
    for rule in rules:
        draft = rule(draft)
    return draft


def body_start(lines: tuple[str, ...]) -> int:
    """Index of the first non-blank line, or len(lines) when there is none."""
    return next((i for i, line in enumerate(lines) if line.strip()), len(lines))
