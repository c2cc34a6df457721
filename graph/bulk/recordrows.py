"""A load's records read into rows (:mod:`graph.bulk.rows`), mention by mention in Python, in the
order the per-record plan states them (:mod:`graph.build.trialplan`): conditions and MeSH terms,
sponsors, the trial's people and their affiliations, the responsible party, sites with their
countries and the people named at them, the countries listed, interventions and arms. What the
plan works out per trial from the record alone is worked out the same way here: the edge from
the trial to each person it names (its own people first), a condition's MeSH terms, a term's
ancestors.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.build.anonymized import is_anonymized
from graph.build.entityids import arm_ids, intervention_ids, site_id
from graph.build.trialplan import trial_id
from graph.bulk.rows import (
    CONDITION,
    COUNTRY,
    INTERVENTION,
    INVESTIGATOR,
    MESH_TERM,
    ORGANIZATION,
    SITE,
    Mentions,
    Rows,
)
from graph.keys import lookup_key, node_id, person_key, phrase
from graph.model import LIST_SEPARATOR, NodeKind, TrialRecord, joined


def read_rows(records: Iterable[TrialRecord], rows: Rows | None = None) -> Rows:
    """The mentions of ``records`` (one per trial, in NCT order), after those ``rows`` holds."""
    rows = Rows() if rows is None else rows
    for record in records:
        _Record(rows, rows.trials, record).read()
        rows.trials += 1
    return rows


def read_mentions(records: Iterable[TrialRecord]) -> Mentions:
    """The mentions of ``records`` (one per trial, in NCT order), as frames."""
    return read_rows(records).frames()


class _Record:
    """Reads one record's mentions, in the order its plan states them."""

    def __init__(self, rows: Rows, trial: int, record: TrialRecord) -> None:
        self.rows, self.trial, self.record = rows, trial, record
        self.node = trial_id(record.nct_id)
        # The trial's people, by node id: roles as its own and at sites, fields and spellings.
        self.people: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}
        self.named_at_sites: list[str] = []

    def read(self) -> None:
        self._conditions_and_terms()
        lead = self._sponsors()
        for official in self.record.officials:
            person = self._person(official.name, official.affiliation, official.field)
            self._named(person, official.role, official.field, official.name, site=False)
        self._responsible_party(lead)
        self._sites()
        self._investigated_by()
        self._interventions_and_arms()

    def _conditions_and_terms(self) -> None:
        rows, trial, record, node = self.rows, self.trial, self.record, self.node
        for position, condition in enumerate(record.conditions):
            row = rows.add(trial, CONDITION, condition, condition)
            rows.edge("STUDIES", node, row, "STUDIES", f"conditions[{position}]", condition, position)
        module = "derivedSection.conditionBrowseModule"
        terms = []
        for name, kind, listed in (
            ("meshes", "CLASSIFIED_AS", record.condition_meshes),
            ("ancestors", "CLASSIFIED_UNDER", record.condition_ancestors),
        ):
            for position, term in enumerate(listed):
                term_node = node_id(NodeKind.MESH_TERM, term.id.lower())
                row = rows.add(trial, MESH_TERM, term_node, term.term)
                rows.terms.append((row, term.id))
                rows.edge(kind, node, row, kind, f"{module}.{name}[{position}]", term.term, position)
                if kind == "CLASSIFIED_AS":
                    terms.append((term_node, term))
        if len(terms) == 1:  # the ancestors listed are this term's own
            for ancestor in record.condition_ancestors:
                target = node_id(NodeKind.MESH_TERM, ancestor.id.lower())
                if target != terms[0][0]:
                    rows.entity_edge("BROADER", terms[0][0], target, record.nct_id)
        for condition in record.conditions:
            words = f" {phrase(condition)} "
            for term_node, term in terms:
                if any(f" {phrase(text)} " in words for text in (term.term, *term.found_as)):
                    source = node_id(NodeKind.CONDITION, lookup_key(condition))
                    rows.entity_edge("MAPS_TO", source, term_node, record.nct_id)

    def _sponsors(self) -> int | None:
        """The sponsors; the row of the lead sponsor, if one is listed."""
        rows, trial = self.rows, self.trial
        lead: int | None = None
        for position, sponsor in enumerate(self.record.sponsors):
            row = rows.add(trial, ORGANIZATION, sponsor.name, sponsor.name)
            if sponsor.agency_class:
                rows.classes.append((row, sponsor.agency_class))
            if sponsor.role == "LEAD" and lead is None:
                lead = row
            key = f"SPONSORED_BY:{sponsor.role}" if sponsor.role else "SPONSORED_BY"
            rows.edge(
                "SPONSORED_BY",
                self.node,
                row,
                key,
                sponsor.role,
                sponsor.agency_class,
                sponsor.field,
                sponsor.name,
                position,
            )
        return lead

    def _person(self, name: str, affiliation: str | None, field: str, affiliate: bool = True) -> int:
        """A person, and the organization of their affiliation; the person's row."""
        rows, trial, nct = self.rows, self.trial, self.record.nct_id
        person = rows.add(trial, INVESTIGATOR, name, name)
        if affiliation and affiliate:
            organization = rows.add(trial, ORGANIZATION, affiliation, affiliation)
            key = f"AFFILIATED_WITH:{nct}"
            rows.edge("AFFILIATED_WITH", person, organization, key, nct, f"{field}.affiliation", affiliation)
        return person

    def _named(self, row: int, role: str | None, field: str, spelling: str, site: bool) -> None:
        """Note a person named for the whole trial or at one of its sites (in source order)."""
        person = node_id(NodeKind.INVESTIGATOR, person_key(self.rows.made_from[row]))
        found = self.people.get(person)
        if found is None:
            found = self.people[person] = ([], [], [], [])
        if site and not found[1]:
            self.named_at_sites.append(person)
        found[1 if site else 0].append(role or "")
        found[2].append(field)
        found[3].append(spelling)

    def _responsible_party(self, lead: int | None) -> None:
        party = self.record.responsible_party
        if party.type == "SPONSOR" and lead is not None:
            self.rows.edge(
                "RESPONSIBLE_PARTY",
                self.node,
                lead,
                "RESPONSIBLE_PARTY",
                party.type,
                None,
                "responsibleParty",
                None,
            )
        elif party.investigator_name:
            name = party.investigator_name
            person = self._person(name, party.investigator_affiliation, "responsibleParty")
            self.rows.edge(
                "RESPONSIBLE_PARTY",
                self.node,
                person,
                "RESPONSIBLE_PARTY",
                party.type,
                party.investigator_title,
                "responsibleParty",
                name,
            )

    def _sites(self) -> None:
        rows, trial, record, node = self.rows, self.trial, self.record, self.node
        nct = record.nct_id.lower()
        for position, location in enumerate(record.locations):
            site_node, place = site_id(location, nct, position)
            facility, country = location.facility, location.country
            written = (facility or "", location.city, location.state, country)
            row = rows.add(trial, SITE, site_node, LIST_SEPARATOR.join(written) if any(written) else "")
            rows.sites.append(
                (
                    row,
                    *(place or (None, None)),
                    rows.add(trial, COUNTRY, country, country) if country else None,
                    location.city or None,
                    location.state or None,
                    country or None,
                    location.zip or None,
                    location.latitude,
                    location.longitude,
                    bool(facility) and is_anonymized(facility or ""),
                )
            )
            rows.edge(
                "CONDUCTED_AT", node, row, "CONDUCTED_AT", location.status, location.field, facility, position
            )
            for investigator in location.investigators:
                person = self._person(investigator.name, None, investigator.field, affiliate=False)
                self._named(person, investigator.role, investigator.field, investigator.name, site=True)
                rows.edge(
                    "INVESTIGATES_AT",
                    person,
                    row,
                    f"INVESTIGATES_AT:{record.nct_id}",
                    record.nct_id,
                    investigator.role,
                    investigator.field,
                    position,
                )
        for position, name in enumerate(record.countries):
            rows.edge("RUNS_IN", node, rows.add(trial, COUNTRY, name, name), "RUNS_IN", position)

    def _investigated_by(self) -> None:
        """One edge from the trial to each person it names: its own people first, in source
        order, then those named at its sites only, in the order first named there."""
        ranked = sorted(self.people.items(), key=lambda item: not item[1][0])
        site_positions = {person: position for position, person in enumerate(self.named_at_sites)}
        for position, (person, (own, at_sites, fields, spellings)) in enumerate(ranked):
            roles = [role for role in dict.fromkeys(own) if role]
            site_roles = [role for role in dict.fromkeys(at_sites) if role]
            self.rows.edge(
                "INVESTIGATED_BY",
                self.node,
                person,
                "INVESTIGATED_BY",
                next(iter(roles + site_roles), None),
                "TRIAL" if own else "SITE",
                joined(roles) or None,
                joined(site_roles) or None,
                site_positions.get(person),
                joined(fields),
                joined(spellings),
                position,
            )

    def _interventions_and_arms(self) -> None:
        rows, trial, record, node = self.rows, self.trial, self.record, self.node
        intervention_rows = []
        for position, (intervention, intervention_node) in enumerate(
            zip(record.interventions, intervention_ids(record), strict=True)
        ):
            row = rows.add(trial, INTERVENTION, intervention_node, intervention.name)
            intervention_rows.append(row)
            rows.interventions.append(
                (row, intervention.name or None, intervention.type or None, intervention.other_names)
            )
            rows.edge(
                "TESTS",
                node,
                row,
                "TESTS",
                intervention.description,
                joined(intervention.other_names) or None,
                intervention.field,
                intervention.name,
                position,
            )
        for position, (arm, arm_node) in enumerate(zip(record.arms, arm_ids(record), strict=True)):
            rows.edge("HAS_ARM", node, arm_node, "HAS_ARM", arm.field, position)
            for received in sorted(arm.interventions):
                rows.edge("RECEIVES", arm_node, intervention_rows[received], "RECEIVES")
