"""Helpers shared by the importer tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml

from .web_server import WebServer, serve

Article = tuple[dict[str, Any], list[str]]


def split_article(text: str) -> Article:
    """Front matter (parsed) and body paragraphs of an article file's text."""
    assert text.startswith("---\n")
    header, _, body = text[4:].partition("\n---\n")
    fields = yaml.safe_load(header)
    assert isinstance(fields, dict)
    return fields, [p for p in body.strip().split("\n\n") if p]


@pytest.fixture
def read_article() -> Callable[[str], Article]:
    """Parse an article file's text into its front matter and paragraphs."""
    return split_article


@pytest.fixture
def web() -> Iterator[WebServer]:
    """A real HTTP server on 127.0.0.1 (also reachable as 'localhost': a second host)."""
    state = WebServer(port=0)
    with serve(state):
        yield state
