"""Data for machines and reference managers: JSON Feed, the catalog (JSON and CSV), and the
citation files (BibTeX, RIS, CSL-JSON) of each article and of each topic, source, author and tag.

Each article's entries are made once and shared by every file that lists the article.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sitegen.citations import absolute, bibtex_entry, csl_item, csl_json_entry, csl_json_file, export_url, ris_entry
from sitegen.config import Config
from sitegen.model import Article, Moment
from sitegen.render.feeds import FEED_SIZE, rfc3339

JSON_FEED_URL = "/feed.json"
CATALOG_JSON_URL = "/catalog.json"
CATALOG_CSV_URL = "/catalog.csv"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

# The catalog's columns, in order: every front-matter field, then what the build adds.
CATALOG_FIELDS = (
    "url", "title", "date", "updated", "authors", "source", "source_url", "topics", "tags",
    "summary", "slug", "language", "draft", "note_html", "extra", "word_count", "reading_minutes", "path",
)  # fmt: skip


@dataclass
class Entries:
    """Each article's citation entries, made on first use (one article is in many files)."""

    config: Config
    _items: dict[str, dict[str, Any]] = field(default_factory=dict)
    _bibtex: dict[str, str] = field(default_factory=dict)
    _ris: dict[str, str] = field(default_factory=dict)
    _json: dict[str, str] = field(default_factory=dict)

    def item(self, article: Article) -> dict[str, Any]:
        """The article's CSL-JSON item."""
        item = self._items.get(article.url)
        if item is None:
            item = self._items[article.url] = csl_item(self.config, article)
        return item

    def files(self, articles: Sequence[Article]) -> dict[str, bytes]:
        """The three citation files of these articles, by suffix."""
        bib, ris, items = [], [], []
        for article in articles:
            if article.url not in self._bibtex:
                item = self.item(article)
                self._bibtex[article.url] = bibtex_entry(item)
                self._ris[article.url] = ris_entry(item)
                self._json[article.url] = csl_json_entry(item)
            bib.append(self._bibtex[article.url])
            ris.append(self._ris[article.url])
            items.append(self._json[article.url])
        return {
            "bib": "\n".join(bib).encode("utf-8"),
            "ris": "".join(ris).encode("utf-8"),
            "json": csl_json_file(items),
        }


def citation_files(entries: Entries, page_url: str, slug: str, articles: Sequence[Article]) -> dict[str, bytes]:
    """The citation files of a page (an article's or a term's), by their URLs."""
    return {export_url(page_url, slug, suffix): data for suffix, data in entries.files(articles).items()}


def _moment(moment: Moment | None) -> str | None:
    if moment is None:
        return None
    return rfc3339(moment) if isinstance(moment, datetime) else moment.isoformat()


def json_feed(config: Config, articles: Sequence[Article]) -> bytes:
    """A JSON Feed 1.1 of the newest articles, as the Atom feed has them."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": config.title,
        "home_page_url": absolute(config, "/"),
        "feed_url": absolute(config, JSON_FEED_URL),
        "language": config.language,
    }
    if config.description:
        feed["description"] = config.description
    if config.author:
        feed["authors"] = [{"name": config.author}]
    items = []
    for article in articles[:FEED_SIZE]:
        item: dict[str, Any] = {
            "id": absolute(config, article.url),
            "url": absolute(config, article.url),
            "title": article.title,
            "content_html": article.body_html,
            "date_published": rfc3339(article.date),
            "language": article.language,
        }
        if article.source_url:
            item["external_url"] = article.source_url
        if article.summary:
            item["summary"] = article.summary
        if article.updated is not None:
            item["date_modified"] = rfc3339(article.updated)
        if article.authors:
            item["authors"] = [{"name": name} for name in article.authors]
        if article.topics or article.tags:
            item["tags"] = [*article.topics, *article.tags]
        items.append(item)
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def catalog_record(config: Config, article: Article) -> dict[str, Any]:
    """One article as the catalog lists it."""
    return {
        "url": absolute(config, article.url),
        "title": article.title,
        "date": _moment(article.date),
        "updated": _moment(article.updated),
        "authors": list(article.authors),
        "source": article.source,
        "source_url": article.source_url,
        "topics": list(article.topics),
        "tags": list(article.tags),
        "summary": article.summary,
        "slug": article.slug,
        "language": article.language,
        "draft": article.draft,
        "note_html": article.note_html,
        "extra": _plain(article.extra),
        "word_count": article.word_count,
        "reading_minutes": article.reading_minutes,
        "path": f"content/{article.path}",
    }


def _plain(value: Any) -> Any:
    """Front-matter values as JSON has them: YAML also gives dates, binary data and sets."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=repr)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity
    return value


_JSON_LINE = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps makes one a call


def catalog_json(records: Sequence[Mapping[str, Any]]) -> bytes:
    """Every article's record, newest first, one record a line.

    A line per record keeps diffs of the file to the articles that changed, lets json use
    its C encoder (with ``indent`` it falls back to Python's, a second per 10,000 articles)
    and lets a build after an edit replace just the edited articles' lines (``patch_catalog``).
    """
    lines = list(map(_JSON_LINE, records))
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8") if lines else b"[]\n"


def catalog_csv(records: Sequence[Mapping[str, Any]]) -> bytes:
    """The catalog as CSV: lists joined with "; ", extra fields as JSON, a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CATALOG_FIELDS)
    writer.writerows(map(_csv_cells, records))
    return out.getvalue().encode("utf-8")


def _csv_cells(record: Mapping[str, Any]) -> list[str]:
    row = []
    for key in CATALOG_FIELDS:
        value = record[key]
        if key == "extra":
            row.append(json.dumps(value, ensure_ascii=False, sort_keys=True) if value else "")
        elif isinstance(value, list):
            row.append("; ".join(value))
        elif value is None:
            row.append("")
        elif isinstance(value, bool):
            row.append("true" if value else "false")
        else:
            row.append(str(value))
    return row


def patch_catalog(
    json_before: bytes, csv_before: bytes, count: int, changed: Mapping[int, Mapping[str, Any]]
) -> tuple[bytes, bytes] | None:
    """The catalog files ``catalog_json`` and ``catalog_csv`` made for ``count`` records, with
    the records at the places in ``changed`` replaced: the bytes a full catalog would have.

    None when the files are not ``count`` records a line each (a CSV field holding a line
    break spans lines, for one): then only the full catalog will do.
    """
    try:
        json_lines = json_before.decode("utf-8").split("\n")
        csv_rows = csv_before.decode("utf-8").split("\r\n")
    except UnicodeDecodeError:
        return None
    if count == 0 or len(json_lines) != count + 3 or (json_lines[0], json_lines[-2], json_lines[-1]) != ("[", "]", ""):
        return None
    if len(csv_rows) != count + 2 or csv_rows[-1] != "":
        return None
    row = io.StringIO()
    writer = csv.writer(row, lineterminator="")
    for place, record in changed.items():
        json_lines[place + 1] = _JSON_LINE(record) + ("," if place < count - 1 else "")
        row.seek(0)
        row.truncate()
        writer.writerow(_csv_cells(record))
        csv_rows[place + 1] = row.getvalue()
    return "\n".join(json_lines).encode("utf-8"), "\r\n".join(csv_rows).encode("utf-8")
