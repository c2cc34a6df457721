"""Loading builds the same graph whether documents come in NCT order (built as they are read)
or not (read first, then built)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import graph.build.loading as trialgraph
from graph.build.loading import TrialGraph, load_graph
from graph.errors import LoadError
from graph.keys import lookup_key, node_id, organization_key, person_key
from graph.read.records import BUILT, Progress
from tests.paths import CTGOV, PAGES


def _whole(loaded: TrialGraph) -> tuple[object, ...]:
    graph = loaded.graph
    return (
        loaded.version,
        dict(graph.graph),
        [(node, dict(data)) for node, data in graph.nodes(data=True)],
        sorted((u, v, k, sorted(d.items())) for u, v, k, d in graph.edges(keys=True, data=True)),
        loaded.index.node_counts,
        loaded.index.edge_counts,
    )


def test_documents_in_nct_order_are_built_as_they_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    streamed: list[bool] = []
    original = trialgraph._load_in_order

    def spy(*args: object) -> TrialGraph | None:
        result = original(*args)  # type: ignore[arg-type]
        streamed.append(result is not None)
        return result

    monkeypatch.setattr(trialgraph, "_load_in_order", spy)
    in_order = load_graph([CTGOV])
    shuffled = load_graph(sorted(CTGOV.glob("*.json"), reverse=True))
    assert streamed == [True, False]
    assert _whole(in_order) == _whole(shuffled)


FINISHING = [
    "placing sites",
    "naming entities",
    "writing and indexing entities",
    "assembling the graph",
    "indexing",
]


@pytest.mark.parametrize(
    ("paths", "steps"),
    [([CTGOV], FINISHING), ([PAGES, CTGOV], ["adding trials", *FINISHING])],
    ids=["in NCT order", "read first"],
)
def test_progress_tells_reading_then_each_step_of_building_then_built(
    paths: list[Path], steps: list[str]
) -> None:
    seen: list[Progress] = []
    load_graph(paths, progress=seen.append)
    reading = [found for found in seen if not found.building]
    building = seen[len(reading) :]
    assert reading == seen[: len(reading)] and len(reading) >= 2
    assert list(dict.fromkeys(found.step for found in building)) == [*steps, BUILT]
    assert {found.records for found in building} == {reading[-1].records} == {14 * len(paths)}
    assert {found.bytes_done for found in building} == {reading[-1].bytes_total}
    counted = [(found.step, found.step_done, found.step_total) for found in building if found.step_total]
    assert all(0 <= done < total for _, done, total in counted)
    first = {step: (done, total) for step, done, total in reversed(counted)}
    assert first["writing and indexing entities"][0] == 0
    assert first.get("adding trials", (0, 14)) == (0, 14)  # the 14 trials, each read twice


def test_a_load_leaves_nothing_frozen_out_of_the_collector(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The builder's tables are frozen out of collections while a load grows them, and thawed
    when it ends, as it ends: a process that loads (a test, a reload) still collects them."""
    monkeypatch.setattr(trialgraph, "FREEZE_EVERY", 2)
    frozen: list[int] = []
    original = trialgraph.finish_load

    def spy(*args: object) -> TrialGraph:
        frozen.append(gc.get_freeze_count())
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(trialgraph, "finish_load", spy)
    assert load_graph([CTGOV]).index.node_counts
    assert frozen and frozen[0] > 0 and gc.get_freeze_count() == 0
    broken = tmp_path / "NCT99999999.json"
    broken.write_text('{"protocolSection": ', encoding="utf-8")
    with pytest.raises(LoadError):
        load_graph([CTGOV, broken])
    assert gc.get_freeze_count() == 0


def test_a_load_keeps_no_keys_cached_once_built() -> None:
    """Keys are cached per distinct spelling while a graph is built (up to 2^20 per kind of key);
    a serving process does not carry them past the build."""
    load_graph([CTGOV])
    cached = [key.cache_info().currsize for key in (lookup_key, organization_key, person_key, node_id)]
    assert cached == [0, 0, 0, 0]
