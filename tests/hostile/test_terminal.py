"""Text from content reaches the terminal with its control characters made visible (issue 22).

Escape and bell are removed from articles when they are loaded (XML cannot carry them), but
C1 controls such as U+009B (a one-byte "ESC [" to many terminals) may stay in a page, and
a percent-encoded ``%1b`` in a link is decoded into a build warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from conftest import MakeSite, Run, article

CSI_TITLE = article("placeholder", "2024-03-05", "Turbines and \u009b2J more turbines.").replace(
    "title: 'placeholder'", 'title: "Wind \\x9b2J\\x9d0;PWNED\\x9c turbines"'
)


def test_a_search_result_title_shows_control_characters_escaped(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    root = make_site({"content/wind.md": CSI_TITLE})
    assert sitegen("build", "-q", cwd=root).code == 0
    result = sitegen("search", ".", "turbines", cwd=root)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "1. Wind \\x9b2J\\x9d0;PWNED\\x9c turbines"
    assert "\\x9b2J more *turbines*" in lines[2]
    assert all(character.isprintable() for character in result.out.replace("\n", ""))

    found = sitegen("search", ".", "turbines", "--json", cwd=root)
    line = found.out.splitlines()[0]
    assert "\u009b" not in line and "\\u009b2J" in line
    assert json.loads(line)["title"] == "Wind \u009b2J\u009d0;PWNED\u009c turbines"


def test_a_build_warning_shows_an_escape_decoded_from_a_link_escaped(
    make_site: MakeSite, sitegen: Callable[..., Run]
) -> None:
    root = make_site({"content/a.md": article(body="See [the file](notes%1b]0;PWNED%07.txt).")})
    result = sitegen("build", cwd=root)
    assert result.code == 0
    assert result.err == (
        "content/a.md:6: warning: links to 'notes\\x1b]0;PWNED\\x07.txt', which is not under content/\n"
    )
