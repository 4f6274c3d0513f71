"""Text rules that claim the article's metadata: headline, dates, byline, captions, dateline.

Each rule handles one concern and is tested on its own fixture file in
tests/importer/fixtures/rules/<rule name>.txt.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from sitegen.importer.cleanup_rules import is_copyright_line
from sitegen.importer.draft import Draft, body_start

NO_HEADLINE = "no headline found (expected the first non-empty line to be the title)"
NO_DATE = "no publication date found (expected a line like 'Published 06/15/2023, 08:41 AM')"

_DATE_LINE = re.compile(r"^(?P<kind>published|updated)\b\s*:?\s*(?P<value>.*)$", re.I)
_DATE_FORMATS = (
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y, %I:%M%p",
    "%m/%d/%Y %I:%M%p",
    "%m/%d/%Y, %H:%M",
    "%m/%d/%Y %H:%M",
)
_DATE_ONLY = "%m/%d/%Y"


def parse_page_date(value: str) -> date | None:
    """Read 'MM/DD/YYYY, HH:MM AM' (or a bare date, or ISO 8601); None when unreadable.

    The result carries a time zone only when the text gave one: none is invented.
    """
    text = " ".join(value.split()).rstrip(".")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    try:
        return datetime.strptime(text, _DATE_ONLY).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None


def _is_date_line(line: str) -> bool:
    match = _DATE_LINE.match(line.strip())
    # "Published" must be followed by something date-like, not by a sentence.
    return match is not None and len(match.group("value").split()) <= 6


def take_dates(draft: Draft) -> Draft:
    """Claim the 'Published ...' and 'Updated ...' lines as the article's dates."""
    published, updated = draft.published, draft.updated
    found: set[str] = set()
    problems: list[str] = []
    kept: list[str] = []
    for line in draft.lines:
        match = _DATE_LINE.match(line.strip())
        if match is None or not _is_date_line(line):
            kept.append(line)
            continue
        kind = match.group("kind").casefold()
        if kind in found:  # later repeats belong to related-story widgets
            continue
        found.add(kind)
        value = parse_page_date(match.group("value"))
        if value is None:
            problems.append(f"cannot read the date in {line.strip()!r} (expected MM/DD/YYYY, HH:MM AM/PM)")
        elif kind == "published":
            published = value
        else:
            updated = value
    if published is None and "published" not in found:
        problems.append(NO_DATE)
    return replace(
        draft,
        lines=tuple(kept),
        published=published,
        updated=updated,
        problems=draft.problems + tuple(problems),
    )


_CAPTION = re.compile(r"^(©\s*[^\d\s][^.]{0,60}\.\s+\S|file photo\b)", re.I)
# A caption without the '©' still ends with its credit: '... 2021. REUTERS/Staff Photographer'.
_PHOTO_CREDIT = re.compile(r"\.\s+[A-Z]{2,}/[A-Z][\w.' -]{0,40}$")


def is_caption(line: str) -> bool:
    """A photo caption as pages print it: '© Reuters. FILE PHOTO - Workers inspect ...'."""
    text = line.strip()
    return bool(_CAPTION.match(text) or _PHOTO_CREDIT.search(text)) and not is_copyright_line(text)


def take_captions(draft: Draft) -> Draft:
    """Claim photo captions, each kept once however often the page repeats it."""
    captions = list(draft.captions)
    kept: list[str] = []
    for line in draft.lines:
        text = line.strip()
        if text in draft.captions:  # a caption the HTML extractor already found
            continue
        if not is_caption(text):
            kept.append(line)
        elif text not in captions:
            captions.append(text)
    return replace(draft, lines=tuple(kept), captions=tuple(captions))


_BYLINE = re.compile(r"^by\s+(?P<names>\S.*)$", re.I)
_NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*;\s*")
_NAME_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "das", "dos", "du", "di", "la", "le", "al"}
    | {"bin", "ibn", "el", "ter", "del", "y"}
)


def split_names(names: str) -> tuple[str, ...]:
    """'A', 'A and B', 'A, B and C', 'A; B' -> each name."""
    return tuple(name.strip() for name in _NAME_SEPARATORS.split(names) if name.strip())


def _is_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 5 and all(word[0].isupper() or word.casefold() in _NAME_PARTICLES for word in words)


def byline_names(line: str) -> tuple[str, ...]:
    """The authors of a 'By A, B and C' line; () when the line is not a byline."""
    match = _BYLINE.match(line.strip())
    if not match:
        return ()
    names = split_names(match.group("names"))
    # "By contrast, the ministry said ..." starts like a byline but names nobody.
    return names if names and all(_is_name(name) for name in names) else ()


def take_byline(draft: Draft) -> Draft:
    """Claim the byline above the article text as the list of authors."""
    for index, line in enumerate(draft.lines):
        if not line.strip() or _is_date_line(line) or is_caption(line):
            continue
        names = byline_names(line)
        if not names:
            return draft  # the byline only counts above the first paragraph
        lines = draft.lines[:index] + draft.lines[index + 1 :]
        return replace(draft, lines=lines, authors=names)
    return draft


_DATELINE = re.compile(r"^(?P<place>[^()]{0,80}?)\s*\((?P<agency>[A-Za-z][^()]{0,40})\)\s*[-–—]+\s*(?P<rest>\S.*)$")


def split_dateline(paragraph: str) -> tuple[str, str, str] | None:
    """'SEOUL (Reuters) -Text' -> ('SEOUL', 'Reuters', 'Text'); None without a dateline."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    place = match.group("place").strip()
    # The place is printed in capitals ('SEOUL', 'TOKYO, March 4'); that tells a
    # dateline from a sentence that merely contains brackets and a dash.
    city = place.split(",")[0]
    if place and not (city.isupper() and len(city.split()) <= 4):
        return None
    return place, match.group("agency").strip(), match.group("rest")


def normalise_dateline(draft: Draft) -> Draft:
    """Space the first paragraph's dateline as 'SEOUL (Reuters) - ' and name the source."""
    start = body_start(draft.lines)
    if start == len(draft.lines):
        return draft
    parts = split_dateline(draft.lines[start])
    if parts is None:
        return draft
    place, agency, rest = parts
    first = f"{place} ({agency}) - {rest}" if place else f"({agency}) - {rest}"
    lines = (*draft.lines[:start], first, *draft.lines[start + 1 :])
    return replace(draft, lines=lines, source=agency)


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _could_be_headline(line: str) -> bool:
    return not (
        _is_date_line(line) or byline_names(line) or is_caption(line) or split_dateline(line) or len(line.split()) > 30
    )


def take_headline(draft: Draft) -> Draft:
    """Claim the first line as the headline (unless one is known) and drop its repeats."""
    title = draft.title
    problems: tuple[str, ...] = ()
    lines = draft.lines
    if title is None:
        start = body_start(lines)
        if start < len(lines) and _could_be_headline(lines[start]):
            title = lines[start].strip()
            lines = lines[start + 1 :]
        else:
            problems = (NO_HEADLINE,)
    if title is not None:
        # Saved pages often print the headline twice (page title and article heading).
        lines = tuple(line for line in lines if _normalised(line) != _normalised(title))
    return replace(draft, title=title, lines=lines, problems=draft.problems + problems)
