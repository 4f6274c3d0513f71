"""The preview server under hostile clients, on loopback (issue 22).

Live-reload streams are capped, so other clients are always answered; a client that goes
away mid-answer leaves no traceback; a request body is never read as a second request.
"""

from __future__ import annotations

import http.client
import re
import socket
import struct
import time
from collections.abc import Callable, Iterator

import pytest
from conftest import MakeSite, article

from sitegen.build import BuildOptions
from sitegen.serve.preview import Preview
from sitegen.serve.reload import EVENTS_PATH, MAX_EVENT_STREAMS

DEADLINE_SECONDS = 20


@pytest.fixture
def preview(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    big = "\n\n".join(f"Paragraph {i} of a long article, long enough to fill a socket's buffers." for i in range(8000))
    root = make_site({"content/good.md": article("Good", "2024-03-05"), "content/big.md": article("Big", body=big)})
    monkeypatch.chdir(root)
    server = Preview(BuildOptions(root=root, workers=1), port=0)
    server.serve_forever()
    yield server
    server.stop()


def _address(server: Preview) -> tuple[str, int]:
    host, port = server.httpd.server_address[:2]
    return str(host), int(port)


def _get(server: Preview, path: str) -> int:
    connection = http.client.HTTPConnection(*_address(server), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _open_stream(server: Preview) -> tuple[socket.socket, int]:
    """A live-reload client: the socket, still open, and the status it was answered with."""
    client = socket.create_connection(_address(server), timeout=10)
    client.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: preview\r\n\r\n".encode())
    status_line = b""
    while not status_line.endswith(b"\r\n"):
        status_line += client.recv(1)
    return client, int(status_line.split()[1])


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll a condition the server exposes, with a deadline (the server's threads end on their own)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_hundreds_of_live_reload_clients_are_capped_and_pages_still_answered(preview: Preview) -> None:
    clients = [_open_stream(preview) for _ in range(300)]
    try:
        statuses = [status for _, status in clients]
        assert statuses.count(200) == MAX_EVENT_STREAMS
        assert statuses.count(503) == 300 - MAX_EVENT_STREAMS
        assert _get(preview, "/2024/03/good/") == 200
    finally:
        for client, _ in clients:
            client.close()
    # The streams notice their pages left, and make room for new ones.
    _wait_until(lambda: preview.httpd.open_connections == 0, "the event streams never noticed their clients left")
    client, status = _open_stream(preview)
    client.close()
    assert status == 200


def test_clients_that_leave_mid_answer_are_dropped_quietly(preview: Preview, capfd: pytest.CaptureFixture[str]) -> None:
    request = b"GET /2024/03/big/ HTTP/1.1\r\nHost: preview\r\n\r\n"
    for _ in range(100):
        client = socket.create_connection(_address(preview), timeout=10)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
        client.sendall(request)
        client.recv(1)  # the answer has started
        client.close()
    for _ in range(50):  # requests that stop halfway through their headers
        client = socket.create_connection(_address(preview), timeout=10)
        client.sendall(b"GET /2024/03/big/ HTTP/1.1\r\nHost: pre")
        client.close()
    _wait_until(lambda: preview.httpd.open_connections == 0, "connections of clients that left stayed open")
    assert _get(preview, "/2024/03/good/") == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "BrokenPipe" not in err and "ConnectionReset" not in err


def _responses(server: Preview, raw: bytes) -> list[str]:
    """The status lines the server sends back for ``raw`` on one connection (it ends with a close)."""
    client = socket.create_connection(_address(server), timeout=10)
    try:
        client.sendall(raw)
        received = b""
        while chunk := client.recv(65536):
            received += chunk
    finally:
        client.close()
    return re.findall(r"(?m)^HTTP/1\.1 \d+ [^\r]*", received.decode("utf-8", "replace"))


def test_a_get_body_is_read_and_dropped_not_taken_for_a_second_request(preview: Preview) -> None:
    smuggled = b"GET /2024/03/good/ HTTP/1.1\r\nHost: preview\r\n\r\n"
    raw = (
        b"GET /no-such-page/ HTTP/1.1\r\nHost: preview\r\nContent-Length: %d\r\n\r\n%s"
        b"POST / HTTP/1.1\r\nHost: preview\r\nContent-Length: %d\r\n\r\n%s"
        b"GET /robots.txt HTTP/1.1\r\nHost: preview\r\nConnection: close\r\n\r\n"
    ) % (len(smuggled), smuggled, len(smuggled), smuggled)
    assert _responses(preview, raw) == ["HTTP/1.1 404 Not Found", "HTTP/1.1 405 Method Not Allowed", "HTTP/1.1 200 OK"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (b"Transfer-Encoding: chunked\r\n", "HTTP/1.1 400 Bad Request"),
        (b"Content-Length: 5\r\nContent-Length: 6\r\n", "HTTP/1.1 400 Bad Request"),
        (b"Content-Length: -1\r\n", "HTTP/1.1 400 Bad Request"),
        (b"Content-Length: 99999999\r\n", "HTTP/1.1 413 Request Entity Too Large"),
    ],
)
def test_a_body_that_cannot_be_read_safely_closes_the_connection(preview: Preview, headers: bytes, status: str) -> None:
    raw = b"GET / HTTP/1.1\r\nHost: preview\r\n" + headers + b"\r\n0\r\n\r\nGET /robots.txt HTTP/1.1\r\nHost: p\r\n\r\n"
    assert _responses(preview, raw) == [status]
