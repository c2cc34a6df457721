"""The attributes an export holds: one declared type per name, values as text, display labels.

Graph attribute values are str, int, float or bool (:mod:`graph.build.builder`). Formats that declare
their columns before the rows (GraphML keys, GEXF attributes, CSV headers) need one type per
attribute name, found by one pass over the selected nodes and edges. A name whose values have
more than one type (an int here, a str there) is declared a string, and every value is
written as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph.export.selection import GraphExport

# Names the formats use for the structure itself: a node's id, an edge's id, ends and
# multigraph key. A graph attribute of one of these names could not be told apart.
NODE_RESERVED = frozenset({"id"})
EDGE_RESERVED = frozenset({"id", "key", "source", "target"})


class ValueType(StrEnum):
    """The type an attribute is declared with."""

    STRING = "string"
    INTEGER = "integer"
    REAL = "real"
    BOOLEAN = "boolean"


@dataclass(frozen=True, slots=True)
class AttributeTypes:
    """The declared type of every graph, node and edge attribute; ``kind`` first, then by name."""

    graph: dict[str, ValueType]
    nodes: dict[str, ValueType]
    edges: dict[str, ValueType]

    def with_edge_key(self, name: str = "key") -> AttributeTypes:
        """The same, with the edges' multigraph key declared as ``name`` (a string) after ``kind``."""
        edges = dict(self.edges)
        kind = {"kind": edges.pop("kind")} if "kind" in edges else {}
        return AttributeTypes(self.graph, self.nodes, {**kind, name: ValueType.STRING, **edges})


def value_type(value: object) -> ValueType | None:
    """The type ``value`` is written as; ``None`` for a value a graph attribute cannot hold.

    >>> [str(value_type(v)) for v in ("a", 1, 1.5, True, None)]
    ['string', 'integer', 'real', 'boolean', 'None']
    """
    return _type_of(type(value))


def value_text(value: str | int | float | bool) -> str:
    """A value as text: ``true``/``false``, decimal integers, the shortest exact float.

    >>> [value_text(v) for v in ("a", 3, 0.1, False)]
    ['a', '3', '0.1', 'false']
    """
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return float.__repr__(value)
    return int.__repr__(value)


def display_label(node: str, data: Mapping[str, Any]) -> str:
    """What a drawing shows for a node: its label, name or NCT id, else its id.

    >>> display_label("Trial:NCT1", {"nctId": "NCT1", "title": "A long title"})
    'NCT1'
    """
    for name in ("label", "name", "nctId"):
        value = data.get(name)
        if isinstance(value, str) and value:
            return value
    return node


def scan_attributes(export: GraphExport) -> AttributeTypes:
    """The declared type of every attribute of the selected nodes and edges, in one pass, and
    of the export's metadata (graph level).

    Raises ``TypeError`` for a value that is not str, int, float or bool and ``ValueError`` for
    an attribute named like a structural field (:data:`NODE_RESERVED`, :data:`EDGE_RESERVED`).

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.export.selection import select
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Site:a", kind="Site", zip="02115")
    >>> g.add_node("Site:b", kind="Site", zip=2115)
    >>> scan_attributes(select(g)).nodes
    {'kind': <ValueType.STRING: 'string'>, 'zip': <ValueType.STRING: 'string'>}
    """
    known = export.value_types()
    if known is not None:  # the store knows: no pass over the values
        nodes = _declare_seen(_types_named(known["nodes"], "node"), NODE_RESERVED, "node")
        edges = _declare_seen(_types_named(known["edges"], "edge"), EDGE_RESERVED, "edge")
    else:
        node_dicts, edge_dicts = export.attribute_dicts()
        nodes = _declare(node_dicts, NODE_RESERVED, "node")
        edges = _declare(edge_dicts, EDGE_RESERVED, "edge")
    metadata = {name: value_type(value) or ValueType.STRING for name, value in export.metadata.items()}
    return AttributeTypes(metadata, nodes, edges)


def _declare(
    items: Iterable[tuple[object, Mapping[str, Any]]], reserved: frozenset[str], what: str
) -> dict[str, ValueType]:
    seen: dict[str, set[type]] = {}
    for element, data in items:
        for name, value in data.items():
            types = seen.get(name)
            if types is None:
                if name in reserved:
                    raise ValueError(
                        f"{what} {element}: the attribute name {name!r} is reserved for the format"
                    )
                seen[name] = types = set()
            if type(value) not in types:
                if value_type(value) is None:
                    raise TypeError(
                        f"{what} {element}: attribute {name!r} holds a {type(value).__name__}; "
                        "graph attributes are str, int, float or bool"
                    )
                types.add(type(value))
    return _declare_seen(seen, reserved, what)


def _types_named(known: dict[str, list[str]], what: str) -> dict[str, set[type]]:
    """The types a store names for each attribute (:attr:`GraphStore.value_types`)."""
    seen: dict[str, set[type]] = {}
    for name, type_names in known.items():
        unknown = [type_name for type_name in type_names if type_name not in _TYPES_BY_NAME]
        if unknown:
            raise TypeError(
                f"{what}s: attribute {name!r} holds a {unknown[0]}; "
                "graph attributes are str, int, float or bool"
            )
        seen[name] = {_TYPES_BY_NAME[type_name] for type_name in type_names}
    return seen


def _declare_seen(seen: dict[str, set[type]], reserved: frozenset[str], what: str) -> dict[str, ValueType]:
    for name in seen.keys() & reserved:
        raise ValueError(f"{what}s: the attribute name {name!r} is reserved for the format")
    declared = {}
    for name in sorted(seen, key=lambda name: (name != "kind", name)):
        kinds = {_type_of(kind) or ValueType.STRING for kind in seen[name]}
        declared[name] = kinds.pop() if len(kinds) == 1 else ValueType.STRING
    return declared


_TYPES_BY_NAME: dict[str, type] = {kind.__name__: kind for kind in (str, int, float, bool)}


def _type_of(kind: type) -> ValueType | None:
    if issubclass(kind, str):
        return ValueType.STRING
    if issubclass(kind, bool):  # before int: bool is an int
        return ValueType.BOOLEAN
    if issubclass(kind, int):
        return ValueType.INTEGER
    if issubclass(kind, float):
        return ValueType.REAL
    return None
