"""Spread pure, CPU-bound work over the machine's cores with forked worker processes.

Forking after the work is planned lets each worker inherit the planned data instead of
receiving it pickled, so only the results cross between processes. Where fork is not
available, or the work is small, it runs in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_FOR_WORKERS = 200  # below this, starting processes costs more than it saves
CHUNK = 64
DEFERRING_NICENESS = 5  # how far a deferring worker lowers its priority (see fork_map)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system before forking.

    A child's resident size counts every page it inherits, and glibc keeps the pages freed
    by earlier steps (the load workers' pickled results, say) until told otherwise.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection meanwhile, for a step that makes objects by the million, none of
    them garbage: each full collection it sets off walks every object the build holds, so
    at 100,000 articles they cost half of unpickling the cache or of planning the pages."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def children_spare_inherited_objects() -> Iterator[None]:
    """Fork children meanwhile without their garbage collector ever walking what they inherit.

    A full collection in a child writes to the header of every object it tracks: it would
    copy every page of the build's data that the child shares with this process (gigabytes
    at 100,000 articles), and walk millions of objects that are no child's garbage. Frozen
    objects are not collected; they are unfrozen here once the children are started.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
    defer: bool = False,
    on_done: Callable[[int], None] | None = None,
) -> list[Result]:
    """``function`` over chunks of ``items``, in ``workers`` processes set up by ``initializer``.

    With ``defer``, the worker processes run at a lower priority, so that a process on the
    build's critical path (the search index's child, the last step to finish) keeps a core.
    ``on_done`` is told, in this process, how many items each chunk held as its result arrives.
    """
    chunks = chunked(items)
    if workers <= 1 or len(items) < MIN_ITEMS_FOR_WORKERS or "fork" not in multiprocessing.get_all_start_methods():
        initializer(*initargs)
        return list(_reporting(map(function, chunks), chunks, on_done))
    release_free_memory()
    if defer:
        initializer, initargs = _deferring, (initializer, *initargs)
    with children_spare_inherited_objects():
        pool = multiprocessing.get_context("fork").Pool(min(workers, len(chunks)), initializer, initargs)
    with pool:
        # imap hands results back in order as they come, where map would wait for the last.
        return list(_reporting(pool.imap(function, chunks, chunksize=1), chunks, on_done))


def _reporting(
    results: Iterator[Result], chunks: Sequence[Sequence[Item]], on_done: Callable[[int], None] | None
) -> Iterator[Result]:
    """The results as they come, telling ``on_done`` the size of each one's chunk."""
    for result, chunk in zip(results, chunks, strict=True):
        if on_done is not None:
            on_done(len(chunk))
        yield result


def _deferring(initializer: Callable[..., None], *initargs: Any) -> None:
    os.nice(DEFERRING_NICENESS)
    initializer(*initargs)


class Background(Generic[Result]):
    """``function(*args)`` computed in a forked child while this process goes on.

    The child inherits everything (nothing is pickled on the way in); only the return value,
    or the exception raised, comes back. Without fork, or when ``inline`` is set, the call
    runs at once in this process.
    """

    def __init__(self, function: Callable[..., Result], *args: Any, inline: bool = False) -> None:
        self._process: Any = None
        if inline or "fork" not in multiprocessing.get_all_start_methods():
            self._outcome = _outcome(function, args)
            return
        release_free_memory()
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_outcome, args=(send, function, args), daemon=True)
        with children_spare_inherited_objects():
            self._process.start()
        send.close()

    @property
    def running(self) -> bool:
        """Whether a child computes the value (rather than it being known already)."""
        return self._process is not None

    def result(self) -> Result:
        """Wait for the value, or raise what the call raised."""
        if self._process is not None:
            try:
                self._outcome = self._receive.recv()
            except EOFError:
                self._outcome = (False, RuntimeError(f"a worker process died (exit {self._process.exitcode})"))
            finally:
                self._receive.close()
                self._process.join()
                self._process = None
        done, value = self._outcome
        if not done:
            raise value
        result: Result = value  # a child's return value comes back through a pipe untyped
        return result

    def cancel(self) -> None:
        """Stop the child, if it still runs; its result is lost."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None
            self._outcome = (False, RuntimeError("cancelled"))


def _outcome(function: Callable[..., Result], args: tuple[Any, ...]) -> tuple[bool, Any]:
    try:
        return True, function(*args)
    except Exception as error:  # handed to the caller, who raises it
        return False, error


def _send_outcome(send: Any, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    outcome = _outcome(function, args)
    try:
        send.send(outcome)
    except Exception as error:  # the value or the exception would not pickle
        send.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
    send.close()


def settle_after_rebuild(*, full: bool) -> None:
    """Leave what a long-lived builder keeps out of the collector's full passes.

    What a build keeps (pages, search postings: millions of objects) lives until the next
    one replaces it; freezing it keeps those passes from costing a second in the middle of
    a 100 ms rebuild. A ``full`` rebuild collects first, so no cycle stays frozen for long;
    the shortcuts make little garbage (a template edit renders on workers), and a full
    collection costs 1-2 s at 10,000 articles.
    """
    if full:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
