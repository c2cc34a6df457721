"""The whole benchmark run: every figure measured beside its baseline, in one run, in this order.

1. the corpus: ``--corpus``, or one made by the synth generator in the work folder;
2. ingest, ours and the baseline, each in a fresh process that only loads; ours then writes
   the snapshot the servers start from, the baseline pickles its networkx graph; then the CPU
   time of each stage of loading, in one more process (:mod:`bench.stages`);
3. graph work in process: ours (the snapshot opened here) against the baseline (unpickled);
4. start-up: ``trialgraph serve --snapshot`` against ``trialgraph serve --data`` (a full load),
   each timed from starting the process to its first answer;
5. HTTP: ours and the references (:mod:`bench.reference_app`) on free ports of 127.0.0.1;
6. the whole-graph GraphML export.

``--registry`` is the run at registry scale (half a million trials), where the networkx
baseline would need tens of GB and hours: no baseline ingest; in process, the fast path against
Strawberry's standard execution on the same graph; start-up against this run's own ingest;
the export without networkx. Its figures name what they are measured against.
"""

from __future__ import annotations

import math
import os
import pickle
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.contract import contract_documents
from bench.export_figures import export_figures
from bench.figures import Figure, Target
from bench.ingest import measure_ingest
from bench.inprocess import big_answer_figure, contract_figures, standard_figures
from bench.over_http import LoadSettings, latency_figures, overhead_figure
from bench.over_http import big_answer_figure as big_answer_http
from bench.servers import free_port, reference_command, rss_mb, running, serve_command
from bench.stages import run_stages, stage_figures
from bench.timing import Budget
from bench.workload import Workload, choose_workload
from graph.build.loading import open_snapshot
from graph.synth import CorpusSpec, ProgressLine, write_corpus
from schema.limits import Limits
from server.runtime import resettle_heap, settle_heap, tune_collector


@dataclass(frozen=True, slots=True)
class Options:
    trials: int = 20_000
    corpus: Path | None = None
    work: Path | None = None
    quick: bool = False
    seed: int = 1
    clients: int = 16
    seconds: float = 5.0  # per HTTP run
    workers: int = 1  # of the product's server
    registry: bool = False  # no networkx baseline (see the module docstring)


@dataclass(frozen=True, slots=True)
class Plan:
    """How long each kind of measurement goes on."""

    ours: Budget
    baseline: Budget
    big: Budget
    load: LoadSettings
    startups: int
    export_repeat: int
    sample: int

    @classmethod
    def of(cls, options: Options) -> Plan:
        if options.quick:
            return cls(
                Budget(5, 200, 0.2, 1),
                Budget(3, 50, 0.2, 1),
                Budget(3, 20, 0.2, 1),
                LoadSettings(min(options.clients, 4), min(options.seconds, 0.5), 0.2, 3),
                1,
                1,
                50,
            )
        return cls(
            Budget(50, 5000, 3.0, 5),
            Budget(20, 2000, 5.0, 1),
            Budget(10, 200, 5.0, 2),
            LoadSettings(options.clients, options.seconds, 1.0, 30),
            3,
            2,
            200,
        )


def say(text: str) -> None:
    sys.stderr.write(f"bench: {text}\n")
    sys.stderr.flush()


@contextmanager
def work_folder(work: Path | None) -> Iterator[Path]:
    if work is not None:
        work.mkdir(parents=True, exist_ok=True)
        yield work
        return
    with tempfile.TemporaryDirectory(prefix="trialgraph-bench-") as temporary:
        yield Path(temporary)


def _corpus(options: Options, work: Path) -> Path:
    if options.corpus is not None:
        return options.corpus
    path = work / f"synth-{options.trials}-seed{options.seed}.jsonl"
    if not path.exists():
        say(f"writing a synthetic corpus of {options.trials:,} trials to {path}")
        write_corpus(CorpusSpec(options.trials, options.seed), path, ProgressLine(sys.stderr))
    return path


