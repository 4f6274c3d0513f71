"""Writing files that cannot land outside the folder they are meant for.

Every output path is checked before any file is opened: it must be relative, without
``..`` or ``.`` parts, and every folder on the way must be a real folder, not a symlink
(one planted in a live output folder would otherwise lead a write anywhere). The file
itself is opened with O_NOFOLLOW, so a symlink in its place is refused too. Files are
created mode 0666 and folders 0777, less the umask, like any other tool's.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from sitegen.errors import SitegenError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def is_safe_relative(relative: str) -> bool:
    """Whether ``relative`` names a file strictly inside a folder: no '..', '.', empty or absolute parts."""
    if not relative or relative.startswith("/") or "\x00" in relative or "\\" in relative:
        return False
    return all(part not in ("", ".", "..") for part in relative.split("/"))


def check_relative(relative: str) -> None:
    """Raise a SitegenError unless ``relative`` stays inside its folder."""
    if not is_safe_relative(relative):
        raise SitegenError(f"refusing to write outside the output folder: {relative!r}")


def make_parents(folder: Path, relative: str, made: set[Path]) -> Path:
    """Make the folders of ``relative`` under ``folder``, each a real folder; the file's path.

    ``made`` holds the folders known to be real (they were made or checked here), so a
    worker writing thousands of files checks each folder once.
    """
    check_relative(relative)
    if folder not in made:  # the folder itself is the caller's, and trusted
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)
    target = folder / relative
    parent = target.parent
    if parent in made or parent == folder:
        return target
    missing: list[Path] = []
    while parent != folder and parent not in made:
        missing.append(parent)
        parent = parent.parent
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(path).st_mode):  # a symlink, or a file
                raise SitegenError(f"refusing to write through {path}: it is not a folder (a symlink?)") from None
        made.add(path)
    return target


def write_file(folder: Path, relative: str, data: bytes, made: set[Path]) -> Path:
    """Write ``data`` to ``folder/relative`` (checked, and never through a symlink); its path."""
    target = make_parents(folder, relative, made)
    write_at(target, data)
    return target


def _open_new(target: Path) -> int:
    """Open ``target`` for writing, never through a symlink (O_NOFOLLOW); its descriptor."""
    try:
        return os.open(target, _CREATE, 0o666)
    except OSError as error:
        if os.path.islink(target):
            raise SitegenError(f"refusing to write through {target}: it is a symlink") from None
        raise error


def write_at(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target``, whose folder is known to be safe; a symlink there is refused."""
    with os.fdopen(_open_new(target), "wb") as stream:
        stream.write(data)


def copy_at(source: Path, target: Path) -> None:
    """Copy the file ``source`` to ``target`` (as ``write_at`` writes)."""
    with source.open("rb") as reading, os.fdopen(_open_new(target), "wb") as writing:
        shutil.copyfileobj(reading, writing, 1 << 20)


def parents_are_folders(folder: Path, relative: str, checked: set[Path]) -> bool:
    """Whether every folder of ``relative`` under ``folder`` exists and is a real folder.

    False when one is missing or is a file; a symlink on the way raises a SitegenError, for
    nothing is ever done through one. ``checked`` holds the folders known to be real.
    """
    check_relative(relative)
    parent = (folder / relative).parent
    missing: list[Path] = []
    while parent != folder and parent not in checked:
        missing.append(parent)
        parent = parent.parent
    for path in reversed(missing):
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return False
        if stat.S_ISLNK(mode):
            raise SitegenError(f"refusing to write through {path}: it is a symlink")
        if not stat.S_ISDIR(mode):
            return False
        checked.add(path)
    return True


def remove_file(folder: Path, relative: str, checked: set[Path]) -> bool:
    """Remove the file ``folder/relative`` (a symlink there is removed, never followed); whether one was.

    A folder in its place is left as it is, and so is anything behind a missing folder or a file.
    """
    if not parents_are_folders(folder, relative, checked):
        return False
    target = folder / relative
    try:
        if stat.S_ISDIR(os.lstat(target).st_mode):
            return False
        os.unlink(target)
    except FileNotFoundError:
        return False
    return True
