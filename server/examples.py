"""The queries GraphiQL offers: the frontend contract's operations and relationship questions,
with variables taken from the loaded data (:func:`curated_examples`), and the one it opens with.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from graph.build.loading import TrialGraph
from graph.compact.graph import CompactGraph
from graph.compact.relations import Relation, outgoing
from graph.model import EdgeKind, NodeKind
from graph.query.search import entity_trials

# The contract's operations (../shared/contract), verbatim: frontend apps run them as they are.
TRIAL_CARD_QUERY = """\
query TrialCard($nctId: String!) {
  trial(nctId: $nctId) {
    id
    nctId
    title
    status
    phases
    studyType
    enrollment
    startDate
    completionDate
    conditions { id name }
    sponsors { totalCount edges { role node { id name } } }
    investigators { totalCount edges { role node { id name } } }
    sites(first: 100) { totalCount edges { status node { id name city country } } }
    arms { label type description interventions { name type } }
    interventions { id name type description arms { label } }
    eligibility {
      minimumAgeYears
      maximumAgeYears
      sex
      healthyVolunteers
      inclusionCriteria
      exclusionCriteria
    }
  }
}
"""
CONDITION_TRIALS_QUERY = """\
query ConditionTrials($name: String!) {
  condition(name: $name) { id name trials(first: 20) { totalCount nodes { nctId } } }
}
"""
ORGANIZATION_TRIALS_QUERY = """\
query OrganizationTrials($name: String!) {
  organization(name: $name) { id name trials(first: 20) { totalCount edges { role node { nctId } } } }
}
"""
INVESTIGATOR_TRIALS_QUERY = """\
query InvestigatorTrials($name: String!) {
  investigator(name: $name) { id name trials(first: 20) { totalCount edges { role node { nctId } } } }
}
"""
FIND_TRIALS_QUERY = """\
query FindTrials($filter: TrialFilter, $first: Int, $after: String) {
  trials(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { nctId }
  }
}
"""
REFETCH_QUERY = """\
query Refetch($id: ID!) {
  node(id: $id) { id __typename ... on Trial { nctId } }
}
"""
NEIGHBORHOOD_QUERY = """\
query Neighborhood($id: ID!, $hops: Int!) {
  neighborhood(id: $id, hops: $hops) {
    nodes { id kind label }
    edges { source target type }
  }
}
"""
HOW_CONNECTED_QUERY = """\
query HowConnected($from: ID!, $to: ID!) {
  shortestPath(from: $from, to: $to) {
    length
    nodes { id kind label }
    edges { source target type }
  }
}
"""

# Relationship questions, answered across trials.
SHARED_SITES_QUERY = """\
# Every site of a trial with the trials run there: a site with more than one is shared.
query SharedSites($nctId: String!) {
  trial(nctId: $nctId) {
    nctId
    title
    sites(first: 100) {
      totalCount
      nodes {
        name
        city
        country
        trials(first: 10) { totalCount nodes { nctId title } }
      }
    }
  }
}
"""
AFFILIATED_INVESTIGATORS_QUERY = """\
# The people who name an organization as their affiliation, with their trials and sites.
query AffiliatedInvestigators($name: String!) {
  organization(name: $name) {
    name
    investigators(first: 50) {
      totalCount
      nodes {
        name
        degrees
        trials { edges { role node { nctId } } }
        sites(first: 5) { nodes { name city } }
      }
    }
  }
}
"""
RECRUITING_SITES_QUERY = """\
# The sites of a trial that are recruiting now.
query RecruitingSites($nctId: String!) {
  trial(nctId: $nctId) {
    nctId
    title
    status
    sites(status: RECRUITING, first: 100) {
      totalCount
      edges { status node { name city state country } }
    }
  }
}
"""
TRIALS_FOR_A_PATIENT_QUERY = """\
# Trials whose eligibility accepts a participant of this age (in years) and sex.
query TrialsForAPatient($filter: TrialFilter!) {
  trials(filter: $filter, first: 20) {
    totalCount
    nodes {
      nctId
      title
      status
      eligibility { minimumAge maximumAge sex }
    }
  }
}
"""
CONDITION_INTERVENTIONS_QUERY = """\
# What the trials of a condition test, trial by trial.
query ConditionInterventions($name: String!) {
  condition(name: $name) {
    name
    trials(first: 20) {
      totalCount
      nodes { nctId title interventions { name type } }
    }
  }
}
"""

# Answers no other trial graph gives.
RELATED_TRIALS_QUERY = """\
# Trials ranked by what they share with one trial; each score broken down by what is shared.
# A shared entity weighs log(trials / trials holding it): a rare site counts more than a big sponsor.
query RelatedTrials($nctId: String!) {
  relatedTrials(nctId: $nctId, first: 10) {
    totalCount
    skipped { trials node { id } }
    edges {
      score
      shared { kind count score nodes(first: 3) { id ... on Site { name city } } }
      node { nctId title }
    }
  }
}
"""
TRIAL_FACETS_QUERY = """\
# Counts over every trial of a filtered list, not only the page shown.
query TrialFacets($filter: TrialFilter) {
  trials(filter: $filter, first: 5) {
    totalCount
    nodes { nctId title }
    facets(top: 5) {
      status { value count }
      phase { value count }
      studyType { value count }
      country { value count }
      sponsorClass { value count }
      condition { value count }
    }
  }
}
"""
SITES_NEAR_QUERY = """\
# Sites within a distance of a point, nearest first. Coordinates are the record's, or the city's
# centre from an offline gazetteer where the record has none (coordinatesDerived: true).
query SitesNear($near: GeoCircle!) {
  sites(near: $near, first: 20) {
    totalCount
    edges {
      distanceKm
      node { name city country latitude longitude coordinatesDerived trials(first: 5) { totalCount } }
    }
  }
}
"""
ELIGIBLE_SITES_QUERY = """\
# Recruiting sites within a distance that run a trial accepting this person: the site's own status,
# the trial's age limits, sex and healthy volunteers, in one question.
query EligibleSitesNear($near: GeoCircle!, $accepts: Participant) {
  eligibleSites(near: $near, accepts: $accepts, first: 20) {
    totalCount
    edges {
      distanceKm
      status
      site { name city country }
      trial { nctId title eligibility { minimumAge maximumAge sex healthyVolunteers } }
    }
  }
}
"""
MESH_TERM_QUERY = """\
# A MeSH term, its broader and narrower terms, and the trials classified as it or under it.
query MeshTermTrials($name: String!) {
  meshTerm(name: $name) {
    meshId
    name
    broader { name }
    narrower { name }
    conditions { name }
    trials(first: 20) { totalCount nodes { nctId title conditions { name } } }
  }
}
"""

# For a graph without trials: a query that still answers, and says so.
TRIALS_QUERY = """\
query Trials {
  trials(first: 5) {
    totalCount
    edges {
      node {
        nctId
        title
        status
      }
    }
  }
}
"""

# The page's script has no `$`, so Template fills only the placeholders. The explorer plugin must
# load after graphiql.min.js: it reads React and GraphQL from the GraphiQL global.


@dataclass(frozen=True, slots=True)
class Example:
    """A query GraphiQL offers, with variables taken from the loaded data."""

    title: str  # the operation's name
    description: str  # the question it answers, naming what it asks about
    query: str
    variables: dict[str, Any] | None = None


def example_operation(trial_graph: TrialGraph) -> dict[str, Any]:
    """The query GraphiQL opens with: the first trial's card, or the trial list if there is none."""
    lo, hi = trial_graph.index.trial_range
    if lo == hi:
        return {"query": TRIALS_QUERY, "variables": None}
    nct_id = trial_graph.graph.store.attributes(lo)["nctId"]
    return {"query": TRIAL_CARD_QUERY, "variables": json.dumps({"nctId": nct_id}, indent=2)}


