"""Trials related to a trial by what they share, each with its score broken down: an explanation.

Each entity the trial is tied to (its conditions, MeSH terms, interventions, sponsors, sites and
investigators) adds to the score of every other trial tied to it a weight that falls with how
many trials it ties: ``log(N / n)`` for an entity of ``n`` of the graph's ``N`` trials, so a rare
site counts for more than a sponsor of thousands. An entity of more than ``hub_limit`` trials is
skipped (and reported): it would say little and cost much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from graph.compact.graph import CompactGraph
from graph.compact.index import GraphIndex
from graph.compact.positions import distinct
from graph.model import EdgeKind, NodeKind
from graph.query.search import entity_trials

Positions = npt.NDArray[np.uint32]
# What a trial shares, by the edge that ties it to the entity.
SHARED_KINDS: dict[NodeKind, EdgeKind] = {
    NodeKind.CONDITION: EdgeKind.STUDIES,
    NodeKind.MESH_TERM: EdgeKind.CLASSIFIED_AS,
    NodeKind.INTERVENTION: EdgeKind.TESTS,
    NodeKind.ORGANIZATION: EdgeKind.SPONSORED_BY,
    NodeKind.SITE: EdgeKind.CONDUCTED_AT,
    NodeKind.INVESTIGATOR: EdgeKind.INVESTIGATED_BY,
}
HUB_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class Shared:
    """What one related trial shares of one kind: how many entities, their weight, which."""

    kind: NodeKind
    score: float
    nodes: list[int]  # positions, most weighty (rarest) first, then by id


@dataclass(frozen=True, slots=True)
class SharedEntity:
    """An entity the trial holds, its weight, and the other trials holding it (sorted)."""

    position: int
    kind: NodeKind
    weight: float
    others: Positions


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every related trial, best first (ties by NCT ID), with its score; the hubs left out."""

    trials: Positions
    scores: npt.NDArray[np.float64]
    entities: list[SharedEntity] = field(default_factory=list)
    skipped: list[tuple[int, int]] = field(default_factory=list)  # (entity, how many trials)

    def shared(self, trial: int) -> list[Shared]:
        """What ``trial`` shares, by kind: highest score first, then by kind; sums to its score."""
        found: dict[NodeKind, list[tuple[float, int]]] = {}
        for entity in self.entities:
            at = int(entity.others.searchsorted(trial))
            if at < len(entity.others) and int(entity.others[at]) == trial:
                found.setdefault(entity.kind, []).append((entity.weight, entity.position))
        shared = [
            Shared(
                kind,
                math.fsum(w for w, _ in pairs),
                [e for _, e in sorted(pairs, key=lambda p: (-p[0], p[1]))],
            )
            for kind, pairs in found.items()
        ]
        return sorted(shared, key=lambda s: (-s.score, s.kind.value))


def related_trials(graph: CompactGraph, index: GraphIndex, trial: int, hub_limit: int = HUB_LIMIT) -> Ranking:
    """The trials sharing anything with the trial at ``trial``, best first.

    Work is bounded by the trials of the entities the trial holds, hubs left out: no scan of
    every trial. Scores are rounded to 9 decimals, so that equal sums tie exactly.
    """
    store = graph.store
    lo, hi = index.trial_range
    total = hi - lo
    entities: list[SharedEntity] = []
    skipped: list[tuple[int, int]] = []
    for kind, edge_kind in SHARED_KINDS.items():
        span = store.out_range(trial, edge_kind)
        for entity in distinct(store.out_target[span.lo : span.hi]).tolist():
            trials = entity_trials(graph, entity, edge_kind)
            if len(trials) > hub_limit:
                skipped.append((entity, len(trials)))
                continue
            others = trials[trials != trial]
            if len(others):
                entities.append(SharedEntity(entity, kind, math.log(total / len(trials)), others))
    if not entities:
        return Ranking(np.zeros(0, np.uint32), np.zeros(0, np.float64), [], skipped)
    everyone = np.concatenate([e.others for e in entities]).astype(np.int64) - lo
    weights = np.concatenate([np.full(len(e.others), e.weight) for e in entities])
    scores: npt.NDArray[np.float64] = np.round(np.bincount(everyone, weights=weights, minlength=total), 9)
    candidates = distinct(everyone)
    # Best first; a tie goes by NCT ID, which is position order.
    ranked = candidates[np.lexsort((candidates, -scores[candidates]))]
    return Ranking((ranked + lo).astype(np.uint32), scores[ranked], entities, skipped)
