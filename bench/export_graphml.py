"""Benchmark: the streaming GraphML writer beside ``networkx.write_graphml`` on the same graph.

Run from the repository root (it is not part of the test suite)::

    .venv/bin/python bench/export_graphml.py                 # 10,000 and 30,000 trials
    .venv/bin/python bench/export_graphml.py --trials 50000 --repeat 3

The graph is built from synthetic trial records (:func:`synthetic_records`, deterministic:
shared pools of conditions, sponsors, sites, investigators and drugs, free text with markup and
control characters) by the product's own :func:`graph.build.builder.build_graph`. networkx needs a copy
with XML-safe string values and unique edge keys; it is made before anything is measured.

Every measurement runs in a fresh subprocess that loads the pickled graph (or opens a product
snapshot, :func:`load_graph_file`), then writes once:

- time: wall seconds of the write to a file, and MB/s;
- tracemalloc: peak Python heap allocated during the write (libxml2 memory is not seen);
- RSS: the process's peak resident size during the write above its size when the write began,
  which does count libxml2 (the peak is reset through ``/proc/self/clear_refs`` first; where
  that is refused, ``ru_maxrss`` is used and an earlier peak while unpickling counts too).

It prints a table, then a JSON summary with the ratios measured in this run.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import mmap
import multiprocessing
import os
import pickle
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graph.build.builder import build_graph  # noqa: E402
from graph.export.attributes import value_text  # noqa: E402
from graph.export.graphml import graphml_chunks  # noqa: E402
from graph.export.output import write_stream  # noqa: E402
from graph.export.selection import select  # noqa: E402
from graph.export.xmltext import xml_safe  # noqa: E402
from graph.model import (  # noqa: E402
    LIST_SEPARATOR,
    Arm,
    Eligibility,
    Intervention,
    Location,
    Official,
    Source,
    Sponsor,
    TrialRecord,
)

JOBS = os.cpu_count() or 1  # processes of the parallel writer: trialgraph export's default
WRITERS = {
    "trialgraph (streaming)": "streaming",
    "networkx.write_graphml (lxml)": "networkx",
    "networkx.write_graphml_xml (ElementTree)": "networkx_xml",
}
WORDS = [
    *("randomized", "placebo", "controlled", "efficacy", "safety", "dose", "patients", "treatment"),
    *("outcome", "phase", "cohort", "response", "survival", "adverse", "events", "baseline", "week"),
    *("month", "therapy", "oral", "infusion", "biomarker"),
]


def synthetic_records(trials: int, seed: int = 4) -> Iterator[TrialRecord]:
    """``trials`` trial records naming shared entities, as a registry of that size would."""
    rng = random.Random(seed)

    def text(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words))

    countries = ["United States", "France", "Germany", "Japan", "Brazil", "Canada", "India", "Spain"]
    cities = [f"City {n}" for n in range(800)]
    for number in range(trials):
        nct = f"NCT9{number:07d}"
        drugs = [f"Drug {rng.randrange(trials // 4 + 1)}" for _ in range(rng.randint(1, 3))]
        summary = f'{text(60)} <{text(2)}> & "{text(3)}"\x07\n\n{text(40)}'
        yield TrialRecord(
            nct_id=nct,
            source=Source(f"synthetic/{nct}.json", format="ctgov-json"),
            brief_title=text(10).capitalize(),
            official_title=text(18).capitalize(),
            status=rng.choice(["RECRUITING", "COMPLETED", "TERMINATED", "ACTIVE_NOT_RECRUITING"]),
            phases=rng.choice([["PHASE1"], ["PHASE2"], ["PHASE2", "PHASE3"], ["PHASE3"]]),
            study_type="INTERVENTIONAL",
            enrollment=rng.randint(10, 3000),
            start_date=f"20{rng.randint(0, 24):02d}-{rng.randint(1, 12):02d}",
            last_updated="2025-01-15",
            has_results=rng.random() < 0.3,
            brief_summary=summary,
            keywords=[rng.choice(WORDS) for _ in range(3)],
            conditions=[f"Condition {rng.randrange(trials // 10 + 1)}" for _ in range(rng.randint(1, 3))],
            sponsors=[Sponsor(f"Sponsor {rng.randrange(trials // 15 + 1)} Inc.", "LEAD", "INDUSTRY")],
            officials=[
                Official(
                    f"Person {rng.randrange(trials)}, MD", "PRINCIPAL_INVESTIGATOR", f"Clinic {number % 900}"
                )
            ],
            locations=[
                Location(
                    facility=f"Hospital {rng.randrange(trials // 3 + 1)}",
                    city=rng.choice(cities),
                    country=rng.choice(countries),
                    status="RECRUITING",
                    latitude=rng.uniform(-60, 60),
                    longitude=rng.uniform(-180, 180),
                )
                for _ in range(rng.randint(1, 6))
            ],
            interventions=[Intervention(drug, "DRUG", text(12)) for drug in drugs],
            arms=[Arm(f"Arm {letter}", "EXPERIMENTAL", text(15), [0]) for letter in "AB"],
            eligibility=Eligibility(
                criteria=f"Inclusion Criteria:\n\n* {text(8)}\n\nExclusion Criteria:\n\n* {text(8)}",
                minimum_age="18 Years",
                sex="ALL",
                healthy_volunteers=False,
            ),
        )


def synthetic_graph(trials: int) -> nx.MultiDiGraph:
    records = list(synthetic_records(trials))
    graph = build_graph(records, {record.nct_id: [record.source] for record in records})
    graph.graph.update(dataVersion=f"synthetic-{trials}", trials=trials)
    return graph


def networkx_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What networkx can write validly: XML-safe string values, edge keys unique in the file; a
    list at graph level (a loaded graph's ``sourceDocuments``) is its items joined by line feeds."""
    copy = nx.MultiDiGraph()
    copy.graph.update(
        {
            name: xml_safe(value_text(LIST_SEPARATOR.join(value) if isinstance(value, list) else value))
            for name, value in graph.graph.items()
        }
    )
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{name: xml_safe(value_text(value)) for name, value in data.items()})
    for number, (source, target, key, data) in enumerate(graph.edges(keys=True, data=True)):
        values = {name: xml_safe(value_text(value)) for name, value in data.items()}
        copy.add_edge(source, target, key=f"e{number}", key_=key, **values)
    return copy


