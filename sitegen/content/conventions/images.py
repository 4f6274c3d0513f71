"""The lead image other generators name in front matter (image, images, cover)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sitegen.content.markdown import asset_output_name


@dataclass(frozen=True)
class LeadImage:
    """Where the image is served from, and the content file to copy for it (if any)."""

    url: str | None  # from the site root ("/2020/05/x/map.png") or absolute ("https://...")
    asset: str | None  # relative to content/, copied beside the article's page
    missing: str | None = None  # the path named, when no such file is under content/
    target: str | None = None  # the content file looked for (relative to content/)


def resolve_lead_image(image: str, relative: str, article_url: str, content_files: frozenset[str]) -> LeadImage:
    """Resolve ``image`` as Hugo and Jekyll do: a URL as it is; a root-absolute path from the
    site root (where static/ and content/ files are served at their own paths); a relative
    path from the article's folder (the file is copied beside its page)."""
    parts = urlsplit(image)
    if parts.scheme in ("http", "https") and parts.netloc:
        return LeadImage(image, None)
    path = unquote(parts.path)
    if path.startswith("/"):
        return LeadImage(path, None)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), path))
    if target not in content_files:
        return LeadImage(None, None, path, target)
    return LeadImage(article_url + asset_output_name(path), target, None, target)
