"""The ingest benchmark counts the memory of the processes a load starts to read ahead, and times
each stage of loading beside decoding the records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.ingest import ChildPeaks
from bench.stages import STAGES, run_stages, stage_figures
from graph.synth import CorpusSpec, write_corpus


def test_the_peak_memory_of_each_child_process_is_found() -> None:
    hold = (
        "import time; block = bytearray(80 << 20); block[::4096] = b'x' * len(block[::4096]); time.sleep(1)"
    )
    with ChildPeaks(interval=0.05) as children:
        first = subprocess.Popen([sys.executable, "-c", hold])
        second = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1)"])
        first.wait()
        second.wait()
    assert set(children.peaks) == {first.pid, second.pid}
    assert children.peaks[first.pid] > 80 * 1024 > children.peaks[second.pid] > 0


def test_each_stage_of_loading_is_timed_beside_decoding(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(CorpusSpec(200, seed=3), corpus, None)
    found = run_stages(corpus, trials=150)
    assert found["trials"] == 150  # the first 150 records, not the whole corpus
    assert found["decode_seconds"] > 0
    assert set(found["stage_seconds"]) == set(STAGES)
    assert all(seconds > 0 for seconds in found["stage_seconds"].values())
    figures = stage_figures(found, ingest_cpu_seconds=3.0, ingest_trials=200)
    assert figures[0].value == 3.0 * 1e6 / 200  # µs a trial
    assert figures[0].target is not None and figures[0].target.on_ratio
    shares = [float(figure.note.split("%")[0]) for figure in figures[1:]]
    assert sum(shares) == pytest.approx(100, abs=2)  # rounded shares of the stages' sum
