"""The HTTP side of the preview: safe file serving from the output folder.

Only GET and HEAD are answered; every path is decoded once, normalised and checked to stay
inside the output folder (symlinks included) before any file is opened. Requests wait while
a rebuild writes, so nobody sees a mix of old and new pages.
"""

from __future__ import annotations

import mimetypes
import posixpath
import queue
import select
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sitegen.serve.locks import ReadWriteLock
from sitegen.serve.reload import EVENTS_PATH, EventHub, inject_reload_script

_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".csv": "text/csv",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
}
_TEXT_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml", "application/atom+xml")
_HEARTBEAT_SECONDS = 15.0
_LIVENESS_SECONDS = 1.0  # how often an event stream checks that its page is still there
_MAX_BODY_BYTES = 64 * 1024  # a GET or HEAD may carry a body; it is read and dropped up to this
_NO_SITE_YET = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>No site yet</title></head>'
    b"<body><p>The site has not been built yet.</p></body></html>\n"
)


def content_type(path: str) -> str:
    """The Content-Type of a file, with a UTF-8 charset for text."""
    suffix = posixpath.splitext(path)[1].lower()
    if path.endswith("feed.xml"):
        kind = "application/atom+xml"
    else:
        kind = _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(_TEXT_TYPES) else kind


def resolve_request_path(root: Path, raw_path: str) -> Path | None:
    """The file under ``root`` a request path names, or None when it would leave ``root``."""
    path = urlsplit(raw_path).path
    decoded = unquote(path, errors="strict")
    if "\x00" in decoded or "\\" in decoded or not decoded.startswith("/"):
        return None
    segments = decoded.split("/")
    if any(segment in ("..", ".") for segment in segments):
        return None
    candidate = root.joinpath(*[segment for segment in segments if segment])
    resolved_root = root.resolve()
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):
        return None
    if resolved != resolved_root and resolved_root not in resolved.parents:
        return None
    return candidate


class PreviewHTTPServer(ThreadingHTTPServer):
    """A threaded server that knows the output folder, its lock and the event hub."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # the listen backlog: socketserver's 5 drops connections when many pages load at once

    def __init__(self, address: tuple[str, int], root: Path, lock: ReadWriteLock, hub: EventHub) -> None:
        self._open_lock = threading.Lock()
        self.open_connections = 0  # accepted and not yet closed
        super().__init__(address, PreviewHandler)
        self.site_root = root
        self.site_lock = lock
        self.hub = hub

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self.open_connections += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        try:
            super().shutdown_request(request)
        finally:
            with self._open_lock:
                self.open_connections -= 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page that goes away mid-answer (closed tab, reload, dropped line) is no error."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the output folder; everything else is 405."""

    server: PreviewHTTPServer
    server_version = "sitegen-preview"
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a silent connection may hold its thread

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the preview prints rebuilds, not requests."""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._refuse_method
        raise AttributeError(name)

    def _refuse_method(self) -> None:
        if not self._drop_body():
            return
        self._send_plain(HTTPStatus.METHOD_NOT_ALLOWED, "only GET and HEAD are allowed\n", {"Allow": "GET, HEAD"})

    def _answer(self, *, send_body: bool) -> None:
        if not self._drop_body():
            return
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events()
            return
        try:
            target = resolve_request_path(self.server.site_root, self.path)
        except UnicodeDecodeError:
            target = None
        if target is None:
            self._send_plain(HTTPStatus.BAD_REQUEST, "bad path\n")
            return
        with self.server.site_lock.reading():
            self._serve_file(target, send_body=send_body)

    def _serve_file(self, target: Path, *, send_body: bool) -> None:
        root = self.server.site_root
        if target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                location = urlsplit(self.path).path + "/"
                self._send_plain(HTTPStatus.MOVED_PERMANENTLY, "moved\n", {"Location": location})
                return
            target = target / "index.html"
        status = HTTPStatus.OK
        if not target.is_file():
            status, target = HTTPStatus.NOT_FOUND, root / "404.html"
            if not target.is_file():
                # No site yet (the first build failed): a bare page that still shows the overlay.
                self._send_html(HTTPStatus.NOT_FOUND, _NO_SITE_YET, send_body=send_body)
                return
        kind = content_type(target.name)
        if kind.startswith("text/html"):
            self._send_html(status, target.read_bytes(), send_body=send_body)
            return
        self._send_bytes(status, kind, target.read_bytes(), send_body=send_body)

    def _send_html(self, status: HTTPStatus, html: bytes, *, send_body: bool) -> None:
        self._send_bytes(status, "text/html; charset=utf-8", inject_reload_script(html), send_body=send_body)

    def _send_bytes(self, status: HTTPStatus, kind: str, body: bytes, *, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _drop_body(self) -> bool:
        """Read and drop a request's body, so that it is not taken for the next request on the
        connection (HTTP/1.1 lets any request carry one); False, the connection closing after
        an error, for a body that cannot be read safely."""
        lengths = self.headers.get_all("Content-Length") or []
        if "Transfer-Encoding" in self.headers or len(set(lengths)) > 1:
            self.close_connection = True
            self._send_plain(HTTPStatus.BAD_REQUEST, "request bodies must have one Content-Length\n")
            return False
        if not lengths:
            return True
        if not lengths[0].strip().isdigit():
            self.close_connection = True
            self._send_plain(HTTPStatus.BAD_REQUEST, "bad Content-Length\n")
            return False
        size = int(lengths[0])
        if size > _MAX_BODY_BYTES:
            self.close_connection = True
            self._send_plain(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the preview takes no request bodies\n")
            return False
        if len(self.rfile.read(size)) < size:  # the client left before sending it all
            self.close_connection = True
            return False
        return True

    def _stream_events(self) -> None:
        client = self.server.hub.subscribe()
        if client is None:
            self.close_connection = True
            headers = {"Retry-After": "10", "Connection": "close"}
            self._send_plain(HTTPStatus.SERVICE_UNAVAILABLE, "too many live-reload connections\n", headers)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.close_connection = True
        try:
            self.end_headers()
            quiet = 0.0
            while True:
                try:
                    event = client.get(timeout=_LIVENESS_SECONDS)
                except queue.Empty:
                    if self._page_left():
                        return
                    quiet += _LIVENESS_SECONDS
                    if quiet >= _HEARTBEAT_SECONDS:
                        quiet = 0.0
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                    continue
                if event is None:
                    return
                self.wfile.write(event.encode())
                self.wfile.flush()
        except OSError:
            return  # the page went away
        finally:
            self.server.hub.unsubscribe(client)

    def _page_left(self) -> bool:
        """Whether the page at the other end closed its event stream (it sends nothing else)."""
        try:
            # poll, not select: select cannot watch a descriptor numbered over 1023
            poller = select.poll()
            poller.register(self.connection, select.POLLIN)
            return bool(poller.poll(0)) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _send_plain(self, status: HTTPStatus, text: str, headers: dict[str, str] | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
