"""Publish a rebuild by moving only its changed files into the output folder, all or nothing.

The full swap (``output.write_site``) costs every file of the site: each unchanged one is
hard-linked into a new folder and the old folder deleted, 20 s for 100,000 files. When the
build cache's manifest describes the output folder, a rebuild publishes with a journal:

1. the new and changed files are written into a side folder beside the output folder
   (``.sitegen-journal-<name>-<random>``: the same filesystem, so moving a file is a rename);
2. the journal (``<side folder>.journal``) is committed: every file to move in and every file
   to remove, with a SHA-256 of that list, written under a temporary name and renamed, so it
   exists whole or not at all;
3. it is applied: the removals first (files of the previous manifest only), then each file
   renamed over its place, the folders the removals emptied removed, then the side folder
   and the journal deleted.

A build killed before step 2 leaves a side folder without a journal: the next build deletes
it (rolled back; the site is the old one). Killed after, the next build finishes the journal
before it does anything else (rolled forward; the site is the new one). Applying is
idempotent: a file already moved is gone from the side folder, a file already removed is gone.
A journal that is damaged, or names a path outside the folder or through a symlink, is not
applied: it is discarded with a warning, and the build that found it rewrites every file
that differs from its manifest (a file moved in has a new size and mtime, so none is missed).
A kill after the journal is applied but before the build cache is saved leaves the same
situation: the next build reads the older manifest, rewrites what differs from it, and
swaps in a whole folder if a file it never recorded is in its way (see ``_changes``).

Workers and the search index's child write into the staging folder as for a swap; at the
write step it is renamed to the side folder. What is guarded against is a killed process,
as for the swap: nothing is flushed to disk (fsync) for a power cut.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.confined import is_safe_relative, make_parents, parents_are_folders, remove_file
from sitegen.errors import Problem, SitegenError, display_path
from sitegen.output import (
    RETIRED_PREFIX,
    STAGING_PREFIX,
    FileRecord,
    Manifest,
    Output,
    WriteResult,
    digest_of,
    previous_file_intact,
    record_of,
    write_output,
)

JOURNAL_PREFIX = ".sitegen-journal-"
JOURNAL_SUFFIX = ".journal"
_PENDING_SUFFIX = ".tmp"  # a journal being written, not yet committed
_MAGIC = b"sitegen publish journal\n"
_VERSION = 1
_CHECKSUM = re.compile(rb"sha256 ([0-9a-f]{64})\n")


@dataclass(frozen=True)
class Journal:
    """What publishing one build does to the output folder: files moved in, files removed."""

    replace: tuple[str, ...]
    remove: tuple[str, ...]


class JournalError(Exception):
    """A journal file is not one this version of sitegen committed."""


def publish_changes(
    out_dir: Path, files: Mapping[str, Output], manifest: Mapping[str, FileRecord], staging: Path
) -> WriteResult | None:
    """Publish ``files`` over ``out_dir``, which ``manifest`` describes, moving in only what changed.

    ``staging`` holds what workers staged (``Output.staged``); it becomes the side folder, and
    the other changed files are written into it. Files whose bytes equal the previous build's,
    and are intact on disk, are not touched: their mtimes stay. None, with nothing done, when
    ``_changes`` says the full swap (``output.write_site``) should be used instead.
    """
    out_dir = out_dir.absolute()
    changes = _changes(out_dir, files, manifest)
    if changes is None:
        return None
    if not changes.replace and not changes.remove:  # the site is this build's already
        shutil.rmtree(staging, ignore_errors=True)
        return WriteResult(0, len(files), 0, dict(manifest))
    side = new_side_folder(out_dir)
    journal = Journal(replace=tuple(sorted(changes.replace)), remove=tuple(changes.remove))
    made: set[Path] = set()
    try:
        staging.rename(side)  # what workers staged is in it already
        for relative in journal.replace:
            output = files[relative]
            if output.staged is None:
                write_output(make_parents(side, relative, made), output)
        commit_journal(side, journal)
    except BaseException as error:
        if not is_committed(side):  # else the publish stands: finished here or by the next build
            shutil.rmtree(staging if staging.exists() else side, ignore_errors=True)
        if isinstance(error, OSError):
            raise SitegenError(f"could not write {out_dir}: {error}") from None
        raise
    try:
        removed = apply_journal(out_dir, side, journal)
    except OSError as error:
        raise SitegenError(f"could not write {out_dir}: {error}; the next build finishes the update") from None
    finish(side)
    new_manifest: Manifest = dict(manifest)  # copied whole and changed in a few places: far cheaper than rebuilt
    for relative in changes.remove:
        del new_manifest[relative]
    for relative, digest in changes.replace.items():
        new_manifest[relative] = record_of(out_dir / relative, digest)
    return WriteResult(len(changes.replace), len(files) - len(changes.replace), removed, new_manifest)


@dataclass(frozen=True)
class _Changes:
    """What publishing a build changes in the output folder: new bytes by path, paths removed."""

    replace: dict[str, str]  # path -> digest of its new bytes
    remove: list[str]


def _changes(out_dir: Path, files: Mapping[str, Output], manifest: Mapping[str, FileRecord]) -> _Changes | None:
    """The files a journal would move in and remove, or None when the full swap should be used.

    The swap is used when more than half the files change: it then costs about as much (few
    links; deleting the old tree costs what renaming over it does: 20,000 changed files took
    30 s against 21 s on a busy disk) and the site changes in one step, not file by file for
    those seconds. And when a path to write holds anything but the previous build's own file (a
    file not in the manifest, a folder, a symlink), or a symlink lies on the way: the journal
    never deletes nor overwrites what no build wrote (files a user added are left as they
    are), while the swap replaces the folder whole, as its marker allows (``output_folder``).
    That also sets right a build killed between publishing and saving its cache: the files it
    added are not in the manifest the next build reads, which then swaps in a whole new folder.
    """
    if not out_dir.is_dir() or out_dir.is_symlink():
        return None
    replace: dict[str, str] = {}
    for relative, output in files.items():
        record = manifest.get(relative)
        if output.reuse and output.staged is None and record is not None:
            continue  # this build found the previous file intact
        digest = digest_of(output, relative, manifest)
        if record is None or record.digest != digest or not previous_file_intact(out_dir, relative, manifest):
            replace[relative] = digest
    remove = sorted(manifest.keys() - files.keys())
    if 2 * (len(replace) + len(remove)) > len(files):
        return None
    removed, folders = set(remove), dict[str, bool]()
    if not all(_may_place(out_dir, relative, manifest, removed, folders) for relative in replace):
        return None
    checked: set[Path] = set()
    try:
        for relative in remove:
            parents_are_folders(out_dir, relative, checked)
    except SitegenError:
        return None  # a symlink on the way
    return _Changes(replace, remove)


def _may_place(
    out_dir: Path, relative: str, manifest: Mapping[str, FileRecord], removed: set[str], folders: dict[str, bool]
) -> bool:
    """Whether a file may be renamed to ``relative``: only the previous build's file in its place,
    and on its way only real folders or files this publish removes (``folders`` caches the answers)."""
    parts = relative.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if folder not in folders:
            try:
                mode = os.lstat(f"{out_dir}/{folder}").st_mode
            except (FileNotFoundError, NotADirectoryError):
                return True  # made afresh from here on
            folders[folder] = stat.S_ISDIR(mode) or (stat.S_ISREG(mode) and folder in removed)
        if not folders[folder]:
            return False
    try:
        mode = os.lstat(f"{out_dir}/{relative}").st_mode
    except (FileNotFoundError, NotADirectoryError):
        return True
    return stat.S_ISREG(mode) and relative in manifest


def encode_journal(journal: Journal) -> bytes:
    """The journal file's bytes: a magic line, the SHA-256 of the JSON body, the body."""
    body = json.dumps({"version": _VERSION, "replace": list(journal.replace), "remove": list(journal.remove)}).encode()
    return _MAGIC + b"sha256 " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def decode_journal(data: bytes) -> Journal:
    """The journal in ``data``; a JournalError saying why when it is not one sitegen committed."""
    if not data.startswith(_MAGIC):
        raise JournalError("it is not a sitegen publish journal")
    match = _CHECKSUM.match(data, len(_MAGIC))
    if match is None:
        raise JournalError("its checksum line is missing")
    body = data[match.end() :]
    if hashlib.sha256(body).hexdigest().encode() != match.group(1):
        raise JournalError("its checksum does not match its contents (the file is damaged)")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise JournalError("it is not valid JSON") from None
    if not isinstance(document, dict) or document.get("version") != _VERSION:
        raise JournalError("it was written by another version of sitegen")
    return Journal(replace=_paths(document.get("replace")), remove=_paths(document.get("remove")))


