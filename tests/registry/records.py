"""The 880 registry records read straight from ``studies.zip``, and the same trials as their pages
can say them (``pages.zip`` is rendered from these records without what a page has no place for).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from tests.paths import SHARED

REGISTRY = SHARED / "data" / "registry"
STUDIES_ZIP = REGISTRY / "studies.zip"
PAGES_ZIP = REGISTRY / "pages.zip"

Form = Literal["studies", "pages"]
FORMS: tuple[Form, ...] = ("studies", "pages")


def data_path(form: Form) -> Path:
    """The zip that holds the trials in that form."""
    return STUDIES_ZIP if form == "studies" else PAGES_ZIP


@dataclass(frozen=True, slots=True)
class Sponsor:
    name: str
    role: Literal["LEAD", "COLLABORATOR"]


@dataclass(frozen=True, slots=True)
class Official:
    name: str
    role: str | None
    affiliation: str | None


@dataclass(frozen=True, slots=True)
class SiteContact:
    name: str
    role: str | None


@dataclass(frozen=True, slots=True)
class Location:
    facility: str | None
    city: str | None
    state: str | None
    country: str | None
    zip: str | None
    status: str | None
    contacts: tuple[SiteContact, ...]


@dataclass(frozen=True, slots=True)
class Arm:
    label: str
    type: str | None
    description: str | None
    intervention_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Intervention:
    name: str
    type: str | None
    description: str | None
    arm_labels: tuple[str, ...]
    other_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeshTerm:
    id: str
    term: str


@dataclass(frozen=True, slots=True)
class Record:
    """One trial as its record states it: the fields the contract's operations answer from."""

    nct_id: str
    title: str | None
    status: str | None
    phases: tuple[str, ...]
    study_type: str | None
    enrollment: int | None
    start_date: str | None
    completion_date: str | None
    conditions: tuple[str, ...]
    sponsors: tuple[Sponsor, ...]
    officials: tuple[Official, ...]
    responsible_name: str | None
    responsible_affiliation: str | None
    locations: tuple[Location, ...]
    arms: tuple[Arm, ...]
    interventions: tuple[Intervention, ...]
    criteria: str | None
    minimum_age: str | None
    maximum_age: str | None
    sex: str | None
    healthy_volunteers: bool | None
    mesh_terms: tuple[MeshTerm, ...]
    mesh_ancestors: tuple[MeshTerm, ...]


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _mesh(value: Any) -> tuple[MeshTerm, ...]:
    return tuple(
        MeshTerm(item["id"], item.get("term", ""))
        for item in _objects(value)
        if isinstance(item.get("id"), str)
    )


