"""``sitegen serve``: build, serve, watch, rebuild what changed, tell the pages.

The output goes to ``.sitegen/preview/`` so the preview (with drafts, say) never mixes
with the site that ``sitegen build`` writes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import watchfiles

from sitegen.build import Builder, BuildOptions, BuildReport
from sitegen.cache import CACHE_DIR
from sitegen.config import CONFIG_FILE
from sitegen.errors import SitegenError
from sitegen.parallel import settle_after_rebuild
from sitegen.serve.changes import ChangeSet, classify
from sitegen.serve.http import PreviewHTTPServer
from sitegen.serve.locks import ReadWriteLock
from sitegen.serve.reload import EventHub

PREVIEW_DIR = "preview"
WATCHED = ("content", "templates", "static")


@dataclass(frozen=True)
class RebuildOutcome:
    """What one rebuild did, for the server's log line."""

    changes: ChangeSet | None
    report: BuildReport | None
    errors: tuple[str, ...]
    milliseconds: float


class Preview:
    """One archive being previewed: a builder, an HTTP server and a watcher."""

    def __init__(self, options: BuildOptions, *, host: str = "127.0.0.1", port: int = 8000) -> None:
        out_dir = options.root / CACHE_DIR / PREVIEW_DIR
        # The preview's folder lies in .sitegen/, which is sitegen's own: nothing else to protect.
        self.options = replace(options, out_dir=out_dir, force=True)
        self.builder = Builder(self.options, in_place=True, persist=False)
        self.lock = ReadWriteLock()
        self.hub = EventHub()
        self.out_dir = out_dir
        self.stop_event = threading.Event()
        self.watching = threading.Event()  # set once ``watch`` sees changes: any edit after it is rebuilt
        self._serving = False
        self.first = self.rebuild(None)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.httpd = PreviewHTTPServer((host, port), self.out_dir, self.lock, self.hub)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/"

    def rebuild(self, changes: ChangeSet | None) -> RebuildOutcome:
        """Build under the write lock; on failure keep the last good site and report."""
        started = time.perf_counter()
        with self.lock.writing():
            try:
                report = self.builder.build(changes=changes.by_kind if changes is not None else None)
            except SitegenError as error:
                lines = [str(problem) for problem in error.problems]
                self.hub.failed(lines)
                return RebuildOutcome(changes, None, tuple(lines), (time.perf_counter() - started) * 1000)
        settle_after_rebuild(full=not report.shortcut)
        self.hub.built()
        return RebuildOutcome(changes, report, (), (time.perf_counter() - started) * 1000)

    def serve_forever(self) -> None:
        """Answer requests on a background thread."""
        thread = threading.Thread(target=self.httpd.serve_forever, name="sitegen-http", daemon=True)
        thread.start()
        self._serving = True

    def watch(self, on_rebuild: Callable[[RebuildOutcome], None], *, debounce_ms: int = 50) -> None:
        """Rebuild on every burst of changes until ``stop()``; blocks."""
        logging.getLogger("watchfiles").setLevel(logging.ERROR)  # it logs Ctrl-C as a warning
        root = self.options.root
        watched = [root / name for name in WATCHED if (root / name).is_dir()]
        config = root / CONFIG_FILE
        config_stamp = _stamp(config)
        for raw in watchfiles.watch(
            *watched,
            debounce=debounce_ms,
            step=20,
            stop_event=self.stop_event,
            rust_timeout=500,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            self.watching.set()  # a first pass (changes, or none after rust_timeout) means the watches are in place
            paths = [Path(path) for _, path in raw]
            stamp = _stamp(config)
            if stamp != config_stamp:
                config_stamp = stamp
                paths.append(config)
            changes = classify(root, paths)
            if not changes.empty:
                on_rebuild(self.rebuild(changes))

    def stop(self) -> None:
        """Stop watching and serving; open event streams are told to close."""
        self.stop_event.set()
        self.hub.close()
        if self._serving:  # shutdown() waits for serve_forever(), so only call it once that runs
            self.httpd.shutdown()
        self.httpd.server_close()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)
