"""Where an imported page came from: URL keys, digests, and the capture kept beside the article.

The capture as fetched is kept compressed in a hidden `.captures/` folder beside the
article: hidden files are never published, so the raw page (its scripts included) never
reaches the archive's origin. What can be published is a safe copy, cleaned by nh3.
"""

from __future__ import annotations

import gzip
import hashlib
import html
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit, urlunsplit

import nh3
from courlan import normalize_url

CAPTURES_FOLDER = ".captures"


def url_key(url: str) -> str:
    """A URL as duplicates compare: no tracking parameters, fragment, scheme, 'www.' or trailing '/'."""
    parts = urlsplit(without_tracking(url))
    host = (parts.hostname or "").casefold().removeprefix("www.")
    try:
        port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    except ValueError:  # out of range: the URL can never be fetched, but it still has a key
        port = f":{parts.netloc.rpartition(':')[2]}"
    return urlunsplit(("", f"{host}{port}", parts.path.rstrip("/"), parts.query, "")).removeprefix("//")


def without_tracking(url: str) -> str:
    """The URL with tracking parameters (utm_*, fbclid...) and its fragment removed."""
    # courlan's strict mode would drop every parameter it does not know, ids included.
    try:
        normal = normalize_url(url.strip(), strict=False)
    except ValueError:
        normal = url.strip()
    return normal.split("#", 1)[0]


def content_digest(data: bytes) -> str:
    """The digest recorded in front matter: 'sha256:' and the hex digest of the bytes."""
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def raw_capture_path(article: PurePosixPath) -> PurePosixPath:
    """Where the fetched bytes are kept, compressed: '{year}/.captures/{slug}.html.gz'."""
    return article.parent / CAPTURES_FOLDER / f"{article.stem}.html.gz"


def safe_copy_path(article: PurePosixPath) -> PurePosixPath:
    """Where the publishable copy goes: '{year}/{slug}.capture.html', beside the article."""
    return article.parent / f"{article.stem}.capture.html"


def compress(data: bytes) -> bytes:
    """Gzip with no timestamp, so the same capture always gives the same file."""
    return gzip.compress(data, mtime=0)


# No script, no style, no form, no frame can survive nh3; this policy also forbids the
# page from loading anything at all (images included) when it is opened from the archive.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def safe_copy(page: str, url: str, captured: datetime) -> str:
    """The captured page with scripts and active content removed, as a standalone document."""
    body = nh3.clean(
        page,
        link_rel="noopener noreferrer nofollow",
        url_schemes={"http", "https", "mailto"},
        # Dropped with their text: code, styling, and the head's title (the note names the page).
        clean_content_tags={"script", "style", "title", "noscript", "template"},
    )
    when = captured.isoformat()
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>Capture of {html.escape(url)}</title>\n</head>\n<body>\n"
        f'<p class="capture-note">Captured from <a href="{html.escape(url)}" rel="noopener noreferrer nofollow">'
        f'{html.escape(url)}</a> on <time datetime="{when}">{when}</time>; scripts and active content removed.</p>\n'
        "<hr>\n"
        f"{body}\n</body>\n</html>\n"
    )
