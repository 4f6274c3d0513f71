"""The Netscape bookmark file that browsers, Pinboard and Pocket export.

Folders are <H3> headings, each followed by a <DL> of its bookmarks; a bookmark is an
<A HREF> with ADD_DATE (Pocket: time_added) in Unix seconds and TAGS, comma-separated.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from sitegen.importer.leads import ExportProblem, Lead, is_web_url

NOT_BOOKMARKS = (
    "not a bookmarks file (expected the Netscape bookmark format that browsers export:"
    " <!DOCTYPE NETSCAPE-Bookmark-file-1> and <DT><A HREF=... ADD_DATE=...> lines)"
)
# Folders every browser makes; their names say where a bookmark sits, not what it is about.
_ROOT_FOLDERS = frozenset(
    {"bookmarks bar", "bookmarks toolbar", "bookmarks menu", "other bookmarks", "mobile bookmarks"}
    | {"favorites bar", "favourites bar", "unsorted bookmarks", "bookmarks", "unread", "read archive"}
)


def _moment(value: str | None) -> datetime | None:
    if not value or not value.strip().isdigit():
        return None
    seconds = int(value)
    if seconds > 10**11:  # some browsers write microseconds
        seconds //= 1_000_000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


class _BookmarkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.folders: list[str | None] = []  # one per open <DL>
        self.heading: str | None = None  # the last <H3>'s text, waiting for its <DL>
        self.in_heading = False
        self.link: dict[str, str | None] | None = None
        self.title_parts: list[str] = []
        self.leads: list[Lead] = []
        self.description: list[str] | None = None  # a <DD> under the last bookmark, being read
        self.after_link = False  # a <DD> now describes the bookmark just read, not a folder
        self.dated_links = 0  # links with ADD_DATE or time_added: the mark of an export

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("dt", "dl", "h3", "a") or (tag == "dd" and self.description is not None):
            self._end_description()
        if tag == "dd" and self.after_link and self.link is None:
            self.description, self.after_link = [], False
        elif tag == "h3":
            self.in_heading, self.heading, self.after_link = True, "", False
        elif tag == "dl":
            self.folders.append(self.heading)
            self.heading, self.after_link = None, False
        elif tag == "a":
            self.link, self.title_parts = dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("dl", "dd"):
            self._end_description()
        if tag == "h3":
            self.in_heading = False
        elif tag == "dl" and self.folders:
            self.folders.pop()
            self.after_link = False
        elif tag == "a" and self.link is not None:
            self.after_link = self._add(self.link, " ".join("".join(self.title_parts).split()))
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.description is not None:
            self.description.append(data)
        elif self.in_heading:
            self.heading = (self.heading or "") + data
        elif self.link is not None:
            self.title_parts.append(data)

    def _end_description(self) -> None:
        """A bookmark's <DD> is the curator's description of it: it becomes the article's note."""
        if self.description is None:
            return
        text = " ".join("".join(self.description).split())
        self.description = None
        if text and self.leads:
            self.leads[-1] = replace(self.leads[-1], note=text)

    def close(self) -> None:
        super().close()
        self._end_description()

    def _add(self, attrs: dict[str, str | None], title: str) -> bool:
        """Add the bookmark when it is a web page; whether it was added."""
        url = (attrs.get("href") or "").strip()
        saved = _moment(attrs.get("add_date") or attrs.get("time_added"))
        self.dated_links += saved is not None
        if not is_web_url(url):
            return False  # javascript: bookmarklets, place: queries, file: links
        tags = tuple(t.strip() for t in (attrs.get("tags") or "").split(",") if t.strip())
        folder = next((f.strip() for f in reversed(self.folders) if f and f.strip()), None)
        topics = (folder,) if folder and folder.casefold() not in _ROOT_FOLDERS else ()
        self.leads.append(Lead(url=url, title=title or None, tags=tags, topics=topics, saved=saved))
        return True


def read_bookmarks(data: bytes, path: Path) -> tuple[Lead, ...]:
    """Every http(s) bookmark in the file: title, tags, innermost folder, time saved, description."""
    text = data.decode("utf-8", errors="replace")
    parser = _BookmarkParser()
    parser.feed(text)
    parser.close()
    netscape = "netscape-bookmark-file" in text[:2048].casefold()
    if not netscape and parser.dated_links == 0:
        raise ExportProblem(NOT_BOOKMARKS)
    return tuple(parser.leads)
