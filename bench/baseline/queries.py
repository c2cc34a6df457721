"""The baseline's answers: the contract's questions answered by walking and scanning networkx.

This is the benchmark's baseline, deliberately naive, and not used by the product. Each
function takes the graph of :func:`bench.baseline.build.build_networkx` and an operation's
variables and returns what the operation's ``data`` would hold, as plain dicts: trials are
filtered by looping over every trial node and checking its attributes and edges, an entity is
found by scanning the nodes of its kind for a matching key, a neighborhood is
``nx.ego_graph`` of the undirected view, a path ``nx.shortest_path`` on it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import networkx as nx

from graph.keys import lookup_key, organization_key, person_key

Answer = dict[str, Any]
MAX_NEIGHBORHOOD_NODES = 2000  # the service's default limit
PAGE = 100  # the service's page size where a document gives no ``first``: the largest
REVERSE_PAGE = 20  # the contract's look-ups ask for ``trials(first: 20)``
NAME_KEYS: dict[str, Callable[[str], str]] = {
    "Condition": lookup_key,
    "Organization": organization_key,
    "Investigator": person_key,
    "Country": lookup_key,
    "Intervention": lookup_key,
    "Site": organization_key,
}
# Filter fields naming an entity: the kind of the entity and the edge from the trial to it.
ENTITY_FILTERS = {
    "condition": ("Condition", "STUDIES"),
    "country": ("Country", "RUNS_IN"),
    "sponsor": ("Organization", "SPONSORED_BY"),
    "intervention": ("Intervention", "TESTS"),
    "investigator": ("Investigator", "INVESTIGATED_BY"),
}


def _out(graph: nx.MultiDiGraph, node: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """Edges of ``kind`` from ``node``: the other end and the edge's attributes, in source order."""
    found = [(target, data) for _, target, data in graph.out_edges(node, data=True) if data["kind"] == kind]
    return sorted(found, key=lambda item: item[1].get("position", 0))


