"""Importing pages from the web: leads are fetched (or taken from an archive), extracted and written.

Each article is written as soon as its page is in, so an interrupted run keeps what it
finished, and the next run skips every URL already imported: that is how a long import
resumes. Writes go captures first and article last, each atomically, so a failure never
leaves an article without its capture nor a capture that looks imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from sitegen.importer.article import Article, Provenance, article_from_draft, article_path, render_article
from sitegen.importer.batch import ImportReport
from sitegen.importer.errors import PageProblem
from sitegen.importer.fetch import Capture, FetchFailure, FetchPolicy, fetch_all
from sitegen.importer.files import article_key, existing_imports, write_atomically
from sitegen.importer.leads import Lead, is_web_url
from sitegen.importer.provenance import (
    compress,
    content_digest,
    raw_capture_path,
    safe_copy,
    safe_copy_path,
    url_key,
    without_tracking,
)


@dataclass(frozen=True)
class WebImport:
    """What a web import is asked to do."""

    into: Path
    topics: tuple[str, ...] = ()
    dry_run: bool = False
    force: bool = False
    publish_captures: bool = False  # write the nh3-cleaned copy the article page links to
    policy: FetchPolicy = field(default_factory=FetchPolicy)


@dataclass(frozen=True)
class Progress:
    """How far an import has got, for a progress line."""

    done: int
    total: int
    failures: int
    last: str  # the URL just finished


def import_leads(
    leads: Iterable[Lead],
    request: WebImport,
    *,
    on_progress: Callable[[Progress], None] | None = None,
) -> ImportReport:
    """Import every lead into `request.into`; problems and skips are reported, never raised."""
    known, known_urls = existing_imports(request.into, url_key)
    written: list[Path] = []
    articles: list[str] = []
    problems: list[str] = []
    skipped: list[str] = []
    pending: dict[str, Lead] = {}
    for lead in leads:
        key = url_key(lead.url)
        if key in pending:
            continue  # the same page listed twice in the same import
        if key in known_urls and not request.force:
            skipped.append(f"{lead.url}: already imported as {known_urls[key]}; skipped (use --force to replace it)")
            continue
        pending[key] = lead
    by_url = {lead.url: lead for lead in pending.values()}
    in_hand = [lead.capture for lead in pending.values() if lead.capture is not None]
    to_fetch = [lead.url for lead in pending.values() if lead.capture is None]
    results = _chain(in_hand, fetch_all(to_fetch, request.policy) if to_fetch else iter(()))
    for done, result in enumerate(results, start=1):
        lead = by_url[result.requested]
        if isinstance(result, FetchFailure):
            problems.append(f"{result.requested}: {result.reason}")
        else:
            outcome = _import_capture(lead, result, request, known, known_urls)
            if isinstance(outcome, _Skip):
                skipped.append(f"{lead.url}: {outcome.reason}")
            elif isinstance(outcome, _Problem):
                problems.append(f"{lead.url}: {outcome.reason}")
            else:
                articles.append(outcome.text)
                written.extend(outcome.paths[:1])  # the article; its captures go by its name
                skipped.extend(f"{lead.url}: {notice}" for notice in outcome.notices)
        if on_progress is not None:
            on_progress(Progress(done, len(pending), len(problems), lead.url))
    return ImportReport(tuple(written), tuple(articles), tuple(problems), tuple(skipped))


def _chain(first: list[Capture], rest: Iterator[Capture | FetchFailure]) -> Iterator[Capture | FetchFailure]:
    yield from first
    yield from rest


@dataclass(frozen=True)
class _Skip:
    reason: str


@dataclass(frozen=True)
class _Problem:
    reason: str


@dataclass(frozen=True)
class _Written:
    text: str
    paths: tuple[Path, ...]
    notices: tuple[str, ...]


def _import_capture(
    lead: Lead,
    capture: Capture,
    request: WebImport,
    known: dict[tuple[str, str], Path],
    known_urls: dict[str, Path],
) -> _Skip | _Problem | _Written:
    from sitegen.importer.page_checks import check_page, decode_capture

    try:
        page = decode_capture(capture.body)
        draft, notices = check_page(page, lead, capture)
        article = article_from_draft(draft, request.topics)
    except PageProblem as problem:
        return _Problem("; ".join(problem.messages))
    canonical = urljoin(capture.url, draft.canonical) if draft.canonical else None
    source_url = without_tracking(canonical if canonical and _same_site(canonical, capture.url) else capture.url)
    topics = tuple(dict.fromkeys((*article.topics, *lead.topics)))
    article = replace(article, topics=topics, tags=lead.tags, note=lead.note)
    key = article_key(article.title, article.published)
    duplicate = known.get(key) or known_urls.get(url_key(source_url))
    if duplicate is not None and not request.force:
        return _Skip(f"already imported as {duplicate} (same URL, or same title and date); skipped")
    target = duplicate or request.into / article_path(article)
    if duplicate is None and target.exists() and not request.force:
        return _Skip(f"{target} already exists; not overwritten (use --force to replace it)")
    provenance = Provenance(
        source_url=source_url,
        captured=capture.captured,
        digest=content_digest(capture.body),
        capture=safe_copy_path(PurePosixPath(target.name)).name if request.publish_captures else None,
        saved=lead.saved if lead.capture is None else None,  # an archive's record time is the capture time
        redirected_from=tuple(
            dict.fromkeys(url for url in (lead.url, *capture.redirects) if url_key(url) != url_key(source_url))
        ),
    )
    article = replace(article, provenance=provenance)
    text = render_article(article)
    paths: tuple[Path, ...] = ()
    if not request.dry_run:
        try:
            paths = _write(target, text, article, capture, request.publish_captures)
        except OSError as error:
            return _Problem(f"cannot write {target} ({error.strerror or error})")
    known[key] = target
    known_urls[url_key(source_url)] = target
    for url in provenance.redirected_from:
        known_urls[url_key(url)] = target
    return _Written(text, paths, notices)


def _same_site(canonical: str, fetched: str) -> bool:
    """Trust a page's canonical URL only when it names the site the page came from (and is a URL)."""
    if not is_web_url(canonical):
        return False
    mine, theirs = urlsplit(fetched), urlsplit(canonical)
    same_host = (mine.hostname or "").removeprefix("www.") == (theirs.hostname or "").removeprefix("www.")
    return theirs.scheme in ("http", "https") and same_host


def _write(target: Path, text: str, article: Article, capture: Capture, publish: bool) -> tuple[Path, ...]:
    """The capture, its safe copy when published, then the article; undone on failure."""
    assert article.provenance is not None
    article_file = PurePosixPath(target.name)
    raw = target.parent / raw_capture_path(article_file)
    made: list[Path] = []
    try:
        write_atomically(raw, compress(capture.body))
        made.append(raw)
        if publish:
            from sitegen.importer.page_checks import decode_capture

            copy = target.parent / safe_copy_path(article_file)
            page = decode_capture(capture.body)
            write_atomically(copy, safe_copy(page, article.provenance.source_url or capture.url, capture.captured))
            made.append(copy)
        write_atomically(target, text)
    except BaseException:  # a failed write or Ctrl-C: no capture stays without its article
        for path in made:
            path.unlink(missing_ok=True)
        raise
    return (target, *made)
