"""Hugo's shortcodes, Zola's shortcodes and Jekyll's Liquid tags, and what each becomes: one
table, which README shows and the translators read. Whatever is not in it stays as text,
with one warning per kind and file."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.content.conventions.targets import Targets


@dataclass(frozen=True)
class Call:
    """One shortcode as written: positional and named arguments, and its inner text if paired."""

    name: str
    positional: tuple[str, ...] = ()
    named: Mapping[str, str] = field(default_factory=dict)
    inner: str | None = None

    def arg(self, key: str, position: int | None = None) -> str | None:
        """A named argument, or the positional one at ``position``."""
        if key in self.named:
            return self.named[key]
        if position is not None and position < len(self.positional):
            return self.positional[position]
        return None


@dataclass(frozen=True)
class Page:
    """What a translation may read: the article's folder, its fields, and the other files."""

    folder: str  # relative to content/
    params: Mapping[str, Any]  # the front matter as written
    targets: Targets


Translate = Callable[[Call, Page], "str | None"]  # None: it cannot be translated here


@dataclass(frozen=True)
class Translation:
    """One row of the table."""

    generator: str  # "Hugo", "Zola" or "Jekyll"
    name: str
    becomes: str  # for README
    translate: Translate | None = None  # Jekyll's tags are Liquid tags (see liquid.py)


def _fence(language: str | None, code: str) -> str:
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return f"\n{ticks}{language or ''}\n{code.strip(chr(10))}\n{ticks}\n"


def _image(call: Call, _page: Page) -> str | None:
    src = call.arg("src", 0)
    if not src:
        return None
    alt = (call.arg("alt") or call.arg("title") or "").replace("]", "\\]")
    title = call.arg("title")
    target = f"<{src}>" if " " in src else src
    image = f"![{alt}]({target}{' ' + _quoted(title) if title else ''})"
    if call.arg("link"):
        image = f"[{image}]({call.arg('link')})"
    caption = call.arg("caption")
    return f"\n\n{image}\n\n*{caption}*\n\n" if caption else image


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def _highlight(call: Call, _page: Page) -> str | None:
    return None if call.inner is None else _fence(call.arg("lang", 0), call.inner)


def _ref(call: Call, page: Page) -> str | None:
    """ref and relref alike: an article does not know the site's base URL, and a URL from the
    site root serves wherever the site is."""
    name = call.arg("path", 0)
    found = page.targets.find(name, page.folder) if name else None
    url = page.targets.url_of(found) if found else None
    if url is None or name is None:
        return None
    return url + ("#" + name.split("#", 1)[1] if "#" in name else "")


def _link_to(label: str, url: str) -> Callable[[Call, Page], str | None]:
    def translate(call: Call, _page: Page) -> str | None:
        values = {key: call.arg(key, position) for position, key in enumerate(("id", "user"))}
        values.update({key: value for key, value in call.named.items()})
        if not values.get("id"):
            return None
        try:
            return f"[{call.arg('title') or label.format(**values)}]({url.format(**values)})"
        except KeyError:
            return None

    return translate


def _gist(call: Call, _page: Page) -> str | None:
    user, gist = call.arg("user", 0), call.arg("id", 1)
    url = call.arg("url") or (f"https://gist.github.com/{user}/{gist}" if user and gist else None)
    return f"[Gist {url.rsplit('/', 2)[-2]}/{url.rsplit('/', 1)[-1]}]({url})" if url else None


def _param(call: Call, page: Page) -> str | None:
    key = call.arg("key", 0)
    value: Any = page.params
    for part in (key or "").split("."):
        if not isinstance(value, Mapping) or part not in value:
            lowered = {str(k).lower(): v for k, v in value.items()} if isinstance(value, Mapping) else {}
            if part.lower() not in lowered:
                return None
            value = lowered[part.lower()]
        else:
            value = value[part]
    return None if isinstance(value, Mapping | list) else str(value)


_YOUTUBE = _link_to("YouTube video {id}", "https://www.youtube.com/watch?v={id}")
_VIMEO = _link_to("Vimeo video {id}", "https://vimeo.com/{id}")
_POST = _link_to("Post by {user}", "https://x.com/{user}/status/{id}")
_INSTAGRAM = _link_to("Instagram post {id}", "https://www.instagram.com/p/{id}/")

TRANSLATIONS: Sequence[Translation] = (
    Translation("Hugo", "figure", "an image (`![alt](src)`), its caption in italics; a local file is copied", _image),
    Translation("Hugo", "img", "an image, as `figure`", _image),
    Translation("Hugo", "ref", "the URL of the article it names (a path, with or without extension)", _ref),
    Translation("Hugo", "relref", "the URL of the article it names", _ref),
    Translation("Hugo", "highlight", "a fenced code block in that language", _highlight),
    Translation("Hugo", "youtube", "a link to the video", _YOUTUBE),
    Translation("Hugo", "vimeo", "a link to the video", _VIMEO),
    Translation("Hugo", "gist", "a link to the gist", _gist),
    Translation("Hugo", "tweet", "a link to the post", _POST),
    Translation("Hugo", "x", "a link to the post", _POST),
    Translation("Hugo", "instagram", "a link to the post", _INSTAGRAM),
    Translation("Hugo", "param", "the value of that front-matter field", _param),
    Translation("Zola", "youtube", "a link to the video", _YOUTUBE),
    Translation("Zola", "vimeo", "a link to the video", _VIMEO),
    Translation("Zola", "gist", "a link to the gist", _gist),
    Translation("Zola", "@/", "`[text](@/path.md)`: the URL of that article"),
    Translation("Pelican", "{filename}", "`[text]({filename}other.md)`: the URL of that article"),
    Translation("Pelican", "{static}", "`{static}/images/x.png` (and `{attach}`): that file, copied with the article"),
    Translation("Jekyll", "highlight", "a fenced code block in that language (options such as `linenos` dropped)"),
    Translation("Jekyll", "link", "the URL of the file or article it names"),
    Translation("Jekyll", "post_url", "the URL of the post it names (`2016-03-10-spring`)"),
    Translation("Jekyll", "include", "the text of `_includes/<file>`, rendered with `include.<param>`"),
    Translation("Jekyll", "raw", "its text as written (Liquid's own tag)"),
    Translation("Jekyll", "Liquid", "every standard tag and filter (`assign`, `for`, `if`, ...), by python-liquid"),
)  # fmt: skip


def translators(generator: str) -> dict[str, Translate]:
    """The translations of one generator's shortcodes, by name."""
    return {row.name: row.translate for row in TRANSLATIONS if row.generator == generator and row.translate}
