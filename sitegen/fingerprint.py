"""Stable digests of data, so a build can tell what changed since the previous one.

A page's fingerprint covers everything its template sees. Articles count by their source
digest rather than by their (large) rendered text, which keeps fingerprinting far cheaper
than rendering.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sitegen.model import Article


def digest_bytes(data: bytes) -> str:
    """A short, collision-resistant digest of bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(value: Any) -> str:
    """A digest of ``value`` that is equal for equal data, in any process."""
    parts: list[str] = []
    _encode(value, parts)
    return digest_bytes("\x1f".join(parts).encode("utf-8", "surrogatepass"))


def _encode(value: Any, parts: list[str]) -> None:
    if isinstance(value, Article):
        parts.append(f"A:{value.url}:{value.digest}")
    elif value is None or isinstance(value, bool | int | float | str):
        parts.append(f"{type(value).__name__}:{value!r}")
    elif isinstance(value, datetime | date):
        parts.append(f"T:{value.isoformat()}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts.append(f"D:{type(value).__qualname__}")
        for field in dataclasses.fields(value):
            _encode(getattr(value, field.name), parts)
    elif isinstance(value, Mapping):
        parts.append(f"M:{len(value)}")
        for key in sorted(value, key=repr):
            _encode(key, parts)
            _encode(value[key], parts)
    elif isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        parts.append(f"L:{len(items)}")
        for item in items:
            _encode(item, parts)
    elif callable(value):
        # Functions are code: the same name means the same behaviour within one sitegen version.
        parts.append(f"F:{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}")
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}")