def _paths(value: object) -> tuple[str, ...]:
    """A journal's list of paths, each checked to stay inside the output folder."""
    if not isinstance(value, list) or not all(isinstance(path, str) for path in value):
        raise JournalError("its lists of files are not lists of paths")
    for path in value:
        if not is_safe_relative(path):
            raise JournalError(f"it names a path outside the output folder: {path!r}")
    return tuple(value)


def new_side_folder(out_dir: Path) -> Path:
    """A fresh, unused name beside ``out_dir`` for the side folder of one publish."""
    while True:
        side = out_dir.parent / f"{JOURNAL_PREFIX}{out_dir.name}-{secrets.token_hex(6)}"
        if not os.path.lexists(side) and not os.path.lexists(journal_file(side)):
            return side


def journal_file(side: Path) -> Path:
    """Where the journal of the side folder ``side`` is committed."""
    return side.with_name(side.name + JOURNAL_SUFFIX)


def commit_journal(side: Path, journal: Journal) -> None:
    """Write the journal of ``side`` under a temporary name and rename it: the commit.

    From the rename on, the publish happens: this build applies it, or the next one does.
    """
    final = journal_file(side)
    pending = final.with_name(final.name + _PENDING_SUFFIX)
    try:
        descriptor = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(encode_journal(journal))
        os.replace(pending, final)
    except BaseException:
        pending.unlink(missing_ok=True)
        raise


