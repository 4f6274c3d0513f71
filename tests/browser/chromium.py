"""Debian's Chromium driven by Playwright: how to launch it, and what to say when it is missing.

Shared by every browser test; without Chromium or Playwright the tests skip with the install
command, and with CI set they fail instead (a missing browser must never pass CI quietly).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT_MS = 15_000


def missing_tool(message: str) -> NoReturn:
    """Skip locally, fail under CI: a check that cannot run must not look like a pass there."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> None:
    """Skip (or, under CI, fail) unless Playwright and Debian's Chromium are installed."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append('pip install ".[test]"  (Playwright for Python)')
    if not CHROMIUM.exists():
        missing.append("apt-get update && apt-get install -y chromium")
    if missing:
        missing_tool(
            "the browser tests need Playwright and Debian's Chromium; install them with: " + " and ".join(missing)
        )


def launch(playwright: Playwright) -> Browser:
    """Headless Chromium from /usr/bin, never a browser that Playwright downloads."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True)
