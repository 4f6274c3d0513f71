"""The build cache's file format: versioned JSON with a CRC-32, decoded field by field.

A cache file may come from anywhere (a zip of an archive, a repository with ``.sitegen/``
committed), so reading one must never run code, as unpickling does. JSON holds only data;
every value is checked while it is turned back into the dataclasses, and anything that is
not exactly what this version writes raises ``CacheFormatError``, which the caller treats
as "no cache". The CRC-32 catches damage that would still parse (a flipped letter in a
cached page body), which would otherwise be published as if it were the article's.

The JSON is ASCII (``ensure_ascii``) and not compressed: at 1,500 articles that writes and
reads in about half the time of UTF-8, and deflating cost more than the 2x smaller file saved.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sitegen.content.conventions.sections import Section
from sitegen.content.load import LoadResult
from sitegen.errors import Problem
from sitegen.model import Article, Caption, Moment
from sitegen.output import FileRecord
from sitegen.render.plan import Outline

if TYPE_CHECKING:
    from sitegen.cache import BuildCache, CachedArticle

MAGIC = b"sitegen build cache\n"
SHARD_MAGIC = b"sitegen article shard\n"
# The articles' records (most of a cache: 86 MB at 10,000 articles) are in shard files of
# about this many, so that saving after an edit writes the shard of the edited file only.
ARTICLES_PER_SHARD = 250
SHARD_FILE = re.compile(r"[0-9a-f]{32}\.json")
VERSION = 6  # 2: articles' lead image and old URLs, section pages, files that read others; 3: provenance, captions;
# 4: the page keys (shape key, listed articles, data keys); 5: articles in shard files;
# 6: the related lists' inputs a failed build replaced
_CHECKSUM = re.compile(rb"crc32 ([0-9a-f]{8})\n")

T = TypeVar("T")


class CacheFormatError(Exception):
    """The bytes are not a build cache this version of sitegen wrote."""


def encode_cache(cache: BuildCache, shards: Sequence[str]) -> bytes:
    """The main file's bytes for ``cache``, its articles being in the shard files ``shards``."""
    document = {
        "version": VERSION,
        "format": cache.format,
        "out_dir": cache.out_dir,
        "settings_key": cache.settings_key,
        "started_ns": cache.started_ns,
        "articles": list(shards),
        "pages": cache.pages,
        "manifest": {path: [r.digest, r.size, r.mtime_ns] for path, r in cache.manifest.items()},
        "related_key": cache.related_key,
        "related": cache.related,
        "related_inputs": {url: [terms, list(topics)] for url, (terms, topics) in cache.related_inputs.items()},
        "plan_key": cache.plan_key,
        "outline": [[*outline[:5], _encode_moment(outline[5])] for outline in cache.outline],
        "shape_key": cache.shape_key,
        "listed": cache.listed,
        "data_keys": cache.data_keys,
    }
    payload = json.dumps(document, separators=(",", ":"), check_circular=False).encode("ascii")
    return MAGIC + b"crc32 %08x\n" % zlib.crc32(payload) + payload


