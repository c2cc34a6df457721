"""Figures over HTTP: the same requests sent to ours and to a reference, by the same clients.

- latency of each contract operation and of a mix, with concurrent clients: ``trialgraph
  serve --snapshot`` against the same graph, view and schema with Strawberry's standard
  execution (:mod:`bench.reference_app`), one after the other, operation by operation; first
  with every client sending as fast as it is answered (the throughput each server reaches, and
  the latency of a queue: with 16 requests always waiting, p50 is about 16 / throughput), then
  with the clients sending, all together, half the requests a second ours reached (the latency
  a user sees while the server is busy but keeping up: where the issue's targets apply);
- GraphQL overhead: TrialCard requests a second through ``/graphql`` against the plain
  Starlette endpoint doing the same graph work (the issue's target is on the ratio);
- the 10,000-object answer, one request at a time: fast path against standard execution.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

from bench.contract import BIG_DOCUMENT, BIG_OPERATION, MIX_WEIGHTS, OPERATIONS
from bench.figures import Figure, Target
from bench.inprocess import BIG_GROUP
from bench.load import LoadResult, Request, run_load, run_sequential
from bench.timing import percentile
from bench.workload import Workload

STANDARD = "the same graph, view and schema with Strawberry's standard execution (fast=False)"
PLAIN = "a plain Starlette JSON endpoint doing the same graph work (bench.reference_app /card)"
GRAPH_SHAPED = ("Neighborhood", "HowConnected")
MIX_ROUNDS = 20


@dataclass(frozen=True, slots=True)
class LoadSettings:
    clients: int = 16
    seconds: float = 5.0  # measured, per operation and server
    warmup: float = 1.0
    big_requests: int = 30


PACED_SHARE = 0.5  # of our saturating throughput: the rate of the paced runs


def _targets(operation: str) -> tuple[Target | None, Target]:
    p50 = Target(2, at_most=True) if operation == "TrialCard" else None
    return p50, Target(50 if operation in GRAPH_SHAPED else 20, at_most=True)


def _latencies(result: LoadResult, what: str) -> list[float]:
    found = result.all_latencies()
    if not found:
        raise RuntimeError(f"{what}: no request succeeded; {result.first_error}")
    return found


def _note(ours: LoadResult, reference: LoadResult) -> str:
    busy = [run.client_cpu_seconds / run.seconds for run in (ours, reference)]
    text = (
        f"{ours.throughput:,.0f} vs {reference.throughput:,.0f} requests/s; "
        f"load generator CPU {busy[0]:.0%} and {busy[1]:.0%}"
    )
    errors = sum(ours.errors.values()) + sum(reference.errors.values())
    if errors:
        text += f"; {errors} errors, first: {ours.first_error or reference.first_error}"
    return text


def _latency_pair(
    group: str, name: str, ours: LoadResult, reference: LoadResult, *, targeted: bool
) -> list[Figure]:
    mine, theirs = _latencies(ours, f"{name} (ours)"), _latencies(reference, f"{name} (reference)")
    p50_target, p99_target = _targets(name) if targeted else (None, None)
    targets = {50: p50_target, 99: None if name == "mix" else p99_target}
    return [
        Figure(
            group=group,
            name=f"{name} p{q}",
            unit="ms",
            value=percentile(mine, q) * 1e3,
            baseline=percentile(theirs, q) * 1e3,
            baseline_label=STANDARD,
            lower_is_better=True,
            target=targets[q],
            samples=len(mine),
            baseline_samples=len(theirs),
            note=_note(ours, reference) if q == 50 else "",
        )
        for q in (50, 99)
    ]


def _load(url: str, requests: list[Request], settings: LoadSettings, rate: float | None = None) -> LoadResult:
    return run_load(
        url, requests, clients=settings.clients, seconds=settings.seconds, warmup=settings.warmup, rate=rate
    )


def _mix(requests: dict[str, list[Request]], seed: int = 1) -> list[Request]:
    """Operations in the mix's proportions, shuffled; each goes round its own variables."""
    order = [operation for operation, weight in MIX_WEIGHTS.items() for _ in range(weight)] * MIX_ROUNDS
    random.Random(seed).shuffle(order)
    taken = dict.fromkeys(requests, 0)
    mixed = []
    for operation in order:
        mixed.append(requests[operation][taken[operation] % len(requests[operation])])
        taken[operation] += 1
    return mixed


