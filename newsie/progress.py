"""What `newsie run` shows while it works: a status line while the pipeline loads, a progress
bar over the chunks (documents done of total, documents per second, time left, failures so
far), then a status line for the cross-document step, naming each of its steps.

The total is counted before the run, cheaply: a file per .txt/.html/.htm/.json document, a
line per JSONL record. A .json list, or inputs too big to count within COUNT_BUDGET_S,
leave the total unknown: the bar then shows documents done, without a total or time left.
Documents an earlier run already did are taken off the total (they cost no work, and would
make the rate and the time left wrong) and shown as skipped.

On a terminal the bar redraws in place; elsewhere (a pipe, a CI log, pytest) rich draws
nothing in place, so the display prints a plain line every LOG_EVERY_S seconds and the bar's
final state once at the end: no control characters, no garbled log.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterable

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.table import Column
from rich.text import Text

from .engine.runner import RunProgress

COUNT_BUDGET_S = 2.0
LOG_EVERY_S = 30.0
_BLOCK = 1 << 20


class _TooSlow(Exception):
    pass


def count_documents(inputs: Iterable[Path], budget_s: float = COUNT_BUDGET_S) -> int | None:
    """How many documents the inputs hold (as io.readers reads them, manifest problems
    aside), or None when that cannot be known cheaply."""
    from .io.readers import SUFFIXES, list_input_files

    deadline = time.monotonic() + budget_s
    total, seen = 0, set()
    try:
        for path, _folder in list_input_files(inputs):
            if time.monotonic() > deadline:
                return None
            suffix = path.suffix.lower()
            if suffix not in SUFFIXES:  # an unsupported file: one errors row
                total += 1
                continue
            key = os.path.realpath(path)
            if key in seen:  # the same file named twice: read once
                continue
            seen.add(key)
            if suffix == ".jsonl":
                total += _count_records(path, deadline)
            elif suffix == ".json" and _starts_a_list(path):
                return None  # a list of records: counting means parsing it
            else:
                total += 1
    except (_TooSlow, OSError):
        return None
    return total


def _count_records(path: Path, deadline: float) -> int:
    """Non-blank lines (a JSONL reader's records, the unreadable ones included)."""
    count = 0
    with open(path, "rb") as fh:
        for number, line in enumerate(fh):
            if line.strip():
                count += 1
            if number % 10_000 == 0 and time.monotonic() > deadline:
                raise _TooSlow
    return count


def _starts_a_list(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(_BLOCK).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[")


class _Counts(ProgressColumn):
    def render(self, task: Task) -> Text:
        done = int(task.completed)
        text = f"{done:,} of {int(task.total):,} documents" if task.total is not None else f"{done:,} documents"
        return Text(text, style="progress.download")


def rate(task: Task) -> float | None:
    """Documents per second: rich's recent rate while it has one (a minute of chunks), else
    the average since processing started."""
    if not task.finished and task.speed:
        return task.speed
    elapsed = task.finished_time if task.finished else task.elapsed
    return task.completed / elapsed if elapsed and task.completed else None


def time_left(task: Task) -> float | None:
    speed = rate(task)
    if task.total is None or not speed:
        return None
    return max(0.0, task.total - task.completed) / speed


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = rate(task)
        return Text(f"{speed:.1f} docs/s" if speed else "- docs/s", style="progress.data.speed")


class _TimeLeft(ProgressColumn):
    def render(self, task: Task) -> Text:
        if task.total is None:
            return Text("")
        if task.finished:
            return Text(f"took {_clock(task.finished_time or 0)}", style="progress.elapsed")
        left = time_left(task)
        return Text(f"{_clock(left)} left" if left is not None else "-:--:-- left", style="progress.remaining")


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class RunDisplay(RunProgress):
    """The run's status lines and progress bar on `console`; use as a context manager."""

    def __init__(self, console: Console, total: int | None, log_every_s: float = LOG_EVERY_S):
        self.console = console
        self.total = total
        self.log_every_s = log_every_s
        self.done = self.failed = self.skipped_count = 0
        self._status = None
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._last_log = time.monotonic()

    # --- context ------------------------------------------------------------------------

    def __enter__(self) -> "RunDisplay":
        self._start_status("loading pipeline")
        return self

    def __exit__(self, *exc) -> None:
        self._stop_progress()
        self._stop_status()

    # --- RunProgress ----------------------------------------------------------------------

    def loaded(self) -> None:
        self._stop_status()
        fixed = {"table_column": Column(no_wrap=True)}  # a narrow console shortens the bar, never wraps a figure
        self._progress = Progress(TextColumn("[bold]processing", **fixed), BarColumn(bar_width=None), _Counts(**fixed),
                                  _Rate(**fixed), _TimeLeft(**fixed),
                                  TextColumn("{task.fields[failed]} failed{task.fields[skipped]}", **fixed),
                                  console=self.console, transient=False, speed_estimate_period=60.0)
        self._task = self._progress.add_task("processing", total=self.total, failed=0, skipped="")
        self._progress.start()

    def skipped(self, count: int, failed: int) -> None:
        self.skipped_count += count
        if self.total is not None:
            self.total = max(self.done, self.total - count)
        self._update()

    def chunk_done(self, stats) -> None:
        self.done += stats.documents
        self.failed += stats.failed
        self._update(advance=stats.documents)
        if not self.console.is_terminal and time.monotonic() - self._last_log >= self.log_every_s:
            self._last_log = time.monotonic()
            self.console.print(self.plain_line(), highlight=False, soft_wrap=True)

    def finalizing(self) -> None:
        if self._progress is not None and self._task is not None:
            self.total = self.done  # the bar ends full, whatever was counted before
            self._update()
        self._stop_progress()
        self._start_status("cross-document step")

    def finalize_step(self, step: str) -> None:
        """The status line names the step; off a terminal, where a status line shows nothing,
        a plain line per step says the run is still going."""
        text = f"cross-document step: {step}"
        if self._status is not None:
            self._status.update(text)
        if not self.console.is_terminal:
            self.console.print(text, highlight=False, soft_wrap=True)

    # --- helpers ----------------------------------------------------------------------------

    def plain_line(self) -> str:
        """'processed 120 of 500 documents (3.2 docs/s, about 0:02:05 left), 1 failed'."""
        of = f" of {self.total:,}" if self.total is not None else ""
        details = []
        task = self._progress.tasks[0] if self._progress is not None and self._progress.tasks else None
        if task is not None and rate(task):
            details.append(f"{rate(task):.1f} docs/s")
            if time_left(task) is not None:
                details.append(f"about {_clock(time_left(task))} left")
        note = f" ({', '.join(details)})" if details else ""
        skipped = f", {self.skipped_count:,} skipped" if self.skipped_count else ""
        return f"processed {self.done:,}{of} documents{note}, {self.failed:,} failed{skipped}"

    def _update(self, advance: int = 0) -> None:
        if self._progress is None or self._task is None:
            return
        skipped = f", {self.skipped_count:,} skipped" if self.skipped_count else ""
        self._progress.update(self._task, advance=advance, total=self.total, failed=self.failed, skipped=skipped)

    def _start_status(self, text: str) -> None:
        self._stop_status()
        self._status = self.console.status(text)
        self._status.start()

    def _stop_status(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def _stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
