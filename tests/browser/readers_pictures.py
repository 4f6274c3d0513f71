"""Make the pictures of the readers' features README.md shows (docs/readers-*.png).

* readers-arabic-article.png: an article in the browser suite's Arabic archive, right to left;
* readers-topic-chart.png: a topic page with its chart, the example archive with ``language: de``;
* readers-cite-phone.png, readers-cite-desktop.png: an article's Cite section at both widths
  (the example archive as it is).

Run it by hand after changing the theme, from the repository root:

    python tests/browser/readers_pictures.py
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from sitegen.build import BuildOptions, build

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from chromium import launch  # run as a script: the helpers sit beside it

from tests.browser.languages import VARIANTS, language_archive

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _served(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _arabic(root: Path) -> Path:
    for relative, text in language_archive("ar").items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    build(BuildOptions(root=root, workers=1))
    return root / "site"


def _example(root: Path, language: str) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    config = (REPO / "sitegen.yaml").read_text(encoding="utf-8").replace("language: en", f"language: {language}")
    (root / "sitegen.yaml").write_text(config, encoding="utf-8")
    build(BuildOptions(root=root, workers=1))
    return root / "site"


def main() -> None:
    """Build, serve and photograph the two archives."""
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary, sync_playwright() as playwright:
        arabic = _arabic(Path(temporary) / "arabic")
        german = _example(Path(temporary) / "german", "de")
        english = _example(Path(temporary) / "english", "en")
        browser = launch(playwright)
        page = browser.new_page(viewport=DESKTOP, color_scheme="light")
        with _served(arabic) as base:
            page.goto(base + VARIANTS["ar"][2])
            page.screenshot(path=str(DOCS / "readers-arabic-article.png"), animations="disabled")
        with _served(german) as base:
            page.goto(base + "topics/energy/")
            page.screenshot(path=str(DOCS / "readers-topic-chart.png"), animations="disabled")
        with _served(english) as base:
            for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
                page.set_viewport_size(size)
                page.goto(base + "2024/03/ferry-electrification-pilot/")
                page.locator("section.cite").screenshot(
                    path=str(DOCS / f"readers-cite-{name}.png"), animations="disabled"
                )
        browser.close()
    for picture in sorted(DOCS.glob("readers-*.png")):
        print(f"{picture}: {picture.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
