"""Which files under content/ are articles, which are copied, and which are neither."""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable

from sitegen.errors import Problem

# Markdown under the names Jekyll, Hugo and editors give it; MDX is Markdown with JSX lines.
ARTICLE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdx")

# Jekyll's machinery, never published as it is: layouts, includes, data, Sass, plugins, its
# own output and settings. (Hugo's and Zola's live beside content/, not in it. A folder such
# as "layouts" may hold a curator's articles, so only the underscored names are taken.)
MACHINERY_FOLDERS = frozenset({"_layouts", "_includes", "_data", "_sass", "_site", "_plugins"})
MACHINERY_FILES = frozenset({"_config.yml", "_config.yaml", "_config.toml"})
LIQUID_INPUTS = ("_includes/", "_data/")  # read by Liquid (see liquid.py): not named as unread

# Text formats other generators read as articles, which sitegen cannot: they are not copied
# raw into the site (where their source would be published), but named in a warning.
UNREAD_SUFFIXES = frozenset({".rst", ".adoc", ".asciidoc", ".asc", ".org", ".textile", ".ipynb", ".rmd", ".pandoc"})


def is_article_file(name: str) -> bool:
    """Whether a file with this name is read as an article."""
    return name.lower().endswith(ARTICLE_SUFFIXES)


def is_left_unread(relative: str) -> bool:
    """Whether a file (relative to content/) is neither an article nor copied as an asset."""
    parts = relative.split("/")
    if any(part in MACHINERY_FOLDERS for part in parts[:-1]) or relative in MACHINERY_FILES:
        return True
    return posixpath.splitext(relative)[1].lower() in UNREAD_SUFFIXES


def unread_warning(shown_dir: str, unread: Iterable[str]) -> Problem | None:
    """One warning naming every file left unread, with a count per extension."""
    files = sorted(name for name in unread if not name.startswith(LIQUID_INPUTS))
    if not files:
        return None
    counts = Counter(posixpath.splitext(name)[1].lower() or "(no extension)" for name in files)
    kinds = ", ".join(f"{count} {suffix}" for suffix, count in sorted(counts.items()))
    shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
    noun = "file is" if len(files) == 1 else "files are"
    return Problem(shown_dir, None, f"{len(files)} {noun} neither read as articles nor copied ({kinds}): {shown}")
