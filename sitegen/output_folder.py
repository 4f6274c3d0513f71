"""Which folders a build may replace with the site, and the marker that says a folder is ours.

A build swaps a whole new folder in for the output folder, so a wrong ``-o`` would delete
whatever was there. (A rebuild over the folder its cache describes moves in only the files
that changed and leaves alone those no build wrote, but a first build, or one that finds
such a file in its way, replaces the folder whole: the marker is what allows that.) The
folder may be replaced only when it does not exist, is empty, or holds the marker a
previous build wrote. The archive's own folders, and any folder that
contains one of them, the home folder or ``/``, are refused even with ``--force``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

from sitegen.errors import Problem, SitegenError

# Written into every output folder: a later build recognises the folder as its own by it.
MARKER_FILE = ".sitegen-output"
MARKER_TEXT = b"This folder is written by `sitegen build`, which replaces it whole on every build.\n"


def check_output_folder(root: Path, out_dir: Path, *, force: bool = False) -> None:
    """Raise a SitegenError naming ``out_dir`` and why, unless a build may replace it.

    ``force`` overrides only "it holds files sitegen did not write", never the folders
    that must not be replaced.
    """
    shown = out_dir.as_posix()  # as the user named it: display_path would resolve a symlink
    target = out_dir.resolve()  # a symlink to content/ is content/
    protected = _protected(root)
    for folder, what in protected:
        if target == folder:
            _refuse(shown, f"it is {what}")
    for folder, what in protected:
        if folder.is_relative_to(target):
            _refuse(shown, f"it contains {what}")
    if not target.exists():
        return
    if not target.is_dir():
        _refuse(shown, "it is a file, not a folder")
    if is_previous_output(target) or force:
        return
    try:
        empty = not any(os.scandir(target))
    except OSError as error:
        _refuse(shown, f"it cannot be read ({error.strerror})")
    if not empty:
        _refuse(
            shown,
            f"it holds files that sitegen did not write (no {MARKER_FILE} in it); "
            "choose an empty or new folder, or pass --force to replace it (once, for a site built by an older sitegen)",
        )


def is_previous_output(folder: Path) -> bool:
    """Whether ``folder`` holds the marker of a previous build's output."""
    marker = folder / MARKER_FILE
    return marker.is_file() and not marker.is_symlink()


def skipped_folders(root: Path, out_dir: Path) -> frozenset[Path]:
    """Folders that discovery under content/ must not enter: the output and the caches.

    Otherwise ``-o content/out`` would publish the previous site inside the next one.
    """
    return frozenset({out_dir.resolve(), (root / ".sitegen").resolve()})


def _protected(root: Path) -> list[tuple[Path, str]]:
    root = root.resolve()
    folders = [
        (root, "the archive folder (the folder of sitegen.yaml)"),
        (root / "content", "the archive's content/ folder"),
        (root / "templates", "the archive's templates/ folder"),
        (root / "static", "the archive's static/ folder"),
        (root / ".sitegen", "the archive's .sitegen/ cache folder"),
        (Path("/"), "the root folder /"),
    ]
    home = os.environ.get("HOME")
    if home:
        folders.append((Path(home).resolve(), "the home folder"))
    return [(folder.resolve(), what) for folder, what in folders]


def _refuse(shown: str, why: str) -> NoReturn:
    raise SitegenError([Problem(shown, None, f"refusing to replace this output folder: {why}")])
