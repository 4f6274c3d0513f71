"""Reading pages in, finding articles already imported, and writing articles out."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from sitegen.content.fields import parse_moment
from sitegen.content.frontmatter import FrontMatterError, decode_text, split_front_matter
from sitegen.importer.draft import Draft, draft_from_text
from sitegen.importer.errors import PageProblem
from sitegen.importer.html_page import draft_from_html, looks_like_html
from sitegen.importer.text_rules import clean_draft
from sitegen.model import Moment
from sitegen.yamlio import YamlSyntaxError, load_yaml

STDIN_NAME = "<stdin>"
EMPTY = "the page is empty"
BINARY = "binary data, not a text or HTML page (it contains NUL bytes)"
# A saved article page, even with its pictures inlined, is a few MB; reading stops just past
# the limit, so /dev/zero or an endless pipe cannot fill the memory.
MAX_PAGE_BYTES = 32 * 1024 * 1024
TOO_LARGE = f"larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB, the most a page may be; is it an article page?"

# (title, ISO date) identifies an article whatever its file is called.
ArticleKey = tuple[str, str]


def decode_page(data: bytes) -> str:
    """The text of a saved page; PageProblem for empty, binary, too large or non-UTF-8 data."""
    if len(data) > MAX_PAGE_BYTES:
        raise PageProblem((TOO_LARGE,))
    if not data.strip():
        raise PageProblem((EMPTY,))
    if b"\x00" in data:
        raise PageProblem((BINARY,))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PageProblem(
            (f"not UTF-8 text (undecodable byte at offset {exc.start}); save the page as UTF-8",)
        ) from exc


def read_source(source: str, stdin_text: str | None) -> str:
    """The text of a source path, or of standard input for '-'."""
    if source == "-":
        if stdin_text is None:
            raise PageProblem(("no standard input was given",))
        return decode_page(stdin_text.encode("utf-8", errors="surrogateescape"))
    try:
        with Path(source).open("rb") as stream:
            data = stream.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        raise PageProblem((f"cannot read the file ({exc.strerror or exc})",)) from exc
    return decode_page(data)


def page_to_draft(text: str) -> Draft:
    """Clean a page into a draft: the HTML path for web pages, the text rules for the rest."""
    if looks_like_html(text):
        return draft_from_html(text)
    return clean_draft(draft_from_text(text))


def article_key(title: str, published: Moment) -> ArticleKey:
    """The identity of an article for duplicate detection: its title and its date."""
    return " ".join(title.split()).casefold(), published.isoformat()


def existing_articles(into: Path) -> dict[ArticleKey, Path]:
    """Every article under `into` by title and date, read from its front matter."""
    found: dict[ArticleKey, Path] = {}
    for path in sorted(into.rglob("*.md")) if into.is_dir() else ():
        fields = _front_matter(path)
        title, published = fields.get("title"), parse_moment(fields.get("date"))
        if isinstance(title, str) and published is not None:
            found.setdefault(article_key(title, published), path)
    return found


def existing_imports(into: Path, url_key: Callable[[str], str]) -> tuple[dict[ArticleKey, Path], dict[str, Path]]:
    """Every article under `into` by title and date, and by the keys of its source_url and redirects.

    One pass over the archive's front matter serves both duplicate checks.
    """
    by_key: dict[ArticleKey, Path] = {}
    by_url: dict[str, Path] = {}
    for path in sorted(into.rglob("*.md")) if into.is_dir() else ():
        fields = _front_matter(path)
        title, published = fields.get("title"), parse_moment(fields.get("date"))
        if isinstance(title, str) and published is not None:
            by_key.setdefault(article_key(title, published), path)
        redirects = fields.get("redirected_from")
        for url in [fields.get("source_url"), *(redirects if isinstance(redirects, list) else ())]:
            if isinstance(url, str) and url.strip():
                by_url.setdefault(url_key(url), path)
    return by_key, by_url


def _front_matter(path: Path) -> dict[object, object]:
    # A file that cannot be read or parsed is not ours to judge: the build reports it.
    try:
        fields = load_yaml(split_front_matter(decode_text(path.read_bytes())).front_matter).data
    except (OSError, UnicodeError, FrontMatterError, YamlSyntaxError):
        return {}
    return fields if isinstance(fields, dict) else {}


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write a file so that no reader ever sees it half-written.

    The temporary file is made with mode 0666 less the umask, as an editor's would be, not
    mkstemp's 0600: a web server or a colleague reading the archive must be able to read it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}"
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
