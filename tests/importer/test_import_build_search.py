"""End to end: a scraped page is imported, the archive builds, and search finds the article."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run

PAGES = Path(__file__).parent / "fixtures" / "pages"


def test_imported_samples_build_and_are_found_by_search(tmp_path: Path, sitegen: Callable[..., Run]) -> None:
    assert sitegen("init", "archive", cwd=tmp_path).code == 0
    root = tmp_path / "archive"
    imported = sitegen(
        "import", str(PAGES / "lithium-research.txt"), str(PAGES / "rail-tender.txt"), "--topics", "Energy, Asia",
        cwd=root,
    )  # fmt: skip
    assert imported.code == 0, imported.err
    written = [Path(line) for line in imported.out.splitlines()]
    assert len(written) == 2 and all((root / path).is_file() for path in written)

    built = sitegen("build", cwd=root)
    assert built.code == 0, built.err
    assert built.err == ""  # imported articles raise no warnings
    topics = (root / "site/topics/energy/index.html").read_text()
    assert topics.count('<article class="card"') == 2

    found = sitegen("search", "lithium", "--json", cwd=root)
    assert found.code == 0, found.err
    results = [json.loads(line) for line in found.out.splitlines()]
    assert results, found.out
    top = results[0]
    assert "lithium" in top["title"].lower() or "lithium" in json.dumps(top).lower()
    page = root / "site" / top["url"].lstrip("/") / "index.html"
    assert page.is_file()
    html = page.read_text()
    # The publisher's caption is a figure caption, never the curator's note.
    assert '<figure class="caption"><figcaption>© Reuters.' in html
    assert "Curator’s note" not in html


def test_captions_render_with_and_without_an_image(make_site: Callable[..., Path], sitegen: Callable[..., Run]) -> None:
    root = make_site(
        {
            "content/ferry.md": (
                '---\ntitle: Ferry\ndate: 2024-03-05\ncaptions:\n  - "© AP. A ferry <at> dusk."\n'
                '  - {text: "The new quay.", image: "https://img.example/quay.jpg"}\n---\n\nText.\n'
            )
        }
    )
    assert sitegen("build", cwd=root).code == 0
    html = (root / "site/2024/03/ferry/index.html").read_text()
    assert '<figure class="caption"><figcaption>© AP. A ferry &lt;at&gt; dusk.</figcaption></figure>' in html
    assert (
        '<figure class="caption"><img src="https://img.example/quay.jpg" alt="">'
        "<figcaption>The new quay.</figcaption></figure>"
    ) in html
