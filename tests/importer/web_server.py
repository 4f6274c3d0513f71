"""A real HTTP server on loopback for the importer's web tests, serving pages the tests choose."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

WEB = Path(__file__).parent / "fixtures" / "web"


@dataclass(frozen=True)
class Reply:
    """One answer: status, headers and body."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    declare_length: bool = True  # False: no Content-Length, the body ends when the connection closes


def page(name: str) -> Reply:
    """A fixture page from tests/importer/fixtures/web/."""
    return Reply(body=(WEB / name).read_bytes())


Route = Reply | Callable[[int], Reply]  # a callable gets how many times the path was asked for


@dataclass
class WebServer:
    """The server's routes, what it was asked, and the controls of its slow endpoint."""

    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    agents: list[str] = field(default_factory=list)
    slow_reached: threading.Event = field(default_factory=threading.Event)
    slow_release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@contextmanager
def serve(server_state: WebServer) -> Iterator[None]:
    """Run the server in a thread for as long as the generator is open."""
    state = server_state

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            state.hits[path] += 1
            state.agents.append(self.headers.get("User-Agent", ""))
            if path == "/slow":
                state.slow_reached.set()
                state.slow_release.wait()  # the test decides when (if ever) this answers
            if path == "/trickle":  # a byte every 50 ms, until the client hangs up or the test ends
                self._trickle()
                return
            route = state.routes.get(path, Reply(404, b"<html><body>Not here</body></html>"))
            reply = route(state.hits[path]) if callable(route) else route
            try:
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                if reply.declare_length:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout or a size cap): nothing to answer

        def _trickle(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                while not state.slow_release.wait(0.05):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", state.port), Handler)
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        state.slow_release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
