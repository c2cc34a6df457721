"""Loading builds the same graph whether documents come in NCT order (built as they are read)
or not (read first, then built)."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph.trialgraph as trialgraph
from graph.load import Progress
from graph.trialgraph import TrialGraph, load_graph
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


@pytest.mark.parametrize("paths", [[CTGOV], [PAGES, CTGOV]], ids=["in NCT order", "read first"])
def test_progress_says_when_reading_is_done_and_building_begins(paths: list[Path]) -> None:
    seen: list[Progress] = []
    load_graph(paths, progress=seen.append)
    *reading, building = seen
    assert building.building and not any(found.building for found in reading)
    assert building.records == reading[-1].records == 14 * len(paths)
    assert building.bytes_done == building.bytes_total == reading[-1].bytes_total > 0