def latency_figures(
    ours_url: str, reference_url: str, workload: Workload, documents: dict[str, str], settings: LoadSettings
) -> tuple[list[Figure], dict[str, LoadResult]]:
    """p50 and p99 per operation and for the mix, saturating and paced; the saturating runs
    themselves, for the overhead figure."""
    saturating = (
        f"HTTP saturating: {settings.clients} clients sending as fast as answered (latency per request)"
    )
    paced = (
        f"HTTP paced: {settings.clients} clients sending {PACED_SHARE:.0%} of our saturating throughput "
        "(latency per request, from when it was due)"
    )
    requests = {
        operation: [
            Request.graphql(operation, documents[operation], v) for v in workload.variables[operation]
        ]
        for operation in OPERATIONS
    }
    runs: dict[str, LoadResult] = {}
    busiest: list[Figure] = []
    kept_up: list[Figure] = []
    for name, sent in [*requests.items(), ("mix", _mix(requests))]:
        ours, reference = _load(ours_url, sent, settings), _load(reference_url, sent, settings)
        runs[name] = ours
        busiest += _latency_pair(saturating, name, ours, reference, targeted=False)
        rate = max(1.0, ours.throughput * PACED_SHARE)
        ours, reference = _load(ours_url, sent, settings, rate), _load(reference_url, sent, settings, rate)
        kept_up += _latency_pair(paced, name, ours, reference, targeted=True)
    return busiest + kept_up, runs


def overhead_figure(
    ours: LoadResult,
    urls: tuple[str, str],
    workload: Workload,
    documents: dict[str, str],
    settings: LoadSettings,
) -> Figure:
    """TrialCard requests a second through ``/graphql`` (the run of :func:`latency_figures`)
    against the plain endpoint, sent the same bodies; their answers are compared first."""
    ours_url, reference_url = urls
    cards = [
        Request("TrialCard", Request.graphql("TrialCard", documents["TrialCard"], v).body, "/card")
        for v in workload.variables["TrialCard"]
    ]
    headers = {"content-type": "application/json"}
    with httpx.Client(timeout=60, headers=headers) as client:
        answers = [
            client.post(f"{url}{path}", content=cards[0].body).json()
            for url, path in ((ours_url, "/graphql"), (reference_url, "/card"))
        ]
    same = "same answer" if answers[0] == answers[1] else "ANSWERS DIFFER"
    plain = _load(reference_url, cards, settings)
    return Figure(
        group="GraphQL overhead (TrialCard throughput)",
        name="/graphql vs plain endpoint",
        unit="requests/s",
        value=ours.throughput,
        baseline=plain.throughput,
        baseline_label=PLAIN,
        lower_is_better=False,
        target=Target(0.5, at_most=False, on_ratio=True),
        samples=ours.requests,
        baseline_samples=plain.requests,
        note=f"{same}; load generator CPU {plain.client_cpu_seconds / plain.seconds:.0%} on the plain run",
    )


def big_answer_figure(
    ours_url: str, reference_url: str, workload: Workload, settings: LoadSettings
) -> Figure:
    """The 10,000-object answer over HTTP, one request at a time."""
    request = Request.graphql(BIG_OPERATION, BIG_DOCUMENT, {"ids": workload.big_ids})
    ours = run_sequential(ours_url, request, count=settings.big_requests)
    reference = run_sequential(reference_url, request, count=settings.big_requests)
    mine, theirs = _latencies(ours, "big answer (ours)"), _latencies(reference, "big answer (reference)")
    return Figure(
        group=BIG_GROUP,
        name="through HTTP, one client, p50",
        unit="ms",
        value=percentile(mine, 50) * 1e3,
        baseline=percentile(theirs, 50) * 1e3,
        baseline_label=STANDARD,
        lower_is_better=True,
        target=Target(100, at_most=True),
        samples=len(mine),
        baseline_samples=len(theirs),
        note=workload.notes["big answer"],
    )
