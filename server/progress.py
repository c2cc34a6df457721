"""Progress of a long load, written to a terminal (one updating line) or a log (a line a step)."""

from __future__ import annotations

import time
from typing import TextIO

from graph.load import Progress


class ProgressPrinter:
    """Call with each :class:`~graph.load.Progress`; prints at most every ``interval`` seconds."""

    def __init__(self, stream: TextIO, interval: float = 0.5) -> None:
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.last = 0.0
        self.live = stream.isatty()

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        finished = progress.inputs_done == progress.inputs_total
        if not finished and now - self.last < self.interval:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        share = progress.inputs_done / max(progress.inputs_total, 1)
        line = (
            f"loading: {progress.inputs_done:,}/{progress.inputs_total:,} files ({share:.0%}), "
            f"{progress.records:,} records, {progress.records / elapsed:,.0f} records/s"
        )
        if self.live:
            self.stream.write(f"\r{line}\033[K" + ("\n" if finished else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
