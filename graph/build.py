"""Trial records into one resolved networkx MultiDiGraph.

Mentions resolve to one node per real entity on normalised keys (:mod:`graph.keys`):

- an organization on its name without company form, whether lead sponsor, collaborator,
  affiliation or responsible party;
- a site on facility, city and country (the state is left out: pages drop it at random), and a
  site without a facility name never merges: it is keyed on its trial and position;
- an investigator on the name without degrees, plus the affiliation when one is stated;
- a condition on its name, a country on its name;
- an intervention on type and name; two interventions of one trial with the same type and name
  (on different arms) stay apart, keyed also on their description;
- an arm belongs to its trial;
- a MeSH term (registry JSON's ``derivedSection.conditionBrowseModule``) on its MeSH id.

MeSH terms: a trial is ``CLASSIFIED_AS`` each of its terms and ``CLASSIFIED_UNDER`` each
ancestor the registry lists for it. The registry lists the ancestors of all of a trial's terms
together, not per term, so a ``BROADER`` edge (term -> ancestor, any number of levels up) is
made only from trials with a single term, where every listed ancestor is that term's own. A
condition ``MAPS_TO`` a term when the term, or a text the registry found it as, is a run of
whole words of the condition's name.

A site without coordinates in its record gets its city's centre from the offline gazetteer
(:mod:`graph.gazetteer`), marked ``coordinatesDerived``; record coordinates are never replaced,
and a site's record coordinates from any trial win over a derived centre.

Every edge from a trial keeps where the mention came from (``field``, a registry field path
such as ``locations[3]``) and how it was written (``spelling``); several mentions merged into
one edge keep one line each. A node keeps its distinct spellings in ``spellings`` and is named
by its most frequent one (the first, in NCT order, on a tie), so a merge can be audited.
Attribute values are str, int, float or bool only; absent values are left out; lists are
strings joined by :data:`~graph.model.LIST_SEPARATOR`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from graph.compact.assemble import StoreBuilder
from graph.compact.graph import CompactGraph
from graph.eligibility import age_in_years
from graph.gazetteer import gazetteer
from graph.index import GraphIndex, IndexBuilder
from graph.keys import clear_key_caches, lookup_key, node_id, organization_key, person_key, split_person_name
from graph.model import (
    LIST_SEPARATOR,
    EdgeKind,
    Intervention,
    NodeKind,
    Official,
    Source,
    TrialRecord,
)


def joined(items: Iterable[str]) -> str:
    """A list as one attribute value.

    >>> joined(["PHASE1", "PHASE2"])
    'PHASE1\\nPHASE2'
    """
    return LIST_SEPARATOR.join(item.replace(LIST_SEPARATOR, " ") for item in items)


def trial_id(nct_id: str) -> str:
    """The id of a trial's node.

    >>> trial_id("NCT05697718")
    'Trial:NCT05697718'
    """
    return f"{NodeKind.TRIAL.value}:{nct_id}"


def build(
    records: Iterable[TrialRecord],
    sources: Mapping[str, list[Source]] | None = None,
    graph_attributes: Mapping[str, Any] | None = None,
) -> tuple[CompactGraph, GraphIndex]:
    """Build the resolved graph of ``records`` (one per trial, in NCT order) and its index.

    A list of records is emptied as it is read, so that each record can be freed once built.
    """
    builder = Builder()
    try:
        if isinstance(records, list):
            for place in range(len(records)):
                record, records[place] = records[place], None
                builder.add_trial(record, (sources or {}).get(record.nct_id, [record.source]))
        else:
            for record in records:
                builder.add_trial(record, (sources or {}).get(record.nct_id, [record.source]))
        return builder.finish(dict(graph_attributes or {}))
    finally:
        builder.close()


def build_graph(
    records: Iterable[TrialRecord],
    sources: Mapping[str, list[Source]] | None = None,
    graph_attributes: Mapping[str, Any] | None = None,
) -> CompactGraph:
    """Build the resolved graph of ``records`` (one per trial, in NCT order): a frozen networkx
    ``MultiDiGraph`` over compact arrays (:mod:`graph.compact`).

    Examples
    --------
    >>> from graph.model import TrialRecord, Source, Sponsor
    >>> one = TrialRecord("NCT00000001", Source("a.txt"), sponsors=[Sponsor("Acme Inc.", "LEAD")])
    >>> two = TrialRecord("NCT00000002", Source("b.txt"), sponsors=[Sponsor("ACME", "COLLABORATOR")])
    >>> g = build_graph([one, two])
    >>> sorted(g.predecessors("Organization:acme"))
    ['Trial:NCT00000001', 'Trial:NCT00000002']
    >>> g.nodes["Organization:acme"]["spellings"]
    'Acme Inc.\\nACME'
    """
    return build(records, sources, graph_attributes)[0]


COUNTRY_INFERRED = "from other trials naming this facility and city"


class Builder:
    """Builds a graph from records given one at a time, in NCT order.

    Entities stay open (attributes, spellings) until :meth:`finish`; a trial's own node and
    edges are written to the store when the trial is done, so a record can be freed once added.
    A facility listed without a country is resolved at the end: it joins the one site of that
    name and city that other trials place in a country.
    """

    def __init__(self) -> None:
        self.store = StoreBuilder()
        self.finished = False
        self.countryless: dict[str, tuple[str, str]] = {}  # site -> (facility key, city key)
        self.placed: dict[tuple[str, str], set[str]] = {}  # (facility key, city key) -> sites
        self.index = IndexBuilder()
        self.entities: dict[str, dict[str, Any]] = {}
        # How each entity was written: one spelling and its count, or counts by spelling (most
        # entities are written one way: a pair costs a third of a dict).
        self.spellings: dict[str, tuple[str, int] | dict[str, int]] = {}
        self.classes: dict[str, Counter[str]] = {}
        self.trial_people: dict[str, str] = {}  # person key -> node, within the current trial
        self.trial_edges: dict[tuple[str, str, str], dict[str, Any]] = {}  # of the current trial
        self.entity_edges: set[tuple[str, str, str]] = set()  # made once across trials

    # -- nodes and edges ----------------------------------------------------------------------

    def _entity(self, node: str, kind: NodeKind, spelling: str, **attributes: Any) -> str:
        """Add (or meet again) an entity node, counting how it was written."""
        data = self.entities.get(node)
        if data is None:
            data = self.entities[node] = {"kind": kind.value}
        for name, value in attributes.items():
            if value is not None and value != "" and name not in data:
                data[name] = value
        found = self.spellings.get(node)
        if found is None:
            self.spellings[node] = (spelling, 1)
        elif isinstance(found, tuple):
            if found[0] == spelling:
                self.spellings[node] = (spelling, found[1] + 1)
            else:
                self.spellings[node] = {found[0]: found[1], spelling: 1}
        else:
            found[spelling] = found.get(spelling, 0) + 1
        return node

    def _edge(self, source: str, target: str, kind: EdgeKind, qualifier: str = "", **attributes: Any) -> None:
        """Add an edge keyed ``KIND`` or ``KIND:qualifier``, or merge a further mention of the
        same trial into it: its field and spelling gain a line."""
        key = f"{kind.value}:{qualifier}" if qualifier else kind.value
        values = {name: value for name, value in attributes.items() if value is not None}
        existing = self.trial_edges.get((source, target, key))
        if existing is None:
            self.trial_edges[(source, target, key)] = {"kind": kind.value, **values}
        else:
            merge_mention(existing, values)

    def _flush_edges(self) -> None:
        for (source, target, key), attributes in self.trial_edges.items():
            self.store.edge(source, target, attributes["kind"], key, attributes)
        self.trial_edges = {}

    # -- one trial ----------------------------------------------------------------------------

    def add_trial(self, record: TrialRecord, sources: list[Source]) -> None:
        trial = trial_id(record.nct_id)
        self.trial_people = {}
        attributes = _trial_attributes(record, sources)
        here = self.store.node(trial)
        self.store.set_attributes(here, attributes)
        self.index.add_trial(here, attributes, record.conditions)
        for position, condition in enumerate(record.conditions):
            node = self._entity(
                node_id(NodeKind.CONDITION, lookup_key(condition)), NodeKind.CONDITION, condition
            )
            self._edge(
                trial,
                node,
                EdgeKind.STUDIES,
                field=f"conditions[{position}]",
                spelling=condition,
                position=position,
            )
        self._mesh_terms(record, trial)
        lead: str | None = None
        for position, sponsor in enumerate(record.sponsors):
            node = self._organization(sponsor.name, sponsor.agency_class)
            if sponsor.role == "LEAD" and lead is None and sponsor.agency_class:
                self.index.add_value(here, "leadSponsorClass", sponsor.agency_class)
            lead = lead or (node if sponsor.role == "LEAD" else None)
            self._edge(
                trial,
                node,
                EdgeKind.SPONSORED_BY,
                f"{sponsor.role}",
                role=sponsor.role,
                agencyClass=sponsor.agency_class,
                field=sponsor.field,
                spelling=sponsor.name,
                position=position,
            )
        for position, official in enumerate(record.officials):
            node = self._investigator(official, record.nct_id)
            self._edge(
                trial,
                node,
                EdgeKind.INVESTIGATED_BY,
                f"TRIAL:{official.role}",
                role=official.role,
                scope="TRIAL",
                field=official.field,
                spelling=official.name,
                position=position,
            )
        self._responsible_party(record, trial, lead)
        self._sites(record, trial)
        self._arms_and_interventions(record, trial)
        self._flush_edges()

    def _entity_edge(self, source: str, target: str, kind: EdgeKind, **attributes: Any) -> None:
        """An edge between two entities, made once whichever trials state it."""
        if (source, target, kind.value) not in self.entity_edges:
            self.entity_edges.add((source, target, kind.value))
            values = {name: value for name, value in attributes.items() if value is not None}
            self.store.edge(source, target, kind.value, kind.value, {"kind": kind.value, **values})

    def _mesh_terms(self, record: TrialRecord, trial: str) -> None:
        module = "derivedSection.conditionBrowseModule"
        terms = []
        for key, kind, listed in (
            ("meshes", EdgeKind.CLASSIFIED_AS, record.condition_meshes),
            ("ancestors", EdgeKind.CLASSIFIED_UNDER, record.condition_ancestors),
        ):
            for position, term in enumerate(listed):
                node = self._entity(
                    node_id(NodeKind.MESH_TERM, term.id.lower()),
                    NodeKind.MESH_TERM,
                    term.term,
                    meshId=term.id,
                )
                self._edge(
                    trial,
                    node,
                    kind,
                    field=f"{module}.{key}[{position}]",
                    spelling=term.term,
                    position=position,
                )
                if kind is EdgeKind.CLASSIFIED_AS:
                    terms.append((node, term))
        if len(terms) == 1:  # the ancestors listed are this term's own
            for ancestor in record.condition_ancestors:
                target = node_id(NodeKind.MESH_TERM, ancestor.id.lower())
                if target != terms[0][0]:
                    self._entity_edge(terms[0][0], target, EdgeKind.BROADER, trial=record.nct_id)
        for condition in record.conditions:
            words = f" {lookup_key(condition)} "
            for node, term in terms:
                if any(f" {lookup_key(text)} " in words for text in (term.term, *term.found_as)):
                    self._entity_edge(
                        node_id(NodeKind.CONDITION, lookup_key(condition)),
                        node,
                        EdgeKind.MAPS_TO,
                        trial=record.nct_id,
                    )

    def _organization(self, name: str, agency_class: str | None = None) -> str:
        node = self._entity(
            node_id(NodeKind.ORGANIZATION, organization_key(name)), NodeKind.ORGANIZATION, name
        )
        if agency_class:
            self.classes.setdefault(node, Counter())[agency_class] += 1
        return node

    def _investigator(self, official: Official, nct_id: str, affiliate: bool = True) -> str:
        """The node of a person; within one trial, one name is one person whatever the affiliation."""
        person = person_key(official.name)
        keys = [person, organization_key(official.affiliation)] if official.affiliation else [person]
        node = self.trial_people.setdefault(person, node_id(NodeKind.INVESTIGATOR, *keys))
        self._entity(node, NodeKind.INVESTIGATOR, official.name)
        if official.affiliation and affiliate:
            organization = self._organization(official.affiliation)
            self._edge(
                node,
                organization,
                EdgeKind.AFFILIATED_WITH,
                f"{nct_id}",
                trial=nct_id,
                field=f"{official.field}.affiliation",
                spelling=official.affiliation,
            )
        return node

    def _responsible_party(self, record: TrialRecord, trial: str, lead: str | None) -> None:
        party = record.responsible_party
        if party.type == "SPONSOR" and lead is not None:
            self._edge(trial, lead, EdgeKind.RESPONSIBLE_PARTY, type=party.type, field="responsibleParty")
        elif party.investigator_name:
            official = Official(
                party.investigator_name, None, party.investigator_affiliation, "responsibleParty"
            )
            node = self._investigator(official, record.nct_id)
            self._edge(
                trial,
                node,
                EdgeKind.RESPONSIBLE_PARTY,
                type=party.type,
                title=party.investigator_title,
                field="responsibleParty",
                spelling=party.investigator_name,
            )

    def _sites(self, record: TrialRecord, trial: str) -> None:
        nct = record.nct_id.lower()
        for position, location in enumerate(record.locations):
            country_name = location.country
            if location.facility:
                place = (organization_key(location.facility), lookup_key(location.city))
                node = node_id(NodeKind.SITE, *place, lookup_key(country_name))
                if country_name:
                    self.placed.setdefault(place, set()).add(node)
                else:
                    self.countryless[node] = place
            else:
                node = node_id(
                    NodeKind.SITE,
                    f"unnamed {nct} {position}",
                    lookup_key(location.city),
                    lookup_key(country_name),
                )
            new_site = node not in self.entities
            self._entity(
                node,
                NodeKind.SITE,
                location.facility or "",
                city=location.city or None,
                state=location.state or None,
                country=country_name or None,
                zip=location.zip,
                latitude=location.latitude,
                longitude=location.longitude,
            )
            self._edge(
                trial,
                node,
                EdgeKind.CONDUCTED_AT,
                status=location.status,
                field=location.field,
                spelling=location.facility,
                position=position,
            )
            if country_name:
                country = self._entity(
                    node_id(NodeKind.COUNTRY, lookup_key(country_name)), NodeKind.COUNTRY, country_name
                )
                if new_site:  # a site's country is part of its key: one edge, made once
                    kind = EdgeKind.LOCATED_IN.value
                    self.store.edge(node, country, kind, kind, {"kind": kind})
            for investigator in location.investigators:
                person = self._investigator(investigator, record.nct_id, affiliate=False)
                self._edge(
                    trial,
                    person,
                    EdgeKind.INVESTIGATED_BY,
                    f"SITE:{investigator.role}",
                    role=investigator.role,
                    scope="SITE",
                    field=investigator.field,
                    spelling=investigator.name,
                )
                self._edge(
                    person,
                    node,
                    EdgeKind.INVESTIGATES_AT,
                    f"{record.nct_id}",
                    trial=record.nct_id,
                    role=investigator.role,
                    field=investigator.field,
                )
        for position, country in enumerate(record.countries):
            node = self._entity(node_id(NodeKind.COUNTRY, lookup_key(country)), NodeKind.COUNTRY, country)
            self._edge(trial, node, EdgeKind.RUNS_IN, position=position)

    def _arms_and_interventions(self, record: TrialRecord, trial: str) -> None:
        nodes = _intervention_ids(record)
        for position, (intervention, node) in enumerate(zip(record.interventions, nodes, strict=True)):
            self._entity(
                node, NodeKind.INTERVENTION, intervention.name, name=intervention.name, type=intervention.type
            )
            self._edge(
                trial,
                node,
                EdgeKind.TESTS,
                description=intervention.description,
                otherNames=joined(intervention.other_names) or None,
                field=intervention.field,
                spelling=intervention.name,
                position=position,
            )
            data = self.entities[node]
            names = data.get("otherNames", "").split(LIST_SEPARATOR)
            added = [name for name in intervention.other_names if name not in names]
            if added:
                data["otherNames"] = joined([n for n in names if n] + added)
        taken: set[str] = set()
        for position, arm in enumerate(record.arms):
            node = node_id(NodeKind.ARM, record.nct_id.lower(), lookup_key(arm.label))
            if node in taken:
                node = node_id(NodeKind.ARM, record.nct_id.lower(), lookup_key(arm.label), str(position))
            taken.add(node)
            attributes = {
                "kind": NodeKind.ARM.value,
                "trial": record.nct_id,
                "position": position,
                "label": arm.label,
                "type": arm.type,
                "description": arm.description,
            }
            present = {name: value for name, value in attributes.items() if value is not None}
            here = self.store.node(node)
            self.store.set_attributes(here, present)
            self.index.add_entity(here, NodeKind.ARM, present)
            self._edge(trial, node, EdgeKind.HAS_ARM, field=arm.field, position=position)
            for received in sorted(arm.interventions):
                self._edge(node, nodes[received], EdgeKind.RECEIVES)

    # -- the whole graph ----------------------------------------------------------------------

    def close(self) -> None:
        """Give up a build that was not finished."""
        if not self.finished:
            self.store.close()

    def finish(self, graph_attributes: dict[str, Any]) -> tuple[CompactGraph, GraphIndex]:
        """Name every entity by its most frequent spelling; link sites to their organizations."""
        self._place_countryless_sites()
        self._derive_coordinates()
        for node, found in self.spellings.items():
            counts = _counts(found)
            written = [spelling for spelling in counts if spelling]
            if not written:
                continue
            data = self.entities[node]
            data["spellings"] = joined(written)
            best = max(written, key=counts.__getitem__)  # the first on a tie: NCT order
            if data["kind"] == NodeKind.INVESTIGATOR.value:
                data["name"], degrees = split_person_name(best)
                if degrees:
                    data["degrees"] = degrees
            else:
                data["name"] = best
        for node, counts in self.classes.items():
            self.entities[node]["agencyClass"] = counts.most_common(1)[0][0]
        operated = EdgeKind.OPERATED_BY.value
        self.organizations = {node for node in self.entities if node.startswith("Organization:")}
        clear_key_caches()  # every name was keyed: the caches would only hold memory now
        while self.entities:  # each entity's dict is freed once written
            node, data = self.entities.popitem()
            here = self.store.node(node)
            self.store.set_attributes(here, data)
            self.index.add_entity(here, NodeKind(data["kind"]), data)
            if data["kind"] == NodeKind.SITE.value and "name" in data:
                organization = node_id(NodeKind.ORGANIZATION, organization_key(data["name"]))
                if organization in self.organizations:
                    self.store.edge(
                        node, organization, operated, operated, {"kind": operated, "basis": "same name"}
                    )
        self.finished = True
        store = self.store.assemble(graph_attributes, merge_mention)
        return CompactGraph(store), self.index.finish(store, self.store.renumber)

    def _derive_coordinates(self) -> None:
        """A site without coordinates gets its city's centre, if the gazetteer holds the city."""
        for data in self.entities.values():
            if data["kind"] != NodeKind.SITE.value or "latitude" in data:
                continue
            city, country = data.get("city"), data.get("country")
            if city and country:
                place = gazetteer().locate(city, data.get("state", ""), country)
                if place is not None:
                    data.update(latitude=place.latitude, longitude=place.longitude, coordinatesDerived=True)

    def _place_countryless_sites(self) -> None:
        """A facility listed without a country is the one site of that name and city that other
        trials place in a country, if there is exactly one; its edges move there."""
        for node, place in self.countryless.items():
            sites = self.placed.get(place, set())
            if len(sites) != 1:
                continue
            target = next(iter(sites))
            source, into = self.entities.pop(node), self.entities[target]
            for name, value in source.items():
                into.setdefault(name, value)
            merged: dict[str, int] = {}
            for written in (self.spellings.get(target), self.spellings.pop(node, None)):
                for spelling, count in _counts(written).items():
                    merged[spelling] = merged.get(spelling, 0) + count
            self.spellings[target] = merged
            self.store.redirect(
                node, target, {EdgeKind.CONDUCTED_AT.value: {"countryInferred": COUNTRY_INFERRED}}
            )