def _in(graph: nx.MultiDiGraph, node: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """Edges of ``kind`` into ``node``, by the other end's id."""
    found = [(source, data) for source, _, data in graph.in_edges(node, data=True) if data["kind"] == kind]
    return sorted(found, key=lambda item: item[0])


def _lines(value: Any) -> list[str]:
    return str(value).split("\n") if value else []


def find_by_name(graph: nx.MultiDiGraph, kind: str, name: str) -> str | None:
    """The node of ``kind`` whose name has the key of ``name``, scanning every node; the most
    connected one if several have it."""
    key = NAME_KEYS[kind]
    wanted = key(name)
    found = [
        node
        for node, data in graph.nodes(data=True)
        if data["kind"] == kind and "name" in data and key(data["name"]) == wanted
    ]
    return min(found, key=lambda node: (-graph.degree(node), node)) if found else None


def label(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    if data["kind"] == "Trial":
        return str(data["nct_id"])
    if data["kind"] == "Arm":
        return f"{data['label']} ({data['trial']})"
    if data.get("name"):
        return str(data["name"])
    place = ", ".join(str(data[part]) for part in ("city", "country") if data.get(part))
    return f"unnamed site, {place}" if place else "unnamed site"


# -- one trial ---------------------------------------------------------------------------------------


def trial_card(graph: nx.MultiDiGraph, variables: dict[str, Any]) -> Answer:
    """``TrialCard``: one trial and everything around it, walked edge by edge."""
    trial = f"Trial:{variables['nctId'].strip().upper()}"
    if trial not in graph:
        return {"trial": None}
    data = graph.nodes[trial]
    nodes = graph.nodes
    sponsors = sorted(_out(graph, trial, "SPONSORED_BY"), key=lambda item: item[1]["role"] != "LEAD")
    # The trial's own people (its officials): one edge each, with the first role listed.
    people = sorted(
        (item for item in _out(graph, trial, "INVESTIGATED_BY") if item[1]["scope"] == "TRIAL"),
        key=lambda item: item[1].get("position", 0),
    )
    sites = _out(graph, trial, "CONDUCTED_AT")
    arms = _out(graph, trial, "HAS_ARM")
    tests = _out(graph, trial, "TESTS")
    order = {node: position for position, (node, _) in enumerate(tests)}
    return {
        "trial": {
            "id": trial,
            "nctId": data["nct_id"],
            "title": data.get("brief_title"),
            "status": data.get("status"),
            "phases": _lines(data.get("phases")),
            "studyType": data.get("study_type"),
            "enrollment": data.get("enrollment"),
            "startDate": data.get("start_date"),
            "completionDate": data.get("completion_date"),
            "conditions": [
                {"id": node, "name": nodes[node]["name"]} for node, _ in _out(graph, trial, "STUDIES")
            ],
            "sponsors": {
                "totalCount": len(sponsors),
                "edges": [
                    {"role": edge["role"], "node": {"id": node, "name": nodes[node]["name"]}}
                    for node, edge in sponsors[:PAGE]
                ],
            },
            "investigators": {
                "totalCount": len(people),
                "edges": [
                    {"role": edge["role"], "node": {"id": node, "name": nodes[node]["name"]}}
                    for node, edge in people[:PAGE]
                ],
            },
            "sites": {
                "totalCount": len(sites),
                "edges": [
                    {
                        "status": edge["status"],
                        "node": {
                            "id": node,
                            "name": nodes[node].get("name"),
                            "city": nodes[node].get("city"),
                            "country": nodes[node].get("country"),
                        },
                    }
                    for node, edge in sites[:100]
                ],
            },
            "arms": [
                {
                    "label": nodes[arm]["label"],
                    "type": nodes[arm]["type"],
                    "description": nodes[arm]["description"],
                    "interventions": [
                        {"name": nodes[node]["name"], "type": nodes[node]["type"]}
                        for node in sorted(
                            {node for node, _ in _out(graph, arm, "RECEIVES")},
                            key=lambda node: order.get(node, len(order)),
                        )
                    ],
                }
                for arm, _ in arms
            ],
            "interventions": [
                {
                    "id": node,
                    "name": nodes[node]["name"],
                    "type": nodes[node]["type"],
                    "description": edge["description"],
                    "arms": [
                        {"label": nodes[arm]["label"]}
                        for arm, _ in arms
                        if any(target == node for target, _ in _out(graph, arm, "RECEIVES"))
                    ],
                }
                for node, edge in tests
            ],
            "eligibility": {
                "minimumAgeYears": data.get("minimum_age_years"),
                "maximumAgeYears": data.get("maximum_age_years"),
                "sex": data.get("sex"),
                "healthyVolunteers": data.get("healthy_volunteers"),
                "inclusionCriteria": _lines(data.get("inclusion")),
                "exclusionCriteria": _lines(data.get("exclusion")),
            },
        }
    }


def refetch(graph: nx.MultiDiGraph, variables: dict[str, Any]) -> Answer:
    """``Refetch``: a node by its id."""
    node = variables["id"]
    if node not in graph:
        return {"node": None}
    data = graph.nodes[node]
    answer: Answer = {"id": node, "__typename": data["kind"]}
    if data["kind"] == "Trial":
        answer["nctId"] = data["nct_id"]
    return {"node": answer}


# -- lists of trials ----------------------------------------------------------------------------------


def _keeps(graph: nx.MultiDiGraph, trial: str, data: dict[str, Any], where: dict[str, Any]) -> bool:
    """Whether one trial meets every condition of ``where``, checked on its attributes and edges."""
    if "status" in where and data.get("status") != where["status"]:
        return False
    if "phase" in where and where["phase"] not in _lines(data.get("phases")):
        return False
    if "studyType" in where and data.get("study_type") != where["studyType"]:
        return False
    for name, (kind, edge_kind) in ENTITY_FILTERS.items():
        if name in where:
            wanted = NAME_KEYS[kind](where[name])
            named = (graph.nodes[node].get("name") for node, _ in _out(graph, trial, edge_kind))
            if not any(NAME_KEYS[kind](found) == wanted for found in named if found):
                return False
    if "text" in where:
        conditions = " ".join(graph.nodes[node]["name"] for node, _ in _out(graph, trial, "STUDIES"))
        text = f"{data.get('brief_title', '')} {data.get('brief_summary', '')} {conditions}".lower()
        if any(word not in text for word in where["text"].lower().split()):
            return False
    return True


def _page(trials: list[str], first: int) -> Answer:
    shown = trials[:first]
    end = base64.b64encode(f"offset:{len(shown) - 1}".encode()).decode() if shown else None
    return {
        "totalCount": len(trials),
        "pageInfo": {"hasNextPage": len(trials) > first, "endCursor": end},
        "nodes": [{"nctId": trial.split(":", 1)[1]} for trial in shown],
    }


def find_trials(graph: nx.MultiDiGraph, variables: dict[str, Any]) -> Answer:
    """``FindTrials``: every trial node checked against the filter, by NCT ID."""
    where = variables.get("filter") or {}
    found = [
        node
        for node, data in graph.nodes(data=True)
        if data["kind"] == "Trial" and _keeps(graph, node, data, where)
    ]
    return {"trials": _page(sorted(found), variables.get("first") or PAGE)}


def condition_trials(graph: nx.MultiDiGraph, variables: dict[str, Any]) -> Answer:
    """``ConditionTrials``: the condition found by a scan, then its trials by NCT ID."""
    node = find_by_name(graph, "Condition", variables["name"])
    if node is None:
        return {"condition": None}
    trials = sorted({source for source, _ in _in(graph, node, "STUDIES")})
    page = _page(trials, REVERSE_PAGE)
    del page["pageInfo"]
    return {"condition": {"id": node, "name": graph.nodes[node]["name"], "trials": page}}


def _role_trials(graph: nx.MultiDiGraph, node: str, kind: str) -> Answer:
    """The trials along ``kind`` edges, by NCT ID (a person has one edge a trial); a sponsor's
    lead role before its collaborator role in one trial."""
    edges = sorted(_in(graph, node, kind), key=lambda item: (item[0], item[1].get("role") != "LEAD"))
    return {
        "totalCount": len(edges),
        "edges": [
            {"role": edge.get("role"), "node": {"nctId": trial.split(":", 1)[1]}}
            for trial, edge in edges[:REVERSE_PAGE]
        ],
    }


def organization_trials(graph: nx.MultiDiGraph, variables: dict[str, Any]) -> Answer:
    """``OrganizationTrials``: the organization found by a scan, then the trials it sponsors."""
    node = find_by_name(graph, "Organization", variables["name"])
    if node is None:
        return {"organization": None}
    trials = _role_trials(graph, node, "SPONSORED_BY")
    return {"organization": {"id": node, "name": graph.nodes[node]["name"], "trials": trials}}


def investigator_trials(graph: nx.MultiDiGraph, variables: dict[str, Any]) -> Answer:
    """``InvestigatorTrials``: the person found by a scan, then the trials naming them."""
    node = find_by_name(graph, "Investigator", variables["name"])
    if node is None:
        return {"investigator": None}
    trials = _role_trials(graph, node, "INVESTIGATED_BY")
    return {"investigator": {"id": node, "name": graph.nodes[node]["name"], "trials": trials}}


# -- graph-shaped questions ---------------------------------------------------------------------------


def _subgraph(graph: nx.MultiDiGraph, nodes: list[str], edges: list[tuple[str, str, str]]) -> Answer:
    return {
        "nodes": [
            {"id": node, "kind": graph.nodes[node]["kind"], "label": label(graph, node)} for node in nodes
        ],
        "edges": [{"source": source, "target": target, "type": kind} for source, target, kind in edges],
    }


def neighborhood(
    graph: nx.MultiDiGraph, variables: dict[str, Any], max_nodes: int = MAX_NEIGHBORHOOD_NODES
) -> Answer:
    """``Neighborhood``: ``nx.ego_graph`` of the undirected view; refused past ``max_nodes``."""
    node = variables["id"]
    if node not in graph:
        return {"neighborhood": None}
    ego = nx.ego_graph(graph.to_undirected(as_view=True), node, radius=variables["hops"])
    if ego.number_of_nodes() > max_nodes:
        raise ValueError(f"neighborhood size (nodes) is limited to {max_nodes}")
    nodes = sorted(ego)
    edges = sorted(graph.subgraph(nodes).edges(data="kind"))
    return {"neighborhood": _subgraph(graph, nodes, edges)}


def how_connected(graph: nx.MultiDiGraph, variables: dict[str, Any]) -> Answer:
    """``HowConnected``: ``nx.shortest_path`` on the undirected view."""
    start, goal = variables["from"], variables["to"]
    if start not in graph or goal not in graph:
        return {"shortestPath": None}
    try:
        path = nx.shortest_path(graph.to_undirected(as_view=True), start, goal)
    except nx.NetworkXNoPath:
        return {"shortestPath": None}
    edges = []
    for first, second in pairwise(path):
        if graph.has_edge(first, second):
            edges.append((first, second, next(iter(graph[first][second].values()))["kind"]))
        else:
            edges.append((second, first, next(iter(graph[second][first].values()))["kind"]))
    return {"shortestPath": {"length": len(edges), **_subgraph(graph, path, edges)}}


OPERATIONS: dict[str, Callable[[nx.MultiDiGraph, dict[str, Any]], Answer]] = {
    "TrialCard": trial_card,
    "Refetch": refetch,
    "FindTrials": find_trials,
    "ConditionTrials": condition_trials,
    "OrganizationTrials": organization_trials,
    "InvestigatorTrials": investigator_trials,
    "Neighborhood": neighborhood,
    "HowConnected": how_connected,
}