def _ingest_figures(ours: dict[str, Any], baseline: dict[str, Any] | None) -> list[Figure]:
    label = "the product's parser (load_records) + build_networkx, fresh process"
    rates = [side["trials"] / side["seconds"] if side else math.nan for side in (ours, baseline)]
    memory = [
        (side["peak_kb"] - side["rss_before_kb"] + side.get("children_peak_kb", 0)) * 1.024 / side["trials"]
        if side
        else math.nan
        for side in (ours, baseline)
    ]
    peaks = f"peak RSS {ours['peak_kb'] / 1024:,.0f} MB"
    if ours.get("children"):
        peaks += f" + {ours['children']} reading ahead {ours['children_peak_kb'] / 1024:,.0f} MB"
    if baseline is None:
        label = f"not run at registry scale ({label})"
    else:
        peaks += f" vs {baseline['peak_kb'] / 1024:,.0f} MB"
    return [
        Figure(
            group="ingest",
            name="trials per second",
            unit="trials/s",
            value=rates[0],
            baseline=rates[1],
            baseline_label=label,
            lower_is_better=False,
            target=Target(6000, at_most=False),
            note=f"{ours['seconds']:,.1f} s" + (f" vs {baseline['seconds']:,.1f} s" if baseline else ""),
        ),
        Figure(
            group="ingest",
            name="peak memory per trial",
            unit="KB/trial",
            value=memory[0],
            baseline=memory[1],
            baseline_label=label,
            lower_is_better=True,
            target=Target(12, at_most=True),
            note=f"peak RSS above the RSS after imports (and children's whole), over trials; {peaks}",
        ),
    ]


def _startup_figure(
    snapshot: Path, corpus: Path, work: Path, plan: Plan, ingest_seconds: float | None = None
) -> Figure:
    """Start-up from the snapshot against a full load: ``serve --data``, or this run's ingest."""
    log = work / "servers.log"
    starts = []
    for n in range(plan.startups):
        say(f"start-up from the snapshot, {n + 1} of {plan.startups}")
        port = free_port()
        with running(serve_command(port, snapshot=snapshot), port, log) as server:
            starts.append(server.startup_seconds)
    label = "trialgraph serve --data CORPUS (parse, resolve, build, index)"
    if ingest_seconds is None:
        say("start-up from the documents (a full load)")
        port = free_port()
        with running(serve_command(port, data=corpus), port, log) as server:
            full = server.startup_seconds
    else:
        full, label = (
            ingest_seconds,
            "this run's ingest of the corpus (load_graph: parse, resolve, build, index)",
        )
    return Figure(
        group="start-up",
        name="trialgraph serve: start to first answer",
        unit="s",
        value=statistics.median(starts),
        baseline=full,
        baseline_label=label,
        lower_is_better=True,
        target=Target(20, at_most=True),
        samples=len(starts),
        baseline_samples=1,
        note="ours: trialgraph serve --snapshot; each timed from starting the process to its first /health",
    )


def _http_figures(
    snapshot: Path, work: Path, options: Options, plan: Plan, workload: Workload, documents: dict[str, str]
) -> tuple[list[Figure], dict[str, Any]]:
    log = work / "servers.log"
    ours_port, reference_port = free_port(), free_port()
    served: dict[str, Any] = {}
    with (
        running(serve_command(ours_port, snapshot=snapshot, workers=options.workers), ours_port, log) as ours,
        running(reference_command(reference_port, snapshot), reference_port, log) as reference,
    ):
        say(f"HTTP: ours at {ours.url}, references at {reference.url}, {plan.load.clients} clients")
        figures, runs = latency_figures(ours.url, reference.url, workload, documents, plan.load)
        say("HTTP: GraphQL overhead (plain endpoint)")
        figures.append(
            overhead_figure(runs["TrialCard"], (ours.url, reference.url), workload, documents, plan.load)
        )
        say("HTTP: the 10,000-object answer")
        figures.append(big_answer_http(ours.url, reference.url, workload, plan.load))
        served = {"ours_rss_mb": rss_mb(ours.pid), "reference_rss_mb": rss_mb(reference.pid)}
    return figures, served


