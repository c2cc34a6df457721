"""Questions to the graph: trials by filter, entities by text, an entity's trials.

Every function takes the graph (and its index) first and returns plain data: node ids in a
stable order. Filters are answered from the index and from the entities' own edges; the most
selective condition is taken first and the others narrow it, so no answer scans every trial.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

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
VALUE_FILTERS = {"status": "status", "phase": "phases", "study_type": "studyType"}
DATE_FILTERS = {"start": "startDate", "completion": "completionDate", "updated": "lastUpdated"}


class TrialOrder(StrEnum):
    NCT_ID = "nctId"
    START_DATE = "startDate"
    COMPLETION_DATE = "completionDate"
    LAST_UPDATED = "lastUpdated"
    ENROLLMENT = "enrollment"


@dataclass(frozen=True, slots=True)
class TrialFilter:
    """Conditions a trial must all meet; ``None`` leaves a condition out.

    Names (condition ... site) match like look-ups. ``age``, ``sex`` and
    ``healthy_volunteers`` keep trials that would accept such a participant (a trial stating no
    limit accepts). Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and bound inclusively.
    """

    condition: str | None = None
    intervention: str | None = None
    sponsor: str | None = None
    investigator: str | None = None
    country: str | None = None
    site: str | None = None
    status: str | None = None
    phase: str | None = None
    study_type: str | None = None
    text: str | None = None
    age: float | None = None
    sex: str | None = None
    healthy_volunteers: bool | None = None
    start_from: str | None = None
    start_to: str | None = None
    completion_from: str | None = None
    completion_to: str | None = None
    updated_from: str | None = None
    updated_to: str | None = None


def entity_trials(graph: nx.MultiDiGraph, node: str, kinds: Iterable[EdgeKind]) -> set[str]:
    """Trials tied to an entity by edges of the given kinds.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Trial:NCT1", "Condition:x", kind="STUDIES")
    >>> entity_trials(g, "Condition:x", [EdgeKind.STUDIES])
    {'Trial:NCT1'}
    """
    wanted = {kind.value for kind in kinds}
    return {source for source, _, kind in graph.in_edges(node, data="kind") if kind in wanted}


def _in_range(index: GraphIndex, attribute: str, low: object, high: object, keep_missing: bool) -> set[str]:
    """Trials whose ``attribute`` lies in [low, high], found by bisection of the sorted values."""
    pairs = index.sorted_values[attribute]
    start = 0 if low is None else bisect.bisect_left(pairs, (low, ""))
    end = len(pairs) if high is None else bisect.bisect_right(pairs, (high, "\uffff"))
    found = {trial for _, trial in pairs[start:end]}
    return found | index.trials_without[attribute] if keep_missing else found


def _candidate_sets(graph: nx.MultiDiGraph, index: GraphIndex, where: TrialFilter) -> list[set[str]]:
    sets: list[set[str]] = []
    for name, (kind, edge_kinds) in ENTITY_FILTERS.items():
        value = getattr(where, name)
        if value is not None:
            trials: set[str] = set()
            for node in find_by_name(index, kind, value):
                trials |= entity_trials(graph, node, edge_kinds)
            sets.append(trials)
    for name, attribute in VALUE_FILTERS.items():
        value = getattr(where, name)
        if value is not None:
            sets.append(index.trials_by_value.get(attribute, {}).get(value, set()))
    if where.sex is not None:
        by_sex = index.trials_by_value.get("sex", {})
        sets.append(by_sex.get(where.sex, set()) | by_sex.get("ALL", set()))
    if where.healthy_volunteers is not None:
        sets.append(
            index.trials_by_value.get("healthyVolunteers", {}).get(str(where.healthy_volunteers), set())
        )
    if where.text is not None:
        sets.extend(index.trials_by_word.get(word, set()) for word in words(where.text) or [""])
    if where.age is not None:
        sets.append(_in_range(index, "minimumAgeYears", None, where.age, keep_missing=True))
        sets.append(_in_range(index, "maximumAgeYears", where.age, None, keep_missing=True))
    for name, attribute in DATE_FILTERS.items():
        low, high = getattr(where, f"{name}_from"), getattr(where, f"{name}_to")
        if low is not None or high is not None:
            # "2023-12" as an upper bound holds every day of December 2023.
            sets.append(_in_range(index, attribute, low, None if high is None else high + "\uffff", False))
    return sets


def find_trials(
    graph: nx.MultiDiGraph,
    index: GraphIndex,
    where: TrialFilter,
    order: TrialOrder = TrialOrder.NCT_ID,
    descending: bool = False,
) -> list[str]:
    """Ids of the trials that meet every condition of ``where``, in the order asked for.

    Trials missing the value an order sorts by come last; ties go by NCT ID.
    """
    sets = _candidate_sets(graph, index, where)
    if not sets:
        found = list(index.nodes_by_kind.get(NodeKind.TRIAL.value, []))
    else:
        sets.sort(key=len)
        narrowed = set(sets[0])
        for other in sets[1:]:
            narrowed &= other
            if not narrowed:
                break
        found = sorted(narrowed)
    if order is TrialOrder.NCT_ID:
        return found[::-1] if descending else found
    return order_trials(graph, found, order, descending)


def order_trials(graph: nx.MultiDiGraph, trials: list[str], order: TrialOrder, descending: bool) -> list[str]:
    """``trials`` (in NCT order) sorted by ``order``; missing values last, ties by NCT ID."""
    attribute = order.value
    present = [trial for trial in trials if attribute in graph.nodes[trial]]
    missing = [trial for trial in trials if attribute not in graph.nodes[trial]]
    present.sort(key=lambda trial: graph.nodes[trial][attribute], reverse=descending)
    return present + missing


def search(
    graph: nx.MultiDiGraph, index: GraphIndex, text: str, kinds: Iterable[NodeKind] | None = None
) -> list[str]:
    """Nodes whose names (for trials: titles, summaries, conditions) hold every word of ``text``.

    Best first: an exact name, then the most connected node, then by id.
    """
    wanted = {kind.value for kind in kinds} if kinds is not None else None
    found: set[str] | None = None
    for word in words(text):
        matches = index.nodes_by_word.get(word, set()) | index.trials_by_word.get(word, set())
        found = matches if found is None else found & matches
        if not found:
            return []
    if not found:
        return []
    key = " ".join(words(text))
    chosen = [node for node in found if wanted is None or node.split(":", 1)[0] in wanted]

    def rank(node: str) -> tuple[bool, float, str]:
        data = graph.nodes[node]
        name = str(data.get("name", data.get("nctId", "")))
        exact = " ".join(words(name)) == key
        return (not exact, -math.log1p(graph.degree(node)), node)

    return sorted(chosen, key=rank)
