"""The ways into the archive: term indexes, date archives, feeds, sitemap, metadata."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeSite, Run, article, tree_bytes

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SitegenRun = Callable[..., Run]


@pytest.fixture
def archive(make_site: MakeSite, sitegen: SitegenRun) -> Path:
    files = {"sitegen.yaml": "title: Test archive\nbase_url: https://example.org/arc/\nper_page: 2\n"}
    specs = [
        ("a1", "2023-01-05", "Coastal Wire", '["Ana Ruiz"]', '["Energy"]', '["wind"]'),
        ("a2", "2023-01-20T10:00:00+02:00", "coastal wire", '["Ana Ruiz", "Bo Lind"]', '["Energy", "Climate"]', "[]"),
        ("a3", "2023-03-02", "Meridian", '["Bo Lind"]', '["climate"]', '["wind", "heat"]'),
        ("a4", "2024-07-09", "Meridian", "[]", '["Transport"]', "[]"),
        ("a5", "2024-07-30", "Coastal Wire", '["Cy Oak"]', '["Energy"]', '["wind"]'),
    ]
    for name, day, source, authors, topics, tags in specs:
        files[f"content/{name}.md"] = article(
            f"Story {name}", day, f"Body of {name}.", source=f'"{source}"', author=authors, topics=topics, tags=tags
        )
    files["content/draft.md"] = article("Secret draft", "2023-02-01", topics='["Energy"]', draft="true")
    files["content/later.md"] = article("Scheduled story", "2999-01-01", topics='["Energy"]')
    root = make_site(files)
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    return root / "site"


def read(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def test_each_index_lists_every_term_with_its_count(archive: Path) -> None:
    def counts(relative: str) -> dict[str, str]:
        return dict(
            re.findall(r'<a href="[^"]+">([^<]+)</a> <span class="count">(\d+)</span>', read(archive, relative))
        )

    assert counts("topics/index.html") == {"Climate": "2", "Energy": "3", "Transport": "1"}
    assert counts("sources/index.html") == {"Coastal Wire": "3", "Meridian": "2"}
    assert counts("authors/index.html") == {"Ana Ruiz": "2", "Bo Lind": "2", "Cy Oak": "1"}
    assert counts("tags/index.html") == {"heat": "1", "wind": "3"}


def test_term_pages_paginate_newest_first(archive: Path) -> None:
    first = read(archive, "sources/coastal-wire/index.html")
    assert first.index("Story a5") < first.index("Story a2")
    assert "Story a1" not in first
    assert '<a rel="next" href="page/2/">Older →</a>' in first
    second = read(archive, "sources/coastal-wire/page/2/index.html")
    assert "Story a1" in second
    assert '<a rel="prev" href="../../">← Newer</a>' in second


def test_date_archives(archive: Path) -> None:
    index = read(archive, "archive/index.html")
    assert re.search(r'<a href="2024/"><time datetime="2024">2024</time></a> <span class="count">2</span>', index)
    for month, name, count in (("01", "January", 2), ("03", "March", 1)):
        link = f'<a href="2023/{month}/"><time datetime="2023-{month}">{name}</time></a>'
        assert f'{link} <span class="count">{count}</span>' in index
    january = read(archive, "archive/2023/01/index.html")
    assert '<h1><time datetime="2023-01">January 2023</time></h1>' in january
    assert january.index("Story a2") < january.index("Story a1")
    assert "Story a3" not in january
    assert (archive / "archive/2023/page/2/index.html").is_file()
    assert not (archive / "archive/2023/02").exists()  # only a draft was dated February


def test_listing_cards_show_title_date_source_summary_topics(archive: Path) -> None:
    home = read(archive, "index.html")
    card = home[home.index('<article class="card"') : home.index("</article>")]
    assert "Story a5" in card
    assert '<time datetime="2024-07-30">July 30, 2024</time>' in card
    assert '<a href="sources/coastal-wire/">Coastal Wire</a>' in card
    assert '<p class="summary">Body of a5.</p>' in card
    assert '<a href="topics/energy/">Energy</a>' in card


def test_atom_feeds_parse_and_carry_the_required_elements(archive: Path) -> None:
    for relative, expected in [("feed.xml", 5), ("topics/energy/feed.xml", 3), ("topics/climate/feed.xml", 2)]:
        feed = ET.fromstring((archive / relative).read_bytes())
        assert feed.tag == f"{ATOM}feed"
        assert feed.findtext(f"{ATOM}id") == f"https://example.org/arc/{relative}"
        assert feed.findtext(f"{ATOM}title")
        assert feed.findtext(f"{ATOM}updated")
        assert feed.find(f"{ATOM}author/{ATOM}name") is not None
        self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert self_link[0].get("href") == f"https://example.org/arc/{relative}"
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == expected
        for entry in entries:
            assert entry.findtext(f"{ATOM}id", "").startswith("https://example.org/arc/")
            assert entry.findtext(f"{ATOM}title", "").startswith("Story ")
            assert re.fullmatch(
                r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", entry.findtext(f"{ATOM}updated", "")
            )
            assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    newest = ET.fromstring((archive / "feed.xml").read_bytes()).find(f"{ATOM}entry")
    assert newest is not None and newest.findtext(f"{ATOM}title") == "Story a5"


def test_listing_pages_link_their_feeds(archive: Path) -> None:
    energy = read(archive, "topics/energy/index.html")
    assert '<link rel="alternate" type="application/atom+xml" title="Test archive" href="../../feed.xml">' in energy
    assert 'type="application/atom+xml" title="Test archive: Energy" href="feed.xml">' in energy
    assert 'href="feed.xml">' in read(archive, "index.html")


def test_sitemap_lists_exactly_the_pages_written(archive: Path) -> None:
    urlset = ET.fromstring((archive / "sitemap.xml").read_bytes())
    locs = {loc.text for loc in urlset.iter(f"{SM}loc")}
    pages = {
        "https://example.org/arc/" + path.removesuffix("index.html")
        for path in tree_bytes(archive)
        if path.endswith(".html") and path != "404.html"
    }
    assert locs == pages
    article_entry = next(u for u in urlset if u.findtext(f"{SM}loc") == "https://example.org/arc/2023/01/a2/")
    assert article_entry.findtext(f"{SM}lastmod") == "2023-01-20T10:00:00+02:00"
    assert read(archive, "robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/arc/sitemap.xml\n"


def test_article_json_ld_open_graph_and_canonical(archive: Path) -> None:
    html = read(archive, "2023/01/a2/index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Story a2"
    assert data["datePublished"] == "2023-01-20T10:00:00+02:00"
    assert data["dateModified"] == "2023-01-20T10:00:00+02:00"
    assert data["author"] == [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Bo Lind"}]
    assert data["publisher"] == {"@type": "Organization", "name": "coastal wire"}
    assert '<meta property="og:type" content="article">' in html
    assert '<link rel="canonical" href="https://example.org/arc/2023/01/a2/">' in html
    for path, data_bytes in tree_bytes(archive).items():
        if path.endswith(".html") and path != "404.html":
            assert b'<link rel="canonical" href="https://example.org/arc/' in data_bytes, path


def test_json_ld_cannot_be_closed_by_a_title(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/x.md": "---\ntitle: 'Evil </script><script>alert(1)</script>'\ndate: 2024-01-01\n---\n"})
    assert sitegen("build", cwd=root).code == 0
    html = (root / "site/2024/01/x/index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert json.loads(block.group(1))["headline"] == "Evil </script><script>alert(1)</script>"


def test_drafts_and_future_articles_appear_nowhere(archive: Path) -> None:
    for path, data in tree_bytes(archive).items():
        text = data.decode("utf-8", "replace")
        assert "Secret draft" not in text, path
        assert "Scheduled story" not in text, path
        assert "/draft/" not in text and "/later/" not in text, path


def related_titles(html: str) -> list[str]:
    if "related-heading" not in html:
        return []
    block = html.split('id="related-heading"', 1)[1].split("</aside>", 1)[0]
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', block)


def test_related_articles_share_distinctive_words_and_are_stable(make_site: MakeSite, sitegen: SitegenRun) -> None:
    words = {
        "tram": "tram depot tramline overhead catenary tram tram depot",
        "salmon": "salmon hatchery fjord salmon spawning hatchery salmon",
        "solar": "solar panels rooftop inverter solar rooftop panels",
    }
    files = {}
    for family, text in words.items():
        for number in range(3):
            body = f"{text} {text}. Common filler words about the city council meeting today."
            topics = '["Transport"]' if family == "tram" else '["Nature"]'
            files[f"content/{family}{number}.md"] = article(
                f"{family.title()} story {number}", f"2024-0{number + 1}-1{number}", body, topics=topics
            )
    root = make_site(files)
    assert sitegen("build", cwd=root).code == 0
    first = {
        path: related_titles(data.decode())
        for path, data in tree_bytes(root / "site").items()
        if path.count("/") == 3 and path.endswith("index.html") and path[:4].isdigit()
    }
    assert len(first) == 9
    tram = (root / "site/2024/01/tram0/index.html").read_text()
    titles = related_titles(tram)
    assert titles[:2] == ["Tram story 1", "Tram story 2"] or titles[:2] == ["Tram story 2", "Tram story 1"]
    assert "Tram story 0" not in titles
    assert len(titles) <= 5
    for path, titles in first.items():
        own = re.search(r"<h1>([^<]+)</h1>", (root / "site" / path).read_text())
        assert own is not None and own.group(1) not in titles, path
    # A clean rebuild (no cache) picks the same related articles.
    shutil.rmtree(root / ".sitegen")
    shutil.rmtree(root / "site")
    assert sitegen("build", cwd=root).code == 0
    again = {path: related_titles((root / "site" / path).read_text()) for path in first}
    assert again == first
