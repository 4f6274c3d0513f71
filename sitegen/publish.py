"""Files that publish an archive on a static host: ``sitegen init --github-pages / --netlify``.

Each is text a host reads (a GitHub Actions workflow, ``netlify.toml``, a ``_headers`` file
that Netlify and Cloudflare Pages both honour); nothing here talks to a host.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from sitegen import __version__

# How the host gets sitegen: the release this archive was made with.
INSTALL = f'pip install "sitegen=={__version__}"'

GITHUB_PAGES_WORKFLOW = PurePosixPath(".github/workflows/pages.yml")
NETLIFY_CONFIG = PurePosixPath("netlify.toml")
HEADERS = PurePosixPath("static/_headers")  # static/ is copied to the site's root: site/_headers

_GITHUB_PAGES = f"""\
# Builds the archive and publishes it with GitHub Pages on every push to main.
# Enable it once: the repository's Settings > Pages > Source: GitHub Actions.
name: Publish the archive

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - id: pages
        uses: actions/configure-pages@v5
      - run: {INSTALL}
      # The site's address (https://USER.github.io/REPO) makes its canonical links and feeds.
      - run: sitegen build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

_NETLIFY = f"""\
# Netlify builds the archive on every push and serves site/.
[build]
  command = '{INSTALL} && sitegen build --base-url "$URL/"'
  publish = "site"

[build.environment]
  PYTHON_VERSION = "3.12"
"""

# sitegen names no file by its content: a theme asset or a search shard keeps its name when
# its bytes change, and the search client must read shards of the same build as meta.js. So
# nothing may be cached as immutable: browsers keep every file but ask again (an unchanged
# file costs a 304 by its ETag), which is also what Netlify and Cloudflare Pages do unasked.
# Stated here so a CDN or proxy in front of the site does not guess a lifetime of its own.
_HEADERS = """\
/*
  Cache-Control: public, max-age=0, must-revalidate
  X-Content-Type-Options: nosniff
"""

PUBLISHING_FILES: dict[str, dict[PurePosixPath, str]] = {
    "github_pages": {GITHUB_PAGES_WORKFLOW: _GITHUB_PAGES},
    "netlify": {NETLIFY_CONFIG: _NETLIFY, HEADERS: _HEADERS},
    "cloudflare": {HEADERS: _HEADERS},
}
