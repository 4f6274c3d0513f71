"""The whoosh index in ``.sitegen/search/whoosh/``, for ``sitegen search`` and the preview.

The only module that imports whoosh (whoosh-reloaded, pinned: upstream whoosh is
unmaintained and 2.7.4 breaks under ``-W error::SyntaxWarning``). Indexing costs about 8 ms
of CPU per article, so it never runs inside ``sitegen build``: the build stores each
article's analysis in the search cache, and ``update_whoosh_index`` later feeds whoosh the
same token lists, adding only articles whose content key it has not indexed and deleting
the rest. Queries use the same parser, field boosts and BM25F parameters as the browser
client, so both rank alike.
"""

from __future__ import annotations

import json
import math
import pickle
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index  # type: ignore[import-untyped]
from whoosh import query as wq
from whoosh.analysis import Token, Tokenizer  # type: ignore[import-untyped]
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema  # type: ignore[import-untyped]
from whoosh.scoring import BM25F  # type: ignore[import-untyped]
from whoosh.searching import Searcher  # type: ignore[import-untyped]

from sitegen.config import load_config
from sitegen.errors import Problem, SitegenError, display_path
from sitegen.parallel import available_cores
from sitegen.search.analysis import BM25_B, BM25_K1, FIELDS, tokenize
from sitegen.search.cache import ANALYSIS_VERSION, IndexedArticle, SearchCache, cache_file
from sitegen.search.fuzzy import FEW, corrections, in_vocabulary, max_edits, near_terms
from sitegen.search.query import (
    AllQ,
    AnyQ,
    Compiled,
    DateQ,
    PhraseQ,
    TermQ,
    compile_query,
    highlight_terms,
    parse_query,
)
from sitegen.search.seal import index_key, is_sealed, key_file, seal_index
from sitegen.search.snippet import SectionHit, Snippet, did_you_mean, document_view, mark_words

WHOOSH_DIR = ".sitegen/search/whoosh"
INDEX_NAME = "articles"
FORMAT = f"1-{ANALYSIS_VERSION}"  # a different format rebuilds the index
_VERSION_FILE = "sitegen-format.json"
_LOCK_SECONDS = 60
# What whoosh raises on a truncated or corrupt index: it reads pickles and packed structs.
_DAMAGE = (
    whoosh_index.EmptyIndexError,
    whoosh_index.IndexError,
    whoosh_index.IndexVersionError,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    pickle.UnpicklingError,
    struct.error,
    zlib.error,
)

Progress = Callable[[int, int], None]  # (articles indexed so far, articles to index)


class SitegenTokenizer(Tokenizer):  # type: ignore[misc]
    """sitegen's analysis as a whoosh tokenizer, for whoosh's own query parser and highlighter.

    Documents are added as token lists (analysed once, by the build), so this only runs on
    text given to whoosh directly. English rules apply, as for query words.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SitegenTokenizer)

    def __hash__(self) -> int:
        return hash(SitegenTokenizer)

    def __call__(self, value: str, positions: bool = False, **kwargs: Any) -> Iterator[Token]:
        token = Token(positions=positions, **kwargs)
        for position, term in enumerate(tokenize(value, "en")):
            token.text = term
            token.boost = 1.0
            if positions:
                token.pos = position
            yield token


def _schema() -> Schema:
    text = {name: TEXT(analyzer=SitegenTokenizer(), phrase=True) for name in FIELDS}
    return Schema(
        url=ID(unique=True, stored=True),
        entry=ID(sortable=True),  # "URL key": which articles are indexed, without reading stored fields
        day=NUMERIC(int, bits=32, signed=True, stored=True),
        shown=STORED,  # {"title", "date", "summary", "text"}: what a result shows
        **text,
    )


@dataclass(frozen=True)
class WhooshUpdate:
    """What bringing the index up to date did."""

    added: int
    removed: int
    rebuilt: bool
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One result of ``sitegen search``."""

    url: str  # from the site root
    link: str  # absolute, with the site's base URL
    title: str
    date: str
    score: float
    snippet: Snippet
    authors: tuple[Snippet, ...] = ()  # each name, words the query found marked
    topics: tuple[str, ...] = ()
    source: str = ""
    sections: tuple[SectionHit, ...] = ()  # where in the article the words stand, best first


