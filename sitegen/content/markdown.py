"""Markdown to HTML with markdown-it-py, plus the facts the build needs from the tokens.

Local links and images are checked against the files under content/: a referenced file is
an asset copied beside the article, a missing one is a warning.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import table as table_rule
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import text as text_rule
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.content.anchors import anchors
from sitegen.content.conventions.files import ARTICLE_SUFFIXES
from sitegen.urls import relative_link, slugify


@dataclass(frozen=True)
class LocalLink:
    """A link or image that points at a file under content/."""

    line: int  # 1-based, within the Markdown text
    target: str  # relative to content/, normalised
    exists: bool


@dataclass(frozen=True)
class RenderedMarkdown:
    """HTML plus what was learnt while rendering it."""

    html: str
    first_paragraph: str  # plain text
    local_links: tuple[LocalLink, ...]
    too_deep: bool = False  # markdown-it stops at its nesting limit and leaves the rest out
    large_tables: tuple[int, ...] = ()  # 1-based lines of tables left as text, too many cells


def heading_slug(text: str) -> str:
    """The id of a heading before it is made unique."""
    return slugify(text) or "section"


def make_markdown(*, html: str = "escape") -> MarkdownIt:
    """The Markdown parser: CommonMark, tables, strikethrough, footnotes, heading anchors.

    ``html`` is the config's raw-HTML mode: only "escape" keeps markdown-it from passing
    raw HTML through; "sanitize" cleans the result afterwards (see ``render_markdown``).
    """
    md = MarkdownIt("commonmark", {"html": html != "escape"})
    md.options["sitegen_html"] = html
    md.enable(["table", "strikethrough"])
    md.block.ruler.at("table", _bounded_table)
    md.use(footnote_plugin)
    md.use(anchors, min_level=2, max_level=4, slug_func=heading_slug)
    if _plain_text_is_one_token(md):
        md.core.ruler.at("inline", _inline_with_plain_text)
    return md


# The inline post-processing rules of markdown-it itself: none changes a lone text token.
_STOCK_INLINE_PASSES = ["balance_pairs", "strikethrough", "emphasis", "fragments_join"]


def _plain_text_is_one_token(md: MarkdownIt) -> bool:
    """Whether markdown-it turns inline content without any of its terminator characters into
    one text token: its first inline rule is ``text``, which then takes all of it, and no
    plugin post-processes inline tokens."""
    rules = md.inline.ruler.getRules("")
    return (
        getattr(md.inline, "terminator_re", None) is not None  # markdown-it-py 4 and later
        and bool(rules)
        and rules[0] is text_rule
        and md.inline.ruler2.get_active_rules() == _STOCK_INLINE_PASSES
    )


def _inline_with_plain_text(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, with plain text made into its one text token directly.

    Most paragraphs and headings of prose hold no character that could start emphasis, a
    link, an entity or a line break (86 % of the benchmark's), and the inline parser's
    state, rule loop and post-processing cost more than the rest of their rendering.
    """
    md = state.md
    find_terminator = md.inline.terminator_re.search
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if token.content and find_terminator(token.content) is None:
            text = Token("text", "", 0)
            text.content = token.content
            token.children.append(text)
        else:
            md.inline.parse(token.content, md, state.env, token.children)


def render_markdown(
    md: MarkdownIt,
    text: str,
    *,
    source_dir: str,
    content_files: frozenset[str],
    page_url: str | None = None,
    root_file: Callable[[str], bool] | None = None,
) -> RenderedMarkdown:
    """Render ``text``; local links are resolved against ``source_dir`` (relative to content/).

    A link to a file beside the article or below it keeps its path; one that climbs out of
    the article's folder is rewritten to the file's name, since the file is copied beside
    the article's page. Links in raw HTML (``src``, ``href``) are treated alike. With
    ``page_url``, a root-absolute link to a file under content/ (or one ``root_file`` knows,
    such as static/'s) becomes relative to the page, so it works under any base path.
    """
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    resolver = _LinkResolver(source_dir, content_files, page_url, root_file)
    links = tuple(_rewrite_local_links(tokens, resolver))
    html = md.renderer.render(tokens, md.options, env)
    if md.options.get("sitegen_html") == "sanitize":
        html = sanitize_html(html)
    limit = int(md.options.get("maxNesting", 20))
    too_deep = any(token.level >= limit - 1 for token in tokens)
    found = env.get(_LARGE_TABLES)
    large = tuple(line + 1 for line in found) if isinstance(found, list) else ()
    return RenderedMarkdown(
        html=html, first_paragraph=_first_paragraph(tokens), local_links=links, too_deep=too_deep, large_tables=large
    )


