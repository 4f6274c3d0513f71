"""How long work shows it is alive: live bars on a terminal, plain lines on a pipe or in CI.

Used by the CLI alone (with cli.py, the only module that writes to the terminal). Both
displays take the same events: a step starts, its items advance (``done`` of ``total``),
it finishes after so many seconds. A quick run shows nothing: the summary line says it all.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import TaskID

SHOW_AFTER_SECONDS = 2.0  # on a terminal, a run shorter than this leaves no progress lines behind
LARGE_STEP = 200  # on a pipe, a run prints progress once a step has this many items (as many as go to workers)
KEEP_STEP_SECONDS = 0.5  # on a terminal, a step without counts keeps its line only if it took this long
PLAIN_MARKS = (25, 50, 75)  # on a pipe, a counted step prints a line as it passes each of these percentages


def step_line(step: str, counts: tuple[int, int], seconds: float) -> str:
    """How both displays word a step that ended: '  render: 5,026/5,026 in 34.28 s'."""
    done, total = counts
    counted = f"{done:,}/{total:,} in " if total else ""
    return f"  {step}: {counted}{seconds:.2f} s"


class PlainProgress:
    """Progress as plain lines, for a pipe or a CI log: one when each step ends, with counts
    where the step has them, and a line at each quarter of a large counted step.

    A small run prints nothing (its summary says it all, and a log stays the same from run
    to run): the lines start once a step reports at least ``large`` items, and the steps
    that ended before then are printed at that point, so a large run's log lists them all.
    """

    def __init__(self, stream: TextIO, *, large: int = LARGE_STEP) -> None:
        self.stream = stream
        self.large = large
        self.showing = False
        self.pending: list[str] = []
        self.counts: dict[str, tuple[int, int]] = {}
        self.marks: dict[str, int] = {}

    def started(self, step: str) -> None:
        """A step begins (a plain log says nothing until it ends)."""

    def advanced(self, step: str, done: int, total: int) -> None:
        """``done`` of the step's ``total`` items are finished."""
        self.counts[step] = (done, total)
        if total >= self.large and not self.showing:
            self.showing = True
            self._flush()
        if not self.showing or total <= 0:
            return
        percent = done * 100 // total
        passed = [mark for mark in PLAIN_MARKS if self.marks.get(step, 0) < mark <= percent]
        if passed and done < total:
            self.marks[step] = passed[-1]
            self._print(f"  {step}: {done:,}/{total:,}")

    def finished(self, step: str, seconds: float) -> None:
        """The step ended after ``seconds``."""
        self._print(step_line(step, self.counts.pop(step, (0, 0)), seconds))

    def note(self, line: str) -> None:
        """A message of the command's own, shown at once."""
        print(line, file=self.stream, flush=True)

    def _print(self, line: str) -> None:
        self.pending.append(line)
        if self.showing:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            print("\n".join(self.pending), file=self.stream, flush=True)
            self.pending.clear()


class TerminalProgress:
    """Progress on a terminal with rich: the running step as a live row (spinner, bar, counts,
    time), and each step that ended printed above it as the plain display words it.

    Only the running step is redrawn, four times a second (under 1 % of a core), and a run
    shorter than ``after`` seconds leaves nothing on the screen but its summary.
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
            # Forked workers inherit sys.stdout and sys.stderr: they must not be rich's proxies,
            # whose lock the refresh thread may hold at the fork.
            redirect_stdout=False,
            redirect_stderr=False,
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
        counts = self.counts.pop(step, (0, 0))
        if counts[1]:
            self.bars.refresh()  # the full count is drawn once, however quick the step was
        self.bars.remove_task(self.tasks.pop(step))
        if not counts[1] and seconds < KEEP_STEP_SECONDS:
            return
        self.pending.append(step_line(step, counts, seconds))
        if time.perf_counter() - self.started_at >= self.after:
            for line in self.pending:
                self.console.print(line, markup=False)
            self.pending.clear()

    def note(self, line: str) -> None:
        """A message of the command's own, shown at once above the live row."""
        self.console.print(line, markup=False)


class CountProgress:
    """One counted piece of work outside the build (an import, the search index): ``done`` of
    ``total``, as a live bar on a terminal or quarter lines on a pipe."""

    def __init__(self, display: PlainProgress | TerminalProgress, step: str) -> None:
        self.display = display
        self.step = step
        self.started_at = time.perf_counter()
        self.ended = False

    def __call__(self, done: int, total: int) -> None:
        self.display.advanced(self.step, done, total)
        if done >= total and not self.ended:
            self.ended = True
            self.display.finished(self.step, time.perf_counter() - self.started_at)


@contextmanager
def progress_display(
    stream: TextIO, *, quiet: bool, large: int = LARGE_STEP
) -> Iterator[PlainProgress | TerminalProgress | None]:
    """The display that fits ``stream``: rich on a terminal, plain lines elsewhere (for steps of
    ``large`` items or more), none when quiet."""
    if quiet:
        yield None
        return
    if not stream.isatty():
        yield PlainProgress(stream, large=large)
        return
    with TerminalProgress(stream) as display:
        yield display
