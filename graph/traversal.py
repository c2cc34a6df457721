"""Graph-shaped questions: the neighborhood of a node and the shortest path between two.

Both ignore edge direction: a trial reaches its sites and a site its trials.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx

from graph.errors import QueryLimitError, UnknownNodeError
from graph.model import NodeKind


@dataclass(frozen=True, slots=True)
class Link:
    """One edge as an answer holds it."""

    source: str
    target: str
    kind: str
    key: str


@dataclass(frozen=True, slots=True)
class Subgraph:
    nodes: list[str]
    links: list[Link]


def _neighbors(graph: nx.MultiDiGraph, node: str) -> Iterable[str]:
    yield from graph.successors(node)
    yield from graph.predecessors(node)


def neighborhood(
    graph: nx.MultiDiGraph,
    center: str,
    hops: int,
    kinds: Iterable[NodeKind] | None = None,
    max_nodes: int | None = None,
) -> Subgraph:
    """Every node within ``hops`` edges of ``center``, either direction, and the edges among them.

    With ``kinds``, only nodes of those kinds are reached (and passed through); the center is
    always in. More than ``max_nodes`` nodes raise :class:`QueryLimitError`.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Trial:A", "Condition:x", key="STUDIES", kind="STUDIES")
    >>> _ = g.add_edge("Trial:B", "Condition:x", key="STUDIES", kind="STUDIES")
    >>> neighborhood(g, "Trial:A", 2).nodes
    ['Condition:x', 'Trial:A', 'Trial:B']
    """
    if center not in graph:
        raise UnknownNodeError(center)
    allowed = {kind.value for kind in kinds} if kinds is not None else None
    seen = {center}
    frontier = [center]
    for _ in range(hops):
        reached = []
        for node in frontier:
            for other in _neighbors(graph, node):
                if other in seen or (allowed is not None and other.split(":", 1)[0] not in allowed):
                    continue
                seen.add(other)
                reached.append(other)
                if max_nodes is not None and len(seen) > max_nodes:
                    raise QueryLimitError("neighborhood size (nodes)", max_nodes, len(seen))
        frontier = reached
    links = [
        Link(source, target, data["kind"], key)
        for source in sorted(seen)
        for _, target, key, data in graph.out_edges(source, keys=True, data=True)
        if target in seen
    ]
    links.sort(key=lambda link: (link.source, link.target, link.key))
    return Subgraph(sorted(seen), links)


def shortest_path(graph: nx.MultiDiGraph, source: str, target: str) -> Subgraph | None:
    """One shortest path ignoring direction, as its nodes in order and the edges between them.

    ``None`` where no path exists. Among several edges between two nodes the first by kind is
    given, so the answer is the same on every call.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Trial:A", "Condition:x", key="STUDIES", kind="STUDIES")
    >>> _ = g.add_edge("Trial:B", "Condition:x", key="STUDIES", kind="STUDIES")
    >>> [link.target for link in shortest_path(g, "Trial:A", "Trial:B").links]
    ['Condition:x', 'Condition:x']
    """
    for node in (source, target):
        if node not in graph:
            raise UnknownNodeError(node)
    try:
        nodes = nx.bidirectional_shortest_path(graph.to_undirected(as_view=True), source, target)
    except nx.NetworkXNoPath:
        return None
    links = []
    for first, second in pairwise(nodes):
        candidates = [
            Link(first, second, data["kind"], key)
            for key, data in graph.get_edge_data(first, second, default={}).items()
        ]
        candidates += [
            Link(second, first, data["kind"], key)
            for key, data in graph.get_edge_data(second, first, default={}).items()
        ]
        links.append(min(candidates, key=lambda link: (link.kind, link.key)))
    return Subgraph(list(nodes), links)
