"""Facets of a set of trials: how many have each status, phase, study type, country, lead sponsor
class and condition, counted over the whole set (not a page of it), in numpy.

Values come from the index (``attribute=value`` lists, intersected with the set); countries and
conditions from the trials' own edges, gathered for the whole set at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph import vocabulary as words
from graph.compact.graph import CompactGraph
from graph.compact.index import GraphIndex
from graph.compact.positions import distinct, intersection
from graph.compact.store import EDGE_KIND_CODE
from graph.model import EdgeKind

Positions = npt.NDArray[np.uint32]
# Facet name -> (index attribute, the words it can hold).
VALUE_FACETS = {
    "status": ("status", words.STATUSES),
    "phase": ("phases", words.PHASES),
    "study_type": ("studyType", words.STUDY_TYPES),
    "sponsor_class": ("leadSponsorClass", words.AGENCY_CLASSES),
}
# Facet name -> the edge kind from a trial to the entities counted.
ENTITY_FACETS = {"country": EdgeKind.RUNS_IN, "condition": EdgeKind.STUDIES}


@dataclass(frozen=True, slots=True)
class Facets:
    """Per facet, ``(value, count)`` pairs: by count, most first, then by value."""

    status: list[tuple[str, int]]
    phase: list[tuple[str, int]]
    study_type: list[tuple[str, int]]
    sponsor_class: list[tuple[str, int]]
    country: list[tuple[str, int]]
    condition: list[tuple[str, int]]


def _ranked(counts: dict[str, int], top: int) -> list[tuple[str, int]]:
    """The ``top`` values with a count, most first, then by value.

    >>> _ranked({"b": 2, "a": 2, "c": 5, "d": 0}, 2)
    [('c', 5), ('a', 2)]
    """
    return sorted(((value, n) for value, n in counts.items() if n), key=lambda pair: (-pair[1], pair[0]))[
        :top
    ]


def out_targets(graph: CompactGraph, trials: Positions, kind: EdgeKind) -> tuple[Positions, Positions]:
    """For every edge of ``kind`` leaving the trials: its source and its target, as two arrays."""
    store = graph.store
    starts = store.out_offsets[trials].astype(np.int64)
    lengths = store.out_offsets[trials.astype(np.int64) + 1].astype(np.int64) - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, np.uint32), np.zeros(0, np.uint32)
    # Every outgoing edge of the set, without a loop in Python: run starts repeated, plus steps.
    steps = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    edges = np.repeat(starts, lengths) + steps
    wanted = store.out_kind[edges] == EDGE_KIND_CODE[kind.value]
    return np.repeat(trials, lengths)[wanted], store.out_target[edges[wanted]]


def facets(graph: CompactGraph, index: GraphIndex, trials: Positions, top: int) -> Facets:
    """The facets of ``trials`` (positions, in any order): up to ``top`` values each."""
    chosen = distinct(trials).astype(np.uint32)
    found: dict[str, list[tuple[str, int]]] = {}
    for name, (attribute, vocabulary) in VALUE_FACETS.items():
        counts = {}
        for value in vocabulary:
            having = index.values.get(f"{attribute}={value}")
            counts[value] = len(intersection(chosen, having))
        found[name] = _ranked(counts, top)
    store = graph.store
    for name, kind in ENTITY_FACETS.items():
        sources, targets = out_targets(graph, chosen, kind)
        pairs = (
            np.unique(np.stack((targets, sources)), axis=1) if len(targets) else np.zeros((2, 0), np.uint32)
        )
        nodes, counts_of = np.unique(pairs[0], return_counts=True)
        # Rank on counts first, so that only the names of the top nodes are decoded.
        order = np.lexsort((nodes, -counts_of.astype(np.int64)))
        ranked: dict[str, int] = {}
        for at in order.tolist():
            if len(ranked) >= top and counts_of[at] < min(ranked.values()):
                break
            data = store.attributes(int(nodes[at]))
            value = str(data.get("name", store.id(int(nodes[at]))))
            ranked[value] = ranked.get(value, 0) + int(counts_of[at])
        found[name] = _ranked(ranked, top)
    return Facets(**found)
