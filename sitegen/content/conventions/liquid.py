"""Jekyll's Liquid, rendered before Markdown as Jekyll renders it, by python-liquid.

The context is Jekyll-like: ``page`` (the front matter, with ``url``, ``date`` and ``title``),
``site`` (``title``, ``url``, ``baseurl`` and ``data`` from ``_data/``), ``include`` inside an
include. Jekyll's tags ``highlight``, ``link``, ``post_url`` and ``include`` are added;
``raw``, ``assign``, ``for`` and the rest are Liquid's own. A tag Liquid does not know (a
Jekyll plugin's) stays as text, with one warning per kind and file.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from collections.abc import Mapping
from typing import Any, TextIO

from liquid import Environment
from liquid.ast import BlockNode, Node
from liquid.context import RenderContext
from liquid.exceptions import LiquidError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

from sitegen.content.conventions.files import ARTICLE_SUFFIXES
from sitegen.content.conventions.targets import Targets
from sitegen.urls import slugify
from sitegen.yamlio import YamlSyntaxError, load_yaml

_TAG = re.compile(r"\{%-?\s*(\w+)")
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)


def render_liquid(
    body: str, page: Mapping[str, Any], targets: Targets, site_title: str, base_url: str, relative: str
) -> tuple[str, list[tuple[int, str]]]:
    """The body with its Liquid rendered, and (line, warning) for what stayed as written."""
    notes: list[tuple[int, str]] = []
    env = _environment(targets, relative)
    protected, unknown = _protect_unknown_tags(body, env)
    for name, line in unknown.items():
        notes.append((line, f"the Liquid tag '{name}' is not translated; it is shown as text"))
    site = {"title": site_title, "url": base_url.rstrip("/"), "baseurl": "", "data": _site_data(targets)}
    try:
        return env.from_string(protected).render(page=dict(page), site=site), notes
    except LiquidError as error:
        line = _error_line(error)
        message = str(error).split("\n", 1)[0]
        return body, [*notes, (line, f"Liquid could not be rendered ({message}); the text is shown as written")]


def _error_line(error: LiquidError) -> int:
    token = getattr(error, "token", None)
    if isinstance(token, Token):
        return token.source.count("\n", 0, token.start_index) + 1
    return 1


def _protect_unknown_tags(body: str, env: Environment) -> tuple[str, dict[str, int]]:
    """Wrap tags Liquid would refuse in ``raw``, so they show as written."""
    known = set(env.tags)
    ends = {f"end{name}" for name in known}
    inner = {"else", "elsif", "when", "break", "continue", "cycle", "endraw", "endcomment"}
    unknown: dict[str, int] = {}
    raw_spans = [match.span() for match in _RAW_BLOCK.finditer(body)]

    def protect(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in known or name in ends or name in inner or any(a <= match.start() < b for a, b in raw_spans):
            return match.group(0)
        unknown.setdefault(name.removeprefix("end"), body.count("\n", 0, match.start()) + 1)
        return "{% raw %}" + match.group(0) + "{% endraw %}"

    return re.sub(r"\{%-?\s*(\w+).*?-?%\}", protect, body, flags=re.DOTALL), unknown


def _site_data(targets: Targets) -> dict[str, Any]:
    """``site.data``: the YAML and JSON files of ``_data/``, by name (subfolders nest)."""
    data: dict[str, Any] = {}
    folder = targets.content_dir / "_data" if targets.content_dir is not None else None
    if folder is None or not folder.is_dir():
        return data
    for path in sorted(folder.rglob("*")):
        suffix = path.suffix.lower()
        if suffix not in (".yml", ".yaml", ".json") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            value = load_yaml(text).data if suffix != ".json" else json.loads(text)
        except (OSError, UnicodeError, YamlSyntaxError, ValueError):
            continue
        place = data
        *folders, name = path.relative_to(folder).with_suffix("").parts
        for part in folders:
            place = place.setdefault(part, {})
        place[name] = value
    return data


def _environment(targets: Targets, relative: str) -> Environment:
    env = Environment(strict_filters=False)  # a Jekyll filter unknown here leaves its value as it is
    env.add_filter("relative_url", lambda value: targets.base_path + str(value).lstrip("/"))
    env.add_filter("absolute_url", lambda value: targets.base_path + str(value).lstrip("/"))
    env.add_filter("slugify", lambda value: slugify(str(value)))
    env.add_filter("jsonify", lambda value: json.dumps(value, default=str))
    env.add_filter("markdownify", lambda value: str(value))  # the whole body becomes Markdown anyway
    for tag in (_HighlightTag, _LinkTag, _PostUrlTag, _IncludeTag):
        env.add_tag(tag)
    env.sitegen_targets = targets  # type: ignore[attr-defined]
    env.sitegen_folder = posixpath.dirname(relative)  # type: ignore[attr-defined]
    return env


def _expression(stream: TokenStream) -> tuple[Token, str]:
    """The tag's token and its expression's text; the stream is left on the tag's last token,
    as the parser expects."""
    token = stream.eat(TOKEN_TAG)
    if stream.current.kind == TOKEN_EXPRESSION:
        return token, stream.current.value.strip()
    return token, ""


class _HighlightNode(Node):
    __slots__ = ("block", "language")

    def __init__(self, token: Token, language: str, block: BlockNode) -> None:
        super().__init__(token)
        self.language = language
        self.block = block

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        inner = io.StringIO()
        self.block.render(context, inner)
        code = inner.getvalue().strip("\n")
        ticks = "```"
        while ticks in code:
            ticks += "`"
        return buffer.write(f"\n{ticks}{self.language}\n{code}\n{ticks}\n")


class _HighlightTag(Tag):
    """``{% highlight ruby linenos %}...{% endhighlight %}``: a fenced block; options dropped."""

    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        token, text = _expression(stream)
        if stream.current.kind == TOKEN_EXPRESSION:
            next(stream)
        block = get_parser(self.env).parse_block(stream, frozenset((self.end, TOKEN_EOF)))
        stream.expect(TOKEN_TAG, value=self.end)
        return _HighlightNode(token, text.split()[0] if text else "", block)


class _TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, token: Token, text: str) -> None:
        super().__init__(token)
        self.text = text

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(self.text)


class _LinkTag(Tag):
    """``{% link _posts/2016-03-10-spring.md %}``: the URL of that file's page (or the file)."""

    name = "link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, text = _expression(stream)
        targets: Targets = self.env.sitegen_targets  # type: ignore[attr-defined]
        found = text if text in targets.content_files else None
        url = targets.url_of(found) if found else None
        if url is None:
            raise LiquidError(f"link: no file '{text}' under content/", token=token)
        return _TextNode(token, url)