# -- one measurement, in a subprocess ---------------------------------------------------------------


def _write(writer: str, graph: nx.MultiDiGraph, output: Path) -> dict[str, Any]:
    """Write ``graph``; for the parallel writer, what its workers added to their memory."""
    if writer == "streaming":
        with open(output, "wb") as stream:
            write_stream(graphml_chunks(select(graph)), stream)
    elif writer == "parallel":
        with open(output, "wb") as stream:
            return _write_parallel(graphml_chunks(select(graph), jobs=JOBS), stream)
    elif writer == "networkx":
        nx.write_graphml(graph, output)
    else:
        nx.write_graphml_xml(graph, output)
    return {}


def _write_parallel(chunks: Iterator[bytes], stream: Any) -> dict[str, Any]:
    """Write the chunks of the parallel writer, sampling its workers' anonymous memory (the
    file pages of the shared graph they read are not theirs) every 20 ms from the first chunk,
    by when the workers are forked; each worker's growth is over the RssAnon it was forked with."""
    forked_with = status_kb("RssAnon")
    peaks: dict[int, int] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.02):
            for child in multiprocessing.active_children():
                with contextlib.suppress(OSError, StopIteration, ValueError):
                    peaks[child.pid or 0] = max(peaks.get(child.pid or 0, 0), _anon_kb(child.pid or 0))

    sampler = threading.Thread(target=sample, daemon=True)
    for number, chunk in enumerate(chunks):
        stream.write(chunk)
        if number == 0:
            sampler.start()
    stop.set()
    sampler.join()
    growth = sum(max(0, peak - forked_with) for peak in peaks.values())
    return {"workers": len(peaks), "workers_growth_mb": growth / 1024}


def _anon_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("RssAnon:"))
    return int(line.split()[1])


def status_kb(field: str, process: int | str = "self") -> int:
    """A memory figure (VmRSS, VmHWM) of this process, or of the one with pid ``process``, from
    its ``/proc`` status, in KiB."""
    with open(f"/proc/{process}/status") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1])


