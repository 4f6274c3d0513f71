"""Write the site without ever leaving a half-written one.

``write_site`` builds a complete new folder beside the old one and swaps it in, so a failed
or killed build never touches the previous site; files whose bytes did not change are
hard-linked from the previous site, so their mtimes stay and deploys that compare times
upload only what changed. (A rebuild over a folder that its manifest describes is published
by ``publish_journal`` instead, at the cost of the files that changed.) ``update_site``
changes a live folder in place, for the preview server, which holds requests while it runs:
a page rendered by a worker is renamed into place, and bytes made here are written over the
old file.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import posixpath
import secrets
import shutil
import stat
import tempfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.confined import copy_at, is_safe_relative, make_parents, write_at, write_file
from sitegen.errors import Problem, SitegenError
from sitegen.fingerprint import digest_bytes

STAGING_PREFIX = ".sitegen-new-"
RETIRED_PREFIX = ".sitegen-old-"
PENDING_SUFFIX = ".sitegen-tmp"


@dataclass(frozen=True)
class Output:
    """One file of the site: new bytes, a file to copy, or the previous build's file as it is."""

    origin: str
    data: bytes | None = None
    copy_from: Path | None = None
    reuse: bool = False  # the previous file is known to be right
    staged: str | None = None  # digest of bytes a worker already wrote into the staging folder


@dataclass(frozen=True)
class FileRecord:
    """What was written to one output file, to recognise it unchanged later."""

    digest: str
    size: int
    mtime_ns: int


Manifest = dict[str, FileRecord]


class OutputPlan:
    """Every file of the new site, refusing two producers for one path."""

    def __init__(self) -> None:
        self.files: dict[str, Output] = {}
        self.problems: list[Problem] = []

    def add(self, relative: str, output: Output) -> None:
        """Add a file; a clash or a path leaving the output folder is recorded as a problem."""
        normal = posixpath.normpath(relative)
        if not is_safe_relative(normal):
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
class WriteResult:
    """What writing did, and the manifest of the folder as it now is."""

    written: int
    unchanged: int
    removed: int
    manifest: Manifest


def previous_file_intact(out_dir: Path, relative: str, manifest: Mapping[str, FileRecord]) -> bool:
    """Whether the file is still exactly as the last build wrote it (by size and mtime)."""
    record = manifest.get(relative)
    if record is None:
        return False
    try:
        found = os.lstat(f"{out_dir}/{relative}")  # not a Path: a warm build checks every file, and pathlib costs
    except OSError:
        return False
    return found.st_size == record.size and found.st_mtime_ns == record.mtime_ns and stat.S_ISREG(found.st_mode)


def previous_files_intact(out_dir: Path, relatives: Iterable[str], manifest: Mapping[str, FileRecord]) -> bool:
    """Whether every one of the files is still exactly as the last build wrote it (by size and mtime).

    ``previous_file_intact`` for many files at once: a patched search index keeps 50,000
    files of 10,000 articles, and a call per file costs as much as the check itself.
    """
    lstat, get, regular = os.lstat, manifest.get, stat.S_ISREG
    for relative in relatives:
        record = get(relative)
        if record is None:
            return False
        try:
            found = lstat(f"{out_dir}/{relative}")
        except OSError:
            return False
        if found.st_size != record.size or found.st_mtime_ns != record.mtime_ns or not regular(found.st_mode):
            return False
    return True