def curated_examples(trial_graph: TrialGraph) -> list[Example]:
    """The contract's operations and some relationship questions, asking about entities that exist.

    An example is left out when the graph has nothing for it to ask about (a graph without
    trials keeps the trial filters only).
    """
    graph = trial_graph.graph
    trials = graph.ids_of(NodeKind.TRIAL)[:1000]  # the first trials have something to ask about
    trial = trials[0] if trials else None
    condition = _first_related(graph, trials, EdgeKind.STUDIES)
    lead = _first_related(graph, trials, EdgeKind.SPONSORED_BY, lambda r: r.edge.get("role") == "LEAD")
    investigator = _first_related(graph, trials, EdgeKind.INVESTIGATED_BY)
    country = _first_related(graph, trials, EdgeKind.RUNS_IN)
    # The first trial at the site most trials run at, the organization most people name as their
    # affiliation, the trial with most recruiting sites: where these questions have most to say.
    busiest_site = _most(graph, NodeKind.SITE, EdgeKind.CONDUCTED_AT)
    shares = (
        graph.store.id(
            int(entity_trials(graph, graph.store.position(busiest_site) or 0, EdgeKind.CONDUCTED_AT)[0])
        )
        if busiest_site
        else None
    )
    affiliation = _most(graph, NodeKind.ORGANIZATION, EdgeKind.AFFILIATED_WITH)
    recruiting = _most_recruiting(trial_graph)
    # A site with coordinates (the first, or the first recruiting one), and the MeSH term most
    # trials are classified under: where the place and hierarchy questions have answers.
    near = _located_site(graph, trials)
    recruiting_site = _located_site(graph, trials, "RECRUITING") or near
    mesh = _most(graph, NodeKind.MESH_TERM, EdgeKind.CLASSIFIED_UNDER) or _most(
        graph, NodeKind.MESH_TERM, EdgeKind.CLASSIFIED_AS
    )
    nct_id, condition_name = _nct_id(graph, trial), _name(graph, condition)
    offered: list[tuple[str, str, str, dict[str, Any] | None]] = [
        ("TrialCard", f"Everything about {nct_id}", TRIAL_CARD_QUERY, {"nctId": nct_id} if trial else None),
        (
            "ConditionTrials",
            f"The trials studying {condition_name}",
            CONDITION_TRIALS_QUERY,
            {"name": condition_name} if condition else None,
        ),
        (
            "OrganizationTrials",
            f"The trials {_name(graph, lead)} sponsors",
            ORGANIZATION_TRIALS_QUERY,
            {"name": _name(graph, lead)} if lead else None,
        ),
        (
            "InvestigatorTrials",
            f"The trials {_name(graph, investigator)} takes part in",
            INVESTIGATOR_TRIALS_QUERY,
            {"name": _name(graph, investigator)} if investigator else None,
        ),
        (
            "FindTrials",
            f"Trials studying {condition_name}, 10 a page" if condition else "Trials, 10 a page",
            FIND_TRIALS_QUERY,
            {"filter": {"condition": condition_name} if condition else {}, "first": 10},
        ),
        ("Refetch", f"A node by its global id: {trial}", REFETCH_QUERY, {"id": trial} if trial else None),
        (
            "Neighborhood",
            f"Every node one edge from {nct_id}, and the edges among them",
            NEIGHBORHOOD_QUERY,
            {"id": trial, "hops": 1} if trial else None,
        ),
        (
            "HowConnected",
            f"How {condition_name} is connected to {_name(graph, country)}",
            HOW_CONNECTED_QUERY,
            {"from": condition, "to": country} if condition and country else None,
        ),
        (
            "SharedSites",
            f"The sites of {_nct_id(graph, shares)}, each with the trials run there",
            SHARED_SITES_QUERY,
            {"nctId": _nct_id(graph, shares)} if shares else None,
        ),
        (
            "AffiliatedInvestigators",
            f"The investigators affiliated with {_name(graph, affiliation)}",
            AFFILIATED_INVESTIGATORS_QUERY,
            {"name": _name(graph, affiliation)} if affiliation else None,
        ),
        (
            "RecruitingSites",
            f"The sites recruiting for {_nct_id(graph, recruiting)}",
            RECRUITING_SITES_QUERY,
            {"nctId": _nct_id(graph, recruiting)} if recruiting else None,
        ),
        (
            "TrialsForAPatient",
            "Trials accepting a 67-year-old woman",
            TRIALS_FOR_A_PATIENT_QUERY,
            {"filter": {"age": 67, "sex": "FEMALE"}},
        ),
        (
            "ConditionInterventions",
            f"What the trials studying {condition_name} test",
            CONDITION_INTERVENTIONS_QUERY,
            {"name": condition_name} if condition else None,
        ),
        (
            "RelatedTrials",
            f"The trials most like {_nct_id(graph, shares or trial)}, and why",
            RELATED_TRIALS_QUERY,
            {"nctId": _nct_id(graph, shares or trial)} if trial else None,
        ),
        (
            "TrialFacets",
            f"Counts by status, phase, country ... of the trials studying {condition_name}"
            if condition
            else "Counts by status, phase, country ... of every trial",
            TRIAL_FACETS_QUERY,
            ({"filter": {"condition": condition_name}} if condition else {"filter": {}}) if trial else None,
        ),
        (
            "SitesNear",
            f"Sites within 50 km of {_place(graph, near)}",
            SITES_NEAR_QUERY,
            {"near": _circle(graph, near)} if near else None,
        ),
        (
            "EligibleSitesNear",
            f"Recruiting sites within 50 km of {_place(graph, recruiting_site)} "
            "accepting a 67-year-old woman",
            ELIGIBLE_SITES_QUERY,
            {"near": _circle(graph, recruiting_site), "accepts": {"age": 67, "sex": "FEMALE"}}
            if recruiting_site
            else None,
        ),
        (
            "MeshTermTrials",
            f"The trials classified as {_name(graph, mesh)} or under it",
            MESH_TERM_QUERY,
            {"name": _name(graph, mesh)} if mesh else None,
        ),
    ]
    return [Example(*example) for example in offered if example[3]]


