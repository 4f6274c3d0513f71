"""--from bookmarks|feed|instapaper|wallabag|warc: each export's leads, then the same import."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import Run
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitegen.importer.exports import read_bookmarks, read_instapaper, read_wallabag, read_warc
from sitegen.importer.leads import ExportProblem, Lead

from .conftest import Article
from .web_server import WEB, Reply, WebServer, page

FAST = ("--delay", "0", "--timeout", "5")
HARBOUR = "content/2024/harbour-board-doubles-night-tolls-for-cruise-ships.md"
LIGHTHOUSE = "content/2024/volunteers-repaint-the-kestrel-point-lighthouse.md"


def _bookmarks(web: WebServer) -> str:
    # As browsers write it: unclosed <DT> and <p>, folders as <H3> followed by their <DL>.
    return f"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE="1700000000" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks bar</H3>
    <DL><p>
        <DT><H3 ADD_DATE="1700000001">Ports</H3>
        <DD>Folder notes are not a bookmark's
        <DL><p>
            <DT><A HREF="{web.url("/harbour")}" ADD_DATE="1718090000" TAGS="cruise,noise">Night tolls</A>
            <DD>Compare with the *2019* toll &amp; the ferry fares.
            <DT><A HREF="javascript:alert('bookmarklet')" ADD_DATE="1718090001">Bookmarklet</A>
        </DL><p>
    </DL><p>
    <DT><H3 ADD_DATE="1700000002">Heritage</H3>
    <DL><p>
        <DT><H3 ADD_DATE="1700000003">Lighthouses</H3>
        <DL><p>
            <DT><A HREF="{web.url("/lighthouse")}" ADD_DATE="1717243200">Kestrel Point &amp; its paint</A>
        </DL><p>
    </DL><p>
</DL><p>
"""


def test_bookmarks_reader_takes_folders_tags_and_times(web: WebServer) -> None:
    leads = read_bookmarks(_bookmarks(web).encode(), Path("bookmarks.html"))
    assert leads == (
        Lead(
            web.url("/harbour"),
            "Night tolls",
            ("cruise", "noise"),
            ("Ports",),
            datetime(2024, 6, 11, 7, 13, 20, tzinfo=UTC),
            note="Compare with the *2019* toll & the ferry fares.",
        ),
        Lead(
            web.url("/lighthouse"),
            "Kestrel Point & its paint",
            (),
            ("Lighthouses",),
            datetime(2024, 6, 1, 12, tzinfo=UTC),
        ),
    )


def test_pocket_export_is_read_as_bookmarks() -> None:
    pocket = (
        "<!DOCTYPE html>\n<html><head><title>Pocket Export</title></head><body>\n<h1>Unread</h1>\n<ul>\n"
        '<li><a href="https://news.example/tides" time_added="1718090000" tags="coast">Tides</a></li>\n</ul>\n'
    )
    leads = read_bookmarks(pocket.encode(), Path("ril_export.html"))
    assert leads == (
        Lead("https://news.example/tides", "Tides", ("coast",), (), datetime(2024, 6, 11, 7, 13, 20, tzinfo=UTC)),
    )


def test_a_page_that_is_not_a_bookmarks_file_is_refused() -> None:
    with pytest.raises(ExportProblem) as raised:
        read_bookmarks((WEB / "harbour-tolls.html").read_bytes(), Path("page.html"))
    assert str(raised.value) == (
        "not a bookmarks file (expected the Netscape bookmark format that browsers export:"
        " <!DOCTYPE NETSCAPE-Bookmark-file-1> and <DT><A HREF=... ADD_DATE=...> lines)"
    )


