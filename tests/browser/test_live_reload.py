"""Live reload with the real preview server: an open tab follows the files being saved.

``Preview`` serves and watches a copy of the fixture archive on loopback; the tab is never
reloaded by the test. Saving an article shows its new text, breaking it shows the error
overlay over the last good page, and fixing it takes the overlay away.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitegen.build import BuildOptions
from sitegen.serve.preview import Preview, RebuildOutcome

from .archive import FERRY
from .conftest import VIEWPORTS, Tab, write_archive

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ARTICLE = "content/2025/night-ferry.md"
ORIGINAL = "Councillors approved the plan by eleven votes to two."
# Marks the page once its event stream has said hello, that is once the server will tell it about changes.
_NOTE_CONNECTION = """
window.EventSource = class extends window.EventSource {
  constructor(...args) {
    super(...args);
    this.addEventListener("hello", () => { window.sitegenTestConnected = true; });
    this.addEventListener("errors", () => { window.sitegenTestConnected = true; });
  }
};
"""


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """``sitegen serve`` on a free port, watching a copy of the fixture archive."""
    root = write_archive(tmp_path / "archive")
    server = Preview(BuildOptions(root=root, workers=1), port=0)
    server.serve_forever()
    outcomes: list[RebuildOutcome] = []
    watcher = threading.Thread(target=server.watch, args=(outcomes.append,), name="preview-watch", daemon=True)
    watcher.start()
    _wait_until_watching(root / ARTICLE, outcomes)
    yield server
    server.stop()
    watcher.join(timeout=10)
    assert not watcher.is_alive()


def _wait_until_watching(article: Path, outcomes: list[RebuildOutcome]) -> None:
    """Save the article unchanged until a rebuild shows the watcher has started."""
    text = article.read_text(encoding="utf-8")
    deadline = time.monotonic() + 15
    while not outcomes:
        assert time.monotonic() < deadline, "the preview never noticed a saved file"
        article.write_text(text, encoding="utf-8")
        time.sleep(0.2)


@pytest.fixture
def preview_tab(browser: Browser, preview: Preview) -> Iterator[Tab]:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script(_NOTE_CONNECTION)
    tab = Tab(context.new_page(), preview.url)
    yield tab
    context.close()
    tab.check()


def _save(preview: Preview, text: str) -> None:
    (preview.options.root / ARTICLE).write_text(text, encoding="utf-8")


def test_saving_breaking_and_fixing_an_article_shows_in_the_open_tab(preview: Preview, preview_tab: Tab) -> None:
    page = preview_tab.open("2025/04/night-ferry/")
    page.wait_for_function("() => window.sitegenTestConnected === true")
    assert page.get_by_text(ORIGINAL).is_visible()

    _save(preview, FERRY.replace(ORIGINAL, "Councillors approved the plan by twelve votes to one."))
    page.get_by_text("twelve votes to one").wait_for()
    assert page.get_by_text(ORIGINAL).count() == 0

    _save(preview, FERRY.replace("date: 2025-04-14T18:30:00+01:00", "date: the fourteenth of April"))
    overlay = page.locator("sitegen-error-overlay")
    overlay.wait_for()
    assert overlay.get_attribute("role") == "alert"
    assert f"{ARTICLE}:3:" in overlay.inner_text()
    assert page.get_by_text("twelve votes to one").count() == 1  # the last good page stays underneath

    _save(preview, FERRY.replace(ORIGINAL, "Councillors approved the plan by thirteen votes to none."))
    page.get_by_text("thirteen votes to none").wait_for()
    assert overlay.count() == 0
    assert page.get_by_text("twelve votes to one").count() == 0
