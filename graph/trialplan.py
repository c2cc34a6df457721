"""What one trial record adds to the graph, worked out from the record alone: a :data:`TrialPlan`.

Everything that needs only the record is done here: node ids from normalised keys, the trial's
attributes (encoded as the store keeps them) and what the index finds it by, its edges (several
mentions of one relation merged into one edge), the arms. What needs the trials before it (whether an entity
or an edge between entities is new, how often a name was written, the sites other trials place
in a country) is left to :meth:`graph.build.Builder.apply`, as a list of steps in the order the
record states them.

A plan holds only tuples, lists, dicts, strings, bytes and numbers, so that it can be made in
another process and sent over as :mod:`marshal` bytes (:mod:`graph.readahead`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from graph.compact.assemble import Signature, encoded
from graph.compact.store import NO_POSITION
from graph.eligibility import age_in_years
from graph.index import TrialTerms, entity_terms, trial_terms
from graph.keys import lookup_key, node_id, organization_key, person_key
from graph.model import LIST_SEPARATOR, EdgeKind, Intervention, NodeKind, Official, Source, TrialRecord

# The steps of a plan, each a tuple starting with its code:
ENTITY = 0  # (ENTITY, node, kind, spelling, attributes or None): an entity, met again or new
AGENCY_CLASS = 1  # (AGENCY_CLASS, organization, class): one mention of an organization's class
VALUE = 2  # (VALUE, name, value): a value the trial is found by besides its attributes
ENTITY_EDGE = 3  # (ENTITY_EDGE, source, target, kind, *encoded attributes): made once across trials
SITE = 4  # (SITE, node, spelling, attributes, (facility key, city key) or None, country, spelling)
OTHER_NAMES = 5  # (OTHER_NAMES, intervention, names): names the intervention is also known by
ARM = 6  # (ARM, node, *encoded attributes, (name keys, words)): an arm, the trial's own node

Step = tuple[Any, ...]
# Source, target, kind, key, position (or NO_POSITION) and the attributes, as the store keeps them.
Edge = tuple[str, str, str, str, int, bytes, Signature]
# The trial's node id and attributes (encoded), what the index finds it by, the steps, its edges.
TrialPlan = tuple[str, bytes, Signature, TrialTerms, list[Step], list[Edge]]


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


def merge_mention(existing: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Merge a further mention into an edge: its field and spelling gain a line, and
    attributes it lacked are added."""
    for name in ("field", "spelling"):
        if name in values and values[name] not in existing.get(name, "").split(LIST_SEPARATOR):
            existing[name] = joined([existing[name], values[name]]) if name in existing else values[name]
    for name, value in values.items():
        existing.setdefault(name, value)


def plan_trial(record: TrialRecord, sources: list[Source]) -> TrialPlan:
    """What ``record`` (read from ``sources``) adds to the graph."""
    return _Planner(record).plan(sources)