def test_import_from_bookmarks(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run], read_article: Callable[[str], Article]
) -> None:
    web.routes.update({"/harbour": page("harbour-tolls.html"), "/lighthouse": page("undated-lighthouse.html")})
    (tmp_path / "bookmarks.html").write_text(_bookmarks(web), encoding="utf-8")
    run = sitegen("import", "--from", "bookmarks", "bookmarks.html", *FAST, cwd=tmp_path)

    assert run.code == 0, run.err
    assert run.err == (
        f"warning: {web.url('/lighthouse')}: no publication date on the page; dated 2024-06-01, when it was saved\n"
    )
    harbour, _ = read_article((tmp_path / HARBOUR).read_text())
    assert (harbour["topics"], harbour["tags"]) == (["Ports"], ["cruise", "noise"])
    assert harbour["saved"] == datetime(2024, 6, 11, 7, 13, 20, tzinfo=UTC)
    # The curator's own description of the bookmark is the curator's note (escaped Markdown).
    assert harbour["note"] == "Compare with the \\*2019\\* toll & the ferry fares."
    lighthouse, _ = read_article((tmp_path / LIGHTHOUSE).read_text())
    assert (lighthouse["date"], lighthouse["topics"]) == (date(2024, 6, 1), ["Lighthouses"])
    assert "tags" not in lighthouse


def test_a_bookmarks_file_that_is_not_one_fails_alone(tmp_path: Path, sitegen: Callable[..., Run]) -> None:
    (tmp_path / "notes.html").write_text("<html><body><p>My reading list</p></body></html>")
    run = sitegen("import", "--from", "bookmarks", "notes.html", "missing.html", *FAST, cwd=tmp_path)
    assert run.code == 1
    assert run.err.splitlines() == [
        "notes.html: not a bookmarks file (expected the Netscape bookmark format that browsers export:"
        " <!DOCTYPE NETSCAPE-Bookmark-file-1> and <DT><A HREF=... ADD_DATE=...> lines)",
        "missing.html: cannot read the file (No such file or directory)",
        "0 articles imported; 2 failed",
    ]
    assert not (tmp_path / "content").exists()


