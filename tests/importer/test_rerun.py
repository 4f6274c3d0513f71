"""Re-runs are safe: pages already imported are recognised, an interrupted import resumes."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Run

from sitegen.importer.fetch import FetchPolicy, fetch_all, retry_delay
from sitegen.importer.leads import Lead
from sitegen.importer.provenance import url_key
from sitegen.importer.web import Progress, WebImport, import_leads

from .web_server import Reply, WebServer, page

FAST = ("--delay", "0", "--timeout", "5")
HARBOUR = Path("content/2024/harbour-board-doubles-night-tolls-for-cruise-ships.md")
FERRY = Path("content/2024/island-ferry-adds-an-early-sailing-on-weekdays.md")
TIDES = Path("content/2023/new-tide-gauge-goes-live-at-solbrae-quay.md")


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.coastline.example/news/tolls/",
        "http://coastline.example/news/tolls#comments",
        "https://coastline.example/news/tolls?utm_source=newsletter&utm_medium=email",
        "https://COASTLINE.example/news/tolls?fbclid=abc",
    ],
)
def test_url_variants_share_one_key(variant: str) -> None:
    assert url_key(variant) == url_key("https://coastline.example/news/tolls") == "coastline.example/news/tolls"


def test_query_parameters_that_name_the_page_are_kept() -> None:
    assert url_key("https://coastline.example/story?id=3") != url_key("https://coastline.example/story?id=4")


def test_retry_delay_backs_off_and_honours_retry_after() -> None:
    policy = FetchPolicy(backoff=1.0, retries=3, max_wait=60)
    now = datetime(2024, 6, 11, 12, 0, tzinfo=UTC)
    assert [retry_delay(n, None, policy, now) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, None]
    assert retry_delay(1, "7", policy, now) == 7.0
    assert retry_delay(1, "Tue, 11 Jun 2024 12:00:30 GMT", policy, now) == 30.0
    assert retry_delay(1, "3600", policy, now) is None  # longer than anyone should wait
    assert retry_delay(2, "soon", policy, now) == 2.0  # unreadable: the backoff stands


def test_a_second_run_skips_what_is_imported_whatever_the_url_looks_like(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run]
) -> None:
    web.routes.update({"/news/tolls": page("harbour-tolls.html"), "/copy": page("harbour-tolls.html")})
    web.routes["/news/harbour-tolls"] = page("harbour-tolls.html")
    first = sitegen("import", web.url("/news/tolls"), *FAST, cwd=tmp_path)
    assert first.code == 0, first.err
    before = (tmp_path / HARBOUR).read_bytes()

    again = sitegen(
        "import", web.url("/news/tolls/?utm_campaign=x#top"), web.url("/copy"), web.url("/news/harbour-tolls"),
        *FAST, cwd=tmp_path,
    )  # fmt: skip
    assert again.code == 0, again.err
    assert again.out == ""
    assert again.err.splitlines() == [
        # The same URL, normalised: not even fetched.
        f"warning: {web.url('/news/tolls/?utm_campaign=x#top')}: already imported as {HARBOUR}; skipped"
        " (use --force to replace it)",
        # The page's canonical URL, recorded as its source_url: not fetched either.
        f"warning: {web.url('/news/harbour-tolls')}: already imported as {HARBOUR}; skipped"
        " (use --force to replace it)",
        # Another URL with the same page: recognised by its canonical URL, title and date.
        f"warning: {web.url('/copy')}: already imported as {HARBOUR} (same URL, or same title and date); skipped",
    ]
    assert (web.hits["/news/tolls"], web.hits["/news/harbour-tolls"], web.hits["/copy"]) == (1, 0, 1)
    assert (tmp_path / HARBOUR).read_bytes() == before


def test_dry_run_prints_and_writes_nothing(tmp_path: Path, web: WebServer, sitegen: Callable[..., Run]) -> None:
    web.routes["/ferry"] = page("ferry-timetable.html")
    run = sitegen("import", web.url("/ferry"), "--dry-run", *FAST, cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.out.startswith('---\ntitle: "Island ferry adds an early sailing on weekdays"\ndate: 2024-04-02\n')
    assert not (tmp_path / "content").exists()


def test_progress_counts_pages_and_failures(tmp_path: Path, web: WebServer) -> None:
    web.routes["/ferry"] = page("ferry-timetable.html")
    seen: list[Progress] = []
    request = WebImport(into=tmp_path, policy=FetchPolicy(per_host_delay=0, timeout=5))
    report = import_leads([Lead(web.url("/missing")), Lead(web.url("/ferry"))], request, on_progress=seen.append)
    assert [(p.done, p.total, p.failures, p.last) for p in seen] == [
        (1, 2, 1, web.url("/missing")),
        (2, 2, 1, web.url("/ferry")),
    ]
    assert report.problems == (f"{web.url('/missing')}: HTTP 404 Not Found",)


def test_an_interrupted_import_resumes_where_it_stopped(tmp_path: Path, web: WebServer) -> None:
    web.routes.update(
        {"/a": page("harbour-tolls.html"), "/b": page("ferry-timetable.html"), "/slow": page("tide-gauge.html")}
    )
    urls = [web.url("/a"), web.url("/b"), web.url("/slow")]
    command = [sys.executable, "-m", "sitegen", "import", *urls, "--delay", "0", "--timeout", "60"]
    child = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert web.slow_reached.wait(timeout=60), "the import never asked for the slow page"
        child.send_signal(signal.SIGINT)  # Ctrl-C while the third page is on its way
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert (child.returncode, err.splitlines()[-1]) == (130, "interrupted")
    done_first = {path for path in (HARBOUR, FERRY) if (tmp_path / path).exists()}
    assert not (tmp_path / TIDES).exists()
    leftovers = [p.name for p in tmp_path.rglob(".*") if p.is_file()]
    assert leftovers == [], "a temporary file was left behind"
    captures = {p.name.removesuffix(".html.gz") for p in tmp_path.rglob(".captures/*.html.gz")}
    assert captures == {path.stem for path in done_first}, "a capture without its article, or the reverse"

    web.slow_release.set()
    second = subprocess.run(
        [*command[:-1], "5"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert second.returncode == 0, second.stderr
    for path in (HARBOUR, FERRY, TIDES):
        assert (tmp_path / path).is_file()
    # Pages written before the interrupt were not fetched again; the rest were.
    assert web.hits["/a"] == (1 if HARBOUR in done_first else 2)
    assert web.hits["/b"] == (1 if FERRY in done_first else 2)
    assert web.hits["/slow"] == 2


def _blocked_signals(thread: threading.Thread) -> set[int]:
    """The signals a thread blocks, read from the kernel's view of it."""
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigBlk:")), 16)
    return {number for number in range(1, 65) if mask >> (number - 1) & 1}


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads thread signal masks from Linux's /proc")
def test_fetch_workers_leave_ctrl_c_to_the_main_thread(web: WebServer) -> None:
    # Were Ctrl-C delivered to a worker waiting on a slow server, the main thread, blocked
    # on the results queue, would not hear of it until that server answered or timed out.
    web.routes["/slow"] = page("tide-gauge.html")
    results = fetch_all([web.url("/slow")], FetchPolicy(timeout=30, retries=0))
    waiting = threading.Thread(target=lambda: list(results), daemon=True)
    waiting.start()
    assert web.slow_reached.wait(timeout=30), "the fetch never asked for the slow page"
    workers = [thread for thread in threading.enumerate() if thread.name.startswith("fetch-")]
    masks = [_blocked_signals(worker) for worker in workers]  # read while they wait on the server
    web.slow_release.set()
    waiting.join(timeout=30)
    assert masks, "no fetch worker was running"
    for blocked in masks:
        assert {signal.SIGINT, signal.SIGTERM} <= blocked
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set()), "the caller's mask was changed"


