"""Make the two pictures README.md shows: docs/screenshot-home.png and docs/screenshot-article.png.

The bundled example archive (the repository's content/) is built into a temporary folder,
served on loopback and photographed at desktop size (1280x800, light mode) by Debian's
Chromium. Run it by hand after changing the theme, from the repository root:

    python tests/browser/readme_screenshots.py

test_pictures.py checks that the committed pictures are there, the right size and small.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from sitegen.build import BuildOptions, build

sys.path.insert(0, str(Path(__file__).parent))
from chromium import launch  # run as a script: the helper sits beside it

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PICTURES = {
    "screenshot-home.png": "",
    "screenshot-article.png": "2023/05/harbor-emissions-report/",
}
ARCHIVE_PARTS = ("content", "templates", "static", "sitegen.yaml")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    """Build, serve and photograph the example archive."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "archive"
        for part in ARCHIVE_PARTS:
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, root / part)
            elif source.is_file():
                root.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, root / part)
        build(BuildOptions(root=root, workers=1))
        handler = functools.partial(_QuietHandler, directory=str(root / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        DOCS.mkdir(exist_ok=True)
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                page = browser.new_page(viewport={"width": 1280, "height": 800}, color_scheme="light")
                for name, path in PICTURES.items():
                    page.goto(base + path)
                    page.screenshot(path=str(DOCS / name), animations="disabled")
                    print(f"{DOCS / name}: {(DOCS / name).stat().st_size // 1024} KB")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
