"""Dates as other generators write them, and the dates and slugs in file names."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sitegen.model import Moment

# The date forms read besides ISO 8601, as one pattern of named parts: a date with '-' or
# '/', then optionally a time after 'T' or spaces (the hour may have one digit, the seconds
# a fraction), then optionally a zone: Z, UTC, GMT, +0000, +00:00 or +00.
LENIENT_DATE = re.compile(
    r"""^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})
    (?:(?:T|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?
    \s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$""",
    re.VERBOSE | re.IGNORECASE,
)

# Jekyll's post names: YYYY-MM-DD-slug.ext (Hugo and Zola accept the same prefix).
DATED_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[-_](?P<slug>.+)$")

# File names that stand for their folder: the page of a bundle, or a section's own page.
BUNDLE_PAGE = "index"
SECTION_PAGE = "_index"


def parse_lenient(value: Any) -> Moment | None:
    """A date or datetime from any form in ``LENIENT_DATE`` (quoted or not), or None."""
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str):
        return None
    try:  # ISO 8601 first: most dates are written so, and the C parser is fast
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        pass
    match = LENIENT_DATE.match(value.strip().strip("'\""))
    if match is None:
        return None
    parts = match.groupdict()
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        if parts["hour"] is None:
            return day
        fraction = (parts["fraction"] or "0")[:6].ljust(6, "0")
        moment = datetime(
            day.year, day.month, day.day, int(parts["hour"]), int(parts["minute"]),
            int(parts["second"] or 0), int(fraction), tzinfo=_zone(parts["zone"]),
        )  # fmt: skip
    except ValueError:
        return None
    return moment


def _zone(text: str | None) -> timezone | None:
    if text is None:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone(sign * timedelta(minutes=minutes))


@dataclass(frozen=True)
class NameParts:
    """What a file's path says about its article."""

    date: date | None  # from a YYYY-MM-DD- prefix of the name (or of a bundle's folder)
    slug_source: str  # the name the slug comes from, date prefix dropped
    bundle: str | None  # the bundle folder (relative to content/) when the file is its index
    section: bool  # _index.md: a section's own page, never an article


def name_parts(relative: str) -> NameParts:
    """Date and slug from ``YYYY-MM-DD-slug.ext``; a bundle's ``index.ext`` takes its folder's."""
    folder, name = posixpath.split(relative)
    stem = posixpath.splitext(name)[0]
    bundle = None
    if stem == SECTION_PAGE:
        return NameParts(None, posixpath.basename(folder), None, True)
    if stem == BUNDLE_PAGE:  # content/index.md stands for the archive itself: the home page
        bundle, stem = folder, posixpath.basename(folder) or stem
    match = DATED_NAME.match(stem)
    if match is None:
        return NameParts(None, stem, bundle, False)
    try:
        named = date.fromisoformat(match.group("date"))
    except ValueError:
        return NameParts(None, stem, bundle, False)
    return NameParts(named, match.group("slug"), bundle, False)
