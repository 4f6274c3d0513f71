"""Listing cards rendered once per article, not once per listing page that shows it.

An article appears in a dozen listings (the home page, its year and month, each of its
topics, tags, authors and its source), and cards are most of a listing page's work. A
card's HTML depends only on the card and, through ``|link``, on the page it is on. So
``card|card_html`` renders the card template once, with a mark where each link goes, and
each page puts its own relative links in the marks. That holds only for a card template
that reads nothing but ``card`` and the environment's globals, and writes each ``|link``
straight into its output, escaped; ``card_template_is_cacheable`` checks that in the
template's syntax tree. Any other card template renders per page, as an include would.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from typing import Any

import jinja2
import jinja2.meta
from jinja2 import nodes
from markupsafe import Markup, escape

CARD_TEMPLATE = "partials/card.html"
CARD_FILTER = "card_html"
HTML_SPECIAL = re.compile("[&<>\"']")  # what markupsafe's escape replaces
_MARK = "\x00"  # where a link goes in a card rendered once (markupsafe leaves it as it is)


def card_template_is_cacheable(env: jinja2.Environment, tree: nodes.Template) -> bool:
    """Whether a card template's output depends only on ``card`` and where its links point."""
    if jinja2.meta.find_undeclared_variables(tree) - {"card"} - set(env.globals):
        return False
    if list(jinja2.meta.find_referenced_templates(tree)):
        return False  # what an included template reads is not checked here
    if any(tree.find_all((nodes.EvalContextModifier, nodes.ScopedEvalContextModifier))):
        return False  # autoescaping switched off: a link would not be escaped as here
    written = {id(child) for output in tree.find_all(nodes.Output) for child in output.nodes}
    return all(id(node) in written for node in tree.find_all(nodes.Filter) if node.name == "link")


def make_card_filter(env: jinja2.Environment) -> Callable[..., Markup]:
    """The ``card_html`` filter of ``env``: a card's HTML as ``{% include "partials/card.html" %}``
    would write it."""
    cacheable: list[bool] = []  # the check, made once: the environment's templates do not change
    # id(card) -> (a weak reference to the card, its texts between links, the links' URLs).
    # An entry goes with its card, so a long-lived environment (the preview's) keeps no card.
    rendered: dict[int, tuple[weakref.ref[Any], list[str] | None, list[str]]] = {}
    page_links: list[Any] = [None, {}]  # the page's link function, and the links made with it

    @jinja2.pass_context
    def card_html(context: jinja2.runtime.Context, card: Any) -> Markup:
        template = env.get_template(CARD_TEMPLATE)
        if not cacheable:
            source, _, _ = env.loader.get_source(env, CARD_TEMPLATE)  # type: ignore[union-attr]
            cacheable.append(card_template_is_cacheable(env, env.parse(source)))
        key = id(card)
        entry = rendered.get(key)
        if cacheable[0] and (entry is None or entry[0]() is not card):
            try:
                known = weakref.ref(card, lambda _, key=key: rendered.pop(key, None))  # type: ignore[misc]
            except TypeError:  # not a Card (a dict, say): rendered per page
                entry = None
            else:
                entry = rendered[key] = (known, *_render_marked(template, card))
        texts, targets = (None, []) if entry is None else entry[1:]
        if texts is None:  # rendered per page: its own text holds the mark, say
            return Markup(template.render({**context.get_all(), "card": card}))
        link: Callable[[str], str] = context["link"]
        if link is not page_links[0]:  # the next page (held, so a new one never takes its id)
            page_links[:] = [link, {}]
        written: dict[str, str] = page_links[1]  # a page's cards share many links: make each once
        pieces = [texts[0]]
        for target, text in zip(targets, texts[1:], strict=True):
            href = written.get(target)
            if href is None:
                href = link(target)
                if HTML_SPECIAL.search(href):  # links are mostly URL-safe: skip making a Markup
                    href = str(escape(href))
                written[target] = href
            pieces += (href, text)
        return Markup("".join(pieces))

    return card_html


def _render_marked(template: jinja2.Template, card: Any) -> tuple[list[str] | None, list[str]]:
    """The card's HTML cut at its links, and the URL of each link; None if it cannot be cut."""
    targets: list[str] = []

    def mark(url: str) -> str:
        targets.append(url)
        return _MARK

    texts = template.render({"card": card, "link": mark}).split(_MARK)
    return (texts, targets) if len(texts) == len(targets) + 1 else (None, targets)
