"""One article file read through other generators' conventions: the loader's single hook."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from sitegen.content.conventions.aliases import translate_fields
from sitegen.content.conventions.dates import NameParts, name_parts
from sitegen.content.conventions.formats import read_front_matter
from sitegen.content.conventions.mdx import read_mdx
from sitegen.content.conventions.redirects import jekyll_post_permalink
from sitegen.content.conventions.shortcodes import (
    translate_hugo,
    translate_pelican,
    translate_zola,
    uses_hugo_shortcodes,
    uses_pelican_links,
    uses_zola_syntax,
)
from sitegen.content.conventions.targets import Targets
from sitegen.content.conventions.translations import Page
from sitegen.urls import article_url, slugify
from sitegen.yamlio import Lines

_LEADING_HEADING = re.compile(r"\A(?:[ \t]*\n)*(?P<line>#[ \t]+(?P<text>[^\n]+?)(?:[ \t]+#+)?[ \t]*)(?:\n|\Z)")


@dataclass(frozen=True)
class Source:
    """An article file's fields in sitegen's terms and its Markdown, ready to check and render."""

    data: Any
    lines: Lines
    body: str
    body_line: int
    kind: str  # the front-matter format
    name: NameParts
    extra: dict[str, Any] = field(default_factory=dict)
    image: str | None = None
    author_links: dict[str, str] = field(default_factory=dict)
    notes: tuple[tuple[int, str], ...] = ()  # (line, warning)
    reads_others: bool = False  # Liquid or shortcodes were translated, which may read other files
    foreign: bool = False  # written for another generator (its format, fields or archive)
    old_permalink: str | None = None  # the URL pattern its old site gave it (Jekyll's posts)

    @property
    def is_page(self) -> bool:
        """Another generator's dateless page (an About page, say): not an article."""
        return self.foreign and isinstance(self.data, dict) and self.data.get("date") is None

    @property
    def is_section(self) -> bool:
        """A section's own page (``_index.md``, or a folder's ``index.md`` without a date)."""
        return self.name.section or (
            self.name.bundle is not None and isinstance(self.data, dict) and self.data.get("date") is None
        )


def read_source(relative: str, text: str, targets: Targets | None = None) -> Source:
    """Split, parse and translate one file (``relative`` to content/); with ``targets``, its
    Liquid, shortcodes and ``@/`` links too.

    Raises ``FrontMatterError`` or ``YamlSyntaxError`` when the front matter cannot be read.
    """
    matter = read_front_matter(text)
    name = name_parts(relative)
    body, body_line = matter.body, matter.body_line
    notes: list[tuple[int, str]] = []
    if relative.lower().endswith(".mdx"):
        mdx = read_mdx(body)
        body = mdx.text
        for component, line in mdx.components:
            notes.append((body_line + line - 1, f"the MDX component <{component}> cannot be rendered; shown as text"))
    if not isinstance(matter.data, dict):
        return Source(matter.data, matter.lines, body, body_line, matter.kind, name, notes=tuple(notes))
    translated = translate_fields(matter.data, matter.lines, matter.kind, name)
    for key, message in translated.notes:
        notes.append((translated.lines.get((key,), 1), message))
    data = translated.data
    if "_drafts/" in f"/{relative}" and "draft" not in data:
        data["draft"] = True  # Jekyll's drafts folder
    folders = relative.split("/")[:-1]
    if "_posts" in folders and folders.index("_posts") > 0:
        # Jekyll: the folders above _posts/ are categories too (news/_posts/x.md is in "news").
        named = folders[: folders.index("_posts")]
        topics = data.get("topics")
        if topics is None or isinstance(topics, list):
            data["topics"] = named + [t for t in topics or [] if t not in named]
    translated_body = False
    if targets is not None:
        before = body
        body, body_notes = _translate_body(relative, body, matter.data, data, matter.kind, name, targets)
        notes.extend((body_line + line - 1, note) for line, note in body_notes)
        translated_body = body != before or bool(body_notes)
    body, heading = _drop_leading_heading(body, data.get("title"))
    if data.get("title") is None and heading is not None:
        data["title"] = heading
    elif data.get("title") is None and name.date is not None:
        data["title"] = _title_from_slug(name.slug_source)  # as Jekyll names an untitled post
    return Source(
        data, translated.lines, body, body_line, matter.kind, name,
        translated.extra, translated.image, translated.author_links, tuple(notes), translated_body,
        matter.kind != "yaml" or bool(translated.extra)
        or (targets is not None and "_config.yml" in targets.content_files),
        _old_permalink(relative, targets),
    )  # fmt: skip


