"""What the columnar reader of registry JSON (graph/bulk/registryjson.py) is checked against: the
880 registry records written as JSON Lines, and the rows of each of its frames as taken from the
records the per-record reader makes of them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from graph.model import TrialRecord
from tests.registry.records import STUDIES_ZIP


def registry_studies() -> list[dict[str, Any]]:
    """The 880 registry studies, in the order of their files' names."""
    with zipfile.ZipFile(STUDIES_ZIP) as archive:
        names = sorted(name for name in archive.namelist() if name.endswith(".json"))
        return [json.loads(archive.read(name)) for name in names]


def write_json_lines(path: Path, studies: list[dict[str, Any]]) -> Path:
    """``studies`` written to ``path`` as JSON Lines, one a line."""
    path.write_text(
        "".join(json.dumps(study, ensure_ascii=False) + "\n" for study in studies), encoding="utf-8"
    )
    return path


def edited(study: dict[str, Any], place: str, value: Any) -> dict[str, Any]:
    """A copy of ``study`` with the value at the dotted ``place`` (list items by number) set, an
    object on the way made where there is none."""
    study = json.loads(json.dumps(study))
    *parents, last = place.split(".")
    held: Any = study
    for step in parents:
        held = held[int(step)] if step.isdigit() else held.setdefault(step, {})
    held[int(last) if last.isdigit() else last] = value
    return study


def with_sites(studies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Studies with an overall official, a collaborator, and sites naming people."""
    return [
        study
        for study in studies
        if study["protocolSection"].get("sponsorCollaboratorsModule", {}).get("collaborators")
        and study["protocolSection"].get("contactsLocationsModule", {}).get("overallOfficials")
        and study["protocolSection"]
        .get("contactsLocationsModule", {})
        .get("locations", [{}])[0]
        .get("contacts")
    ]


def expected_frames(records: list[TrialRecord]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of each frame the columnar reader gives, taken from the records the per-record
    reader makes."""
    return {
        "conditions": [(r.nct_id, n, text) for r in records for n, text in enumerate(r.conditions)],
        "sponsors": [
            (r.nct_id, n, s.name, s.role, s.agency_class, s.field)
            for r in records
            for n, s in enumerate(r.sponsors)
        ],
        "officials": [
            (r.nct_id, o.name, o.role, o.affiliation, o.field) for r in records for o in r.officials
        ],
        "sites": [
            (
                r.nct_id,
                n,
                s.facility,
                s.city,
                s.state,
                s.country,
                s.zip,
                s.status,
                s.latitude,
                s.longitude,
                s.field,
            )
            for r in records
            for n, s in enumerate(r.locations)
        ],
        "people at sites": [
            (r.nct_id, n, p.name, p.role, p.affiliation, p.field)
            for r in records
            for n, site in enumerate(r.locations)
            for p in site.investigators
        ],
        "countries": [(r.nct_id, n, country) for r in records for n, country in enumerate(r.countries)],
        "meshes": [
            (r.nct_id, n, t.id, t.term, t.found_as) for r in records for n, t in enumerate(r.condition_meshes)
        ],
        "ancestors": [
            (r.nct_id, n, t.id, t.term) for r in records for n, t in enumerate(r.condition_ancestors)
        ],
        "responsible parties": [
            (r.nct_id, p.type, p.investigator_name, p.investigator_title, p.investigator_affiliation)
            for r in records
            for p in [r.responsible_party]
        ],
        "interventions": [
            (r.nct_id, n, i.name, i.type, i.description, i.other_names, i.field)
            for r in records
            for n, i in enumerate(r.interventions)
        ],
        "arms": [
            (r.nct_id, n, a.label, a.type, a.description, a.interventions, a.field)
            for r in records
            for n, a in enumerate(r.arms)
        ],
        "trials": [_trial(r) for r in records],
        "identifiers": [
            (r.nct_id, n, i.value, i.source, i.type, i.domain, i.link)
            for r in records
            for n, i in enumerate(r.identifiers)
        ],
    }


def _trial(r: TrialRecord) -> tuple[Any, ...]:
    """A record's own fields, its design's and its eligibility's, in the order of ``trials``."""
    d, e = r.design, r.eligibility
    return (
        r.nct_id, r.brief_title, r.official_title, r.acronym, r.organization, r.organization_class,
        r.status, r.last_known_status, r.why_stopped, r.phases, r.study_type, r.enrollment,
        r.enrollment_type, r.start_date, r.start_date_type, r.primary_completion_date,
        r.primary_completion_date_type, r.completion_date, r.completion_date_type, r.first_submitted,
        r.first_posted, r.last_updated, r.status_verified, r.has_results, r.brief_summary,
        r.detailed_description, r.keywords, d.allocation, d.intervention_model,
        d.intervention_model_description, d.observational_model, d.time_perspective,
        d.primary_purpose, d.masking, d.masking_description, d.who_masked, e.criteria, e.inclusion,
        e.exclusion, e.inclusion_groups, e.exclusion_groups, e.minimum_age, e.maximum_age, e.sex,
        e.healthy_volunteers, e.standard_ages, e.study_population, e.sampling_method,
    )  # fmt: skip
