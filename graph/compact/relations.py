"""An entity's relations, read from the graph's store: the other ends and the edges' attributes.

Relations come back in a stable order: outgoing ones by the ``position`` the source gave them (a
trial's sponsors, sites, arms ...), incoming ones by the other end's id (a condition's trials
in NCT order). A :class:`Relations` list decodes an item only when it is read, so a page of a
long list costs the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from graph.compact.graph import CompactGraph
from graph.compact.positions import distinct
from graph.compact.store import EDGE_KINDS, NODE_KINDS, Attributes, GraphStore
from graph.model import EdgeKind, NodeKind


class Relation:
    """The other end of an edge (``position``, ``node``) and the edge's attributes."""

    __slots__ = ("_edge", "edge_index", "position", "store")

    def __init__(self, store: GraphStore, position: int, edge_index: int) -> None:
        self.store = store
        self.position = position
        self.edge_index = edge_index
        self._edge: Attributes | None = None

    @property
    def node(self) -> str:
        return self.store.id(self.position)

    @property
    def edge(self) -> Attributes:
        if self._edge is None:
            self._edge = self.store.edge_attributes_of(self.edge_index)
        return self._edge

    def __repr__(self) -> str:
        return f"Relation({self.node!r}, {dict(self.edge)!r})"


class Relations(Sequence[Relation]):
    """Relations of one node, decoded when read."""

    def __init__(self, store: GraphStore, others: npt.NDArray[np.uint32], edges: npt.NDArray[Any]) -> None:
        self.store = store
        self.others = others
        self.edges = edges

    def __len__(self) -> int:
        return len(self.others)

    @overload
    def __getitem__(self, at: int) -> Relation: ...
    @overload
    def __getitem__(self, at: slice) -> list[Relation]: ...
    def __getitem__(self, at: int | slice) -> Relation | list[Relation]:
        if isinstance(at, slice):  # a page: read from the arrays at once
            others, edges = self.others[at].tolist(), self.edges[at].tolist()
            return [Relation(self.store, other, edge) for other, edge in zip(others, edges, strict=True)]
        return Relation(self.store, self.others.item(at), self.edges.item(at))

    def __iter__(self) -> Iterator[Relation]:
        for other, edge in zip(self.others.tolist(), self.edges.tolist(), strict=True):
            yield Relation(self.store, other, edge)

    def at_positions(self, position: int | None) -> list[Relation]:
        """The relations whose other end is at ``position``, found without decoding the others."""
        if position is None:
            return []
        return [self[int(at)] for at in np.flatnonzero(self.others == position)]

    def ties_ordered(self, rank: Callable[[Attributes], int]) -> Relations:
        """These relations by other end, those sharing one ordered by ``rank`` of their edges'
        attributes (stably); only those are decoded, so a long list costs its ties.

        >>> from graph.compact.assemble import StoreBuilder
        >>> b = StoreBuilder()
        >>> for n in ("Trial:NCT1", "Trial:NCT2", "Organization:x"):
        ...     b.set_attributes(b.node(n), {"kind": n.split(":")[0]})
        >>> by, one, two = "SPONSORED_BY", "Trial:NCT1", "Trial:NCT2"
        >>> for trial, role in ((one, "COLLABORATOR"), (one, "LEAD"), (two, "LEAD")):
        ...     b.edge(trial, "Organization:x", by, f"{by}:{role}", {"kind": by, "role": role})
        >>> found = incoming(CompactGraph(b.assemble({})), "Organization:x", [EdgeKind.SPONSORED_BY])
        >>> [(r.node, r.edge["role"]) for r in found.ties_ordered(lambda edge: edge["role"] != "LEAD")]
        [('Trial:NCT1', 'LEAD'), ('Trial:NCT1', 'COLLABORATOR'), ('Trial:NCT2', 'LEAD')]
        """
        others = self.others
        same = others[1:] == others[:-1]
        if not same.any():
            return self
        tied = np.zeros(len(others), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        ranks = np.zeros(len(others), dtype=np.int64)
        for at in np.flatnonzero(tied).tolist():
            ranks[at] = rank(self.store.edge_attributes_of(int(self.edges[at])))
        order = np.lexsort((ranks, others))  # stable: equal ranks keep their order
        return Relations(self.store, others[order], self.edges[order])

    def distinct_positions(self) -> npt.NDArray[np.uint32]:
        """The other ends, each once, in position (id) order."""
        return distinct(self.others)


def _position(graph: CompactGraph, node: str) -> int | None:
    return graph.store.position(node)


def outgoing(graph: CompactGraph, node: str, kinds: Iterable[EdgeKind]) -> Relations:
    """Relations from ``node`` along edges of the given kinds, in source order.

    >>> from graph.compact.assemble import StoreBuilder
    >>> b = StoreBuilder()
    >>> for n in ("Trial:NCT1", "Site:a", "Site:b"):
    ...     b.set_attributes(b.node(n), {"kind": n.split(":")[0]})
    >>> at = "CONDUCTED_AT"
    >>> b.edge("Trial:NCT1", "Site:b", at, at, {"kind": at, "position": 0})
    >>> b.edge("Trial:NCT1", "Site:a", at, at, {"kind": at, "position": 1})
    >>> [r.node for r in outgoing(CompactGraph(b.assemble({})), "Trial:NCT1", [EdgeKind.CONDUCTED_AT])]
    ['Site:b', 'Site:a']
    """
    store = graph.store
    position = _position(graph, node)
    spans = [] if position is None else [store.out_range(position, kind) for kind in kinds]
    others = [store.out_target[span.lo : span.hi] for span in spans]
    edges = [np.arange(span.lo, span.hi, dtype=np.uint32) for span in spans]
    return _joined(store, others, edges)


def incoming(graph: CompactGraph, node: str, kinds: Iterable[EdgeKind]) -> Relations:
    """Relations into ``node`` along edges of the given kinds, ordered by the other end's id."""
    store = graph.store
    position = _position(graph, node)
    spans = [] if position is None else [store.in_range(position, kind) for kind in kinds]
    others = [store.in_source[span.lo : span.hi] for span in spans]
    edges = [store.in_edge[span.lo : span.hi] for span in spans]
    relations = _joined(store, others, edges)
    if len(spans) > 1:  # several kinds: back to one order by the other end
        order = np.argsort(relations.others, kind="stable")
        relations = Relations(store, relations.others[order], relations.edges[order])
    return relations


def _joined(store: GraphStore, others: list[Any], edges: list[Any]) -> Relations:
    if len(others) == 1:
        return Relations(store, others[0], edges[0])
    if not others:
        return Relations(store, np.zeros(0, np.uint32), np.zeros(0, np.uint32))
    return Relations(store, np.concatenate(others), np.concatenate(edges))


def kind_of(node: str) -> NodeKind:
    """The kind of a node, read from its id.

    >>> kind_of("Site:a--b--c")
    <NodeKind.SITE: 'Site'>
    """
    return NodeKind(node.split(":", 1)[0])


def label_of(data: Attributes | dict[str, Any]) -> str:
    """A short human-readable name: a trial's NCT ID, an entity's name, an arm's label.

    >>> label_of({"kind": "Site", "city": "Paris", "country": "France"})
    'unnamed site, Paris, France'
    """
    kind = data["kind"]
    if kind == NodeKind.TRIAL.value:
        return str(data["nctId"])
    if kind == NodeKind.ARM.value:
        return f"{data['label']} ({data['trial']})"
    if "name" in data:
        return str(data["name"])
    place = ", ".join(str(data[part]) for part in ("city", "country") if part in data)
    return f"unnamed site, {place}" if place else "unnamed site"


def label(graph: CompactGraph, node: str) -> str:
    """The label of a node by id."""
    return label_of(graph.nodes[node])


def counts_by_kind(store: GraphStore) -> tuple[dict[str, int], dict[str, int]]:
    """How many nodes and edges of each kind the graph holds."""
    nodes = np.bincount(store.node_kinds, minlength=len(NODE_KINDS))
    edges = np.bincount(store.out_kind, minlength=len(EDGE_KINDS))
    node_counts = {kind.value: int(nodes[code]) for code, kind in enumerate(NODE_KINDS) if nodes[code]}
    edge_counts = {kind.value: int(edges[code]) for code, kind in enumerate(EDGE_KINDS) if edges[code]}
    return dict(sorted(node_counts.items())), dict(sorted(edge_counts.items()))
