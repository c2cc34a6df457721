"""What an export holds: the whole graph or one node's neighborhood, and where it came from.

A :class:`GraphExport` hands the writers its nodes and edges as fresh iterators over the
loaded graph (so a writer may pass over them twice: once to declare attribute types, once to
write) and never copies the graph. Its :class:`Metadata` is what every format writes at graph
level: the data version, the source documents, the export time and the selection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from graph.compact.graph import CompactGraph
from graph.compact.store import GraphStore
from graph.model import LIST_SEPARATOR, NodeKind
from graph.query.traversal import neighborhood

NodeItem = tuple[str, dict[str, Any]]
EdgeItem = tuple[str, str, str, dict[str, Any]]
Named = tuple[object, dict[str, Any]]  # attributes, and what names their node or edge in an error


@dataclass(frozen=True, slots=True)
class Selection:
    """The whole graph (no ``node``), or every node within ``hops`` edges of ``node``."""

    node: str | None = None
    hops: int = 0

    def __str__(self) -> str:
        return "whole graph" if self.node is None else f"node={self.node} hops={self.hops}"


@dataclass(frozen=True, slots=True)
class Metadata:
    """Graph-level facts every format writes."""

    data_version: str
    selection: Selection
    exported_at: str  # ISO 8601, UTC, to the second
    trials: int  # trials in the export
    source_documents: tuple[str, ...]  # the distinct files those trials were read from

    def items(self) -> list[tuple[str, str | int]]:
        """The facts as attribute names and values; the documents joined by line feeds.

        >>> Metadata("v1", Selection("Trial:NCT1", 2), "2025-01-01T00:00:00Z", 1, ("a.json",)).items()
        ... # doctest: +NORMALIZE_WHITESPACE
        [('dataVersion', 'v1'), ('selection', 'node=Trial:NCT1 hops=2'),
         ('exportedAt', '2025-01-01T00:00:00Z'), ('trials', 1), ('sourceDocuments', 'a.json')]
        """
        return [
            ("dataVersion", self.data_version),
            ("selection", str(self.selection)),
            ("exportedAt", self.exported_at),
            ("trials", self.trials),
            ("sourceDocuments", LIST_SEPARATOR.join(self.source_documents)),
        ]


@dataclass(frozen=True, slots=True)
class GraphExport:
    """The nodes and edges to write, read from ``graph`` as they are written."""

    graph: nx.MultiDiGraph
    metadata: Metadata
    node_ids: Sequence[str] | None = None  # None: every node, in graph order
    edge_keys: Sequence[tuple[str, str, str]] | None = None  # None: every edge

    def nodes(self) -> Iterator[NodeItem]:
        if self.node_ids is None:
            if isinstance(self.graph, CompactGraph):  # straight from the arrays: several times faster
                yield from self.graph.store.node_items()
            else:
                yield from self.graph.nodes(data=True)
        else:
            node_data = self.graph.nodes
            for node in self.node_ids:
                yield node, node_data[node]

    def edges(self) -> Iterator[EdgeItem]:
        if self.edge_keys is None:
            if isinstance(self.graph, CompactGraph):
                yield from self.graph.store.edge_items()
            else:
                yield from self.graph.edges(keys=True, data=True)
        else:
            adjacency = self.graph.succ
            for source, target, key in self.edge_keys:
                yield source, target, key, adjacency[source][target][key]

    def attribute_dicts(self) -> tuple[Iterator[Named], Iterator[Named]]:
        """The attributes of the nodes and of the edges, each with what names it in an error: a
        pass over values only, read straight from the arrays for a whole compact graph."""
        store = self.whole_store()
        if store is not None:
            return (
                ((f"at position {n}", data) for n, data in enumerate(store.attribute_dicts())),
                ((f"at position {n}", data) for n, data in enumerate(store.attribute_dicts(edges=True))),
            )
        return (
            ((node, data) for node, data in self.nodes()),
            (((source, target, key), data) for source, target, key, data in self.edges()),
        )

    def whole_store(self) -> GraphStore | None:
        """The store of a whole compact graph (the nodes and edges in its own order); else ``None``."""
        if self.node_ids is None and self.edge_keys is None and isinstance(self.graph, CompactGraph):
            return self.graph.store
        return None

    def value_types(self) -> dict[str, dict[str, list[str]]] | None:
        """For a whole compact graph, the attribute names and value types its store was
        assembled with; otherwise ``None`` (they are found by a pass over the values)."""
        store = self.whole_store()
        return None if store is None else store.value_types or None

    @property
    def number_of_nodes(self) -> int:
        return self.graph.number_of_nodes() if self.node_ids is None else len(self.node_ids)

    @property
    def number_of_edges(self) -> int:
        return self.graph.number_of_edges() if self.edge_keys is None else len(self.edge_keys)


def select(
    graph: nx.MultiDiGraph,
    node: str | None = None,
    hops: int = 1,
    *,
    max_nodes: int | None = None,
    exported_at: datetime | None = None,
) -> GraphExport:
    """The whole graph, or the neighborhood of ``node`` within ``hops`` (as
    :func:`graph.query.traversal.neighborhood` finds it), ready to write.

    The metadata names the source documents of the selected trials. An unknown ``node`` raises
    :class:`~graph.errors.UnknownNodeError`; more than ``max_nodes`` nodes raise
    :class:`~graph.errors.QueryLimitError`.

    Examples
    --------
    >>> from graph.compact.graph import CompactGraph
    >>> g = nx.MultiDiGraph(dataVersion="v1")
    >>> _ = g.add_edge("Trial:A", "Condition:x", key="STUDIES", kind="STUDIES")
    >>> _ = g.add_edge("Trial:B", "Condition:x", key="STUDIES", kind="STUDIES")
    >>> _ = g.add_edge("Trial:B", "Condition:y", key="STUDIES", kind="STUDIES")
    >>> part = select(CompactGraph.from_networkx(g), "Trial:A", 1)
    >>> [node for node, _ in part.nodes()], part.number_of_edges, str(part.metadata.selection)
    (['Condition:x', 'Trial:A'], 1, 'node=Trial:A hops=1')
    """
    moment = (exported_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    node_ids: tuple[str, ...] | None = None
    edge_keys: tuple[tuple[str, str, str], ...] | None = None
    if node is not None:
        found = neighborhood(graph, node, hops, max_nodes=max_nodes)
        node_ids = tuple(found.nodes)
        edge_keys = tuple((link.source, link.target, link.key) for link in found.links)
    if node_ids is None:  # the whole graph: the counts it carries, else a count of its trials
        trials = graph.graph.get("trials")
        if trials is None:
            trials = sum(1 for _, kind in graph.nodes(data="kind") if kind == NodeKind.TRIAL.value)
        documents = sorted(graph.graph.get("sourceDocuments", []))
    else:
        selected = [graph.nodes[node_id] for node_id in node_ids if node_id.startswith("Trial:")]
        trials = len(selected)
        listed = (str(data.get("sourceDocuments", "")).split(LIST_SEPARATOR) for data in selected)
        documents = sorted({path for paths in listed for path in paths if path})
    metadata = Metadata(
        data_version=str(graph.graph.get("dataVersion", "")),
        selection=Selection() if node is None else Selection(node, hops),
        exported_at=moment.isoformat().replace("+00:00", "Z"),
        trials=int(trials),
        source_documents=tuple(documents),
    )
    return GraphExport(graph, metadata, node_ids, edge_keys)
