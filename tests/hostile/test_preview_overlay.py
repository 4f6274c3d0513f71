"""The preview's overlay cannot collide with a page's own ids (issue 22), in real Chromium.

A heading "Sitegen error overlay" gets the id ``sitegen-error-overlay``, which the overlay
used to be found by: that page reloaded endlessly and never showed an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from conftest import MakeSite, article

from sitegen.build import BuildOptions
from sitegen.serve.preview import Preview
from tests.browser.chromium import TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Set once the page's event stream has said hello (or errors): the server will tell it of changes.
NOTE_CONNECTION = """
window.EventSource = class extends window.EventSource {
  constructor(...args) {
    super(...args);
    for (const name of ["hello", "errors"]) this.addEventListener(name, () => { window.testConnected = true; });
  }
};
"""
COLLIDING = article("Overlay", "2024-03-05", "## Sitegen error overlay\n\nA heading with the overlay's old id.")


def test_a_heading_named_like_the_overlay_neither_reloads_nor_hides_errors(
    browser: Browser, make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({"content/overlay.md": COLLIDING, "content/other.md": article("Other", "2024-03-06")})
    monkeypatch.chdir(root)
    server = Preview(BuildOptions(root=root, workers=1), port=0)
    server.serve_forever()
    context = browser.new_context()
    try:
        context.add_init_script(NOTE_CONNECTION)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(server.url + "2024/03/overlay/")
        page.wait_for_function("() => window.testConnected === true")
        page.evaluate("() => { window.notReloaded = true; }")
        assert page.locator("h2#sitegen-error-overlay").inner_text() == "Sitegen error overlay"

        (root / "content/other.md").write_text(article("Other", "the sixth of March"), encoding="utf-8")
        assert server.rebuild(None).errors
        overlay = page.locator("sitegen-error-overlay")
        overlay.wait_for()
        assert overlay.get_attribute("role") == "alert"
        assert "content/other.md:3: 'date' is not a date" in overlay.inner_text()
        assert page.evaluate("() => window.notReloaded") is True
        assert page.locator("h2#sitegen-error-overlay").count() == 1

        (root / "content/other.md").write_text(article("Other", "2024-03-06"), encoding="utf-8")
        assert server.rebuild(None).errors == ()
        page.wait_for_function("() => window.notReloaded === undefined")  # the fixed build reloads the page
        page.wait_for_function("() => window.testConnected === true")
        assert overlay.count() == 0
    finally:
        context.close()
        server.stop()