@dataclass(frozen=True)
class SearchResults:
    """The best hits, how many matched in all, and any warnings."""

    hits: tuple[SearchHit, ...]
    total: int
    warnings: tuple[Problem, ...] = field(default=())
    suggestion: str | None = None  # the query with its typos corrected, when some were


def index_dir(root: Path) -> Path:
    """Where the whoosh index of the archive at ``root`` lives."""
    return root / WHOOSH_DIR


def update_whoosh_index(root: Path, on_progress: Progress | None = None) -> WhooshUpdate:
    """Make the whoosh index match the last build: add new or changed articles, drop the rest."""
    if not cache_file(root).exists():
        raise SitegenError(f"{display_path(root)} has no search index yet; build it first: sitegen build {root}")
    with SearchCache(root) as cache:
        warnings = list(cache.warnings)
        seal_key = _trusted_index(index_dir(root), warnings)
        synced = index_dir(root) / _SYNCED_FILE
        state, _ = cache.built()  # changes whenever the manifest does
        current = _read(synced) == state and _read(index_dir(root) / _VERSION_FILE) == json.dumps(FORMAT)
        if state and not warnings and current:
            return WhooshUpdate(0, 0, False)  # already updated to this very manifest
        synced.unlink(missing_ok=True)
        manifest = cache.manifest()
        ix, rebuilt = _open_index(index_dir(root), warnings)
        with ix.searcher() as searcher:
            indexed = dict(_entries(searcher))
        wanted = {url: key for url, key in manifest.items() if indexed.get(url) != key}
        stale = [url for url in indexed if url not in manifest or url in wanted]
        if not wanted and not stale:
            synced.write_text(state, encoding="utf-8")
            _seal(index_dir(root), seal_key)
            return WhooshUpdate(0, 0, rebuilt, tuple(warnings))
        try:
            writer = _writer(ix, len(wanted))
        except whoosh_index.LockError:
            raise SitegenError(f"{display_path(index_dir(root))} is locked by another sitegen; try again") from None
        try:
            for url in stale:
                writer.delete_by_term("url", url)
            ordered = sorted(wanted.items())
            for start in range(0, len(ordered), _BATCH):  # a batch at a time: memory stays flat
                batch = ordered[start : start + _BATCH]
                records = cache.records(key for _, key in batch)
                for url, key in batch:
                    record = records.get(key)
                    if record is not None:  # else forgotten since the build; the next build stores it again
                        _add(writer, url, key, record)
                if on_progress is not None:
                    on_progress(start + len(batch), len(ordered))
            # Deleted documents still count in whoosh's statistics until segments merge; merge
            # when they are many, so scores stay close to the static index's.
            deleted = ix.doc_count_all() - ix.doc_count()
            writer.commit(optimize=deleted + len(stale) > 0.1 * max(1, ix.doc_count_all()))
        except BaseException:
            writer.cancel()
            raise
        synced.write_text(state, encoding="utf-8")
        _seal(index_dir(root), seal_key)
    return WhooshUpdate(len(wanted), len(stale), rebuilt, tuple(warnings))


def _trusted_index(folder: Path, warnings: list[Problem]) -> bytes | None:
    """This user's index key, after removing an index in ``folder`` that it did not seal.

    whoosh unpickles its files, so an index is opened only when it carries this user's seal
    (see ``seal``); any other is deleted, unread, and rebuilt from the search cache. Without
    a key (no writable cache folder) no index can be trusted, and each search rebuilds it.
    """
    try:
        key: bytes | None = index_key()
    except OSError as error:
        key = None
        reason = error.strerror or str(error)
        message = f"cannot keep the search index's key there ({reason}); the index is rebuilt each time"
        warnings.append(Problem(display_path(key_file()), None, message))
    if folder.exists() and (key is None or not is_sealed(folder, key)):
        if any(folder.iterdir()) and key is not None:
            message = (
                "the search index does not match its seal (damaged, or not written by this user's sitegen); "
                "rebuilding it"
            )
            warnings.append(Problem(display_path(folder), None, message))
        shutil.rmtree(folder, ignore_errors=True)
    return key