def test_a_ctrl_c_lost_on_its_way_still_ends_the_fetch(web: WebServer) -> None:
    # A C extension initialising while Ctrl-C arrives clears the KeyboardInterrupt (seen in
    # CI with trafilatura's first import): the fetch must end anyway, not wait out the server.
    web.routes.update({"/a": page("harbour-tolls.html"), "/slow": page("tide-gauge.html")})
    policy = FetchPolicy(timeout=60, retries=0, per_host_delay=0)
    results = fetch_all([web.url("/a"), web.url("/slow")], policy)
    answer_at_last = threading.Timer(30, web.slow_release.set)  # bounds the test if the fetch hangs
    answer_at_last.start()
    try:
        assert next(results).requested == web.url("/a")
        assert web.slow_reached.wait(timeout=30), "the fetch never asked for the slow page"
        with contextlib.suppress(KeyboardInterrupt):  # lost, as the extension loses it
            signal.raise_signal(signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            next(results)
        assert not web.slow_release.is_set(), "the fetch waited for the slow server to answer"
    finally:
        answer_at_last.cancel()
        web.slow_release.set()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler, "the Ctrl-C handler was not put back"


def test_force_replaces_the_earlier_import_in_place(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run]
) -> None:
    web.routes["/ferry"] = page("ferry-timetable.html")
    assert sitegen("import", web.url("/ferry"), "--publish-captures", *FAST, cwd=tmp_path).code == 0
    # The curator retitled it; it is still the same page (same source_url).
    (tmp_path / FERRY).write_text((tmp_path / FERRY).read_text().replace("Island ferry", "Edited ferry"))

    again = sitegen("import", web.url("/ferry"), "--publish-captures", "--force", *FAST, cwd=tmp_path)
    assert (again.code, again.out) == (0, f"{FERRY}\n")
    assert (tmp_path / FERRY).read_text().startswith('---\ntitle: "Island ferry adds an early sailing on weekdays"\n')
    files = sorted(p.relative_to(tmp_path / "content").as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == [
        "2024/.captures/island-ferry-adds-an-early-sailing-on-weekdays.html.gz",
        "2024/island-ferry-adds-an-early-sailing-on-weekdays.capture.html",
        "2024/island-ferry-adds-an-early-sailing-on-weekdays.md",
    ]


def test_without_retries_a_server_error_is_one_attempt(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run]
) -> None:
    web.routes["/broken"] = Reply(500, b"<html><body>oops</body></html>")
    run = sitegen("import", web.url("/broken"), "http://127.0.0.1:99999/x", "--retries", "0", *FAST, cwd=tmp_path)
    assert run.code == 1
    assert run.err.splitlines() == [
        "http://127.0.0.1:99999/x: not a valid http:// or https:// URL",
        f"{web.url('/broken')}: HTTP 500 Internal Server Error after 1 attempt",
        "0 articles imported; 2 failed",
    ]
    assert web.hits["/broken"] == 1
