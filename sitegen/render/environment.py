"""The Jinja2 environment: the site's templates/ first, then the default theme."""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.meta
from jinja2 import nodes
from jinja2.compiler import Frame
from markupsafe import Markup, escape

from sitegen.citations import EXPORT_FORMATS, Citer, export_url, highwire_tags
from sitegen.config import Config
from sitegen.fingerprint import digest_bytes
from sitegen.i18n import (
    LabelBook,
    Labels,
    catalogs_digest,
    format_moment,
    format_month,
    format_number,
    month_name,
    text_direction,
)
from sitegen.model import Moment
from sitegen.render.cards import CARD_FILTER, CARD_TEMPLATE, HTML_SPECIAL, make_card_filter
from sitegen.render.metadata import news_article_json_ld
from sitegen.render.plan import Page
from sitegen.render.undefined import UserWordsUndefined
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


def make_environment(site_templates: Path, config: Config | None = None) -> jinja2.Environment:
    """Autoescaping, StrictUndefined, and a loader that lets a site override any theme file.

    Labels come from the gettext catalogs of the site's language (``_``, ``{% trans %}``);
    ``labels_for(language)`` gives another language's, for an article's own labels.
    """
    config = config if config is not None else Config()
    book = LabelBook(site_templates.parent, config.labels)
    labels = book(config.language)
    env = _Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.FileSystemLoader([str(site_templates), str(THEME_DIR / "templates")]),
        autoescape=True,
        undefined=UserWordsUndefined,  # strict, and its messages say site, article or page
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment serves one build; no need to stat templates per page
        cache_size=-1,  # a plain dict: an LRU lookup per included card costs, and a theme has few templates
    )
    env.install_gettext_callables(labels.gettext, labels.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["language"] = config.language
    env.globals["labels_for"] = book
    env.globals["direction"] = text_direction
    env.globals["page_title"] = page_title
    env.globals["month_name"] = partial(month_name, language=config.language)
    env.globals["format_month"] = partial(format_month, language=config.language)
    env.globals["catalogs"] = catalogs_digest(site_templates.parent)  # in every template key (see template_key)
    env.filters["iso"] = iso_moment
    env.filters["human_date"] = human_date
    env.filters["number"] = number_filter
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


@jinja2.pass_context
def human_date(context: jinja2.runtime.Context, moment: Moment, language: str | None = None) -> str:
    """``moment|human_date``: the date as the page's language writes it (CLDR, through Babel),
    or as ``language`` does."""
    return format_moment(moment, language or context["language"])


@jinja2.pass_context
def number_filter(context: jinja2.runtime.Context, number: int, language: str | None = None) -> str:
    """``n|number``: a count with the grouping of the page's language, or of ``language``."""
    return format_number(number, language or context["language"])


@jinja2.pass_context
def page_title(context: jinja2.runtime.Context, page: Page, paged: bool = True) -> str:
    """A page's title in the site's language: the theme's own pages by their label, a month
    by CLDR's pattern, and "(page 2)" after a listing's later pages."""
    labels: Labels = context["labels_for"](context["language"])
    if page.kind in ("taxonomy", "search", "404", "archive"):
        title = labels.gettext(page.title)
    elif page.kind == "archive-month":
        month = context["month"]
        title = format_month(month.year, month.month, context["language"])
    else:
        title = context.get("heading", page.title)
    pagination = context.get("pagination")
    if paged and pagination is not None and pagination.number > 1:
        number = format_number(pagination.number, context["language"])
        title = labels.gettext("%(title)s (page %(number)s)") % {"title": title, "number": number}
    return title


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
        references: list[str | None] = list(jinja2.meta.find_referenced_templates(tree))
        if any(node.name == CARD_FILTER for node in tree.find_all(jinja2.nodes.Filter)):
            references.append(CARD_TEMPLATE)  # the filter renders the card template
        if None in references:
            references = list(env.list_templates())
        pending.extend(ref for ref in references if ref is not None)
    catalogs = env.globals.get("catalogs", "")  # labels are part of what every template writes
    memo[name] = digest_bytes(repr((catalogs, sorted(seen.items()))).encode())
    return memo[name]
