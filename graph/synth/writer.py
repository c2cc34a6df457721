"""Writing a corpus: one study per line, streamed, to a temporary file renamed into place at the end.

Memory stays flat whatever the number of trials: studies are made and encoded a block at a
time, and each block is written before the next is made. The temporary file is hidden
(``.NAME.*.tmp``) in the target's directory, so a directory load never sees a half-written
corpus, and it is removed if anything fails.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from graph.synth.records import StudyMaker
from graph.synth.spec import CorpusSpec

BLOCK = 500  # studies made, encoded and written together; progress is told after each block


@dataclass(frozen=True, slots=True)
class Written:
    """How far writing has come: studies written of all, bytes written, seconds since the start."""

    studies: int
    total: int
    size: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.studies / max(self.seconds, 1e-9)


def generate_studies(spec: CorpusSpec) -> Iterator[dict[str, Any]]:
    """Every study of the corpus, in NCT order.

    >>> studies = list(generate_studies(CorpusSpec(trials=3, seed=7)))
    >>> [study["protocolSection"]["identificationModule"]["nctId"] for study in studies]
    ['NCT01563894', 'NCT03983925', 'NCT05923504']
    """
    maker = StudyMaker(spec)
    for index in range(spec.trials):
        yield maker.study(index)


def write_corpus(
    spec: CorpusSpec, path: str | os.PathLike[str], progress: Callable[[Written], None] | None = None
) -> Written:
    """Write the corpus of ``spec`` to ``path`` as JSON Lines; ``progress`` hears of every block."""
    target = Path(path)
    started = time.monotonic()
    maker = StudyMaker(spec)
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    size = 0
    try:
        with os.fdopen(descriptor, "wb", buffering=1 << 20) as file:
            for start in range(0, spec.trials, BLOCK):
                stop = min(start + BLOCK, spec.trials)
                lines = "".join(encode(maker.study(index)) + "\n" for index in range(start, stop))
                data = lines.encode("utf-8")
                file.write(data)
                size += len(data)
                if progress is not None and stop < spec.trials:
                    progress(Written(stop, spec.trials, size, time.monotonic() - started))
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    done = Written(spec.trials, spec.trials, size, time.monotonic() - started)
    if progress is not None:
        progress(done)
    return done


class ProgressLine:
    """Prints progress to a stream at most every ``interval`` seconds, and once at the end."""

    def __init__(self, stream: TextIO, interval: float = 2.0) -> None:
        self.stream, self.interval = stream, interval
        self.last = time.monotonic()

    def __call__(self, written: Written) -> None:
        now = time.monotonic()
        finished = written.studies == written.total
        if not finished and now - self.last < self.interval:
            return
        self.last = now
        share = written.studies / max(written.total, 1)
        self.stream.write(
            f"synth: {written.studies:,}/{written.total:,} trials ({share:.0%}), "
            f"{written.size / 1e6:,.1f} MB, {written.rate:,.0f} trials/s\n"
        )
        self.stream.flush()
