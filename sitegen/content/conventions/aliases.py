"""Other generators' front-matter fields, mapped onto sitegen's own by one table.

``FIELD_ALIASES`` is the table README documents: each row names a field as Jekyll, Hugo,
Zola or Pelican write it, the sitegen field it fills, and how its value is read. sitegen's
own field wins when both are given; the other is kept among the article's extra fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sitegen.content.conventions.dates import NameParts, parse_lenient
from sitegen.yamlio import Lines


@dataclass(frozen=True)
class Alias:
    """One foreign field: its name (case-insensitive), the sitegen field, how its value reads."""

    name: str
    target: str
    reading: str  # one of the keys of _READINGS
    origin: str  # who writes it, for README


FIELD_ALIASES: tuple[Alias, ...] = (
    Alias("categories", "topics", "words", "Jekyll, Hugo, Zola ([taxonomies])"),
    Alias("category", "topics", "name", "Jekyll, Pelican"),
    Alias("tags", "tags", "words", "Jekyll (one string: split on spaces), Pelican (on commas)"),
    Alias("description", "summary", "text", "Hugo, Zola, Jekyll"),
    Alias("excerpt", "summary", "text", "Jekyll"),
    Alias("lastmod", "updated", "date", "Hugo"),
    Alias("last_modified_at", "updated", "date", "Jekyll (jekyll-last-modified-at)"),
    Alias("modified", "updated", "date", "Pelican"),
    Alias("publishdate", "date", "date", "Hugo"),
    Alias("authors", "author", "names", "Hugo, Zola, Pelican"),
    Alias("canonical_url", "source_url", "text", "Jekyll (jekyll-seo-tag), Hugo themes"),
    Alias("canonicalurl", "source_url", "text", "Hugo"),
    Alias("published", "draft", "negated", "Jekyll"),
    Alias("status", "draft", "status", "Pelican (draft, hidden)"),
    Alias("lang", "language", "text", "Jekyll, Pelican"),
    Alias("image", "image", "image", "Jekyll (jekyll-seo-tag), Hugo themes"),
    Alias("images", "image", "image", "Hugo (Open Graph)"),
    Alias("cover", "image", "image", "Hugo themes"),
    Alias("featured_image", "image", "image", "Hugo and Jekyll themes"),
)

# Fields other generators use for layout, order or their own machinery: kept among the
# article's extra fields, never a warning. (aliases, redirect_from, permalink and url make
# redirect pages; see ``redirects``.)
KNOWN_ELSEWHERE = frozenset(
    {
        "layout", "weight", "type", "toc", "comments", "math", "katex", "mathjax", "menu", "menus",
        "series", "keywords", "sitemap", "template", "render", "in_search_index", "expirydate",
        "outputs", "resources", "translationkey", "linktitle", "headless", "build", "cascade",
        "markup", "sidebar", "hidden", "featured", "subtitle", "share", "extra", "taxonomies",
        "aliases", "redirect_from", "redirect_to", "permalink", "url", "path", "save_as", "order",
        "nav_order", "parent", "excerpt_separator", "showtoc", "tocopen", "insert_anchor_links",
    }
)  # fmt: skip

OWN_FIELDS = frozenset(
    {"title", "date", "updated", "author", "source", "source_url", "topics", "tags", "summary", "slug",
     "language", "draft", "note"}
)  # fmt: skip

_BY_NAME: Mapping[str, Alias] = {alias.name: alias for alias in FIELD_ALIASES}
_MARKDOWN_LINK = re.compile(r"^\[([^\]]+)\]\((\S+?)\)$")


@dataclass
class Translated:
    """Front matter in sitegen's terms, plus what the rest of the loader needs from it."""

    data: dict[str, Any]
    lines: Lines
    extra: dict[str, Any] = field(default_factory=dict)  # foreign fields kept for templates
    notes: list[tuple[str, str]] = field(default_factory=list)  # (field, warning)
    image: str | None = None
    author_links: dict[str, str] = field(default_factory=dict)


