"""Nodes and edges given to the store's builder column by column (graph.compact.assemble:
``StoreBuilder.nodes`` and ``StoreBuilder.edge_columns``) make the store that giving them one by
one makes: the same nodes, edges, keys, attributes and the names and types they hold; a small
attribute dict met again is kept once, whichever way it came."""

from __future__ import annotations

from typing import Any

import numpy as np

from graph.compact.assemble import StoreBuilder
from graph.compact.encoded import NewEdges, encoded
from graph.compact.store import EDGE_KIND_CODE, NO_POSITION, GraphStore
from graph.model import EdgeKind

STUDIES, CONDUCTED_AT = EdgeKind.STUDIES.value, EdgeKind.CONDUCTED_AT.value
LONG = "x" * 200  # an attribute dict too large to be shared
FLU = {"kind": STUDIES, "field": "conditions[0]", "position": 0}  # two trials' edges hold it
EDGES: list[tuple[str, str, str, str, dict[str, Any]]] = [
    ("Trial:NCT1", "Condition:flu", STUDIES, STUDIES, dict(FLU)),
    ("Trial:NCT1", "Site:a", CONDUCTED_AT, CONDUCTED_AT, {"kind": CONDUCTED_AT, "position": 1, "text": LONG}),
    ("Trial:NCT2", "Condition:flu", STUDIES, STUDIES, dict(FLU)),
    ("Trial:NCT2", "Site:a", CONDUCTED_AT, "again", {"kind": CONDUCTED_AT, "spelling": LONG}),
    ("Trial:NCT2", "Condition:cold", STUDIES, STUDIES, {"kind": STUDIES, "recruiting": True, "weight": 0.5}),
]  # fmt: skip


def _named(builder: StoreBuilder) -> GraphStore:
    """The store, every node given its attributes once its edges are in (as entities are)."""
    for node in ("Condition:flu", "Condition:cold", "Site:a"):
        builder.set_attributes(builder.node(node), {"kind": node.split(":")[0]})
    return builder.assemble({})


def _content(store: GraphStore) -> list[Any]:
    nodes = list(store.node_items())
    edges = list(store.edge_items())
    return [nodes, edges, store.value_types, len(store.edge_attributes.data)]


def _one_by_one() -> GraphStore:
    builder = StoreBuilder()
    for node in ("Trial:NCT1", "Trial:NCT2"):
        builder.set_attributes(builder.node(node), {"kind": "Trial"})
    for source, target, kind, key, attributes in EDGES:
        builder.edge(source, target, kind, key, attributes)
    return _named(builder)


def _in_columns() -> GraphStore:
    builder = StoreBuilder()
    for node in ("Trial:NCT1", "Trial:NCT2"):
        builder.set_attributes(builder.node(node), {"kind": "Trial"})
    ends = [end for source, target, *_ in EDGES for end in (source, target)]
    positions = builder.nodes(ends)
    assert positions["Trial:NCT1"] == 0 and len(positions) == 5
    made = [encoded(attributes) for *_, attributes in EDGES]
    builder.edge_columns(
        NewEdges(
            sources=np.array([positions[edge[0]] for edge in EDGES]),
            targets=np.array([positions[edge[1]] for edge in EDGES]),
            kinds=np.array([EDGE_KIND_CODE[edge[2]] for edge in EDGES]),
            positions=np.array([edge[4].get("position", NO_POSITION) for edge in EDGES]),
            keys=[edge[3] for edge in EDGES],
            blobs=[blob for blob, _ in made],
            signatures=[signature for _, signature in made],
            signature_of=np.arange(len(EDGES)),
        )
    )
    return _named(builder)


def test_edges_given_in_columns_make_the_store_edges_given_one_by_one_make() -> None:
    one_by_one, in_columns = _one_by_one(), _in_columns()
    assert _content(in_columns) == _content(one_by_one)
    edges = list(in_columns.edge_items())
    assert len(edges) == len(EDGES) and {key for *_, key, _ in edges} == {STUDIES, CONDUCTED_AT, "again"}
    assert in_columns.value_types["edges"]["recruiting"] == ["bool"]
    # The dict two trials' edges share is written once; the long one twice, as one by one.
    assert len(in_columns.edge_attributes.data) < sum(len(encoded(edge[4])[0]) for edge in EDGES)
