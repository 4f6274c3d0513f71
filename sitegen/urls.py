"""The one home of slugs, permalinks, output paths and links between pages."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from urllib.parse import quote

from sitegen.model import Moment

_NOT_WORD = re.compile(r"[\W_]+")
_MAX_SLUG = 120


def slugify(text: str) -> str:
    """Lower-case words joined by '-'; Unicode letters are kept so URLs stay readable."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    slug = _NOT_WORD.sub("-", normal).strip("-")
    if len(slug) > _MAX_SLUG:
        slug = slug[:_MAX_SLUG].rsplit("-", 1)[0] or slug[:_MAX_SLUG]
    return slug


def article_url(pattern: str, published: Moment, slug: str) -> str:
    """The permalink of an article from its date and slug."""
    return pattern.format(
        year=f"{published.year:04d}",
        month=f"{published.month:02d}",
        day=f"{published.day:02d}",
        slug=slug,
    )


def term_url(pattern: str, slug: str) -> str:
    """The permalink of a topic (or other term) page."""
    return pattern.format(slug=slug)


def paged_url(first_url: str, page: int) -> str:
    """The URL of page ``page`` (1-based) of a listing whose first page is ``first_url``."""
    return first_url if page == 1 else f"{first_url}page/{page}/"


def output_file(url: str) -> str:
    """The file, relative to the output folder, that serves ``url``."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


def relative_link(from_url: str, to_url: str, *, explicit_index: bool = False) -> str:
    """A link from one page to another that works under any base path and from file://.

    With ``explicit_index`` a folder link names its ``index.html``, since browsers show a
    folder listing for ``dir/`` under file://.
    """
    from_dir = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    target = to_url
    if explicit_index and target.endswith("/"):
        target += "index.html"
    fragment = ""
    if "#" in target:
        target, fragment = target.split("#", 1)
        fragment = "#" + fragment
    relative = posixpath.relpath(target, from_dir)
    if target.endswith("/") and relative != ".":
        relative += "/"
    if relative == ".":
        relative = "index.html" if explicit_index else "./"
    return quote(relative, safe="/-._~%") + fragment
