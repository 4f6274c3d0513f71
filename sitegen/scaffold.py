"""``sitegen init``: a new archive folder that builds as it is."""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import SitegenError

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


def create_archive(folder: Path) -> Path:
    """Create ``folder`` with a config, one article, an empty templates folder and a .gitignore."""
    if folder.exists() and any(folder.iterdir()):
        raise SitegenError(f"{folder} already exists and is not empty; choose a new folder")
    (folder / "content" / "2024").mkdir(parents=True, exist_ok=True)
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "sitegen.yaml").write_text(_CONFIG, encoding="utf-8")
    (folder / "content" / "2024" / "welcome.md").write_text(_ARTICLE, encoding="utf-8")
    (folder / "templates" / "README.txt").write_text(_TEMPLATES_README, encoding="utf-8")
    (folder / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
    return folder