def read_study(study: dict[str, Any]) -> Record:
    """The record of one registry JSON study (API v2)."""
    protocol = _object(study.get("protocolSection"))
    ident = _object(protocol.get("identificationModule"))
    status = _object(protocol.get("statusModule"))
    design = _object(protocol.get("designModule"))
    sponsors_module = _object(protocol.get("sponsorCollaboratorsModule"))
    contacts = _object(protocol.get("contactsLocationsModule"))
    arms_module = _object(protocol.get("armsInterventionsModule"))
    eligibility = _object(protocol.get("eligibilityModule"))
    browse = _object(_object(study.get("derivedSection")).get("conditionBrowseModule"))
    responsible = _object(sponsors_module.get("responsibleParty"))
    lead = _object(sponsors_module.get("leadSponsor"))
    sponsors = [Sponsor(lead["name"], "LEAD")] if _text(lead.get("name")) else []
    sponsors += [
        Sponsor(item["name"], "COLLABORATOR")
        for item in _objects(sponsors_module.get("collaborators"))
        if _text(item.get("name"))
    ]
    enrollment = _object(design.get("enrollmentInfo")).get("count")
    volunteers = eligibility.get("healthyVolunteers")
    return Record(
        nct_id=ident["nctId"],
        title=_text(ident.get("briefTitle")),
        status=_text(status.get("overallStatus")),
        phases=_texts(design.get("phases")),
        study_type=_text(design.get("studyType")),
        enrollment=enrollment if isinstance(enrollment, int) else None,
        start_date=_text(_object(status.get("startDateStruct")).get("date")),
        completion_date=_text(_object(status.get("completionDateStruct")).get("date")),
        conditions=tuple(
            name
            for name in _texts(_object(protocol.get("conditionsModule")).get("conditions"))
            if name.strip()
        ),
        sponsors=tuple(sponsors),
        officials=tuple(
            Official(item["name"], _text(item.get("role")), _text(item.get("affiliation")))
            for item in _objects(contacts.get("overallOfficials"))
            if _text(item.get("name"))
        ),
        responsible_name=_text(responsible.get("investigatorFullName")),
        responsible_affiliation=_text(responsible.get("investigatorAffiliation")),
        locations=tuple(
            Location(
                facility=_text(item.get("facility")),
                city=_text(item.get("city")),
                state=_text(item.get("state")),
                country=_text(item.get("country")),
                zip=_text(item.get("zip")),
                status=_text(item.get("status")),
                contacts=tuple(
                    SiteContact(contact["name"], _text(contact.get("role")))
                    for contact in _objects(item.get("contacts"))
                    if _text(contact.get("name"))
                ),
            )
            for item in _objects(contacts.get("locations"))
        ),
        arms=tuple(
            Arm(
                item["label"],
                _text(item.get("type")),
                _text(item.get("description")),
                _texts(item.get("interventionNames")),
            )
            for item in _objects(arms_module.get("armGroups"))
            if _text(item.get("label"))
        ),
        interventions=tuple(
            Intervention(
                item["name"],
                _text(item.get("type")),
                _text(item.get("description")),
                _texts(item.get("armGroupLabels")),
                _texts(item.get("otherNames")),
            )
            for item in _objects(arms_module.get("interventions"))
            if _text(item.get("name"))
        ),
        criteria=_text(eligibility.get("eligibilityCriteria")),
        minimum_age=_text(eligibility.get("minimumAge")),
        maximum_age=_text(eligibility.get("maximumAge")),
        sex=_text(eligibility.get("sex")),
        healthy_volunteers=volunteers if isinstance(volunteers, bool) else None,
        mesh_terms=_mesh(browse.get("meshes")),
        mesh_ancestors=_mesh(browse.get("ancestors")),
    )


def as_page(record: Record) -> Record:
    """The record as its trial page says it: no postal codes, no site contacts, no responsible
    party's names, no other names of interventions, no MeSH terms (FORMAT.md has no place for
    them). What the page does keep (states, text with its escapes and mojibake) stays."""
    return replace(
        record,
        responsible_name=None,
        responsible_affiliation=None,
        locations=tuple(replace(location, zip=None, contacts=()) for location in record.locations),
        interventions=tuple(replace(item, other_names=()) for item in record.interventions),
        mesh_terms=(),
        mesh_ancestors=(),
    )


@cache
def studies() -> tuple[Record, ...]:
    """Every record of ``studies.zip``, in NCT order."""
    found = []
    with zipfile.ZipFile(STUDIES_ZIP) as archive:
        for member in archive.namelist():
            if member.endswith(".json"):
                found.append(read_study(json.loads(archive.read(member))))
    return tuple(sorted(found, key=lambda record: record.nct_id))


def records(form: Form) -> tuple[Record, ...]:
    """The trials as the form loaded alone states them, in NCT order."""
    return studies() if form == "studies" else tuple(as_page(record) for record in studies())


def page_texts() -> dict[str, str]:
    """Each page of ``pages.zip`` by NCT ID (to check what a page holds)."""
    with zipfile.ZipFile(PAGES_ZIP) as archive:
        return {
            Path(member).stem: archive.read(member).decode("utf-8")
            for member in archive.namelist()
            if member.endswith(".txt")
        }