def _rss(web: WebServer) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Coast desk</title><link>{web.url("/")}</link><description>Coastal news</description>
<item><title>Lighthouse repainted</title><link>{web.url("/lighthouse")}</link>
<dc:creator>Mara Quill</dc:creator>
<category>Heritage</category><category>Volunteers</category><pubDate>Sat, 01 Jun 2024 09:00:00 +0000</pubDate></item>
<item><title>Early ferry</title><link>{web.url("/ferry")}</link>
<pubDate>Tue, 02 Apr 2024 06:00:00 +0000</pubDate></item>
</channel></rss>
"""


def test_import_from_a_feed_file_and_a_feed_url(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run], read_article: Callable[[str], Article]
) -> None:
    web.routes.update({"/lighthouse": page("undated-lighthouse.html"), "/ferry": page("ferry-timetable.html")})
    web.routes["/feed.xml"] = Reply(200, _rss(web).encode(), (("Content-Type", "application/rss+xml"),))
    (tmp_path / "feed.xml").write_text(_rss(web), encoding="utf-8")
    run = sitegen("import", "--from", "feed", "feed.xml", *FAST, cwd=tmp_path)

    assert run.code == 0, run.err
    lighthouse, _ = read_article((tmp_path / LIGHTHOUSE).read_text())
    assert (lighthouse["date"], lighthouse["tags"]) == (date(2024, 6, 1), ["Heritage", "Volunteers"])
    assert "dated 2024-06-01, as the export gives it" in run.err
    assert lighthouse["author"] == ["Mara Quill"]  # the page names no author; the feed does
    # The same feed from its URL: every page is already imported, so nothing is fetched again.
    again = sitegen("import", "--from", "feed", web.url("/feed.xml"), *FAST, cwd=tmp_path)
    assert again.code == 0, again.err
    assert (web.hits["/feed.xml"], web.hits["/lighthouse"], web.hits["/ferry"]) == (1, 1, 1)
    assert again.out == ""


def test_a_file_that_is_not_a_feed(tmp_path: Path, sitegen: Callable[..., Run]) -> None:
    (tmp_path / "feed.xml").write_text("just some words\n")
    run = sitegen("import", "--from", "feed", "feed.xml", *FAST, cwd=tmp_path)
    assert run.code == 1
    assert run.err.splitlines()[0].startswith("feed.xml: not an RSS or Atom feed")


def test_instapaper_and_wallabag_exports(web: WebServer) -> None:
    csv_text = (
        "URL,Title,Selection,Folder,Timestamp,Tags\n"
        f'{web.url("/harbour")},"Night tolls, doubled",,Ports,1718090000,"[""cruise""]"\n'
        f"{web.url('/ferry')},Early ferry,,Unread,1712037600,\n"
    )
    assert read_instapaper(csv_text.encode(), Path("instapaper-export.csv")) == (
        Lead(
            web.url("/harbour"),
            "Night tolls, doubled",
            ("cruise",),
            ("Ports",),
            datetime(2024, 6, 11, 7, 13, 20, tzinfo=UTC),
        ),
        Lead(web.url("/ferry"), "Early ferry", (), (), datetime(2024, 4, 2, 6, 0, tzinfo=UTC)),
    )
    entries = [
        {
            "id": 12,
            "title": "Night tolls",
            "url": web.url("/harbour"),
            "is_archived": 1,
            "created_at": "2024-06-11T09:13:20+02:00",
            "tags": ["cruise", "noise"],
            "published_at": "2024-06-11T07:30:00+02:00",
            "published_by": ["Ines Varga"],
            "content": "<p>a copy the export holds</p>",
        },
        {"id": 13, "title": "Not a web page", "url": "wallabag://internal", "tags": []},
    ]
    assert read_wallabag(json.dumps(entries).encode(), Path("wallabag.json")) == (
        Lead(
            web.url("/harbour"),
            "Night tolls",
            ("cruise", "noise"),
            saved=datetime(2024, 6, 11, 7, 13, 20, tzinfo=UTC),
            published=datetime(2024, 6, 11, 5, 30, tzinfo=UTC),
            authors=("Ines Varga",),
        ),
    )


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (
            "instapaper",
            b"Name,Link\nx,y\n",
            "export.txt: not an Instapaper export"
            " (expected a CSV file with the columns URL,Title,Selection,Folder,Timestamp)",
        ),
        (
            "wallabag",
            b'{"url": "x"}',
            "export.txt: not a Wallabag export (expected a JSON list of entries with 'url' and 'title')",
        ),
    ],
)
def test_exports_of_the_wrong_shape(
    kind: str, data: bytes, message: str, tmp_path: Path, sitegen: Callable[..., Run]
) -> None:
    (tmp_path / "export.txt").write_bytes(data)
    run = sitegen("import", "--from", kind, "export.txt", *FAST, cwd=tmp_path)
    assert (run.code, run.err.splitlines()) == (1, [message, "0 articles imported; 1 failed"])


def test_import_from_instapaper_and_wallabag(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run], read_article: Callable[[str], Article]
) -> None:
    web.routes.update({"/harbour": page("harbour-tolls.html"), "/lighthouse": page("undated-lighthouse.html")})
    (tmp_path / "export.csv").write_text(
        f"URL,Title,Selection,Folder,Timestamp\n{web.url('/lighthouse')},Lighthouse,,Heritage,1717243200\n"
    )
    (tmp_path / "wallabag.json").write_text(
        json.dumps(
            [
                {
                    "title": "Tolls",
                    "url": web.url("/harbour"),
                    "tags": ["cruise"],
                    "created_at": "2024-06-12T10:00:00+00:00",
                }
            ]
        )
    )
    assert sitegen("import", "--from", "instapaper", "export.csv", *FAST, cwd=tmp_path).code == 0
    assert sitegen("import", "--from", "wallabag", "wallabag.json", *FAST, cwd=tmp_path).code == 0
    lighthouse, _ = read_article((tmp_path / LIGHTHOUSE).read_text())
    assert (lighthouse["date"], lighthouse["topics"]) == (date(2024, 6, 1), ["Heritage"])
    harbour, _ = read_article((tmp_path / HARBOUR).read_text())
    assert harbour["tags"] == ["cruise"]


def _warc(records: list[tuple[str, int, str, bytes]]) -> bytes:
    """A gzipped WARC of HTTP responses: (URL, status, content type, body)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for url, status, content_type, body in records:
        headers = StatusAndHeaders(f"{status} OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-06-12T08:30:00Z"},
        )  # fmt: skip
        writer.write_record(record)
    return out.getvalue()


