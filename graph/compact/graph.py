"""A read-only networkx ``MultiDiGraph`` whose nodes and edges live in a :class:`GraphStore`.

networkx reads a graph through four mappings (``_node``, ``_succ``, ``_pred``, ``graph``);
here they are views that decode what is asked for from the store's arrays. Every networkx
reader works unchanged (views, algorithms, ``write_graphml``); every writer raises, as on a
frozen graph. Code that wants speed uses the store directly (``graph.store``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx
import numpy as np

from graph.compact.store import Attributes, GraphStore
from graph.model import NodeKind


class _Nodes(Mapping[str, Attributes]):
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __getitem__(self, node: str) -> Attributes:
        position = self.store.position(node) if isinstance(node, str) else None
        if position is None:
            raise KeyError(node)
        return self.store.attributes(position)

    def __contains__(self, node: object) -> bool:
        return isinstance(node, str) and self.store.position(node) is not None

    def __iter__(self) -> Iterator[str]:
        ids = self.store.ids
        return (ids[position] for position in range(len(ids)))

    def __len__(self) -> int:
        return self.store.node_count


class _KeyDict(Mapping[str, Attributes]):
    """The edges between two nodes, by key."""

    def __init__(self, store: GraphStore, edges: list[int]) -> None:
        self.store = store
        self.edges = {store.key(edge): edge for edge in edges}

    def __getitem__(self, key: str) -> Attributes:
        return self.store.edge_attributes_of(self.edges[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.edges)

    def __len__(self) -> int:
        return len(self.edges)


class _Neighbors(Mapping[str, _KeyDict]):
    """One node's neighbors in one direction, each with the edges to it."""

    def __init__(self, store: GraphStore, position: int, outgoing: bool) -> None:
        self.store = store
        grouped: dict[int, list[int]] = {}
        if outgoing:
            span = store.out_range(position)
            others = store.out_target[span.lo : span.hi].tolist()
            edges = range(span.lo, span.hi)
        else:
            span = store.in_range(position)
            others = store.in_source[span.lo : span.hi].tolist()
            edges = store.in_edge[span.lo : span.hi].tolist()
        for other, edge in zip(others, edges, strict=True):
            grouped.setdefault(other, []).append(edge)
        self.grouped = {store.id(other): edge_list for other, edge_list in grouped.items()}

    def __getitem__(self, node: str) -> _KeyDict:
        return _KeyDict(self.store, self.grouped[node])

    def __contains__(self, node: object) -> bool:
        return node in self.grouped

    def __iter__(self) -> Iterator[str]:
        return iter(self.grouped)

    def __len__(self) -> int:
        return len(self.grouped)


class _Adjacency(Mapping[str, _Neighbors]):
    def __init__(self, store: GraphStore, outgoing: bool) -> None:
        self.store = store
        self.outgoing = outgoing

    def __getitem__(self, node: str) -> _Neighbors:
        position = self.store.position(node) if isinstance(node, str) else None
        if position is None:
            raise KeyError(node)
        return _Neighbors(self.store, position, self.outgoing)

    def __contains__(self, node: object) -> bool:
        return isinstance(node, str) and self.store.position(node) is not None

    def __iter__(self) -> Iterator[str]:
        ids = self.store.ids
        return (ids[position] for position in range(len(ids)))

    def __len__(self) -> int:
        return self.store.node_count


class CompactGraph(nx.MultiDiGraph):  # type: ignore[misc]
    """A frozen ``MultiDiGraph`` over a :class:`GraphStore`.

    Examples
    --------
    >>> from graph.compact.assemble import StoreBuilder
    >>> builder = StoreBuilder()
    >>> builder.set_attributes(builder.node("Trial:NCT00000001"), {"kind": "Trial", "nctId": "NCT00000001"})
    >>> builder.set_attributes(builder.node("Condition:flu"), {"kind": "Condition", "name": "Flu"})
    >>> builder.edge("Trial:NCT00000001", "Condition:flu", "STUDIES", "STUDIES", {"kind": "STUDIES"})
    >>> g = CompactGraph(builder.assemble({"trials": 1}))
    >>> list(g.edges(keys=True, data="kind")), g.graph["trials"], nx.is_frozen(g)
    ([('Trial:NCT00000001', 'Condition:flu', 'STUDIES', 'STUDIES')], 1, True)
    """

    def __init__(self, store: GraphStore) -> None:
        super().__init__()
        self.store = store
        self.graph = dict(store.graph_attributes)
        self._node = _Nodes(store)
        self._adj = _Adjacency(store, outgoing=True)
        self._pred = _Adjacency(store, outgoing=False)
        nx.freeze(self)

    @classmethod
    def from_networkx(cls, graph: nx.MultiDiGraph) -> CompactGraph:
        """A compact copy of any ``MultiDiGraph`` whose nodes are ``Kind:key`` ids and whose
        edges have a ``kind``; a node without attributes gets its ``kind``.

        >>> g = nx.MultiDiGraph(trials=1)
        >>> _ = g.add_edge("Trial:A", "Condition:x", key="STUDIES", kind="STUDIES")
        >>> compact = CompactGraph.from_networkx(g)
        >>> dict(compact.nodes["Condition:x"]), compact.graph
        ({'kind': 'Condition'}, {'trials': 1})
        """
        from graph.compact.assemble import StoreBuilder

        builder = StoreBuilder()
        for node, data in graph.nodes(data=True):
            builder.set_attributes(builder.node(node), {"kind": node.split(":", 1)[0], **data})
        for source, target, key, data in graph.edges(keys=True, data=True):
            builder.edge(source, target, data["kind"], str(key), dict(data))
        return cls(builder.assemble(dict(graph.graph)))

    def number_of_nodes(self) -> int:
        return self.store.node_count

    def __len__(self) -> int:
        return self.store.node_count

    def number_of_edges(self, u: Any = None, v: Any = None) -> int:
        if u is None and v is None:
            return self.store.edge_count
        return int(super().number_of_edges(u, v))

    def __contains__(self, node: object) -> bool:
        return isinstance(node, str) and self.store.position(node) is not None

    def ids_of(self, kind: NodeKind) -> list[str]:
        """The ids of every node of ``kind``, sorted (trials in NCT order)."""
        lo, hi = self.store.kind_range(kind)
        return [self.store.id(position) for position in range(lo, hi)]

    def in_degree_of(self, node: str) -> int:
        """The number of edges into ``node``, read from the offsets."""
        position = self.store.position(node)
        return 0 if position is None else len(self.store.in_range(position))

    def degree_of(self, node: str) -> int:
        """The number of edges at ``node``, both directions, read from the offsets."""
        position = self.store.position(node)
        if position is None:
            return 0
        return len(self.store.in_range(position)) + len(self.store.out_range(position))

    def __reduce__(self) -> Any:  # a frozen view over arrays is rebuilt from its store
        return (CompactGraph, (self.store,))


def neighbor_positions(store: GraphStore, position: int) -> np.ndarray[Any, Any]:
    """The positions of a node's neighbors, both directions, possibly repeated."""
    out = store.out_range(position)
    into = store.in_range(position)
    return np.concatenate((store.out_target[out.lo : out.hi], store.in_source[into.lo : into.hi]))
