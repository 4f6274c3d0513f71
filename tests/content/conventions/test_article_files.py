"""Markdown under every usual name, MDX, and the one warning about files left unread."""

from __future__ import annotations

from collections.abc import Callable

from conftest import MakeSite, Run, article

SitegenRun = Callable[..., Run]


def test_every_markdown_name_and_mdx_is_an_article(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            f"content/{name}": article(name.split(".")[0].title(), "2024-02-0" + str(n))
            for n, name in enumerate(["one.md", "two.markdown", "three.mdown", "four.mkd", "five.mdx"], start=1)
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    for day, slug in enumerate(["one", "two", "three", "four", "five"], start=1):
        page = (root / f"site/2024/02/{slug}/index.html").read_text()
        assert f"<h1>{slug.title()}</h1>" in page, day
    assert not (root / "site/two.markdown").exists()


MDX_POST = """---
title: Charts in prose
date: 2024-05-01
---
import Chart from '../components/Chart'
export const meta = {
  draft: false,
}

Some *prose* before.

<Chart series="a" />

```jsx
import NotDropped from 'x'
<Inside />
```

After `<Code />` the end.
"""


def test_mdx_drops_imports_and_exports_and_names_each_component(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/charts.mdx": MDX_POST})
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        "content/charts.mdx:12: warning: the MDX component <Chart> cannot be rendered; shown as text",
    ]
    page = (root / "site/2024/05/charts/index.html").read_text()
    assert "import Chart" not in page
    assert "export const" not in page
    assert "&lt;Chart series=&quot;a&quot; /&gt;" in page
    assert "import NotDropped from" in page  # inside a code block, it is code
    assert "<em>prose</em>" in page


def test_files_neither_read_nor_copied_are_named_in_one_warning(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/post.md": article("Post", "2024-01-02"),
            "content/picture.png": b"\x89PNG\r\n",
            "content/notes/a.rst": "A\n=\n",
            "content/notes/b.rst": "B\n=\n",
            "content/book.adoc": "= Book\n",
            "content/_layouts/post.html": "<main>{{ content }}</main>\n",
            "content/_includes/note.md": "An included note.\n",
            "content/_config.yml": "title: Old\n",
            "content/extra/c.rst": "C\n=\n",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        "content/: warning: 6 files are neither read as articles nor copied (1 .adoc, 1 .html, 3 .rst, 1 .yml): "
        "_config.yml, _layouts/post.html, book.adoc, extra/c.rst, notes/a.rst and 1 more",
    ]  # _includes/ is Liquid's to read, so not named
    assert (root / "site/picture.png").exists()
    for left in ("notes/a.rst", "book.adoc", "_layouts/post.html", "_config.yml", "_includes/note.md"):
        assert not (root / "site" / left).exists()
