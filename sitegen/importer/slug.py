"""File names for imported articles, made from the headline."""

from __future__ import annotations

import re

from sitegen.urls import slugify

MAX_SLUG_LENGTH = 80

# ' - Reuters', ' - ministry', ' - sources': a short name after a spaced dash at the end.
_ATTRIBUTION = re.compile(r"\s+[-–—]\s+(?P<who>[^-–—:?!]+)$")


def strip_attribution(title: str) -> str:
    """The headline without a trailing ' - AGENCY' attribution of at most three words."""
    match = _ATTRIBUTION.search(title)
    if match and len(match.group("who").split()) <= 3 and match.start() > 0:
        return title[: match.start()]
    return title


def title_slug(title: str) -> str:
    """The site's slug of the headline, attribution left out, cut to ~80 characters at a word."""
    slug = slugify(strip_attribution(title))
    if len(slug) <= MAX_SLUG_LENGTH:
        return slug
    cut = slug.rfind("-", 0, MAX_SLUG_LENGTH + 1)
    # A single word longer than the limit is cut mid-word rather than dropped; slugify again
    # keeps 80 letters of four bytes each within the site's byte limit for a file name.
    return slugify(slug[: cut if cut > 0 else MAX_SLUG_LENGTH])
