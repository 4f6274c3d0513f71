"""Readers for the exports curators collect pages in; each yields leads, or an ExportProblem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sitegen.importer.exports.bookmarks import read_bookmarks
from sitegen.importer.exports.feed import read_feed
from sitegen.importer.exports.readlater import read_instapaper, read_wallabag
from sitegen.importer.exports.warc import read_warc
from sitegen.importer.leads import Lead

# `--from KIND`: each reader takes the file's bytes and its path (for messages and WACZ).
READERS: dict[str, Callable[[bytes, Path], tuple[Lead, ...]]] = {
    "bookmarks": read_bookmarks,
    "feed": read_feed,
    "instapaper": read_instapaper,
    "wallabag": read_wallabag,
    "warc": read_warc,
}
