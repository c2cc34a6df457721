"""The Relay ``Node`` interface: every node of the graph has a global id; ``node(id:)`` finds it.

A global id is the graph's own node id (``Trial:NCT05697718``): opaque to clients, stable for
the same data. The types of each kind register here, so that any resolver can turn a node id
into its GraphQL object without importing every type module.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import strawberry

from graph.compact.relations import Relation
from graph.compact.store import NODE_KINDS, GraphStore
from schema.context import Context
from schema.pagination import Page


@strawberry.interface(description="An object with a global id; `node(id:)` gives it back.")
class Node:
    id: strawberry.ID


N = TypeVar("N", bound=type)
_TYPES: dict[str, Callable[..., Any]] = {}


def registers(kind: str) -> Callable[[N], N]:
    """Class decorator: the GraphQL type for nodes of ``kind``."""

    def register(cls: N) -> N:
        _TYPES[kind] = cls
        return cls

    return register


def node_object(context: Context, node: str, **bound: Any) -> Any:
    """The GraphQL object of a node that exists (as :func:`node_at` gives it); ``bound`` passes
    context such as a trial."""
    position = context.graph.store.position(node)
    if position is None:
        raise KeyError(node)
    return node_at(context, position, **bound)


def node_at(context: Context, position: int, **bound: Any) -> Any:
    """The GraphQL object of the node at ``position`` in the graph's store; one made before is
    given again unless ``bound`` passes context (nothing changes a node's object)."""
    store = context.graph.store
    return _node_object(store, position, **bound) if bound else store.memoized(_node_object)(position)


def nodes_at(context: Context, positions: list[int]) -> list[Any]:
    """The GraphQL objects of the nodes at ``positions``, as :func:`node_at` gives them."""
    made = context.graph.store.memoized(_node_object)
    return [made(position) for position in positions]


def _node_object(store: GraphStore, position: int, **bound: Any) -> Any:
    cls = _type_of_code(store.node_kinds.item(position))  # the kind stored, not parsed from the id
    return cls(id=store.id(position), data=store.attributes(position), **bound)


def paged_nodes(context: Context, page: Page[Any]) -> list[tuple[int, Any]]:
    """Each item of a page of node positions: its offset and its GraphQL object."""
    nodes = nodes_at(context, [int(position) for _, position in page.items])
    return [(offset, node) for (offset, _), node in zip(page.items, nodes, strict=True)]


def paged_relations(context: Context, page: Page[Relation]) -> list[tuple[int, Relation, Any]]:
    """Each item of a page of relations: its offset, the relation and its other end's object."""
    nodes = nodes_at(context, [relation.position for _, relation in page.items])
    return [(offset, relation, node) for (offset, relation), node in zip(page.items, nodes, strict=True)]


@cache
def _type_of_code(code: int) -> Callable[..., Any]:
    """The type of nodes of a stored kind code (the enum's lookup is the slower part of a node)."""
    return _TYPES[NODE_KINDS[code].value]


def find_node(context: Context, node: str) -> Any | None:
    """The GraphQL object of ``node``, ``None`` if no node has that id."""
    position = context.graph.store.position(node)
    return None if position is None else node_at(context, position)
