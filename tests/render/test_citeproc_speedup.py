"""The kept macro lookups change nothing: references equal citeproc-py's own, in every style and locale."""

from __future__ import annotations

import json
import os
import subprocess
import sys

FORMAT_REFERENCES = """
import json, sys
from sitegen.citations import Citer, STYLE_LABELS
citer = Citer()
items = json.loads(sys.stdin.read())
print(json.dumps([citer.format(item, style) for item in items for style in STYLE_LABELS]))
"""

ITEMS = [
    {
        "id": "a",
        "type": "article-newspaper",
        "title": "Harbour tolls rise after the winter",
        "author": [{"family": "Castell", "given": "Mira"}, {"family": "Ide", "given": "Jon"}],
        "issued": {"date-parts": [[2024, 3, 5]]},
        "container-title": "Coastal Wire",
        "URL": "https://coastal-wire.example/a",
        "language": "en",
    },
    {
        "id": "b",
        "type": "article-newspaper",
        "title": "Fährlinie testet Batterieboote",
        "author": [{"literal": "Redaktion Küste"}],
        "issued": {"date-parts": [[2023, 11]]},
        "container-title": "Küstenbote",
        "language": "de",
    },
    {"id": "c", "type": "article-newspaper", "title": "Без автора", "issued": {"date-parts": [[2022]]}},
]


def _references(stock: bool) -> list[str]:
    env = {**os.environ, "SITEGEN_STOCK_CITEPROC": "1" if stock else "0"}
    result = subprocess.run(
        [sys.executable, "-c", FORMAT_REFERENCES],
        input=json.dumps(ITEMS),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    references: list[str] = json.loads(result.stdout)
    return references


def test_kept_macro_lookups_give_citeprocs_own_references() -> None:
    stock, kept = _references(stock=True), _references(stock=False)
    assert len(stock) == 3 * len(ITEMS)
    assert "Castell, M., &amp; Ide, J. (2024, March 5)." in stock[0]
    assert kept == stock
