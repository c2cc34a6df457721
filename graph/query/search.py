"""Questions to the graph: trials by filter, entities by text, an entity's trials.

Every function takes the graph (and its index) first and returns plain data: node positions in
the graph's store, in a stable order. Each condition of a filter is a sorted array of trial
positions (from the index, from an entity's edges, or from a per-trial column); the smallest
is taken first and the others narrow it, in numpy: no answer scans every trial in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce

import numpy as np
import numpy.typing as npt

from graph.compact.graph import CompactGraph
from graph.compact.index import GraphIndex, date_number, find_by_name, text_words
from graph.compact.positions import distinct, intersection, sorted_once
from graph.compact.store import NODE_KIND_CODE
from graph.keys import MESH_ID, mesh_id, node_id, words
from graph.model import EdgeKind, NodeKind
from graph.query.geo import trials_near

Positions = npt.NDArray[np.uint32]

# Which entity a filter names, and the edge kind that ties it to its trials.
ENTITY_FILTERS: dict[str, tuple[NodeKind, EdgeKind]] = {
    "condition": (NodeKind.CONDITION, EdgeKind.STUDIES),
    "intervention": (NodeKind.INTERVENTION, EdgeKind.TESTS),
    "sponsor": (NodeKind.ORGANIZATION, EdgeKind.SPONSORED_BY),
    "investigator": (NodeKind.INVESTIGATOR, EdgeKind.INVESTIGATED_BY),
    "country": (NodeKind.COUNTRY, EdgeKind.RUNS_IN),
    "site": (NodeKind.SITE, EdgeKind.CONDUCTED_AT),
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

    Names (condition ... site) match like look-ups; a condition also finds the trials the
    registry classifies as or under a MeSH term of that name (so a broader term finds trials of
    narrower ones), and ``mesh_term`` (a name or a MeSH id) finds those only. ``near`` is
    (latitude, longitude, km): trials with a site within that distance. ``age``, ``sex`` and
    ``healthy_volunteers`` keep trials that would accept such a participant (a trial stating
    its eligibility without such a limit accepts; a record stating no eligibility at all is
    not kept). Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and bound inclusively.
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
    mesh_term: str | None = None
    near: tuple[float, float, float] | None = None


def mesh_terms(graph: CompactGraph, index: GraphIndex, name: str) -> list[int]:
    """The MeSH term nodes a name (or a MeSH id such as ``D009369``) names."""
    text = name.strip()
    if MESH_ID.match(text.upper()):
        position = graph.store.position(node_id(NodeKind.MESH_TERM, mesh_id(text.upper()).lower()))
        return [] if position is None else [position]
    return find_by_name(index, graph.store, NodeKind.MESH_TERM, text)


def classified_trials(graph: CompactGraph, index: GraphIndex, name: str) -> Positions:
    """Trials the registry classifies as or under the MeSH terms ``name`` names."""
    found = [
        entity_trials(graph, node, kind)
        for node in mesh_terms(graph, index, name)
        for kind in (EdgeKind.CLASSIFIED_AS, EdgeKind.CLASSIFIED_UNDER)
    ]
    return _union(found)


def entity_trials(graph: CompactGraph, position: int, kind: EdgeKind) -> Positions:
    """The trials tied to the entity at ``position`` by edges of ``kind``, sorted, each once."""
    store = graph.store
    span = store.in_range(position, kind)
    return sorted_once(store.in_source[span.lo : span.hi])  # one kind's incoming edges go by source


def _union(parts: list[Positions]) -> Positions:
    if not parts:
        return np.zeros(0, np.uint32)
    return parts[0] if len(parts) == 1 else distinct(np.concatenate(parts))


def _column_range(
    index: GraphIndex, name: str, low: float | None, high: float | None, missing_ok: bool
) -> Positions:
    """Trials whose column value lies in [low, high]; with ``missing_ok`` those without one too,
    if they state their eligibility."""
    column = index.columns[name]
    keep = np.ones(len(column), dtype=bool)
    with np.errstate(invalid="ignore"):
        if low is not None:
            keep &= column >= low
        if high is not None:
            keep &= column <= high
    found = np.flatnonzero(keep).astype(np.uint32) + np.uint32(index.trial_range[0])
    if missing_ok:
        absent = np.flatnonzero(np.isnan(column)).astype(np.uint32) + np.uint32(index.trial_range[0])
        stated = index.values.get("eligibility=stated")
        found = np.union1d(found, np.intersect1d(absent, stated, assume_unique=True)).astype(np.uint32)
    return found


def _conditions(graph: CompactGraph, index: GraphIndex, where: TrialFilter) -> list[Positions]:
    found: list[Positions] = []
    for name, (kind, edge_kind) in ENTITY_FILTERS.items():
        value = getattr(where, name)
        if value is not None:
            nodes = find_by_name(index, graph.store, kind, value)
            trials = [entity_trials(graph, node, edge_kind) for node in nodes]
            if kind is NodeKind.CONDITION:
                trials.append(classified_trials(graph, index, value))
            found.append(_union(trials))
    if where.mesh_term is not None:
        found.append(classified_trials(graph, index, where.mesh_term))
    if where.near is not None:
        found.append(trials_near(graph, index, *where.near))
    for name, attribute in VALUE_FILTERS.items():
        value = getattr(where, name)
        if value is not None:
            found.append(index.values.get(f"{attribute}={value}"))
    if where.sex is not None:
        found.append(_union([index.values.get(f"sex={where.sex}"), index.values.get("sex=ALL")]))
    if where.healthy_volunteers is not None:
        found.append(index.values.get(f"healthyVolunteers={where.healthy_volunteers}"))
    if where.text is not None:
        found.extend(index.trial_words.get(word) for word in words(where.text) or [""])
    if where.age is not None:
        found.append(_column_range(index, "minimumAgeYears", None, where.age, missing_ok=True))
        found.append(_column_range(index, "maximumAgeYears", where.age, None, missing_ok=True))
    for name, column in DATE_FILTERS.items():
        low, high = getattr(where, f"{name}_from"), getattr(where, f"{name}_to")
        if low is not None or high is not None:
            upper = (
                None
                if high is None
                else date_number(high) + (9999 if len(high) == 4 else 99 if len(high) == 7 else 0)
            )
            found.append(
                _column_range(index, column, None if low is None else date_number(low), upper, False)
            )
    return found


def find_trials(
    graph: CompactGraph,
    index: GraphIndex,
    where: TrialFilter,
    order: TrialOrder = TrialOrder.NCT_ID,
    descending: bool = False,
) -> Positions:
    """Positions of the trials that meet every condition of ``where``, in the order asked for.

    Trials missing the value an order sorts by come last; ties go by NCT ID.
    """
    found = _conditions(graph, index, where)
    if found:
        found.sort(key=len)
        trials = reduce(intersection, found).astype(np.uint32)
    else:
        trials = index.trials()
    if order is TrialOrder.NCT_ID:
        return trials[::-1] if descending else trials
    values = index.column(order.value, trials)
    present = ~np.isnan(values)
    keys = -values if descending else values
    ranked = trials[present][np.argsort(keys[present], kind="stable")]
    return np.concatenate((ranked, trials[~present]))


def search(
    graph: CompactGraph, index: GraphIndex, text: str, kinds: Iterable[NodeKind] | None = None
) -> Positions:
    """Nodes whose names (for trials: titles, summaries, conditions) hold every word of ``text``.

    Best first: an exact name, then the most connected node, then by id.
    """
    store = graph.store
    found: Positions | None = None
    for word in words(text):
        matches = np.union1d(index.node_words.get(word), index.trial_words.get(word)).astype(np.uint32)
        found = matches if found is None else intersection(found, matches)
        if not len(found):
            break
    if found is None or not len(found):
        return np.zeros(0, np.uint32)
    if kinds is not None:
        codes = [NODE_KIND_CODE[kind.value] for kind in kinds]
        found = found[np.isin(store.node_kinds[found], codes)]
    key = set(words(text))
    trial_lo, trial_hi = index.trial_range
    exact = np.array(
        [not trial_lo <= p < trial_hi and text_words(_name(graph, p)) == key for p in found.tolist()],
        dtype=bool,
    )
    degree = (store.out_offsets[found + 1] - store.out_offsets[found]) + (
        store.in_offsets[found + 1] - store.in_offsets[found]
    )
    return found[np.lexsort((found, -degree.astype(np.int64), ~exact))]


def _name(graph: CompactGraph, position: int) -> str:
    data = graph.store.attributes(position)
    return str(data.get("name", data.get("nctId", data.get("label", ""))))
