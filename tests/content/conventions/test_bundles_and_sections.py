"""Hugo's page bundles (folder/index.md) and section pages (_index.md)."""

from __future__ import annotations

from collections.abc import Callable

from conftest import MakeSite, Run, article

SitegenRun = Callable[..., Run]


def test_a_bundle_takes_its_folder_s_slug_and_its_files_go_beside_its_page(
    make_site: MakeSite, sitegen: SitegenRun
) -> None:
    root = make_site(
        {
            "content/posts/2020-05-01-trip-north/index.md": "---\ntitle: Trip north\n---\n![Map](img/map.png)\n",
            "content/posts/2020-05-01-trip-north/img/map.png": b"\x89PNG map",
            "content/posts/2020-05-01-trip-north/track.gpx": "<gpx/>\n",
            "content/posts/lake-day/index.md": article("Lake day", "2020-06-02"),
            "content/posts/lake-day/photo.jpg": b"\xff\xd8 photo",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err == ""
    assert 'src="img/map.png"' in (root / "site/2020/05/trip-north/index.html").read_text()
    assert (root / "site/2020/05/trip-north/img/map.png").read_bytes() == b"\x89PNG map"
    assert (root / "site/2020/05/trip-north/track.gpx").exists()  # not linked, still the bundle's
    assert (root / "site/2020/06/lake-day/photo.jpg").exists()
    assert not (root / "site/posts").exists()


def test_section_pages_introduce_listings_and_are_never_errors(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/_index.md": "---\ntitle: Field journal\n---\nNotes from *walks*.\n",
            "content/science/_index.md": '+++\ntitle = "Science"\n+++\nMeasured things.\n',
            "content/posts/_index.md": "---\ntitle: Posts\n---\nEvery post.\n",
            "content/about/index.md": "---\ntitle: About\n---\nA page without a date.\n",
            "content/science/tides.md": article("Tides", "2021-01-01", topics='["Science"]'),
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        "content/about/index.md: warning: is a section page, but no topic is named 'about' or 'About'; "
        "its text is not shown (give its articles that topic to list them)",
        "content/posts/_index.md: warning: is a section page, but no topic is named 'posts' or 'Posts'; "
        "its text is not shown (give its articles that topic to list them)",
    ]
    home = (root / "site/index.html").read_text()
    assert "<h1>Field journal</h1>" in home
    assert '<div class="intro prose"><p>Notes from <em>walks</em>.</p>' in home
    science = (root / "site/topics/science/index.html").read_text()
    assert '<div class="intro prose"><p>Measured things.</p>' in science
    assert "Every post." not in home
    assert run.out.startswith("built 1 article into site")
