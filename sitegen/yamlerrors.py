"""Explain PyYAML's syntax errors: the line where the mistake starts, and how to fix it.

PyYAML reports where it gave up (its ``problem_mark``), which for an unclosed quote or
bracket is the end of the text; the ``context_mark`` says where the quoted value or list
began, and the text itself shows the common front-matter mistakes (a ``: `` inside an
unquoted title, a value starting with ``@``). Each rule below looks for one mistake and
says what to write instead; the first that recognises the error wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Explanation:
    """Where a YAML mistake starts (0-based line of the text) and what to do about it."""

    line: int | None
    message: str


_KEY_VALUE = re.compile(r"^(?P<indent>\s*)(?:- )?(?P<key>[^\s:#'\"\[\]{},][^:#\[\]{},]*?):[ \t]+(?P<value>\S.*?)\s*$")


def explain(error: yaml.MarkedYAMLError, text: str) -> Explanation:
    """The first line of the mistake and a message that says the fix."""
    lines = text.split("\n")
    for rule in _RULES:
        found = rule(error, lines)
        if found is not None:
            return found
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    return Explanation(mark.line if mark is not None else None, f"invalid YAML: {_first_line(problem)}")


def _unclosed_quote(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    """A value that opens a quote and never closes it on its line, before where PyYAML gave up."""
    end = error.problem_mark.line if error.problem_mark is not None else len(lines) - 1
    start = error.context_mark.line if "quoted scalar" in (error.context or "") and error.context_mark else 0
    for number in range(start, min(end, len(lines) - 1) + 1):
        match = _KEY_VALUE.match(lines[number])
        if match is None:
            continue
        value = match["value"]
        quote = value[0]
        if quote in "\"'" and not _closes(value, quote):
            return Explanation(
                number,
                f"invalid YAML: the quote {quote} that starts the value of '{match['key'].strip()}' is not closed; "
                f"end the value with {quote}",
            )
    if "quoted scalar" in (error.context or "") and error.context_mark is not None:  # a quote inside a list
        line = error.context_mark.line
        quote = lines[line][error.context_mark.column] if line < len(lines) else '"'
        return Explanation(
            line, f"invalid YAML: the quote {quote} opened on this line is not closed; close it with {quote}"
        )
    return None


def _closes(value: str, quote: str) -> bool:
    """Whether a value that starts with ``quote`` has its closing quote on the same line."""
    index = 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1 : index + 2] == "'":  # '' is a quote inside '...'
                index += 2
                continue
            return True
        index += 1
    return False


def _unclosed_bracket(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    """A ``[`` list or ``{`` mapping that is not closed: PyYAML names where it was opened,
    or, when the text ends inside it, the brackets show it."""
    context, problem = error.context or "", error.problem or ""
    if error.context_mark is None or "flow" not in context:
        return None
    if "expected ','" in problem and ("sequence" in context or "mapping" in context):
        line, opening = error.context_mark.line, "[" if "sequence" in context else "{"
    elif "expected node content" in problem and error.problem_mark is not None:
        found = _last_unclosed(lines[: error.problem_mark.line + 1])
        if found is None:
            return None
        line, opening = found
    else:
        return None
    closing, what = ("]", "list") if opening == "[" else ("}", "mapping")
    return Explanation(
        line,
        f"invalid YAML: the {what} opened with '{opening}' on this line is not closed; end it with '{closing}' "
        f"(or put the whole value in quotes)",
    )


def _last_unclosed(lines: Sequence[str]) -> tuple[int, str] | None:
    """The line and character of the innermost ``[`` or ``{`` left open (quoted text aside)."""
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        quote = ""
        for char in line:
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                stack.append((number, char))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _colon_in_value(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    """``title: Energy: the next decade``: a second ``: `` on a line makes YAML see a mapping."""
    mark = error.problem_mark
    if mark is None or "mapping values are not allowed" not in (error.problem or "") or mark.line >= len(lines):
        return None
    match = _KEY_VALUE.match(lines[mark.line])
    if match is None or match.start("value") > mark.column:
        return None
    key, value = match["key"].strip(), match["value"]
    return Explanation(
        mark.line, f"invalid YAML: the value of '{key}' contains ': '; put it in quotes: {key}: {_quoted(value)}"
    )


def _no_space_after_colon(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    """``date:2024-03-05``: without a space after the colon, YAML reads one long text, not a field."""
    mark = error.problem_mark
    problem = error.problem or ""
    if mark is None or not ("mapping values are not allowed" in problem or "expected ':'" in problem):
        return None
    for number in range(min(mark.line, len(lines) - 1), -1, -1):
        line = lines[number]
        found = re.match(r"^(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:].*)$", line)
        if found:
            return Explanation(
                number, f"invalid YAML: put a space after the colon: {found['key']}: {found['value'].strip()}"
            )
        if number < mark.line and line.strip() and not line[:1].isspace():
            return None  # the text PyYAML was reading starts on this line, and it is not that mistake
    return None


def _missing_colon(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    """``date 2024-03-05``: a field name without its colon."""
    mark = error.context_mark
    simple_key = "simple key" in (error.context or "")
    if mark is None or not simple_key or "expected ':'" not in (error.problem or "") or mark.line >= len(lines):
        return None
    found = re.match(r"^\s*(?P<key>[A-Za-z_][\w-]*)\s+(?P<value>\S.*)$", lines[mark.line])
    fix = f"; write it as {found['key']}: {found['value'].strip()}" if found else ""
    return Explanation(mark.line, f"invalid YAML: this line has no ':' after a field name{fix}")


def _indented_field(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    """``  date: ...`` under ``title: x``: indented, it reads as more of the title's text."""
    mark = error.problem_mark
    if mark is None or "mapping values are not allowed" not in (error.problem or "") or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    indent = len(line) - len(line.lstrip(" "))
    previous = next((lines[n] for n in range(mark.line - 1, -1, -1) if lines[n].strip()), None)
    above = _KEY_VALUE.match(previous) if previous is not None else None
    if indent == 0 or above is None or len(above["indent"]) >= indent:
        return None
    key = line.strip().split(":", 1)[0]
    return Explanation(
        mark.line,
        f"invalid YAML: '{key}' is indented under '{above['key'].strip()}', which has a value already; "
        f"remove the spaces before '{key}'",
    )


def _text_after_quoted_value(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    """``title: "Quoted" and more``: the quotes end the value, and the rest cannot follow."""
    mark = error.problem_mark
    if mark is None or "expected" not in (error.problem or "") or mark.line >= len(lines):
        return None
    match = _KEY_VALUE.match(lines[mark.line])
    if match is None:
        return None
    value = match["value"]
    quote = value[0]
    if quote not in "\"'" or not _closes(value, quote) or _quoted_part_is_all(value, quote):
        return None
    key = match["key"].strip()
    return Explanation(
        mark.line,
        f"invalid YAML: text follows the quoted part of '{key}'; quote the whole value: {key}: {_quoted(value)}",
    )


def _quoted_part_is_all(value: str, quote: str) -> bool:
    rest = value[1:]
    return rest.endswith(quote) and not _closes(value[:-1], quote)


def _cannot_start(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    """``title: @handle``: ``@``, backticks and ``%`` are reserved at the start of a plain value."""
    mark = error.problem_mark
    problem = error.problem or ""
    if mark is None or "cannot start any token" not in problem or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    char = line[mark.column : mark.column + 1]
    if char == "\t":
        return Explanation(mark.line, "invalid YAML: a tab indents this line; indent with spaces")
    match = _KEY_VALUE.match(line)
    if match is None or match.start("value") != mark.column or char not in "@`%":
        return None
    key, value = match["key"].strip(), match["value"]
    return Explanation(
        mark.line, f"invalid YAML: a value cannot start with {char}; put it in quotes: {key}: {_quoted(value)}"
    )


def _tab(error: yaml.MarkedYAMLError, lines: Sequence[str]) -> Explanation | None:
    mark = error.problem_mark
    if mark is None or "tab" not in (error.problem or ""):
        return None
    return Explanation(mark.line, "invalid YAML: a tab indents this line; indent with spaces")


def _quoted(value: str) -> str:
    """The value in double quotes, or in single quotes when it holds double quotes."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "invalid YAML"


_Rule = Callable[[yaml.MarkedYAMLError, Sequence[str]], Explanation | None]

# Order matters: an unclosed quote explains most of the errors that follow it.
_RULES: tuple[_Rule, ...] = (
    _unclosed_quote,
    _unclosed_bracket,
    _tab,
    _colon_in_value,
    _indented_field,
    _no_space_after_colon,
    _missing_colon,
    _text_after_quoted_value,
    _cannot_start,
)
