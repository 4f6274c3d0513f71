"""The preview server under load and under attack, on loopback only, bounded in count and time."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MakeSite, article

CLIENTS = 200
SECONDS = 10.0
MAX_REQUESTS_PER_CLIENT = 400


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    assert match is not None
    return int(match.group(1))


@pytest.fixture
def server(make_site: MakeSite) -> Iterator[tuple[int, int, Path]]:
    files = {f"content/a{n}.md": article(f"Story {n}", f"2024-01-{n % 28 + 1:02d}", "Text. " * 200) for n in range(40)}
    root = make_site(files)
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    port = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
        if match:
            port = int(match.group(1))
            break
    assert port, "the server did not start"
    yield port, process.pid, root
    process.terminate()
    process.wait(timeout=30)


def fetch_loop(
    port: int, paths: list[str], deadline: float, results: list[tuple[int, int]], errors: list[str] | None = None
) -> None:
    ok = failed = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    for number in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() > deadline:
            break
        try:
            connection.request("GET", paths[number % len(paths)])
            response = connection.getresponse()
            body = response.read()
            if response.status == 200 and body:
                ok += 1
            else:
                failed += 1
                if errors is not None:
                    errors.append(f"status {response.status}")
        except (OSError, http.client.HTTPException) as error:
            failed += 1
            if errors is not None:
                errors.append(repr(error))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.close()
    results.append((ok, failed))


def test_two_hundred_clients_and_slow_ones_for_ten_seconds(server: tuple[int, int, Path]) -> None:
    port, pid, root = server
    paths = ["/", "/2024/01/a1/", "/topics/", "/feed.xml", "/assets/style.css", "/archive/", "/page/2/"]
    search_files = sorted((root / ".sitegen/preview/search").rglob("*"))
    paths += ["/" + p.relative_to(root / ".sitegen/preview").as_posix() for p in search_files if p.is_file()][:20]
    # Slow clients: connections that send half a request and then sit there.
    slow = []
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        slow.append(sock)
    warm: list[tuple[int, int]] = []
    fetch_loop(port, paths, time.monotonic() + 1, warm)
    before = rss_kib(pid)
    results: list[tuple[int, int]] = []
    errors: list[str] = []
    deadline = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=fetch_loop, args=(port, paths, deadline, results, errors)) for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 60)
    after = rss_kib(pid)
    for sock in slow:
        sock.close()
    served = sum(ok for ok, _ in results)
    failed = sum(bad for _, bad in results)
    print(f"\nload: {served} requests served by {CLIENTS} clients in {SECONDS:.0f} s, {failed} failed; "
          f"server RSS {before // 1024} MB -> {after // 1024} MB")  # fmt: skip
    assert len(results) == CLIENTS
    assert failed == 0, sorted(set(errors))[:5]
    assert served > CLIENTS  # every client got answers, the slow ones blocked nobody
    assert after < before + 64 * 1024  # memory stays flat (threads come and go)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % n for n in range(200)) + b"\r\n",
        b"GET / HTTP/1.1\r\nX-Big: " + b"v" * 70_000 + b"\r\n\r\n",
        b"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 binary garbage\r\n\r\n",
        b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
    ids=[
        "long request line",
        "many headers",
        "huge header",
        "DELETE",
        "NUL",
        "encoded traversal",
        "binary garbage",
        "plain traversal",
    ],
)
def test_malformed_requests_get_a_4xx_and_the_server_lives(server: tuple[int, int, Path], request_bytes: bytes) -> None:
    port, _, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request_bytes)
        answer = sock.recv(4096)
    # An unparseable request line gets an HTTP/0.9-style answer: the error page, no status line.
    status = re.match(rb"HTTP/1\.[01] (\d{3})", answer) or re.search(rb"Error code: (\d{3})", answer)
    assert status is not None, answer
    assert 400 <= int(status.group(1)) < 500
    assert b"root:" not in answer
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")
    assert connection.getresponse().status == 200
