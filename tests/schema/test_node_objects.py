"""A node's GraphQL object is made once per loaded graph and given again; one bound to a trial
is made fresh; another graph (a reload) gets objects of its own."""

from __future__ import annotations

from graph.build.loading import TrialGraph, load_graph
from schema.context import Context
from schema.limits import Limits
from schema.node import find_node, node_at, nodes_at
from tests.paths import SEEDS

TRIAL = "Trial:NCT05697718"


def test_a_node_object_is_made_once_per_graph(loaded: TrialGraph) -> None:
    context = Context(loaded, Limits())
    store = loaded.graph.store
    trial = find_node(context, TRIAL)
    assert trial is find_node(context, TRIAL) is node_at(context, store.position(TRIAL))
    assert find_node(context, "Trial:NCT00000000") is None
    positions = [0, 1, 2, 1]
    first, second = nodes_at(context, positions), nodes_at(context, positions)
    assert all(a is b is node_at(context, at) for a, b, at in zip(first, second, positions, strict=True))

    intervention = next(p for p in range(store.node_count) if store.id(p).startswith("Intervention:"))
    bound = node_at(context, intervention, trial=TRIAL)
    assert bound.trial == TRIAL and bound is not node_at(context, intervention, trial=TRIAL)
    assert node_at(context, intervention).trial is None  # the kept object is not the bound one

    other = load_graph([SEEDS])  # another load: its own store, its own objects
    again = find_node(Context(other, Limits()), TRIAL)
    assert again is not trial and again.id == trial.id
