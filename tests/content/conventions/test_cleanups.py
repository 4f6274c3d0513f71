"""Clean-ups for archives from elsewhere: a repeated title, links in raw HTML, root links."""

from __future__ import annotations

from collections.abc import Callable

from conftest import MakeSite, Run

SitegenRun = Callable[..., Run]


def test_a_leading_heading_equal_to_the_title_is_not_repeated(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/same.md": "---\ntitle: Tide  tables\ndate: 2020-01-01\n---\n\n# Tide Tables\n\nText.\n",
            "content/other.md": "---\ntitle: Moon\ndate: 2020-01-02\n---\n# A different heading\n\nText.\n",
            "content/untitled.md": "---\ndate: 2020-01-03\n---\n# Heading as title\n\nText.\n",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    same = (root / "site/2020/01/same/index.html").read_text()
    assert same.count("<h1") == 1
    assert "<h1>Tide  tables</h1>" in same
    other = (root / "site/2020/01/other/index.html").read_text()
    assert other.count("<h1") == 2  # not the title: kept
    untitled = (root / "site/2020/01/untitled/index.html").read_text()
    assert untitled.count("<h1") == 1
    assert "<h1>Heading as title</h1>" in untitled


def test_raw_html_links_are_checked_and_copied_and_root_links_resolve(make_site: MakeSite, sitegen: SitegenRun) -> None:
    body = (
        '<figure><img src="figs/chart.png" alt="Chart"><figcaption>A chart</figcaption></figure>\n\n'
        'Get <a href="data.csv">the data</a> or <a href="gone.csv">old data</a>.\n\n'
        "![Logo](/images/logo.png) and ![Banner](/shared/banner.png) and [home](/topics/)\n"
    )
    root = make_site(
        {
            "sitegen.yaml": 'title: A\nbase_url: "https://example.org/archive/"\nmarkdown: {html: sanitize}\n',
            "content/posts/report.md": f"---\ntitle: Report\ndate: 2020-02-02\n---\n{body}",
            "content/posts/figs/chart.png": b"\x89PNG chart",
            "content/posts/data.csv": "a,b\n",
            "content/shared/banner.png": b"\x89PNG banner",
            "static/images/logo.png": b"\x89PNG logo",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        "content/posts/report.md:7: warning: links to 'posts/gone.csv', which is not under content/"
    ]
    page = (root / "site/2020/02/report/index.html").read_text()
    assert '<img src="figs/chart.png" alt="Chart">' in page
    assert '<a href="data.csv">the data</a>' in page
    assert (root / "site/2020/02/report/figs/chart.png").read_bytes() == b"\x89PNG chart"
    assert (root / "site/2020/02/report/data.csv").exists()
    assert '<img src="../../../images/logo.png" alt="Logo">' in page
    assert '<img src="../../../shared/banner.png" alt="Banner">' in page
    assert (root / "site/shared/banner.png").exists()
    assert '<a href="/topics/">home</a>' in page  # a page, not a file: as written
