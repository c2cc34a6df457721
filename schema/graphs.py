"""Graph-shaped answers: a subgraph (a neighborhood), a path, and counts of the whole graph."""

from __future__ import annotations

import strawberry

from graph.compact.relations import label
from graph.query.traversal import Subgraph as GraphSubgraph
from schema.context import Context
from schema.enums import EdgeType, Kind, stored


@strawberry.type(description="A node as a graph drawing needs it.")
class GraphNode:
    id: strawberry.ID
    kind: Kind = strawberry.field(description="The node's type name: Trial, Condition, ...")
    label: str = strawberry.field(description="A human-readable name.")


@strawberry.type(description="An edge as a graph drawing needs it; `source` and `target` are node ids.")
class GraphEdge:
    source: strawberry.ID
    target: strawberry.ID
    type: EdgeType


@strawberry.type(description="Nodes and the edges among them.")
class Subgraph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]


@strawberry.type(description="A shortest path: its nodes in order and the edge between each pair.")
class Path:
    length: int = strawberry.field(description="The number of edges.")
    nodes: list[GraphNode]
    edges: list[GraphEdge]


@strawberry.type
class KindCount:
    kind: str
    count: int


@strawberry.type(description="What the loaded graph holds.")
class Stats:
    trials: int
    nodes: list[KindCount]
    edges: list[KindCount]
    data_version: str = strawberry.field(description="Changes whenever the loaded data changes.")


def graph_node(context: Context, node: str) -> GraphNode:
    kind = stored(Kind, node.split(":", 1)[0])  # the kind an id begins with (kind_of), by a cache
    return GraphNode(id=strawberry.ID(node), kind=kind, label=label(context.graph, node))


def parts(context: Context, found: GraphSubgraph) -> tuple[list[GraphNode], list[GraphEdge]]:
    nodes = [graph_node(context, node) for node in found.nodes]
    edges = [
        GraphEdge(
            source=strawberry.ID(link.source),
            target=strawberry.ID(link.target),
            type=stored(EdgeType, link.kind),
        )
        for link in found.links
    ]
    return nodes, edges
