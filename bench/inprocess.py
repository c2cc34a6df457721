"""Latency in process, no HTTP: ours against the baseline on the same questions.

- each contract operation: ours is the product's schema (fast path) executing the contract's
  document on the compact graph, the baseline its scan of the networkx graph building the same
  answer as dicts (no GraphQL at all: the comparison is in the baseline's favour);
- the TrialCard's graph work alone: :func:`bench.trial_card.trial_card` against the
  baseline's walk;
- the 10,000-object answer: the fast path against Strawberry's standard execution
  (``create_schema(fast=False)``) of the same document on the same graph;
- at registry scale (no networkx baseline), each contract operation the same way
  (:func:`standard_figures`), the two answers compared whole.

The two sides' answers to the first variables are compared on their skeletons (ids, NCT IDs,
counts, roles, statuses; a path's length): a note says where they differ.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import networkx as nx

from bench.baseline.queries import OPERATIONS as BASELINE
from bench.baseline.queries import trial_card as baseline_card
from bench.contract import BIG_DOCUMENT, BIG_OPERATION, OPERATIONS
from bench.figures import Figure, Target
from bench.timing import Budget, Timings, cycling, time_calls
from bench.trial_card import trial_card
from bench.workload import Workload
from graph.build.loading import TrialGraph
from schema.build import TrialSchema, create_schema
from schema.context import Context
from schema.limits import Limits

GROUP = "graph work in process (latency per call)"
NETWORKX = "networkx graph scanned and walked in Python (bench.baseline)"
STANDARD = "the same document, graph and schema with Strawberry's standard execution (fast=False)"
BIG_GROUP = "10,000-object answer"
AGREEMENT_CHECKS = 10  # variables per operation whose answers are compared
SKELETON_KEYS = frozenset({"id", "nctId", "totalCount", "length", "role", "status", "source", "target"})


def skeleton(value: Any) -> Any:
    """What two answers to one question must share, whatever the spelling chosen for a name."""
    if isinstance(value, dict):
        return {
            key: skeleton(item)
            for key, item in value.items()
            if key in SKELETON_KEYS or isinstance(item, dict | list)
        }
    if isinstance(value, list):
        return [skeleton(item) for item in value]
    return value


def agree(operation: str, ours: Any, theirs: Any) -> bool:
    """Whether two answers to one question agree: paths on their length (ties may go either
    way), everything else on its skeleton."""
    if operation == "HowConnected":
        lengths = [(answer["shortestPath"] or {}).get("length") for answer in (ours, theirs)]
        return lengths[0] == lengths[1]
    return bool(skeleton(ours) == skeleton(theirs))


def executor(schema: TrialSchema, context: Context, document: str, operation: str) -> Callable[[Any], Any]:
    """A call answering ``operation`` for some variables; a GraphQL error stops the benchmark."""

    def run(variables: Any) -> Any:
        result = schema.execute_sync(document, variables, context_value=context, operation_name=operation)
        if result.errors:
            raise RuntimeError(f"{operation} {variables}: {result.errors[0]}")
        return result.data

    return run


def _pair(
    name: str,
    ours: Timings,
    baseline: Timings,
    baseline_label: str,
    note: str,
    p50_target: Target | None = None,
) -> list[Figure]:
    return [
        Figure(
            group=GROUP,
            name=f"{name} {which}",
            unit="ms",
            value=getattr(ours, which) * 1e3,
            baseline=getattr(baseline, which) * 1e3,
            baseline_label=baseline_label,
            lower_is_better=True,
            target=p50_target if which == "p50" else None,
            samples=ours.count,
            baseline_samples=baseline.count,
            note=note if which == "p50" else "",
        )
        for which in ("p50", "p99")
    ]


def contract_figures(
    trial_graph: TrialGraph,
    baseline_graph: nx.MultiDiGraph,
    workload: Workload,
    documents: dict[str, str],
    budgets: tuple[Budget, Budget],
    limits: Limits,
) -> list[Figure]:
    """p50 and p99 of every contract operation, and of the TrialCard's graph work alone."""
    ours_budget, baseline_budget = budgets
    schema = create_schema(limits)
    context = Context(trial_graph, limits)
    figures: list[Figure] = []
    for operation in OPERATIONS:

        def baseline_call(inputs: Any, answer: Any = BASELINE[operation]) -> Any:
            return answer(baseline_graph, inputs)

        figures += _compared(
            operation,
            (executor(schema, context, documents[operation], operation), baseline_call),
            functools.partial(agree, operation),
            workload,
            budgets,
            (NETWORKX, "answers differ from the baseline's"),
        )
    cards = [v["nctId"] for v in workload.variables["TrialCard"]]
    ours = time_calls(lambda n: trial_card(trial_graph.graph, cards[n % len(cards)]), ours_budget)
    theirs = time_calls(
        lambda n: baseline_card(baseline_graph, {"nctId": cards[n % len(cards)]}), baseline_budget
    )
    figures += _pair(
        "TrialCard graph work only (no GraphQL)",
        ours,
        theirs,
        NETWORKX,
        "ours: bench.trial_card over the product's graph functions",
    )
    return figures