def _counts(found: tuple[str, int] | dict[str, int] | None) -> dict[str, int]:
    """Counts by spelling, from what the builder keeps."""
    if found is None:
        return {}
    return {found[0]: found[1]} if isinstance(found, tuple) else found


def merge_mention(existing: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Merge a further mention into an edge: its field and spelling gain a line, and
    attributes it lacked are added."""
    for name in ("field", "spelling"):
        if name in values and values[name] not in existing.get(name, "").split(LIST_SEPARATOR):
            existing[name] = joined([existing[name], values[name]]) if name in existing else values[name]
    for name, value in values.items():
        existing.setdefault(name, value)


def _intervention_ids(record: TrialRecord) -> list[str]:
    """Node ids of a trial's interventions; same type and name in one trial stay apart."""
    keys = [_intervention_key(intervention) for intervention in record.interventions]
    repeated = {key for key, count in Counter(keys).items() if count > 1}
    ids = []
    for position, (key, intervention) in enumerate(zip(keys, record.interventions, strict=True)):
        if key in repeated:
            described = [i.description for i, k in zip(record.interventions, keys, strict=True) if k == key]
            if intervention.description and described.count(intervention.description) == 1:
                digest = hashlib.blake2b(lookup_key(intervention.description).encode(), digest_size=4)
                key = (*key, f"v{digest.hexdigest()}")
            else:
                key = (*key, f"{record.nct_id.lower()} {position}")
        ids.append(node_id(NodeKind.INTERVENTION, *key))
    return ids


def _intervention_key(intervention: Intervention) -> tuple[str, ...]:
    name = lookup_key(intervention.name)
    return (intervention.type.lower(), name) if intervention.type else (name,)


def _trial_attributes(record: TrialRecord, sources: list[Source]) -> dict[str, Any]:
    design, eligibility, party = record.design, record.eligibility, record.responsible_party
    org_ids = [i for i in record.identifiers if i.source == "org_study_id"]
    secondary = [i for i in record.identifiers if i.source == "secondary_id"]
    attributes: dict[str, Any] = {
        "kind": NodeKind.TRIAL.value,
        "nctId": record.nct_id,
        "title": record.brief_title,
        "officialTitle": record.official_title,
        "acronym": record.acronym,
        "status": record.status,
        "lastKnownStatus": record.last_known_status,
        "whyStopped": record.why_stopped,
        "phases": joined(record.phases),
        "studyType": record.study_type,
        "enrollment": record.enrollment,
        "enrollmentType": record.enrollment_type,
        "startDate": record.start_date,
        "startDateType": record.start_date_type,
        "primaryCompletionDate": record.primary_completion_date,
        "primaryCompletionDateType": record.primary_completion_date_type,
        "completionDate": record.completion_date,
        "completionDateType": record.completion_date_type,
        "firstSubmitted": record.first_submitted,
        "firstPosted": record.first_posted,
        "lastUpdated": record.last_updated,
        "statusVerified": record.status_verified,
        "hasResults": record.has_results,
        "briefSummary": record.brief_summary,
        "detailedDescription": record.detailed_description,
        "keywords": joined(record.keywords),
        "allocation": design.allocation,
        "interventionModel": design.intervention_model,
        "interventionModelDescription": design.intervention_model_description,
        "observationalModel": design.observational_model,
        "timePerspective": design.time_perspective,
        "primaryPurpose": design.primary_purpose,
        "masking": design.masking,
        "maskingDescription": design.masking_description,
        "whoMasked": joined(design.who_masked),
        "eligibilityCriteria": eligibility.criteria,
        "inclusionCriteria": joined(eligibility.inclusion),
        "exclusionCriteria": joined(eligibility.exclusion),
        "minimumAge": eligibility.minimum_age,
        "minimumAgeYears": age_in_years(eligibility.minimum_age) if eligibility.minimum_age else None,
        "maximumAge": eligibility.maximum_age,
        "maximumAgeYears": age_in_years(eligibility.maximum_age) if eligibility.maximum_age else None,
        "sex": eligibility.sex,
        "healthyVolunteers": eligibility.healthy_volunteers,
        "standardAges": joined(eligibility.standard_ages),
        "studyPopulation": eligibility.study_population,
        "samplingMethod": eligibility.sampling_method,
        "responsiblePartyType": party.type,
        "responsiblePartyInvestigator": party.investigator_name,
        "responsiblePartyInvestigatorTitle": party.investigator_title,
        "responsiblePartyAffiliation": party.investigator_affiliation,
        "organization": record.organization,
        "organizationClass": record.organization_class,
        "orgStudyId": org_ids[0].value if org_ids else None,
        "orgStudyIdType": org_ids[0].type if org_ids else None,
        "orgStudyIdLink": org_ids[0].link if org_ids else None,
        "secondaryIds": joined(i.value for i in secondary),
        "secondaryIdTypes": joined(i.type or "-" for i in secondary),
        "secondaryIdDomains": joined(i.domain or "-" for i in secondary)
        if any(i.domain for i in secondary)
        else None,
        "source": str(record.source),
        "sourceFormat": record.source.format,
        "sources": joined(str(source) for source in sources),
        "sourceDocuments": joined(sorted({source.path for source in sources})),
    }
    return {name: value for name, value in attributes.items() if value is not None and value != ""}
