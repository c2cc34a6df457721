"""`trialgraph export`: the console script writes files graph tools read, or says why not."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from graph.build.loading import TrialGraph, load_graph
from graph.export import FORMATS
from graph.query.traversal import neighborhood
from tests.paths import CTGOV, REPO, SEEDS

TRIALGRAPH = Path(sys.executable).parent / "trialgraph"  # the installed console script
CENTER = "Trial:NCT00184067"


@pytest.fixture(scope="module")
def shared() -> TrialGraph:
    return load_graph([CTGOV, SEEDS])


def _export(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    command = [str(TRIALGRAPH), "export", "--data", str(CTGOV), "--data", str(SEEDS), "-q"]
    return subprocess.run(
        command + [str(argument) for argument in arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _counts(fmt: str, path: Path) -> tuple[int, int]:
    """Nodes and edges of a file, as its own reader sees them."""
    if fmt == "graphml":
        read = nx.read_graphml(path, force_multigraph=True)
        return read.number_of_nodes(), read.number_of_edges()
    if fmt == "gexf":
        read = nx.read_gexf(path)
        return read.number_of_nodes(), read.number_of_edges()
    if fmt == "cytoscape":
        elements = json.loads(path.read_text(encoding="utf-8"))["elements"]
        return len(elements["nodes"]), len(elements["edges"])
    with zipfile.ZipFile(path) as archive:
        nodes, edges = (
            sum(1 for _ in csv.reader(io.TextIOWrapper(archive.open(name), encoding="utf-8", newline=""))) - 1
            for name in ("nodes.csv", "relationships.csv")
        )
    return nodes, edges  # rows after the header


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_writes_the_whole_graph(shared: TrialGraph, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"whole{FORMATS[fmt].extension}"
    result = _export("--format", fmt, "--output", path)
    nodes, edges = shared.graph.number_of_nodes(), shared.graph.number_of_edges()
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == (
        f"exported {nodes:,} nodes and {edges:,} edges ({path.stat().st_size:,} bytes, {fmt}) to {path}\n"
    )
    assert _counts(fmt, path) == (nodes, edges)
    assert [child.name for child in tmp_path.iterdir()] == [path.name]


def test_export_writes_a_neighborhood_beyond_the_service_limit(shared: TrialGraph, tmp_path: Path) -> None:
    path = tmp_path / "part.graphml"
    result = _export("--format", "graphml", "--output", path, "--node", CENTER, "--hops", "4")
    expected = neighborhood(shared.graph, CENTER, 4)  # the service stops at max_hops 3
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(
        f"exported {len(expected.nodes):,} nodes and {len(expected.links):,} edges"
    )
    read = nx.read_graphml(path, force_multigraph=True)
    assert sorted(read.nodes) == expected.nodes
    assert read.graph["selection"] == f"node={CENTER} hops=4"


def test_an_unknown_node_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    result = _export("--format", "gexf", "--output", tmp_path / "x.gexf", "--node", "Trial:NCT99999999")
    assert (result.returncode, result.stderr) == (
        1,
        "trialgraph export: --node: no node has the id 'Trial:NCT99999999'\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_hops_without_a_node_is_a_usage_error(tmp_path: Path) -> None:
    result = _export("--format", "gexf", "--output", tmp_path / "x.gexf", "--hops", "2")
    assert (result.returncode, result.stderr) == (2, "trialgraph export: --hops needs --node\n")


def test_an_unwritable_output_is_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "x.graphml"
    result = _export("--format", "graphml", "--output", missing)
    assert (result.returncode, result.stderr) == (
        1,
        f"trialgraph export: cannot write {missing}: No such file or directory\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_format_is_refused_by_the_parser(tmp_path: Path) -> None:
    result = _export("--format", "dot", "--output", tmp_path / "x.dot")
    assert result.returncode == 2
    assert "invalid choice: 'dot'" in result.stderr


def _without_export_time(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if "Z</data>" not in line]


def test_several_processes_write_the_same_graphml_and_progress_shows(
    shared: TrialGraph, tmp_path: Path
) -> None:
    one, several = tmp_path / "one.graphml", tmp_path / "several.graphml"
    assert _export("--format", "graphml", "--output", one, "--jobs", "1").returncode == 0
    command = [str(TRIALGRAPH), "export", "--data", str(CTGOV), "--data", str(SEEDS), "--format", "graphml"]
    shown = subprocess.run(
        [*command, "--output", str(several), "--jobs", "3"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert _without_export_time(several) == _without_export_time(one)
    assert len(_without_export_time(one)) == len(one.read_text(encoding="utf-8").splitlines()) - 1
    size = several.stat().st_size
    assert f"writing: {size / 1e6:,.1f} MB," in shown.stderr.splitlines()[-2]
    counts = f"{shared.graph.number_of_nodes():,} nodes and {shared.graph.number_of_edges():,} edges"
    assert shown.stderr.splitlines()[-1].startswith(f"exported {counts} ({size:,} bytes, graphml)")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_whole_number_of_one_or_more(tmp_path: Path, jobs: str) -> None:
    result = _export("--format", "graphml", "--output", tmp_path / "out.graphml", "--jobs", jobs)
    assert result.returncode == 2
    assert f"argument --jobs: expected a whole number of 1 or more, got {jobs!r}" in result.stderr
    assert list(tmp_path.iterdir()) == []