def _machine() -> dict[str, Any]:
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            memory = next(line for line in meminfo if line.startswith("MemTotal:")).split(":")[1].strip()
    except (OSError, StopIteration):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def run_suite(options: Options) -> tuple[list[Figure], dict[str, Any]]:
    """Measure every figure; the figures, and the summary as plain data (figures, corpus,
    workload, raw ingest results, machine, settings)."""
    plan = Plan.of(options)
    limits = Limits()
    started = time.perf_counter()
    machine = _machine()
    documents = contract_documents()
    figures: list[Figure] = []
    with work_folder(options.work) as work:
        corpus = _corpus(options, work)
        snapshot, pickled = work / "graph.snapshot", work / "baseline.pickle"
        say(f"ingest, ours: load_graph({corpus.name}) in a fresh process")
        ours = measure_ingest("ours", corpus, snapshot)
        baseline = None
        if not options.registry:
            say("ingest, baseline: load_records + build_networkx in a fresh process")
            baseline = measure_ingest("baseline", corpus, pickled)
        figures += _ingest_figures(ours, baseline)
        say("ingest stages: CPU time of each, one process, beside orjson decoding the records")
        stages = run_stages(corpus)
        figures += stage_figures(stages, ours["cpu_seconds"], ours["trials"])

        trial_graph = open_snapshot(snapshot)
        tune_collector()  # as trialgraph serve runs; the baseline's calls in this process run so too
        workload = choose_workload(trial_graph, limits, sample=plan.sample, seed=options.seed)
        say("graph work in process")
        baseline_graph = None
        if baseline is not None:
            with open(pickled, "rb") as stream:
                baseline_graph = pickle.load(stream)
        settle_heap()  # as trialgraph serve does once loaded: both graphs out of the collector's scans
        if baseline_graph is None:
            figures += standard_figures(trial_graph, workload, documents, (plan.ours, plan.baseline), limits)
        else:
            figures += contract_figures(
                trial_graph, baseline_graph, workload, documents, (plan.ours, plan.baseline), limits
            )
        del baseline_graph
        resettle_heap()
        say("the 10,000-object answer in process")
        big_in_process = big_answer_figure(trial_graph, workload, plan.big, limits)

        ingest_seconds = ours["seconds"] if baseline is None else None
        figures.append(_startup_figure(snapshot, corpus, work, plan, ingest_seconds))
        http, served = _http_figures(snapshot, work, options, plan, workload, documents)
        figures += [figure for figure in http if not figure.group.startswith("10,000")]
        figures += [big_in_process, *(figure for figure in http if figure.group.startswith("10,000"))]
        say("whole-graph GraphML export")
        figures += export_figures(
            trial_graph, snapshot, work, plan.export_repeat, networkx=not options.registry
        )
    machine["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    settings = {
        name: str(value) if isinstance(value, Path) else value for name, value in asdict(options).items()
    }
    return figures, {
        "figures": [figure.as_json() for figure in figures],
        "corpus": {
            "path": str(corpus),
            "trials": ours["trials"],
            "nodes": ours["nodes"],
            "edges": ours["edges"],
            "snapshot_bytes": ours["output_bytes"],
            "baseline_nodes": baseline and baseline["nodes"],
            "baseline_edges": baseline and baseline["edges"],
        },
        "workload": workload.notes,
        "ingest": {"ours": ours, "baseline": baseline, "stages": stages},
        "served": served,
        "machine": machine,
        "settings": {**settings, "plan": asdict(plan)},
        "seconds": round(time.perf_counter() - started, 1),
    }
