"""A fetched page checked and turned into a draft: walls refused, gaps filled from the export.

This module reads HTML (trafilatura and lxml), so it is imported only where HTML is handled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import trafilatura
from trafilatura.utils import decode_file

from sitegen.importer.draft import Draft
from sitegen.importer.errors import PageProblem
from sitegen.importer.fetch import Capture
from sitegen.importer.header_rules import NO_DATE
from sitegen.importer.html_page import NO_HTML_HEADLINE, draft_from_html
from sitegen.importer.leads import Lead

# Below these many words of article text, a page with a sign-in or sign-up form is taken
# for a login or paywall page: the form is what the page is about.
PASSWORD_WALL_WORDS = 300
EMAIL_WALL_WORDS = 150


def decode_capture(body: bytes) -> str:
    """The text of fetched HTML: its declared charset, else a guess (trafilatura's decoder)."""
    return decode_file(body)


def _gate(page: str) -> str | None:
    """'a sign-in form' or 'a sign-up form' when the page asks for a password or an email."""
    tree = trafilatura.load_html(page)
    if tree is None:
        return None
    if tree.xpath("//form//input[@type='password']"):
        return "a sign-in form"
    if tree.xpath("//form//input[@type='email' or contains(@name, 'email')]"):
        return "a sign-up form"
    return None


def check_page(page: str, lead: Lead, capture: Capture) -> tuple[Draft, tuple[str, ...]]:
    """The page's draft, with the export's title and date where the page has none.

    Raises PageProblem for a login or paywall page. The notices say what was filled in.
    """
    draft = draft_from_html(page)
    words = sum(len(line.split()) for line in draft.lines)
    gate = _gate(page)
    if gate is not None and words < (PASSWORD_WALL_WORDS if gate == "a sign-in form" else EMAIL_WALL_WORDS):
        raise PageProblem((f"looks like a login or paywall page ({words} words of text and {gate}); not imported",))
    notices: list[str] = []
    if draft.title is None and lead.title:
        problems = tuple(p for p in draft.problems if p != NO_HTML_HEADLINE)
        draft = replace(draft, title=lead.title, problems=problems)
        notices.append("the page has no headline; titled as the export names it")
    if not draft.authors and lead.authors:
        draft = replace(draft, authors=lead.authors)
    if draft.published is None and NO_DATE in draft.problems:
        fallback, how = _fallback_date(lead, capture)
        problems = tuple(p for p in draft.problems if p != NO_DATE)
        draft = replace(draft, published=fallback, problems=problems)
        notices.append(f"no publication date on the page; dated {fallback.isoformat()}, {how}")
    return draft, tuple(notices)


def _fallback_date(lead: Lead, capture: Capture) -> tuple[date, str]:
    """The best date the export gives: its publication date, else when it was saved, else when fetched."""
    if lead.published is not None:
        return _day(lead.published), "as the export gives it"
    if lead.saved is not None:
        return _day(lead.saved), "when it was saved"
    return _day(capture.captured), "when it was captured"


def _day(moment: datetime) -> date:
    # A day only: the time of saving is not the time of publishing.
    return moment.date()
