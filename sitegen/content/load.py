"""Turn one article file into an Article, or into the problems that stop it."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from sitegen.config import Config
from sitegen.content.fields import FieldProblem, Fields, check_fields
from sitegen.content.frontmatter import FrontMatterError, decode_text, split_front_matter
from sitegen.content.markdown import render_markdown
from sitegen.errors import Problem
from sitegen.model import Article
from sitegen.urls import article_url, slugify
from sitegen.yamlio import YamlSyntaxError, load_yaml


@dataclass(frozen=True)
class LoadResult:
    """An article (when it is valid) and what was found wrong with its file."""

    article: Article | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


def load_article(
    content_dir: Path,
    relative: str,
    *,
    config: Config,
    md: MarkdownIt,
    content_files: frozenset[str],
    shown_prefix: str,
) -> LoadResult:
    """Read, validate and render ``content_dir/relative``; ``shown_prefix`` starts its messages' paths."""
    shown = f"{shown_prefix}{relative}"
    try:
        text = decode_text((content_dir / relative).read_bytes())
    except UnicodeDecodeError:
        return LoadResult(None, (Problem(shown, None, "is not UTF-8 text; save it with UTF-8 encoding"),))
    except UnicodeError as error:
        return LoadResult(None, (Problem(shown, None, str(error)),))
    except OSError as error:
        return LoadResult(None, (Problem(shown, None, f"cannot be read: {error.strerror}"),))
    try:
        parts = split_front_matter(text)
        document = load_yaml(parts.front_matter)
    except FrontMatterError as error:
        return LoadResult(None, (Problem(shown, error.line, error.message),))
    except YamlSyntaxError as error:
        line = error.line + 1 if error.line is not None else 1
        return LoadResult(None, (Problem(shown, line, error.message),))
    if not isinstance(document.data, dict):
        return LoadResult(None, (Problem(shown, 2, "front matter must be fields like 'title: ...', one a line"),))

    fields, field_errors, field_warnings = check_fields(document.data)

    def locate(problem: FieldProblem) -> Problem:
        line = document.lines.get(problem.key) or document.lines.get(problem.key[:1]) if problem.key else None
        return Problem(shown, (line + 1) if line else 1, problem.message)

    errors = [locate(p) for p in field_errors]
    warnings = [locate(p) for p in field_warnings]
    slug = fields.slug or slugify(Path(relative).stem)
    if not slug:
        errors.append(Problem(shown, 1, "the file name has no letters or digits; add a 'slug:' field"))
    if errors or fields.date is None:
        return LoadResult(None, tuple(errors), tuple(warnings))

    source_dir = posixpath.dirname(relative)
    body = render_markdown(md, parts.body, source_dir=source_dir, content_files=content_files)
    note = render_markdown(md, fields.note, source_dir=source_dir, content_files=content_files) if fields.note else None
    assets: list[str] = []
    for link in body.local_links + (note.local_links if note else ()):
        if not link.exists:
            line = parts.body_line + link.line - 1 if link in body.local_links else document.lines.get(("note",), 0) + 1
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

    article = _make_article(
        relative, slug, fields, config, body.html, note.html if note else "", body.first_paragraph, assets
    )
    return LoadResult(article, (), tuple(warnings))


def _make_article(
    relative: str,
    slug: str,
    fields: Fields,
    config: Config,
    body_html: str,
    note_html: str,
    first: str,
    assets: list[str],
) -> Article:
    assert fields.date is not None
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
    )