def is_committed(side: Path) -> bool:
    """Whether the journal of ``side`` was committed (and not yet finished)."""
    return journal_file(side).is_file()


def apply_journal(out_dir: Path, side: Path, journal: Journal) -> int:
    """Make ``out_dir`` what ``journal`` says, moving files in from ``side``; how many it removed.

    Idempotent, so a build killed while applying is finished by the next one. Raises a
    SitegenError for a path through a symlink, in either folder, or a file to move in that is
    not a plain file; an OSError when the folder cannot be changed.
    """
    checked: set[Path] = set()
    removed = sum(remove_file(out_dir, relative, checked) for relative in journal.remove)
    _remove_empty_folders(checked)
    made: set[Path] = set()
    sources: set[Path] = set()
    for relative in journal.replace:
        source = side / relative
        if not parents_are_folders(side, relative, sources):
            continue  # its folder is gone: moved in by an earlier run
        try:
            mode = os.lstat(source).st_mode
        except FileNotFoundError:
            continue  # moved in by an earlier run
        if not stat.S_ISREG(mode):
            raise SitegenError(f"refusing to publish {source}: it is not a plain file")
        os.replace(source, make_parents(out_dir, relative, made))  # refuses a symlink on the way
    return removed


def finish(side: Path) -> None:
    """Delete the side folder of an applied journal, then the journal: the publish is over."""
    shutil.rmtree(side, ignore_errors=True)  # what is left: copies of files that did not change
    journal_file(side).unlink(missing_ok=True)


def remove_leftovers(out_dir: Path) -> list[Problem]:
    """Clean up after a killed build, before anything reads the output folder: restore the
    previous site if the kill fell mid-swap, finish a committed journal, discard the rest.

    Warnings for the journals that could not be applied (see ``recover_journals``).
    """
    out_dir = out_dir.absolute()
    parent = out_dir.parent
    if not parent.is_dir():
        return []
    retired = sorted(parent.glob(f"{RETIRED_PREFIX}{out_dir.name}-*"), key=lambda path: path.stat().st_mtime)
    if retired and not out_dir.exists():
        retired[-1].rename(out_dir)
    for prefix in (STAGING_PREFIX, RETIRED_PREFIX):
        for leftover in parent.glob(f"{prefix}{out_dir.name}-*"):
            shutil.rmtree(leftover, ignore_errors=True)
    return recover_journals(out_dir)


def recover_journals(out_dir: Path) -> list[Problem]:
    """Finish the publish a killed build committed; delete the side folders of those it did not.

    Returns a warning for each journal that could not be applied (damaged, or naming a path
    outside the folder or through a symlink): it is discarded, and the build rewrites every
    file that differs from its manifest. An OSError while applying a journal is raised as a
    SitegenError, and the journal kept for the next build.
    """
    out_dir = out_dir.absolute()
    prefix = f"{JOURNAL_PREFIX}{out_dir.name}-"
    warnings: list[Problem] = []
    for journal in _leftovers(out_dir.parent, prefix):
        if journal.name.endswith(JOURNAL_SUFFIX):
            warnings.extend(_roll_forward(out_dir, journal.with_name(journal.name[: -len(JOURNAL_SUFFIX)])))
    for leftover in _leftovers(out_dir.parent, prefix):  # side folders never committed, half-written journals
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return warnings


def _roll_forward(out_dir: Path, side: Path) -> list[Problem]:
    path = journal_file(side)
    try:
        journal = decode_journal(path.read_bytes())
        if not out_dir.is_dir() or out_dir.is_symlink():
            raise JournalError(f"{display_path(out_dir)} is not a folder any more")
        apply_journal(out_dir, side, journal)
    except (JournalError, SitegenError) as error:
        finish(side)
        reason = str(error) if isinstance(error, JournalError) else "; ".join(p.message for p in error.problems)
        shown = display_path(out_dir)
        return [Problem(display_path(path), None, f"discarded an unfinished update of {shown}: {reason}; rewriting it")]
    except OSError as error:
        raise SitegenError(
            f"could not finish the update of {display_path(out_dir)} that a stopped build began: {error}"
        ) from None
    finish(side)
    return []


def _leftovers(parent: Path, prefix: str) -> list[Path]:
    try:
        names = os.listdir(parent)  # not a glob: the folder's name may hold '[' or '*'
    except OSError:
        return []
    return [parent / name for name in sorted(names) if name.startswith(prefix)]


def _remove_empty_folders(folders: Iterable[Path]) -> None:
    """Remove those of ``folders`` (each checked to be a real folder) that are empty now, deepest first."""
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty, or gone
            os.rmdir(folder)
