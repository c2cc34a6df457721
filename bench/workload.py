"""What the benchmark asks: variables for each contract operation, picked from the loaded graph.

Picked once from the product's graph (its store's arrays), deterministically for a seed, and
given to both sides: ours and the baseline answer exactly the same questions.

- ``TrialCard``, ``Refetch``, ``OrganizationTrials``, ``InvestigatorTrials``: a random sample
  of trials, their ids and neighbors, their lead sponsors and first investigators;
- ``FindTrials``: selective filters (condition, country, status and phase of one trial, for
  some of the most common conditions);
- ``ConditionTrials``: the most common condition (first page and totalCount);
- ``Neighborhood``: hops=2 of the trial with most sites whose neighborhood stays within the
  service's size limit (``max_nodes``, as the service does);
- ``HowConnected``: the most distant of some pairs of rare conditions of trials in different
  countries;
- the 10,000-object answer: 100 trials with at least 100 sites (fewer in a small corpus).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.build.loading import TrialGraph
from graph.compact.relations import outgoing
from graph.compact.store import EDGE_KIND_CODE, GraphStore
from graph.errors import QueryLimitError
from graph.model import EdgeKind, NodeKind
from graph.query.search import TrialFilter, find_trials
from graph.query.traversal import neighborhood, shortest_path
from schema.limits import Limits

Variables = dict[str, Any]
BIG_TRIALS = 100
BIG_SITES = 100
FILTER_VARIANTS = 5
PATH_CANDIDATES = 40
NEIGHBORHOOD_TRIES = 300


@dataclass(frozen=True, slots=True)
class Workload:
    variables: dict[str, list[Variables]]  # per contract operation, cycled through
    big_ids: list[str]  # trials of the 10,000-object answer
    big_objects: int  # sites (plus trials) in that answer
    notes: dict[str, str] = field(default_factory=dict)


def _sizes(offsets: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """The length of each row of compressed sparse rows, from their offsets."""
    return offsets[1:].astype(np.int64) - offsets[:-1].astype(np.int64)


def _edge_counts(store: GraphStore, kind: EdgeKind, by_target: bool) -> npt.NDArray[np.int64]:
    """Per node position, how many edges of ``kind`` leave it (or, ``by_target``, reach it)."""
    chosen = store.out_kind == EDGE_KIND_CODE[kind.value]
    if by_target:
        ends = store.out_target[chosen]
    else:
        ends = np.repeat(np.arange(store.node_count), _sizes(store.out_offsets))[chosen]
    return np.bincount(ends, minlength=store.node_count)


def _name(store: GraphStore, position: int) -> str:
    return str(store.attributes(position).get("name", ""))


def _first(trial_graph: TrialGraph, trial: str, kind: EdgeKind) -> int | None:
    found = outgoing(trial_graph.graph, trial, [kind])
    return found[0].position if len(found) else None


def choose_workload(trial_graph: TrialGraph, limits: Limits, *, sample: int = 200, seed: int = 1) -> Workload:
    graph, store = trial_graph.graph, trial_graph.graph.store
    rng = np.random.default_rng(seed)
    lo, hi = store.kind_range(NodeKind.TRIAL)
    picked = sorted(rng.choice(np.arange(lo, hi), size=min(sample, hi - lo), replace=False).tolist())
    trials = [store.id(position) for position in picked]
    variables: dict[str, list[Variables]] = {"TrialCard": [{"nctId": t.split(":", 1)[1]} for t in trials]}
    notes: dict[str, str] = {}

    refetch: list[Variables] = []
    sponsors: dict[str, None] = {}
    people: dict[str, None] = {}
    for trial in trials:
        refetch.append({"id": trial})
        for kind, names in ((EdgeKind.SPONSORED_BY, sponsors), (EdgeKind.INVESTIGATED_BY, people)):
            found = _first(trial_graph, trial, kind)
            if found is not None:
                names.setdefault(_name(store, found), None)
                refetch.append({"id": store.id(found)})
    variables["Refetch"] = refetch
    variables["OrganizationTrials"] = [{"name": name} for name in sponsors if name]
    variables["InvestigatorTrials"] = [{"name": name} for name in people if name]

    studied = _edge_counts(store, EdgeKind.STUDIES, by_target=True)
    conditions = np.argsort(-studied, kind="stable")[: FILTER_VARIANTS * 4].tolist()
    common = int(conditions[0])
    variables["ConditionTrials"] = [{"name": _name(store, common)}]
    notes["ConditionTrials"] = f"{_name(store, common)!r}: {int(studied[common]):,} trials"
    variables["FindTrials"] = _selective_filters(trial_graph, conditions) or [
        {"filter": {"condition": _name(store, common)}, "first": 20}
    ]
    counts = [
        len(find_trials(graph, trial_graph.index, TrialFilter(**v["filter"])))
        for v in variables["FindTrials"]
    ]
    notes["FindTrials"] = (
        f"{len(counts)} filters (condition, country, status, phase) matching {counts} trials"
    )

    sites = _edge_counts(store, EdgeKind.CONDUCTED_AT, by_target=False)
    variables["Neighborhood"], notes["Neighborhood"] = _large_neighborhood(trial_graph, sites, limits)
    variables["HowConnected"], notes["HowConnected"] = _distant_pair(trial_graph, studied, rng)

    large = [p for p in range(lo, hi) if sites[p] >= BIG_SITES][:BIG_TRIALS]
    if len(large) < BIG_TRIALS:  # a small corpus: the trials with most sites
        large = sorted(np.argsort(-sites[lo:hi], kind="stable")[:BIG_TRIALS].tolist())
        large = [lo + p for p in large]
    big_objects = len(large) + int(sum(min(BIG_SITES, int(sites[p])) for p in large))
    notes["big answer"] = f"{len(large)} trials, {big_objects:,} objects (trials and their first 100 sites)"
    empty = [operation for operation, found in variables.items() if not found]
    if empty:
        raise ValueError(f"the corpus gives nothing to ask for {', '.join(empty)}")
    return Workload(variables, [store.id(p) for p in large], big_objects, notes)


def _selective_filters(trial_graph: TrialGraph, conditions: list[int]) -> list[Variables]:
    """Filters naming the condition, a country, the status and a phase of one of its trials."""
    store = trial_graph.graph.store
    found: list[Variables] = []
    for condition in conditions[1:]:
        for relation in _incoming_studies(trial_graph, condition):
            trial = store.attributes(relation)
            country = _first(trial_graph, store.id(relation), EdgeKind.RUNS_IN)
            if country is None or "status" not in trial or not trial.get("phases"):
                continue
            where = {
                "condition": _name(store, condition),
                "country": _name(store, country),
                "status": trial["status"],
                "phase": str(trial["phases"]).split("\n")[0],
            }
            found.append({"filter": where, "first": 20})
            break
        if len(found) == FILTER_VARIANTS:
            break
    return found


def _incoming_studies(trial_graph: TrialGraph, condition: int) -> list[int]:
    store = trial_graph.graph.store
    span = store.in_range(condition, EdgeKind.STUDIES)
    return [int(source) for source in store.in_source[span.lo : min(span.hi, span.lo + 50)]]


def _largest_neighbor_degree(store: GraphStore, lo: int, hi: int) -> npt.NDArray[np.int64]:
    """Per trial (positions ``lo`` to ``hi``), the most edges any of its neighbors has: a trial
    next to a hub (a country of thousands of trials) has a 2-hop neighborhood at least that big."""
    degrees = _sizes(store.out_offsets) + _sizes(store.in_offsets)
    first, last = int(store.out_offsets[lo]), int(store.out_offsets[hi])
    owners = np.repeat(np.arange(hi - lo), _sizes(store.out_offsets[lo : hi + 1]))
    largest = np.zeros(hi - lo, dtype=np.int64)
    np.maximum.at(largest, owners, degrees[store.out_target[first:last]])
    return largest


def _large_neighborhood(
    trial_graph: TrialGraph, sites: npt.NDArray[np.int64], limits: Limits
) -> tuple[list[Variables], str]:
    """The trial with most sites whose 2-hop neighborhood the service answers (within
    ``max_nodes``); trials next to a hub are passed over without trying them."""
    store, limit = trial_graph.graph.store, limits.max_neighborhood_nodes
    lo, hi = store.kind_range(NodeKind.TRIAL)
    by_sites = (lo + np.argsort(-sites[lo:hi], kind="stable")).tolist()
    largest = _largest_neighbor_degree(store, lo, hi)
    most = f"the trial with most sites has {int(sites[by_sites[0]]):,}"
    for hops in (2, 1):
        hopeful = [p for p in by_sites if sites[p] < limit and (hops == 1 or largest[p - lo] < limit)]
        for position in hopeful[:NEIGHBORHOOD_TRIES]:
            try:
                found = neighborhood(trial_graph.graph, store.id(position), hops, max_nodes=limit)
            except QueryLimitError:
                continue
            note = (
                f"{store.id(position)}: {int(sites[position]):,} sites ({most}), {len(found.nodes):,} "
                f"nodes within {hops} hops (limit {limit:,})"
            )
            return [{"id": store.id(position), "hops": hops}], note
    raise ValueError(f"no trial's neighborhood fits within {limit:,} nodes")


def _distant_pair(
    trial_graph: TrialGraph, studied: npt.NDArray[np.int64], rng: np.random.Generator
) -> tuple[list[Variables], str]:
    """Rare conditions (one trial each) of trials in different countries; the farthest pair."""
    store = trial_graph.graph.store
    lo, hi = store.kind_range(NodeKind.CONDITION)
    rare = [p for p in range(lo, hi) if studied[p] == 1]
    placed: list[tuple[int, int]] = []  # condition, country of its trial
    for condition in rng.permutation(rare)[: PATH_CANDIDATES * 4].tolist():
        trial = _incoming_studies(trial_graph, condition)[0]
        country = _first(trial_graph, store.id(trial), EdgeKind.RUNS_IN)
        if country is not None:
            placed.append((condition, country))
    best: tuple[int, str, str] | None = None
    for (first, here), (second, there) in zip(placed[0::2], placed[1::2], strict=False):
        if here == there:
            continue
        path = shortest_path(trial_graph.graph, store.id(first), store.id(second))
        length = -1 if path is None else len(path.links)
        if best is None or length > best[0]:
            best = (length, store.id(first), store.id(second))
    if best is None:  # a tiny corpus: any two conditions
        best = (-1, store.id(lo), store.id(hi - 1))
    return [{"from": best[1], "to": best[2]}], f"{best[1]} to {best[2]}: {best[0]} edges"