class _Planner:
    """Plans one record: its steps in order and its edges, merged by ends and key."""

    def __init__(self, record: TrialRecord) -> None:
        self.record = record
        self.trial = trial_id(record.nct_id)
        self.steps: list[Step] = []
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.people: dict[str, str] = {}  # person key -> node, within this trial

    def plan(self, sources: list[Source]) -> TrialPlan:
        record, trial = self.record, self.trial
        attributes = _trial_attributes(record, sources)
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
        self._mesh_terms()
        lead: str | None = None
        for position, sponsor in enumerate(record.sponsors):
            node = self._organization(sponsor.name, sponsor.agency_class)
            if sponsor.role == "LEAD" and lead is None and sponsor.agency_class:
                self.steps.append((VALUE, "leadSponsorClass", sponsor.agency_class))
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
            self._investigated_by(self._investigator(official), official, "TRIAL", position)
        self._responsible_party(lead)
        self._sites()
        self._arms_and_interventions()
        edges: list[Edge] = [
            (source, target, values["kind"], key, values.get("position", NO_POSITION), *encoded(values))
            for (source, target, key), values in self.edges.items()
        ]
        return (trial, *encoded(attributes), trial_terms(attributes, record.conditions), self.steps, edges)

    # -- steps and edges ----------------------------------------------------------------------

    def _entity(self, node: str, kind: NodeKind, spelling: str, **attributes: Any) -> str:
        present = {name: value for name, value in attributes.items() if value is not None and value != ""}
        self.steps.append((ENTITY, node, kind._value_, spelling, present or None))
        return node

    def _edge(self, source: str, target: str, kind: EdgeKind, qualifier: str = "", **attributes: Any) -> None:
        """Add an edge keyed ``KIND`` or ``KIND:qualifier``, or merge a further mention of the
        same trial into it: its field and spelling gain a line."""
        kind_name = kind._value_  # a plain str, as marshal takes (``.value`` calls a descriptor)
        key = f"{kind_name}:{qualifier}" if qualifier else kind_name
        values = {name: value for name, value in attributes.items() if value is not None}
        existing = self.edges.get((source, target, key))
        if existing is None:
            self.edges[(source, target, key)] = {"kind": kind_name, **values}
        else:
            merge_mention(existing, values)

    def _entity_edge(self, source: str, target: str, kind: EdgeKind, **attributes: Any) -> None:
        values = {name: value for name, value in attributes.items() if value is not None}
        self.steps.append((ENTITY_EDGE, source, target, kind.value, *encoded({"kind": kind.value, **values})))

    # -- the record's parts -------------------------------------------------------------------

    def _mesh_terms(self) -> None:
        record, trial = self.record, self.trial
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
            self.steps.append((AGENCY_CLASS, node, agency_class))
        return node

    def _investigator(self, official: Official, affiliate: bool = True) -> str:
        """The node of a person; within one trial, one name is one person whatever the affiliation."""
        nct_id = self.record.nct_id
        person = person_key(official.name)
        keys = [person, organization_key(official.affiliation)] if official.affiliation else [person]
        node = self.people.setdefault(person, node_id(NodeKind.INVESTIGATOR, *keys))
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

    def _investigated_by(
        self, person: str, official: Official, scope: str, position: int | None = None
    ) -> None:
        """The trial's edge to a person named for the whole trial or at one of its sites."""
        self._edge(
            self.trial,
            person,
            EdgeKind.INVESTIGATED_BY,
            f"{scope}:{official.role}",
            role=official.role,
            scope=scope,
            field=official.field,
            spelling=official.name,
            position=position,
        )

    def _responsible_party(self, lead: str | None) -> None:
        party = self.record.responsible_party
        if party.type == "SPONSOR" and lead is not None:
            self._edge(
                self.trial, lead, EdgeKind.RESPONSIBLE_PARTY, type=party.type, field="responsibleParty"
            )
        elif party.investigator_name:
            official = Official(
                party.investigator_name, None, party.investigator_affiliation, "responsibleParty"
            )
            node = self._investigator(official)
            self._edge(
                self.trial,
                node,
                EdgeKind.RESPONSIBLE_PARTY,
                type=party.type,
                title=party.investigator_title,
                field="responsibleParty",
                spelling=party.investigator_name,
            )

    def _sites(self) -> None:
        record, trial = self.record, self.trial
        nct = record.nct_id.lower()
        for position, location in enumerate(record.locations):
            country_name = location.country
            place: tuple[str, str] | None = None
            if location.facility:
                place = (organization_key(location.facility), lookup_key(location.city))
                node = node_id(NodeKind.SITE, *place, lookup_key(country_name))
            else:
                node = node_id(
                    NodeKind.SITE,
                    f"unnamed {nct} {position}",
                    lookup_key(location.city),
                    lookup_key(country_name),
                )
            site = {
                "city": location.city,
                "state": location.state,
                "country": country_name,
                "zip": location.zip,
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
            country = node_id(NodeKind.COUNTRY, lookup_key(country_name)) if country_name else None
            self.steps.append(
                (
                    SITE,
                    node,
                    location.facility or "",
                    {name: value for name, value in site.items() if value is not None and value != ""},
                    place,
                    country,
                    country_name,
                )
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
            for investigator in location.investigators:
                person = self._investigator(investigator, affiliate=False)
                self._investigated_by(person, investigator, "SITE")
                self._edge(
                    person,
                    node,
                    EdgeKind.INVESTIGATES_AT,
                    f"{record.nct_id}",
                    trial=record.nct_id,
                    role=investigator.role,
                    field=investigator.field,
                )
        for position, name in enumerate(record.countries):
            node = self._entity(node_id(NodeKind.COUNTRY, lookup_key(name)), NodeKind.COUNTRY, name)
            self._edge(trial, node, EdgeKind.RUNS_IN, position=position)

    def _arms_and_interventions(self) -> None:
        record, trial = self.record, self.trial
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
            if intervention.other_names:
                self.steps.append((OTHER_NAMES, node, intervention.other_names))
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
            self.steps.append((ARM, node, *encoded(present), entity_terms(NodeKind.ARM, present)))
            self._edge(trial, node, EdgeKind.HAS_ARM, field=arm.field, position=position)
            for received in sorted(arm.interventions):
                self._edge(node, nodes[received], EdgeKind.RECEIVES)


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
