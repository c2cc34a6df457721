"""Progress of a long load, written to a terminal (one updating line) or a log (a line a step)."""

from __future__ import annotations

import time
from typing import TextIO

from graph.read.records import BUILT, Progress


class StatusLine:
    """One line of status on a stream: rewritten in place on a terminal, a line a step in a log;
    at most every ``interval`` seconds unless final."""

    def __init__(self, stream: TextIO, interval: float = 0.5) -> None:
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.last = 0.0
        self.live = stream.isatty()

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-9)

    def due(self) -> bool:
        """Whether a line may be written now (and, if so, it is taken as written)."""
        now = time.monotonic()
        if now - self.last < self.interval:
            return False
        self.last = now
        return True

    def write(self, line: str, final: bool = False) -> None:
        if self.live:
            self.stream.write(f"\r{line}\033[K" + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class ProgressPrinter:
    """Call with each :class:`~graph.read.records.Progress`; prints at most every ``interval`` seconds,
    and once when the graph is built."""

    def __init__(self, stream: TextIO, interval: float = 0.5) -> None:
        self.status = StatusLine(stream, interval)
        self.building_since: float | None = None

    def __call__(self, progress: Progress) -> None:
        if progress.building:
            self._building(progress)
            return
        finished = progress.inputs_done == progress.inputs_total
        if not self.status.due() and not finished:
            return
        elapsed = self.status.elapsed
        if progress.bytes_total:
            share = progress.bytes_done / progress.bytes_total
            amount = f"{_megabytes(progress.bytes_done)} of {_megabytes(progress.bytes_total)} MB"
        else:
            share = progress.inputs_done / max(progress.inputs_total, 1)
            amount = "nothing to read"
        line = (
            f"loading: {share:.0%} ({amount}), {progress.inputs_done:,}/{progress.inputs_total:,} files, "
            f"{progress.records:,} records, {progress.records / elapsed:,.0f} records/s"
        )
        if not finished and share > 0:
            line += f", about {duration(elapsed * (1 - share) / share)} left"
        self.status.write(line, finished)

    def _building(self, progress: Progress) -> None:
        if self.building_since is None:
            self.building_since = time.monotonic()
        graph = f"the graph of {progress.records:,} records"
        if progress.step == BUILT:
            self.status.write(f"built {graph} in {duration(time.monotonic() - self.building_since)}", True)
            return
        if not self.status.due():
            return
        line = f"building {graph}: {progress.step}"
        if progress.step_total:
            done, total = progress.step_done, progress.step_total
            line += f", {done / total:.0%} ({done:,} of {total:,})"
        self.status.write(line)


class WritingProgress:
    """Call with the bytes written so far; prints how many and how fast, at most every
    ``interval`` seconds, and once more when :meth:`done`."""

    def __init__(self, stream: TextIO, interval: float = 0.5) -> None:
        self.status = StatusLine(stream, interval)

    def __call__(self, written: int) -> None:
        if self.status.due():
            self.status.write(self._line(written))

    def done(self, written: int) -> None:
        self.status.write(self._line(written), final=True)

    def _line(self, written: int) -> str:
        return f"writing: {_megabytes(written)} MB, {written / 1e6 / self.status.elapsed:,.1f} MB/s"


def _megabytes(count: int) -> str:
    """
    >>> _megabytes(1_234_567), _megabytes(2_800_147_174)
    ('1.2', '2,800.1')
    """
    return f"{count / 1e6:,.1f}"


def duration(seconds: float) -> str:
    """
    >>> duration(42.4), duration(754), duration(7_300)
    ('42 s', '13 min', '2 h 2 min')
    """
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"
