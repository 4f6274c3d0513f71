"""Read-later exports: Instapaper's CSV and Wallabag's JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitegen.importer.leads import ExportProblem, Lead, is_web_url

INSTAPAPER_COLUMNS = ("URL", "Title", "Selection", "Folder", "Timestamp")
NOT_INSTAPAPER = "not an Instapaper export (expected a CSV file with the columns URL,Title,Selection,Folder,Timestamp)"
NOT_WALLABAG = "not a Wallabag export (expected a JSON list of entries with 'url' and 'title')"
# Instapaper's own places, not folders the curator made.
_INSTAPAPER_PLACES = frozenset({"unread", "archive", "starred"})


def _unix(value: str | None) -> datetime | None:
    text = (value or "").strip()
    return datetime.fromtimestamp(int(text), UTC) if text.isdigit() else None


def _instapaper_tags(value: str | None) -> tuple[str, ...]:
    """Newer exports hold tags as a JSON list ('["a", "b"]'); older ones have none."""
    text = (value or "").strip()
    if not text:
        return ()
    try:
        found = json.loads(text)
    except json.JSONDecodeError:
        found = text.split(",")
    return tuple(str(tag).strip() for tag in found if str(tag).strip()) if isinstance(found, list) else ()


def read_instapaper(data: bytes, path: Path) -> tuple[Lead, ...]:
    """Instapaper's CSV: URL, title, folder (-> topic), tags and the time saved."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportProblem(f"{NOT_INSTAPAPER}; it is not UTF-8 text") from error
    try:
        return _instapaper_leads(csv.DictReader(io.StringIO(text)))
    except csv.Error as error:
        raise ExportProblem(f"{NOT_INSTAPAPER}; the CSV is broken ({error})") from error


def _instapaper_leads(rows: csv.DictReader[str]) -> tuple[Lead, ...]:
    if rows.fieldnames is None or not set(INSTAPAPER_COLUMNS) <= set(rows.fieldnames):
        raise ExportProblem(NOT_INSTAPAPER)
    leads: list[Lead] = []
    for row in rows:
        url = (row.get("URL") or "").strip()
        if not is_web_url(url):
            continue
        folder = (row.get("Folder") or "").strip()
        topics = (folder,) if folder and folder.casefold() not in _INSTAPAPER_PLACES else ()
        title = " ".join((row.get("Title") or "").split()) or None
        leads.append(Lead(url, title, _instapaper_tags(row.get("Tags")), topics, saved=_unix(row.get("Timestamp"))))
    return tuple(leads)


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _wallabag_tags(value: Any) -> tuple[str, ...]:
    # Exports write tags as names; the API gives {"label": ...} objects. Take either.
    tags = [tag.get("label") if isinstance(tag, dict) else tag for tag in value] if isinstance(value, list) else []
    return tuple(tag.strip() for tag in tags if isinstance(tag, str) and tag.strip())


def read_wallabag(data: bytes, path: Path) -> tuple[Lead, ...]:
    """Wallabag's JSON export: URL, title, tags, when it was saved and published, and by whom."""
    try:
        entries = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ExportProblem(f"{NOT_WALLABAG}; it is not JSON ({error})") from error
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "url" in e for e in entries):
        raise ExportProblem(NOT_WALLABAG)
    leads: list[Lead] = []
    for entry in entries:
        url = str(entry.get("url") or "").strip()
        if not is_web_url(url):
            continue
        title = " ".join(str(entry.get("title") or "").split()) or None
        by = entry.get("published_by")
        authors = (
            tuple(name.strip() for name in by if isinstance(name, str) and name.strip()) if isinstance(by, list) else ()
        )
        leads.append(
            Lead(
                url,
                title,
                _wallabag_tags(entry.get("tags")),
                saved=_iso(entry.get("created_at")),
                published=_iso(entry.get("published_at")),
                authors=authors,
            )
        )
    return tuple(leads)
