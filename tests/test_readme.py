"""README's first steps, followed as written: build the example archive, then look at it the
way README says, and click Topics (over the preview server, and from disk with --offline)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

REPO = Path(__file__).resolve().parent.parent


def _section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def _commands(section: str) -> list[str]:
    """The shell commands of a section's ```sh blocks, one per line."""
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


class _Links(HTMLParser):
    """Each link's text and href."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_data(self, data: str) -> None:
        if self._href is not None and data.strip():
            self.links.append((data.strip(), self._href))
            self._href = None


def _link(html: str, text: str) -> str:
    parser = _Links()
    parser.feed(html)
    return next(href for label, href in parser.links if label == text)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the repository's example archive, built as README's first command says."""
    root = tmp_path / "example"
    root.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "sitegen.yaml", root)
    first = _commands(_section("Two commands"))[0]
    assert first == "pip install . && sitegen build"
    build = shlex.split(first.split(" && ")[1])  # the package is installed already
    done = subprocess.run([sys.executable, "-m", "sitegen", *build[1:]], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def opened(tmp_path: Path, example: Path) -> Iterator[str]:
    """Run README's command to look at the archive; yields the address it opened in "the browser"."""
    look = _commands(_section("Two commands"))[1]
    assert look == "sitegen serve --open"
    # The browser is a script that prints the address it is given (sitegen waits for it to
    # return); port 0 as 8000 may be taken on this machine.
    browser = tmp_path / "browser"
    browser.write_text(f"#!{sys.executable}\nimport sys\nprint('browser opened', sys.argv[1], flush=True)\n")
    browser.chmod(0o755)
    words = shlex.split(look)
    serve = subprocess.Popen(
        [sys.executable, "-m", "sitegen", *words[1:], "--port", "0"],
        cwd=example,
        env={**os.environ, "BROWSER": str(browser)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert serve.stdout is not None
        printed = []
        for line in serve.stdout:
            printed.append(line)
            if line.startswith("browser opened "):
                break
        assert printed[-1].startswith("browser opened "), printed
        yield printed[-1].split()[2]
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)


def test_readme_look_at_it_then_click_topics(opened: str) -> None:
    with urllib.request.urlopen(opened, timeout=30) as response:
        home = response.read().decode("utf-8")
    topics_url = urljoin(opened, _link(home, "Topics"))
    with urllib.request.urlopen(topics_url, timeout=30) as response:
        assert response.status == 200
        topics = response.read().decode("utf-8")
    assert "<title>Topics · " in topics


def test_readme_from_disk_with_offline_every_click_opens_a_page(example: Path) -> None:
    section = _section("Two commands")
    assert "build with `sitegen build --offline` and open `site/index.html`" in " ".join(section.split())
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--offline"], cwd=example, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    home = example / "site/index.html"
    # What a browser opens from file:// for the link: a file, never a folder (its listing).
    topics = (home.parent / _link(home.read_text(encoding="utf-8"), "Topics")).resolve()
    assert topics.is_file()
    assert "<title>Topics · " in topics.read_text(encoding="utf-8")


def test_readme_publish_recipes_name_the_files_init_writes(tmp_path: Path) -> None:
    section = " ".join(_section("Publish").split())
    recipes = re.findall(r"`sitegen init \. (--[a-z-]+)` writes `([^`]+)`(?: and `([^`]+)`)?", section)
    assert [flag for flag, *_ in recipes] == ["--github-pages", "--netlify", "--cloudflare"]
    for flag, *files in recipes:
        root = tmp_path / flag.strip("-")
        (root / "content").mkdir(parents=True)  # an archive of one's own, as README's "here"
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "init", ".", flag], cwd=root, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        written = sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
        assert written == sorted(name for name in files if name)


def test_readme_rsync_and_s3_recipes_never_compare_sizes_alone() -> None:
    commands = _commands(_section("Publish"))
    assert "rsync -a --delete --delay-updates site/ user@host:/srv/archive/" in commands
    sync = next(command for command in commands if command.startswith("aws s3 sync"))
    assert "--size-only" not in sync
    assert '--cache-control "public, max-age=0, must-revalidate"' in sync
