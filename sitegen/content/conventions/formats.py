"""Front matter in each generator's format: YAML ``---``, TOML ``+++``, JSON ``{...}``, and
Pelican's ``Key: value`` header lines. Every format gives the same shape: a mapping, the line
of each top-level key, the body and the body's first line."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from sitegen.content.frontmatter import FrontMatterError, split_front_matter
from sitegen.yamlio import Lines, YamlSyntaxError, load_yaml

TOML_FENCE = "+++"


@dataclass(frozen=True)
class FrontMatter:
    """A file's fields, where each was written, and its body."""

    data: Any
    lines: Lines
    body: str
    body_line: int  # 1-based
    kind: str  # "yaml", "toml", "json" or "headers"


def read_front_matter(text: str) -> FrontMatter:
    """Read the front matter in whichever format the file starts with.

    Raises ``FrontMatterError`` or ``YamlSyntaxError`` with the line of the problem.
    """
    first = text.split("\n", 1)[0].rstrip()
    if first == TOML_FENCE:
        return _read_toml(text)
    if first.startswith("{") and not first.startswith("{{"):
        return _read_json(text)
    if first != "---":
        headers = _read_headers(text)
        if headers is not None:
            return headers
    parts = split_front_matter(text)  # YAML, or the error that says how to write it
    document = load_yaml(parts.front_matter, first_line=2)
    return FrontMatter(document.data, document.lines, parts.body, parts.body_line, "yaml")


def _read_toml(text: str) -> FrontMatter:
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == TOML_FENCE), None)
    if end is None:
        raise FrontMatterError(1, "front matter is not closed: add a line '+++' after the last field")
    source = "\n".join(lines[1:end])
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r"\(at line (\d+), column \d+\)", message)
        at = int(where.group(1)) + 1 if where else end  # "at end of document": its last line
        detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise FrontMatterError(at, f"invalid TOML: {detail}") from None
    key_lines: Lines = {}
    for number, line in enumerate(lines[1:end], start=2):
        match = re.match(r'^\s*\[?\s*"?([\w.-]+)"?\s*[\]=]', line)
        if match:
            key_lines.setdefault((match.group(1).split(".")[0],), number)
    return FrontMatter(data, key_lines, "\n".join(lines[end + 1 :]), end + 2, "toml")


def _read_json(text: str) -> FrontMatter:
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as error:
        raise FrontMatterError(error.lineno, f"invalid JSON front matter: {error.msg}") from None
    head = text[:end]
    key_lines: Lines = {}
    depth = 0
    for number, line in enumerate(head.split("\n"), start=1):
        match = re.match(r'^\s*"([^"]+)"\s*:', line)
        if match and depth == 1:
            key_lines.setdefault((match.group(1),), number)
        depth += line.count("{") + line.count("[") - line.count("}") - line.count("]")
    rest = text[end:]
    newline = rest.find("\n")
    body = rest[newline + 1 :] if newline >= 0 else ""
    return FrontMatter(data, key_lines, body, head.count("\n") + 2, "json")


_HEADER = re.compile(r"^([A-Za-z][\w -]*?):\s*(.*)$")


def _read_headers(text: str) -> FrontMatter | None:
    """Pelican's (Python-Markdown's) metadata: ``Key: value`` lines up to the first blank line;
    an indented line continues the value above. Keys are case-insensitive, values text.
    Taken as front matter only when it names a title or a date."""
    lines = text.split("\n")
    data: dict[str, str] = {}
    key_lines: Lines = {}
    last = ""
    end = len(lines)
    for number, line in enumerate(lines):
        if not line.strip():
            end = number
            break
        match = _HEADER.match(line)
        if match and not line[0].isspace():
            last = match.group(1).strip().lower()
            data[last] = match.group(2).strip()
            key_lines[(last,)] = number + 1
        elif last and line[0].isspace():
            data[last] = f"{data[last]} {line.strip()}".strip()
        else:
            return None
    if "title" not in data and "date" not in data:
        return None
    return FrontMatter(data, key_lines, "\n".join(lines[end + 1 :]), end + 2, "headers")


__all__ = ["FrontMatter", "FrontMatterError", "YamlSyntaxError", "read_front_matter"]
