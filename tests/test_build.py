"""Integration tests: the real CLI on small real archives, checking facts in the files written."""

from __future__ import annotations

import gc
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeSite, Run, article, tree_bytes

import sitegen.build.steps.pages
from sitegen.build import BuildOptions, build

SitegenRun = Callable[..., Run]


def test_article_page_shows_every_field(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/2024/ferry.md": article(
                "Ferry trial",
                "2024-03-05T09:30:00+01:00",
                "Harbour text.\n\nSecond paragraph.",
                updated="2024-03-06",
                author='["Mira Castell", "Jon Ide"]',
                source="Coastal Wire",
                source_url="https://coastal.example/ferry",
                topics='["Energy", "Transport"]',
                tags='["ferries"]',
                summary='"A dek."',
                note='"Clipped for the *ferry* file."',
            ),
            "content/2023/older.md": article("Older story", "2023-01-01"),
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.out.startswith("built 2 articles into site: ")
    html = (root / "site/2024/03/ferry/index.html").read_text()
    assert "<h1>Ferry trial</h1>" in html
    assert '<p class="dek">A dek.</p>' in html
    assert (
        '<a href="../../../authors/mira-castell/">Mira Castell</a>, <a href="../../../authors/jon-ide/">Jon Ide</a>'
        in html
    )
    assert '<a href="../../../sources/coastal-wire/">Coastal Wire</a>' in html
    assert '<a href="https://coastal.example/ferry" rel="external noopener">original article</a>' in html
    assert '<time datetime="2024-03-05T09:30:00+01:00">March 5, 2024, 9:30\u202fAM\u00a0GMT+1</time>' in html
    assert '<time datetime="2024-03-06">March 6, 2024</time>' in html
    assert '<a href="../../../topics/energy/">Energy</a>' in html
    assert '<a href="../../../tags/ferries/">#ferries</a>' in html
    assert "<p>Clipped for the <em>ferry</em> file.</p>" in html
    assert '<a rel="prev" href="../../../2023/01/older/">' in html
    older = (root / "site/2023/01/older/index.html").read_text()
    assert '<a rel="next" href="../../../2024/03/ferry/">' in older
    assert 'rel="prev"' not in older


def test_listings_paginate_newest_first_with_counts(make_site: MakeSite, sitegen: SitegenRun) -> None:
    files = {"sitegen.yaml": "per_page: 2\n"}
    for day in range(1, 6):
        files[f"content/a{day}.md"] = article(f"Story {day}", f"2024-01-0{day}", topics='["Energy"]')
    root = make_site(files)
    assert sitegen("build", cwd=root).code == 0
    home = (root / "site/index.html").read_text()
    assert home.index("Story 5") < home.index("Story 4")
    assert "Story 3" not in home
    assert '<a rel="next" href="page/2/">Older →</a>' in home
    page2 = (root / "site/page/2/index.html").read_text()
    assert "Story 3" in page2 and "Story 2" in page2
    assert '<a rel="prev" href="../../">← Newer</a>' in page2
    assert "Page 2 of 3" in page2
    assert (root / "site/page/3/index.html").exists()
    assert not (root / "site/page/4/index.html").exists()
    assert (root / "site/topics/energy/page/3/index.html").exists()
    topics = (root / "site/topics/index.html").read_text()
    assert '<a href="energy/">Energy</a> <span class="count">5</span>' in topics


