"""The contract's ``TrialCard`` answer built directly from the product's graph functions.

No GraphQL: the store's attributes and :func:`graph.compact.relations.outgoing` only, the way a plain
JSON endpoint would answer. The benchmark's plain Starlette endpoint serves this (the
reference for the GraphQL overhead), and it is timed in process beside the baseline's walk of
networkx. It gives the same ``data`` as the contract's ``TrialCard`` document.
"""

from __future__ import annotations

from typing import Any

from graph.build.builder import trial_id
from graph.compact.graph import CompactGraph
from graph.compact.relations import outgoing
from graph.model import LIST_SEPARATOR, EdgeKind

DEFAULT_PAGE = 100  # the schema's page size where the document gives no ``first``: the largest
SITES_PAGE = 100


def _lines(value: Any) -> list[str]:
    return str(value).split(LIST_SEPARATOR) if value else []


def trial_card(graph: CompactGraph, nct_id: str) -> dict[str, Any]:
    """``{"trial": ...}`` as the ``TrialCard`` operation answers for ``nct_id``."""
    store = graph.store
    trial = trial_id(nct_id.strip().upper())
    position = store.position(trial)
    if position is None:
        return {"trial": None}
    data = store.attributes(position)

    def node(at: int, *names: str) -> dict[str, Any]:
        found = store.attributes(at)
        return {"id": store.id(at), **{name: found.get(name) for name in names}}

    sponsors = sorted(
        outgoing(graph, trial, [EdgeKind.SPONSORED_BY]),
        key=lambda r: (r.edge.get("role") != "LEAD", r.edge.get("position", 0)),
    )
    people = [r for r in outgoing(graph, trial, [EdgeKind.INVESTIGATED_BY]) if r.edge.get("scope") == "TRIAL"]
    sites = outgoing(graph, trial, [EdgeKind.CONDUCTED_AT])
    tests = outgoing(graph, trial, [EdgeKind.TESTS])
    order = {r.position: n for n, r in enumerate(tests)}
    arms = [(r.position, store.attributes(r.position)) for r in outgoing(graph, trial, [EdgeKind.HAS_ARM])]
    receives = {
        arm: outgoing(graph, store.id(arm), [EdgeKind.RECEIVES]).distinct_positions().tolist()
        for arm, _ in arms
    }
    return {
        "trial": {
            "id": trial,
            "nctId": data["nctId"],
            "title": data.get("title"),
            "status": data.get("status"),
            "phases": _lines(data.get("phases")),
            "studyType": data.get("studyType"),
            "enrollment": data.get("enrollment"),
            "startDate": data.get("startDate"),
            "completionDate": data.get("completionDate"),
            "conditions": [node(r.position, "name") for r in outgoing(graph, trial, [EdgeKind.STUDIES])],
            "sponsors": {
                "totalCount": len(sponsors),
                "edges": [
                    {"role": r.edge["role"], "node": node(r.position, "name")}
                    for r in sponsors[:DEFAULT_PAGE]
                ],
            },
            "investigators": {
                "totalCount": len(people),
                "edges": [
                    {"role": r.edge.get("role"), "node": node(r.position, "name")}
                    for r in people[:DEFAULT_PAGE]
                ],
            },
            "sites": {
                "totalCount": len(sites),
                "edges": [
                    {"status": r.edge.get("status"), "node": node(r.position, "name", "city", "country")}
                    for r in sites[:SITES_PAGE]
                ],
            },
            "arms": [
                {
                    "label": arm["label"],
                    "type": arm.get("type"),
                    "description": arm.get("description"),
                    "interventions": [
                        {"name": found["name"], "type": found["type"]}
                        for found in (
                            node(target, "name", "type")
                            for target in sorted(receives[at], key=lambda p: (order.get(p, len(order)), p))
                        )
                    ],
                }
                for at, arm in arms
            ],
            "interventions": [
                {
                    **node(r.position, "name", "type"),
                    "description": r.edge.get("description"),
                    "arms": [{"label": arm["label"]} for at, arm in arms if r.position in receives[at]],
                }
                for r in tests
            ],
            "eligibility": {
                "minimumAgeYears": data.get("minimumAgeYears"),
                "maximumAgeYears": data.get("maximumAgeYears"),
                "sex": data.get("sex"),
                "healthyVolunteers": data.get("healthyVolunteers"),
                "inclusionCriteria": _lines(data.get("inclusionCriteria")),
                "exclusionCriteria": _lines(data.get("exclusionCriteria")),
            },
        }
    }
