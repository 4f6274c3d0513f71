"""WARC and WACZ web archives, read with warcio: the HTML pages they hold, taken as they are.

A page in an archive is not fetched again: the record's bytes are the capture, and the
record's WARC-Date is its capture time.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from sitegen.importer.fetch import HTML_TYPES, Capture
from sitegen.importer.leads import ExportProblem, Lead, is_web_url

NOT_WARC = "not a WARC or WACZ file"


def _warc_streams(data: bytes) -> Iterator[IO[bytes]]:
    """The WARC files inside: the data itself, or each archive/*.warc[.gz] of a WACZ (a zip)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        yield io.BytesIO(data)
        return
    with zipfile.ZipFile(io.BytesIO(data)) as wacz:
        names = [n for n in wacz.namelist() if n.startswith("archive/") and n.endswith((".warc", ".warc.gz"))]
        if not names:
            raise ExportProblem(f"{NOT_WARC} (a zip file without archive/*.warc.gz, so not a WACZ)")
        for name in sorted(names):
            with wacz.open(name) as member:
                yield io.BytesIO(member.read())


def _record_time(value: str | None) -> datetime:
    try:
        return datetime.fromisoformat((value or "").replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.now(UTC).replace(microsecond=0)


def read_warc(data: bytes, path: Path) -> tuple[Lead, ...]:
    """Each HTML response of status 200 in the archive, with its bytes and capture time."""
    leads: list[Lead] = []
    seen: set[str] = set()
    records = 0
    try:
        for stream in _warc_streams(data):
            for record in ArchiveIterator(stream, arc2warc=True):
                records += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                status = record.http_headers.get_statuscode()
                content_type = record.http_headers.get_header("Content-Type") or ""
                media = content_type.split(";", 1)[0].strip().casefold()
                if status != "200" or media not in HTML_TYPES or not is_web_url(url) or url in seen:
                    continue  # the page's images, scripts and styles; redirects; repeats
                seen.add(url)
                body = record.content_stream().read()
                when = _record_time(record.rec_headers.get_header("WARC-Date"))
                capture = Capture(url, url, (), 200, content_type, body, when)
                leads.append(Lead(url=url, saved=when, capture=capture))
    # warcio meets a malformed header with an AttributeError on the None it parsed.
    except (ArchiveLoadFailed, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, AttributeError) as error:
        raise ExportProblem(f"{NOT_WARC} ({' '.join(str(error).split())[:120]})") from error
    if records == 0:
        raise ExportProblem(f"{NOT_WARC} (no WARC records in it)")
    return tuple(leads)
