"""Whole archives as each generator keeps them (fixtures written for these tests) build as they are."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run

SitegenRun = Callable[..., Run]
ARCHIVES = Path(__file__).parent / "archives"

# Per archive: its articles' pages, the topics their categories make, the redirects, and the
# warnings (one per thing that could not be translated), word for word.
EXPECTED: dict[str, dict[str, list[str]]] = {
    "jekyll": {
        "pages": ["2013/11/first-crossing", "2014/02/engine-trouble", "2016/07/fireworks"],
        "topics": ["logs", "repairs"],
        "redirects": [
            "2014/engine/index.html",
            "logs/2013/11/22/first-crossing.html",
            "repairs/2014/02/03/engine-trouble.html",
        ],
        "warnings": [
            "content/: warning: 2 files are neither read as articles nor copied (1 .html, 1 .yml): "
            "_config.yml, _layouts/post.html",
            "content/_posts/2014-02-03-engine-trouble.md:16: warning: the Liquid tag 'gist' is not translated; "
            "it is shown as text",
            "content/_posts/2016-07-04-fireworks.md:3: warning: 'date' is not a date: "
            '"2016-07-04 21:30:00 2016 -0400"; the file name\'s date 2016-07-04 is used',
            "content/about.md: warning: has no date, so it is another generator's page, not an article; "
            "left out (add a 'date:')",
        ],
    },
    "hugo": {
        "pages": ["2020/04/anemone-count", "2021/03/tide-pools"],
        "topics": ["projects"],
        "redirects": ["posts/tidepools/index.html", "old/2021/pools.html"],
        "warnings": [
            "content/about.md: warning: has no date, so it is another generator's page, not an article; "
            "left out (add a 'date:')",
            "content/posts/2021-03-14-tide-pools/index.md:25: warning: the Hugo shortcode 'callout' is not "
            "translated; it is shown as text",
            "content/posts/_index.md: warning: is a section page, but no topic is named 'posts' or 'Posts'; "
            "its text is not shown (give its articles that topic to list them)",
        ],
    },
    "zola": {
        "pages": ["2022/08/retries", "2022/09/cache-keys"],
        "topics": ["engineering"],
        "redirects": ["posts/cache-keys/index.html"],
        "warnings": [
            "content/blog/2022-09-01-cache-keys.md:19: warning: the Zola shortcode 'aside' is not translated; "
            "it is shown as text",
        ],
    },
    "pelican": {
        "pages": ["2017/03/bridge", "2018/06/market-day-june"],
        "topics": ["town"],
        "redirects": [],
        "warnings": [
            "content/pages/contact.md: warning: has no date, so it is another generator's page, not an article; "
            "left out (add a 'date:')",
        ],
    },
    "mdx": {
        "pages": ["2023/01/plain", "2023/02/hello-mdx"],
        "topics": [],
        "redirects": [],
        "warnings": [
            "content/posts/hello-mdx.mdx:17: warning: the MDX component <Counter> cannot be rendered; shown as text",
            "content/posts/hello-mdx.mdx:19: warning: the MDX component <Chart> cannot be rendered; shown as text",
        ],
    },
}

# Markup of the kinds translated: none of it may reach a page.
TRANSLATED = [
    "{% include", "{% highlight", "{% post_url", "{% assign", "{% raw", "{{ site.data",
    "{{&lt; figure src=&quot;im", "{{&lt; ref", "{{&lt; youtube", "{{&lt; highlight", "{{ vimeo(",
    "@/blog", "{filename}", "{static}", "import {", "export const",
]  # fmt: skip


@pytest.mark.parametrize("generator", sorted(EXPECTED))
def test_an_archive_builds_as_it_is(generator: str, sitegen: SitegenRun, tmp_path: Path) -> None:
    root = tmp_path / generator
    shutil.copytree(ARCHIVES / generator, root)
    run = sitegen("build", cwd=root)
    expected = EXPECTED[generator]
    assert run.code == 0, run.err
    assert run.err.splitlines() == expected["warnings"]
    site = root / "site"
    found = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("20*/*/*/index.html"))
    assert found == expected["pages"]
    assert sorted(p.name for p in (site / "topics").iterdir() if p.is_dir()) == expected["topics"]
    sitemap = (site / "sitemap.xml").read_text()
    for redirect in expected["redirects"]:
        page = (site / redirect).read_text()
        assert '<meta http-equiv="refresh"' in page
        assert redirect.removesuffix("index.html") not in sitemap
    for page in expected["pages"]:
        html = (site / page / "index.html").read_text()
        for markup in TRANSLATED:
            assert markup not in html, (page, markup)
