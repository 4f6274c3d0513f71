"""The search cache, ``.sitegen/search/search.sqlite``: analyses by content key, and state.

Each build analyses only the articles whose key it has not seen, stores them, and records
which articles the site now has (the manifest). ``sitegen search`` and the preview server
bring the whoosh index up to date from the manifest and the stored analyses, without
reading content/ again. A damaged cache is deleted and rebuilt, with a warning.

Every save writes a new generation, so that a long-lived builder that saved last can tell
the cache still holds what it saved, and then save only what changed (``save_changes``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Problem, SitegenError, display_path
from sitegen.model import Article
from sitegen.search.analysis import FIELDS, Analysis, Section, analyse_article
from sitegen.search.query import day_number
from sitegen.search.static_index import IndexState

CACHE_DIR = ".sitegen/search"
CACHE_FILE = "search.sqlite"
ANALYSIS_VERSION = "11"  # change whenever analysis.py would tokenize any text differently, or records change form
_TIMEOUT = 30.0


@dataclass(frozen=True)
class IndexedArticle:
    """What both indexes need of one article: its analysis and the fields results show."""

    key: str
    url: str
    title: str
    date: str  # ISO date, YYYY-MM-DD
    day: int  # days since 1970-01-01
    summary: str
    analysis: Analysis
    authors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class LayoutRecord:
    """What a build that patches the static index needs besides its state (see ``patch``)."""

    inputs: str  # the digest of the layout constants and the client the index was made with
    small_total: int  # the sizes of the terms in numbered shards, summed (the shard count follows it)


def article_key(article: Article) -> str:
    """A digest of everything the analysis of ``article`` depends on."""
    fields = (article.title, article.summary, article.body_html, article.topics, article.tags, article.authors)
    source = article.digest or repr((*fields, article.source, article.language))
    text = f"{ANALYSIS_VERSION}\x1f{article.url}\x1f{article.date.isoformat()}\x1f{source}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def cache_file(root: Path) -> Path:
    """Where the search cache of the archive at ``root`` lives."""
    return root / CACHE_DIR / CACHE_FILE


class SearchCache:
    """An open search cache; use as a context manager."""

    def __init__(self, root: Path) -> None:
        self.path = cache_file(root)
        self.warnings: list[Problem] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
                raise NotADirectoryError(0, "it is not a plain file")
        except OSError as error:  # something else sits where the cache goes: not ours to remove
            raise SitegenError(
                [
                    Problem(
                        display_path(self.path),
                        None,
                        f"cannot keep the search cache here ({error.strerror}); remove it",
                    )
                ]
            ) from None
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as error:
            self.warnings.append(
                Problem(display_path(self.path), None, f"the search cache was damaged ({error}); rebuilding it")
            )
            self.path.unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=_TIMEOUT)
        try:
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS record (key TEXT PRIMARY KEY, data BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS manifest (url TEXT PRIMARY KEY, key TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS setting (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                """
            )
            db.execute("SELECT count(*) FROM record").fetchone()
            # A cache: losing the last commit to a power cut costs a re-analysis, so commits
            # need not wait for the journal to reach the disk twice (NORMAL still syncs).
            db.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def __enter__(self) -> SearchCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def records(self, keys: Iterable[str]) -> dict[str, IndexedArticle]:
        """The stored records among ``keys``; unreadable ones are left out (and redone)."""
        found: dict[str, IndexedArticle] = {}
        for key, data in self.stored(keys).items():
            record = decode_record(key, data)
            if record is not None:
                found[key] = record
        return found

    def stored(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored (encoded) records among ``keys``."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT key, data FROM record WHERE key IN ({marks})", chunk))
        return found

    def store(self, records: Iterable[tuple[str, bytes]]) -> None:
        """Store (key, encoded) records ahead of the build that will list them in its manifest.

        Load workers do, so that no process has to hold them all. Committed without waiting
        for the disk: a cache loses nothing but time if a crash takes the write.
        """
        self.db.execute("PRAGMA synchronous = OFF")
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO record (key, data) VALUES (?, ?)", records)

    def save_build(
        self,
        manifest: Mapping[str, str],
        encoded: Mapping[str, bytes],
        state: IndexState,
        fingerprint: str,
        paths: Sequence[str],
        redone: Iterable[str] = (),
        layout: LayoutRecord | None = None,
    ) -> str:
        """Store new records, make ``manifest`` (URL -> key) the manifest, forget records no longer used.

        ``encoded`` holds the records of the manifest (those stored already are not written
        again; one missing from both is left to be made by a next build). ``fingerprint``
        identifies the inputs of the static index and ``paths`` are its files, so that a
        build whose inputs did not change can keep the files as they are. ``redone`` names
        records stored before that could not be read and were made anew. ``layout`` is what
        a next build needs to patch the index (None: it cannot). Returns the new generation.
        """
        generation = secrets.token_hex(8)
        with self.db:
            present = {key for (key,) in self.db.execute("SELECT key FROM record")}
            missing = (set(manifest.values()) - present) | set(redone)
            self.db.executemany(
                "INSERT OR REPLACE INTO record (key, data) VALUES (?, ?)",
                ((key, encoded[key]) for key in missing if key in encoded),
            )
            self.db.execute("DELETE FROM manifest")
            self.db.executemany("INSERT INTO manifest (url, key) VALUES (?, ?)", manifest.items())
            self.db.execute("DELETE FROM record WHERE key NOT IN (SELECT key FROM manifest)")
            self._set(fingerprint, paths, state, generation, layout)
        return generation

    def save_changes(
        self,
        generation: str,
        changed: Mapping[str, str],
        removed: Iterable[str],
        records: Mapping[str, bytes],
        fingerprint: str,
        paths: Sequence[str] | None,
        state: IndexState | None,
        layout: LayoutRecord | None = None,
    ) -> str | None:
        """Change what the save of ``generation`` stored into the next build; the new generation.

        ``changed`` maps the URLs that are new or may have a new key to it, and ``records``
        holds the records to store (of those keys); ``removed`` are URLs no longer there. The
        records of the keys these URLs leave are forgotten. ``paths`` and ``state`` are None
        when as saved; ``layout`` as in ``save_build``. Returns None, having written nothing,
        when another save came in between.
        """
        self.db.execute("BEGIN IMMEDIATE")  # nobody may save between the check and the changes
        try:
            if self.generation() != generation:
                self.db.rollback()
                return None
            urls = [(url,) for url in (*removed, *changed)]
            kept = set(changed.values())
            stale = [(key,) for (key,) in self._keys_of(urls) if key not in kept]
            self.db.executemany("DELETE FROM record WHERE key = ?", stale)
            self.db.executemany("DELETE FROM manifest WHERE url = ?", urls)
            self.db.executemany("INSERT INTO manifest (url, key) VALUES (?, ?)", changed.items())
            self.db.executemany("INSERT OR REPLACE INTO record (key, data) VALUES (?, ?)", records.items())
            generation = secrets.token_hex(8)
            self._set(fingerprint, paths, state, generation, layout)
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        return generation

    def _keys_of(self, urls: Sequence[tuple[str]]) -> list[tuple[str]]:
        keys: list[tuple[str]] = []
        for (url,) in urls:
            keys.extend(self.db.execute("SELECT key FROM manifest WHERE url = ?", (url,)))
        return keys

    def _set(
        self,
        fingerprint: str,
        paths: Sequence[str] | None,
        state: IndexState | None,
        generation: str,
        layout: LayoutRecord | None,
    ) -> None:
        settings = [("built", json.dumps({"fingerprint": fingerprint})), ("generation", generation)]
        # Saved with the generation, in one transaction: it describes that save's index alone.
        self.db.execute("DELETE FROM setting WHERE name = 'layout'")
        if layout is not None:
            settings.append(("layout", json.dumps({"inputs": layout.inputs, "small_total": layout.small_total})))
        if paths is not None:
            settings.append(("paths", json.dumps(list(paths))))
        if state is not None:
            settings.append(("state", json.dumps(state.to_json())))
        self.db.executemany("INSERT OR REPLACE INTO setting (name, value) VALUES (?, ?)", settings)

    def generation(self) -> str:
        """The generation of the last save ("" when unknown)."""
        row = self.db.execute("SELECT value FROM setting WHERE name = 'generation'").fetchone()
        return str(row[0]) if row else ""

    def manifest(self) -> dict[str, str]:
        """URL -> key of every article of the last build."""
        return dict(self.db.execute("SELECT url, key FROM manifest"))

    def built(self) -> tuple[str, list[str]]:
        """The fingerprint and files of the last static index built ("" and [] when unknown)."""
        rows = dict(self.db.execute("SELECT name, value FROM setting WHERE name IN ('built', 'paths')"))
        try:
            data = json.loads(rows.get("built", "{}"))
            paths = [str(path) for path in json.loads(rows.get("paths", "[]"))]
            return str(data.get("fingerprint", "")), paths
        except (ValueError, TypeError, AttributeError):
            return "", []

    def layout(self) -> LayoutRecord | None:
        """What the last save recorded for patching its index (None: nothing, or not readable)."""
        row = self.db.execute("SELECT value FROM setting WHERE name = 'layout'").fetchone()
        try:
            data = json.loads(row[0]) if row is not None else None
        except (ValueError, TypeError):
            return None
        if not isinstance(data, dict):
            return None
        inputs, total = data.get("inputs"), data.get("small_total")
        if type(inputs) is not str or type(total) is not int or total < 0:
            return None
        return LayoutRecord(inputs, total)

    def state(self) -> IndexState:
        """The static index's state from the last build (empty when unknown)."""
        row = self.db.execute("SELECT value FROM setting WHERE name = 'state'").fetchone()
        if row is None:
            return IndexState()
        try:
            return IndexState.from_json(json.loads(row[0]))
        except ValueError:
            return IndexState()


