"""Control characters in content never make an output malformed (issue 22).

XML 1.0 forbids every C0 control character but tab, line feed and carriage return. They
are taken out when an article is loaded, with one warning per file naming the first line.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from conftest import MakeSite, Run

# Form feed and escape in the raw body; a form feed, escape and bell from YAML's escapes in the title.
HOSTILE = (
    "---\n"
    'title: "Form\\ffeed \\e]0;PWNED\\a title"\n'
    "date: 2024-01-15\n"
    'topics: ["Energy\\vpolicy"]\n'
    "---\n"
    "First paragraph.\n"
    "\n"
    "Page one\x0cpage two, \x1b[31mred\x1b[0m and a \x08backspace\ufffe.\n"
)
ONLY_IN_FIELDS = '---\ntitle: "Bell\\a in the title"\ndate: 2024-01-16\n---\nClean body.\n'
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def test_control_characters_are_removed_with_one_warning_per_file(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    root = make_site({"content/hostile.md": HOSTILE, "content/fields.md": ONLY_IN_FIELDS})
    result = sitegen("build", cwd=root)
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "content/fields.md:2: warning: removed 1 character that feeds and pages cannot carry (the first is U+0007)",
        "content/hostile.md:8: warning: removed 5 characters that feeds and pages cannot carry (the first is U+000C)",
    ]
    site = root / "site"
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".js"):
            assert FORBIDDEN.search(path.read_text(encoding="utf-8")) is None, path
    for feed in ("feed.xml", "topics/energy-policy/feed.xml", "sitemap.xml"):
        ET.parse(site / feed)  # raises on anything that is not well-formed XML
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [element.text for element in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Form feed ]0;PWNED title" in titles
    page = (site / "2024/01/hostile/index.html").read_text(encoding="utf-8")
    assert "<p>Page one page two, [31mred[0m and a backspace.</p>" in page
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert [json.loads(block)["headline"] for block in blocks] == ["Form feed ]0;PWNED title"]


def test_a_control_character_in_the_site_title_is_an_error(make_site: MakeSite, sitegen: Callable[..., Run]) -> None:
    root = make_site({"sitegen.yaml": 'title: "My\\farchive"\n', "content/a.md": ONLY_IN_FIELDS})
    result = sitegen("build", cwd=root)
    assert result.code == 1
    assert result.err == "sitegen.yaml:1: 'title' holds the control character U+000C; remove it\n"