class _PostUrlTag(Tag):
    """``{% post_url 2016-03-10-spring %}``: the URL of that post, in any folder of ``_posts``."""

    name = "post_url"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, text = _expression(stream)
        targets: Targets = self.env.sitegen_targets  # type: ignore[attr-defined]
        wanted = text.strip()
        found = sorted(
            path for path in targets.content_files
            if path.lower().endswith(ARTICLE_SUFFIXES) and "_posts/" in f"/{path}"
            and (posixpath.splitext(path)[0].endswith("/" + wanted) or posixpath.splitext(path)[0] == wanted)
        )  # fmt: skip
        url = targets.url_of(found[0]) if found else None
        if url is None:
            raise LiquidError(f"post_url: no post '{wanted}' under _posts/", token=token)
        return _TextNode(token, url)


_PARAM = re.compile(r'(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[\w.\[\]]+)')


class _IncludeNode(Node):
    __slots__ = ("name", "params")

    def __init__(self, token: Token, name: str, params: dict[str, str]) -> None:
        super().__init__(token)
        self.name = name
        self.params = params

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env = context.env
        targets: Targets = env.sitegen_targets  # type: ignore[attr-defined]
        path = posixpath.normpath(f"_includes/{self.name}")
        file = targets.content_dir / path if targets.content_dir is not None else None
        if file is None or not path.startswith("_includes/") or not file.is_file():
            raise LiquidError(f"include: no file '{path}' under content/", token=self.token)
        try:
            source = file.read_text(encoding="utf-8")
        except (OSError, UnicodeError) as error:
            raise LiquidError(f"include: '{path}' cannot be read ({error})", token=self.token) from None
        values: dict[str, Any] = {}
        for key, raw in self.params.items():
            if raw[:1] in "\"'":
                values[key] = raw[1:-1]
            else:
                values[key] = context.get(list[object](raw.split(".")), token=self.token, default="")
        template = env.from_string(source)
        with context.extend({"include": values}):
            inner = io.StringIO()
            template.render_with_context(context, inner, partial=True)
        return buffer.write(inner.getvalue())


class _IncludeTag(Tag):
    """Jekyll's ``{% include note.html key="value" %}``: ``_includes/note.html`` with ``include.key``."""

    name = "include"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, text = _expression(stream)
        name, _, rest = text.partition(" ")
        return _IncludeNode(token, name.strip("\"'"), dict(_PARAM.findall(rest)))