def read_previous_file(out_dir: Path, relative: str, manifest: Mapping[str, FileRecord]) -> bytes | None:
    """The bytes of a file the last build wrote, if they are still its (by their digest); else None."""
    record = manifest.get(relative)
    if record is None or not is_safe_relative(relative):
        return None
    try:
        descriptor = os.open(f"{out_dir}/{relative}", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with open(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            data = stream.read(record.size + 1)
    except OSError:
        return None
    return data if len(data) == record.size and digest_bytes(data) == record.digest else None


def new_staging(out_dir: Path) -> Path:
    """A fresh, empty folder beside ``out_dir`` to build the next site in.

    Made with mkdir, not mkdtemp, so that it follows the umask (mkdtemp's 0700 would swap in
    a site that a web server running as another user cannot read).
    """
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    while True:
        staging = out_dir.parent / f"{STAGING_PREFIX}{out_dir.name}-{secrets.token_hex(6)}"
        with contextlib.suppress(FileExistsError):
            staging.mkdir()
            return staging


def write_site(
    out_dir: Path, files: Mapping[str, Output], manifest: Mapping[str, FileRecord], staging: Path | None = None
) -> WriteResult:
    """Complete the ``staging`` folder (a fresh one if None) with ``files``; swap it in for ``out_dir``.

    Files marked ``staged`` are already in the staging folder; when their bytes equal the
    previous build's, the previous file replaces them so that its mtime stays.
    """
    out_dir = out_dir.absolute()
    if _already_in_place(out_dir, files, manifest):
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return WriteResult(0, len(files), 0, dict(manifest))
    staging = staging or new_staging(out_dir)
    written = unchanged = 0
    new_manifest: Manifest = {}
    made: set[Path] = set()
    try:
        for relative in sorted(files):
            output = files[relative]
            target = make_parents(staging, relative, made) if output.staged is None else staging / relative
            digest = digest_of(output, relative, manifest)
            if _link_previous(out_dir, relative, digest, manifest, target):
                unchanged += 1
            else:
                if output.staged is None:
                    write_output(target, output)
                written += 1
            new_manifest[relative] = record_of(target, digest)
        _swap(staging, out_dir)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SitegenError(f"could not write {out_dir}: {error}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteResult(written, unchanged, 0, new_manifest)


def _already_in_place(out_dir: Path, files: Mapping[str, Output], manifest: Mapping[str, FileRecord]) -> bool:
    """Whether the site in ``out_dir`` is exactly ``files`` already: then there is nothing to do.

    A rebuild with nothing changed would otherwise link every file into a new folder and
    delete the old one, which on a large site is the most of a warm build's time.
    """
    if files.keys() != manifest.keys() or not out_dir.is_dir():
        return False
    return all(
        digest_of(output, relative, manifest) == manifest[relative].digest
        and previous_file_intact(out_dir, relative, manifest)
        for relative, output in files.items()
    )


def update_site(
    out_dir: Path,
    files: Mapping[str, Output],
    manifest: Mapping[str, FileRecord],
    *,
    only: Collection[str] | None = None,
) -> WriteResult:
    """Bring a live ``out_dir`` to ``files``: write what changed, remove what is gone.

    The live folder belongs to the process updating it (the preview's), so its manifest
    is trusted rather than every file checked on disk. With ``only``, every other file is
    known to be as the manifest says, and only those paths are looked at.
    """
    written = unchanged = removed = 0
    new_manifest: Manifest = {}
    made: set[Path] = set()
    if only is not None:
        new_manifest = dict(manifest)  # copied whole and the few looked-at taken out: far cheaper than filtering
        for relative in only:
            new_manifest.pop(relative, None)
        manifest = {relative: manifest[relative] for relative in only if relative in manifest}
        files = {relative: files[relative] for relative in only if relative in files}
    try:
        for relative in sorted(files):
            target = make_parents(out_dir, relative, made)  # refuses a path leading out, or a symlink on the way
            digest = digest_of(files[relative], relative, manifest)
            record = manifest.get(relative)
            if record is not None and record.digest == digest:
                new_manifest[relative] = record
                unchanged += 1
                continue
            output = files[relative]
            if record is not None and output.data is not None and _overwrite(target, output.data):
                new_manifest[relative] = record_of(target, digest)
                written += 1
                continue
            temporary = pending_file(target)
            if output.staged is None:  # else a worker wrote it there already
                write_output(temporary, output)
            os.replace(temporary, target)
            new_manifest[relative] = record_of(target, digest)
            written += 1
        for relative in sorted(set(manifest) - set(files)):
            if not is_safe_relative(relative):
                continue  # not a file this folder can hold
            with contextlib.suppress(FileNotFoundError):
                (out_dir / relative).unlink()
                removed += 1
            _remove_empty_parents(out_dir, relative)
    except OSError as error:
        raise SitegenError(f"could not write {out_dir}: {error}") from None
    return WriteResult(written, unchanged, removed, new_manifest)


def _overwrite(target: Path, data: bytes) -> bool:
    """Write ``data`` over the file ``target`` in its own blocks; False if it must be replaced instead.

    On ext4 a file renamed over another, or truncated to nothing, is flushed at once (its
    "auto_da_alloc" guard), which made each changed search shard cost milliseconds; writing
    over the old bytes and cutting the rest costs a tenth of that. Only a file with one link
    is written over: a hard link shared with another tree must keep its bytes.
    """
    try:
        descriptor = os.open(target, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        if os.fstat(descriptor).st_nlink != 1:
            return False
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.ftruncate(descriptor, len(data))
    finally:
        os.close(descriptor)
    return True


def write_new_files(folder: Path, files: Mapping[str, bytes], made: set[Path]) -> dict[str, str]:
    """Write ``files`` (paths under ``folder``) into a folder being built; their digests.

    ``made`` holds the folders known to exist, and gains those made here: a mkdir per
    file costs more than a set lookup, and a worker writes thousands.
    """
    digests: dict[str, str] = {}
    for relative, data in files.items():
        write_file(folder, relative, data, made)  # checked: never outside ``folder``, never through a symlink
        digests[relative] = digest_bytes(data)
    return digests


def pending_file(target: Path) -> Path:
    """Where a live folder's file is written before it is renamed into place."""
    return target.with_name(f".{target.name}{PENDING_SUFFIX}")


def remove_pending(out_dir: Path) -> None:
    """Remove files written for a live folder by a build that then failed."""
    for path in out_dir.rglob(f"*{PENDING_SUFFIX}"):
        path.unlink(missing_ok=True)


def digest_of(output: Output, relative: str, manifest: Mapping[str, FileRecord]) -> str:
    """The digest of the bytes ``output`` puts at ``relative``."""
    if output.staged is not None:
        return output.staged
    if output.reuse:
        return manifest[relative].digest
    if output.data is not None:
        return digest_bytes(output.data)
    assert output.copy_from is not None
    return digest_bytes(output.copy_from.read_bytes())


def _link_previous(out_dir: Path, relative: str, digest: str, manifest: Mapping[str, FileRecord], target: Path) -> bool:
    """Hard-link the previous file when it holds the bytes we would write."""
    record = manifest.get(relative)
    if record is None or record.digest != digest or not previous_file_intact(out_dir, relative, manifest):
        return False
    linked = target.with_name(f".{target.name}.sitegen-link")
    try:
        os.link(out_dir / relative, linked, follow_symlinks=False)
        os.replace(linked, target)  # over a file a worker staged, if there is one
    except OSError:
        linked.unlink(missing_ok=True)
        return False
    return True


def write_output(target: Path, output: Output) -> None:
    """Write the bytes of ``output`` (not a reused one) to ``target``, whose folder is known to be safe."""
    if output.copy_from is not None:
        copy_at(output.copy_from, target)
    elif output.data is not None:
        write_at(target, output.data)
    else:
        raise SitegenError(f"{target}: the previous build's copy is missing")


def record_of(path: Path, digest: str) -> FileRecord:
    """The manifest record of the file at ``path``, whose bytes have ``digest``."""
    stat = path.stat()
    return FileRecord(digest=digest, size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def _remove_empty_parents(out_dir: Path, relative: str) -> None:
    parent = (out_dir / relative).parent
    while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def _swap(staging: Path, out_dir: Path) -> None:
    """Put the new folder in place; the old one is removed only after the new one is in.

    On Linux the two folders trade places in one atomic step (renameat2 with
    RENAME_EXCHANGE), so there is no moment without a site, even for a build killed there.
    Elsewhere the old folder steps aside first, and the next build restores it if a kill
    fell between the two renames.
    """
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # it holds the old site now
        return
    retired = Path(tempfile.mkdtemp(prefix=f"{RETIRED_PREFIX}{out_dir.name}-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return bool(result == 0)
