"""How long work shows it is alive: live bars on a terminal, plain lines on a pipe or in CI.

Used by the CLI alone (with cli.py, the only module that writes to the terminal). Both
displays take the same events: a step starts, its items advance (``done`` of ``total``),
it finishes after so many seconds. A quick run shows nothing: the summary line says it all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import TaskID

SHOW_AFTER_SECONDS = 2.0  # a run shorter than this prints no progress at all
KEEP_STEP_SECONDS = 0.5  # on a terminal, a step without counts keeps its line only if it took this long
PLAIN_MARKS = (25, 50, 75)  # on a pipe, a counted step prints a line as it passes each of these percentages


class PlainProgress:
    """Progress as plain lines, for a pipe or a CI log: one when each step ends, with counts
    where the step has them, and a line at each quarter of a long counted step.

    Nothing is printed until the run has lasted ``after`` seconds; the steps that ended
    before then are printed at that point, so a long run's log still lists every step.
    """

    def __init__(
        self, stream: TextIO, *, after: float = SHOW_AFTER_SECONDS, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.stream = stream
        self.after = after
        self.clock = clock
        self.started_at = clock()
        self.pending: list[str] = []
        self.counts: dict[str, tuple[int, int]] = {}
        self.marks: dict[str, int] = {}

    def started(self, step: str) -> None:
        """A step begins (a plain log says nothing until it ends)."""

    def advanced(self, step: str, done: int, total: int) -> None:
        """``done`` of the step's ``total`` items are finished."""
        self.counts[step] = (done, total)
        if total <= 0 or not self._showing():
            return
        percent = done * 100 // total
        passed = [mark for mark in PLAIN_MARKS if mark <= percent and mark > self.marks.get(step, 0)]
        if passed and done < total:
            self.marks[step] = passed[-1]
            self._print(f"  {step}: {done:,}/{total:,}")

    def finished(self, step: str, seconds: float) -> None:
        """The step ended after ``seconds``."""
        done, total = self.counts.pop(step, (0, 0))
        counted = f"{done:,}/{total:,} in " if total else ""
        self._print(f"  {step}: {counted}{seconds:.2f} s")

    def _showing(self) -> bool:
        return self.clock() - self.started_at >= self.after

    def _print(self, line: str) -> None:
        self.pending.append(line)
        if self._showing():
            print("\n".join(self.pending), file=self.stream, flush=True)
            self.pending.clear()


class TerminalProgress:
    """Progress on a terminal with rich: the running step as a live row (spinner, bar, counts,
    time), and each step that ended printed above it as the plain display words it.

    Only the running step is redrawn (a quarter of a millisecond of CPU per refresh), and a
    run shorter than ``after`` seconds leaves nothing on the screen but its summary.
    """

    def __init__(self, stream: TextIO, *, after: float = SHOW_AFTER_SECONDS) -> None:
        # Imported here: rich takes 0.1 s to load, which a pipe or a quiet run need not pay.
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream, stderr=True, highlight=False)
        self.bars = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<20}"),
            BarColumn(bar_width=30),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=self.console,
            refresh_per_second=4,
            transient=True,
        )
        self.after = after
        self.started_at = time.perf_counter()
        self.tasks: dict[str, TaskID] = {}
        self.counts: dict[str, tuple[int, int]] = {}
        self.pending: list[str] = []

    def __enter__(self) -> TerminalProgress:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def started(self, step: str) -> None:
        """A step begins: a row with a spinner, no bar yet."""
        self.tasks[step] = self.bars.add_task(step, total=None, counts="")

    def advanced(self, step: str, done: int, total: int) -> None:
        """``done`` of the step's ``total`` items are finished."""
        if step not in self.tasks:
            self.started(step)
        self.counts[step] = (done, total)
        self.bars.update(self.tasks[step], completed=done, total=total, counts=f"{done:,}/{total:,}")

    def finished(self, step: str, seconds: float) -> None:
        """The step ended: its row goes, and a line says what it did if it counted or took a while."""
        done, total = self.counts.pop(step, (0, 0))
        if total:
            self.bars.refresh()  # the full count is drawn once, however quick the step was
        self.bars.remove_task(self.tasks.pop(step))
        if not total and seconds < KEEP_STEP_SECONDS:
            return
        counted = f"{done:,}/{total:,} in " if total else ""
        self.pending.append(f"  {step}: {counted}{seconds:.2f} s")
        if time.perf_counter() - self.started_at >= self.after:
            for line in self.pending:
                self.console.print(line, markup=False)
            self.pending.clear()


class CountProgress:
    """One counted piece of work outside the build (an import, the search index): ``done`` of
    ``total``, as a live bar on a terminal or quarter lines on a pipe."""

    def __init__(self, display: PlainProgress | TerminalProgress, step: str) -> None:
        self.display = display
        self.step = step
        self.seconds_at = time.perf_counter()
        self.ended = False

    def __call__(self, done: int, total: int) -> None:
        self.display.advanced(self.step, done, total)
        if done >= total and not self.ended:
            self.ended = True
            self.display.finished(self.step, time.perf_counter() - self.seconds_at)


@contextmanager
def progress_display(stream: TextIO, *, quiet: bool) -> Iterator[PlainProgress | TerminalProgress | None]:
    """The display that fits ``stream``: rich on a terminal, plain lines elsewhere, none when quiet."""
    if quiet:
        yield None
        return
    if not stream.isatty():
        yield PlainProgress(stream)
        return
    with TerminalProgress(stream) as display:
        yield display
