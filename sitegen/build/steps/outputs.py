"""The last steps: every output file planned, the strict check, and the write.

Nothing is written to the output folder before ``write``; a build that fails before it
leaves the previous site as it was.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.build.context import Mode, Run
from sitegen.content.discover import Discovery
from sitegen.content.markdown import asset_output_name
from sitegen.errors import Problem, SitegenError, display_path
from sitegen.output import Output, OutputPlan, WriteResult, new_staging, update_site, write_site
from sitegen.output_folder import MARKER_FILE, MARKER_TEXT, skipped_folders
from sitegen.publish_journal import publish_changes, remove_leftovers
from sitegen.render.environment import THEME_DIR
from sitegen.render.redirects import redirect_page
from sitegen.urls import output_file

if TYPE_CHECKING:
    from sitegen.build.steps.assemble import Assembled
    from sitegen.build.steps.pages import RenderedPages
    from sitegen.build.steps.search import SearchOutputs
    from sitegen.config import Config


@dataclass(frozen=True)
class PlannedOutputs:
    """Every file of the new site; ``touched``: those a shortcut looked at (the rest are as kept)."""

    files: dict[str, Output]
    touched: set[str] = field(default_factory=set)


def make_staging(run: Run) -> None:
    """Start the folder the new site is built in, unless the build updates a live folder."""
    if run.staging is None and not (run.in_place and run.options.output.is_dir()):
        remove_leftovers(run.options.output)
        run.staging = new_staging(run.options.output)


def plan_outputs(
    run: Run,
    config: Config,
    discovery: Discovery,
    assembled: Assembled,
    pages: RenderedPages,
    generated: Mapping[str, Output],
    search: SearchOutputs,
) -> PlannedOutputs:
    """Every output file with its producer; two producers for one path are an error."""
    kept = run.kept
    if run.mode is not Mode.FULL and kept is not None:
        return _plan_changed_outputs(kept.outputs, pages, generated, search)
    plan = OutputPlan()
    for page in pages.plan.pages:
        relative = output_file(page.url)
        data, staged = pages.rendered.get(relative), pages.staged.get(relative)
        plan.add(relative, Output(origin=page.origin, data=data, staged=staged, reuse=data is None and staged is None))
    for relative, output in [*generated.items(), *search.generated.items()]:
        plan.add(relative, output)
    content_dir = run.options.root / "content"
    linked: set[str] = set()
    for article in assembled.site.articles:
        page_dir = posixpath.dirname(output_file(article.url))
        source_dir = posixpath.dirname(article.path)
        origin = f"{run.shown_prefix}{article.path}"
        for asset in article.assets:
            linked.add(asset)
            name = asset_output_name(posixpath.relpath(asset, source_dir))
            plan.add(posixpath.join(page_dir, name), Output(origin=origin, copy_from=content_dir / asset))
        for old_url in article.redirects:
            redirect = redirect_page(config, old_url, article.url, article.title, offline=run.options.offline)
            plan.add(output_file(old_url), Output(origin=origin, data=redirect))
    for asset in discovery.assets:
        if asset not in linked:
            plan.add(asset, Output(origin=f"{run.shown_prefix}{asset}", copy_from=content_dir / asset))
    skipped = skipped_folders(run.options.root, run.options.output)
    for relative, path in static_files(run.options.root, run.warnings, skipped).items():
        plan.add(relative, Output(origin=display_path(path), copy_from=path))
    plan.add(MARKER_FILE, Output(origin="the output folder's marker", data=MARKER_TEXT))
    if plan.problems:
        raise SitegenError(plan.problems)
    return PlannedOutputs(plan.files)


def _plan_changed_outputs(
    kept: Mapping[str, Output], pages: RenderedPages, generated: Mapping[str, Output], search: SearchOutputs
) -> PlannedOutputs:
    """The kept plan with the files this build made put in.

    No URL changed, so no file can clash with another; only the search index may drop files.
    """
    files, touched = dict(kept), set()
    for relative, data in pages.rendered.items():
        files[relative] = Output(origin=files[relative].origin, data=data)
        touched.add(relative)
    for relative, digest in pages.staged.items():
        files[relative] = Output(origin=files[relative].origin, staged=digest)
        touched.add(relative)
    for relative, output in [*generated.items(), *search.generated.items()]:
        if not (output.reuse and relative in files):
            files[relative] = output
            touched.add(relative)
    for relative in search.dropped:
        files.pop(f"search/{relative}", None)
        touched.add(f"search/{relative}")
    return PlannedOutputs(files, touched)


def static_files(root: Path, warnings: list[Problem], skipped: Collection[Path] = ()) -> dict[str, Path]:
    """The theme's assets under assets/, then the site's static/ folder, which wins.

    A symlink in static/ that leads out of the archive is skipped with a warning, as in
    content/: building an archive must not publish files from elsewhere on the machine.
    The folders in ``skipped`` (resolved: an output folder inside static/) are not entered.
    """
    files: dict[str, Path] = {}
    archive = root.resolve()
    for base, prefix in ((THEME_DIR / "static", "assets/"), (root / "static", "")):
        if not base.is_dir():
            continue
        for folder, dirs, names in os.walk(base):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skipped)
            for name in sorted(names):
                path = here / name
                if name.startswith(".") or (prefix == "" and not _inside(path, archive, warnings)):
                    continue
                if path.is_file():
                    files[prefix + path.relative_to(base).as_posix()] = path
            for name in dirs:
                if prefix == "" and (here / name).is_symlink():
                    _inside(here / name, archive, warnings)  # not followed; said when it leads out
    return dict(sorted(files.items()))


def _inside(path: Path, archive: Path, warnings: list[Problem]) -> bool:
    """Whether ``path`` is no symlink, or one to a place inside the archive."""
    if not path.is_symlink() or path.resolve().is_relative_to(archive):
        return True
    warnings.append(Problem(display_path(path), None, "is a symlink to a place outside the archive; skipped"))
    return False


def check_strict(run: Run) -> None:
    """Under --strict, every warning is an error."""
    if run.options.strict and run.warnings:
        raise SitegenError([Problem(p.path, p.line, f"{p.message} (--strict)") for p in run.warnings])


def write(run: Run, outputs: PlannedOutputs) -> WriteResult:
    """Bring the output folder to ``outputs``: a live folder in place; one the manifest describes
    by moving in the changed files through a journal; any other (or most files changed) by a swap."""
    run.writing = True
    if run.staging is None:
        only = outputs.touched if run.mode is not Mode.FULL else None
        return update_site(run.options.output, outputs.files, run.manifest, only=only)
    out_dir, files = run.options.output, outputs.files
    journaled = publish_changes(out_dir, files, run.manifest, run.staging) if run.cache_is_of_output else None
    result = journaled or write_site(out_dir, files, run.manifest, run.staging)
    run.staging = None  # published or swapped in
    return result
