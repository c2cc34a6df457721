"""The benchmark suite runs end to end on a tiny corpus and reports every figure beside its
baseline. Wall times are not asserted: the smoke run is too short to mean anything."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.export_graphml import JOBS
from bench.stages import STAGES, WHAT
from tests.paths import REPO

OPERATIONS = [
    "TrialCard", "Refetch", "FindTrials", "ConditionTrials", "OrganizationTrials", "InvestigatorTrials",
    "Neighborhood", "HowConnected",
]  # fmt: skip
EXPECTED = [
    ("ingest", "trials per second"),
    ("ingest", "peak memory per trial"),
    ("ingest CPU", "CPU time per trial, every process"),
    *(("ingest CPU by stage", f"{stage}: {WHAT[stage]}") for stage in STAGES),
    *(("graph work in process", f"{op} {p}") for op in OPERATIONS for p in ("p50", "p99")),
    ("graph work in process", "TrialCard graph work only (no GraphQL) p50"),
    ("start-up", "trialgraph serve: start to first answer"),
    *(
        (f"HTTP {load}", f"{op} {p}")
        for load in ("saturating", "paced")
        for op in [*OPERATIONS, "mix"]
        for p in ("p50", "p99")
    ),
    ("GraphQL overhead", "/graphql vs plain endpoint"),
    ("10,000-object answer", "in process, p50"),
    ("10,000-object answer", "through HTTP, one client, p50"),
    *(
        ("whole-graph GraphML export", f"{what}, {processes}")
        for what in ("write speed", "memory added while writing")
        for processes in ("one process", f"{JOBS} processes")
    ),
]
# At registry scale there is no networkx baseline: these figures have none.
WITHOUT_BASELINE = {"ingest", "whole-graph GraphML export"}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def test_a_quick_run_reports_every_figure_with_its_baseline_and_ratio(tmp_path: Path) -> None:
    summary_path = tmp_path / "summary.json"
    command = [sys.executable, "-m", "bench", "--quick", "--trials", "300", "--work", str(tmp_path / "work")]
    done = subprocess.run(
        [*command, "--json", str(summary_path)], cwd=REPO, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-4000:]
    summary = json.loads(summary_path.read_text())
    assert summary["corpus"]["trials"] == 300
    assert summary["corpus"]["nodes"] == summary["corpus"]["baseline_nodes"]
    figures = summary["figures"]
    found = {(figure["group"], figure["name"]) for figure in figures}
    for group, name in EXPECTED:
        assert any(g.startswith(group) and n == name for g, n in found), (group, name)
    for figure in figures:
        for field in ("value", "baseline", "ratio"):
            assert _number(figure[field]), (figure["group"], figure["name"], field, figure[field])
        assert figure["baseline_label"]
    assert "trials per second" in done.stdout  # the table is printed before the JSON
    assert json.loads(done.stdout[done.stdout.index("\n{") :]) == summary


def test_a_quick_registry_run_reports_every_figure_against_what_it_can(tmp_path: Path) -> None:
    summary_path = tmp_path / "summary.json"
    command = [sys.executable, "-m", "bench", "--quick", "--registry", "--work", str(tmp_path / "work")]
    done = subprocess.run(
        [*command, "--json", str(summary_path)], cwd=REPO, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-4000:]
    summary = json.loads(summary_path.read_text())
    assert summary["ingest"]["baseline"] is None
    figures = {(figure["group"], figure["name"]): figure for figure in summary["figures"]}
    for group, name in EXPECTED:
        if name == "TrialCard graph work only (no GraphQL) p50":
            continue  # it times the baseline's own walk
        (figure,) = [f for (g, n), f in figures.items() if g.startswith(group) and n == name]
        assert _number(figure["value"]), (group, name)
        assert _number(figure["baseline"]) == (group not in WITHOUT_BASELINE), (group, name, figure)
    in_process = [f for (g, _), f in figures.items() if g.startswith("graph work in process")]
    assert all("standard execution" in f["baseline_label"] for f in in_process)
    assert not any("ANSWERS DIFFER" in f["note"] for f in in_process)
    startup = figures[("start-up", "trialgraph serve: start to first answer")]
    assert math.isclose(startup["baseline"], summary["ingest"]["ours"]["seconds"], rel_tol=0.01)