def reset_peak_rss() -> bool:
    """Start the peak RSS (VmHWM) afresh (Linux 4.0+), so unpickling's own peak does not count."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def load_graph_file(path: Path) -> nx.MultiDiGraph:
    """A pickled graph, or the graph of a product snapshot (``.snapshot``) with every page of its
    mapping read in first, so that what a write adds to the RSS is the writer's own, as for an
    unpickled graph."""
    if path.suffix != ".snapshot":
        with open(path, "rb") as stream:
            return pickle.load(stream)
    from graph.build.loading import open_snapshot

    graph = open_snapshot(path).graph
    mapped = graph.store.out_target.base  # every array is a view of the whole mapped file
    assert mapped is not None
    int(np.frombuffer(mapped, dtype=np.uint8)[:: mmap.PAGESIZE].sum())
    return graph


def measure(writer: str, mode: str, graph_path: Path, output: Path) -> dict[str, Any]:
    graph = load_graph_file(graph_path)
    gc.collect()
    result: dict[str, Any] = {"writer": writer, "mode": mode}
    if mode == "time":
        exact = reset_peak_rss()
        before = status_kb("VmRSS")
        started = time.perf_counter()
        result |= _write(writer, graph, output)
        result["seconds"] = time.perf_counter() - started
        peak = status_kb("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["rss_growth_mb"] = max(0, peak - before) / 1024
    else:
        tracemalloc.start()
        _write(writer, graph, output)
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result["bytes"] = output.stat().st_size
    output.unlink()
    return result


def measure_in_subprocess(writer: str, mode: str, graph_path: Path, folder: Path) -> dict[str, Any]:
    """:func:`measure` in a fresh Python process; the graph is read from ``graph_path``."""
    output = folder / "out.graphml"
    command = [sys.executable, __file__, "--measure", writer, mode, str(graph_path), str(output)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO)
    return dict(json.loads(done.stdout))


# -- the run ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, nargs="+", default=[10_000, 30_000], help="graph sizes")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per writer (the median is kept)")
    parser.add_argument(
        "--measure", nargs=4, metavar=("WRITER", "MODE", "GRAPH", "OUTPUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.measure:
        writer, mode, graph_path, output = args.measure
        print(json.dumps(measure(writer, mode, Path(graph_path), Path(output))))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="trialgraph-bench-") as temporary:
        folder = Path(temporary)
        for trials in args.trials:
            graph = synthetic_graph(trials)
            pickled = {"streaming": folder / "graph.pickle", "networkx": folder / "copy.pickle"}
            with open(pickled["streaming"], "wb") as stream:
                pickle.dump(graph, stream, protocol=pickle.HIGHEST_PROTOCOL)
            with open(pickled["networkx"], "wb") as stream:
                pickle.dump(networkx_copy(graph), stream, protocol=pickle.HIGHEST_PROTOCOL)
            size = {"trials": trials, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
            del graph
            for label, writer in WRITERS.items():
                graph_path = pickled["streaming" if writer == "streaming" else "networkx"]
                timed = [
                    measure_in_subprocess(writer, "time", graph_path, folder) for _ in range(args.repeat)
                ]
                traced = measure_in_subprocess(writer, "memory", graph_path, folder)
                seconds = statistics.median(run["seconds"] for run in timed)
                megabytes = timed[0]["bytes"] / 1e6
                rows.append(
                    {
                        **size,
                        "writer": label,
                        "mb": round(megabytes, 1),
                        "seconds": round(seconds, 2),
                        "mb_per_s": round(megabytes / seconds, 1),
                        "tracemalloc_peak_mb": round(traced["tracemalloc_peak_mb"], 1),
                        "rss_growth_mb": round(max(run["rss_growth_mb"] for run in timed), 1),
                    }
                )
                print(f"measured {label} on {trials:,} trials", file=sys.stderr)
    _report(rows)


def _report(rows: list[dict[str, Any]]) -> None:
    header = f"{'trials':>7} {'nodes':>9} {'edges':>9}  {'writer':<42} {'MB':>7} {'s':>7} {'MB/s':>7} "
    header += f"{'heap peak MB':>12} {'RSS peak MB':>11}"
    print(header)
    for row in rows:
        print(
            f"{row['trials']:>7,} {row['nodes']:>9,} {row['edges']:>9,}  {row['writer']:<42} {row['mb']:>7} "
            f"{row['seconds']:>7} {row['mb_per_s']:>7} {row['tracemalloc_peak_mb']:>12} "
            f"{row['rss_growth_mb']:>11}"
        )
    ratios = []
    for trials in sorted({row["trials"] for row in rows}):
        ours = next(r for r in rows if r["trials"] == trials and r["writer"].startswith("trialgraph"))
        for other in (r for r in rows if r["trials"] == trials and not r["writer"].startswith("trialgraph")):
            ratios.append(
                {
                    "trials": trials,
                    "versus": other["writer"],
                    "speed (their seconds / ours)": round(other["seconds"] / ours["seconds"], 2),
                    "heap peak (theirs / ours)": _ratio(
                        other["tracemalloc_peak_mb"], ours["tracemalloc_peak_mb"]
                    ),
                    "rss peak (theirs / ours)": _ratio(other["rss_growth_mb"], ours["rss_growth_mb"]),
                }
            )
    summary = {"python": sys.version.split()[0], "networkx": nx.__version__, "rows": rows, "ratios": ratios}
    print(json.dumps(summary, indent=2))


def _ratio(theirs: float, ours: float) -> float:
    return round(theirs / max(ours, 0.1), 1)  # ours can round to 0 MB


if __name__ == "__main__":
    main()
