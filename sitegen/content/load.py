"""Turn one article file into an Article, or into the problems that stop it."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from markdown_it import MarkdownIt

from sitegen.config import Config
from sitegen.content.clean import clean_fields, clean_text, removal_warning
from sitegen.content.conventions.files import is_article_file
from sitegen.content.conventions.images import resolve_lead_image
from sitegen.content.conventions.reading import Source, read_source
from sitegen.content.conventions.redirects import old_urls
from sitegen.content.conventions.sections import Section, section_folder
from sitegen.content.conventions.targets import Targets
from sitegen.content.fields import FieldProblem, Fields, check_fields
from sitegen.content.frontmatter import FrontMatterError, decode_text
from sitegen.content.markdown import MAX_TABLE_CELLS, asset_output_name, render_markdown
from sitegen.content.reading import count_words, reading_minutes
from sitegen.errors import Problem
from sitegen.fingerprint import digest_bytes
from sitegen.model import Article
from sitegen.textfile import TextEncodingError
from sitegen.urls import MAX_NAME_BYTES, article_url, slugify
from sitegen.yamlio import YamlSyntaxError


@dataclass(frozen=True)
class LoadResult:
    """An article (when it is valid) and what was found wrong with its file."""

    article: Article | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    links: tuple[tuple[str, bool], ...] = ()  # local link targets and whether each existed
    section: Section | None = None  # the file is a section's own page, not an article
    reads_others: bool = False  # its Liquid or shortcodes read other files: load it again each build

    def still_valid(self, content_files: frozenset[str]) -> bool:
        """Whether a cached result holds for this set of files under content/."""
        return not self.reads_others and all((target in content_files) == existed for target, existed in self.links)


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
    content_dir: Path | None = None,
) -> LoadResult:
    """Validate and render the file ``relative`` (under content/) whose bytes are ``data``.

    ``shown_prefix`` starts the paths in messages; ``settings_key`` digests the settings that
    shape the output, and goes into the article's digest. ``content_dir`` lets Liquid and
    shortcodes read other files (includes, data, the articles they link to).
    """
    shown = f"{shown_prefix}{relative}"
    try:
        text = decode_text(data)
    except TextEncodingError as error:
        return LoadResult(None, (Problem(shown, error.line, error.message),))
    text, removed = clean_text(text)
    try:
        targets = Targets(
            content_files, content_dir, config.permalinks["article"], config.base_path, config.title, config.base_url
        )
        parts = read_source(relative, text, targets)
    except FrontMatterError as error:
        return LoadResult(None, (Problem(shown, error.line, error.message),))
    except YamlSyntaxError as error:
        return LoadResult(None, (Problem(shown, error.line or 1, error.message),))
    if not isinstance(parts.data, dict):
        return LoadResult(None, (Problem(shown, 2, "front matter must be fields like 'title: ...', one a line"),))
    if parts.is_section:
        return _load_section(relative, parts, shown, md, content_files)
    if parts.is_page:
        message = "has no date, so it is another generator's page, not an article; left out (add a 'date:')"
        return LoadResult(None, warnings=(Problem(shown, None, message),))

    values, removed_in_fields = clean_fields(parts.data)
    fields, field_errors, field_warnings = check_fields(values)
    fields.extra.update(parts.extra)

    def locate(problem: FieldProblem) -> Problem:
        line = (parts.lines.get(problem.key) or parts.lines.get(problem.key[:1])) if problem.key else None
        return Problem(shown, line or 1, problem.message)

    errors = [locate(p) for p in field_errors]
    warnings = [locate(p) for p in field_warnings] + [Problem(shown, line, note) for line, note in parts.notes]
    removed = removed or removed_in_fields
    if removed is not None:
        warnings.insert(0, removal_warning(shown, removed, parts.lines))
    slug = fields.slug or slugify(parts.name.slug_source)
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
        return LoadResult(None, (Problem(shown, parts.lines.get(("slug",), 1), message),), tuple(warnings))

    source_dir = posixpath.dirname(relative)
    render = partial(
        render_markdown, md, source_dir=source_dir, content_files=content_files, page_url=url,
        root_file=partial(_is_static_file, content_dir),
    )  # fmt: skip
    body = render(parts.body)
    note = render(fields.note) if fields.note else None
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
            line = parts.body_line + link.line - 1 if link in body.local_links else parts.lines.get(("note",), 1)
            warnings.append(Problem(shown, line, f"links to '{link.target}', which is not under content/"))
        elif is_article_file(link.target):
            warnings.append(
                Problem(
                    shown,
                    parts.body_line + link.line - 1,
                    f"links to the article file '{link.target}'; link to its page URL instead",
                )
            )
        elif link.target not in assets:
            assets.append(link.target)
    image = None
    if parts.image is not None:
        image = resolve_lead_image(parts.image, relative, url, content_files)
        if image.missing is not None:
            line = parts.lines.get(("image",)) or 1
            warnings.append(Problem(shown, line, f"the lead image '{image.missing}' is not under content/"))
        elif image.asset is not None and image.asset not in assets:
            assets.append(image.asset)
    if parts.name.bundle is not None:
        assets.extend(_bundle_files(parts.name.bundle, content_files, assets))
    old = parts.extra if parts.old_permalink is None else {"permalink": parts.old_permalink, **parts.extra}
    redirects, redirect_notes = old_urls(old, relative, fields.date, slug, fields.topics)
    warnings.extend(Problem(shown, parts.lines.get((key,)) or 1, note) for key, note in redirect_notes)

    found = {(link.target, link.exists) for link in body.local_links + (note.local_links if note else ())}
    capture = None
    if fields.capture is not None:
        # The published copy of a capture is copied beside the page like a linked file.
        target = posixpath.normpath(posixpath.join(source_dir, fields.capture))
        found.add((target, target in content_files))
        if target not in content_files:
            line = parts.lines.get(("capture",), 1)
            warnings.append(Problem(shown, line, f"'capture' names '{target}', which is not under content/"))
        else:
            if target not in assets:
                assets.append(target)
            capture = asset_output_name(posixpath.relpath(target, source_dir))
    if image is not None and image.target is not None:
        found.add((image.target, image.asset is not None))
    links = tuple(sorted(found))
    digest = digest_bytes(data + repr((settings_key, links)).encode())
    article = _make_article(
        relative, slug, fields, config, body.html, note.html if note else "", body.first_paragraph, assets, digest
    )
    moved = tuple(old for old in redirects if old != url)
    article = _with_conventions(article, parts, image.url if image else None, moved)
    if fields.captions or fields.captured or capture or fields.source_digest:
        article = replace(
            article,
            captions=fields.captions,
            captured=fields.captured,
            capture=capture,
            source_digest=fields.source_digest,
        )
    return LoadResult(article, (), tuple(warnings), links, reads_others=parts.reads_others)


def _load_section(
    relative: str, parts: Source, shown: str, md: MarkdownIt, content_files: frozenset[str]
) -> LoadResult:
    """A section's page: its title and text introduce its folder's listing."""
    folder = section_folder(relative) if parts.name.section else parts.name.bundle or ""
    title = parts.data.get("title")
    if not isinstance(title, str) or not title.strip():
        title = posixpath.basename(folder).replace("-", " ").capitalize() or "Home"
    body = render_markdown(md, parts.body, source_dir=posixpath.dirname(relative), content_files=content_files)
    warnings = tuple(Problem(shown, line, note) for line, note in parts.notes)
    return LoadResult(None, warnings=warnings, section=Section(folder, title.strip(), body.html))


def _is_static_file(content_dir: Path | None, rooted: str) -> bool:
    """Whether static/ beside content/ holds ``rooted`` (a path from the site root)."""
    normal = posixpath.normpath(rooted)
    if content_dir is None or normal.startswith("..") or normal.startswith("/"):
        return False
    return (content_dir.parent / "static" / normal).is_file()


def _bundle_files(bundle: str, content_files: frozenset[str], linked: list[str]) -> list[str]:
    """A page bundle's other files (Hugo's page resources) go beside its page, linked or not."""
    prefix = bundle + "/"
    return sorted(
        path for path in content_files
        if path.startswith(prefix) and not is_article_file(path) and path not in linked
    )  # fmt: skip


def _with_conventions(article: Article, parts: Source, image: str | None, redirects: tuple[str, ...]) -> Article:
    """What other generators' fields add: a lead image, authors' links, old URLs."""
    if image is None and not parts.author_links and not redirects:
        return article
    extra = dict(article.extra)
    if parts.author_links:
        extra["author_links"] = dict(parts.author_links)
    return replace(article, image=image, extra=extra, redirects=redirects)


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
