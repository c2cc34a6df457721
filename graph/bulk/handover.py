"""What a load resolved in columns handed to a :class:`graph.build.builder.Builder`, as though
every trial's plan had been applied to it one by one: the builder then finishes the graph and
its index as it finishes a load read record by record (naming, placing sites listed without a
country, coordinates, writing and indexing entities, assembling).

The store is written in the order :meth:`Builder.apply` writes it, trial after trial (the
trial's node, the edges between entities it states first, the ``LOCATED_IN`` edges of the sites
it lists first, its arms, its own edges), so that the graph and index hold what the per-record
path's hold, in the same order (equal content digests, :mod:`graph.compact.digest`). What a trial
states of itself and its arms (:class:`TrialPart`) comes beside the mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import polars as pl

from graph.build.builder import Builder
from graph.build.trialplan import ARM, VALUE, TrialPlan
from graph.bulk.edges import Edges
from graph.bulk.entities import Entities
from graph.bulk.rows import KINDS
from graph.bulk.storededges import edge_ends, stored_edges
from graph.bulk.textwords import key_pairs
from graph.compact.encoded import Signature
from graph.compact.index import Terms, TrialTerms
from graph.model import NodeKind

ArmPart = tuple[str, bytes, Signature, Terms]  # an arm's node id, its attributes encoded, its terms


class TrialPart(NamedTuple):
    """What a trial's plan states of the trial itself: its node id, its attributes encoded, its
    index terms, the values it is found by besides them, and its arms."""

    node: str
    blob: bytes
    signature: Signature
    terms: TrialTerms
    values: list[tuple[str, str]]
    arms: list[ArmPart]


def trial_part(plan: TrialPlan) -> TrialPart:
    """The part of a trial's plan (:func:`graph.build.trialplan.plan_trial`) that is not its
    mentions."""
    node, blob, signature, terms, steps, _ = plan
    values = [(step[1], step[2]) for step in steps if step[0] == VALUE]
    arms = [(step[1], step[2], step[3], step[4]) for step in steps if step[0] == ARM]
    return TrialPart(node, blob, signature, terms, values, arms)


def handed_over(
    entities: Entities, edges: Edges, trials: Iterable[TrialPart], words: pl.DataFrame | None = None
) -> Builder:
    """A builder holding the load's ``trials`` (in the load's order) with their resolved
    ``entities`` and ``edges``, as though each trial's plan had been applied to it; ``words``
    (``nct``, ``word``) are words trials are found by that their parts leave out
    (:func:`graph.bulk.textwords.words_of_trials`)."""
    builder = Builder()
    try:
        positions = _write(builder, edges, trials)
        if words is not None:
            _add_words(builder, words)
        hand_entities(builder, entities, positions)
        builder.entity_edges = set(edges.between.select("source", "target", "kind").iter_rows())
    except BaseException:
        builder.close()
        raise
    return builder


def _write(builder: Builder, edges: Edges, trials: Iterable[TrialPart]) -> list[int]:
    """Write each trial's node and arms to the builder's store and index, then every edge (in
    the order applying the plans adds them, :mod:`graph.bulk.storededges`); the trials'
    positions in the store."""
    store, index = builder.store, builder.index
    positions = []
    for trial in trials:
        here = store.node(trial.node)
        positions.append(here)
        store.set_encoded(here, trial.blob, trial.signature)
        index.add_trial(here, trial.terms)
        for name, value in trial.values:
            index.add_value(here, name, value)
        for node, blob, signature, terms in trial.arms:
            position = store.node(node)
            store.set_encoded(position, blob, signature)
            index.add_entity(position, NodeKind.ARM, {}, terms)
    nodes = store.nodes(edge_ends(edges))
    for batch in stored_edges(edges, nodes):
        store.edge_columns(batch)
    return positions


def _add_words(builder: Builder, words: pl.DataFrame) -> None:
    """Give the builder's index the words trials are found by (``nct``, ``word``)."""
    trials = words["nct"].unique()
    found = builder.store.positions
    at = pl.Series([found[f"{NodeKind.TRIAL.value}:{nct}"] for nct in trials.to_list()], dtype=pl.UInt32)
    builder.index.add_words("trial_words", key_pairs(words["word"], words["nct"].replace_strict(trials, at)))


def hand_entities(builder: Builder, entities: Entities, positions: Sequence[int]) -> None:
    """Give ``builder`` the entities resolved in columns as it keeps them once every trial is
    added: their attributes (in the order the mentions gave them), counts by spelling, agency
    classes, and the sites placed and listed without a country, each with the store position of
    the first trial listing it (``positions``, by place in the load)."""
    kinds = [kind.value for kind in KINDS]
    data = builder.entities
    for node, kind in entities.nodes.select("node", "kind").iter_rows():
        data[node] = {"kind": kinds[kind]}
    for frame in (entities.sites, entities.terms, entities.interventions):
        names = [name for name in frame.columns if name != "node" and not name.endswith(".row")]
        for found in frame.iter_rows(named=True):
            given = [(found[f"{name}.row"], place, name) for place, name in enumerate(names)]
            attributes = data[found["node"]]
            for _, _, name in sorted(item for item in given if item[0] is not None):
                attributes[name] = found[name]
    counts: dict[str, dict[str, int]] = {}
    for node, spelling, count in entities.spellings.iter_rows():
        counts.setdefault(node, {})[spelling] = count
    builder.spellings.update(counts)
    for node, agency_class, count in entities.classes.iter_rows():
        builder.classes.setdefault(node, Counter())[agency_class] = count
    for facility, city, node, trial in entities.placed.iter_rows():
        builder.placed.setdefault((facility, city), {})[node] = positions[trial]
    for node, facility, city, trial in entities.countryless.iter_rows():
        builder.countryless[node] = ((facility, city), positions[trial])
