"""Front matter with the YAML mistakes people make: each is reported on the line where it
starts, with the fix. The fixture files are in yaml_mistakes/ beside this file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run

FIXTURES = Path(__file__).parent / "yaml_mistakes"

EXPECTED = [
    'content/at-sign.md:4: invalid YAML: a value cannot start with @; put it in quotes: author: "@harbourmaster"',
    "content/colon-in-title.md:2: invalid YAML: the value of 'title' contains ': '; put it in quotes: "
    'title: "Energy: the next decade"',
    "content/indented-field.md:3: invalid YAML: 'date' is indented under 'title', which has a value already; "
    "remove the spaces before 'date'",
    "content/missing-colon.md:3: invalid YAML: this line has no ':' after a field name; write it as date: 2024-03-05",
    "content/no-space-after-colon.md:3: invalid YAML: put a space after the colon: date: 2024-03-05",
    "content/tab-indent.md:4: invalid YAML: a tab indents this line; indent with spaces",
    "content/text-after-quotes.md:2: invalid YAML: text follows the quoted part of 'title'; quote the whole value: "
    "title: '\"Wind\" and waves'",
    "content/unclosed-list.md:4: invalid YAML: the list opened with '[' on this line is not closed; end it with ']' "
    "(or put the whole value in quotes)",
    "content/unclosed-quote-in-list.md:4: invalid YAML: the quote ' opened on this line is not closed; close it with '",
    "content/unclosed-quote.md:2: invalid YAML: the quote \" that starts the value of 'title' is not closed; "
    'end the value with "',
]


def test_each_yaml_mistake_is_reported_where_it_starts_with_the_fix(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    root = make_site({"sitegen.yaml": "title: Mistakes\n"})
    shutil.copytree(FIXTURES, root / "content")
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == EXPECTED
    assert len(EXPECTED) == len(list(FIXTURES.iterdir()))  # every fixture is a case


def test_an_unclosed_quote_in_the_config_is_reported_on_its_line(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    root = make_site({"sitegen.yaml": "title: 'Harbour archive\nper_page: 10\nlanguage: en\n"})
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        "sitegen.yaml:1: invalid YAML: the quote ' that starts the value of 'title' is not closed; end the value with '"
    ]