def index_record(article: Article) -> IndexedArticle:
    """Analyse one article for both indexes (pure, so it runs on the load workers)."""
    analysis = analyse_article(article)
    return IndexedArticle(
        key=article_key(article),
        url=article.url,
        title=article.title,
        date=article.date.isoformat()[:10],
        day=day_number(article.date),
        summary=article.summary,
        analysis=analysis,
        authors=article.authors,
        topics=article.topics,
        source=article.source or "",
    )


def encode_record(record: IndexedArticle) -> bytes:
    """A record as stored: its fields, the tokens of each field as one string, as compressed JSON.

    Not marshal, though it is twice as fast: the cache may come with an archive from anyone,
    and marshal is not safe against crafted data. JSON holds only data, and every value is
    checked when it is read back (see ``decode_record``).
    """
    analysis = record.analysis
    data = [
        record.url,
        record.title,
        record.date,
        record.day,
        record.summary,
        analysis.language,
        analysis.text,
        [" ".join(analysis.tokens.get(name, ())) for name in FIELDS],
        [list(end) for end in analysis.chunk_ends],
        [[section.anchor, section.title, section.chunk] for section in analysis.sections],
        [list(record.authors), list(record.topics), record.source],
    ]
    return zlib.compress(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"), 1
    )


def decode_record(key: str, blob: bytes) -> IndexedArticle | None:
    """A stored record, or None when it cannot be read or is not exactly what ``encode_record`` writes."""
    try:
        data = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
        if type(data) is not list or len(data) != 11:
            return None
        url, title, day_text, day, summary, language, text, tokens, ends, sections, shown = data
        texts = (url, title, day_text, summary, language, text)
        if not all(type(value) is str for value in texts) or type(day) is not int:
            return None
        if type(tokens) is not list or len(tokens) != len(FIELDS) or not all(type(t) is str for t in tokens):
            return None
        if type(ends) is not list or not all(
            type(end) is list and len(end) == 2 and all(type(number) is int for number in end) for end in ends
        ):
            return None
        if type(sections) is not list or not all(
            type(section) is list
            and len(section) == 3
            and type(section[0]) is str
            and type(section[1]) is str
            and type(section[2]) is int
            for section in sections
        ):
            return None
        if type(shown) is not list or len(shown) != 3:
            return None
        authors, topics, source = shown
        names = (authors, topics)
        if not all(type(n) is list and all(type(v) is str for v in n) for n in names) or type(source) is not str:
            return None
        analysis = Analysis(
            url=url,
            language=language,
            tokens={name: tuple(terms.split()) for name, terms in zip(FIELDS, tokens, strict=True)},
            text=text,
            chunk_ends=tuple((offset, count) for offset, count in ends),
            sections=tuple(Section(anchor, name, chunk) for anchor, name, chunk in sections),
        )
        return IndexedArticle(key, url, title, day_text, day, summary, analysis, tuple(authors), tuple(topics), source)
    except (zlib.error, ValueError, RecursionError):
        return None
