"""Ingest in a fresh process that only loads: the rate, and the peak resident memory it took.

``python -m bench.ingest ours CORPUS OUTPUT`` times :func:`graph.build.loading.load_graph` (parse,
resolve, build, index), then writes the snapshot the servers start from to OUTPUT.
``python -m bench.ingest baseline CORPUS OUTPUT`` times the baseline: the product's parser
(``load_records``) and :func:`bench.baseline.build_networkx`, then pickles the networkx graph
to OUTPUT for the in-process figures. Writing OUTPUT comes after the measurement.

CPU time is the process's user and system time while it loads, with that of the processes it
started to read ahead. Memory is the process's peak RSS (``VmHWM``, reset once the imports are
done) above its RSS then, plus the peak RSS of each process it started to read ahead
(:mod:`graph.build.readahead`), whole: an upper bound, as the peaks need not coincide. Progress goes
to standard error while it runs. The result is one JSON line on stdout.
"""

from __future__ import annotations

import json
import pickle
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from bench.baseline import build_networkx
from bench.export_graphml import reset_peak_rss, status_kb
from graph.build.loading import load_graph, save_snapshot
from graph.read.records import load_records
from server.progress import ProgressPrinter
from server.runtime import tune_collector

SIDES = ("ours", "baseline")
# Progress every half second on a terminal, every few seconds in a log.
PROGRESS_SECONDS = 0.5 if sys.stderr.isatty() else 5.0


class BuildProgress:
    """How far the baseline's build has come, at most every ``interval`` seconds and at the end."""

    def __init__(self, stream: TextIO, total: int, interval: float = PROGRESS_SECONDS) -> None:
        self.stream, self.total, self.interval = stream, total, interval
        self.last = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self.last < self.interval:
            return
        self.last = now
        self.stream.write(f"building the baseline's networkx graph: {done:,}/{self.total:,} trials\n")
        self.stream.flush()


class ChildPeaks:
    """The peak RSS of every child process this process starts while it runs, each read from
    ``/proc`` every ``interval`` seconds until it ends."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peaks: dict[int, int] = {}  # pid -> VmHWM in KiB
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="child-peaks", daemon=True)

    def __enter__(self) -> ChildPeaks:
        self.thread.start()
        return self

    def __exit__(self, *exception: object) -> None:
        self.done.set()
        self.thread.join()

    def _watch(self) -> None:
        while not self.done.wait(self.interval):
            for task in Path("/proc/self/task").iterdir():
                try:
                    children = (task / "children").read_text().split()
                except OSError:
                    continue  # the thread ended
                for pid in map(int, children):
                    try:
                        peak = status_kb("VmHWM", pid)
                    except (OSError, StopIteration):
                        continue  # it ended
                    self.peaks[pid] = max(self.peaks.get(pid, 0), peak)


def cpu_seconds() -> float:
    """User and system CPU time of this process and of every child it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _ours(corpus: Path, output: Path) -> dict[str, Any]:
    tune_collector()  # as every trialgraph command runs
    started, cpu = time.perf_counter(), cpu_seconds()
    with ChildPeaks() as children:
        loaded = load_graph([corpus], progress=ProgressPrinter(sys.stderr, PROGRESS_SECONDS))
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    peak = status_kb("VmHWM")
    graph = loaded.graph
    found = {"seconds": seconds, "cpu_seconds": cpu, "peak_kb": peak, "trials": int(graph.graph["trials"])}
    found |= {"children": len(children.peaks), "children_peak_kb": sum(children.peaks.values())}
    found |= {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    written = time.perf_counter()
    found["output_bytes"] = save_snapshot(loaded, output)
    found["output_seconds"] = time.perf_counter() - written
    return found


def _baseline(corpus: Path, output: Path) -> dict[str, Any]:
    started = time.perf_counter()
    records = load_records([corpus], progress=ProgressPrinter(sys.stderr, PROGRESS_SECONDS)).records
    parsed = time.perf_counter() - started
    graph = build_networkx(records, BuildProgress(sys.stderr, len(records)))
    seconds = time.perf_counter() - started
    peak = status_kb("VmHWM")
    found = {"seconds": seconds, "parse_seconds": parsed, "peak_kb": peak, "trials": len(records)}
    found |= {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    del records
    written = time.perf_counter()
    with open(output, "wb") as stream:
        pickle.dump(graph, stream, protocol=pickle.HIGHEST_PROTOCOL)
    found["output_bytes"] = output.stat().st_size
    found["output_seconds"] = time.perf_counter() - written
    return found


def measure_ingest(side: str, corpus: Path, output: Path) -> dict[str, Any]:
    """Run one side's ingest in a fresh process; its progress shows on this process's stderr."""
    command = [sys.executable, "-m", "bench.ingest", side, str(corpus), str(output)]
    done = subprocess.run(
        command, check=True, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[1]
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    side, corpus, output = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if side not in SIDES:
        raise SystemExit(f"usage: python -m bench.ingest {{{','.join(SIDES)}}} CORPUS OUTPUT")
    exact = reset_peak_rss()
    before = status_kb("VmRSS")
    found = (_ours if side == "ours" else _baseline)(corpus, output)
    found |= {"side": side, "rss_before_kb": before, "peak_exact": exact}
    print(json.dumps(found))


if __name__ == "__main__":
    main()
