"""The browser suite's fixtures: the fixture archive built once, served on loopback, and tabs.

Every tab records each request it makes and each error it meets; when the test is done it
must have asked nothing of any origin but the site's (no web fonts, scripts or images from
elsewhere), met no script error and seen no failed response other than the ones the test
asked for.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sitegen.build import BuildOptions, build

from .archive import fixture_archive
from .chromium import TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Response, ViewportSize

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "screenshots"  # for a reviewer to look at; ignored by git
VIEWPORTS: dict[str, ViewportSize] = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


def write_archive(root: Path) -> Path:
    """The fixture archive's files under ``root``."""
    for relative, text in fixture_archive().items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive built for serving over HTTP (read only: tests share it)."""
    root = write_archive(tmp_path_factory.mktemp("browser") / "archive")
    build(BuildOptions(root=root, workers=1))
    return root / "site"


@pytest.fixture(scope="session")
def offline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same archive built with ``--offline``, to browse from ``file://``."""
    root = write_archive(tmp_path_factory.mktemp("browser-offline") / "archive")
    build(BuildOptions(root=root, offline=True, workers=1))
    return root / "site"


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site like a static host: a missing page gets 404.html with status 404."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The built site served on loopback, on a free port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SiteHandler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, name="browser-site", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class Tab:
    """A browser tab that records every request and every error it meets."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.expected_failures: set[str] = set()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", self._check_failure)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", self._check_response)
        # Whatever a page asks of another origin is recorded above and stopped here, before it leaves the machine.
        page.route(lambda url: not self._on_site(url), lambda route: route.abort("blockedbyclient"))

    def _on_site(self, url: str) -> bool:
        return url.startswith(self.base) or url == "about:blank"

    def _check_failure(self, request: Request) -> None:
        # Leaving a page cancels what it still loads (an open event stream, say): not a fault.
        if request.failure != "net::ERR_ABORTED" and self._on_site(request.url):
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _check_response(self, response: Response) -> None:
        if response.status >= 400 and response.url not in self.expected_failures:
            self.problems.append(f"{response.status} {response.url}")

    def open(self, path: str, *, status: int = 200) -> Page:
        """Go to ``path`` (relative to the site's root); wait for search results on the search page."""
        url = self.base + path
        if status >= 400:
            self.expected_failures.add(url)
        response = self.page.goto(url)
        if not url.startswith("file:"):  # pages read from disk have no response
            assert response is not None and response.status == status, (url, response and response.status)
        if "search/" in path and "?q=" in path:
            self.page.locator("#search-status:not(:empty)").wait_for()
        return self.page

    def reset(self) -> None:
        """Back to a blank desktop-sized page in light mode, with nothing recorded."""
        self.page.goto("about:blank")
        self.page.set_viewport_size(VIEWPORTS["desktop"])
        self.page.emulate_media(media="screen", color_scheme="light", reduced_motion="no-preference")
        self.requests.clear()
        self.problems.clear()
        self.expected_failures.clear()

    def foreign_requests(self) -> list[str]:
        """Requests to any origin but the site's."""
        return [url for url in self.requests if not self._on_site(url)]

    def check(self) -> None:
        """The tab stayed on the site and met no error."""
        assert self.foreign_requests() == []
        assert self.problems == []


@pytest.fixture(scope="module")
def _site_tab(browser: Browser, site_url: str) -> Iterator[Tab]:
    """One tab per test module: a new context costs half a second, a navigation a tenth."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    yield Tab(context.new_page(), site_url)
    context.close()


@pytest.fixture
def tab(_site_tab: Tab) -> Iterator[Tab]:
    """A desktop-sized, light-mode tab on the site served over HTTP, checked when the test ends."""
    _site_tab.reset()
    yield _site_tab
    _site_tab.check()


@pytest.fixture
def offline_tab(browser: Browser, offline_dir: Path) -> Iterator[Tab]:
    """A desktop-sized tab on the ``--offline`` build, read from ``file://``."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    tab = Tab(context.new_page(), offline_dir.as_uri() + "/")
    yield tab
    context.close()
    tab.check()


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page picture in screenshots/, for a reviewer to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path
