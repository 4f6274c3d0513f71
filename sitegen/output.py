"""Write the site atomically: build a complete new folder beside the old, then swap.

A failed or interrupted build therefore never touches the previous site. Files whose bytes
did not change are hard-linked from the previous site, so their mtimes stay and deploys
that compare times upload only what changed.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Problem, SitegenError


@dataclass(frozen=True)
class Output:
    """One file of the site: rendered bytes or a file to copy, and what produced it."""

    origin: str
    data: bytes | None = None
    copy_from: Path | None = None


class OutputPlan:
    """Every file of the new site, refusing two producers for one path."""

    def __init__(self) -> None:
        self.files: dict[str, Output] = {}
        self.problems: list[Problem] = []

    def add(self, relative: str, output: Output) -> None:
        """Add a file; a clash or a path leaving the output folder is recorded as a problem."""
        normal = posixpath.normpath(relative)
        if normal.startswith(("../", "/")) or normal in ("..", "."):
            self.problems.append(Problem(output.origin, None, f"would write outside the output folder: {relative}"))
            return
        existing = self.files.get(normal)
        if existing is not None and existing != output:
            self.problems.append(
                Problem(output.origin, None, f"writes {normal}, which {existing.origin} writes too; change one URL")
            )
            return
        self.files[normal] = output


@dataclass(frozen=True)
class WriteStats:
    """What writing the site did."""

    written: int
    unchanged: int


def write_site(out_dir: Path, files: Mapping[str, Output]) -> WriteStats:
    """Write ``files`` into a fresh folder and swap it in place of ``out_dir``."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    written = unchanged = 0
    try:
        for relative in sorted(files):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if _reuse_previous(out_dir / relative, target, files[relative]):
                unchanged += 1
            else:
                _write_one(target, files[relative])
                written += 1
        _swap(staging, out_dir)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SitegenError(f"could not write {out_dir}: {error}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteStats(written=written, unchanged=unchanged)


def _write_one(target: Path, output: Output) -> None:
    if output.copy_from is not None:
        shutil.copyfile(output.copy_from, target)
    else:
        target.write_bytes(output.data or b"")


def _reuse_previous(previous: Path, target: Path, output: Output) -> bool:
    """Hard-link the previous file when its bytes are the ones we would write."""
    try:
        if not previous.is_file() or previous.is_symlink():
            return False
        new = output.data if output.data is not None else (output.copy_from.read_bytes() if output.copy_from else b"")
        if previous.stat().st_size != len(new) or previous.read_bytes() != new:
            return False
        os.link(previous, target)
    except OSError:
        return False
    return True


def _swap(staging: Path, out_dir: Path) -> None:
    """Put the new folder in place; the old one is removed only after the new one is in."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)