# markdown-it makes four objects of about 350 bytes for every cell: a table of 5,000 columns
# and 200 rows (2 MB of text) took 1.4 GB. 50,000 cells (70 MB) hold any table meant to be read.
MAX_TABLE_CELLS = 50_000
_LARGE_TABLES = "sitegen_large_tables"


def _bounded_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, for tables of at most ``MAX_TABLE_CELLS`` cells; a larger one
    stays text (and is noted in the env), since its tokens would take memory by the gigabyte."""
    if not table_rule(state, start, end, True):
        return False
    columns = _line(state, start + 1).strip().strip("|").count("|") + 1  # the delimiter row has no escapes
    rows = 1
    line = start + 2
    while line < end and _line(state, line).strip() and columns * rows <= MAX_TABLE_CELLS:
        rows += 1
        line += 1
    if columns * rows > MAX_TABLE_CELLS:
        if not silent:
            state.env.setdefault(_LARGE_TABLES, []).append(start)
        return False
    return silent or table_rule(state, start, end, False)


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


_SANITIZE_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "headers"},
    "th": {"colspan", "rowspan", "align", "headers", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}


def sanitize_html(html: str) -> str:
    """Keep structure (tables, figures, links, footnotes); drop scripts, handlers and bad URLs.

    nh3 (Rust's Ammonia) parses like a browser, so no markup trick survives it.
    """
    return nh3.clean(
        html,
        tags=nh3.ALLOWED_TAGS | {"section"},
        attributes=_SANITIZE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def asset_output_name(link_path: str) -> str:
    """Where, relative to the article's page folder, a linked file is written."""
    normal = posixpath.normpath(link_path)
    return posixpath.basename(normal) if normal.startswith("..") else normal


@dataclass(frozen=True)
class _LinkResolver:
    source_dir: str
    content_files: frozenset[str]
    page_url: str | None
    root_file: Callable[[str], bool] | None

    def resolve(self, url: str, line: int) -> tuple[str | None, LocalLink | None]:
        """The URL to write instead (None: as it is) and the local file it names, if any."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("#") or not parts.path:
            return None, None
        suffix = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        link_path = unquote(parts.path)
        if url.startswith("/"):
            rooted = link_path.lstrip("/")
            if self.page_url is None or not rooted:
                return None, None
            if rooted in self.content_files or (self.root_file is not None and self.root_file(rooted)):
                return relative_link(self.page_url, "/" + quote(rooted, safe="/-._~")) + suffix, None
            return None, None
        target = posixpath.normpath(posixpath.join(self.source_dir, link_path))
        exists = target in self.content_files
        if exists and not target.lower().endswith(ARTICLE_SUFFIXES):
            return quote(asset_output_name(link_path), safe="/-._~") + suffix, LocalLink(line, target, exists)
        return None, LocalLink(line, target, exists)


_HTML_LINK = re.compile(r"""(\s(?:src|href)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def _rewrite_local_links(tokens: list[Token], resolver: _LinkResolver) -> Iterator[LocalLink]:
    for block in tokens:
        line = (block.map[0] + 1) if block.map else 1
        if block.type == "html_block":
            yield from _rewrite_html(block, line, resolver)
            continue
        if block.type != "inline" or not block.children:
            continue
        for token in block.children:
            if token.type == "html_inline":
                yield from _rewrite_html(token, line, resolver)
                continue
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            if attr is None:
                continue
            rewritten, link = resolver.resolve(str(token.attrGet(attr) or ""), line)
            if link is not None:
                yield link
            if rewritten is not None:
                token.attrSet(attr, rewritten)


def _rewrite_html(token: Token, line: int, resolver: _LinkResolver) -> Iterator[LocalLink]:
    """Local files named by raw HTML's ``src`` and ``href`` are checked and copied like Markdown's."""
    found: list[LocalLink] = []

    def replace(match: re.Match[str]) -> str:
        url = html.unescape(match.group(3))
        rewritten, link = resolver.resolve(url, line + match.string.count("\n", 0, match.start()))
        if link is not None:
            found.append(link)
        if rewritten is None:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{html.escape(rewritten)}{match.group(2)}"

    token.content = _HTML_LINK.sub(replace, token.content)
    yield from found


def _first_paragraph(tokens: list[Token]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and index + 1 < len(tokens):
            words = " ".join(_plain_text(tokens[index + 1]).split())
            if words:
                return words
    return ""


def _plain_text(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