def translate_fields(data: Mapping[Any, Any], lines: Lines, kind: str, name: NameParts) -> Translated:
    """Map foreign fields onto sitegen's (``kind`` is the front-matter format)."""
    own = {str(key): value for key, value in data.items() if str(key) in OWN_FIELDS}
    out = Translated(own, dict(lines))
    separator = "," if kind == "headers" else None
    foreign = {str(key): value for key, value in data.items() if str(key) not in OWN_FIELDS}
    _flatten_zola(foreign, out)
    for key, value in foreign.items():
        lower = key.lower()
        alias = _BY_NAME.get(lower)
        if alias is None:
            if lower in KNOWN_ELSEWHERE:
                out.extra[key] = value
            else:
                out.data[key] = value  # sitegen's checks say whether it looks like a typo
            continue
        out.extra[key] = value
        if alias.target == "image":
            if out.image is None and (key,) in lines:
                out.lines[("image",)] = lines[(key,)]
            out.image = out.image or _image(value)
            continue
        if alias.target in out.data and alias.name != alias.target:
            continue  # sitegen's own field wins
        read = _read(alias, value, separator, out)
        if read is not None:
            out.data[alias.target] = read
            line = lines.get((key,))
            if line is not None:
                out.lines[(alias.target,)] = line
    if "tags" in own and isinstance(own["tags"], str):
        out.data["tags"] = _words(own["tags"], separator)
    for key in ("author",):
        if key in out.data:
            out.data[key] = _names(out.data[key], out)
    for key in ("date", "updated"):
        moment = parse_lenient(out.data.get(key))
        if moment is not None:
            out.data[key] = moment
    _date_from_name(out, name)
    return out


def _flatten_zola(foreign: dict[str, Any], out: Translated) -> None:
    """Zola's ``[taxonomies]`` hold tags and categories; its ``[extra]`` may hold an image."""
    taxonomies = foreign.get("taxonomies")
    if isinstance(taxonomies, dict):
        for key, value in taxonomies.items():
            foreign.setdefault(str(key), value)
    extra = foreign.get("extra")
    if isinstance(extra, dict):
        for key in ("image", "cover", "featured_image"):
            if key in extra:
                out.image = out.image or _image(extra[key])


def _read(alias: Alias, value: Any, separator: str | None, out: Translated) -> Any:
    if alias.reading == "words":
        return _words(value, separator) if isinstance(value, str) else value
    if alias.reading == "name":
        return [value] if isinstance(value, str) else value
    if alias.reading == "names":
        return _names(value.split(",") if isinstance(value, str) and separator else value, out)
    if alias.reading == "date":
        return parse_lenient(value) or value
    if alias.reading == "negated":
        return (not value) if isinstance(value, bool) else None
    if alias.reading == "status":
        return str(value).strip().lower() in ("draft", "hidden", "skip")
    return value  # "text"


def _words(value: str, separator: str | None) -> list[str]:
    return [word.strip() for word in value.split(separator) if word.strip()]


def _names(value: Any, out: Translated) -> Any:
    """Names, with a Markdown-link name (``[Name](url)``) read as its name; the URL is kept."""
    if isinstance(value, str) and "[" not in value:
        return value.strip()  # the common case: a plain name
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return value
    names: list[Any] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            item = item["name"]  # Hugo and Zola themes: authors: [{name: ..., link: ...}]
        if isinstance(item, str):
            item = item.strip()
            match = _MARKDOWN_LINK.match(item)
            if match:
                item = match.group(1).strip()
                out.author_links[item] = match.group(2)
        names.append(item)
    return names if not isinstance(value, str) else names[0]


def _image(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("src") or value.get("url") or value.get("image") or value.get("path")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _date_from_name(out: Translated, name: NameParts) -> None:
    """A dated file name gives the date the front matter lacks, or cannot be read, as Jekyll does."""
    if name.date is None:
        return
    given = out.data.get("date")
    if given is None:
        out.data["date"] = name.date
    elif parse_lenient(given) is None:
        shown = str(given)[:60]
        out.notes.append(("date", f"'date' is not a date: \"{shown}\"; the file name's date {name.date} is used"))
        out.data["date"] = name.date
