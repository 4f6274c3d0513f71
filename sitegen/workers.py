"""The work that build steps hand to worker processes: loading articles, rendering pages.

Each worker process is set up once (a Markdown parser, a Jinja2 environment with its
templates compiled) and then handles many chunks. The setup lives in this module's
``_setup`` because that is how a process-pool initializer hands state to its tasks; it is
per worker process and written once, when the worker starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sitegen.config import Config
from sitegen.content.load import LoadResult, load_article
from sitegen.content.markdown import make_markdown
from sitegen.fingerprint import digest_bytes
from sitegen.render.environment import make_environment
from sitegen.render.pages import render_pages
from sitegen.render.plan import Page

_setup: dict[str, Any] = {}


def init_loader(config: Config, content_files: frozenset[str], shown_prefix: str, settings_key: str) -> None:
    """Prepare this process to load articles."""
    _setup.update(
        config=config,
        md=make_markdown(html=config.markdown.html),
        content_files=content_files,
        shown_prefix=shown_prefix,
        settings_key=settings_key,
    )


def load_chunk(files: Sequence[tuple[str, bytes]]) -> list[LoadResult]:
    """Load each (path under content/, bytes) pair."""
    return [
        load_article(
            relative,
            data,
            config=_setup["config"],
            md=_setup["md"],
            content_files=_setup["content_files"],
            shown_prefix=_setup["shown_prefix"],
            settings_key=_setup["settings_key"],
        )
        for relative, data in files
    ]


def init_renderer(templates: Path, config: Config, pages: Sequence[Page], offline: bool) -> None:
    """Prepare this process to render pages of the plan (inherited, not copied, under fork)."""
    _setup.update(env=make_environment(templates), config=config, pages=pages, offline=offline)


def render_chunk(indexes: Sequence[int]) -> dict[str, bytes]:
    """Render the planned pages at these positions."""
    pages = [_setup["pages"][index] for index in indexes]
    return render_pages(_setup["env"], _setup["config"], pages, offline=_setup["offline"])


def render_chunk_to(staging: Path, indexes: Sequence[int]) -> dict[str, str]:
    """Render the planned pages at these positions straight into ``staging``; their digests.

    Writing here instead of sending the bytes back keeps the build's memory flat: no
    process ever holds the whole rendered site.
    """
    digests: dict[str, str] = {}
    for relative, data in render_chunk(indexes).items():
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        digests[relative] = digest_bytes(data)
    return digests
