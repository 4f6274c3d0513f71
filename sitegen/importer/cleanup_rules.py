"""Text rules that drop what is not the article: widgets, promotion, legal small print.

Each rule handles one concern and is tested on its own fixture file in
tests/importer/fixtures/rules/<rule name>.txt.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sitegen.importer.draft import Draft

# Characters that copy-and-paste brings in for spaces or for nothing at all.
_SPACE_LIKE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_RUNS = re.compile(r" {2,}")


def normalise_spaces(draft: Draft) -> Draft:
    """Turn non-breaking and other odd spaces into plain ones; drop invisible characters."""
    lines = tuple(_SPACE_RUNS.sub(" ", _SPACE_LIKE.sub(" ", _INVISIBLE.sub("", line))).strip() for line in draft.lines)
    return replace(draft, lines=lines)


# A heading that opens the readers' comments: nothing after it belongs to the article.
_COMMENT_HEADINGS = frozenset(
    {
        "latest comments",
        "comments",
        "reader comments",
        "show comments",
        "view comments",
        "join the conversation",
        "leave a comment",
    }
)


def _is_prose(line: str) -> bool:
    """A line that reads like an article paragraph rather than page furniture."""
    return len(line.split()) >= 8 and line.rstrip("\"'”’)").endswith((".", "!", "?"))


def cut_comment_section(draft: Draft) -> Draft:
    """Drop the comments heading and all after it, once the article text has begun.

    Above the first paragraph a "Comments" line is only a counter widget, so there it is
    dropped alone rather than cutting the whole page.
    """
    kept: list[str] = []
    seen_prose = False
    for line in draft.lines:
        if line.strip().casefold().rstrip(":") in _COMMENT_HEADINGS:
            if seen_prose:
                break
            continue
        seen_prose = seen_prose or _is_prose(line)
        kept.append(line)
    return replace(draft, lines=tuple(kept))


_DISCLOSURE_OPENERS = re.compile(r"^(risk disclosure|risk warning|disclaimer)\s*:", re.I)


def drop_risk_disclosure(draft: Draft) -> Draft:
    """Drop a risk-disclosure block: its opening line and the lines that run on from it."""
    kept: list[str] = []
    in_block = False
    for line in draft.lines:
        if _DISCLOSURE_OPENERS.match(line):
            in_block = True
        elif not line.strip():
            in_block = False
        if not in_block:
            kept.append(line)
    return replace(draft, lines=tuple(kept))


# Sentences from republishers' terms that are never part of a news story. Kept as
# fragments so that small rewordings of the rest of the paragraph still match.
_LEGAL_FRAGMENTS = (
    "before deciding to trade",
    "would like to remind you that the data contained in this website",
    "not necessarily real-time nor accurate",
    "will not accept liability for any loss or damage",
    "it is prohibited to use, store, reproduce",
    "all intellectual property rights are reserved by the providers",
    "may be compensated by the advertisers",
    "this article was generated with the support of ai",
    "for more information see our t&c",
)


def drop_republisher_legal(draft: Draft) -> Draft:
    """Drop paragraphs of the republishing site's terms (data accuracy, liability, AI notes)."""
    lines = tuple(line for line in draft.lines if not any(fragment in line.casefold() for fragment in _LEGAL_FRAGMENTS))
    return replace(draft, lines=lines)


_COPYRIGHT_START = re.compile(r"^(copyright\b|©\s*\d{4}|\(c\)\s*\d{4})", re.I)


def is_copyright_line(line: str) -> bool:
    """A site's copyright notice, as opposed to a photo credit like '© Reuters. FILE PHOTO'."""
    if len(line.split()) > 30:
        return False
    return bool(_COPYRIGHT_START.match(line)) or "all rights reserved" in line.casefold()


def drop_copyright_lines(draft: Draft) -> Draft:
    """Drop copyright and 'All Rights Reserved' lines."""
    return replace(draft, lines=tuple(ln for ln in draft.lines if not is_copyright_line(ln)))


_WIDGET_PHRASES = frozenset(
    {
        "share this article",
        "share on facebook",
        "share on x",
        "share on twitter",
        "share on linkedin",
        "share via email",
        "copy link",
        "add a comment",
        "add to watchlist",
        "add/remove from watchlist",
        "save article",
        "listen to this article",
        "follow us",
        "read more",
        "show more",
    }
)
# Single button labels; a line made only of these is a row of share buttons.
_WIDGET_WORDS = frozenset(
    {"share", "tweet", "email", "print", "save", "follow", "comment", "facebook", "twitter"}
    | {"linkedin", "whatsapp", "reddit", "telegram", "x"}
)
_COMMENT_COUNT = re.compile(r"^\d+\s+comments?$", re.I)


def _is_widget(line: str) -> bool:
    text = line.strip().casefold().rstrip(":")
    words = text.split()
    if not words:
        return False
    if text in _WIDGET_PHRASES or _COMMENT_COUNT.match(text):
        return True
    return len(words) <= 6 and all(word in _WIDGET_WORDS for word in words)


def drop_share_widgets(draft: Draft) -> Draft:
    """Drop share, save and follow buttons and comment counters copied as text."""
    return replace(draft, lines=tuple(ln for ln in draft.lines if not _is_widget(ln)))


_CTA = r"(?:Unlock|Subscribe|Sign up|Sign Up|Try|Get|Join|Upgrade|Claim|Start|Download|Register)"
# Copied text loses the gap between a teaser and its button: "...flagged firstUnlock Picks".
_GLUED_BUTTON = re.compile(rf"(?<=[a-z0-9.!?:;)”\"'’]){_CTA}\b(?:\s+\S+){{0,3}}$")
# Only two words at most, so that a short headline such as "Join the euro" is not taken for one.
_BARE_BUTTON = re.compile(rf"^{_CTA}\b(?:\s+\S+)?$")


def _starts_with_pictograph(line: str) -> bool:
    # News paragraphs never open with an emoji; teasers for paid products often do.
    return bool(line) and (ord(line[0]) >= 0x1F000 or 0x2600 <= ord(line[0]) <= 0x27BF)


def is_promotion(line: str) -> bool:
    """A teaser for the site's own products, usually run into its button text."""
    text = line.strip()
    return bool(_GLUED_BUTTON.search(text) or _BARE_BUTTON.match(text) or _starts_with_pictograph(text))


def drop_promotion(draft: Draft) -> Draft:
    """Drop promotion lines ('...sectors are leading the rally.Unlock Stocks')."""
    return replace(draft, lines=tuple(ln for ln in draft.lines if not is_promotion(ln)))