def _seal(folder: Path, key: bytes | None) -> None:
    if key is not None:
        seal_index(folder, key)


_BATCH = 500
_SYNCED_FILE = "synced"  # the search cache's build fingerprint the index was last brought up to


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _writer(ix: Any, documents: int) -> Any:
    """A writer for ``documents`` new documents: for many, one indexing process per core.

    whoosh indexes at about 8 ms of CPU an article; its multiprocessing writer spreads that
    over the cores, each writing a segment of its own (the searcher's statistics span them).
    """
    cores = available_cores()
    if documents >= _MANY and cores > 1:
        return ix.writer(procs=cores, multisegment=True, timeout=_LOCK_SECONDS, limitmb=128)
    return ix.writer(timeout=_LOCK_SECONDS, limitmb=256)


_MANY = 1000


def _add(writer: Any, url: str, key: str, record: IndexedArticle) -> None:
    tokens = record.analysis.tokens
    writer.add_document(
        url=url,
        entry=f"{url} {key}",
        day=record.day,
        shown={
            "title": record.title,
            "date": record.date,
            "summary": record.summary,
            "text": record.analysis.text,
            "language": record.analysis.language,
            "ends": [end for end, _ in record.analysis.chunk_ends],
            "sections": [[s.anchor, s.title, s.chunk] for s in record.analysis.sections],
            "authors": list(record.authors),
            "topics": list(record.topics),
            "source": record.source,
        },
        **{name: list(tokens.get(name, ())) for name in FIELDS},
    )


def _entries(searcher: Searcher) -> Iterator[tuple[str, str]]:
    """(URL, content key) of every live document, read from a column: no stored fields."""
    reader = searcher.reader()
    if not reader.doc_count():
        return
    column = reader.column_reader("entry")
    for docnum in reader.all_doc_ids():
        url, _, key = str(column[docnum]).rpartition(" ")
        yield url, key


def _open_index(folder: Path, warnings: list[Problem]) -> tuple[Any, bool]:
    """The index, opened and checked; a damaged or outdated one is recreated (rebuilt=True)."""
    version = folder / _VERSION_FILE
    if any(folder.glob(f"_{INDEX_NAME}_*.toc")):
        try:
            if json.loads(version.read_text(encoding="utf-8")) != FORMAT:
                raise whoosh_index.IndexVersionError("made by another sitegen", 0)
            ix = whoosh_index.open_dir(folder, indexname=INDEX_NAME)
            with ix.searcher() as searcher:
                for _ in _entries(searcher):
                    pass
            return ix, False
        except whoosh_index.IndexVersionError:
            pass
        except _DAMAGE as error:
            message = f"the search index was damaged ({type(error).__name__}: {error}); rebuilding it"
            warnings.append(Problem(display_path(folder), None, message))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(folder, _schema(), indexname=INDEX_NAME)
    version.write_text(json.dumps(FORMAT), encoding="utf-8")
    return ix, True


def search_archive(root: Path, query: str, *, limit: int = 10, on_progress: Progress | None = None) -> SearchResults:
    """The best ``limit`` articles for ``query``, after bringing the index up to date."""
    update = update_whoosh_index(root, on_progress)
    try:
        return _search(root, query, limit, update.warnings)
    except _DAMAGE as error:  # found only while searching: rebuild once and search again
        folder = index_dir(root)
        shutil.rmtree(folder, ignore_errors=True)
        message = f"the search index was damaged ({type(error).__name__}: {error}); rebuilding it"
        update = update_whoosh_index(root, on_progress)
        return _search(root, query, limit, (*update.warnings, Problem(display_path(folder), None, message)))


