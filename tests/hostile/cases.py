"""The table of hostile and broken inputs: each case an archive (or a change to one) and its outcome.

An outcome is either "builds" (exit 0, with facts checked in the site) or "fails" (exit 1
with the named message, the previous site left exactly as it was). No case may print a
traceback or hang.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Files = dict[str, str | bytes]


@dataclass(frozen=True)
class Case:
    """One hostile input and what sitegen must do with it."""

    name: str
    files: Files = field(default_factory=dict)
    expect: str = "builds"  # or "fails"
    messages: tuple[str, ...] = ()  # each must appear in standard error
    setup: Callable[[Path], None] | None = None  # extra preparation of the archive root
    check: Callable[[Path], None] | None = None  # facts about site/ after a build that succeeds
    args: tuple[str, ...] = ()


def fm(body: str = "Text.", **fields: str) -> str:
    """An article file; fields are written as given (YAML source)."""
    head = {"title": '"Hostile"', "date": "2024-01-15", **fields}
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in head.items()) + "---\n" + body + "\n"


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "---\ntitle: Laughs\ndate: 2024-01-15\n" + "\n".join(lines) + "\nsummary: *i\n---\nText\n"


def _page(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def _contains(relative: str, *texts: str) -> Callable[[Path], None]:
    def check(site: Path) -> None:
        page = _page(site, relative)
        for text in texts:
            assert text in page, f"{text!r} not in {relative}"

    return check


def _lacks(relative: str, *texts: str) -> Callable[[Path], None]:
    def check(site: Path) -> None:
        page = _page(site, relative)
        for text in texts:
            assert text not in page, f"{text!r} in {relative}"

    return check


def _both(*checks: Callable[[Path], None]) -> Callable[[Path], None]:
    def check(site: Path) -> None:
        for one in checks:
            one(site)

    return check


def _outside_symlink(root: Path) -> None:
    secret = root.parent / "outside-secret.md"
    secret.write_text(fm("Secret outside the archive."))
    (root / "content/leak.md").symlink_to(secret)


def _no_secret(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file():
            assert b"Secret outside the archive" not in path.read_bytes(), path


def _only_inside(site: Path) -> None:
    assert (site / "2024/01/etc/index.html").is_file()
    assert (site / "2024/01/abs-path/index.html").is_file()
    assert not (site.parent / "etc").exists()


A = "content/hostile.md"
ARTICLE = "2024/01/hostile/index.html"
DATE_HINT = "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)"

CASES: tuple[Case, ...] = (
    # YAML
    Case(
        "billion laughs",
        {A: _billion_laughs()},
        "fails",
        ("content/hostile.md:2: front matter expands to more than 100,000 values (are aliases nested in each other?)",),
    ),
    Case(
        "alias inside itself",
        {A: fm(extra="&a [1, *a]")},
        "fails",
        ("content/hostile.md:2: front matter expands to more than 100,000 values (are aliases nested in each other?)",),
    ),
    Case(
        "a tagged value that cannot be made",
        {A: fm(extra="!!int x"), "content/other.md": fm(flag="!!bool maybe")},
        "fails",
        (
            "content/hostile.md:4: invalid YAML: a value cannot be read (invalid literal for int() with base 10: 'x')",
            "content/other.md:4: invalid YAML: a value cannot be read (unknown value 'maybe')",
        ),
    ),
    Case(
        "10 MB front matter",
        {A: fm(summary='"' + "long " * 2_000_000 + '"')},
        check=_contains(ARTICLE, "<h1>Hostile</h1>"),
    ),
    Case(
        "deeply nested mappings",
        {A: fm(extra="{a: " * 5000 + "1" + "}" * 5000)},
        "fails",
        ("content/hostile.md:4: invalid YAML: exceeded maximum nesting depth",),
    ),
    Case(
        "python object tag",
        {A: fm(title='!!python/object/apply:os.system ["echo pwned"]')},
        "fails",
        (
            "content/hostile.md:2: invalid YAML: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
    ),
    Case(
        "python name tag",
        {A: fm(note="!!python/name:os.system")},
        "fails",
        ("invalid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os.system'",),
    ),
    Case(
        "date of year 0",
        {A: fm(date="0000-01-01")},
        "fails",
        (f"content/hostile.md:3: 'date' is not a date: \"0000-01-01\" {DATE_HINT}",),
    ),
    Case(
        "date of year 99999",
        {A: fm(date="99999-01-01")},
        "fails",
        (f"content/hostile.md:3: 'date' is not a date: \"99999-01-01\" {DATE_HINT}",),
    ),
    Case(
        "title that is a list",
        {A: fm(title="[a, b]")},
        "fails",
        ("content/hostile.md:2: 'title' must be non-empty text",),
    ),
    Case(
        "title that is a number",
        {A: fm(title="1984")},
        "fails",
        ("content/hostile.md:2: 'title' must be text; put it in quotes: title: \"1984\"",),
    ),
    Case(
        "duplicate keys",
        {A: "---\ntitle: One\ndate: 2024-01-15\ntitle: Two\n---\n"},
        "fails",
        ("content/hostile.md:4: duplicate key 'title' (first given on line 2)",),
    ),
    Case(
        "front matter that is a list",
        {A: "---\n- title\n- date\n---\n"},
        "fails",
        ("content/hostile.md:2: front matter must be fields like 'title: ...', one a line",),
    ),
    # Files
    Case(
        "binary file named .md",
        {A: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        "fails",
        ("content/hostile.md: contains NUL bytes; is it a binary file?",),
    ),
    Case(
        "NUL bytes in text",
        {A: fm("Null \x00 byte")},
        "fails",
        ("content/hostile.md: contains NUL bytes; is it a binary file?",),
    ),
    Case(
        "Latin-1 file",
        {A: fm("Café").encode("latin-1")},
        "fails",
        (
            'content/hostile.md:5: is not UTF-8: it looks like Latin-1 / Windows-1252 ("Café"); '
            "save it with UTF-8 encoding",
        ),
    ),
    Case(
        "empty file",
        {A: ""},
        "fails",
        ("content/hostile.md:1: the file is empty; an article needs front matter with a title and a date",),
    ),
    Case(
        "UTF-8 BOM", {A: b"\xef\xbb\xbf" + fm("With a BOM.").encode()}, check=_contains(ARTICLE, "<p>With a BOM.</p>")
    ),
    Case(
        "CRLF line endings",
        {A: fm("Line one\nline two.").replace("\n", "\r\n")},
        check=_contains(ARTICLE, "Line one\nline two."),
    ),
    Case(
        "lone CR line endings",
        {A: fm("Old Mac\rtext.").replace("\n", "\r")},
        check=_contains(ARTICLE, "Old Mac\ntext."),
    ),
    Case(
        "50 MB article",
        {A: fm(("A long paragraph of words. " * 40 + "\n\n") * 47_000)},
        check=_contains(ARTICLE, "<p>A long paragraph of words."),
    ),
    Case(
        "10,000 topics on one article",
        {A: fm(topics="[" + ", ".join(f"t{i}" for i in range(10_000)) + "]")},
        check=_both(
            _contains("topics/index.html", '<a href="t9999/">t9999</a>'),
            _contains("topics/t5000/index.html", "Hostile"),
        ),
    ),
    Case(
        "odd file name",
        {"content/A «quoted» 'name' with spaces — Ünïcödé 記事.md": fm()},
        check=_contains("2024/01/a-quoted-name-with-spaces-ünïcödé-記事/index.html", "<h1>Hostile</h1>"),
    ),
    Case(
        "symlink to a file outside the archive",
        {},
        setup=_outside_symlink,
        check=_no_secret,
        messages=("content/leak.md: warning: is a symlink to a place outside content/; skipped",),
    ),
    Case(
        "slugs that look like paths",
        {A: fm(slug='"../../etc"'), "content/b.md": fm(slug='"/abs/path"', title='"B"')},
        check=_only_inside,
    ),
    # Markdown
    Case(
        "raw script",
        {A: fm("<script>alert(1)</script>")},
        check=_both(_contains(ARTICLE, "&lt;script&gt;alert(1)&lt;/script&gt;"), _lacks(ARTICLE, "<script>alert")),
    ),
    Case("raw iframe", {A: fm('<iframe src="https://evil.example/"></iframe>')}, check=_lacks(ARTICLE, "<iframe")),
    Case("onerror attribute", {A: fm('<img src=x onerror="alert(1)">')}, check=_lacks(ARTICLE, "<img src=x")),
    Case("javascript: link", {A: fm("[click](javascript:alert(1))")}, check=_lacks(ARTICLE, 'href="javascript:')),
    Case("data: link", {A: fm("[click](data:text/html;base64,PHNjcmlwdD4=)")}, check=_lacks(ARTICLE, 'href="data:')),
    Case(
        "5,000-deep blockquote",
        {A: fm("Shallow.\n\n" + "> " * 5000 + "deep")},
        check=_contains(ARTICLE, "<p>Shallow.</p>"),
        messages=(
            "content/hostile.md:5: warning: Markdown nested more than 20 levels deep; the deeper text is left out",
        ),
    ),
    Case(
        "5,000-deep list",
        {A: fm("Shallow.\n\n" + "- " * 5000 + "deep")},
        check=_contains(ARTICLE, "<p>Shallow.</p>"),
        messages=(
            "content/hostile.md:5: warning: Markdown nested more than 20 levels deep; the deeper text is left out",
        ),
    ),
    Case("1 MB single line", {A: fm("x" * 1_000_000)}, check=_contains(ARTICLE, "x" * 1000)),
    Case(
        "sanitize mode keeps structure, drops scripts",
        {
            "sitegen.yaml": "markdown: {html: sanitize}\n",
            A: fm(
                '<table><tr><td onclick="x()">cell</td></tr></table>\n\n<figure><img src="a.png" onerror="alert(1)">'
                "<figcaption>Cap</figcaption></figure>\n\n<script>alert(1)</script>\n\n"
                '<a href="javascript:alert(1)">j</a>'
                '\n\n<a href="https://ok.example/">ok</a>'
            ),
        },
        check=_both(
            _contains(ARTICLE, "<td>cell</td>", "<figcaption>Cap</figcaption>", '<a href="https://ok.example/">ok</a>'),
            _lacks(ARTICLE, "onclick", "onerror", "<script>alert", "javascript:"),
        ),
    ),
    Case(
        "trust mode passes raw HTML",
        {"sitegen.yaml": "markdown: {html: trust}\n", A: fm("<mark>kept</mark>")},
        check=_contains(ARTICLE, "<mark>kept</mark>"),
    ),
    # Templates
    Case(
        "missing template",
        {"templates/article.html": '{% extends "base.html" %}\n{% include "gone.html" %}\n'},
        "fails",
        ("templates/article.html:2: template 'gone.html' not found in templates/ or the default theme",),
    ),
    Case(
        "template syntax error",
        {"templates/list.html": "<p>\n{% for x in %}\n"},
        "fails",
        ("templates/list.html:2: template syntax error: ",),
    ),
    Case(
        "undefined variable",
        {"templates/404.html": "<p>\n{{ nothing.here }}\n</p>\n"},
        "fails",
        ("templates/404.html:2: template error: 'nothing' is undefined (rendering /404.html)",),
    ),
    # Config
    Case(
        "unknown config key",
        {"sitegen.yaml": "titel: Mine\n"},
        messages=("sitegen.yaml:1: warning: unknown setting 'titel'; did you mean 'title'?",),
    ),
    Case(
        "bad base_url",
        {"sitegen.yaml": "base_url: 'javascript:alert(1)'\n"},
        "fails",
        ("sitegen.yaml:1: 'base_url' must be an http(s) URL or a path starting with '/', not 'javascript:alert(1)'",),
    ),
    Case(
        "negative page size",
        {"sitegen.yaml": "per_page: -5\n"},
        "fails",
        ("sitegen.yaml:1: 'per_page' must be a positive whole number, not -5",),
    ),
    Case(
        "config that is a list", {"sitegen.yaml": "- a\n"}, "fails", ("sitegen.yaml:1: must be a mapping of settings",)
    ),
    Case(
        "config with invalid YAML",
        {"sitegen.yaml": "title: [\n"},
        "fails",
        (
            "sitegen.yaml:1: invalid YAML: the list opened with '[' on this line is not closed; end it with ']' "
            "(or put the whole value in quotes)",
        ),
    ),
)
