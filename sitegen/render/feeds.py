"""Machine-readable outputs: Atom feeds, the sitemap and robots.txt.

Built with ElementTree so every value is escaped; URLs are absolute from ``base_url``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, date, datetime

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


def atom_feed(config: Config, *, title: str, feed_url: str, page_url: str, articles: Sequence[Article]) -> bytes:
    """An Atom 1.0 feed of the newest ``FEED_SIZE`` articles (``articles`` newest first)."""
    ET.register_namespace("", ATOM)
    entries = list(articles[:FEED_SIZE])
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", absolute_url(config, feed_url))
    _text(feed, "title", title)
    if config.description:
        _text(feed, "subtitle", config.description)
    newest = max((a.updated or a.date for a in entries), key=moment_to_utc, default=date(1970, 1, 1))
    _text(feed, "updated", rfc3339(newest))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", config.author or config.title)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=absolute_url(config, feed_url))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=absolute_url(config, page_url))
    _text(feed, "generator", "sitegen")
    for article in entries:
        feed.append(_entry(config, article))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(config: Config, article: Article) -> ET.Element:
    entry = ET.Element(f"{{{ATOM}}}entry")
    _text(entry, "id", absolute_url(config, article.url))
    _text(entry, "title", article.title)
    _text(entry, "published", rfc3339(article.date))
    _text(entry, "updated", rfc3339(article.updated or article.date))
    for name in article.authors:
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", name)
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=absolute_url(config, article.url))
    if article.source_url:
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="via", href=article.source_url)
    for topic in article.topics:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=topic)
    if article.summary:
        _text(entry, "summary", article.summary)
    content = _text(entry, "content", article.body_html)
    content.set("type", "html")
    return entry


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element


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
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(config: Config) -> bytes:
    """Allow everything and point crawlers at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config, '/sitemap.xml')}\n".encode()
