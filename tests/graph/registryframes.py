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
    }
