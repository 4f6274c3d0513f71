"""Links from one article to another by file (Jekyll's ``link`` and ``post_url``, Hugo's
``ref`` and ``relref``, Zola's ``@/``): the target file's front matter gives its URL."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from sitegen.content.conventions.dates import name_parts, parse_lenient
from sitegen.content.conventions.files import ARTICLE_SUFFIXES
from sitegen.content.conventions.formats import read_front_matter
from sitegen.content.frontmatter import FrontMatterError, decode_text
from sitegen.urls import article_url, slugify
from sitegen.yamlio import YamlSyntaxError


@dataclass(frozen=True)
class Targets:
    """What a file's body may refer to: the files under content/ and how to find a page's URL."""

    content_files: frozenset[str]
    content_dir: Path | None  # None: other files cannot be read, so no article URL is known
    permalink: str  # config.permalinks["article"]
    base_path: str  # "/" or "/archive/": URLs in bodies start with it
    site_title: str = ""
    base_url: str = "/"

    def find(self, name: str, from_dir: str) -> str | None:
        """The content file ``name`` means: a path from content/ or from ``from_dir``, with or
        without its extension, or (as Hugo allows) a unique file name anywhere."""
        name = name.strip().strip("\"'").split("#", 1)[0]
        bases = [name.lstrip("/")] if name.startswith("/") else [posixpath.join(from_dir, name), name]
        for base in bases:
            base = posixpath.normpath(base)
            for candidate in (
                base,
                *(base + suffix for suffix in ARTICLE_SUFFIXES),
                base + "/index.md",
                base + "/_index.md",
            ):
                if candidate in self.content_files:
                    return candidate
        stem = posixpath.basename(name)
        if stem.lower().endswith(ARTICLE_SUFFIXES):
            stem = posixpath.splitext(stem)[0]
        matches = [p for p in self.content_files if posixpath.splitext(posixpath.basename(p))[0] == stem]
        return matches[0] if len(matches) == 1 else None

    def url_of(self, relative: str) -> str | None:
        """The site URL (with the base path) of a content file: an article's page, or the file."""
        if not relative.lower().endswith(ARTICLE_SUFFIXES):
            return self.base_path + relative
        page = self._article_url(relative)
        return None if page is None else self.base_path + page.lstrip("/")

    def _article_url(self, relative: str) -> str | None:
        if self.content_dir is None:
            return None
        try:
            matter = read_front_matter(decode_text((self.content_dir / relative).read_bytes()))
        except (OSError, UnicodeError, FrontMatterError, YamlSyntaxError):
            return None
        data = matter.data if isinstance(matter.data, dict) else {}
        name = name_parts(relative)
        moment = parse_lenient(data.get("date")) or name.date
        given = data.get("slug")
        slug = slugify(given) if isinstance(given, str) and slugify(given) else slugify(name.slug_source)
        if moment is None or not slug:
            return None
        return article_url(self.permalink, moment, slug)
