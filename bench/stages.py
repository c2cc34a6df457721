"""Where loading's CPU time goes: each stage of the per-record path timed alone, in one process,
beside the cost of merely decoding the same records with ``orjson``.

``python -m bench.stages CORPUS [--trials N]`` reads the first N records of a JSON Lines corpus
(default 20,000), then times, one stage after the other on the same records: decoding each line
with ``orjson.loads`` (the floor any loader pays), reading and parsing them into records
(:mod:`graph.read.registry.study`: decoding, field checks, text cleaning, criteria), planning each trial
(:mod:`graph.build.trialplan`: keys, attributes encoded, index words, edges), merging the plans
(:meth:`graph.build.builder.Builder.apply`) and finishing (:meth:`graph.build.builder.Builder.finish`: naming,
writing and indexing entities, assembling). Each is process CPU time, so the figures do not
depend on how many cores a load spreads over; their sum is the CPU a load costs at least. The
result is one JSON line on stdout; :func:`stage_figures` turns it into the bench's rows.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import orjson

from bench.figures import Figure, Target
from graph.build.builder import Builder
from graph.build.trialplan import TrialPlan, plan_trial
from graph.errors import Report
from graph.model import TrialRecord
from graph.read.records import Reading, record_of
from graph.read.sources import find_inputs, read_input
from server.runtime import tune_collector

STAGES = ("parse", "plan", "merge", "finish")
WHAT = {
    "parse": "read and parse (graph.read.registry: shapes, typedstudy)",
    "plan": "plan each trial (graph.build.trialplan)",
    "merge": "merge the plans (Builder.apply)",
    "finish": "name, write, index, assemble (Builder.finish)",
}
DEFAULT_TRIALS = 20_000
# The bound on all of loading's CPU time over decoding every record with orjson.
CPU_OVER_DECODE = 8.0
T = TypeVar("T")


def cpu_time(work: Callable[[], T]) -> tuple[T, float]:
    """What ``work`` gives, and the CPU seconds it took (every thread of this process)."""
    started = time.process_time()
    done = work()
    return done, time.process_time() - started


def corpus_records(corpus: Path, reading: Reading) -> Iterator[TrialRecord]:
    report = Report(sink=reading.problems)
    for item in find_inputs([corpus], report):
        for document in read_input(item, report):
            record = record_of(document, reading)
            if record is not None:
                yield record


def decode_each(lines: list[bytes]) -> int:
    """Decode every line, keeping none: merely decoding, the floor the issue's bound counts in."""
    for line in lines:
        orjson.loads(line)
    return len(lines)


def _merge(builder: Builder, plans: list[TrialPlan]) -> int:
    for plan in plans:
        builder.apply(plan)
    return len(plans)


def measure_stages(corpus: Path, trials: int = DEFAULT_TRIALS) -> dict[str, Any]:
    """CPU seconds of each stage over the first ``trials`` records of ``corpus``, and of decoding
    their lines with orjson."""
    tune_collector()  # as every trialgraph command runs
    with open(corpus, "rb") as stream:
        lines = [line for line in islice(stream, trials) if line.strip()]
    _, decode = cpu_time(lambda: decode_each(lines))
    reading = Reading()
    records, parse = cpu_time(lambda: list(islice(corpus_records(corpus, reading), len(lines))))
    if reading.problems:
        raise SystemExit(f"bench.stages: {corpus} has problems: {reading.problems[0]}")
    plans: list[TrialPlan]
    plans, plan = cpu_time(lambda: [plan_trial(record, [record.source]) for record in records])
    builder = Builder()
    try:
        _, merge = cpu_time(lambda: _merge(builder, plans))
        _, finish = cpu_time(lambda: builder.finish({}))
    finally:
        builder.close()
    gc.collect()
    seconds = {"parse": parse, "plan": plan, "merge": merge, "finish": finish}
    return {"trials": len(records), "decode_seconds": decode, "stage_seconds": seconds}


def run_stages(corpus: Path, trials: int = DEFAULT_TRIALS) -> dict[str, Any]:
    """:func:`measure_stages` in a fresh process (so this one's heap does not weigh on it)."""
    command = [sys.executable, "-m", "bench.stages", str(corpus), "--trials", str(trials)]
    done = subprocess.run(
        command, check=True, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[1]
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def stage_figures(stages: dict[str, Any], ingest_cpu_seconds: float, ingest_trials: int) -> list[Figure]:
    """The ingest's CPU time per trial against decoding with orjson (the issue's bound), and each
    stage's CPU time per trial with its share of the stages' sum."""
    per_trial = 1e6 / stages["trials"]
    decode = stages["decode_seconds"] * per_trial
    label = "orjson.loads of the same records, in the stages' process"
    total = sum(stages["stage_seconds"].values())
    figures = [
        Figure(
            group="ingest CPU",
            name="CPU time per trial, every process",
            unit="µs/trial",
            value=ingest_cpu_seconds * 1e6 / ingest_trials,
            baseline=decode,
            baseline_label=label,
            lower_is_better=True,
            target=Target(CPU_OVER_DECODE, at_most=True, on_ratio=True),
            note="the whole ingest's user+system CPU, its reading-ahead processes counted",
        )
    ]
    for stage in STAGES:
        seconds = stages["stage_seconds"][stage]
        figures.append(
            Figure(
                group=f"ingest CPU by stage (one process, first {stages['trials']:,} trials)",
                name=f"{stage}: {WHAT[stage]}",
                unit="µs/trial",
                value=seconds * per_trial,
                baseline=decode,
                baseline_label=label,
                lower_is_better=True,
                note=f"{seconds / total:.0%} of the stages",
            )
        )
    return figures


def measure_from_command_line(
    module: str, description: str | None, measure: Callable[[Path, int], dict[str, Any]]
) -> None:
    """``python -m MODULE CORPUS [--trials N]``: ``measure(CORPUS, N)`` printed as one JSON line."""
    arguments = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    arguments.add_argument("corpus", type=Path, help="a JSON Lines corpus (trialgraph synth)")
    arguments.add_argument("--trials", type=int, default=DEFAULT_TRIALS, help="records to time")
    options = arguments.parse_args()
    print(json.dumps(measure(options.corpus, options.trials)))


def main() -> None:
    measure_from_command_line("bench.stages", __doc__, measure_stages)


if __name__ == "__main__":
    main()
