"""Check front-matter fields and turn them into typed values.

Each field has one small checker; every problem in a file is reported, each with the line
of the field it concerns.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sitegen.language import language_problem
from sitegen.model import Caption, Moment
from sitegen.urls import MAX_SLUG_BYTES, full_slug, slugify

KNOWN_FIELDS = (
    "title", "date", "updated", "author", "source", "source_url", "topics", "tags",
    "summary", "slug", "language", "draft", "note", "captions", "captured", "capture", "source_digest",
    "redirected_from", "saved",
)  # fmt: skip
REQUIRED_FIELDS = ("title", "date")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one field; ``key`` locates its line."""

    key: tuple[str | int, ...]
    message: str


@dataclass
class Fields:
    """Typed front-matter values, filled in by the checkers."""

    title: str = ""
    date: Moment | None = None
    updated: Moment | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    source_url: str | None = None
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str | None = None
    slug: str | None = None
    language: str | None = None
    draft: bool = False
    note: str = ""
    captions: tuple[Caption, ...] = ()
    captured: Moment | None = None  # when the page was fetched or saved (sitegen import)
    capture: str | None = None  # a published safe copy of the capture, relative to the article file
    source_digest: str | None = None  # sha256 of the captured bytes the article was made from
    extra: dict[str, Any] = field(default_factory=dict)


def check_fields(data: Mapping[Any, Any]) -> tuple[Fields, list[FieldProblem], list[FieldProblem]]:
    """Validate a front-matter mapping; returns the values, errors and warnings."""
    fields = Fields()
    errors: list[FieldProblem] = []
    warnings: list[FieldProblem] = []
    unknown = [str(key) for key in data if str(key) not in _CHECKERS]
    misspelt: set[str] = set()
    for required in REQUIRED_FIELDS:
        if data.get(required) is None:
            # A misspelling of the missing field is the likely cause: name it, on its line.
            near = [key for key in unknown if key not in misspelt and _near(key, required, cutoff=0.7)]
            if near:
                misspelt.add(near[0])
                errors.append(
                    FieldProblem(
                        (near[0],),
                        f"unknown field '{near[0]}'; did you mean '{required}'? (every article needs a {required})",
                    )
                )
            else:
                errors.append(FieldProblem((), f"'{required}' is missing; every article needs a {required}"))
    for raw_key, value in data.items():
        key = str(raw_key)
        checker = _CHECKERS.get(key)
        if checker is None:
            fields.extra[key] = value
            guess = difflib.get_close_matches(key.lower(), KNOWN_FIELDS, n=1, cutoff=0.75)
            if guess and key not in misspelt:
                warnings.append(FieldProblem((key,), f"unknown field '{key}'; did you mean '{guess[0]}'?"))
        elif value is not None:
            checker(fields, key, value, errors)
    return fields, errors, warnings


def _near(written: str, known: str, cutoff: float) -> bool:
    """Whether ``written`` is probably a misspelling of ``known`` (case aside)."""
    return difflib.SequenceMatcher(None, written.lower(), known).ratio() >= cutoff


_Errors = list[FieldProblem]


def _text(key: str, value: Any, errors: _Errors) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        errors.append(FieldProblem((key,), f"'{key}' must be text; put it in quotes: {key}: \"{value}\""))
    else:
        errors.append(FieldProblem((key,), f"'{key}' must be non-empty text"))
    return None


def _text_list(key: str, value: Any, errors: _Errors, *, allow_single: bool) -> tuple[str, ...]:
    if allow_single and isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        errors.append(FieldProblem((key,), f'\'{key}\' must be a list of names, like {key}: ["First", "Second"]'))
        return ()
    names: list[str] = []
    slugs: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            errors.append(
                FieldProblem((key, index), f"'{key}' must be a list of names; item {index + 1} is {_shown(item)}")
            )
            continue
        slug = slugify(item)
        if not slug:
            errors.append(FieldProblem((key, index), f"'{key}' item {_shown(item)} has no letters or digits"))
        elif slug not in slugs:  # "Energy" and "energy" are one topic
            slugs.add(slug)
            names.append(item.strip())
    return tuple(names)