HARBOUR_WARC = [
    (
        "https://coastline.example/news/harbour-tolls",
        200,
        "text/html; charset=utf-8",
        (WEB / "harbour-tolls.html").read_bytes(),
    ),
    ("https://coastline.example/style.css", 200, "text/css", b"body{}"),
    ("https://coastline.example/old", 404, "text/html", b"<html>gone</html>"),
]


def test_warc_reader_takes_html_responses_as_they_are() -> None:
    leads = read_warc(_warc(HARBOUR_WARC), Path("crawl.warc.gz"))
    assert [(lead.url, lead.saved) for lead in leads] == [
        ("https://coastline.example/news/harbour-tolls", datetime(2024, 6, 12, 8, 30, tzinfo=UTC))
    ]
    assert leads[0].capture is not None and leads[0].capture.body == HARBOUR_WARC[0][3]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.wacz"])
def test_import_from_warc_and_wacz_without_fetching(
    name: str, tmp_path: Path, sitegen: Callable[..., Run], read_article: Callable[[str], Article]
) -> None:
    data = _warc(HARBOUR_WARC)
    if name.endswith(".wacz"):
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w") as wacz:
            wacz.writestr("archive/data.warc.gz", data)
            wacz.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
        data = packed.getvalue()
    (tmp_path / name).write_bytes(data)
    # No server is running: the page can only come from the archive.
    run = sitegen("import", "--from", "warc", name, *FAST, cwd=tmp_path)

    assert run.code == 0, run.err
    fields, _ = read_article((tmp_path / HARBOUR).read_text())
    assert fields["source_url"] == "https://coastline.example/news/harbour-tolls"
    assert fields["captured"] == datetime(2024, 6, 12, 8, 30, tzinfo=UTC)


def test_a_file_that_is_not_a_warc(tmp_path: Path, sitegen: Callable[..., Run]) -> None:
    (tmp_path / "crawl.warc").write_text("WARC? no.\n")
    run = sitegen("import", "--from", "warc", "crawl.warc", *FAST, cwd=tmp_path)
    assert run.code == 1
    assert run.err.splitlines()[0].startswith("crawl.warc: not a WARC or WACZ file (")


def test_the_command_line_offers_every_export_kind() -> None:
    from sitegen.cli import EXPORT_KINDS
    from sitegen.importer.exports import READERS

    assert tuple(READERS) == EXPORT_KINDS


@pytest.mark.parametrize(
    ("reader", "data", "start"),
    [
        (
            read_instapaper,
            b'URL,Title,Selection,Folder,Timestamp\nx,"' + b"y" * 200_000 + b'",,,1\n',
            "not an Instapaper",
        ),
        (
            read_warc,
            b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort",
            "not a WARC or WACZ file",
        ),
        (read_warc, b"\x1f\x8b\x08\x00garbage", "not a WARC or WACZ file"),
        (read_wallabag, b"\xff\xfe[", "not a Wallabag export"),
    ],
)
def test_broken_exports_are_problems_not_crashes(
    reader: Callable[[bytes, Path], tuple[Lead, ...]], data: bytes, start: str
) -> None:
    with pytest.raises(ExportProblem) as raised:
        reader(data, Path("export"))
    assert raised.value.message.startswith(start)
