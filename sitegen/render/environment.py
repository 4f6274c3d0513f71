"""The Jinja2 environment: the site's templates/ first, then the default theme."""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.meta
from jinja2 import nodes
from jinja2.compiler import Frame
from markupsafe import Markup, escape

from sitegen.citations import EXPORT_FORMATS, Citer, export_url, highwire_tags
from sitegen.fingerprint import digest_bytes
from sitegen.model import Moment
from sitegen.render.cards import CARD_FILTER, CARD_TEMPLATE, HTML_SPECIAL, make_card_filter
from sitegen.render.metadata import news_article_json_ld
from sitegen.taxonomy import MONTH_NAMES

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """jinja2's code generator, with autoescaped output written by ``_Environment.escaped``."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not frame.eval_ctx.autoescape or frame.eval_ctx.volatile:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escaped(")  # closed, as escape( is, by _output_child_post
        if finalize.src is not None:
            self.write(finalize.src)


class _Environment(jinja2.Environment):
    """jinja2's environment, with two costs of rendering a page taken away; the output is the same.

    * Each template's globals are held in a plain dict. jinja2 gives each template a
      ``ChainMap`` over the environment's globals, and every render and every include
      copies that into a new context: for a ChainMap a walk in Python over every key, four
      times a page (7-8 % of rendering). The globals are all set in ``make_environment``,
      before any template is loaded, so a copy loses nothing.
    * Autoescaped output goes through ``escaped``, which leaves text that needs no escaping
      as it is, where markupsafe's ``escape`` would make a ``Markup`` of it: an article page
      writes about 80 values, and rendering takes 8-10 % less.
    """

    code_generator_class = _CodeGenerator

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    @staticmethod
    def escaped(value: Any) -> str:
        """The text ``escape(value)`` writes. Output is only ever joined, or wrapped in a
        ``Markup`` as a whole (blocks, macros), so plain text serves as well as a Markup."""
        if value.__class__ is str and HTML_SPECIAL.search(value) is None:
            return value
        return escape(value)


def make_environment(site_templates: Path) -> jinja2.Environment:
    """Autoescaping, StrictUndefined, and a loader that lets a site override any theme file."""
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(site_templates), str(THEME_DIR / "templates")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment serves one build; no need to stat templates per page
        cache_size=-1,  # a plain dict: an LRU lookup per included card costs, and a theme has few templates
    )
    env.filters["iso"] = iso_moment
    env.filters["human_date"] = human_date
    env.filters["jsonld"] = json_for_script
    env.filters["link"] = link_filter
    env.filters[CARD_FILTER] = make_card_filter(env)
    env.globals["month_names"] = MONTH_NAMES
    env.globals["news_article_json_ld"] = news_article_json_ld
    env.globals["citer"] = Citer()  # parses each CSL style once per process
    env.globals["highwire_tags"] = highwire_tags
    env.globals["export_url"] = export_url
    env.globals["export_formats"] = EXPORT_FORMATS
    return env


def json_for_script(value: object) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>`` or comment can end the element early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@jinja2.pass_context
def link_filter(context: jinja2.runtime.Context, url: str) -> str:
    """``url|link``: the page's ``link(url)``.

    The theme writes links this way because Jinja2 calls a filter directly, while a call
    to ``link`` goes through ``Context.call`` and its checks: a listing page makes about
    sixty links, and the filter makes each about a third cheaper.
    """
    linker: Callable[[str], str] = context["link"]
    return linker(url)


def iso_moment(moment: Moment) -> str:
    """ISO 8601, as ``<time datetime>`` and feeds want it."""
    return moment.isoformat()


def human_date(moment: Moment) -> str:
    """A date a reader scans easily: ``5 March 2024``, with the time when one is known."""
    # Spelled out rather than strftime'd: strftime costs ~20 µs a call (most of a listing
    # card's date), and English month names should not depend on the machine's locale.
    text = f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"
    if isinstance(moment, datetime):
        text += f", {moment.hour:02d}:{moment.minute:02d}"
        if moment.utcoffset() is not None:
            text += f" {_offset(moment)}"
    return text


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def template_key(env: jinja2.Environment, name: str, memo: dict[str, str]) -> str:
    """A digest of a template and every template it extends, includes or imports (or renders
    through the ``card_html`` filter).

    Pages whose template key is unchanged need no re-rendering for a template edit.
    Templates whose names are computed at render time make the key cover every template.
    """
    if name in memo:
        return memo[name]
    seen: dict[str, str] = {}
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        try:
            source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            seen[current] = "missing"
            continue
        seen[current] = source
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError:
            continue  # rendering reports it with its line
        references = list(jinja2.meta.find_referenced_templates(tree))
        if any(node.name == CARD_FILTER for node in tree.find_all(jinja2.nodes.Filter)):
            references.append(CARD_TEMPLATE)  # the filter renders the card template
        if None in references:
            references = env.list_templates()
        pending.extend(ref for ref in references if ref is not None)
    memo[name] = digest_bytes(repr(sorted(seen.items())).encode())
    return memo[name]