def _first_related(
    graph: CompactGraph,
    trials: Iterable[str],
    kind: EdgeKind,
    wanted: Callable[[Relation], bool] = lambda relation: True,
) -> str | None:
    """The first entity related by ``kind`` to the first trial that has one."""
    for trial in trials:
        for relation in outgoing(graph, trial, [kind]):
            if wanted(relation):
                return relation.node
    return None


def _most(graph: CompactGraph, kind: NodeKind, edge_kind: EdgeKind) -> str | None:
    """The node of ``kind`` with most edges of ``edge_kind`` coming in, the first of a tie."""
    store = graph.store
    lo, hi = store.kind_range(kind)
    counts = [len(store.in_range(position, edge_kind)) for position in range(lo, hi)]
    if not counts or max(counts) == 0:
        return None
    return store.id(lo + int(np.argmax(counts)))


def _most_recruiting(trial_graph: TrialGraph) -> str | None:
    """A recruiting trial with most sites that has a site recruiting, the first of a tie; else the
    first trial."""
    store, index = trial_graph.graph.store, trial_graph.index
    recruiting = index.values.get("status=RECRUITING").tolist()
    by_sites = sorted(recruiting, key=lambda p: (-len(store.out_range(p, EdgeKind.CONDUCTED_AT)), p))
    for position in by_sites[:20]:
        trial = store.id(int(position))
        sites = outgoing(trial_graph.graph, trial, [EdgeKind.CONDUCTED_AT])
        if any(site.edge.get("status") == "RECRUITING" for site in sites):
            return trial
    lo, hi = index.trial_range
    return store.id(lo) if lo < hi else None  # no site recruits: the question still runs


def _located_site(graph: CompactGraph, trials: Iterable[str], status: str | None = None) -> str | None:
    """The first site with coordinates of the first trial that has one (with ``status`` there)."""
    for trial in trials:
        for relation in outgoing(graph, trial, [EdgeKind.CONDUCTED_AT]):
            if "latitude" in graph.nodes[relation.node] and status in (None, relation.edge.get("status")):
                return relation.node
    return None


def _circle(graph: CompactGraph, site: str | None) -> dict[str, float]:
    data = graph.nodes[site] if site else {}
    return {"lat": data.get("latitude", 0.0), "lon": data.get("longitude", 0.0), "km": 50}


def _place(graph: CompactGraph, site: str | None) -> str:
    data = graph.nodes[site] if site else {}
    return ", ".join(str(data[part]) for part in ("city", "country") if part in data) or "the site"


def _nct_id(graph: CompactGraph, trial: str | None) -> str:
    return str(graph.nodes[trial]["nctId"]) if trial else ""


def _name(graph: CompactGraph, node: str | None) -> str:
    return str(graph.nodes[node]["name"]) if node else ""
