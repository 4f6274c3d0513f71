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
    return Fingerprinter().digest(value)


class Fingerprinter:
    """Digests values, encoding each frozen dataclass instance only once.

    One build's pages share most of what they show (cards, terms, the config), so a
    fingerprinter kept for the whole build does the work once per object, not once per page.
    The memo keeps the objects alive, so an id is never reused while it is cached.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, str]] = {}

    def digest(self, value: Any) -> str:
        """A digest of ``value``."""
        parts: list[str] = []
        self._encode(value, parts)
        return digest_bytes("\x1f".join(parts).encode("utf-8", "surrogatepass"))

    def _encode(self, value: Any, parts: list[str]) -> None:
        kind = type(value)
        if kind is str:  # the most common value by far: checked first
            parts.append(f"str:{value!r}")
            return
        cached = self._memo.get(id(value))  # pages share cards and terms: most other values are known
        if cached is not None:
            parts.append(cached[1])
        elif isinstance(value, Article):
            parts.append(f"A:{value.url}:{value.digest}")
        elif value is None or isinstance(value, bool | int | float | str):
            parts.append(f"{kind.__name__}:{value!r}")
        elif isinstance(value, datetime | date):
            parts.append(f"T:{value.isoformat()}")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            inner = [f"D:{kind.__qualname__}"]
            for name in _field_names(kind):
                self._encode(getattr(value, name), inner)
            cached = (value, digest_bytes("\x1f".join(inner).encode("utf-8", "surrogatepass")))
            self._memo[id(value)] = cached
            parts.append(cached[1])
        elif isinstance(value, Mapping):
            parts.append(f"M:{len(value)}")
            keys = sorted(value) if all(type(key) is str for key in value) else sorted(value, key=repr)
            for key in keys:
                self._encode(key, parts)
                self._encode(value[key], parts)
        elif isinstance(value, list | tuple | set | frozenset):
            items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
            if all(type(item) is str for item in items):  # common (URLs, names): one part for all
                parts.append(f"S:{len(items)}:" + "\x1e".join(items))
                return
            parts.append(f"L:{len(items)}")
            for item in items:
                self._encode(item, parts)
        elif callable(value):
            # Functions are code: the same name means the same behaviour within one sitegen version.
            parts.append(f"F:{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}")
        else:
            raise TypeError(f"cannot fingerprint {type(value).__name__}")


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:  # once per dataclass: fields() costs more than the lookup
        names = _FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(kind))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
