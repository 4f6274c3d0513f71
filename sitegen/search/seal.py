"""A seal on the whoosh index, so that only an index this user's sitegen wrote is ever opened.

whoosh unpickles its table of contents and stored fields, so opening a planted index (in
an archive handed over as a zip, or a repository with ``.sitegen/`` committed) would run
its code. After every update the index's files are sealed with a keyed BLAKE2b digest; the
key is a per-user secret kept outside every archive, in ``$XDG_CACHE_HOME/sitegen/``. An
index whose seal does not match is never opened: it is deleted and rebuilt from the search
cache, which holds only data.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SEAL_FILE = "sitegen-seal"
KEY_FILE = "index-key"
_KEY_BYTES = 32
_READ_SIZE = 1 << 20


def key_file() -> Path:
    """Where this user's index key lives: ``$XDG_CACHE_HOME/sitegen/index-key``."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "sitegen" / KEY_FILE


def index_key() -> bytes:
    """This user's key, made on first use (mode 0600); OSError when it can be neither read nor made."""
    path = key_file()
    try:
        key = path.read_bytes()
        if len(key) == _KEY_BYTES:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(_KEY_BYTES)
    temporary = path.with_name(f".{KEY_FILE}.{secrets.token_hex(6)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(key)
    os.replace(temporary, path)  # a short or damaged key file is replaced whole
    return key


def seal_index(folder: Path, key: bytes) -> None:
    """Seal the files of the index in ``folder`` as they now are."""
    (folder / SEAL_FILE).write_text(_digest(folder, key), encoding="ascii")


def is_sealed(folder: Path, key: bytes) -> bool:
    """Whether ``folder`` holds exactly the files that were sealed with ``key``."""
    try:
        seal = (folder / SEAL_FILE).read_text(encoding="ascii")
        return hmac.compare_digest(seal, _digest(folder, key))
    except (OSError, UnicodeDecodeError):
        return False


def _digest(folder: Path, key: bytes) -> str:
    """A keyed digest of every file's name and bytes; anything else (a folder, a link) fails it."""
    digest = hashlib.blake2b(key=key, digest_size=32)
    for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
        if entry.name == SEAL_FILE:
            continue
        if not entry.is_file(follow_symlinks=False):
            raise OSError(f"{entry.path} is not a plain file")
        name = entry.name.encode("utf-8", "surrogateescape")
        digest.update(len(name).to_bytes(8, "big") + name)
        with open(entry.path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            digest.update(size.to_bytes(8, "big"))
            while chunk := stream.read(_READ_SIZE):
                digest.update(chunk)
    return digest.hexdigest()
