"""Render planned pages to bytes, turning template mistakes into located errors."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from sitegen.config import Config
from sitegen.errors import Problem, TemplateError, display_path
from sitegen.render.plan import Page
from sitegen.urls import link_from_folders, output_file, page_folders
from sitegen.wording import counted


@dataclass(frozen=True)
class Linker:
    """Makes links from one page to any URL of the site (callable from templates)."""

    page_url: str
    base_path: str
    offline: bool = False
    absolute: bool = False  # the 404 page is served at any depth, so its links start at the root
    folders: tuple[str, ...] = field(init=False, repr=False, compare=False)  # split once: a page makes many links

    def __post_init__(self) -> None:
        object.__setattr__(self, "folders", page_folders(self.page_url))

    def __call__(self, url: str) -> str:
        if self.absolute:
            return self.base_path + url.lstrip("/")
        return link_from_folders(self.folders, url, explicit_index=self.offline)


@dataclass(frozen=True)
class PageFailure:
    """A template problem met while rendering one page (``url`` None: it is not the page's doing)."""

    path: str
    line: int | None
    message: str
    url: str | None


class PageTemplateError(TemplateError):
    """Template problems of many pages, reported once per template location."""

    def __init__(self, failures: list[PageFailure] | tuple[PageFailure, ...]) -> None:
        self.failures = tuple(failures)
        super().__init__(group_failures(self.failures))

    def __reduce__(self) -> tuple[type[PageTemplateError], tuple[list[PageFailure]]]:  # type: ignore[override]
        # Workers send their failures back pickled, to be grouped with the other workers'.
        return (type(self), (list(self.failures),))


def group_failures(failures: Iterable[PageFailure]) -> list[Problem]:
    """One problem per template location and message: ``... (rendering / and 28 more pages)``."""
    pages: dict[tuple[str, int | None, str], list[str]] = {}
    for failure in failures:
        urls = pages.setdefault((failure.path, failure.line, failure.message), [])
        if failure.url is not None and failure.url not in urls:
            urls.append(failure.url)
    problems = []
    for (path, line, message), urls in pages.items():
        if urls:
            more = f" and {counted(len(urls) - 1, 'more page')}" if len(urls) > 1 else ""
            message = f"{message} (rendering {urls[0]}{more})"
        problems.append(Problem(path, line, message))
    return problems


def render_pages(env: jinja2.Environment, config: Config, pages: Iterable[Page], *, offline: bool) -> dict[str, bytes]:
    """Map each page's output file to its HTML; every template problem is collected."""
    outputs: dict[str, bytes] = {}
    failures: list[PageFailure] = []
    for page in pages:
        try:
            outputs[output_file(page.url)] = render_page(env, config, page, offline=offline)
        except PageTemplateError as error:
            failures.extend(error.failures)
    if failures:
        raise PageTemplateError(failures)
    return outputs


def render_page(env: jinja2.Environment, config: Config, page: Page, *, offline: bool) -> bytes:
    """One page's HTML."""
    link = Linker(page.url, config.base_path, offline=offline, absolute=page.kind == "404")
    context = {
        **page.context,
        "site": config,
        "page": page,
        "link": link,
        "canonical": _absolute(config.base_url, page.url),
    }
    try:
        return env.get_template(page.template).render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as error:
        where = display_path_of(error.filename) if error.filename else error.name or page.template
        raise PageTemplateError(
            [PageFailure(where, error.lineno, f"template syntax error: {error.message}", None)]
        ) from None
    except jinja2.TemplateNotFound as error:
        message = f"template '{error.name}' not found in templates/ or the default theme"
        raise PageTemplateError([_located(error, message, page)]) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
        raise PageTemplateError([_located(error, f"template error: {error}", page)]) from None


def _located(error: BaseException, message: str, page: Page) -> PageFailure:
    """Find the template line in the traceback Jinja2 rewrites to point into templates."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            return PageFailure(display_path_of(frame.filename), frame.lineno, message, page.url)
    return PageFailure(page.template, None, message, page.url)


def display_path_of(filename: str) -> str:
    """Template file names as a user would type them."""
    return display_path(Path(filename))


def _absolute(base_url: str, url: str) -> str:
    return base_url + url.lstrip("/")
