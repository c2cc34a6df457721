"""The baseline's graph: trial records into a plain ``networkx.MultiDiGraph``, the obvious way.

This is the benchmark's baseline, deliberately naive, and not used by the product. One
``add_node`` per entity (its attributes a dict, named by the first spelling met) and one
``add_edge`` per mention (keyed like the product's edges, so that a mention repeated in one
trial is one edge), entities keyed with the product's own :mod:`graph.keys` functions so that
both graphs resolve the same mentions to the same node ids (sites and interventions with
:func:`graph.build.entityids.site_id` and :func:`~graph.build.entityids.intervention_ids`). No compaction,
no interning, no index: questions are answered by scanning (:mod:`bench.baseline.queries`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx

from graph.build.entityids import intervention_ids, site_id
from graph.keys import lookup_key, node_id, organization_key, person_key, split_person_name
from graph.model import Eligibility, NodeKind, Official, TrialRecord
from graph.read.text.criteria import age_in_years

# Trial record fields kept as trial attributes: every scalar, and lists of strings joined.
_NESTED = ("design", "eligibility", "responsible_party")
_SKIPPED = {"source", "arms", "interventions", "sponsors", "officials", "locations", "identifiers"}


def build_networkx(
    records: Iterable[TrialRecord], progress: Callable[[int], None] | None = None
) -> nx.MultiDiGraph:
    """A ``MultiDiGraph`` of ``records``: trial, entity and arm nodes with dict attributes.

    >>> from graph.model import Source, Sponsor
    >>> one = TrialRecord("NCT00000001", Source("a.json"), sponsors=[Sponsor("Acme Inc.", "LEAD")])
    >>> two = TrialRecord("NCT00000002", Source("b.json"), sponsors=[Sponsor("ACME", "COLLABORATOR")])
    >>> g = build_networkx([one, two])
    >>> sorted(g.predecessors("Organization:acme")), g.nodes["Organization:acme"]["name"]
    (['Trial:NCT00000001', 'Trial:NCT00000002'], 'Acme Inc.')
    """
    graph = nx.MultiDiGraph()
    places = Places()
    for count, record in enumerate(records, start=1):
        add_trial(graph, record, places)
        if progress is not None:
            progress(count)
    place_countryless_sites(graph, places)
    link_sites_to_organizations(graph)
    return graph


@dataclass
class Places:
    """Named facilities' sites by (facility key, city key): listed with a country, and without."""

    placed: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    countryless: dict[tuple[str, str], set[str]] = field(default_factory=dict)


def place_countryless_sites(graph: nx.MultiDiGraph, places: Places) -> None:
    """A facility listed without a country joins the one site of that name and city that other
    trials place in a country (the contract's rule), its edges moved there by networkx."""
    for place, sites in places.countryless.items():
        if len(places.placed.get(place, ())) == 1:
            [target] = places.placed[place]
            for site in sorted(sites):
                nx.contracted_nodes(graph, target, site, self_loops=False, copy=False)
            graph.nodes[target].pop("contraction", None)


def link_sites_to_organizations(graph: nx.MultiDiGraph) -> None:
    """A site is operated by the organization of the same name, when trials name one."""
    sites = [
        (node, data["name"])
        for node, data in graph.nodes(data=True)
        if data["kind"] == "Site" and data.get("name")
    ]
    for site, name in sites:
        organization = node_id(NodeKind.ORGANIZATION, organization_key(name))
        if organization in graph:
            graph.add_edge(site, organization, key="OPERATED_BY", kind="OPERATED_BY")


def trial_attributes(record: TrialRecord) -> dict[str, Any]:
    """The record's own values, nested parts flattened; lists of strings joined by a line feed."""
    attributes: dict[str, Any] = {"kind": NodeKind.TRIAL.value, "source": str(record.source)}
    parts: list[Any] = [record, *(getattr(record, name) for name in _NESTED)]
    for part in parts:
        for item in fields(part):
            value = getattr(part, item.name)
            if item.name in _SKIPPED or item.name in _NESTED or value is None:
                continue
            if isinstance(value, list):
                value = "\n".join(value)
            attributes[item.name] = value
    eligibility: Eligibility = record.eligibility
    for bound in ("minimum_age", "maximum_age"):
        written = getattr(eligibility, bound)
        years = age_in_years(written) if written else None
        if years is not None:
            attributes[f"{bound}_years"] = years
    return attributes


def _entity(graph: nx.MultiDiGraph, node: str, kind: NodeKind, **attributes: Any) -> str:
    if node not in graph:
        graph.add_node(node, kind=kind.value, **{k: v for k, v in attributes.items() if v is not None})
    return node


def _link(graph: nx.MultiDiGraph, source: str, target: str, key: str, **attributes: Any) -> None:
    """An edge for a mention; a mention repeating one already linked (same key) adds nothing."""
    if not graph.has_edge(source, target, key):
        graph.add_edge(source, target, key=key, **attributes)