def _search(root: Path, query: str, limit: int, warnings: tuple[Problem, ...]) -> SearchResults:
    config, _ = load_config(root)
    with SearchCache(root) as cache:
        ids = cache.state().ids
    ix = whoosh_index.open_dir(index_dir(root), indexname=INDEX_NAME)
    with ix.searcher(weighting=BM25F(B=BM25_B, K1=BM25_K1)) as searcher:
        corrector = _Corrector(searcher)
        compiled = compile_query(
            parse_query(query), lambda prefix, fields: _expand(searcher, prefix, fields), corrector.correct
        )
        if compiled is None:
            return SearchResults((), 0, warnings)
        results = searcher.search(_to_whoosh(compiled), limit=None)
        # Ties go to the higher document id of the static index, as in the browser.
        ranked = sorted(
            ((hit.score or 0.0, hit.fields()) for hit in results),
            key=lambda item: (-math.floor(item[0] * 1e6 + 0.5), -ids.get(item[1]["url"], -1), item[1]["url"]),
        )
        terms = highlight_terms(compiled)
        hits = tuple(_hit(config.base_url, score, stored, terms) for score, stored in ranked[: max(0, limit)])
        suggestion = did_you_mean(query, corrector.used, [hit.snippet for hit in hits]) if hits else None
        return SearchResults(hits, len(ranked), warnings, suggestion)


class _Corrector:
    """Typo corrections from whoosh's vocabulary, by the rules of ``fuzzy`` (read once, on a miss)."""

    def __init__(self, searcher: Searcher) -> None:
        self._reader = searcher.reader()
        self._vocabulary: set[str] | None = None
        self.used: dict[str, Sequence[str]] = {}  # term typed -> its corrections

    def _frequency(self, term: str, fields: tuple[str, ...]) -> int:
        return sum(self._reader.doc_frequency(name, term) for name in fields)

    def correct(self, term: str, fields: tuple[str, ...]) -> Sequence[str]:
        if not max_edits(term) or self._frequency(term, fields) >= FEW:
            return ()
        if self._vocabulary is None:
            self._vocabulary = set()
            for name in FIELDS:
                for word in self._reader.lexicon(name):
                    text = word.decode("utf-8") if isinstance(word, bytes) else str(word)
                    if in_vocabulary(text):
                        self._vocabulary.add(text)
        fixes = corrections(near_terms(term, self._vocabulary), lambda other: self._frequency(other, fields))
        if fixes:
            self.used.setdefault(term, fixes)
        return fixes


def _hit(base_url: str, score: float, stored: Mapping[str, Any], terms: frozenset[str]) -> SearchHit:
    shown = stored["shown"]
    snippet, sections = document_view(
        shown["text"], shown["ends"], shown["sections"], shown["summary"], terms, shown["language"]
    )
    return SearchHit(
        url=stored["url"],
        link=base_url + stored["url"].lstrip("/"),
        title=shown["title"],
        date=shown["date"],
        score=score,
        snippet=snippet,
        authors=tuple(mark_words(name, terms) for name in shown["authors"]),
        topics=tuple(shown["topics"]),
        source=shown["source"],
        sections=sections,
    )


def _expand(searcher: Searcher, prefix: str, fields: tuple[str, ...]) -> Sequence[tuple[str, int]]:
    reader = searcher.reader()
    frequency: dict[str, int] = {}
    for name in fields:
        for term in reader.expand_prefix(name, prefix):
            text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
            frequency[text] = frequency.get(text, 0) + reader.doc_frequency(name, term)
    return [(term, count) for term, count in frequency.items() if count > 0]


def _to_whoosh(compiled: Compiled) -> wq.Query:
    if isinstance(compiled, TermQ):
        return wq.Term(compiled.field, compiled.term, boost=compiled.boost)
    if isinstance(compiled, PhraseQ):
        return wq.Phrase(compiled.field, list(compiled.terms), slop=1, boost=compiled.boost)
    if isinstance(compiled, AnyQ):
        return wq.Or([_to_whoosh(part) for part in compiled.parts])
    if isinstance(compiled, AllQ):
        positive = wq.And([_to_whoosh(part) for part in compiled.parts])
        if compiled.maybe:
            positive = wq.AndMaybe(positive, wq.Or([_to_whoosh(part) for part in compiled.maybe]))
        if not compiled.excluded:
            return positive
        return wq.AndNot(positive, wq.Or([_to_whoosh(part) for part in compiled.excluded]))
    assert isinstance(compiled, DateQ)
    start = compiled.start if compiled.start is not None else -(2**31)
    end = compiled.end if compiled.end is not None else 2**31 - 1
    return wq.NumericRange("day", start, end, constantscore=True)  # scores 1 (whoosh drops 0-score matches)
