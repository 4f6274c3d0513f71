"""Saved HTML pages: trafilatura finds the article and its metadata, our text rules the rest."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from sitegen.importer.draft import Draft
from sitegen.importer.header_rules import NO_HEADLINE, split_names
from sitegen.importer.text_rules import clean_draft

if TYPE_CHECKING:  # the HTML stack is imported only when an HTML page is (see draft_from_html)
    from lxml.html import HtmlElement

NO_HTML_HEADLINE = "no headline found (the page has no <title>, og:title or <h1>)"

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.I | re.S)

# htmldate formats the date it finds; '%z' is empty unless the page gave a zone.
_DATE_PARAMS = {
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "original_date": True,
    "extensive_search": False,
}
# Where sites print the dates as text, as the plain-text pages do. Run-together elements
# ('02:20 PMUpdated 05/07/2024') are common, hence no word boundary before the kind.
_PAGE_DATE = re.compile(
    r"(?<![a-z])(?P<kind>Published|Updated)\s*:?\s*"
    r"(?P<value>\d{1,2}/\d{1,2}/\d{4}(?:,?\s*\d{1,2}:\d{2}(?:\s*[AP]M)?)?)"
)


def looks_like_html(text: str) -> bool:
    """True for a saved web page, judged by its content rather than its file name."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 5


def draft_from_html(html: str) -> Draft:
    """Extract a page's article with trafilatura and clean what it leaves with the text rules."""
    # Imported here: trafilatura and lxml take a third of a second to load, and plain-text
    # imports and the build must not depend on them.
    import trafilatura
    from trafilatura.settings import Document

    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    # Without an article body, the metadata alone may still name what is missing.
    document = (
        extracted if isinstance(extracted, Document) else trafilatura.extract_metadata(html, date_config=_DATE_PARAMS)
    )
    tree = trafilatura.load_html(html)
    seed = Draft(
        lines=_page_date_lines(tree) + _paragraph_lines(document.text or ""),
        captions=_figure_captions(tree),
        title=document.title or None,
        published=_extracted_date(document.date),
        authors=_extracted_authors(document.author),
        description=document.description or None,
        site_name=document.sitename or None,
        language=_page_language(tree),
        canonical=_canonical_link(tree) or document.url or None,
    )
    draft = clean_draft(seed)
    if seed.title is None:
        # The text rules would take the first paragraph for a headline: refuse instead.
        problems = tuple(p for p in draft.problems if p != NO_HEADLINE)
        draft = replace(draft, title=None, problems=(NO_HTML_HEADLINE, *problems))
    return draft


_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _page_language(tree: HtmlElement | None) -> str | None:
    """The language the page declares on <html lang>, when it is a well-formed code."""
    if tree is None:
        return None
    root = tree.getroottree().getroot()
    code = (root.get("lang") or "").strip().replace("_", "-")
    return code if _LANGUAGE_CODE.match(code) else None


def _canonical_link(tree: HtmlElement | None) -> str | None:
    """The page's <link rel=canonical> as written (maybe relative: the caller resolves it)."""
    if tree is None:
        return None
    hrefs = tree.xpath("//head/link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")
    return str(hrefs[0]).strip() or None if hrefs else None


def _paragraph_lines(body: str) -> tuple[str, ...]:
    lines: list[str] = []
    for line in body.splitlines():
        lines += [line, ""]
    return tuple(lines)


def _page_date_lines(tree: HtmlElement | None) -> tuple[str, ...]:
    """'Published ...' and 'Updated ...' as printed on the page, first of each kind.

    The <article> is searched first, so that dates in a list of other stories above it
    are not taken; the whole page only when the article itself prints none.
    """
    if tree is None:
        return ()
    import trafilatura  # loaded already by draft_from_html, the only caller

    for scope in (*tree.xpath("//article")[:1], tree):
        found: dict[str, str] = {}
        for match in _PAGE_DATE.finditer(trafilatura.html2txt(scope)):
            found.setdefault(match.group("kind"), f"{match.group('kind')} {match.group('value')}")
        if found:
            return tuple(found.values())
    return ()


def _figure_captions(tree: HtmlElement | None) -> tuple[str, ...]:
    """Captions of the article's figures (all figures when there is no <article>)."""
    if tree is None:
        return ()
    figures = tree.xpath("//article//figcaption") or tree.xpath("//figcaption")
    captions = (" ".join("".join(figure.itertext()).split()) for figure in figures)
    return tuple(caption for caption in captions if caption)


def _extracted_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    # htmldate fills in midnight when the page gave only a day; don't claim a time.
    if found.tzinfo is None and (found.hour, found.minute, found.second) == (0, 0, 0):
        return found.date()
    return found


def _extracted_authors(value: str | None) -> tuple[str, ...]:
    # trafilatura joins several authors with '; '; a byline element may still say 'and'.
    return tuple(name for part in (value or "").split(";") for name in split_names(part))
