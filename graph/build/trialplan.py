"""What one trial record adds to the graph, worked out from the record alone: a :data:`TrialPlan`.

Everything that needs only the record is done here: node ids from normalised keys, the trial's
attributes (encoded as the store keeps them) and what the index finds it by, its edges (several
mentions of one relation merged into one edge), the arms. What needs the trials before it (whether an entity
or an edge between entities is new, how often a name was written, the sites other trials place
in a country) is left to :meth:`graph.build.builder.Builder.apply`, as a list of steps in the order the
record states them.

A plan holds only tuples, lists, dicts, strings, bytes and numbers, so that it can be made in
another process and sent over as :mod:`marshal` bytes (:mod:`graph.build.readahead`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.build.anonymized import is_anonymized
from graph.build.entityids import arm_ids, intervention_ids, site_id
from graph.build.trialattributes import trial_attributes
from graph.compact.encoded import EncodedEdge, Signature, encoded
from graph.compact.index import TrialTerms, entity_terms, trial_terms
from graph.compact.store import NO_POSITION
from graph.keys import lookup_key, node_id, organization_key, person_key, phrase
from graph.model import LIST_SEPARATOR, EdgeKind, NodeKind, Official, Source, TrialRecord, joined

# The steps of a plan, each a tuple starting with its code:
ENTITY = 0  # (ENTITY, node, kind, spelling, attributes or None): an entity, met again or new
AGENCY_CLASS = 1  # (AGENCY_CLASS, organization, class): one mention of an organization's class
VALUE = 2  # (VALUE, name, value): a value the trial is found by besides its attributes
ENTITY_EDGE = 3  # (ENTITY_EDGE, source, target, kind, *encoded attributes): made once across trials
SITE = 4  # (SITE, node, spelling, attributes, (facility key, city key) or None, country, spelling)
# A site's spelling is its facility, city, state and country as written, joined by LIST_SEPARATOR:
# the builder names the site and its place by the spellings most of its listings use.
OTHER_NAMES = 5  # (OTHER_NAMES, intervention, names): names the intervention is also known by
ARM = 6  # (ARM, node, *encoded attributes, (name keys, words)): an arm, the trial's own node

Step = tuple[Any, ...]
# Source, target, kind, key, position (or NO_POSITION) and the attributes, as the store keeps them.
Edge = EncodedEdge
# The trial's node id and attributes (encoded), what the index finds it by, the steps, its edges.
TrialPlan = tuple[str, bytes, Signature, TrialTerms, list[Step], list[Edge]]


def trial_id(nct_id: str) -> str:
    """The id of a trial's node.

    >>> trial_id("NCT05697718")
    'Trial:NCT05697718'
    """
    return f"{NodeKind.TRIAL.value}:{nct_id}"


def merge_mention(existing: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Merge a further mention into an edge: its field and spelling gain a line, and
    attributes it lacked are added.

    >>> edge = {"field": "conditions[0]", "spelling": "Flu"}
    >>> for n, spelling in ((1, "flu"), (2, "FLU")):
    ...     merge_mention(edge, {"field": f"conditions[{n}]", "spelling": spelling})
    >>> edge["field"].split(LIST_SEPARATOR)
    ['conditions[0]', 'conditions[1]', 'conditions[2]']
    """
    for name in ("field", "spelling"):
        if name in values and values[name] not in existing.get(name, "").split(LIST_SEPARATOR):
            # The lines already there stay lines: only the new one is made one line.
            added = joined([values[name]])
            existing[name] = f"{existing[name]}{LIST_SEPARATOR}{added}" if name in existing else values[name]
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
        # The trial's relation to each person it names: roles as the trial's own, roles at sites.
        self.investigated: dict[str, _Investigated] = {}
        self.named_at_sites: list[str] = []  # people in the order first named at a site

    def plan(self, sources: list[Source]) -> TrialPlan:
        record, trial = self.record, self.trial
        attributes = trial_attributes(record, sources)
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
        for official in record.officials:
            self._investigated_by(self._investigator(official), official, site=False)
        self._responsible_party(lead)
        self._sites()
        self._investigated_edges()
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
        values = {"kind": kind_name}
        for name, value in attributes.items():
            if value is not None:
                values[name] = value
        existing = self.edges.get((source, target, key))
        if existing is None:
            self.edges[(source, target, key)] = values
        else:
            merge_mention(existing, values)  # its kind is the same

    def _entity_edge(self, source: str, target: str, kind: EdgeKind, **attributes: Any) -> None:
        values = _present(**attributes)
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
            words = f" {phrase(condition)} "
            for node, term in terms:
                if any(f" {phrase(text)} " in words for text in (term.term, *term.found_as)):
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
        """The node of a person, keyed on the name alone (without titles and degrees): the same
        person's affiliation is written many ways (``Rambam Health Care Campus``, ``Rambam Medical
        Center``), so keying on it split people far more often than it parted namesakes."""
        nct_id = self.record.nct_id
        affiliation = official.affiliation
        node = node_id(NodeKind.INVESTIGATOR, person_key(official.name))
        self._entity(node, NodeKind.INVESTIGATOR, official.name)
        if affiliation and affiliate:
            organization = self._organization(affiliation)
            self._edge(
                node,
                organization,
                EdgeKind.AFFILIATED_WITH,
                f"{nct_id}",
                trial=nct_id,
                field=f"{official.field}.affiliation",
                spelling=affiliation,
            )
        return node

    def _investigated_by(self, person: str, official: Official, site: bool) -> None:
        """Note a person named for the whole trial or at one of its sites (in source order)."""
        found = self.investigated.get(person)
        if found is None:
            found = self.investigated[person] = _Investigated([], [], [], [])
        if site and not found.site_roles:
            self.named_at_sites.append(person)
        (found.site_roles if site else found.roles).append(official.role or "")
        found.fields.append(official.field)
        found.spellings.append(official.name)

    def _investigated_edges(self) -> None:
        """One edge from the trial to each person it names: the trial's own people first, in
        source order, then those named at its sites only, in the order first named there
        (``sitePosition`` orders everyone named at a site that way). ``role`` is the first role the
        person holds in the trial (as its own before at a site)."""
        ranked = sorted(self.investigated.items(), key=lambda item: not item[1].roles)
        site_positions = {person: position for position, person in enumerate(self.named_at_sites)}
        for position, (person, found) in enumerate(ranked):
            roles = [role for role in dict.fromkeys(found.roles) if role]
            site_roles = [role for role in dict.fromkeys(found.site_roles) if role]
            self.edges[(self.trial, person, EdgeKind.INVESTIGATED_BY._value_)] = _present(
                kind=EdgeKind.INVESTIGATED_BY._value_,
                role=next(iter(roles + site_roles), None),
                scope="TRIAL" if found.roles else "SITE",
                roles=joined(roles) or None,
                siteRoles=joined(site_roles) or None,
                sitePosition=site_positions.get(person),  # in the order first named at a site
                field=joined(found.fields),
                spelling=joined(found.spellings),
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
            facility, country_name = location.facility, location.country
            node, place = site_id(location, nct, position)
            anonymized = bool(facility) and is_anonymized(facility or "")
            site = {
                "city": location.city,
                "state": location.state,
                "country": country_name,
                "zip": location.zip,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "anonymized": anonymized,
            }
            country = node_id(NodeKind.COUNTRY, lookup_key(country_name)) if country_name else None
            written = (facility or "", location.city, location.state, country_name)
            self.steps.append(
                (
                    SITE,
                    node,
                    LIST_SEPARATOR.join(written) if any(written) else "",
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
                spelling=facility,
                position=position,
            )
            for investigator in location.investigators:
                person = self._investigator(investigator, affiliate=False)
                self._investigated_by(person, investigator, site=True)
                self._edge(
                    person,
                    node,
                    EdgeKind.INVESTIGATES_AT,
                    f"{record.nct_id}",
                    trial=record.nct_id,
                    role=investigator.role,
                    field=investigator.field,
                    position=position,
                )
        for position, name in enumerate(record.countries):
            node = self._entity(node_id(NodeKind.COUNTRY, lookup_key(name)), NodeKind.COUNTRY, name)
            self._edge(trial, node, EdgeKind.RUNS_IN, position=position)

    def _arms_and_interventions(self) -> None:
        record, trial = self.record, self.trial
        nodes = intervention_ids(record)
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
        for position, (arm, node) in enumerate(zip(record.arms, arm_ids(record), strict=True)):
            present = _present(
                kind=NodeKind.ARM.value,
                trial=record.nct_id,
                position=position,
                label=arm.label,
                type=arm.type,
                description=arm.description,
            )
            self.steps.append((ARM, node, *encoded(present), entity_terms(NodeKind.ARM, present)))
            self._edge(trial, node, EdgeKind.HAS_ARM, field=arm.field, position=position)
            for received in sorted(arm.interventions):
                self._edge(node, nodes[received], EdgeKind.RECEIVES)


@dataclass(slots=True)
class _Investigated:
    """How one trial names one person: roles as its own and at sites, each mention's field and
    spelling."""

    roles: list[str]
    site_roles: list[str]
    fields: list[str]
    spellings: list[str]


def _present(**attributes: Any) -> dict[str, Any]:
    """The attributes that have a value (an absent one is left out, never ``None``)."""
    return {name: value for name, value in attributes.items() if value is not None}
