"""The one home of slugs, permalinks, output paths and links between pages."""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import quote

from sitegen.model import Moment

_NOT_WORD = re.compile(r"[\W_]+")
_MAX_SLUG = 120  # characters: a derived slug longer than this is shortened at a word
# A slug is a folder name, and file systems allow 255 bytes in a name (ext4, APFS, NTFS's 255
# UTF-16 units hold at least 255 bytes of UTF-8); 200 leaves room for text a permalink adds
# beside {slug}. 120 four-byte letters would be 480 bytes.
MAX_SLUG_BYTES = 200
MAX_NAME_BYTES = 255


@functools.lru_cache(maxsize=1 << 16)  # pure, and names recur: a tag or author is slugified once per build
def slugify(text: str) -> str:
    """Lower-case words joined by '-'; Unicode letters are kept so URLs stay readable.

    A slug longer than 120 characters or ``MAX_SLUG_BYTES`` bytes is shortened at a word
    (or, for one long word, at a character).
    """
    slug = full_slug(text)
    if len(slug) > _MAX_SLUG:
        slug = slug[:_MAX_SLUG].rsplit("-", 1)[0] or slug[:_MAX_SLUG]
    if len(slug.encode()) > MAX_SLUG_BYTES:
        cut = slug.encode()[:MAX_SLUG_BYTES].decode(errors="ignore")  # drops a letter cut in half
        slug = cut.rsplit("-", 1)[0] or cut
    return slug


def full_slug(text: str) -> str:
    """``slugify`` without the shortening, to check a slug given as it is written."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_WORD.sub("-", normal).strip("-")


def article_url(pattern: str, published: Moment, slug: str) -> str:
    """The permalink of an article from its date and slug."""
    return pattern.format(
        year=f"{published.year:04d}",
        month=f"{published.month:02d}",
        day=f"{published.day:02d}",
        slug=slug,
    )


def term_url(pattern: str, slug: str) -> str:
    """The permalink of a topic (or other term) page."""
    return pattern.format(slug=slug)


def paged_url(first_url: str, page: int) -> str:
    """The URL of page ``page`` (1-based) of a listing whose first page is ``first_url``."""
    return first_url if page == 1 else f"{first_url}page/{page}/"


def output_file(url: str) -> str:
    """The file, relative to the output folder, that serves ``url``."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


def relative_link(from_url: str, to_url: str, *, explicit_index: bool = False) -> str:
    """A link from one page to another that works under any base path and from file://.

    Both URLs start at the site root. With ``explicit_index`` a folder link names its
    ``index.html``, since browsers show a folder listing for ``dir/`` under file://.
    """
    return link_from_folders(page_folders(from_url), to_url, explicit_index=explicit_index)


def page_folders(url: str) -> tuple[str, ...]:
    """The folders of a page, as ``link_from_folders`` takes them: "/a/b/" and "/a/b/x.html" -> (a, b)."""
    return tuple(url.split("/")[1:-1])


# What quote(safe=_QUOTE_SAFE) leaves as it is: most links need no quoting, and quote costs.
_QUOTE_SAFE = "/-._~%"
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/%-]*")


def link_from_folders(from_folders: tuple[str, ...], to_url: str, *, explicit_index: bool = False) -> str:
    """``relative_link`` from a page whose ``page_folders`` are known (a page makes many links)."""
    fragment = ""
    if "#" in to_url:
        to_url, fragment = to_url.split("#", 1)
        fragment = "#" + fragment
    to_parts = to_url.split("/")[1:]  # the last part is a file name, or "" for a folder
    common = 0
    while common < len(from_folders) and common < len(to_parts) - 1 and from_folders[common] == to_parts[common]:
        common += 1
    relative = "../" * (len(from_folders) - common) + "/".join(to_parts[common:])
    if explicit_index and (relative == "" or relative.endswith("/")):
        relative += "index.html"
    elif relative == "":
        relative = "./"
    if _UNQUOTED.fullmatch(relative) is None:
        relative = quote(relative, safe=_QUOTE_SAFE)
    return relative + fragment
