"""Old URLs keep working: aliases, redirect_from, and a permalink or url of the old site."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from conftest import MakeSite, Run

from sitegen.content.conventions.redirects import old_urls

SitegenRun = Callable[..., Run]


def test_old_urls_resolve_as_each_generator_does() -> None:
    found, notes = old_urls(
        {
            "aliases": ["a-old", "../b-old", "/c-old/", "d.html"],
            "redirect_from": "/post/123/",
            "permalink": "/:categories/:year/:month/:day/:title:output_ext",
            "url": "https://elsewhere.example/x/",
        },
        "posts/a.md",
        date(2016, 3, 10),
        "a",
        ("Release Notes",),
    )
    assert found == [
        "/posts/a-old/",  # relative to the page's folder, as Hugo resolves it
        "/b-old/",
        "/c-old/",
        "/posts/d.html",
        "/post/123/",
        "/release-notes/2016/03/10/a.html",
    ]
    assert notes == []


def test_a_bundle_s_relative_alias_is_beside_its_folder() -> None:
    found, _ = old_urls({"aliases": ["old-trip"]}, "posts/trip/index.md", date(2020, 1, 1), "trip", ())
    assert found == ["/posts/old-trip/"]


def test_unusable_old_urls_are_warnings() -> None:
    found, notes = old_urls(
        {"aliases": "/", "permalink": "/:section/:title/", "redirect_from": {"a": 1}},
        "a.md",
        date(2020, 1, 1),
        "a",
        (),
    )
    assert found == []
    assert notes == [
        ("aliases", "'aliases' '/' is the home page; no redirect made"),
        ("redirect_from", "'redirect_from' must be a path or a list of paths; no redirect made"),
        ("permalink", "'permalink' '/:section/:title/' uses a placeholder sitegen cannot fill; no redirect made"),
    ]


HUGO_POST = """+++
title = "Trip <north>"
date = 2020-05-01
aliases = ["old-trip", "/2020/trip.html"]
+++
Text.
"""


def test_redirect_pages_point_at_the_article_and_stay_out_of_the_sitemap(
    make_site: MakeSite, sitegen: SitegenRun
) -> None:
    root = make_site(
        {
            "sitegen.yaml": 'title: Archive\nbase_url: "https://archive.example.org/"\n',
            "content/posts/trip.md": HUGO_POST,
            "content/_posts/2016-03-10-spring.md": "---\ntitle: Spring\nredirect_from: /blog/spring/\n"
            "permalink: /2016/03/spring/\n---\nText.\n",  # the same URL as sitegen's: no redirect
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err == ""
    page = (root / "site/posts/old-trip/index.html").read_text()
    assert '<link rel="canonical" href="https://archive.example.org/2020/05/trip/">' in page
    assert '<meta http-equiv="refresh" content="0; url=../../2020/05/trip/">' in page
    assert '<p>This page has moved to <a href="../../2020/05/trip/">Trip &lt;north&gt;</a>.</p>' in page
    assert 'url=05/trip/"' in (root / "site/2020/trip.html").read_text()
    assert 'url=../../2016/03/spring/"' in (root / "site/blog/spring/index.html").read_text()
    sitemap = (root / "site/sitemap.xml").read_text()
    assert "old-trip" not in sitemap
    assert "blog/spring" not in sitemap
    assert "https://archive.example.org/2020/05/trip/" in sitemap


def test_a_redirect_onto_a_page_is_refused(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/a.md": "---\ntitle: A\ndate: 2020-01-01\naliases: [/search/]\n---\nText.\n",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        "content/a.md: writes search/index.html, which the search page writes too; change one URL"
    ]


def test_zola_path_and_jekyll_site_permalink_styles() -> None:
    from sitegen.content.conventions.redirects import jekyll_post_permalink

    found, _ = old_urls({"path": "notes/cache"}, "blog/cache.md", date(2022, 9, 1), "cache", ())
    assert found == ["/notes/cache/"]
    assert jekyll_post_permalink(None) == "/:categories/:year/:month/:day/:title:output_ext"
    assert jekyll_post_permalink("title: x\npermalink: pretty\n") == "/:categories/:year/:month/:day/:title/"
    assert jekyll_post_permalink("permalink: '/blog/:title/'  # ours\n") == "/blog/:title/"
