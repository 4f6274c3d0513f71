"""What `sitegen import` was given, sorted into saved pages and leads to follow on the web."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen.importer.exports import READERS
from sitegen.importer.fetch import Capture, FetchPolicy, Pace, fetch_one, make_client
from sitegen.importer.leads import ExportProblem, Lead, is_web_url, url_list

EXPORT_KINDS = tuple(READERS)


@dataclass(frozen=True)
class Sources:
    """Saved pages to import as before, leads to fetch, and the inputs that could not be read."""

    pages: tuple[str, ...]  # file paths, or '-' for a page on standard input
    leads: tuple[Lead, ...]
    problems: tuple[str, ...]  # "name: reason"


def sort_sources(names: list[str], stdin_text: str | None) -> Sources:
    """URLs become leads; '-' is a list of URLs when every line is one, else a page; the rest are files."""
    pages: list[str] = []
    leads: list[Lead] = []
    problems: list[str] = []
    for name in names:
        if is_web_url(name):
            leads.append(Lead(name.strip()))
        elif "://" in name:
            problems.append(f"{name}: not a valid http:// or https:// URL")
        elif name == "-" and stdin_text is not None and _is_url_list(stdin_text):
            found, bad = url_list(stdin_text)
            leads += found
            problems += [f"<stdin>: {line!r} is not an http:// or https:// URL" for line in bad]
        else:
            pages.append(name)
    return Sources(tuple(pages), tuple(leads), tuple(problems))


def _is_url_list(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return bool(lines) and all(is_web_url(line) for line in lines)


def read_exports(kind: str, names: list[str], policy: FetchPolicy, stdin_bytes: bytes | None) -> Sources:
    """The leads in each export of one kind (a feed may be a URL); unreadable exports as problems."""
    reader = READERS[kind]
    leads: list[Lead] = []
    problems: list[str] = []
    for name in names:
        try:
            data = _export_bytes(name, policy, stdin_bytes)
            leads += reader(data, Path(name))
        except ExportProblem as problem:
            problems.append(f"{'<stdin>' if name == '-' else name}: {problem.message}")
    return Sources((), tuple(leads), tuple(problems))


def _export_bytes(name: str, policy: FetchPolicy, stdin_bytes: bytes | None) -> bytes:
    if name == "-":
        if stdin_bytes is None:
            raise ExportProblem("no standard input was given")
        return stdin_bytes
    if is_web_url(name):
        with make_client(policy) as client:
            result = fetch_one(client, name, policy, Pace(0), any_type=True)
        if not isinstance(result, Capture):
            raise ExportProblem(result.reason)
        return result.body
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise ExportProblem(f"cannot read the file ({error.strerror or error})") from error
