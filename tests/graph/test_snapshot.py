"""Snapshots: what is written is what is read back, and the wrong snapshot is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from graph.build.loading import TrialGraph, load_graph, open_snapshot, save_snapshot
from graph.compact.snapshot import FORMAT, MAGIC, SnapshotError
from graph.query.geo import sites_near
from graph.query.search import TrialFilter, find_trials, search
from tests.paths import CTGOV, SEEDS


@pytest.fixture(scope="module")
def loaded() -> TrialGraph:
    return load_graph([SEEDS, CTGOV])


@pytest.fixture(scope="module")
def snapshot_path(loaded: TrialGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshot") / "graph.snapshot"
    save_snapshot(loaded, path)
    return path


def test_a_snapshot_holds_the_same_graph(loaded: TrialGraph, snapshot_path: Path) -> None:
    opened = open_snapshot(snapshot_path, [SEEDS, CTGOV])
    assert opened.version == loaded.version and opened.fingerprint == loaded.fingerprint
    assert dict(opened.graph.graph) == dict(loaded.graph.graph)
    assert list(opened.graph.nodes) == list(loaded.graph.nodes)
    assert {node: dict(data) for node, data in opened.graph.nodes(data=True)} == {
        node: dict(data) for node, data in loaded.graph.nodes(data=True)
    }
    assert sorted(
        (u, v, k, tuple(sorted(d.items()))) for u, v, k, d in opened.graph.edges(keys=True, data=True)
    ) == sorted(
        (u, v, k, tuple(sorted(d.items()))) for u, v, k, d in loaded.graph.edges(keys=True, data=True)
    )


def test_a_snapshot_answers_like_the_graph_it_came_from(loaded: TrialGraph, snapshot_path: Path) -> None:
    opened = open_snapshot(snapshot_path)
    where = TrialFilter(country="United States", sex="FEMALE", age=67, text="cancer")
    assert (
        find_trials(opened.graph, opened.index, where).tolist()
        == find_trials(loaded.graph, loaded.index, where).tolist()
    )
    assert (
        search(opened.graph, opened.index, "dana farber").tolist()
        == search(loaded.graph, loaded.index, "dana farber").tolist()
    )
    assert opened.index.node_counts == loaded.index.node_counts


def test_a_snapshot_keeps_the_site_coordinates_and_the_mesh_terms(
    loaded: TrialGraph, snapshot_path: Path
) -> None:
    opened = open_snapshot(snapshot_path)
    assert sorted(opened.index.site_columns) == ["latitude", "longitude"]
    for name, column in loaded.index.site_columns.items():
        assert np.array_equal(opened.index.site_columns[name], column, equal_nan=True)
    boston = (42.36, -71.06, 50.0)
    near, _ = sites_near(opened.graph, opened.index, *boston)
    assert len(near) and near.tolist() == sites_near(loaded.graph, loaded.index, *boston)[0].tolist()
    where = TrialFilter(mesh_term="Neoplasms", near=boston)
    assert find_trials(opened.graph, opened.index, where).tolist() == (
        find_trials(loaded.graph, loaded.index, where).tolist()
    )
    assert opened.index.values.get("leadSponsorClass=INDUSTRY").tolist() == (
        loaded.index.values.get("leadSponsorClass=INDUSTRY").tolist()
    )


def test_a_snapshot_of_other_documents_is_refused(snapshot_path: Path) -> None:
    with pytest.raises(SnapshotError) as refused:
        open_snapshot(snapshot_path, [SEEDS])
    assert str(refused.value).startswith(f"{snapshot_path}: made from other documents than the ones given")


def test_a_snapshot_of_another_version_is_refused(snapshot_path: Path, tmp_path: Path) -> None:
    altered = tmp_path / "old.snapshot"
    data = snapshot_path.read_bytes().replace(f'"format": {FORMAT},'.encode(), b'"format": 0,', 1)
    altered.write_bytes(data)
    with pytest.raises(SnapshotError) as refused:
        open_snapshot(altered)
    assert (
        str(refused.value)
        == f"{altered}: made by another version of trialgraph: format 0 (here {FORMAT}); make it again"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a snapshot at all", "not a trialgraph snapshot"),
        (MAGIC + (5).to_bytes(8, "little") + b"{{{{{", "the snapshot's header is damaged"),
    ],
)
def test_a_file_that_is_no_snapshot_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.snapshot"
    path.write_bytes(content)
    with pytest.raises(SnapshotError) as refused:
        open_snapshot(path)
    assert str(refused.value) == f"{path}: {message}"


def test_a_truncated_snapshot_is_refused(snapshot_path: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.snapshot"
    cut.write_bytes(snapshot_path.read_bytes()[:-4096])
    with pytest.raises(SnapshotError) as refused:
        open_snapshot(cut)
    assert str(refused.value) == f"{cut}: the snapshot is truncated"


def test_changed_documents_change_the_fingerprint(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(SEEDS, folder)
    before = load_graph([folder])
    save_snapshot(before, tmp_path / "s.snapshot")
    page = next(folder.glob("*.txt"))
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(SnapshotError):
        open_snapshot(tmp_path / "s.snapshot", [folder])


def test_a_failed_write_leaves_no_file(loaded: TrialGraph, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "graph.snapshot"
    with pytest.raises(FileNotFoundError):
        save_snapshot(loaded, target)
    assert not target.exists()


def test_a_whole_graph_pass_over_the_arrays_gives_what_networkx_gives(snapshot_path: Path) -> None:
    # Small blocks, so that every block boundary is crossed many times.
    opened = open_snapshot(snapshot_path).graph
    nodes = [(node, dict(data)) for node, data in opened.nodes(data=True)]
    edges = [(s, t, k, dict(data)) for s, t, k, data in opened.edges(keys=True, data=True)]
    assert list(opened.store.node_items(block=7)) == nodes
    key = repr  # attribute dicts do not sort; their text does
    assert sorted(opened.store.edge_items(block=7), key=key) == sorted(edges, key=key)
    assert len(edges) == opened.number_of_edges() > 100
