"""Importing a list of pages: each becomes an article, or a problem, or a skip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.importer.article import article_from_draft, article_path, render_article
from sitegen.importer.errors import PageProblem
from sitegen.importer.files import (
    STDIN_NAME,
    article_key,
    existing_articles,
    page_to_draft,
    read_source,
    write_atomically,
)


@dataclass(frozen=True)
class ImportReport:
    """What an import did; the CLI prints it and exits 1 when there are problems."""

    written: tuple[Path, ...]  # files written (empty on a dry run)
    articles: tuple[str, ...]  # each article's full text, for --dry-run printing
    problems: tuple[str, ...]  # "path: message" for pages that could not be imported
    skipped: tuple[str, ...]  # "path: message" for duplicates and existing files left alone


def import_pages(
    sources: list[str],
    *,
    into: Path,
    topics: list[str],
    dry_run: bool = False,
    force: bool = False,
    stdin_text: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import each source path ('-' means stdin_text) into `into`/{year}/{slug}.md.

    ``on_progress(done, total)`` is told after each page, however it went.
    """
    topic_names = clean_topics(topics)
    known = existing_articles(into)
    planned: set[Path] = set()
    written: list[Path] = []
    articles: list[str] = []
    problems: list[str] = []
    skipped: list[str] = []
    for done, source in enumerate(sources):
        if on_progress is not None and done:
            on_progress(done, len(sources))
        name = STDIN_NAME if source == "-" else source
        try:
            article = article_from_draft(page_to_draft(read_source(source, stdin_text)), topic_names)
        except PageProblem as problem:
            problems += [f"{name}: {message}" for message in problem.messages]
            continue
        key = article_key(article.title, article.published)
        target = into / article_path(article)
        duplicate = known.get(key)
        if duplicate is not None and not force:
            skipped.append(
                f"{name}: already imported as {duplicate} (same title and date); skipped (use --force to replace it)"
            )
            continue
        if duplicate is not None:
            target = duplicate  # --force replaces the earlier copy wherever its slug put it
        elif (target in planned or target.exists()) and not force:
            skipped.append(f"{name}: {target} already exists; not overwritten (use --force to replace it)")
            continue
        text = render_article(article)
        if not dry_run:
            try:
                write_atomically(target, text)
            except OSError as exc:
                problems.append(f"{name}: cannot write {target} ({exc.strerror or exc})")
                continue
            written.append(target)
        articles.append(text)
        known[key] = target
        planned.add(target)
    if on_progress is not None:
        on_progress(len(sources), len(sources))
    return ImportReport(tuple(written), tuple(articles), tuple(problems), tuple(skipped))


def clean_topics(topics: list[str]) -> tuple[str, ...]:
    """Topic names trimmed and de-duplicated in order; 'A, B' given as one item is split."""
    names = (name.strip() for item in topics for name in item.split(","))
    return tuple(dict.fromkeys(name for name in names if name))
