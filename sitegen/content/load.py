"""Turn one article file into an Article, or into the problems that stop it."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace

from markdown_it import MarkdownIt

from sitegen.config import Config
from sitegen.content.clean import clean_fields, clean_text, removal_warning
from sitegen.content.fields import FieldProblem, Fields, check_fields
from sitegen.content.frontmatter import FrontMatterError, decode_text, split_front_matter
from sitegen.content.markdown import MAX_TABLE_CELLS, asset_output_name, render_markdown
from sitegen.content.reading import count_words, reading_minutes
from sitegen.errors import Problem
from sitegen.fingerprint import digest_bytes
from sitegen.model import Article
from sitegen.textfile import TextEncodingError
from sitegen.urls import MAX_NAME_BYTES, article_url, slugify
from sitegen.yamlio import YamlSyntaxError, load_yaml


@dataclass(frozen=True)
class LoadResult:
    """An article (when it is valid) and what was found wrong with its file."""

    article: Article | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    links: tuple[tuple[str, bool], ...] = ()  # local link targets and whether each existed

    def still_valid(self, content_files: frozenset[str]) -> bool:
        """Whether a cached result holds for this set of files under content/."""
        return all((target in content_files) == existed for target, existed in self.links)


def unreadable(shown_path: str, error: OSError) -> Problem:
    """The problem of an article file that cannot be read (by the builder or a worker)."""
    return Problem(shown_path, None, f"cannot be read: {error.strerror}")


def load_article(
    relative: str,
    data: bytes,
    *,
    config: Config,
    md: MarkdownIt,
    content_files: frozenset[str],
    shown_prefix: str,
    settings_key: str = "",
) -> LoadResult:
    """Validate and render the file ``relative`` (under content/) whose bytes are ``data``.

    ``shown_prefix`` starts the paths in messages; ``settings_key`` digests the settings that
    shape the output, and goes into the article's digest.
    """
    shown = f"{shown_prefix}{relative}"
    try:
        text = decode_text(data)
    except TextEncodingError as error:
        return LoadResult(None, (Problem(shown, error.line, error.message),))
    text, removed = clean_text(text)
    try:
        parts = split_front_matter(text)
        document = load_yaml(parts.front_matter, first_line=2)
    except FrontMatterError as error:
        return LoadResult(None, (Problem(shown, error.line, error.message),))
    except YamlSyntaxError as error:
        return LoadResult(None, (Problem(shown, error.line or 1, error.message),))
    if not isinstance(document.data, dict):
        return LoadResult(None, (Problem(shown, 2, "front matter must be fields like 'title: ...', one a line"),))

    values, removed_in_fields = clean_fields(document.data)
    fields, field_errors, field_warnings = check_fields(values)

    def locate(problem: FieldProblem) -> Problem:
        line = (document.lines.get(problem.key) or document.lines.get(problem.key[:1])) if problem.key else None
        return Problem(shown, line or 1, problem.message)

    errors = [locate(p) for p in field_errors]
    warnings = [locate(p) for p in field_warnings]
    removed = removed or removed_in_fields
    if removed is not None:
        warnings.insert(0, removal_warning(shown, removed, document.lines))
    slug = fields.slug or slugify(posixpath.splitext(posixpath.basename(relative))[0])
    if not slug:
        errors.append(Problem(shown, 1, "the file name has no letters or digits; add a 'slug:' field"))
    if errors or fields.date is None:
        return LoadResult(None, tuple(errors), tuple(warnings))

    url = article_url(config.permalinks["article"], fields.date, slug)
    long_name = next((part for part in url.split("/") if len(part.encode()) > MAX_NAME_BYTES), None)
    if long_name is not None:  # the permalink pattern adds text beside the slug
        message = (
            f"the page's folder name '{long_name[:40]}...' is {len(long_name.encode())} bytes in UTF-8; "
            f"file systems allow {MAX_NAME_BYTES}: shorten the slug or the permalink pattern"
        )
        return LoadResult(None, (Problem(shown, document.lines.get(("slug",), 1), message),), tuple(warnings))

    source_dir = posixpath.dirname(relative)
    body = render_markdown(md, parts.body, source_dir=source_dir, content_files=content_files)
    note = render_markdown(md, fields.note, source_dir=source_dir, content_files=content_files) if fields.note else None
    assets: list[str] = []
    if body.too_deep:
        limit = md.options.get("maxNesting", 20)
        warnings.append(
            Problem(
                shown, parts.body_line, f"Markdown nested more than {limit} levels deep; the deeper text is left out"
            )
        )
    for line in body.large_tables:
        message = f"a table of more than {MAX_TABLE_CELLS:,} cells is left as text; split it, or link to the data"
        warnings.append(Problem(shown, parts.body_line + line - 1, message))
    for link in body.local_links + (note.local_links if note else ()):
        if not link.exists:
            line = parts.body_line + link.line - 1 if link in body.local_links else document.lines.get(("note",), 1)
            warnings.append(Problem(shown, line, f"links to '{link.target}', which is not under content/"))
        elif link.target.endswith(".md"):
            warnings.append(
                Problem(
                    shown,
                    parts.body_line + link.line - 1,
                    f"links to the article file '{link.target}'; link to its page URL instead",
                )
            )
        elif link.target not in assets:
            assets.append(link.target)

    found = {(link.target, link.exists) for link in body.local_links + (note.local_links if note else ())}
    capture = None
    if fields.capture is not None:
        # The published copy of a capture is copied beside the page like a linked file.
        target = posixpath.normpath(posixpath.join(source_dir, fields.capture))
        found.add((target, target in content_files))
        if target not in content_files:
            line = document.lines.get(("capture",), 1)
            warnings.append(Problem(shown, line, f"'capture' names '{target}', which is not under content/"))
        else:
            if target not in assets:
                assets.append(target)
            capture = asset_output_name(posixpath.relpath(target, source_dir))
    links = tuple(sorted(found))
    digest = digest_bytes(data + repr((settings_key, links)).encode())
    article = _make_article(
        relative, slug, fields, config, body.html, note.html if note else "", body.first_paragraph, assets, digest
    )
    if fields.captions or fields.captured or capture or fields.source_digest:
        article = replace(
            article,
            captions=fields.captions,
            captured=fields.captured,
            capture=capture,
            source_digest=fields.source_digest,
        )
    return LoadResult(article, (), tuple(warnings), links)


def _make_article(
    relative: str,
    slug: str,
    fields: Fields,
    config: Config,
    body_html: str,
    note_html: str,
    first: str,
    assets: list[str],
    digest: str,
) -> Article:
    assert fields.date is not None
    words, unspaced = count_words(body_html)
    return Article(
        path=relative,
        slug=slug,
        url=article_url(config.permalinks["article"], fields.date, slug),
        title=fields.title,
        date=fields.date,
        updated=fields.updated,
        authors=fields.authors,
        source=fields.source,
        source_url=fields.source_url,
        topics=fields.topics,
        tags=fields.tags,
        summary=fields.summary or first,
        dek=fields.summary or "",
        language=fields.language or config.language,
        draft=fields.draft,
        note_html=note_html,
        body_html=body_html,
        assets=tuple(assets),
        extra=fields.extra,
        word_count=words,
        reading_minutes=reading_minutes(words, unspaced),
        digest=digest,
    )
