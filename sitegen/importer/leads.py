"""What a collection knows about a page before it is fetched: a lead to follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sitegen.errors import Problem, SitegenError
from sitegen.importer.fetch import Capture


@dataclass(frozen=True)
class Lead:
    """A URL to import, with whatever its export knew about it."""

    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # from the folder it was filed in
    saved: datetime | None = None  # when the curator saved it
    published: datetime | None = None  # when a feed says the item was published
    capture: Capture | None = None  # the page itself, when the export holds it (WARC/WACZ)
    authors: tuple[str, ...] = ()  # as a feed or read-later service names them
    note: str | None = None  # the curator's own description of the bookmark (Pinboard, Delicious)


class ExportProblem(SitegenError):
    """A whole export file cannot be read; `message` names the file's flaw."""

    def __init__(self, message: str) -> None:
        super().__init__([Problem("", None, message)])
        self.message = message

    def __str__(self) -> str:
        return self.message


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def url_list(text: str) -> tuple[tuple[Lead, ...], tuple[str, ...]]:
    """URLs one a line ('#' comments and blank lines skipped); the lines that are not URLs apart."""
    leads: list[Lead] = []
    bad: list[str] = []
    for line in text.splitlines():
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        (leads.append(Lead(url)) if is_web_url(url) else bad.append(url))
    return tuple(leads), tuple(bad)
