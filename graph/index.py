"""Indexes beside the graph: names to nodes, enum values to trials, words to trials and nodes.

Look-ups by name, trial filters and text search answer from these and from the graph's own
adjacency (an entity's trials are its predecessors), never from a scan of every trial.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.keys import lookup_key, organization_key, person_key, words
from graph.model import LIST_SEPARATOR, NodeKind
from graph.relations import counts_by_kind

# How a name is keyed for look-up, per kind: the same way the builder resolves it.
NAME_KEYS: dict[NodeKind, Callable[[str], str]] = {
    NodeKind.CONDITION: lookup_key,
    NodeKind.ORGANIZATION: organization_key,
    NodeKind.INVESTIGATOR: person_key,
    NodeKind.SITE: organization_key,
    NodeKind.COUNTRY: lookup_key,
    NodeKind.INTERVENTION: lookup_key,
    NodeKind.ARM: lookup_key,
}
# Trial attributes whose words text search finds (conditions are added from their nodes).
TEXT_ATTRIBUTES = ("title", "officialTitle", "acronym", "briefSummary", "keywords")
TRIAL_VALUE_ATTRIBUTES = ("status", "phases", "studyType", "sex", "healthyVolunteers")
ELIGIBILITY_ATTRIBUTES = (
    "minimumAgeYears",
    "maximumAgeYears",
    "sex",
    "eligibilityCriteria",
    "healthyVolunteers",
)
RANGE_ATTRIBUTES = (
    "minimumAgeYears",
    "maximumAgeYears",
    "startDate",
    "completionDate",
    "lastUpdated",
    "enrollment",
)


@dataclass(slots=True)
class GraphIndex:
    """Look-up tables made from a graph by :func:`build_index`."""

    names: dict[NodeKind, dict[str, list[str]]] = field(default_factory=dict)
    compact_names: dict[NodeKind, dict[str, list[str]]] = field(default_factory=dict)
    trials_by_value: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    trials_by_word: dict[str, set[str]] = field(default_factory=dict)
    nodes_by_word: dict[str, set[str]] = field(default_factory=dict)
    nodes_by_kind: dict[str, list[str]] = field(default_factory=dict)
    # Per attribute, (value, trial) pairs in value order, for ranges by bisection.
    sorted_values: dict[str, list[tuple[Any, str]]] = field(default_factory=dict)
    trials_without: dict[str, set[str]] = field(default_factory=dict)
    node_counts: dict[str, int] = field(default_factory=dict)
    edge_counts: dict[str, int] = field(default_factory=dict)


def build_index(graph: nx.MultiDiGraph) -> GraphIndex:
    """Index a built graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Trial:NCT00000001", kind="Trial", title="Stem cells in stroke", status="COMPLETED")
    >>> g.add_node("Condition:stroke", kind="Condition", name="Stroke", spellings="Stroke")
    >>> g.add_edge("Trial:NCT00000001", "Condition:stroke", kind="STUDIES")
    0
    >>> index = build_index(g)
    >>> index.names[NodeKind.CONDITION]["stroke"], sorted(index.trials_by_word["stem"])
    (['Condition:stroke'], ['Trial:NCT00000001'])
    """
    index = GraphIndex()
    for kind in NodeKind:
        index.names[kind], index.compact_names[kind] = {}, {}
    for attribute in RANGE_ATTRIBUTES:
        index.sorted_values[attribute], index.trials_without[attribute] = [], set()
    for node, data in graph.nodes(data=True):
        kind = NodeKind(data["kind"])
        index.nodes_by_kind.setdefault(kind.value, []).append(node)
        if kind is NodeKind.TRIAL:
            _index_trial(index, graph, node, data)
            continue
        for written in _names_of(data):
            _add_name(index, kind, written, node)
            for word in words(written):
                index.nodes_by_word.setdefault(word, set()).add(node)
    for kind_nodes in index.nodes_by_kind.values():
        kind_nodes.sort()
    for attribute in RANGE_ATTRIBUTES:
        index.sorted_values[attribute].sort()
    index.node_counts, index.edge_counts = counts_by_kind(graph)
    for table in (*index.names.values(), *index.compact_names.values()):
        for key, nodes in table.items():
            # The entity with the most relations first, then by id: a stable, useful order.
            table[key] = sorted(set(nodes), key=lambda n: (-graph.degree(n), n))
    return index


def _names_of(data: dict[str, object]) -> Iterable[str]:
    names = {str(data[a]) for a in ("name", "label") if a in data}
    for attribute in ("spellings", "otherNames"):
        if attribute in data:
            names.update(str(data[attribute]).split(LIST_SEPARATOR))
    return sorted(name for name in names if name)


def _add_name(index: GraphIndex, kind: NodeKind, written: str, node: str) -> None:
    key = NAME_KEYS[kind](written)
    if key:
        index.names[kind].setdefault(key, []).append(node)
        index.compact_names[kind].setdefault(key.replace(" ", ""), []).append(node)


def _index_trial(index: GraphIndex, graph: nx.MultiDiGraph, node: str, data: dict[str, object]) -> None:
    states_eligibility = any(name in data for name in ELIGIBILITY_ATTRIBUTES)
    for attribute in RANGE_ATTRIBUTES:
        if attribute in data:
            index.sorted_values[attribute].append((data[attribute], node))
        elif states_eligibility or attribute not in ELIGIBILITY_ATTRIBUTES:
            # A trial stating its eligibility without this limit has no such limit; a record
            # without eligibility at all says nothing, and no age filter keeps it.
            index.trials_without[attribute].add(node)
    for attribute in TRIAL_VALUE_ATTRIBUTES:
        if attribute in data:
            table = index.trials_by_value.setdefault(attribute, {})
            for value in str(data[attribute]).split(LIST_SEPARATOR):
                table.setdefault(value, set()).add(node)
    text = [str(data[a]) for a in TEXT_ATTRIBUTES if a in data]
    text.extend(
        str(graph.nodes[target].get("name", ""))
        for _, target, kind in graph.out_edges(node, data="kind")
        if kind == "STUDIES"
    )
    text.append(str(data.get("nctId", "")))
    for word in {w for chunk in text for w in words(chunk)}:
        index.trials_by_word.setdefault(word, set()).add(node)


def find_by_name(index: GraphIndex, kind: NodeKind, name: str) -> list[str]:
    """Nodes of ``kind`` named ``name``, ignoring case, spacing and punctuation; best first.

    A name that matches no key exactly is tried once more with word boundaries ignored.
    """
    key = NAME_KEYS[kind](name)
    found = index.names[kind].get(key)
    if found is None:
        found = index.compact_names[kind].get(key.replace(" ", ""), [])
    return list(found)
