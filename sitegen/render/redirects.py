"""The page left at an old URL: it sends readers (and search engines) to the article."""

from __future__ import annotations

from html import escape

from sitegen.config import Config
from sitegen.urls import relative_link


def redirect_page(config: Config, old_url: str, article_url: str, title: str, *, offline: bool = False) -> bytes:
    """A meta-refresh page with a canonical link, kept out of search indexes and the sitemap."""
    target = escape(relative_link(old_url, article_url, explicit_index=offline))
    canonical = escape(config.base_url + article_url.lstrip("/"))
    shown = escape(title)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(config.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved: {shown}</title>\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{target}">{shown}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()
