"""Hugo's shortcodes (``{{< name >}}``, ``{{% name %}}``, the ``{{</* */>}}`` escape) and Zola's
(``{{ name(...) }}``, ``@/`` links), translated by the table in ``translations.py``."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from sitegen.content.conventions.translations import Call, Page, translators

# An opening, closing or self-closing Hugo shortcode; the escape keeps its text as written.
_HUGO = re.compile(
    r"\{\{(?P<open>[<%])(?P<escape>/\*)?\s*(?P<close>/)?(?P<name>[\w.-]+)(?P<args>.*?)\s*(?:\*/)?(?P<self>/)?\s*[>%]\}\}",
    re.DOTALL,
)
_ARG = re.compile(r'(?:(\w+)=)?("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)')
_ZOLA_CALL = re.compile(r"\{\{\s*(?P<name>\w+)\((?P<args>[^)]*)\)\s*\}\}")
_ZOLA_BLOCK = re.compile(r"\{%\s*(?P<name>\w+)\((?P<args>[^)]*)\)\s*%\}(?P<inner>.*?)\{%\s*end\s*%\}", re.DOTALL)
_ZOLA_LINK = re.compile(r"(\]\(|\]:\s*)@/(?P<path>[^)\s#]+)(?P<anchor>#[^)\s]*)?")


@dataclass
class Translated:
    """A body with its shortcodes translated, and (line, warning) for what stayed as text."""

    text: str
    notes: list[tuple[int, str]] = field(default_factory=list)


def uses_hugo_shortcodes(body: str) -> bool:
    """Whether the body has anything Hugo's shortcode syntax would treat."""
    return "{{" in body and ("{{<" in body or "{{%" in body)


def translate_hugo(body: str, page: Page) -> Translated:
    """Translate Hugo's shortcodes; an unknown one stays as written, with one warning."""
    table = translators("Hugo")
    out: list[str] = []
    notes: dict[str, int] = {}
    position = 0
    matches = list(_HUGO.finditer(body))
    index = 0
    while index < len(matches):
        match = matches[index]
        index += 1
        out.append(body[position : match.start()])
        position = match.end()
        if match.group("escape"):  # {{</* x */>}} is shown as {{< x >}}
            shown = re.sub(r"^\{\{([<%])/\*", r"{{\1", match.group(0))
            out.append(re.sub(r"\*/([>%])\}\}$", r"\1}}", shown))
            continue
        name = match.group("name")
        call = _hugo_call(name, match.group("args"))
        translate = table.get(name)
        inner_end = None
        if not match.group("close") and not match.group("self"):
            closer = _find_closer(matches, index, name)
            if closer is not None:
                inner_end = closer
        if inner_end is not None and translate is not None:
            closer_match = matches[inner_end]
            call = Call(call.name, call.positional, call.named, body[match.end() : closer_match.start()])
        result = translate(call, page) if translate is not None and not match.group("close") else None
        if result is None:
            if not match.group("close"):
                notes.setdefault(name, body.count("\n", 0, match.start()) + 1)
            out.append(match.group(0))
            continue
        out.append(result)
        if inner_end is not None:
            position = matches[inner_end].end()
            index = inner_end + 1
    out.append(body[position:])
    return Translated(
        "".join(out),
        [(line, f"the Hugo shortcode '{name}' is not translated; it is shown as text") for name, line in notes.items()],
    )


def _find_closer(matches: list[re.Match[str]], start: int, name: str) -> int | None:
    depth = 0
    for index in range(start, len(matches)):
        match = matches[index]
        if match.group("escape") or match.group("name") != name:
            continue
        if match.group("close"):
            if depth == 0:
                return index
            depth -= 1
        elif not match.group("self"):
            depth += 1
    return None


def _hugo_call(name: str, args: str) -> Call:
    positional: list[str] = []
    named: dict[str, str] = {}
    for match in _ARG.finditer(args):
        key, value = match.group(1), _unquote(match.group(2))
        if key:
            named[key] = value
        else:
            positional.append(value)
    return Call(name, tuple(positional), named)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in '"`':
        inner = value[1:-1]
        return inner.replace('\\"', '"') if value[0] == '"' else inner
    return value


def uses_zola_syntax(body: str) -> bool:
    """Whether the body has Zola shortcodes or ``@/`` links."""
    return "@/" in body or "{{" in body or "{%" in body


def translate_zola(body: str, page: Page) -> Translated:
    """Resolve ``@/`` links and translate Zola's built-in shortcodes; the rest stay as text."""
    table = translators("Zola")
    notes: dict[str, int] = {}

    def line_of(position: int) -> int:
        return body.count("\n", 0, position) + 1

    def link(match: re.Match[str]) -> str:
        found = page.targets.find(match.group("path"), "")
        url = page.targets.url_of(found) if found else None
        if url is None:
            notes.setdefault("@/" + match.group("path"), line_of(match.start()))
            return match.group(0)
        return match.group(1) + url + (match.group("anchor") or "")

    def call(match: re.Match[str]) -> str:
        name = match.group("name")
        translate = table.get(name)
        named = {
            m.group(1): _unquote(m.group(2))
            for m in re.finditer(r'(\w+)\s*=\s*("[^"]*"|`[^`]*`|[^,\s]+)', match.group("args"))
        }
        inner = match.groupdict().get("inner")
        result = translate(Call(name, (), named, inner), page) if translate else None
        if result is None:
            notes.setdefault(name, line_of(match.start()))
            return match.group(0)
        return result

    text = _ZOLA_LINK.sub(link, body)
    text = _ZOLA_BLOCK.sub(call, text)
    text = _ZOLA_CALL.sub(call, text)
    messages = []
    for name, line in notes.items():
        if name.startswith("@/"):
            messages.append((line, f"the link '{name}' names no article under content/; it is shown as written"))
        else:
            messages.append((line, f"the Zola shortcode '{name}' is not translated; it is shown as text"))
    return Translated(text, sorted(messages))


_PELICAN_LINK = re.compile(
    r"(\]\(|\]:\s*|\s(?:src|href)=[\"'])\{(?P<kind>filename|static|attach|tag|category|author|index)\}(?P<path>[^)\s\"'#]*)(?P<anchor>#[^)\s\"']*)?"
)


def uses_pelican_links(body: str) -> bool:
    """Whether the body has Pelican's ``{filename}`` or ``{static}`` links."""
    return "{filename}" in body or "{static}" in body or "{attach}" in body or "{tag}" in body or "{category}" in body


def translate_pelican(body: str, page: Page) -> Translated:
    """Pelican's intra-site links: ``{filename}`` gives the article's URL, ``{static}`` and
    ``{attach}`` the file (copied as any linked file); the rest stay as written."""
    notes: dict[str, int] = {}

    def link(match: re.Match[str]) -> str:
        kind, path = match.group("kind"), match.group("path")
        anchor = match.group("anchor") or ""
        if kind in ("filename", "static", "attach") and path:
            found = page.targets.find(path, page.folder)
            if found is not None and kind == "filename":
                url = page.targets.url_of(found)
                if url is not None:
                    return match.group(1) + url + anchor
            elif found is not None:
                return match.group(1) + posixpath.relpath(found, page.folder or ".") + anchor
        notes.setdefault("{" + kind + "}", body.count("\n", 0, match.start()) + 1)
        return match.group(0)

    text = _PELICAN_LINK.sub(link, body)
    return Translated(
        text,
        sorted(
            (line, f"the Pelican link '{name}' is not translated; it is shown as written")
            for name, line in notes.items()
        ),
    )
