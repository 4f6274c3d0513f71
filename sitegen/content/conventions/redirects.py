"""Old URLs that must keep working: Hugo's ``aliases``, Jekyll's ``redirect_from``, and a
``permalink`` or ``url`` that differs from sitegen's. Each becomes a redirect page."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

from sitegen.model import Moment
from sitegen.urls import slugify

# Fields naming old URLs, and how a relative one is read: Hugo resolves it from the page's
# folder (content/posts/a.md with alias "a-old" -> /posts/a-old/); the others are site paths.
REDIRECT_FIELDS: Mapping[str, str] = {
    "aliases": "page-relative",  # Hugo, Zola
    "redirect_from": "site",  # jekyll-redirect-from
    "permalink": "site",  # Jekyll: this page's URL there
    "url": "site",  # Hugo, Pelican: this page's URL there
    "path": "site",  # Zola: this page's URL there
}

# Jekyll's permalink placeholders, filled from the article (a permalink that uses others is left out).
_PLACEHOLDER = re.compile(r":(year|month|day|i_month|i_day|short_year|title|slug|categories|output_ext)\b")


def old_urls(
    data: Mapping[str, Any], relative: str, published: Moment, slug: str, topics: tuple[str, ...]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The site-root URLs this article was reachable at, and (field, warning) for any unusable."""
    found: list[str] = []
    notes: list[tuple[str, str]] = []
    folder = posixpath.dirname(relative)
    if posixpath.splitext(posixpath.basename(relative))[0] == "index":
        folder = posixpath.dirname(folder)  # a bundle's page sits where its folder does
    for key, reading in REDIRECT_FIELDS.items():
        value = data.get(key)
        if value is None:
            continue
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            notes.append((key, f"'{key}' must be a path or a list of paths; no redirect made"))
            continue
        for item in items:
            if "://" in item:
                continue  # another site's address: nothing to serve here
            path = _fill(item.strip(), published, slug, topics)
            if path is None:
                notes.append((key, f"'{key}' {item!r} uses a placeholder sitegen cannot fill; no redirect made"))
                continue
            base = "/" if path.startswith("/") or reading == "site" else f"/{folder}/"
            url = posixpath.normpath(posixpath.join(base, path))
            if not url.endswith(".html"):
                url = url.rstrip("/") + "/"
            if url == "/":
                notes.append((key, f"'{key}' {item!r} is the home page; no redirect made"))
            elif url not in found:
                found.append(url)
    return found, notes


def _fill(pattern: str, published: Moment, slug: str, topics: tuple[str, ...]) -> str | None:
    if ":" not in pattern:
        return pattern
    values = {
        "year": f"{published.year:04d}", "month": f"{published.month:02d}", "day": f"{published.day:02d}",
        "i_month": str(published.month), "i_day": str(published.day), "short_year": f"{published.year % 100:02d}",
        "title": slug, "slug": slug, "categories": "/".join(slugify(t) for t in topics), "output_ext": ".html",
    }  # fmt: skip
    filled = _PLACEHOLDER.sub(lambda match: values[match.group(1)], pattern)
    return None if re.search(r":[a-z_]+", filled) else filled.replace("//", "/")


# Jekyll's named permalink styles; "date" is its default for posts.
JEKYLL_STYLES: Mapping[str, str] = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "none": "/:categories/:title:output_ext",
}


def jekyll_post_permalink(config_text: str | None) -> str:
    """The permalink of Jekyll's posts, from the text of its ``_config.yml`` (None: no file)."""
    match = re.search(r"^permalink:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(?:#.*)?$", config_text or "", re.MULTILINE)
    style = match.group(1).strip() if match else "date"
    return JEKYLL_STYLES.get(style, style)
