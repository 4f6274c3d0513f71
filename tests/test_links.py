"""Every internal link and resource in a built site resolves to a file the build wrote."""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import Run

REPO = Path(__file__).resolve().parent.parent


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None and not (tag == "link" and ("rel", "canonical") in attrs):
                self.links.append(value)


def broken_links(site: Path, *, base_path: str = "/") -> list[str]:
    """Internal links of every HTML page that do not lead to a file in ``site``."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        collector = _LinkCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        page_dir = page.parent.relative_to(site).as_posix()
        for link in collector.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                assert path.startswith(base_path), f"{page}: {link}"
                target = path[len(base_path) :]
            else:
                target = posixpath.normpath(posixpath.join(page_dir, path))
            if path.endswith("/") or target in (".", ""):
                target = posixpath.join(target, "index.html")
            if not (site / target).is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
    return broken


@pytest.mark.parametrize("offline", [False, True])
def test_sample_archive_has_no_broken_internal_links(
    tmp_path: Path, sitegen: Callable[..., Run], offline: bool
) -> None:
    archive = tmp_path / "sample"
    for name in ("content", "templates", "sitegen.yaml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, archive / name)
        else:
            shutil.copy(source, archive / name)
    args = ["build", str(archive), "--offline"] if offline else ["build", str(archive)]
    run = sitegen(*args, cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.err == ""  # the sample content raises no warnings
    site = archive / "site"
    pages = list(site.rglob("*.html"))
    assert len(pages) > 40
    assert broken_links(site) == []
    if offline:
        home = (site / "index.html").read_text()
        assert 'href="topics/index.html"' in home


def test_the_link_check_itself_finds_a_missing_file(tmp_path: Path, sitegen: Callable[..., Run]) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/a.md").write_text("---\ntitle: A\ndate: 2024-01-01\n---\nText\n")
    assert sitegen("build", cwd=tmp_path).code == 0
    (tmp_path / "site/assets/style.css").unlink()
    assert "2024/01/a/index.html: ../../../assets/style.css" in broken_links(tmp_path / "site")
