"""Spread pure, CPU-bound work over the machine's cores with forked worker processes.

Forking after the work is planned lets each worker inherit the planned data instead of
receiving it pickled, so only the results cross between processes. Where fork is not
available, or the work is small, it runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_FOR_WORKERS = 200  # below this, starting processes costs more than it saves
CHUNK = 64


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunked(items: Sequence[Item], size: int = CHUNK) -> list[Sequence[Item]]:
    """Consecutive slices of at most ``size`` items."""
    return [items[start : start + size] for start in range(0, len(items), size)]


def fork_map(
    function: Callable[[Sequence[Item]], Result],
    items: Sequence[Item],
    *,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    workers: int,
) -> list[Result]:
    """``function`` over chunks of ``items``, in ``workers`` processes set up by ``initializer``."""
    chunks = chunked(items)
    if workers <= 1 or len(items) < MIN_ITEMS_FOR_WORKERS or "fork" not in multiprocessing.get_all_start_methods():
        initializer(*initargs)
        return [function(chunk) for chunk in chunks]
    with multiprocessing.get_context("fork").Pool(min(workers, len(chunks)), initializer, initargs) as pool:
        return pool.map(function, chunks, chunksize=1)
