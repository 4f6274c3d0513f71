"""Section pages (Hugo's ``_index.md``, a folder's dateless ``index.md``): the introduction of
that folder's listing, never an article."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sitegen.errors import Problem
from sitegen.model import Intro
from sitegen.urls import slugify


@dataclass(frozen=True)
class Section:
    """A folder's own page: its title and rendered text."""

    folder: str  # relative to content/; "" for content/ itself
    title: str
    html: str


def section_folder(relative: str) -> str:
    """The folder a section file introduces."""
    return posixpath.dirname(relative)


def place_intros(sections: Iterable[tuple[str, Section]], listings: Mapping[str, str]) -> dict[str, Intro]:
    """Each section's intro, keyed by the URL of the listing it introduces.

    ``listings`` maps a slug to a listing's URL (topics, by slug); content/ itself introduces
    the home page ("/"). A folder is matched by its name's slug, then by its title's. A section
    with no listing of its own is left out.
    """
    intros: dict[str, Intro] = {}
    for relative, section in sorted(sections):
        if not section.folder:
            url: str | None = "/"
        else:
            url = listings.get(slugify(posixpath.basename(section.folder))) or listings.get(slugify(section.title))
        if url is not None and url not in intros:
            intros[url] = Intro(section.title, section.html, relative)
    return intros


def unplaced_sections(
    sections: Iterable[tuple[str, Section]], intros: Mapping[str, Intro], shown_prefix: str
) -> list[Problem]:
    """A warning for each section page whose folder has no listing to introduce."""
    placed = {intro.origin for intro in intros.values()}
    return [
        Problem(
            f"{shown_prefix}{relative}",
            None,
            f"is a section page, but no topic is named '{posixpath.basename(section.folder)}' or "
            f"'{section.title}'; its text is not shown (give its articles that topic to list them)",
        )
        for relative, section in sections
        if relative not in placed
    ]
