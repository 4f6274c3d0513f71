"""``sitegen init``: a new archive folder that builds as it is."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from pathlib import Path, PurePosixPath

from sitegen.errors import SitegenError
from sitegen.publish import PUBLISHING_FILES
from sitegen.urls import slugify

_CONFIG = """\
# Settings for this archive. Every key is optional.
title: "My archive"
description: "Articles worth keeping."
base_url: "/"          # e.g. https://example.org/archive/ when hosted under a path
language: en
per_page: 20
"""

_ARTICLE = """\
---
title: "Welcome to your archive"
date: 2024-01-15
author: "The curator"
source: "sitegen"
topics: ["Getting started"]
tags: ["howto"]
summary: "How articles are written: front matter on top, Markdown below."
note: "Delete this article once you have added your own."
---

Each article is a Markdown file under `content/`. The block between the `---` lines at
the top holds its fields: `title` and `date` are required; `author`, `source`,
`source_url`, `topics`, `tags`, `summary` and `note` are optional.

Run `sitegen build` in this folder to write the site into `site/`.
"""

_TEMPLATES_README = """\
Files here override the default theme file by file: copy a template of the same name
(base.html, article.html, list.html, terms.html, 404.html, partials/...) and change it.
"""


# The built site and the caches are made from the rest: neither belongs in version control,
# and a committed .sitegen/ would hand its caches to everyone who clones the archive.
_GITIGNORE = """\
site/
.sitegen/
"""


def create_archive(folder: Path, hosts: Collection[str] = ()) -> list[Path]:
    """Create ``folder`` with a config, one article, an empty templates folder and a .gitignore.

    ``hosts`` (keys of ``PUBLISHING_FILES``) adds the files that publish it there; in an
    existing archive only those are written. Returns what was created.
    """
    publishing = {path: text for host in hosts for path, text in PUBLISHING_FILES[host].items()}
    if folder.exists() and any(folder.iterdir()):
        if not publishing:
            raise SitegenError(f"{folder} already exists and is not empty; choose a new folder")
        return _add_files(folder, publishing)
    (folder / "content" / "2024").mkdir(parents=True, exist_ok=True)
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "sitegen.yaml").write_text(_CONFIG, encoding="utf-8")
    (folder / "content" / "2024" / "welcome.md").write_text(_ARTICLE, encoding="utf-8")
    (folder / "templates" / "README.txt").write_text(_TEMPLATES_README, encoding="utf-8")
    (folder / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
    return [folder, *_add_files(folder, publishing)]


def _add_files(folder: Path, files: dict[PurePosixPath, str]) -> list[Path]:
    """Write each file; none is written if any of them exists already."""
    present = sorted(str(folder / relative) for relative in files if (folder / relative).exists())
    if present:
        raise SitegenError(f"{', '.join(present)} already exists; not overwritten (move it away to have it written)")
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return [folder / relative for relative in files]


def article_text(title: str, topics: Collection[str], now: datetime) -> str:
    """A new article's file: its front matter filled in, a line where the text goes."""
    # JSON strings are YAML double-quoted strings: any title or topic is quoted safely.
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"date: {now.isoformat()}"]
    if topics:
        lines.append(f"topics: {json.dumps(list(topics), ensure_ascii=False)}")
    lines += [
        "# Optional fields: author, source, source_url, tags, summary, note, language, updated.",
        "---",
        "",
        "The article's text, in Markdown.",
        "",
    ]
    return "\n".join(lines)


def article_file(title: str, now: datetime) -> PurePosixPath:
    """Where a new article goes under content/: its year's folder, the title's slug."""
    slug = slugify(title)
    if not slug:
        raise SitegenError(f"cannot make a file name from the title {title!r}: give it a letter or digit")
    return PurePosixPath(f"{now.year:04d}", f"{slug}.md")


def create_article(root: Path, title: str, topics: Collection[str], now: datetime) -> Path:
    """Write a new article into ``root``'s content/ and return its path; never overwrite one."""
    if not (root / "content").is_dir() and not (root / "sitegen.yaml").is_file():
        raise SitegenError(f"{root} has no content/ folder or sitegen.yaml; make an archive with: sitegen init FOLDER")
    path = root / "content" / article_file(title, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": fails rather than overwrite
            handle.write(article_text(title, topics, now))
    except FileExistsError:
        raise SitegenError(f"{path} already exists; not overwritten (edit it, or choose another title)") from None
    return path