def _old_permalink(relative: str, targets: Targets | None) -> str | None:
    """A Jekyll post's URL on its old site follows ``_config.yml``'s permalink (or Jekyll's default)."""
    if targets is None or "_posts" not in relative.split("/")[:-1]:
        return None
    config = None
    if targets.content_dir is not None and "_config.yml" in targets.content_files:
        try:
            config = (targets.content_dir / "_config.yml").read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            config = None
    return jekyll_post_permalink(config)


def is_jekyll_post(relative: str, content_files: frozenset[str]) -> bool:
    """Jekyll's files: under ``_posts/`` or ``_drafts/``, or in an archive with ``_config.yml``."""
    parts = relative.split("/")[:-1]
    return "_posts" in parts or "_drafts" in parts or "_config.yml" in content_files


def uses_liquid(body: str) -> bool:
    """Whether the body has Liquid tags or output."""
    return "{%" in body or "{{" in body


def _translate_body(
    relative: str,
    body: str,
    written: dict[str, Any],
    data: dict[str, Any],
    kind: str,
    name: NameParts,
    targets: Targets,
) -> tuple[str, list[tuple[int, str]]]:
    """Each generator's own markup, with its own semantics: Jekyll's Liquid, Hugo's shortcodes,
    Zola's shortcodes and links."""
    if is_jekyll_post(relative, targets.content_files) and uses_liquid(body):
        page = {**written, **data, "path": relative}
        moment, slug = data.get("date"), data.get("slug")
        slug = slugify(slug) if isinstance(slug, str) else slugify(name.slug_source)
        if moment is not None and not isinstance(moment, str) and slug:
            page["url"] = targets.base_path + article_url(targets.permalink, moment, slug).lstrip("/")
        # python-liquid (and asyncio, which it imports) costs every run a tenth of a second:
        # imported only for a Jekyll post that has Liquid in it.
        from sitegen.content.conventions.liquid import render_liquid

        return render_liquid(body, page, targets, targets.site_title, targets.base_url, relative)
    folder = posixpath.dirname(relative)
    if uses_hugo_shortcodes(body):
        translated = translate_hugo(body, Page(folder, written, targets))
        return translated.text, translated.notes
    if kind == "headers" and uses_pelican_links(body):
        translated = translate_pelican(body, Page(folder, written, targets))
        return translated.text, translated.notes
    if kind == "toml" and uses_zola_syntax(body):
        translated = translate_zola(body, Page(folder, written, targets))
        return translated.text, translated.notes
    return body, []


def _drop_leading_heading(body: str, title: Any) -> tuple[str, str | None]:
    """A first ``# Heading`` that repeats the title (or stands for a missing one) is not shown
    twice; its line is left empty so line numbers hold."""
    match = _LEADING_HEADING.match(body)  # a match at the start: no split of the whole body
    if match is None:
        return body, None
    heading = match.group("text").strip()
    if title is not None and not _same_words(heading, str(title)):
        return body, None
    return body[: match.start("line")] + body[match.end("line") :], heading


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _title_from_slug(slug: str) -> str:
    words = re.split(r"[-_\s]+", slug)
    return " ".join(word[:1].upper() + word[1:] for word in words if word)
