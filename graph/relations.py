"""An entity's relations, read from the graph: the other ends and the properties of the edges.

Relations come back in a stable order: by the ``position`` the source gave them (a trial's
sponsors, sites, arms ...), else by the id of the other end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.model import EdgeKind, NodeKind


@dataclass(frozen=True, slots=True)
class Relation:
    """The other end of an edge, and the edge's attributes."""

    node: str
    edge: dict[str, Any]


def outgoing(graph: nx.MultiDiGraph, node: str, kinds: Iterable[EdgeKind]) -> list[Relation]:
    """Relations from ``node`` along edges of the given kinds, in source order.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Trial:NCT1", "Site:b", kind="CONDUCTED_AT", position=1)
    >>> _ = g.add_edge("Trial:NCT1", "Site:a", kind="CONDUCTED_AT", position=0)
    >>> [r.node for r in outgoing(g, "Trial:NCT1", [EdgeKind.CONDUCTED_AT])]
    ['Site:a', 'Site:b']
    """
    wanted = {kind.value for kind in kinds}
    found = [
        Relation(target, data)
        for _, target, data in graph.out_edges(node, data=True)
        if data["kind"] in wanted
    ]
    found.sort(key=lambda r: (r.edge.get("position", 0), r.node))
    return found


def incoming(graph: nx.MultiDiGraph, node: str, kinds: Iterable[EdgeKind]) -> list[Relation]:
    """Relations into ``node`` along edges of the given kinds, ordered by the other end's id.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Trial:NCT2", "Condition:x", kind="STUDIES")
    >>> _ = g.add_edge("Trial:NCT1", "Condition:x", kind="STUDIES")
    >>> [r.node for r in incoming(g, "Condition:x", [EdgeKind.STUDIES])]
    ['Trial:NCT1', 'Trial:NCT2']
    """
    wanted = {kind.value for kind in kinds}
    found = [
        Relation(source, data)
        for source, _, data in graph.in_edges(node, data=True)
        if data["kind"] in wanted
    ]
    found.sort(key=lambda r: (r.node, r.edge.get("role", ""), r.edge.get("position", 0)))
    return found


def kind_of(node: str) -> NodeKind:
    """The kind of a node, read from its id.

    >>> kind_of("Site:a--b--c")
    <NodeKind.SITE: 'Site'>
    """
    return NodeKind(node.split(":", 1)[0])


def label(graph: nx.MultiDiGraph, node: str) -> str:
    """A short human-readable name: a trial's NCT ID, an entity's name, an arm's label.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Site:x", kind="Site", city="Paris", country="France")
    >>> label(g, "Site:x")
    'unnamed site, Paris, France'
    """
    data = graph.nodes[node]
    kind = data["kind"]
    if kind == NodeKind.TRIAL.value:
        return str(data["nctId"])
    if kind == NodeKind.ARM.value:
        return f"{data['label']} ({data['trial']})"
    if "name" in data:
        return str(data["name"])
    place = ", ".join(str(data[part]) for part in ("city", "country") if part in data)
    return f"unnamed site, {place}" if place else "unnamed site"


def counts_by_kind(graph: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """How many nodes and edges of each kind the graph holds."""
    nodes = Counter(kind for _, kind in graph.nodes(data="kind"))
    edges = Counter(kind for *_, kind in graph.edges(data="kind"))
    return dict(sorted(nodes.items())), dict(sorted(edges.items()))