def _shown(value: Any) -> str:
    """A value as a message shows it: short, and never a walk through a huge structure."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_moment(value: Any) -> Moment | None:
    """An ISO 8601 date or datetime (offset kept), or None when it is not one."""
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _moment(key: str, value: Any, errors: _Errors) -> Moment | None:
    moment = parse_moment(value)
    if moment is None:
        shown = value[:60] if isinstance(value, str) else _shown(value)
        errors.append(
            FieldProblem((key,), f"'{key}' is not a date: \"{shown}\" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)")
        )
    return moment


def _check_title(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.title = _text(key, value, errors) or ""


def _check_date(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.date = _moment(key, value, errors)


def _check_updated(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.updated = _moment(key, value, errors)


def _check_author(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.authors = _text_list(key, value, errors, allow_single=True)


def _check_source(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.source = _text(key, value, errors)
    if fields.source is not None and not slugify(fields.source):
        errors.append(FieldProblem((key,), f"'{key}' {_shown(value)} has no letters or digits"))


def _check_source_url(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    url = _text(key, value, errors)
    if url is None:
        return
    try:
        parts = urlsplit(url)
    except ValueError as error:  # an unclosed IPv6 bracket, a bad port: urlsplit refuses it
        errors.append(FieldProblem((key,), f"'{key}' is not a valid URL ({error}): \"{url}\""))
        return
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors.append(FieldProblem((key,), f"'{key}' must be an http:// or https:// URL, not \"{url}\""))
        return
    fields.source_url = url


def _check_topics(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.topics = _text_list(key, value, errors, allow_single=False)


def _check_tags(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.tags = _text_list(key, value, errors, allow_single=False)


def _check_summary(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.summary = _text(key, value, errors)


def _check_slug(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    text = _text(key, value, errors)
    if text is None:
        return
    slug = full_slug(text)
    if not slug:
        errors.append(FieldProblem((key,), f"'{key}' {_shown(text)} has no letters or digits"))
        return
    size = len(slug.encode())
    if size > MAX_SLUG_BYTES:  # a slug the author chose is theirs to shorten, not ours
        errors.append(
            FieldProblem(
                (key,),
                f"'{key}' is {size} bytes long in UTF-8; a slug may be at most {MAX_SLUG_BYTES} bytes "
                "(it names a folder, and file systems allow 255 bytes in a name)",
            )
        )
        return
    fields.slug = slug


def _check_language(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    text = _text(key, value, errors)
    problem = language_problem(key, text) if text is not None else None
    if problem is not None:
        errors.append(FieldProblem((key,), problem))
        return
    fields.language = text


def _check_draft(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    if not isinstance(value, bool):
        errors.append(FieldProblem((key,), f"'{key}' must be true or false"))
        return
    fields.draft = value


def _check_note(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.note = _text(key, value, errors) or ""


def _check_captions(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    """Captions: text, or {text: ..., image: ...} when the picture itself is kept too."""
    if isinstance(value, str | dict):
        value = [value]
    if not isinstance(value, list):
        errors.append(FieldProblem((key,), f"'{key}' must be a list of captions, like {key}: [\"A crane at dusk\"]"))
        return
    captions: list[Caption] = []
    for index, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            captions.append(Caption(" ".join(item.split())))
            continue
        if isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip():
            image = item.get("image")
            if image is None or (isinstance(image, str) and image.strip()):
                captions.append(Caption(" ".join(item["text"].split()), image.strip() if image else None))
                continue
        errors.append(
            FieldProblem(
                (key, index),
                f"'{key}' item {index + 1} must be text, or text: and image: like {{text: \"...\", image: photo.jpg}}",
            )
        )
    fields.captions = tuple(captions)


def _check_captured(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    fields.captured = _moment(key, value, errors)


def _check_capture(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    text = _text(key, value, errors)
    if text is None:
        return
    if "://" in text or text.startswith("/") or not text.endswith(".html"):
        errors.append(
            FieldProblem((key,), f"'{key}' must name an .html file beside the article, like {key}: page.capture.html")
        )
        return
    fields.capture = text


def _check_source_digest(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    text = _text(key, value, errors)
    if text is not None and not _DIGEST.match(text):
        errors.append(FieldProblem((key,), f"'{key}' must be \"sha256:\" and 64 hex digits, not {_shown(text)}"))
        return
    fields.source_digest = text


def _check_redirected_from(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    """The URLs that redirected to source_url when the page was imported: kept for the record."""
    urls = value if isinstance(value, list) else [value]
    if not all(isinstance(url, str) and urlsplit(url).scheme in ("http", "https") for url in urls):
        errors.append(FieldProblem((key,), f"'{key}' must be a list of http:// or https:// URLs"))


def _check_saved(fields: Fields, key: str, value: Any, errors: _Errors) -> None:
    """When the curator saved the page (a bookmark's or read-later entry's time): kept for the record."""
    _moment(key, value, errors)


_CHECKERS: Mapping[str, Callable[[Fields, str, Any, _Errors], None]] = {
    "title": _check_title,
    "date": _check_date,
    "updated": _check_updated,
    "author": _check_author,
    "source": _check_source,
    "source_url": _check_source_url,
    "topics": _check_topics,
    "tags": _check_tags,
    "summary": _check_summary,
    "slug": _check_slug,
    "language": _check_language,
    "draft": _check_draft,
    "note": _check_note,
    "captions": _check_captions,
    "captured": _check_captured,
    "capture": _check_capture,
    "source_digest": _check_source_digest,
    "redirected_from": _check_redirected_from,
    "saved": _check_saved,
}
