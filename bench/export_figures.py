"""Whole-graph GraphML export: the product's streaming writer against ``networkx.write_graphml``.

Both write the same graph, each in a fresh process (:func:`bench.export_graphml.measure_in_subprocess`):
the streaming writer the product's graph opened from the snapshot (its pages read in first),
networkx the copy it can write (:func:`bench.export_graphml.networkx_copy`: XML-safe string
values, edge keys unique in the file), pickled beforehand. Speed is the file's size over the
median write time; memory the most the write added to the process's peak RSS.
"""

from __future__ import annotations

import gc
import math
import pickle
import statistics
import sys
from pathlib import Path
from typing import Any

from bench.export_graphml import JOBS, measure_in_subprocess, networkx_copy
from bench.figures import Figure, Target
from graph.build.loading import TrialGraph

GROUP = "whole-graph GraphML export"
NETWORKX = "networkx.write_graphml (lxml) on the same graph"
FLAT_MB = 100.0  # what "flat memory" allows a write to add, whatever the size of the graph


def _runs(writer: str, graph_path: Path, work: Path, repeat: int) -> list[dict[str, Any]]:
    runs = []
    for n in range(repeat):
        sys.stderr.write(f"bench: GraphML export, {writer} writer, run {n + 1} of {repeat}\n")
        runs.append(measure_in_subprocess(writer, "time", graph_path, work))
    return runs


def export_figures(
    trial_graph: TrialGraph, snapshot: Path, work: Path, repeat: int, networkx: bool = True
) -> list[Figure]:
    """Ours, in one process and in ``JOBS`` processes (``trialgraph export``'s default), against
    networkx; without ``networkx`` (registry scale, where networkx would need the graph copied
    into its dicts, tens of GB) ours alone."""
    one = _runs("streaming", snapshot, work, repeat)
    several = _runs("parallel", snapshot, work, repeat)
    theirs: list[dict[str, Any]] = []
    if networkx:
        copy_path = work / "networkx-copy.pickle"
        copy = networkx_copy(trial_graph.graph)
        with open(copy_path, "wb") as stream:
            pickle.dump(copy, stream, protocol=pickle.HIGHEST_PROTOCOL)
        del copy
        gc.collect()
        theirs = _runs("networkx", copy_path, work, repeat)
        copy_path.unlink()
    label = NETWORKX if networkx else f"not run at registry scale ({NETWORKX})"
    size = f"{one[0]['bytes'] / 1e6:,.0f} MB written by ours" + (
        f", {theirs[0]['bytes'] / 1e6:,.0f} MB by networkx" if theirs else ""
    )
    figures = []
    for name, ours, note in (
        ("one process", one, ""),
        (f"{JOBS} processes", several, "; the workers' anonymous memory added in"),
    ):
        speeds = [_speed(runs) for runs in (ours, theirs)]
        growth = [
            max(run["rss_growth_mb"] + run.get("workers_growth_mb", 0) for run in runs) if runs else math.nan
            for runs in (ours, theirs)
        ]
        figures += [
            Figure(
                group=GROUP,
                name=f"write speed, {name}",
                unit="MB/s",
                value=speeds[0],
                baseline=speeds[1],
                baseline_label=label,
                lower_is_better=False,
                target=Target(50, at_most=False),
                samples=len(ours),
                baseline_samples=len(theirs),
                note=size,
            ),
            Figure(
                group=GROUP,
                name=f"memory added while writing, {name}",
                unit="MB",
                value=growth[0],
                baseline=growth[1],
                baseline_label=label,
                lower_is_better=True,
                target=Target(FLAT_MB, at_most=True),
                samples=len(ours),
                baseline_samples=len(theirs),
                note=f"peak RSS growth{note}; flat memory taken as at most {FLAT_MB:.0f} MB added",
            ),
        ]
    return figures


def _speed(runs: list[dict[str, Any]]) -> float:
    """MB/s of the median run."""
    return runs[0]["bytes"] / 1e6 / statistics.median(run["seconds"] for run in runs) if runs else math.nan
