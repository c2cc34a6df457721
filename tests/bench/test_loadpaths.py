"""``python -m bench.loadpaths`` loads a corpus both ways, each in its own process, and reports what
each load cost. Wall times are not asserted: the run is too short to mean anything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.loadpaths import LOADS
from graph.synth import CorpusSpec, write_corpus
from tests.paths import REPO


def test_both_loads_are_run_in_turn_and_each_reports_its_cost(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(CorpusSpec(trials=120, seed=5), corpus)
    command = [sys.executable, "-m", "bench.loadpaths", str(corpus), "--trials", "100", "--rounds", "2"]
    found = json.loads(subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True).stdout)
    assert found["trials"] == 100
    assert [run["load"] for run in found["runs"]] == [*LOADS, *LOADS]
    for run in found["runs"]:
        assert run["seconds"] > 0 and run["cpu_us_per_trial"] > 0 and run["peak_mb"] > 20
        assert run["trials_per_second"] == 100 / run["seconds"]
