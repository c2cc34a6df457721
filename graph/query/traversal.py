"""Graph-shaped questions: the neighborhood of a node and the shortest path between two.

Both ignore edge direction: a trial reaches its sites and a site its trials. They walk the
store's rows of positions with numpy, a frontier at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from operator import attrgetter

import numpy as np

from graph.compact.graph import CompactGraph, neighbor_positions
from graph.compact.positions import distinct
from graph.compact.store import EDGE_KINDS, NODE_KIND_CODE, GraphStore
from graph.errors import QueryLimitError, UnknownNodeError
from graph.model import NodeKind

EDGE_KIND_VALUES = tuple(kind.value for kind in EDGE_KINDS)  # by stored code, without the enum


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


def _frontier_neighbors(store: GraphStore, frontier: np.ndarray) -> np.ndarray:
    if not len(frontier):
        return frontier
    return distinct(np.concatenate([neighbor_positions(store, int(p)) for p in frontier.tolist()]))


def neighborhood(
    graph: CompactGraph,
    center: str,
    hops: int,
    kinds: Iterable[NodeKind] | None = None,
    max_nodes: int | None = None,
) -> Subgraph:
    """Every node within ``hops`` edges of ``center``, either direction, and the edges among them.

    With ``kinds``, only nodes of those kinds are reached (and passed through); the center is
    always in. More than ``max_nodes`` nodes raise :class:`QueryLimitError`.
    """
    store = graph.store
    start = store.position(center)
    if start is None:
        raise UnknownNodeError(center)
    allowed = None if kinds is None else [NODE_KIND_CODE[kind.value] for kind in kinds]
    seen = np.array([start], dtype=np.uint32)
    frontier = seen
    for _ in range(hops):
        reached = np.setdiff1d(_frontier_neighbors(store, frontier), seen, assume_unique=True)
        if allowed is not None:
            reached = reached[np.isin(store.node_kinds[reached], allowed)]
        seen = np.union1d(seen, reached).astype(np.uint32)
        if max_nodes is not None and len(seen) > max_nodes:
            raise QueryLimitError("neighborhood size (nodes)", max_nodes, len(seen), "were reached")
        frontier = reached
    return Subgraph([store.id(p) for p in seen.tolist()], _links_among(store, seen))


def _links_among(store: GraphStore, nodes: np.ndarray) -> list[Link]:
    """The edges whose two ends are both in ``nodes`` (sorted positions), found for all the
    nodes' outgoing edges at once."""
    starts = store.out_offsets[nodes].astype(np.int64)
    counts = store.out_offsets[nodes + 1].astype(np.int64) - starts
    # The places of every outgoing edge of the nodes: each node's run of edges, end to end.
    runs = np.repeat(starts - np.cumsum(counts) + counts, counts)
    edges = runs + np.arange(len(runs), dtype=np.int64)
    sources = np.repeat(nodes, counts)
    targets = store.out_target[edges]
    at = np.minimum(np.searchsorted(nodes, targets), len(nodes) - 1)
    inside = nodes[at] == targets
    names: dict[int, str] = {}

    def name(position: int) -> str:
        if (found := names.get(position)) is None:
            found = names[position] = store.id(position)
        return found

    links = [
        Link(name(source), name(target), EDGE_KIND_VALUES[kind], store.key(edge))
        for source, target, kind, edge in zip(
            sources[inside].tolist(),
            targets[inside].tolist(),
            store.out_kind[edges[inside]].tolist(),
            edges[inside].tolist(),
            strict=True,
        )
    ]
    links.sort(key=attrgetter("source", "target", "key"))
    return links


def shortest_path(graph: CompactGraph, source: str, target: str) -> Subgraph | None:
    """One shortest path ignoring direction, as its nodes in order and the edges between them.

    ``None`` where no path exists. A breadth-first search from both ends, a frontier at a time,
    always growing the side with fewer edges to read; ties and several edges between two nodes
    are broken by position and edge kind, so the answer is the same on every call.
    """
    store = graph.store
    ends = [store.position(source), store.position(target)]
    for node, position in zip((source, target), ends, strict=True):
        if position is None:
            raise UnknownNodeError(node)
    start, goal = int(ends[0]), int(ends[1])  # type: ignore[arg-type]
    if start == goal:
        return Subgraph([source], [])
    unseen = -2
    parents = [np.full(store.node_count, unseen, dtype=np.int32) for _ in range(2)]
    parents[0][start], parents[1][goal] = -1, -1
    frontiers = [np.array([start], dtype=np.int64), np.array([goal], dtype=np.int64)]
    while len(frontiers[0]) and len(frontiers[1]):
        side = int(_reading_cost(store, frontiers[1]) < _reading_cost(store, frontiers[0]))
        mine, other = parents[side], parents[1 - side]
        reached = []
        for node in frontiers[side].tolist():
            neighbors = distinct(neighbor_positions(store, node)).astype(np.int64)
            new = neighbors[mine[neighbors] == unseen]
            mine[new] = node
            reached.append(new)
            met = new[other[new] != unseen]
            if len(met):
                return _path(store, parents, int(met[0]))
        frontiers[side] = np.concatenate(reached) if reached else np.zeros(0, np.int64)
    return None


def _reading_cost(store: GraphStore, frontier: np.ndarray) -> int:
    """How many edges growing a frontier reads."""
    return int(
        (store.out_offsets[frontier + 1] - store.out_offsets[frontier]).sum()
        + (store.in_offsets[frontier + 1] - store.in_offsets[frontier]).sum()
    )


def _path(store: GraphStore, parents: list[np.ndarray], meeting: int) -> Subgraph:
    forward, node = [], meeting
    while node != -1:
        forward.append(node)
        node = int(parents[0][node])
    backward, node = [], int(parents[1][meeting])
    while node != -1:
        backward.append(node)
        node = int(parents[1][node])
    positions = forward[::-1] + backward
    links = [_first_link(store, first, second) for first, second in pairwise(positions)]
    return Subgraph([store.id(p) for p in positions], links)


def _first_link(store: GraphStore, first: int, second: int) -> Link:
    candidates = []
    for source, target in ((first, second), (second, first)):
        span = store.out_range(source)
        for edge in (np.flatnonzero(store.out_target[span.lo : span.hi] == target) + span.lo).tolist():
            kind = EDGE_KINDS[int(store.out_kind[edge])].value
            candidates.append(Link(store.id(source), store.id(target), kind, store.key(edge)))
    return min(candidates, key=lambda link: (link.kind, link.key))
