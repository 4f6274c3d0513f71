"""README's "Publish" recipes, as far as this machine can run them: the files ``sitegen init``
writes for GitHub Pages, Netlify and Cloudflare Pages, and which files a rebuild changes."""

from __future__ import annotations

import shlex
import tomllib
from collections.abc import Callable
from pathlib import Path

import yaml
from conftest import Run

SitegenRun = Callable[..., Run]


def _run_build_command(command: str, sitegen: SitegenRun, cwd: Path) -> Run:
    """Run a host's `sitegen build ...` command line as its shell would (variables already filled in)."""
    words = shlex.split(command)
    assert words[:2] == ["sitegen", "build"]
    return sitegen(*words[1:], cwd=cwd)


def test_init_github_pages_writes_a_workflow_that_builds_and_uploads_the_site(
    tmp_path: Path, sitegen: SitegenRun
) -> None:
    run = sitegen("init", "archive", "--github-pages", cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.out == (
        "created archive; build it with: sitegen build archive\ncreated archive/.github/workflows/pages.yml\n"
    )
    root = tmp_path / "archive"
    workflow = yaml.safe_load((root / ".github/workflows/pages.yml").read_text(encoding="utf-8"))

    assert workflow[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}  # YAML 1.1 reads `on` as True
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "",
        "",
        "actions/upload-pages-artifact",
    ]
    install, build = steps[3]["run"], steps[4]["run"]
    assert install.startswith('pip install "sitegen==')
    assert build == 'sitegen build --base-url "${{ steps.pages.outputs.base_url }}/"'
    assert steps[2]["id"] == "pages"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]

    # The build step as the runner runs it, with the address configure-pages gives a project site.
    built = _run_build_command(
        build.replace("${{ steps.pages.outputs.base_url }}", "https://curator.github.io/harbour"), sitegen, root
    )
    assert built.code == 0, built.err
    uploaded = root / steps[5]["with"]["path"]
    assert '<link rel="canonical" href="https://curator.github.io/harbour/">' in (uploaded / "index.html").read_text(
        encoding="utf-8"
    )


def test_init_netlify_writes_its_settings_and_cache_headers(tmp_path: Path, sitegen: SitegenRun) -> None:
    assert sitegen("init", "archive", cwd=tmp_path).code == 0
    root = tmp_path / "archive"
    run = sitegen("init", "archive", "--netlify", cwd=tmp_path)  # into the existing archive
    assert run.code == 0, run.err
    assert run.out == "created archive/netlify.toml\ncreated archive/static/_headers\n"
    settings = tomllib.loads((root / "netlify.toml").read_text(encoding="utf-8"))

    assert settings["build"]["publish"] == "site"
    assert settings["build"]["environment"] == {"PYTHON_VERSION": "3.12"}
    install, build = settings["build"]["command"].split(" && ")
    assert install.startswith('pip install "sitegen==')
    built = _run_build_command(build.replace("$URL", "https://harbour.netlify.app"), sitegen, root)
    assert built.code == 0, built.err
    assert (root / settings["build"]["publish"] / "_headers").read_bytes() == (root / "static/_headers").read_bytes()


def test_the_headers_file_never_lets_a_renamed_file_be_cached_as_immutable(tmp_path: Path, sitegen: SitegenRun) -> None:
    assert sitegen("init", "archive", "--cloudflare", cwd=tmp_path).code == 0
    assert sitegen("build", "archive", cwd=tmp_path).code == 0
    rules = (tmp_path / "archive/site/_headers").read_text(encoding="utf-8").splitlines()

    # Netlify's and Cloudflare's format: a path pattern, then indented `Name: value` lines.
    assert rules == ["/*", "  Cache-Control: public, max-age=0, must-revalidate", "  X-Content-Type-Options: nosniff"]


def test_init_refuses_to_overwrite_a_publishing_file(tmp_path: Path, sitegen: SitegenRun) -> None:
    assert sitegen("init", "archive", cwd=tmp_path).code == 0
    (tmp_path / "archive/netlify.toml").write_text("# mine\n", encoding="utf-8")

    run = sitegen("init", "archive", "--netlify", cwd=tmp_path)

    assert run.code == 1
    assert (
        run.err == "sitegen: archive/netlify.toml already exists; not overwritten (move it away to have it written)\n"
    )
    assert (tmp_path / "archive/netlify.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "archive/static/_headers").exists()


def _stamps(site: Path) -> dict[str, tuple[int, bytes]]:
    return {
        path.relative_to(site).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
        for path in site.rglob("*")
        if path.is_file()
    }


def test_a_rebuild_touches_exactly_the_files_whose_bytes_changed(tmp_path: Path, sitegen: SitegenRun) -> None:
    """What `aws s3 sync` (size and time) and `rsync -a` rely on; `--size-only` would miss these edits."""
    assert sitegen("init", "archive", cwd=tmp_path).code == 0
    root = tmp_path / "archive"
    assert sitegen("new", "Tide tables", "--topics", "Sea", cwd=root).code == 0
    assert sitegen("build", cwd=root).code == 0
    before = _stamps(root / "site")
    article = next((root / "content").rglob("tide-tables.md"))
    article.write_text(article.read_text(encoding="utf-8").replace("in Markdown", "in markdown"), encoding="utf-8")

    assert sitegen("build", cwd=root).code == 0
    after = _stamps(root / "site")

    assert before.keys() == after.keys()
    changed = {name for name in after if after[name][1] != before[name][1]}
    touched = {name for name in after if after[name][0] != before[name][0]}
    assert changed == touched
    assert any(name.endswith("/tide-tables/index.html") for name in changed)
    assert all(len(after[name][1]) == len(before[name][1]) for name in changed)  # same sizes throughout
