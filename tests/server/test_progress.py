"""What a long load prints: reading, then the step of building under way, then one line when the
graph is built; a line a report in a log, one line rewritten in place on a terminal."""

from __future__ import annotations

import io
import re
from dataclasses import replace

from graph.read.records import BUILT, Progress
from server.progress import ProgressPrinter

READ = Progress(1, 1, 5000, "synth.jsonl", 26_800_000, 26_800_000)
LOADED = r"loading: 100% \(26\.8 of 26\.8 MB\), 1/1 files, 5,000 records, [\d,]+ records/s"


def _building(step: str, done: int = 0, total: int = 0) -> Progress:
    return replace(READ, step=step, step_done=done, step_total=total)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_each_step_and_its_share_then_how_long_building_took() -> None:
    log = io.StringIO()
    printer = ProgressPrinter(log, interval=0)
    for found in (
        READ,
        _building("placing sites"),
        _building("writing and indexing entities", 4096, 37_064),
        _building(BUILT),
    ):
        printer(found)
    loaded, *building, built = log.getvalue().splitlines()
    assert re.fullmatch(LOADED, loaded)
    assert building == [
        "building the graph of 5,000 records: placing sites",
        "building the graph of 5,000 records: writing and indexing entities, 11% (4,096 of 37,064)",
    ]
    assert re.fullmatch(r"built the graph of 5,000 records in \d+ s", built)


def test_steps_wait_for_the_interval_but_the_end_of_building_is_always_told() -> None:
    log = io.StringIO()
    printer = ProgressPrinter(log, interval=3600)
    for found in (READ, _building("placing sites"), _building("indexing"), _building(BUILT)):
        printer(found)
    assert log.getvalue().splitlines()[1:] == ["built the graph of 5,000 records in 0 s"]


def test_a_terminal_gets_one_line_rewritten_in_place_and_ended_when_built() -> None:
    screen = Terminal()
    printer = ProgressPrinter(screen, interval=0)
    for found in (READ, _building("indexing"), _building(BUILT)):
        printer(found)
    assert re.fullmatch(
        rf"\r{LOADED}\x1b\[K\n"
        r"\rbuilding the graph of 5,000 records: indexing\x1b\[K"
        r"\rbuilt the graph of 5,000 records in 0 s\x1b\[K\n",
        screen.getvalue(),
    )
