"""Machine-readable outputs: Atom feeds, the sitemap and robots.txt.

Every value is escaped (saxutils for feeds, whose entries are serialised once and shared;
ElementTree for the sitemap); URLs are absolute from ``base_url``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape, quoteattr

from sitegen.config import Config
from sitegen.model import Article, Moment, moment_to_utc
from sitegen.render.plan import Page

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50


def absolute_url(config: Config, url: str) -> str:
    """A site URL joined to ``base_url``."""
    return config.base_url + url.lstrip("/")


def rfc3339(moment: Moment) -> str:
    """Atom's date format; dates and naive times are taken as UTC."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.isoformat()
    return moment_to_utc(moment).replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


FEED_CATEGORIES = 20  # topics named per entry; an article with thousands must not bloat every feed


def atom_feed(
    config: Config,
    *,
    title: str,
    feed_url: str,
    page_url: str,
    articles: Sequence[Article],
    entries: dict[str, str] | None = None,
) -> bytes:
    """An Atom 1.0 feed of the newest ``FEED_SIZE`` articles (``articles`` newest first).

    ``entries`` caches each article's serialised entry, since one article appears in the
    site feed and in the feed of each of its topics.
    """
    entries = {} if entries is None else entries
    shown = list(articles[:FEED_SIZE])
    newest = max((a.updated or a.date for a in shown), key=moment_to_utc, default=date(1970, 1, 1))
    head = [
        f"<id>{escape(absolute_url(config, feed_url))}</id>",
        f"<title>{escape(title)}</title>",
        f"<subtitle>{escape(config.description)}</subtitle>" if config.description else "",
        f"<updated>{rfc3339(newest)}</updated>",
        f"<author><name>{escape(config.author or config.title)}</name></author>",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(absolute_url(config, feed_url))} />',
        f'<link rel="alternate" type="text/html" href={quoteattr(absolute_url(config, page_url))} />',
        "<generator>sitegen</generator>",
    ]
    body = []
    for article in shown:
        if article.url not in entries:
            entries[article.url] = _entry(config, article)
        body.append(entries[article.url])
    text = f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}">' + "".join(head + body) + "</feed>\n"
    return text.encode("utf-8")


def _entry(config: Config, article: Article) -> str:
    url = absolute_url(config, article.url)
    parts = [
        "<entry>",
        f"<id>{escape(url)}</id>",
        f"<title>{escape(article.title)}</title>",
        f"<published>{rfc3339(article.date)}</published>",
        f"<updated>{rfc3339(article.updated or article.date)}</updated>",
        *(f"<author><name>{escape(name)}</name></author>" for name in article.authors),
        f'<link rel="alternate" type="text/html" href={quoteattr(url)} />',
        f'<link rel="via" href={quoteattr(article.source_url)} />' if article.source_url else "",
        *(f"<category term={quoteattr(topic)} />" for topic in article.topics[:FEED_CATEGORIES]),
        f"<summary>{escape(article.summary)}</summary>" if article.summary else "",
        f'<content type="html">{escape(article.body_html)}</content>',
        "</entry>",
    ]
    return "".join(parts)


def sitemap_xml(config: Config, pages: Sequence[Page]) -> bytes:
    """Every HTML page but the 404, with lastmod where the page's articles give one."""
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for page in pages:
        if page.kind == "404":
            continue
        entry = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(entry, f"{{{SITEMAP}}}loc").text = absolute_url(config, page.url)
        if page.lastmod is not None:
            ET.SubElement(entry, f"{{{SITEMAP}}}lastmod").text = rfc3339(page.lastmod)
    document: bytes = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def robots_txt(config: Config) -> bytes:
    """Allow everything and point crawlers at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config, '/sitemap.xml')}\n".encode()
