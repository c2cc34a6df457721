"""Loading builds the same graph whether documents come in NCT order (built as they are read)
or not (read first, then built)."""

from __future__ import annotations

import pytest

import graph.trialgraph as trialgraph
from graph.trialgraph import TrialGraph, load_graph
from tests.paths import CTGOV


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
