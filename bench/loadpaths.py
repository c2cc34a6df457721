"""The two ways of loading a JSON Lines file side by side, each in a fresh process: record by record
(``load_graph``, reading ahead in other processes) and in columns (``graph/bulk/load.py``).

``python -m bench.loadpaths CORPUS [--trials N] [--rounds R]`` loads the first ``N`` records both
ways, ``R`` rounds, the two alternating, and prints for each load its wall time, trials a second,
CPU a trial (the child's and its own children's, from ``getrusage``) and peak memory (the largest
resident size of the child or of any process it waited for).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

from bench.stages import DEFAULT_TRIALS

# Each load as a child's program: the path is its one argument; it prints its peak resident KB.
LOADS = {
    "record by record": "from graph.build.loading import load_graph; load_graph([sys.argv[1]])",
    "in columns": "from graph.bulk.load import load_in_columns; assert load_in_columns(sys.argv[1])",
}
_PEAK = (
    "import resource; print(max(resource.getrusage(who).ru_maxrss for who in "
    "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))"
)


def load_once(name: str, path: Path, trials: int) -> dict[str, Any]:
    """Load ``path`` one way (a name of :data:`LOADS`) in a child process; what it cost."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    found = subprocess.run(
        [sys.executable, "-c", f"import sys; {LOADS[name]}; {_PEAK}", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "load": name,
        "seconds": wall,
        "trials_per_second": trials / wall,
        "cpu_us_per_trial": cpu / trials * 1e6,
        "peak_mb": int(found.stdout.split()[-1]) / 1024,
    }


def measure_load_paths(corpus: Path, trials: int = DEFAULT_TRIALS, rounds: int = 1) -> dict[str, Any]:
    """Both loads of the first ``trials`` records of ``corpus``, ``rounds`` times, alternating."""
    with open(corpus, "rb") as stream:
        lines = [line for line in islice(stream, trials) if line.strip()]
    runs = []
    with tempfile.TemporaryDirectory(prefix="trialgraph-loadpaths-") as folder:
        sample = Path(folder) / "sample.jsonl"
        sample.write_bytes(b"".join(lines))
        for _ in range(rounds):
            runs += [load_once(name, sample, len(lines)) for name in LOADS]
    return {"trials": len(lines), "runs": runs}


def main() -> None:
    arguments = argparse.ArgumentParser(prog="python -m bench.loadpaths", description=__doc__)
    arguments.add_argument("corpus", type=Path, help="a JSON Lines corpus (trialgraph synth)")
    arguments.add_argument("--trials", type=int, default=DEFAULT_TRIALS, help="records to load")
    arguments.add_argument("--rounds", type=int, default=1, help="rounds of both loads")
    options = arguments.parse_args()
    print(json.dumps(measure_load_paths(options.corpus, options.trials, options.rounds)))


if __name__ == "__main__":
    main()
