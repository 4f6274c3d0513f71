"""The work that build steps hand to worker processes: loading articles, rendering pages.

Each worker process is set up once (a Markdown parser, a Jinja2 environment with its
templates compiled) and then handles many chunks. The setup lives in this module's
``_setup`` because that is how a process-pool initializer hands state to its tasks; it is
per worker process and written once, when the worker starts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from sitegen.citations import Citer
from sitegen.config import Config
from sitegen.confined import make_parents, write_at
from sitegen.content.load import LoadResult, load_article, unreadable
from sitegen.content.markdown import make_markdown
from sitegen.errors import Problem
from sitegen.fingerprint import digest_bytes
from sitegen.output import FileRecord, pending_file, write_new_files
from sitegen.related import encode_term_counts
from sitegen.render.environment import make_environment
from sitegen.render.pages import PageTemplateError, render_pages
from sitegen.render.plan import Page
from sitegen.search import SearchCache, encode_record, index_record
from sitegen.search.analysis import Analysis

_setup: dict[str, Any] = {}


def init_loader(
    config: Config,
    content_files: frozenset[str],
    shown_prefix: str,
    settings_key: str,
    root: Path,
    store: bool = False,
) -> None:
    """Prepare this process to load the articles of the archive at ``root``.

    With ``store``, the search analyses go straight into the search cache instead of back
    to the builder: at 100,000 articles they are 900 MB that no process then holds.
    """
    _setup.update(
        config=config,
        md=make_markdown(html=config.markdown.html),
        citer=Citer(),
        content_files=content_files,
        shown_prefix=shown_prefix,
        settings_key=settings_key,
        root=root,
        store=store,
        search_cache=None,  # opened by this process when it first stores (see _search_cache)
    )


class Loaded(NamedTuple):
    """One article file as a load worker leaves it: parsed, and analysed for search."""

    result: LoadResult
    terms: str = ""  # its telling terms, for related articles (see related.encode_term_counts)
    search_key: str = ""  # the key of its search analysis
    encoded: bytes = b""  # the analysis, as the search cache stores it (unless stored there)
    digest: str = ""  # of the file's bytes, when the worker read them ("": it could not)


def load_chunk(files: Sequence[tuple[str, bytes | None]]) -> list[Loaded]:
    """Load each (path under content/, bytes or None to read them) pair, and analyse each
    article once for search.

    The one analysis feeds the search indexes and, through the telling terms, related articles.
    """
    loaded: list[Loaded] = []
    records: list[tuple[str, bytes]] = []
    for relative, given in files:
        data = given if given is not None else _read_content(relative)
        if isinstance(data, Problem):
            loaded.append(Loaded(LoadResult(None, errors=(data,))))
            continue
        digest = digest_bytes(data) if given is None else ""
        result = load_article(
            relative,
            data,
            config=_setup["config"],
            md=_setup["md"],
            content_files=_setup["content_files"],
            shown_prefix=_setup["shown_prefix"],
            settings_key=_setup["settings_key"],
            content_dir=_setup["root"] / "content",
        )
        if result.article is None:
            loaded.append(Loaded(result, digest=digest))
            continue
        # Formatted here, where the article is made: kept with it in the build cache, so a
        # template edit that renders every article page again does not format them again.
        article = result.article
        references = tuple(_setup["citer"].references(_setup["config"], article))
        article = replace(article, references=references)
        result = replace(result, article=article)
        record = index_record(article)
        encoded = encode_record(record)
        if _setup["store"]:
            records.append((record.key, encoded))
            encoded = b""
        loaded.append(Loaded(result, telling_terms(record.analysis), record.key, encoded, digest))
    if records:
        _search_cache().store(records)
    return loaded


def _search_cache() -> SearchCache:
    """This worker's search cache, opened once: an open checks the database by counting its
    records, which a worker storing every chunk of 100,000 articles would do 800 times.
    Each store commits, so the worker can end without closing it."""
    cache: SearchCache | None = _setup["search_cache"]
    if cache is None:
        cache = _setup["search_cache"] = SearchCache(_setup["root"])
    return cache


def _read_content(relative: str) -> bytes | Problem:
    try:
        data: bytes = (_setup["root"] / "content" / relative).read_bytes()
        return data
    except OSError as error:
        return unreadable(_setup["shown_prefix"] + relative, error)


TERMS_KEPT = 60


def telling_terms(analysis: Analysis) -> str:
    """The article's repeated body terms (title words count double), most frequent first,
    with their counts, in one string.

    Related articles are found from these. A term used once says little about what an
    article is about, and keeping only a few dozen keeps the cache small; one string per
    article instead of a tuple per term saved 500 MB at 100,000 articles.
    """
    counts = Counter(analysis.tokens.get("body", ()))
    for term in analysis.tokens.get("title", ()):
        counts[term] += 2
    repeated = [(term, count) for term, count in counts.items() if count >= 2]
    repeated.sort(key=lambda item: (-item[1], item[0]))
    return encode_term_counts(repeated[:TERMS_KEPT])


def init_renderer(
    templates: Path,
    config: Config,
    pages: Sequence[Page],
    offline: bool,
    previous: Mapping[str, FileRecord] | None = None,
) -> None:
    """Prepare this process to render pages of the plan (inherited, not copied, under fork).

    ``previous`` is the manifest of the live folder that ``render_chunk_beside`` writes into.
    """
    env = make_environment(templates, config)
    _setup.update(env=env, config=config, pages=pages, offline=offline, previous=previous)
    _setup["folders made"] = set()


def render_chunk(indexes: Sequence[int]) -> dict[str, bytes]:
    """Render the planned pages at these positions."""
    pages = [_setup["pages"][index] for index in indexes]
    return render_pages(_setup["env"], _setup["config"], pages, offline=_setup["offline"])


def render_chunk_beside(out_dir: Path, indexes: Sequence[int]) -> dict[str, str] | PageTemplateError:
    """Render pages into hidden files beside their places in the live ``out_dir``; their digests.

    ``update_site`` renames them into place once every page has rendered, so a failed build
    changes nothing that is served. A page whose bytes are as before is not written at all.
    """
    previous = _setup["previous"] or {}
    digests: dict[str, str] = {}
    try:
        rendered = render_chunk(indexes)
    except PageTemplateError as error:
        return error  # returned, not raised: pool.map would keep only the first chunk's
    for relative, data in rendered.items():
        digest = digest_bytes(data)
        record = previous.get(relative)
        if record is None or record.digest != digest:
            target = make_parents(out_dir, relative, _setup["folders made"])  # never outside out_dir
            write_at(pending_file(target), data)
        digests[relative] = digest
    return digests


def render_chunk_to(staging: Path, indexes: Sequence[int]) -> dict[str, str] | PageTemplateError:
    """Render the planned pages at these positions straight into ``staging``; their digests.

    Writing here instead of sending the bytes back keeps the build's memory flat: no
    process ever holds the whole rendered site.
    """
    try:
        rendered = render_chunk(indexes)
    except PageTemplateError as error:
        return error  # returned, not raised: pool.map would keep only the first chunk's
    return write_new_files(staging, rendered, _setup["folders made"])