def decode_cache(
    data: bytes,
    make: Callable[..., BuildCache],
    make_article: Callable[..., CachedArticle],
    read_shard: Callable[[str], bytes],
) -> BuildCache:
    """The cache in ``data``, built with ``make`` and ``make_article``; CacheFormatError if invalid.

    ``read_shard(name)`` gives the bytes of an article shard the main file names (OSError if
    it cannot); each must be the very file that was written under that name.
    """
    document = _document(data, MAGIC)
    try:
        shards = [_shard_name(item) for item in _array(document["articles"])]
        articles: dict[str, CachedArticle] = {}
        for name in shards:
            articles.update(_decode_shard(name, _read(read_shard, name), make_article))
        return make(
            format=_text(document["format"]),
            out_dir=_text(document["out_dir"]),
            settings_key=_text(document["settings_key"]),
            started_ns=_whole(document["started_ns"]),
            articles=articles,
            shards=shards,
            pages={_text(path): _text(key) for path, key in _mapping(document["pages"]).items()},
            manifest={_text(path): _decode_record(item) for path, item in _mapping(document["manifest"]).items()},
            related_key=_text(document["related_key"]),
            related={
                _text(url): tuple(map(_text, _array(urls))) for url, urls in _mapping(document["related"]).items()
            },
            related_inputs={
                _text(url): _decode_related_input(item) for url, item in _mapping(document["related_inputs"]).items()
            },
            plan_key=_text(document["plan_key"]),
            outline=[_decode_outline(item) for item in _array(document["outline"])],
            shape_key=_text(document["shape_key"]),
            listed=list(map(_text, _array(document["listed"]))),
            data_keys=list(map(_text, _array(document["data_keys"]))),
        )
    except (KeyError, TypeError, ValueError, RecursionError, OverflowError) as error:
        raise CacheFormatError(f"it holds invalid data ({type(error).__name__})") from None


