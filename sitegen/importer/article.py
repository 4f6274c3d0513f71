"""A cleaned-up draft becomes an article: front matter plus a Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

import yaml

from sitegen.importer.draft import Draft
from sitegen.importer.errors import PageProblem
from sitegen.importer.header_rules import NO_DATE, NO_HEADLINE, split_dateline
from sitegen.importer.slug import title_slug

NO_BODY = "no article text found below the headline"


@dataclass(frozen=True)
class Article:
    """One imported article, ready to be written as Markdown with front matter."""

    title: str
    published: date
    updated: date | None
    authors: tuple[str, ...]
    source: str | None
    topics: tuple[str, ...]
    summary: str | None  # a real dek only, never a copy of the lead
    captions: tuple[str, ...]
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()
    language: str | None = None
    provenance: Provenance | None = None
    note: str | None = None  # the curator's own words, plain text, from a bookmark's description


@dataclass(frozen=True)
class Provenance:
    """Where and when an imported article came from, as its front matter records it."""

    source_url: str | None  # canonical, after redirects
    captured: datetime  # when the page was fetched, or saved into the export it came from
    digest: str  # "sha256:..." of the bytes the article was made from
    capture: str | None = None  # file name of the published safe copy beside the article
    redirected_from: tuple[str, ...] = ()  # the URLs that redirected to source_url, in order
    saved: datetime | None = None  # when the curator saved it, as the export says


def article_from_draft(draft: Draft, topics: tuple[str, ...]) -> Article:
    """Assemble an article from a cleaned draft; raise PageProblem naming all that is missing."""
    paragraphs = tuple(line.strip() for line in draft.lines if line.strip())
    problems = draft.problems
    if not paragraphs and draft.title is not None:
        problems += (NO_BODY,)
    if problems:
        raise PageProblem(problems)
    if draft.title is None or draft.published is None:
        # Only a draft that skipped the text rules can get here without a problem noted.
        raise PageProblem((NO_HEADLINE if draft.title is None else NO_DATE,))
    return Article(
        title=draft.title,
        published=draft.published,
        updated=draft.updated,
        authors=draft.authors,
        source=draft.source or draft.site_name,
        topics=topics,
        summary=real_dek(draft.description, paragraphs[0]),
        captions=draft.captions,
        paragraphs=paragraphs,
        language=draft.language,
    )


def article_path(article: Article) -> PurePosixPath:
    """Where the article lives inside the content folder: '{year}/{slug}.md'."""
    slug = title_slug(article.title) or f"article-{article.published.isoformat()[:10]}"
    return PurePosixPath(str(article.published.year), f"{slug}.md")


# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    {"mr.", "mrs.", "ms.", "dr.", "prof.", "gen.", "sen.", "rep.", "gov.", "st.", "no."}
    | {"jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.", "inc.", "corp.", "co."}
    | {"ltd.", "vs.", "approx.", "est."}
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, not fooled by 'Mr.', 'Jan.' or 'U.S.'."""
    for match in _SENTENCE_END.finditer(text):
        word = text[: match.start() + 1].split()[-1]
        if word.casefold() in _ABBREVIATIONS or _INITIALS.fullmatch(word):
            continue
        return text[: match.end()].strip()
    return text.strip()


def summarise(first_paragraph: str) -> str | None:
    """The first sentence of the body, without its dateline."""
    parts = split_dateline(first_paragraph)
    text = parts[2] if parts else first_paragraph
    return first_sentence(text) or None


def _comparable(text: str) -> str:
    return " ".join(text.replace("…", " ").replace("...", " ").split()).casefold().rstrip(" .")


def real_dek(description: str | None, lead: str) -> str | None:
    """The page's description when it is a dek of its own, not the lead (or its start) again.

    Sites often fill their description with the first paragraph, cut short with an
    ellipsis; shown above the article it would repeat the text word for word.
    """
    if not description or not description.strip():
        return None
    dek, first = _comparable(description), _comparable(lead)
    opening = _comparable(summarise(lead) or "")
    if not dek or first.startswith(dek) or dek.startswith(opening) or dek in first:
        return None
    return " ".join(description.split())


class _FrontMatterDumper(yaml.SafeDumper):
    """Double-quoted strings (any title round-trips) and 'T' in datetimes, as ISO 8601."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_FrontMatterDumper.add_representer(str, _represent_str)
_FrontMatterDumper.add_representer(datetime, _represent_datetime)


def front_matter(article: Article) -> dict[str, Any]:
    """The front matter fields in their fixed order, leaving out those with no value."""
    provenance = article.provenance
    fields: dict[str, Any] = {
        "title": article.title,
        "date": article.published,
        "updated": article.updated,
        "author": list(article.authors),
        "source": article.source,
        "source_url": provenance.source_url if provenance else None,
        "redirected_from": list(provenance.redirected_from) if provenance else None,
        "topics": list(article.topics),
        "tags": list(article.tags),
        "summary": article.summary,
        "language": article.language,
        # The publisher's captions: shown as figure captions, never as the curator's note
        # (which is the curator's own voice) nor in the body (where they read as story text).
        "captions": list(article.captions),
        "saved": provenance.saved if provenance else None,
        "captured": provenance.captured if provenance else None,
        "source_digest": provenance.digest if provenance else None,
        "capture": provenance.capture if provenance else None,
        "note": markdown_paragraph(article.note) if article.note else None,
    }
    return {key: value for key, value in fields.items() if value}


_INLINE_SPECIALS = re.compile(r"([\\`*_<\[])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(#|>|~~~|[-+=|](?=\s|$)|\d+(?=[.)](?:\s|$)))")


def markdown_paragraph(text: str) -> str:
    """Escape what Markdown would read as markup, so the paragraph renders as written."""
    text = _ENTITY.sub("&amp;", _INLINE_SPECIALS.sub(r"\\\1", text))
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    if match.group(0).isdigit():  # '1. ' or '2) ' would start a list: escape the mark
        end = match.end()
        return f"{text[:end]}\\{text[end:]}"
    return f"\\{text}"


def _yaml_value(value: object) -> str:
    text = yaml.dump(
        value,
        Dumper=_FrontMatterDumper,
        allow_unicode=True,
        width=2**16,  # never fold a long title or summary over several lines
        default_flow_style=True,
    )
    return text.removesuffix("\n").removesuffix("\n...").rstrip("\n")


def render_article(article: Article) -> str:
    """The article as a file: YAML front matter between '---' lines, then the body."""
    header = "".join(f"{key}: {_yaml_value(value)}\n" for key, value in front_matter(article).items())
    body = "\n\n".join(markdown_paragraph(p) for p in article.paragraphs)
    return f"---\n{header}---\n\n{body}\n"
