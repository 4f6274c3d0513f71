"""RSS and Atom feeds, read with feedparser: each entry's link, title, tags and date."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser  # type: ignore[import-untyped]

from sitegen.importer.leads import ExportProblem, Lead, is_web_url

NOT_A_FEED = "not an RSS or Atom feed"


def _moment(parsed: time.struct_time | None) -> datetime | None:
    # feedparser gives UTC struct_times; timegm reads them as UTC.
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def read_feed(data: bytes, path: Path) -> tuple[Lead, ...]:
    """Every entry with an http(s) link: title, tags (categories) and publication date."""
    # Given bytes, feedparser parses them and never fetches anything itself.
    parsed = feedparser.parse(data)
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise ExportProblem(f"{NOT_A_FEED} ({reason})" if reason else NOT_A_FEED)
    leads: list[Lead] = []
    for entry in parsed.entries:
        url = str(entry.get("link") or "").strip()
        if not is_web_url(url):
            continue
        terms = (str(tag.get("term") or "").strip() for tag in entry.get("tags", ()))
        tags = tuple(term for term in terms if term)
        published = _moment(entry.get("published_parsed") or entry.get("updated_parsed"))
        title = " ".join(str(entry.get("title") or "").split()) or None
        names = (str(a.get("name") or "").strip() for a in entry.get("authors", ()) if isinstance(a, dict))
        authors = tuple(name for name in names if name)
        leads.append(Lead(url=url, title=title, tags=tags, published=published, authors=authors))
    return tuple(leads)
