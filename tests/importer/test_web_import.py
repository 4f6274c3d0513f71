"""sitegen import URL...: real pages from a real server on loopback, through the real CLI."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import Run

from sitegen.importer.fetch import FetchPolicy
from sitegen.importer.leads import Lead
from sitegen.importer.web import Progress, WebImport, import_leads

from .conftest import Article
from .web_server import Reply, WebServer, page

FAST = ("--delay", "0", "--timeout", "5")


def _import(sitegen: Callable[..., Run], root: Path, *args: str) -> Run:
    return sitegen("import", *args, *FAST, cwd=root)


def test_a_url_becomes_an_article_with_its_metadata_and_provenance(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run], read_article: Callable[[str], Article]
) -> None:
    web.routes["/news/harbour-tolls"] = page("harbour-tolls.html")
    run = _import(sitegen, tmp_path, web.url("/news/harbour-tolls?utm_source=feed"), "--topics", "Ports")

    assert (run.code, run.err) == (0, "")
    target = tmp_path / "content/2024/harbour-board-doubles-night-tolls-for-cruise-ships.md"
    assert run.out == f"{Path('content/2024/harbour-board-doubles-night-tolls-for-cruise-ships.md')}\n"
    fields, paragraphs = read_article(target.read_text(encoding="utf-8"))
    body = (Path(__file__).parent / "fixtures/web/harbour-tolls.html").read_bytes()
    captured = fields.pop("captured")
    assert isinstance(captured, datetime) and captured.tzinfo is not None
    assert fields == {
        "title": "Harbour board doubles night tolls for cruise ships",
        "date": datetime(2024, 6, 11, 7, 30, tzinfo=timezone(timedelta(hours=2))),
        "author": ["Ines Varga"],
        "source": "Coastline Courier",
        "source_url": web.url("/news/harbour-tolls"),  # the page's canonical URL
        "topics": ["Ports"],
        "summary": "Residents asked for quieter evenings; the board answered with a price.",
        "language": "en-GB",
        "captions": ["The cruise pier at Solbrae seen from the old lighthouse, June 2024."],
        "source_digest": "sha256:" + hashlib.sha256(body).hexdigest(),
    }
    assert paragraphs[0].startswith("The Solbrae harbour board voted on Monday")
    assert len(paragraphs) == 4
    # The capture as fetched is kept beside the article, compressed and hidden from the build.
    raw = tmp_path / "content/2024/.captures/harbour-board-doubles-night-tolls-for-cruise-ships.html.gz"
    assert gzip.decompress(raw.read_bytes()) == body
    assert web.agents and all(agent.startswith("sitegen/") for agent in web.agents)


def test_redirects_are_followed_and_recorded(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run], read_article: Callable[[str], Article]
) -> None:
    web.routes["/old/ferry"] = Reply(301, headers=(("Location", "/ferry"),))
    web.routes["/ferry"] = page("ferry-timetable.html")
    run = _import(sitegen, tmp_path, web.url("/old/ferry"))

    assert run.code == 0, run.err
    fields, _ = read_article((tmp_path / "content/2024/island-ferry-adds-an-early-sailing-on-weekdays.md").read_text())
    assert fields["source_url"] == web.url("/ferry")
    assert fields["redirected_from"] == [web.url("/old/ferry")]
    assert fields["date"] == date(2024, 4, 2)
    # The description is the lead cut short: no dek.
    assert "summary" not in fields


def test_standard_input_lists_urls_one_a_line(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    web.routes["/a"] = page("harbour-tolls.html")
    web.routes["/b"] = page("ferry-timetable.html")
    urls = f"# saved this week\n{web.url('/a')}\n\n{web.url('/b', host='localhost')}\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(urls))
    run = _import(sitegen, tmp_path, "-")

    assert run.code == 0, run.err
    assert sorted(run.out.splitlines()) == sorted(
        str(Path("content/2024", name))
        for name in (
            "harbour-board-doubles-night-tolls-for-cruise-ships.md",
            "island-ferry-adds-an-early-sailing-on-weekdays.md",
        )
    )
    assert (web.hits["/a"], web.hits["/b"]) == (1, 1)


def _retry_later(status: int, then: Reply | None = None) -> Callable[[int], Reply]:
    """A route answering `status` (with Retry-After: 0) every time, or only the first time."""

    def route(hit: int) -> Reply:
        if then is not None and hit > 1:
            return then
        return Reply(status, b"<html><body>busy</body></html>", (("Content-Type", "text/html"), ("Retry-After", "0")))

    return route


def test_each_bad_page_is_one_line_and_the_others_carry_on(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run]
) -> None:
    web.routes.update(
        {
            "/gone": Reply(410, b"<html><body>Gone</body></html>"),
            "/broken": _retry_later(500),
            "/busy": _retry_later(503, then=page("harbour-tolls.html")),
            "/later": Reply(429, b"", (("Retry-After", "3600"),)),
            "/report.pdf": Reply(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", (("Content-Type", "application/pdf"),)),
            "/pier.png": Reply(200, b"\x89PNG\r\n\x1a\n", (("Content-Type", "image/png"),)),
            "/huge": Reply(200, b"<html><body>" + b"<p>tide tables</p>" * 120_000 + b"</body></html>"),
            "/endless": Reply(200, b"<html><body>" + b"<p>soundings</p>" * 80_000, declare_length=False),
            "/shell": page("empty-shell.html"),
            "/members": page("members-only.html"),
        }
    )
    paths = ("/missing", "/gone", "/broken", "/busy", "/later", "/report.pdf", "/pier.png", "/huge", "/endless")
    run = sitegen(
        "import", *(web.url(p) for p in (*paths, "/shell", "/members", "/slow")),
        "--delay", "0", "--timeout", "0.5", "--max-size", "1", cwd=tmp_path,
    )  # fmt: skip

    assert run.code == 1
    assert run.out == f"{Path('content/2024/harbour-board-doubles-night-tolls-for-cruise-ships.md')}\n"
    assert run.err.splitlines() == [
        f"{web.url('/missing')}: HTTP 404 Not Found",
        f"{web.url('/gone')}: HTTP 410 Gone",
        f"{web.url('/broken')}: HTTP 500 Internal Server Error after 4 attempts",
        f"{web.url('/later')}: HTTP 429 Too Many Requests (Retry-After too long to wait)",
        f"{web.url('/report.pdf')}: not an HTML page (application/pdf)",
        f"{web.url('/pier.png')}: not an HTML page (image/png)",
        f"{web.url('/huge')}: larger than 1 MB (2160026 bytes)",
        f"{web.url('/endless')}: larger than 1 MB",
        f"{web.url('/shell')}: no article text found below the headline",
        f"{web.url('/members')}: looks like a login or paywall page (23 words of text and a sign-in form);"
        " not imported",
        f"{web.url('/slow')}: timed out (no answer within 0.5 s)",
        "1 article imported; 11 failed",
    ]
    assert (web.hits["/broken"], web.hits["/busy"], web.hits["/later"]) == (4, 2, 1)
    # Nothing half-written: one article and its capture, no temporary files.
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == [
        "content/2024/.captures/harbour-board-doubles-night-tolls-for-cruise-ships.html.gz",
        "content/2024/harbour-board-doubles-night-tolls-for-cruise-ships.md",
    ]


def test_hosts_are_fetched_in_parallel(tmp_path: Path, web: WebServer) -> None:
    web.routes.update({"/slow": page("tide-gauge.html"), "/ferry": page("ferry-timetable.html")})
    finished: list[str] = []

    def on_progress(progress: Progress) -> None:
        finished.append(progress.last)
        web.slow_release.set()  # the slow host answers only once the other host's page is in

    leads = [Lead(web.url("/slow")), Lead(web.url("/ferry", host="localhost"))]
    request = WebImport(into=tmp_path, policy=FetchPolicy(per_host_delay=0, timeout=60, parallel_hosts=2))
    report = import_leads(leads, request, on_progress=on_progress)

    assert report.problems == ()
    assert finished == [web.url("/ferry", host="localhost"), web.url("/slow")]


def test_a_page_that_never_finishes_downloading_is_given_up(tmp_path: Path, web: WebServer) -> None:
    request = WebImport(into=tmp_path, policy=FetchPolicy(per_host_delay=0, timeout=5, deadline=0.5))
    report = import_leads([Lead(web.url("/trickle"))], request)
    assert report.problems == (f"{web.url('/trickle')}: still downloading after 0.5 s; gave up",)
