"""End to end: a scraped page is imported, the archive builds, and search finds the article."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import yaml
from conftest import Run

from sitegen.importer.provenance import safe_copy
from sitegen.render.environment import MONTH_NAMES

from .web_server import WebServer, page

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


def test_a_web_page_imported_builds_is_found_and_shows_its_provenance(
    tmp_path: Path, web: WebServer, sitegen: Callable[..., Run]
) -> None:
    assert sitegen("init", "archive", cwd=tmp_path).code == 0
    root = tmp_path / "archive"
    web.routes["/news/harbour-tolls"] = page("harbour-tolls.html")
    imported = sitegen(
        "import", web.url("/news/harbour-tolls"), "--publish-captures", "--delay", "0", "--topics", "Ports", cwd=root
    )
    assert imported.code == 0, imported.err
    article = root / "content/2024/harbour-board-doubles-night-tolls-for-cruise-ships.md"
    captured = yaml.safe_load(article.read_text().split("---\n")[1])["captured"]
    assert isinstance(captured, datetime)

    built = sitegen("build", cwd=root)
    assert (built.code, built.err) == (0, "")
    found = sitegen("search", "cruise tolls", "--json", cwd=root)
    hits = [json.loads(line) for line in found.out.splitlines()]
    assert [hit["title"] for hit in hits][:1] == ["Harbour board doubles night tolls for cruise ships"]
    folder = root / "site" / hits[0]["url"].strip("/")
    html = (folder / "index.html").read_text()
    # CLDR's short offset for UTC, kept to its time by a no-break space.
    when = f"{captured.day} {MONTH_NAMES[captured.month - 1]} {captured.year}, {captured:%H:%M}\u00a0GMT"
    assert (
        f'<div><dt>Captured</dt><dd><time datetime="{captured.isoformat()}">{when}</time> · <a href='
        '"harbour-board-doubles-night-tolls-for-cruise-ships.capture.html" rel="nofollow">saved copy</a></dd></div>'
    ) in html
    assert f'<a href="{web.url("/news/harbour-tolls")}" rel="external noopener">original article</a>' in html
    assert '<p class="dek">Residents asked for quieter evenings; the board answered with a price.</p>' in html
    # The published copy is the cleaned one, never the raw page with its script.
    copy = (folder / "harbour-board-doubles-night-tolls-for-cruise-ships.capture.html").read_text()
    assert "The Solbrae harbour board voted on Monday" in copy
    assert "<script" not in copy and "tracker" not in copy and "<form" not in copy
    assert "default-src 'none'" in copy
    assert not [p for p in (root / "site").rglob("*.gz")], "the raw capture must not be published"


def test_the_safe_copy_keeps_text_and_links_but_nothing_active() -> None:
    page = (
        "<html><head><title>Tolls | Courier</title><script>steal()</script><style>p{}</style></head>"
        '<body onload="steal()"><noscript>enable scripts</noscript><p onclick="steal()">The board <a href='
        '"https://coastline.example/x">voted</a> <a href="javascript:steal()">here</a>.</p>'
        '<iframe src="https://ads.example/"></iframe><form action="/login"><input name="q"></form>'
        '<object data="x.swf"></object><svg><script>steal()</script></svg></body></html>'
    )
    copy = safe_copy(page, "https://coastline.example/x?a=<b>", datetime(2024, 6, 12, 8, 30, tzinfo=UTC))
    body = copy.split("<hr>\n", 1)[1]
    assert body == (
        '<p>The board <a href="https://coastline.example/x" rel="noopener noreferrer nofollow">voted</a>'
        ' <a rel="noopener noreferrer nofollow">here</a>.</p>\n</body>\n</html>\n'
    )
    assert "<title>Capture of https://coastline.example/x?a=&lt;b&gt;</title>" in copy
