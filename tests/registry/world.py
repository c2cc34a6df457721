"""The entities the loaded trials name, resolved by the lead's written rules (issue 18), apart
from the product: conditions, organizations, people and sites as nodes, their display names, and
what each trial links to.

Rules (see the brief of issue 18's acceptance tests):

- Conditions, countries, cities: one node per :func:`~tests.registry.keys.key`; organizations
  and facilities per :func:`~tests.registry.keys.organization_key`; interventions per type and
  key of the name, as the product's README documents ("The graph": two interventions of one
  trial with the same type and name stay apart; see :func:`intervention_nodes`). The lead's
  rules say nothing more of interventions: a merged node's ``name`` is its display name, as for
  the other kinds.
- People: one node per person key, in every trial (the affiliation is not part of the key: the
  same person's is written many ways, and the contract keys people on their names). A trial's
  mentions of people, in order: its overall officials, its site investigators
  (``locations[].contacts`` whose role is an investigator's: ``CONTACT`` entries are the site's
  contact desk, ``Study Coordinator``, a call centre, and the schema's ``OfficialRole`` has no
  such role), then the responsible party's investigator.
- Sites: one node per (facility key, city key, country key); a listing without a facility is a
  site of its own; an anonymised facility is one site only with the same name, city, country and
  postal code, and a site of its own without a postal code; a facility listed without a country
  joins the one site of that facility and city that other listings place in a country, if there
  is exactly one.
- Display names: among a node's mentions in every loaded trial, by display form: mixed case
  first, then the most mentions, then the earliest (NCT order, then source order). A trial
  mentions organizations as lead sponsor, collaborators, officials' affiliations, then the
  responsible party's affiliation; people in the order above; a site in each listing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tests.registry.keys import is_anonymised, is_mixed_case, key, organization_key, person_key, person_name
from tests.registry.records import Location, Record

INVESTIGATOR_ROLES = frozenset(
    {"PRINCIPAL_INVESTIGATOR", "SUB_INVESTIGATOR", "STUDY_CHAIR", "STUDY_DIRECTOR"}
)

PersonNode = str  # the person key
SiteNode = tuple[str, ...]
InterventionNode = tuple[str, ...]


def intervention_nodes(record: Record) -> list[InterventionNode]:
    """The node of each intervention of a trial, in its order.

    Interventions merge across trials on their type and the key of their name. Two or more of
    one trial with the same type and name key are different things the record tells apart only
    by their descriptions (NCT00547495 lists ``tadalafil`` three times, 5, 10 and 20 mg, one arm
    each; NCT01442077 four shock-wave schedules of one device): merged, the trial would test one
    intervention where its record lists several, and its arms would share what the record gives
    each apart. So, as the product's README documents it, such an intervention is a node of its
    own, keyed also on the key of its description when no other of them has a description of
    that key (the same described intervention in another trial is the same node), else on the
    trial and its position: two interventions of one trial are never one node. Its display
    name is then its own spelling(s), not the spelling other trials give the name.

    The rule is written here from that README line, apart from the product's code.
    """
    named = [(item.type or "", key(item.name)) for item in record.interventions]
    repeated = {node for node in named if named.count(node) > 1}
    nodes: list[InterventionNode] = []
    for position, (node, item) in enumerate(zip(named, record.interventions, strict=True)):
        if node not in repeated:
            nodes.append(node)
            continue
        described = key(item.description or "")
        alike = [
            other
            for other, other_node in zip(record.interventions, named, strict=True)
            if other_node == node and key(other.description or "") == described
        ]
        if described and len(alike) == 1:
            nodes.append((*node, "described", described))
        else:
            nodes.append((*node, "trial", record.nct_id, str(position)))
    return nodes


class Spellings:
    """The mentions of nodes of one kind, in the order met, for their display names."""

    def __init__(self) -> None:
        self._mentions: dict[object, list[str]] = defaultdict(list)

    def add(self, node: object, spelling: str | None) -> None:
        if spelling is not None and spelling.strip():
            self._mentions[node].append(spelling.strip())

    def name(self, node: object) -> str | None:
        """The display name: mixed case first, then the most mentions, then the earliest."""
        mentions = self._mentions.get(node)
        if not mentions:
            return None
        counts: dict[str, int] = defaultdict(int)
        first: dict[str, int] = {}
        for position, spelling in enumerate(mentions):
            counts[spelling] += 1
            first.setdefault(spelling, position)
        return min(counts, key=lambda form: (not is_mixed_case(form), -counts[form], first[form]))

    def forms(self, node: object) -> list[str]:
        """Every display form of the node, once each, in the order met."""
        return list(dict.fromkeys(self._mentions.get(node, [])))


@dataclass(slots=True)
class PersonInTrial:
    """One person of one trial: the node, and the roles held, trial-level and at sites."""

    node: PersonNode
    official_roles: list[str | None] = field(default_factory=list)
    site_roles: list[str | None] = field(default_factory=list)
    responsible: bool = False

    @property
    def role(self) -> str | None:
        """The trial-level role first, else the first site role."""
        if self.official_roles:
            return self.official_roles[0]
        return self.site_roles[0] if self.site_roles else None


@dataclass(slots=True)
class SiteInTrial:
    node: SiteNode
    status: str | None


@dataclass(slots=True)
class TrialLinks:
    """What one trial links to, in source order, as nodes."""

    record: Record
    conditions: list[str] = field(default_factory=list)
    sponsors: list[tuple[str, str]] = field(default_factory=list)  # (organization key, role)
    people: dict[str, PersonInTrial] = field(default_factory=dict)  # by person key, in order met
    officials: list[str] = field(default_factory=list)  # person keys, each once, in source order
    sites: list[SiteInTrial] = field(default_factory=list)  # each site once, in listing order
    countries: list[str] = field(default_factory=list)
    interventions: list[str] = field(default_factory=list)  # name keys, each once
    intervention_nodes: list[InterventionNode] = field(default_factory=list)  # one per intervention


class World:
    """The resolved entities of the trials loaded together (one form, all 880 trials)."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records = sorted(records, key=lambda record: record.nct_id)
        self.conditions = Spellings()
        self.organizations = Spellings()
        self.people = Spellings()
        self.site_names = Spellings()
        self.site_cities = Spellings()
        self.site_countries = Spellings()
        self.countries = Spellings()
        self.interventions = Spellings()
        self.anonymised_sites: set[SiteNode] = set()
        # Sites a listing of which writes `, ` inside its city or state: a page's `City, State,
        # Country` line cannot tell where such a city ends.
        self.comma_places: set[SiteNode] = set()
        self.trials: dict[str, TrialLinks] = {}
        countries_of_facility = self._countries_of_facilities()
        for serial, record in enumerate(self.records):
            self.trials[record.nct_id] = self._link(serial, record, countries_of_facility)

    @staticmethod
    def _facility_city(location: Location) -> tuple[str, str]:
        assert location.facility is not None
        return organization_key(location.facility), key(location.city or "")

    def _countries_of_facilities(self) -> dict[tuple[str, str], set[str]]:
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for record in self.records:
            for location in record.locations:
                if location.facility and location.country and not is_anonymised(location.facility):
                    found[self._facility_city(location)].add(key(location.country))
        return found

    def _site_node(
        self,
        serial: int,
        index: int,
        location: Location,
        countries_of_facility: dict[tuple[str, str], set[str]],
    ) -> SiteNode:
        own = ("own", str(serial), str(index))
        if location.facility is None or not organization_key(location.facility):
            return own
        facility, city = self._facility_city(location)
        country = key(location.country) if location.country else ""
        if is_anonymised(location.facility):
            postal = key(location.zip or "")
            if not postal:
                self.anonymised_sites.add(own)
                return own
            node: SiteNode = ("anonymised", facility, city, country, postal)
            self.anonymised_sites.add(node)
            return node
        if not country:
            placed = countries_of_facility.get((facility, city), set())
            if len(placed) == 1:
                country = next(iter(placed))
        return ("site", facility, city, country)

    def _link(
        self, serial: int, record: Record, countries_of_facility: dict[tuple[str, str], set[str]]
    ) -> TrialLinks:
        links = TrialLinks(record)
        for condition in record.conditions:
            condition_key = key(condition)
            if not condition_key:
                continue
            self.conditions.add(condition_key, condition)
            if condition_key not in links.conditions:
                links.conditions.append(condition_key)
        for sponsor in record.sponsors:
            organization = organization_key(sponsor.name)
            if not organization:
                continue
            self.organizations.add(organization, sponsor.name)
            if (organization, sponsor.role) not in links.sponsors:
                links.sponsors.append((organization, sponsor.role))
        for official in record.officials:
            if official.affiliation and organization_key(official.affiliation):
                self.organizations.add(organization_key(official.affiliation), official.affiliation)
        if record.responsible_affiliation and organization_key(record.responsible_affiliation):
            self.organizations.add(
                organization_key(record.responsible_affiliation), record.responsible_affiliation
            )
        self._link_people(record, links)
        for index, location in enumerate(record.locations):
            node = self._site_node(serial, index, location, countries_of_facility)
            if all(site.node != node for site in links.sites):
                links.sites.append(SiteInTrial(node, location.status))
            if ", " in (location.city or "") or ", " in (location.state or ""):
                self.comma_places.add(node)
            self.site_names.add(node, location.facility)
            self.site_cities.add(node, location.city)
            self.site_countries.add(node, location.country)
            if location.country and key(location.country):
                self.countries.add(key(location.country), location.country)
                if key(location.country) not in links.countries:
                    links.countries.append(key(location.country))
        links.intervention_nodes = intervention_nodes(record)
        for intervention, node in zip(record.interventions, links.intervention_nodes, strict=True):
            self.interventions.add(node, intervention.name)
            if key(intervention.name) and key(intervention.name) not in links.interventions:
                links.interventions.append(key(intervention.name))
        return links

    def _link_people(self, record: Record, links: TrialLinks) -> None:
        mentions: list[tuple[str, str, str | None]] = []  # (name, how, role)
        mentions += [(item.name, "official", item.role) for item in record.officials]
        for location in record.locations:
            mentions += [
                (contact.name, "site", contact.role)
                for contact in location.contacts
                if contact.role in INVESTIGATOR_ROLES
            ]
        if record.responsible_name:
            mentions.append((record.responsible_name, "responsible", None))
        for name, how, role in mentions:
            person = person_key(name)
            if not person:
                continue
            if person not in links.people:
                links.people[person] = PersonInTrial(person)
            held = links.people[person]
            self.people.add(held.node, person_name(name))
            if how == "official":
                held.official_roles.append(role)
                if person not in links.officials:
                    links.officials.append(person)
            elif how == "site":
                held.site_roles.append(role)
            else:
                held.responsible = True
