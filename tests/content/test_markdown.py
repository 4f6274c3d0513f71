"""The Markdown renderer: markdown-it-py with a shortcut for plain text that must not change a byte."""

from __future__ import annotations

from random import Random

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_core import inline as stock_inline

from sitegen.content.markdown import _plain_text_is_one_token, make_markdown, render_markdown

# Pieces that start (or almost start) every inline construct, and plain prose around them.
_PIECES = [
    "word",
    "two words",
    "Don't",
    "it's 5.",
    "“quoted”",
    "café",
    "*",
    "**",
    "_",
    "`",
    "[",
    "]",
    "(x)",
    "](y)",
    "!",
    "<",
    ">",
    "&",
    "&amp;",
    "&copy;",
    "\\",
    "~~",
    "^",
    "[^1]",
    "-",
    ":",
    "http://example.org",
    "<b>",
    "  \n",
    "\n",
    "#",
    "$",
    "%",
    "=",
]
_BLOCK_STARTS = ["", "", "", "# ", "## ", "- ", "> ", "1. ", "    ", "| a | b |\n|---|---|\n"]


def _random_markdown(random: Random) -> str:
    blocks = []
    for _ in range(random.randint(1, 5)):
        inline = "".join(random.choice(_PIECES) + random.choice(["", " "]) for _ in range(random.randint(0, 10)))
        blocks.append(random.choice(_BLOCK_STARTS) + inline)
    return "\n\n".join(blocks) + random.choice(["", "\n", "\n\n[^1]: a note\n"])


def _stock(html: str) -> MarkdownIt:
    md = make_markdown(html=html)
    md.core.ruler.at("inline", stock_inline)
    return md


@pytest.mark.parametrize("html", ["escape", "allow"])
def test_plain_text_shortcut_renders_what_markdown_it_renders(html: str) -> None:
    fast, stock = make_markdown(html=html), _stock(html)
    assert fast.core.ruler.getRules("") != stock.core.ruler.getRules("")  # the shortcut is on
    random = Random(11)
    plain = 0
    for _ in range(3000):
        text = _random_markdown(random)
        fast_tokens, stock_tokens = fast.parse(text), stock.parse(text)
        assert [token.as_dict() for token in fast_tokens] == [token.as_dict() for token in stock_tokens], text
        assert fast.renderer.render(fast_tokens, fast.options, {}) == stock.renderer.render(
            stock_tokens, stock.options, {}
        )
        plain += sum(1 for token in fast_tokens if token.type == "inline" and len(token.children or ()) == 1)
    assert plain > 500  # the shortcut was taken, not only the full parse


def test_plain_paragraph_is_one_text_token() -> None:
    rendered = render_markdown(
        make_markdown(), "Plain words, 5 of them.\n\nA *b*", source_dir="", content_files=frozenset()
    )
    assert rendered.html == "<p>Plain words, 5 of them.</p>\n<p>A <em>b</em></p>\n"
    assert rendered.first_paragraph == "Plain words, 5 of them."


def test_shortcut_is_off_when_a_plugin_post_processes_inline_tokens() -> None:
    md = make_markdown()
    assert _plain_text_is_one_token(md)
    md.inline.ruler2.push("shout", lambda state: None)
    assert not _plain_text_is_one_token(md)
    md = make_markdown()
    md.inline.ruler.before("text", "first", lambda state, silent: False)
    assert not _plain_text_is_one_token(md)
