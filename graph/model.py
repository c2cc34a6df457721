"""The record model both input formats map to, and the kinds of nodes and edges of the graph.

A parser turns one document into one :class:`TrialRecord` per trial; the builder turns records
into the graph. Text held by a record is plain text: the registry's markdown backslash-escapes
are already removed. Absent values are ``None`` (or an empty list), never placeholder strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class NodeKind(StrEnum):
    """The kinds of nodes; a node's id is ``Kind:key``."""

    TRIAL = "Trial"
    CONDITION = "Condition"
    ORGANIZATION = "Organization"
    INVESTIGATOR = "Investigator"
    SITE = "Site"
    COUNTRY = "Country"
    ARM = "Arm"
    INTERVENTION = "Intervention"
    MESH_TERM = "MeshTerm"


class EdgeKind(StrEnum):
    """The kinds of edges, each with the direction it always has."""

    STUDIES = "STUDIES"  # Trial -> Condition
    SPONSORED_BY = "SPONSORED_BY"  # Trial -> Organization; role LEAD or COLLABORATOR
    RESPONSIBLE_PARTY = "RESPONSIBLE_PARTY"  # Trial -> Organization or Investigator
    INVESTIGATED_BY = "INVESTIGATED_BY"  # Trial -> Investigator; role, scope TRIAL or SITE
    AFFILIATED_WITH = "AFFILIATED_WITH"  # Investigator -> Organization, as stated by a trial
    CONDUCTED_AT = "CONDUCTED_AT"  # Trial -> Site; the site's recruitment status
    INVESTIGATES_AT = "INVESTIGATES_AT"  # Investigator -> Site, as stated by a trial
    LOCATED_IN = "LOCATED_IN"  # Site -> Country
    RUNS_IN = "RUNS_IN"  # Trial -> Country
    OPERATED_BY = "OPERATED_BY"  # Site -> Organization of the same resolved name
    HAS_ARM = "HAS_ARM"  # Trial -> Arm
    TESTS = "TESTS"  # Trial -> Intervention; the trial's description of it
    RECEIVES = "RECEIVES"  # Arm -> Intervention
    CLASSIFIED_AS = "CLASSIFIED_AS"  # Trial -> MeshTerm; the registry's MeSH term for its conditions
    CLASSIFIED_UNDER = "CLASSIFIED_UNDER"  # Trial -> MeshTerm; an ancestor of one of those terms
    BROADER = "BROADER"  # MeshTerm -> MeshTerm; an ancestor (not only the parent) of the term
    MAPS_TO = "MAPS_TO"  # Condition -> MeshTerm; the registry found the term in the condition's name


# Graph attributes hold only str, int, float and bool. A list of strings is stored as one
# string with its items separated by this character; items never contain it (their white
# space is folded when they are made).
LIST_SEPARATOR = "\n"
LARGEST_COUNT = 2**31 - 1  # the largest count a record holds: what a GraphQL Int holds


def joined(items: Iterable[str]) -> str:
    """A list as one attribute value.

    >>> joined(["PHASE1", "PHASE2"]), joined(["two\\nlines", "one"]), joined(iter(["a"])), joined([])
    ('PHASE1\\nPHASE2', 'two lines\\none', 'a', '')
    """
    listed = items if isinstance(items, list) else list(items)
    text = LIST_SEPARATOR.join(listed)
    if text.count(LIST_SEPARATOR) < len(listed):  # no item holds one (most lists)
        return text
    return LIST_SEPARATOR.join(item.replace(LIST_SEPARATOR, " ") for item in listed)


