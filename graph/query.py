"""Questions to the graph: trials by filter, entities by text, an entity's trials.

Every function takes the graph (and its index) first and returns plain data: node ids in a
stable order. Filters are answered from the index and from the entities' own edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graph.index import GraphIndex, find_by_name
from graph.keys import words
from graph.model import EdgeKind, NodeKind

# Which entity a filter names, and the edge kinds that tie it to its trials.
ENTITY_FILTERS: dict[str, tuple[NodeKind, tuple[EdgeKind, ...]]] = {
    "condition": (NodeKind.CONDITION, (EdgeKind.STUDIES,)),
    "intervention": (NodeKind.INTERVENTION, (EdgeKind.TESTS,)),
    "sponsor": (NodeKind.ORGANIZATION, (EdgeKind.SPONSORED_BY,)),
    "investigator": (NodeKind.INVESTIGATOR, (EdgeKind.INVESTIGATED_BY,)),
    "country": (NodeKind.COUNTRY, (EdgeKind.RUNS_IN,)),
    "site": (NodeKind.SITE, (EdgeKind.CONDUCTED_AT,)),
}
VALUE_FILTERS = {"status": "status", "phase": "phases", "study_type": "studyType", "sex": "sex"}


@dataclass(frozen=True, slots=True)
class TrialFilter:
    """Conditions a trial must all meet; ``None`` leaves a condition out."""

    condition: str | None = None
    intervention: str | None = None
    sponsor: str | None = None
    investigator: str | None = None
    country: str | None = None
    site: str | None = None
    status: str | None = None
    phase: str | None = None
    study_type: str | None = None
    sex: str | None = None
    text: str | None = None


def entity_trials(graph: nx.MultiDiGraph, node: str, kinds: Iterable[EdgeKind]) -> set[str]:
    """Trials tied to an entity by edges of the given kinds.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Trial:NCT1", "Condition:x", kind="STUDIES")
    >>> entity_trials(g, "Condition:x", [EdgeKind.STUDIES])
    {'Trial:NCT1'}
    """
    wanted = {kind.value for kind in kinds}
    return {source for source, _, kind in graph.in_edges(node, data="kind") if kind in wanted}


def find_trials(graph: nx.MultiDiGraph, index: GraphIndex, where: TrialFilter) -> list[str]:
    """Ids of the trials that meet every condition of ``where``, in NCT order."""
    candidates: list[set[str]] = []
    for name, (kind, edge_kinds) in ENTITY_FILTERS.items():
        value = getattr(where, name)
        if value is not None:
            trials: set[str] = set()
            for node in find_by_name(index, kind, value):
                trials |= entity_trials(graph, node, edge_kinds)
            candidates.append(trials)
    for name, attribute in VALUE_FILTERS.items():
        value = getattr(where, name)
        if value is not None:
            candidates.append(index.trials_by_value.get(attribute, {}).get(value, set()))
    if where.text is not None:
        for word in words(where.text) or [""]:
            candidates.append(index.trials_by_word.get(word, set()))
    if not candidates:
        return list(index.nodes_by_kind.get(NodeKind.TRIAL.value, []))
    candidates.sort(key=len)
    found = set(candidates[0])
    for other in candidates[1:]:
        found &= other
        if not found:
            break
    return sorted(found)


def search(index: GraphIndex, text: str, kinds: Iterable[NodeKind] | None = None) -> list[str]:
    """Nodes whose names (or, for trials, titles, summaries and conditions) hold every word."""
    wanted = {kind.value for kind in kinds} if kinds is not None else None
    found: set[str] | None = None
    for word in words(text):
        matches = index.nodes_by_word.get(word, set()) | index.trials_by_word.get(word, set())
        found = matches if found is None else found & matches
        if not found:
            return []
    if found is None:
        return []
    return sorted(node for node in found if wanted is None or node.split(":", 1)[0] in wanted)