def test_unchanged_files_keep_their_mtime_and_removed_articles_vanish(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({f"content/{name}.md": article(name, f"2024-0{month}-01") for month, name in enumerate("abcd", 1)})
    assert sitegen("build", cwd=root).code == 0
    style, d_page = root / "site/assets/style.css", root / "site/2024/04/d/index.html"
    before = {path: path.stat().st_mtime_ns for path in (style, d_page)}
    (root / "content/a.md").unlink()
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert not (root / "site/2024/01/a").exists()
    assert {path: path.stat().st_mtime_ns for path in (style, d_page)} == before
    assert re.search(r"\d+ files written, [1-9]\d* unchanged", run.out)
    again = sitegen("build", cwd=root)
    assert "(0 rendered), 0 articles parsed, 0 files written" in again.out


def test_a_build_with_nothing_changed_touches_nothing(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({f"content/{name}.md": article(name, f"2024-0{month}-01") for month, name in enumerate("ab", 1)})
    for path in (root / "content").iterdir():  # older than the build: not "racy", so not read again
        os.utime(path, ns=(time.time_ns() - 10**10,) * 2)
    assert sitegen("build", cwd=root).code == 0
    cache, site = root / ".sitegen/build-cache.json", root / "site"
    before = (cache.stat().st_mtime_ns, site.stat().st_ino)
    assert sitegen("build", cwd=root).code == 0
    assert (cache.stat().st_mtime_ns, site.stat().st_ino) == before  # no cache saved, no folder swapped
    (root / "content/b.md").write_text(article("b", "2024-02-02"))
    assert sitegen("build", cwd=root).code == 0
    assert cache.stat().st_mtime_ns != before[0]
    assert site.stat().st_ino == before[1]  # the edit's few files were moved into the folder through a journal
    assert "2024-02-02" in (root / "site/2024/02/b/index.html").read_text()
    assert "<lastmod>2024-02-02T00:00:00Z</lastmod>" in (root / "site/sitemap.xml").read_text()  # its key saw the date


def test_a_template_edit_between_builds_reaches_every_page(make_site: MakeSite, sitegen: SitegenRun) -> None:
    footer = "templates/partials/footer.html"
    root = make_site({"content/a.md": article("A", "2024-01-01"), footer: "<footer>First footer</footer>"})
    pages = (root / "site/index.html", root / "site/2024/01/a/index.html")
    assert sitegen("build", cwd=root).code == 0
    assert all("First footer" in page.read_text() for page in pages)
    (root / footer).write_text("<footer>Second footer</footer>")
    assert sitegen("build", cwd=root).code == 0
    assert all("Second footer" in page.read_text() for page in pages)
    (root / footer).unlink()  # back to the theme's footer
    assert sitegen("build", cwd=root).code == 0
    assert not any("Second footer" in page.read_text() for page in pages)
    assert all("<footer" in page.read_text() for page in pages)


def test_a_file_changed_in_site_by_hand_is_rewritten(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/a.md": article("A", "2024-01-01")})
    assert sitegen("build", cwd=root).code == 0
    page = root / "site/2024/01/a/index.html"
    original = page.read_bytes()
    page.write_text("tampered")
    assert sitegen("build", cwd=root).code == 0
    assert page.read_bytes() == original


def test_a_corrupt_cache_is_ignored_with_a_warning(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/a.md": article("A", "2024-01-01")})
    assert sitegen("build", cwd=root).code == 0
    clean = tree_bytes(root / "site")
    (root / ".sitegen/build-cache.json").write_bytes(b"\x80\x05garbage")
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert run.err == (
        ".sitegen/build-cache.json: warning: ignoring the build cache: it is not a sitegen build cache; "
        "it will be rebuilt\n"
    )
    assert tree_bytes(root / "site") == clean
    assert sitegen("build", cwd=root).err == ""


def test_every_bad_file_is_reported_in_one_run_and_nothing_is_written(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/bad-date.md": "---\ntitle: Bad date\ndate: 2022-13-40\n---\nText\n",
            "content/no-title.md": "---\ndate: 2022-01-01\n---\nText\n",
            "content/no-fm.md": "Just text\n",
            "content/unclosed.md": "---\ntitle: x\n",
            "content/yaml.md": "---\ntitle: x\ndate: 2022-01-01\ntopics: [a\n---\n",
            "content/topics.md": "---\ntitle: x\ndate: 2022-01-01\ntopics: Energy\n---\n",
            "content/url.md": "---\ntitle: x\ndate: 2022-01-01\nsource_url: ftp://x.example/\n---\n",
            "content/latin1.md": "---\ntitle: café\ndate: 2022-01-01\n---\n".encode("latin-1"),
            "content/empty.md": "",
            "content/good.md": article("Good", "2022-01-01"),
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.out == ""
    assert run.err.splitlines() == [
        "content/bad-date.md:3: 'date' is not a date: \"2022-13-40\" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)",
        "content/empty.md:1: the file is empty; an article needs front matter with a title and a date",
        'content/latin1.md:2: is not UTF-8: it looks like Latin-1 / Windows-1252 ("café"); save it with UTF-8 encoding',
        "content/no-fm.md:1: no front matter: the file must start with a line '---', then title: and date:, then '---'",
        "content/no-title.md:1: 'title' is missing; every article needs a title",
        'content/topics.md:4: \'topics\' must be a list of names, like topics: ["First", "Second"]',
        "content/unclosed.md:1: front matter is not closed: add a line '---' after the last field",
        "content/url.md:4: 'source_url' must be an http:// or https:// URL, not \"ftp://x.example/\"",
        "content/yaml.md:4: invalid YAML: the list opened with '[' on this line is not closed; end it with ']' "
        "(or put the whole value in quotes)",
    ]
    assert "Traceback" not in run.err
    assert not (root / "site").exists()


def test_failed_build_leaves_previous_site_byte_for_byte(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/a.md": article("A", "2024-01-01"), "content/b.md": article("B", "2024-02-01")})
    assert sitegen("build", cwd=root).code == 0
    before = tree_bytes(root / "site")
    (root / "content/b.md").write_text("---\ntitle: B\ndate: not a date\n---\n")
    (root / "content/c.md").write_text(article("C", "2024-03-01"))
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert tree_bytes(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith((".sitegen-new", ".sitegen-old"))] == []


def test_a_failed_build_keeps_the_articles_it_parsed(make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path) -> None:
    files = {f"content/{name}.md": article(name.upper(), f"2024-0{month}-01") for month, name in enumerate("abcdef", 1)}
    root = make_site(files)
    first = sitegen("build", cwd=root)
    assert ", 6 articles parsed, " in first.out
    before = tree_bytes(root / "site")
    (root / "content/b.md").write_text(article("B, edited", "2024-02-01"), encoding="utf-8")
    (root / "content/c.md").write_text("---\ntitle: C\ndate: 2024-03-40\n---\nText\n", encoding="utf-8")

    failed = sitegen("build", cwd=root)
    assert failed.code == 1
    assert failed.err.splitlines() == [
        "content/c.md:3: 'date' is not a date: \"2024-03-40\" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)"
    ]
    assert tree_bytes(root / "site") == before
    (root / "content/c.md").write_text(article("C, fixed", "2024-03-01"), encoding="utf-8")
    fixed = sitegen("build", cwd=root)

    assert fixed.code == 0, fixed.err
    assert ", 1 article parsed, " in fixed.out  # c.md alone: b.md's edit was parsed by the failed build
    edits = {"content/b.md": article("B, edited", "2024-02-01"), "content/c.md": article("C, fixed", "2024-03-01")}
    clean = make_site({**files, **edits}, root=tmp_path / "clean")
    assert sitegen("build", cwd=clean).code == 0
    assert tree_bytes(root / "site") == tree_bytes(clean / "site")


def test_two_articles_with_one_url_are_an_error_naming_both(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/one/x.md": article("X1", "2024-01-01"), "content/two/x.md": article("X2", "2024-01-20")})
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.strip() == (
        "content/two/x.md: has the same URL /2024/01/x/ as content/one/x.md; give one of them another 'slug:'"
    )


def test_warnings_are_printed_and_strict_turns_them_into_errors(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/a.md": article("A", "2024-01-01", "Intro.\n\n![chart](missing.png)", titel='"typo"')})
    run = sitegen("build", cwd=root)
    assert run.code == 0
    assert run.err.splitlines() == [
        "content/a.md:4: warning: unknown field 'titel'; did you mean 'title'?",
        "content/a.md:9: warning: links to 'missing.png', which is not under content/",
    ]
    strict = sitegen("build", "--strict", cwd=root)
    assert strict.code == 1
    assert "content/a.md:9: links to 'missing.png', which is not under content/ (--strict)" in strict.err


def test_linked_files_are_copied_beside_the_article(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/2023/report.md": article(
                "Report", "2023-05-02", "![Chart](chart.svg)\n\n[data](../data/table.csv)"
            ),
            "content/2023/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "content/data/table.csv": "a,b\n",
            "content/files/unlinked.pdf": b"%PDF",
        }
    )
    assert sitegen("build", cwd=root).code == 0
    html = (root / "site/2023/05/report/index.html").read_text()
    assert '<img src="chart.svg" alt="Chart" />' in html
    assert '<a href="table.csv">data</a>' in html
    assert (root / "site/2023/05/report/chart.svg").read_text().startswith("<svg")
    assert (root / "site/2023/05/report/table.csv").read_text() == "a,b\n"
    assert (root / "site/files/unlinked.pdf").read_bytes() == b"%PDF"


def test_drafts_and_future_articles_are_left_out_unless_asked(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/draft.md": article("Draft piece", "2024-01-01", draft="true", topics='["Energy"]'),
            "content/future.md": article("Future piece", "2999-01-01"),
            "content/live.md": article("Live piece", "2024-01-02", topics='["Energy"]'),
        }
    )
    assert sitegen("build", cwd=root).code == 0
    every_page = "".join(text.decode() for name, text in tree_bytes(root / "site").items() if name.endswith(".html"))
    assert "Live piece" in every_page
    assert "Draft piece" not in every_page and "Future piece" not in every_page
    assert sitegen("build", "--drafts", "--future", cwd=root).code == 0
    assert (root / "site/2024/01/draft/index.html").exists()
    assert (root / "site/2999/01/future/index.html").exists()


def test_hostile_title_is_escaped_everywhere(make_site: MakeSite, sitegen: SitegenRun) -> None:
    title = '<script>alert(1)</script> & "quotes"'
    root = make_site(
        {
            "content/x.md": "---\ntitle: '<script>alert(1)</script> & \"quotes\"'\ndate: 2024-01-01\n"
            "topics: ['<b>bold</b>']\n---\n<script>alert(2)</script>\n\n[x](javascript:alert(3))\n",
        }
    )
    assert sitegen("build", cwd=root).code == 0
    pages = {name: data.decode() for name, data in tree_bytes(root / "site").items() if name.endswith(".html")}
    assert len(pages) > 5
    for name, html in pages.items():
        assert "<script>" not in html, name
        assert "<b>bold</b>" not in html, name
        assert 'href="javascript:' not in html, name
    article_html = pages["2024/01/x/index.html"]
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;</h1>" in article_html
    assert "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>" in article_html
    assert title not in article_html


def test_raw_html_passes_only_when_opted_in(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "sitegen.yaml": "markdown: {unsafe_html: true}\n",
            "content/x.md": article("X", "2024-01-01", "<figure><figcaption>Cap</figcaption></figure>"),
        }
    )
    assert sitegen("build", cwd=root).code == 0
    assert "<figure><figcaption>Cap</figcaption></figure>" in (root / "site/2024/01/x/index.html").read_text()


def test_base_url_under_a_subpath(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/x.md": article("X", "2024-01-01")})
    assert sitegen("build", "--base-url", "https://example.org/archive", cwd=root).code == 0
    html = (root / "site/2024/01/x/index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/archive/2024/01/x/">' in html
    assert '<link rel="stylesheet" href="../../../assets/style.css">' in html
    not_found = (root / "site/404.html").read_text()
    assert '<link rel="stylesheet" href="/archive/assets/style.css">' in not_found
    bad = sitegen("build", "--base-url", "example.org", cwd=root)
    assert bad.code == 1
    assert (
        bad.err.strip()
        == "--base-url: '--base-url' must be an http(s) URL or a path starting with '/', not 'example.org'"
    )


def test_site_templates_override_the_theme_and_errors_name_the_line(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/x.md": article("X", "2024-01-01"),
            "templates/partials/footer.html": "<footer>My own footer</footer>\n",
        }
    )
    assert sitegen("build", cwd=root).code == 0
    assert "<footer>My own footer</footer>" in (root / "site/index.html").read_text()

    (root / "templates/partials/footer.html").write_text("<footer>\n{{ site.no_such_thing }}\n</footer>\n")
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines()[0].startswith("templates/partials/footer.html:2: template error: ")
    assert "no_such_thing" in run.err

    (root / "templates/partials/footer.html").write_text("<footer>\n\n{% if %}\n</footer>\n")
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines()[0].startswith("templates/partials/footer.html:3: template syntax error: ")

    (root / "templates/list.html").write_text('{% include "nowhere.html" %}\n')
    (root / "templates/partials/footer.html").unlink()
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert "templates/list.html:1: template 'nowhere.html' not found in templates/ or the default theme" in run.err


def test_init_creates_an_archive_that_builds(tmp_path: Path, sitegen: SitegenRun) -> None:
    run = sitegen("init", "my-archive", cwd=tmp_path)
    assert run.code == 0
    assert sitegen("build", "my-archive", cwd=tmp_path).code == 0
    assert "Welcome to your archive" in (tmp_path / "my-archive/site/index.html").read_text()
    again = sitegen("init", "my-archive", cwd=tmp_path)
    assert again.code == 1
    assert again.err.strip() == "sitegen: my-archive already exists and is not empty; choose a new folder"


def test_usage_errors_exit_2(tmp_path: Path, sitegen: SitegenRun) -> None:
    assert sitegen("build", "--no-such-flag", cwd=tmp_path).code == 2
    assert sitegen(cwd=tmp_path).code == 2


def test_a_build_pauses_the_garbage_collector_and_then_restores_it(make_site: MakeSite) -> None:
    root = make_site({"content/a.md": article("A", "2024-03-05"), "content/b.md": article("B", "2024-03-06")})
    during: list[bool] = []
    assert gc.isenabled()
    report = build(BuildOptions(root=root), on_step=lambda name, seconds: during.append(gc.isenabled()))
    assert report.articles == 2
    assert during and not any(during)
    assert gc.isenabled()


def test_a_warm_build_takes_its_pages_from_the_cache_and_plans_them_only_to_render(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({f"content/{name}.md": article(name, f"2024-0{month}-01") for month, name in enumerate("abc", 1)})
    assert build(BuildOptions(root=root)).rendered > 0
    site = root / "site"
    before = tree_bytes(site)
    planned: list[int] = []
    plan_pages = sitegen.build.steps.pages.plan_pages
    monkeypatch.setattr(sitegen.build.steps.pages, "plan_pages", lambda *args: planned.append(1) or plan_pages(*args))
    report = build(BuildOptions(root=root))
    assert (report.rendered, report.written, planned) == (0, 0, [])  # the same inputs: the cache's outline
    (site / "2024/02/b/index.html").unlink()
    (site / "index.html").write_text("tampered", encoding="utf-8")
    report = build(BuildOptions(root=root))
    assert (report.rendered, report.written, planned) == (2, 2, [1])  # those two need their data: planned
    assert tree_bytes(site) == before