def listed(data: Mapping[str, Any], name: str) -> list[str]:
    """The items of the list attribute ``name``; [] where it is absent or empty.

    >>> listed({"phases": "PHASE1\\nPHASE2"}, "phases"), listed({}, "phases")
    (['PHASE1', 'PHASE2'], [])
    """
    value = data.get(name)
    return str(value).split(LIST_SEPARATOR) if value else []


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: a file, a member of a zip file, a line of JSON Lines."""

    path: str
    member: str = ""
    line: int = 0
    json_path: str = ""  # where in a JSON file holding several studies
    format: str = ""  # "page", "ctgov-xml" or "ctgov-json"

    def __str__(self) -> str:
        text = f"{self.path}!{self.member}" if self.member else self.path
        text = f"{text}:{self.line}" if self.line else text
        return f"{text} {self.json_path}" if self.json_path not in ("", "$") else text


@dataclass(slots=True)
class Sponsor:
    name: str
    role: str  # LEAD or COLLABORATOR
    agency_class: str | None = None
    field: str = ""


@dataclass(slots=True)
class Official:
    """A person named by the trial: an overall official, or a site investigator."""

    name: str  # as written, possibly followed by ", " and degrees
    role: str | None = None
    affiliation: str | None = None
    field: str = ""


@dataclass(slots=True)
class Location:
    facility: str | None = None
    city: str = ""
    state: str = ""
    country: str = ""
    zip: str | None = None
    status: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    investigators: list[Official] = field(default_factory=list)
    field: str = ""


@dataclass(slots=True)
class MeshTerm:
    """A MeSH descriptor the registry derived for a trial's conditions (``derivedSection``)."""

    id: str  # "D003924"
    term: str
    found_as: list[str] = field(default_factory=list)  # texts the registry matched it on


@dataclass(slots=True)
class Intervention:
    name: str
    type: str | None = None
    description: str | None = None
    other_names: list[str] = field(default_factory=list)
    field: str = ""


@dataclass(slots=True)
class Arm:
    label: str
    type: str | None = None
    description: str | None = None
    interventions: list[int] = field(default_factory=list)  # positions in TrialRecord.interventions
    field: str = ""


@dataclass(slots=True)
class Identifier:
    value: str
    source: str  # org_study_id or secondary_id
    type: str | None = None
    domain: str | None = None
    link: str | None = None


@dataclass(slots=True)
class Eligibility:
    criteria: str | None = None
    inclusion: list[str] = field(default_factory=list)
    exclusion: list[str] = field(default_factory=list)
    # Each item's sub-heading, parallel to inclusion and exclusion: "" where an item has none.
    inclusion_groups: list[str] = field(default_factory=list)
    exclusion_groups: list[str] = field(default_factory=list)
    minimum_age: str | None = None  # as written: "18 Years"
    maximum_age: str | None = None
    sex: str | None = None
    healthy_volunteers: bool | None = None
    standard_ages: list[str] = field(default_factory=list)
    study_population: str | None = None
    sampling_method: str | None = None


@dataclass(slots=True)
class Design:
    allocation: str | None = None
    intervention_model: str | None = None
    intervention_model_description: str | None = None
    observational_model: str | None = None
    time_perspective: str | None = None
    primary_purpose: str | None = None
    masking: str | None = None
    masking_description: str | None = None
    who_masked: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ResponsibleParty:
    type: str | None = None
    investigator_name: str | None = None
    investigator_title: str | None = None
    investigator_affiliation: str | None = None


@dataclass(slots=True)
class TrialRecord:
    """Everything one document states about one trial."""

    nct_id: str
    source: Source
    brief_title: str | None = None
    official_title: str | None = None
    acronym: str | None = None
    status: str | None = None
    last_known_status: str | None = None
    why_stopped: str | None = None
    phases: list[str] = field(default_factory=list)
    study_type: str | None = None
    enrollment: int | None = None
    enrollment_type: str | None = None
    start_date: str | None = None
    start_date_type: str | None = None
    primary_completion_date: str | None = None
    primary_completion_date_type: str | None = None
    completion_date: str | None = None
    completion_date_type: str | None = None
    first_submitted: str | None = None
    first_posted: str | None = None
    last_updated: str | None = None
    status_verified: str | None = None
    has_results: bool | None = None
    brief_summary: str | None = None
    detailed_description: str | None = None
    keywords: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    design: Design = field(default_factory=Design)
    arms: list[Arm] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    eligibility: Eligibility = field(default_factory=Eligibility)
    sponsors: list[Sponsor] = field(default_factory=list)
    responsible_party: ResponsibleParty = field(default_factory=ResponsibleParty)
    officials: list[Official] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    organization: str | None = None  # the organization that registered the trial
    organization_class: str | None = None
    # The registry's MeSH terms for the conditions, and their ancestors (any number of levels up,
    # for all the terms together): registry JSON only.
    condition_meshes: list[MeshTerm] = field(default_factory=list)
    condition_ancestors: list[MeshTerm] = field(default_factory=list)
