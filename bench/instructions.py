"""The instructions each loading stage runs, counted by callgrind: figures that read the same
whatever else the machine is doing, where its CPU times move by more than a change.

``python -m bench.instructions CORPUS [--trials N]`` runs a fresh interpreter under
``valgrind --tool=callgrind`` that takes the first N records of a JSON Lines corpus (default
3,000) through the stages of :mod:`bench.stages` up to one of them, once per stage and once
for none (imports only), with ``PYTHONHASHSEED`` fixed; a stage's count is the difference from
the run before, and ``total`` the last run's less the first. The result is one JSON line on
stdout, in millions of instructions. To compare two versions of the code, run it in a checkout
of each: the interpreter imports the code of the folder it is run from.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from itertools import islice
from pathlib import Path
from typing import Any

from bench.stages import STAGES, corpus_records
from graph.build.builder import Builder
from graph.build.trialplan import plan_trial
from graph.read.records import Reading
from server.runtime import tune_collector

DEFAULT_TRIALS = 3_000
REPO = Path(__file__).parents[1]


def run_up_to(corpus: Path, trials: int, stage: str) -> None:
    """Take the first ``trials`` records of ``corpus`` through the stages up to ``stage``."""
    tune_collector()  # as every trialgraph command runs
    if stage == "none":
        return
    records = list(islice(corpus_records(corpus, Reading()), trials))
    if stage == "parse":
        return
    plans = [plan_trial(record, [record.source]) for record in records]
    if stage == "plan":
        return
    builder = Builder()
    try:
        for plan in plans:
            builder.apply(plan)
        if stage == "finish":
            builder.finish({})
    finally:
        builder.close()


def count_instructions(corpus: Path, trials: int = DEFAULT_TRIALS) -> dict[str, Any]:
    """Millions of instructions of each stage over the first ``trials`` records of ``corpus``."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("bench.instructions: valgrind is not installed (apt-get install valgrind)")
    totals = []
    with tempfile.TemporaryDirectory(prefix="trialgraph-callgrind-") as folder:
        for stage in ("none", *STAGES):
            out = Path(folder) / f"{stage}.out"
            command = [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable]
            command += ["-m", "bench.instructions", str(corpus.resolve()), "--trials", str(trials)]
            print(f"bench.instructions: up to {stage} under callgrind", file=sys.stderr, flush=True)
            environment = {**os.environ, "PYTHONHASHSEED": "0"}
            subprocess.run(
                [*command, "--up-to", stage], check=True, cwd=REPO, env=environment, capture_output=True
            )
            totals.append(_total(out.read_text(errors="replace")))
    counts = {
        stage: (after - before) / 1e6
        for stage, before, after in zip(STAGES, totals[:-1], totals[1:], strict=True)
    }
    return {"trials": trials, "millions": {**counts, "total": (totals[-1] - totals[0]) / 1e6}}


def _total(report: str) -> int:
    """The instruction count a callgrind output file ends with."""
    for line in report.splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError("callgrind wrote no total")


def main() -> None:
    arguments = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__)
    arguments.add_argument("corpus", type=Path, help="a JSON Lines corpus (trialgraph synth)")
    arguments.add_argument("--trials", type=int, default=DEFAULT_TRIALS, help="records to take")
    arguments.add_argument("--up-to", choices=("none", *STAGES), help=argparse.SUPPRESS)
    options = arguments.parse_args()
    if options.up_to is not None:
        run_up_to(options.corpus, options.trials, options.up_to)
    else:
        print(json.dumps(count_instructions(options.corpus, options.trials)))


if __name__ == "__main__":
    main()