def _document(data: bytes, magic: bytes) -> dict[str, Any]:
    """The checked JSON document of a cache file that starts with ``magic``."""
    if not data.startswith(magic):
        raise CacheFormatError("it is not a sitegen build cache")
    checksum = _CHECKSUM.match(data, len(magic))
    if checksum is None:
        raise CacheFormatError("it is not a sitegen build cache")
    payload = memoryview(data)[checksum.end() :]
    if zlib.crc32(payload) != int(checksum[1], 16):
        raise CacheFormatError("it is damaged (its checksum does not match)")
    try:
        document = json.loads(str(payload, "ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise CacheFormatError(f"it could not be read ({type(error).__name__})") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise CacheFormatError("it was written by another version of sitegen")
    return document


def shard_count(articles: int) -> int:
    """How many shard files hold this many articles."""
    return max(1, -(-articles // ARTICLES_PER_SHARD))


def shard_of(path: str, count: int) -> int:
    """The shard an article file's record goes to: by its path, so it stays in one place."""
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % count


def encode_shard(articles: Mapping[str, CachedArticle]) -> tuple[str, bytes]:
    """A shard file's name and bytes; an article whose fields cannot be stored is left out.

    The name is the digest of the bytes: a main file names exactly the shards it was saved
    with, and a shard that was changed since does not pass for the one it names.
    """
    records: dict[str, list[Any]] = {}
    for path, cached in articles.items():
        try:
            records[path] = _encode_cached_article(cached)
        except (TypeError, ValueError, RecursionError):
            continue  # an exotic front-matter value: that article is simply loaded again next time
    payload = json.dumps({"version": VERSION, "articles": records}, separators=(",", ":"), check_circular=False)
    data = SHARD_MAGIC + b"crc32 %08x\n" % zlib.crc32(payload.encode("ascii")) + payload.encode("ascii")
    return _named(data), data


def _named(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest() + ".json"


def _shard_name(item: Any) -> str:
    name = _text(item)
    if not SHARD_FILE.fullmatch(name):
        raise TypeError("shard name")
    return name


def _read(read_shard: Callable[[str], bytes], name: str) -> bytes:
    try:
        return read_shard(name)
    except OSError as error:
        raise CacheFormatError(f"its article shard {name} could not be read ({error.strerror})") from None


def _decode_shard(name: str, data: bytes, make_article: Callable[..., CachedArticle]) -> dict[str, CachedArticle]:
    if _named(data) != name:
        raise CacheFormatError(f"its article shard {name} was changed since it was written")
    records = _mapping(_document(data, SHARD_MAGIC)["articles"])
    return {_text(path): _decode_cached_article(item, make_article) for path, item in records.items()}


def _decode_related_input(item: Any) -> tuple[str, tuple[str, ...]]:
    terms, topics = _array(item, 2)
    return _text(terms), _texts(topics)


def _encode_cached_article(cached: CachedArticle) -> list[Any]:
    result = cached.result
    return [
        cached.digest,
        cached.mtime_ns,
        cached.size,
        cached.terms,
        None if result.article is None else _encode_article(result.article),
        [_encode_problem(problem) for problem in result.errors],
        [_encode_problem(problem) for problem in result.warnings],
        [[target, existed] for target, existed in result.links],
        None if result.section is None else [result.section.folder, result.section.title, result.section.html],
        result.reads_others,
    ]


def _decode_cached_article(item: Any, make_article: Callable[..., CachedArticle]) -> CachedArticle:
    digest, mtime_ns, size, terms, article, errors, warnings, links, section, reads_others = _array(item, 10)
    result = LoadResult(
        article=None if article is None else _decode_article(article),
        errors=tuple(map(_decode_problem, _array(errors))),
        warnings=tuple(map(_decode_problem, _array(warnings))),
        links=tuple(_decode_link(link) for link in _array(links)),
        section=None if section is None else Section(*(_text(part) for part in _array(section, 3))),
        reads_others=_flag(reads_others),
    )
    return make_article(
        digest=_text(digest), result=result, mtime_ns=_whole(mtime_ns), size=_whole(size), terms=_text(terms)
    )


def _encode_article(article: Article) -> list[Any]:
    return [
        article.path,
        article.slug,
        article.url,
        article.title,
        _encode_moment(article.date),
        _encode_moment(article.updated),
        list(article.authors),
        article.source,
        article.source_url,
        list(article.topics),
        list(article.tags),
        article.summary,
        article.dek,
        article.language,
        article.draft,
        article.note_html,
        article.body_html,
        list(article.assets),
        _encode_value(dict(article.extra)),
        article.digest,
        article.image,
        list(article.redirects),
        article.word_count,
        article.reading_minutes,
        [[style, html] for style, html in article.references],
        [[caption.text, caption.image] for caption in article.captions],
        _encode_moment(article.captured),
        article.capture,
        article.source_digest,
    ]


def _decode_article(item: Any) -> Article:
    fields = _array(item, 29)
    for position, kinds in _ARTICLE_KINDS:
        if type(fields[position]) not in kinds:
            raise TypeError(f"article field {position}")
    extra = _decode_value(fields[18])
    if not isinstance(extra, dict):
        raise TypeError("extra fields")
    moment = _decode_moment(fields[4])
    if moment is None:
        raise TypeError("date")
    return Article(
        path=fields[0],
        slug=fields[1],
        url=fields[2],
        title=fields[3],
        date=moment,
        updated=_decode_moment(fields[5]),
        authors=_texts(fields[6]),
        source=fields[7],
        source_url=fields[8],
        topics=_texts(fields[9]),
        tags=_texts(fields[10]),
        summary=fields[11],
        dek=fields[12],
        language=fields[13],
        draft=fields[14],
        note_html=fields[15],
        body_html=fields[16],
        assets=_texts(fields[17]),
        extra=extra,
        digest=fields[19],
        image=fields[20],
        redirects=_texts(fields[21]),
        word_count=_whole(fields[22]),
        reading_minutes=_whole(fields[23]),
        references=tuple((_text(style), _text(html)) for style, html in map(_pair, _array(fields[24]))),
        captions=tuple(_decode_caption(caption) for caption in _array(fields[25])),
        captured=_decode_moment(fields[26]),
        capture=fields[27],
        source_digest=fields[28],
    )


def _decode_caption(item: Any) -> Caption:
    text, image = _array(item, 2)
    return Caption(_text(text), _optional(image, _text))


def _pair(item: Any) -> list[Any]:
    return _array(item, 2)


_TEXT, _MAYBE_TEXT = frozenset({str}), frozenset({str, type(None)})
# The scalar fields of a stored article and the types each may have (the rest are decoded).
_ARTICLE_KINDS = (
    *((position, _TEXT) for position in (0, 1, 2, 3, 11, 12, 13, 15, 16, 19)),
    (7, _MAYBE_TEXT),
    (8, _MAYBE_TEXT),
    (20, _MAYBE_TEXT),
    (27, _MAYBE_TEXT),
    (28, _MAYBE_TEXT),
    (14, frozenset({bool})),
)


def _encode_problem(problem: Problem) -> list[Any]:
    return [problem.path, problem.line, problem.message]


def _decode_problem(item: Any) -> Problem:
    path, line, message = _array(item, 3)
    return Problem(_text(path), _optional(line, _whole), _text(message))


def _decode_link(item: Any) -> tuple[str, bool]:
    target, existed = _array(item, 2)
    return _text(target), _flag(existed)


def _decode_record(item: Any) -> FileRecord:
    if type(item) is not list or tuple(map(type, item)) != _RECORD_KINDS:  # thousands: one check
        raise TypeError("file record")
    return FileRecord(*item)


_RECORD_KINDS = (str, int, int)


def _decode_outline(item: Any) -> Outline:
    url, template, kind, title, origin, lastmod = _array(item, 6)
    return (_text(url), _text(template), _text(kind), _text(title), _text(origin), _decode_moment(lastmod))


def _encode_moment(moment: Moment | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _decode_moment(item: Any) -> Moment | None:
    """A date is written as YYYY-MM-DD, a datetime always with a 'T' and its time."""
    if item is None:
        return None
    text = _text(item)
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


# Front-matter values the build does not know (``Article.extra``) are any safe YAML: each is
# stored as itself when JSON has it, else as an array whose first item names its type.
def _encode_value(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return ["list", *map(_encode_value, value)]
    if isinstance(value, tuple):
        return ["tuple", *map(_encode_value, value)]
    if isinstance(value, (set, frozenset)):
        return ["set", *map(_encode_value, value)]
    if isinstance(value, Mapping):
        return ["map", *([_encode_value(key), _encode_value(item)] for key, item in value.items())]
    if isinstance(value, bytes):
        return ["bytes", base64.b64encode(value).decode("ascii")]
    if isinstance(value, (date, datetime)):
        return ["moment", value.isoformat()]
    raise TypeError(f"cannot store a {type(value).__name__}")


def _decode_value(item: Any) -> Any:
    if item is None or isinstance(item, (str, bool, int, float)):
        return item
    if not isinstance(item, list) or not item or not isinstance(item[0], str):
        raise TypeError("stored value")
    kind, rest = item[0], item[1:]
    if kind == "list":
        return [_decode_value(part) for part in rest]
    if kind == "tuple":
        return tuple(_decode_value(part) for part in rest)
    if kind == "set":
        return {_decode_value(part) for part in rest}
    if kind == "map":
        pairs = [_array(pair, 2) for pair in rest]
        return {_decode_value(key): _decode_value(value) for key, value in pairs}
    if kind == "bytes" and len(rest) == 1:
        return base64.b64decode(_text(rest[0]), validate=True)
    if kind == "moment" and len(rest) == 1:
        return _decode_moment(rest[0])
    raise TypeError("stored value")


def _text(item: Any) -> str:
    if type(item) is not str:
        raise TypeError("text")
    return item


def _texts(item: Any) -> tuple[str, ...]:
    if type(item) is not list or not all(type(value) is str for value in item):
        raise TypeError("texts")
    return tuple(item)


def _whole(item: Any) -> int:
    if type(item) is not int:  # not a bool, which is an int too
        raise TypeError("whole number")
    return item


def _flag(item: Any) -> bool:
    if type(item) is not bool:
        raise TypeError("true or false")
    return item


def _array(item: Any, length: int | None = None) -> list[Any]:
    if type(item) is not list or (length is not None and len(item) != length):
        raise TypeError("array")
    return item


def _mapping(item: Any) -> dict[str, Any]:
    if type(item) is not dict:
        raise TypeError("object")
    return item


def _optional(item: Any, decode: Callable[[Any], T]) -> T | None:
    return None if item is None else decode(item)