def _person(graph: nx.MultiDiGraph, official: Official, nct_id: str, affiliate: bool = True) -> str:
    """A person's node, keyed on the name. An overall official's affiliation is linked."""
    person = node_id(NodeKind.INVESTIGATOR, person_key(official.name))
    _entity(graph, person, NodeKind.INVESTIGATOR, name=split_person_name(official.name)[0])
    if official.affiliation and affiliate:
        organization = _entity(
            graph,
            node_id(NodeKind.ORGANIZATION, organization_key(official.affiliation)),
            NodeKind.ORGANIZATION,
            name=official.affiliation,
        )
        _link(graph, person, organization, nct_id, kind="AFFILIATED_WITH", trial=nct_id)
    return person


def add_trial(graph: nx.MultiDiGraph, record: TrialRecord, places: Places) -> None:
    """Add one trial, its entities and an edge per mention to ``graph``; its named facilities'
    sites to ``places``."""
    trial = f"{NodeKind.TRIAL.value}:{record.nct_id}"
    nct = record.nct_id
    graph.add_node(trial, **trial_attributes(record))
    for position, condition in enumerate(record.conditions):
        node = _entity(
            graph, node_id(NodeKind.CONDITION, lookup_key(condition)), NodeKind.CONDITION, name=condition
        )
        _link(graph, trial, node, "STUDIES", kind="STUDIES", position=position, spelling=condition)
    for position, sponsor in enumerate(record.sponsors):
        node = node_id(NodeKind.ORGANIZATION, organization_key(sponsor.name))
        _entity(graph, node, NodeKind.ORGANIZATION, name=sponsor.name, agency_class=sponsor.agency_class)
        _link(graph, trial, node, sponsor.role, kind="SPONSORED_BY", role=sponsor.role, position=position)
    for position, official in enumerate(record.officials):
        person = _person(graph, official, nct)
        _link(
            graph,
            trial,
            person,
            "INVESTIGATED_BY",  # one edge per person: the first mention's role and scope
            kind="INVESTIGATED_BY",
            role=official.role,
            scope="TRIAL",
            position=position,
        )
    for position, location in enumerate(record.locations):
        site, place = site_id(location, nct.lower(), position)
        if place is not None:  # a named facility: placed in a country, or to be placed by others
            placing = places.placed if location.country else places.countryless
            placing.setdefault(place, set()).add(site)
        _entity(
            graph,
            site,
            NodeKind.SITE,
            name=location.facility,
            city=location.city or None,
            country=location.country or None,
            latitude=location.latitude,
            longitude=location.longitude,
        )
        _link(
            graph, trial, site, "CONDUCTED_AT", kind="CONDUCTED_AT", status=location.status, position=position
        )
        if location.country:
            country = node_id(NodeKind.COUNTRY, lookup_key(location.country))
            _entity(graph, country, NodeKind.COUNTRY, name=location.country)
            _link(graph, site, country, "LOCATED_IN", kind="LOCATED_IN")
        for investigator in location.investigators:
            person = _person(graph, investigator, nct, affiliate=False)
            _link(
                graph,
                trial,
                person,
                "INVESTIGATED_BY",
                kind="INVESTIGATED_BY",
                role=investigator.role,
                scope="SITE",
            )
            _link(graph, person, site, nct, kind="INVESTIGATES_AT", trial=nct)
    for position, country_name in enumerate(record.countries):
        country = _entity(
            graph, node_id(NodeKind.COUNTRY, lookup_key(country_name)), NodeKind.COUNTRY, name=country_name
        )
        _link(graph, trial, country, "RUNS_IN", kind="RUNS_IN", position=position)
    party = record.responsible_party
    lead = next((s.name for s in record.sponsors if s.role == "LEAD"), None)
    if party.type == "SPONSOR" and lead is not None:
        lead_node = node_id(NodeKind.ORGANIZATION, organization_key(lead))
        _link(graph, trial, lead_node, "RESPONSIBLE_PARTY", kind="RESPONSIBLE_PARTY", type=party.type)
    elif party.investigator_name:
        named = Official(party.investigator_name, None, party.investigator_affiliation)
        person = _person(graph, named, nct)
        _link(graph, trial, person, "RESPONSIBLE_PARTY", kind="RESPONSIBLE_PARTY", type=party.type)
    interventions = []
    for position, (intervention, node) in enumerate(
        zip(record.interventions, intervention_ids(record), strict=True)
    ):
        _entity(graph, node, NodeKind.INTERVENTION, name=intervention.name, type=intervention.type)
        _link(
            graph, trial, node, "TESTS", kind="TESTS", description=intervention.description, position=position
        )
        interventions.append(node)
    for position, arm in enumerate(record.arms):
        node = node_id(NodeKind.ARM, nct.lower(), lookup_key(arm.label))
        if node in graph:  # two arms of one trial with one label
            node = node_id(NodeKind.ARM, nct.lower(), lookup_key(arm.label), str(position))
        graph.add_node(
            node,
            kind=NodeKind.ARM.value,
            trial=nct,
            label=arm.label,
            type=arm.type,
            description=arm.description,
            position=position,
        )
        _link(graph, trial, node, "HAS_ARM", kind="HAS_ARM", position=position)
        for received in arm.interventions:
            _link(graph, node, interventions[received], "RECEIVES", kind="RECEIVES")