def standard_figures(
    trial_graph: TrialGraph,
    workload: Workload,
    documents: dict[str, str],
    budgets: tuple[Budget, Budget],
    limits: Limits,
) -> list[Figure]:
    """p50 and p99 of every contract operation: the fast path against standard execution."""
    context = Context(trial_graph, limits)
    fast_schema, standard_schema = create_schema(limits), create_schema(limits, fast=False)
    figures: list[Figure] = []
    for operation in OPERATIONS:
        document = documents[operation]
        figures += _compared(
            operation,
            (
                executor(fast_schema, context, document, operation),
                executor(standard_schema, context, document, operation),
            ),
            operator.eq,
            workload,
            budgets,
            (STANDARD, "ANSWERS DIFFER from standard execution"),
        )
    return figures


def _compared(
    operation: str,
    calls: tuple[Callable[[Any], Any], Callable[[Any], Any]],
    same: Callable[[Any, Any], bool],
    workload: Workload,
    budgets: tuple[Budget, Budget],
    labels: tuple[str, str],
) -> list[Figure]:
    """One operation timed ours against the baseline, their first answers compared by ``same``;
    ``labels``: the baseline's, and what a note says where answers differ."""
    variables = workload.variables[operation]
    ours_call, baseline_call = calls
    checked = variables[:AGREEMENT_CHECKS]
    differ = sum(not same(ours_call(v), baseline_call(v)) for v in checked)
    ours = time_calls(cycling(ours_call, variables), budgets[0])
    theirs = time_calls(cycling(baseline_call, variables), budgets[1])
    note = workload.notes.get(operation, "")
    if differ:
        note = f"{note}; {labels[1]} for {differ} of {len(checked)}".lstrip("; ")
    return _pair(operation, ours, theirs, labels[0], note)


def big_answer_figure(trial_graph: TrialGraph, workload: Workload, budget: Budget, limits: Limits) -> Figure:
    """The 10,000-object answer in process: fast path against standard execution."""
    context = Context(trial_graph, limits)
    variables = {"ids": workload.big_ids}
    fast = executor(create_schema(limits), context, BIG_DOCUMENT, BIG_OPERATION)
    standard = executor(create_schema(limits, fast=False), context, BIG_DOCUMENT, BIG_OPERATION)
    if fast(variables) != standard(variables):
        raise RuntimeError("the fast path's answer to the 10,000-object document is not the standard one")
    ours = time_calls(lambda n: fast(variables), budget)
    theirs = time_calls(lambda n: standard(variables), budget)
    return Figure(
        group=BIG_GROUP,
        name="in process, p50",
        unit="ms",
        value=ours.p50 * 1e3,
        baseline=theirs.p50 * 1e3,
        baseline_label="Strawberry's standard execution, create_schema(fast=False), same graph",
        lower_is_better=True,
        target=Target(100, at_most=True),
        samples=ours.count,
        baseline_samples=theirs.count,
        note=workload.notes["big answer"],
    )
