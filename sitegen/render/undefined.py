"""What a template error says when a template asks for something that is not there.

Jinja2 names the Python class (``'sitegen.config.Config object' has no attribute 'x'``);
a template author knows ``site``, ``article`` and ``page``, so the message uses those
words, and suggests the name that was probably meant.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

import jinja2

from sitegen.config import Config, MarkdownConfig
from sitegen.model import Article
from sitegen.render.plan import Page
from sitegen.render.views import Card

# What templates call each object, and what its attributes are to a reader.
_WORDS: tuple[tuple[type, str, str], ...] = (
    (Config, "site", "setting"),
    (MarkdownConfig, "site.markdown", "setting"),
    (Article, "article", "field"),
    (Page, "page", "field"),
    (Card, "card", "field"),
)


def missing_attribute_message(obj: Any, name: str) -> str | None:
    """``site has no setting 'x'`` for one of sitegen's objects; None for anything else."""
    words = next(((called, noun) for kind, called, noun in _WORDS if isinstance(obj, kind)), None)
    if words is None:
        if not dataclasses.is_dataclass(obj) or type(obj).__module__.split(".")[0] != "sitegen":
            return None
        words = (type(obj).__name__.lower(), "field")
    called, noun = words
    message = f"{called} has no {noun} '{name}'"
    known = [field.name for field in dataclasses.fields(obj)] if dataclasses.is_dataclass(obj) else []
    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
    return f"{message}; did you mean '{guess[0]}'?" if guess else message


class UserWordsUndefined(jinja2.StrictUndefined):
    """StrictUndefined, with its error message in the template author's words."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = jinja2.utils.missing,
        name: str | None = None,
        exc: type[jinja2.exceptions.TemplateRuntimeError] = jinja2.exceptions.UndefinedError,
    ) -> None:
        # The hint is Jinja2's documented way to give an Undefined its message.
        if hint is None and obj is not jinja2.utils.missing and isinstance(name, str):
            hint = missing_attribute_message(obj, name)
        super().__init__(hint, obj, name, exc)
