"""Registry JSON read by DuckDB and cleaned in polars (graph/bulk/registryjson.py) gives the
values the per-record reader gives: each study's conditions, sponsors, officials, sites, the
people named at them, its countries, its MeSH terms (with the texts they were found as) and
their ancestors, interventions and arms, in order, and the trial's own fields (its identifiers,
dates, design, eligibility with the criteria split into items ...), every text cleaned the same
(markdown escapes, UTF-8 once read as Windows-1252, white space Python strips); a study the
per-record reader would report on is left to it, named in ``untyped``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from graph.bulk.cleaning import WHITESPACE
from graph.bulk.registryjson import read_registry_json
from graph.model import TrialRecord
from graph.read.records import load_records
from graph.synth import CorpusSpec, write_corpus
from tests.registry.records import STUDIES_ZIP

pytestmark = pytest.mark.timeout(600)


def _registry_studies() -> list[dict[str, Any]]:
    with zipfile.ZipFile(STUDIES_ZIP) as archive:
        names = sorted(name for name in archive.namelist() if name.endswith(".json"))
        return [json.loads(archive.read(name)) for name in names]


def _json_lines(path: Path, studies: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(study, ensure_ascii=False) + "\n" for study in studies), encoding="utf-8"
    )
    return path


def _expected(records: list[TrialRecord]) -> dict[str, list[tuple[Any, ...]]]:
    """The same values, taken from the records the per-record reader makes."""
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


def _same_as_per_record(path: Path) -> dict[str, Any]:
    found = read_registry_json(path)
    untyped = set(found["untyped"]["nct"].to_list())
    records = [
        record for record in load_records([path], skip_invalid=True).records if record.nct_id not in untyped
    ]
    for kind, rows in _expected(records).items():
        assert found[kind].rows() == rows, kind
    return found


def test_the_registry_records_read_in_columns_are_the_per_record_readers(tmp_path: Path) -> None:
    found = _same_as_per_record(_json_lines(tmp_path / "the registry's.jsonl", _registry_studies()))
    assert found["untyped"].is_empty()
    assert len(found["sites"]) == 17450 and len(found["people at sites"]) > 2000
    assert found["meshes"]["found_as"].list.len().sum() > 0 and len(found["ancestors"]) > 1000
    # Arms receive interventions by the labels the interventions name (as every registry study
    # here links them; the other way is in test_texts_are_cleaned_...).
    assert found["arms"]["interventions"].list.len().sum() > 1000
    trials = found["trials"]
    assert trials.height == 880 and trials["inclusion_groups"].list.join("").str.len_chars().sum() > 0
    assert trials["phases"].list.len().sum() > 500 and trials["enrollment"].sum() > 0
    assert found["identifiers"].filter(source="secondary_id")["type"].n_unique() > 4


def test_a_synthetic_corpus_read_in_columns_is_the_per_record_readers(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.jsonl"
    write_corpus(CorpusSpec(trials=3000, seed=13), path)
    found = _same_as_per_record(path)
    assert found["untyped"].is_empty() and len(found["sites"]) > 10_000


def _edited(study: dict[str, Any], place: str, value: Any) -> dict[str, Any]:
    """A copy of ``study`` with the value at the dotted ``place`` (list items by number) set, an
    object on the way made where there is none."""
    study = json.loads(json.dumps(study))
    *parents, last = place.split(".")
    held: Any = study
    for step in parents:
        held = held[int(step)] if step.isdigit() else held.setdefault(step, {})
    held[int(last) if last.isdigit() else last] = value
    return study


def _with_sites(studies: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


_IDENTIFICATION, _STATUS = "protocolSection.identificationModule", "protocolSection.statusModule"
_DESIGN, _ELIGIBILITY = "protocolSection.designModule", "protocolSection.eligibilityModule"


def test_texts_are_cleaned_as_the_per_record_reader_cleans_them(tmp_path: Path) -> None:
    """Markdown escapes, UTF-8 once read as Windows-1252, line ends, the white space Python strips
    (the separators \\x1c-\\x1f too), blank values; words and dates stripped."""
    chosen = _with_sites(_registry_studies())[:18]
    linked_by_name = {  # no intervention names an arm: arms name interventions, "Type: Name" or not
        "armGroups": [
            {"label": "High dose", "interventionNames": ["Drug: Aspirin", "Placebo", "Drug: Aspirin"]},
            {"label": "\\*Low\\* dose", "type": "EXPERIMENTAL"},
            {"label": "Control", "interventionNames": ["Other: Placebo", " "]},
        ],
        "interventions": [
            {"name": "Aspirin", "type": "DRUG", "otherNames": ["ASA", " ", "Acetylsalicylic \\& acid"]},
            {"name": "Placebo", "type": "OTHER", "description": "Sugar pill\r\n"},
        ],
    }
    module = "protocolSection.contactsLocationsModule"
    terms = [  # ids written padded and not, with white space; one id twice
        {"id": "D000003324", "term": "Coronary Disease"},
        {"id": " D003324 ", "term": "Coronary  Disease"},
        {"id": "D001234567", "term": "Heart \\& Lung"},
        {"id": "D000072658", "term": " "},
    ]
    munich = "Universit\u00c3\u00a4t M\u00c3\u00bcnchen \\& Co"  # UTF-8 read as Windows-1252
    edits = [
        ("protocolSection.conditionsModule.conditions.0", "\x1c Non\\-Small Cell\r\nLung Cancer\u3000"),
        ("protocolSection.sponsorCollaboratorsModule.collaborators.0.name", munich),
        (f"{module}.overallOfficials.0.name", "   "),
        (f"{module}.locations.0.city", "S\u00c3O PAULO\x1f"),
        (f"{module}.locations.0.facility", "\\*Hospital\\* \u00c3\u00a9t\u00c3\u00a9\r"),
        (f"{module}.locations.0.contacts.0.name", "\x85Dr. Ana L\u00c3\u00b3pez, MD\xa0"),
        ("derivedSection.conditionBrowseModule.meshes", terms),
        ("protocolSection.armsInterventionsModule", linked_by_name),
        (f"{_IDENTIFICATION}.briefTitle", "\\*Tirzepatide\\* in Adults\r\nwith Obesity\u2028"),
        (f"{_IDENTIFICATION}.organization", {"fullName": munich, "class": " OTHER\t"}),
        (f"{_IDENTIFICATION}.secondaryIdInfos", [
            {"id": " EU-2020\\-1 ", "type": " EUDRACT_NUMBER", "domain": "Agence \\& Co\xa0",
             "link": " https://x.org/a\\_b "},
            {"id": "\x1f", "type": "ALIEN"},  # no id: its type is not read
            {"id": "R01 CA1", "type": "NIH"},
        ]),
        (f"{_IDENTIFICATION}.orgStudyIdInfo", {"id": " ", "type": "ALIEN"}),
        (_STATUS, {"overallStatus": " COMPLETED ", "whyStopped": "  ", "statusVerifiedDate": "2021\n",
                   "startDateStruct": {"date": " 2020-01 ", "type": "ACTUAL\r\n"},
                   "completionDateStruct": {"date": "2022-02-29"}}),
        (_DESIGN, {"studyType": "INTERVENTIONAL", "phases": [" PHASE2 ", "", "PHASE3"],
                   "enrollmentInfo": {"count": 2147483647, "type": " ESTIMATED"},
                   "designInfo": {"allocation": "RANDOMIZED\r\n", "maskingInfo": {
                       "masking": "DOUBLE", "maskingDescription": "\\<blinded\\>",
                       "whoMasked": [" PARTICIPANT", "\u3000", "INVESTIGATOR"]}}}),
        ("protocolSection.conditionsModule.keywords", ["\\#covid", " ", "Lung\r\ncancer", "caf\u00c3\u00a9"]),
        # Criteria are stripped before they are cleaned: the NBSP ending this one is not read as
        # the second byte of a UTF-8 "à".
        (_ELIGIBILITY, {"eligibilityCriteria": "\n  Inclusion Criteria:\r\n\r\n* Adults \\>= 18\r\n"
                        "* Resident of Per\u00c3\xa0", "minimumAge": " 6 months ", "maximumAge": "1.5 Years",
                        "sex": " ALL", "stdAges": ["CHILD", " "], "studyPopulation": "\x1cPatients\x1d",
                        "healthyVolunteers": True}),
        (f"{_ELIGIBILITY}.eligibilityCriteria", " \u3000 "),
        ("protocolSection.descriptionModule",
         {"briefSummary": "A \\*study\\*\r", "detailedDescription": " \n "}),
    ]  # fmt: skip
    studies = [_edited(study, place, value) for study, (place, value) in zip(chosen, edits, strict=True)]
    bare = [  # every module absent; or each list given empty
        {"protocolSection": {"identificationModule": {"nctId": "NCT09999998"}}},
        {"hasResults": False, "protocolSection": {
            "identificationModule": {"nctId": "NCT09999999", "secondaryIdInfos": []},
            "conditionsModule": {"keywords": []},
            "designModule": {"phases": [], "enrollmentInfo": {"count": 0}},
            "eligibilityModule": {"stdAges": [], "eligibilityCriteria": ""}}},
    ]  # fmt: skip
    found = _same_as_per_record(_json_lines(tmp_path / "edited.jsonl", studies + bare))
    ncts = [study["protocolSection"]["identificationModule"]["nctId"] for study in studies]
    trials = {row["nct"]: row for row in found["trials"].iter_rows(named=True)}
    assert trials[ncts[8]]["brief_title"] == "*Tirzepatide* in Adults\nwith Obesity"
    assert trials[ncts[15]]["criteria"].endswith("Per\u00c3") and trials[ncts[15]]["inclusion"] == [
        "Adults >= 18",
        "Resident of Per\u00c3",
    ]
    # An id and a link are stripped only, a domain cleaned.
    assert found["identifiers"].filter(nct=ncts[10]).select("id", "type", "domain", "link").rows()[1:] == [
        ("EU-2020\\-1", "EUDRACT_NUMBER", "Agence & Co", "https://x.org/a\\_b"),
        ("R01 CA1", "NIH", None, None),
    ]
    assert found["untyped"].is_empty()
    texts = [row[2] for row in found["conditions"].rows()] + [row[3] for row in found["sites"].rows()]
    assert "Non-Small Cell\nLung Cancer" in texts and "SÃO PAULO" in texts  # "SÃO" is not mojibake
    assert "Universität München & Co" in found["sponsors"]["name"].to_list()
    assert [
        (id, term)
        for _, _, id, term, _ in found["meshes"]
        .filter(nct=studies[6]["protocolSection"]["identificationModule"]["nctId"])
        .rows()
    ] == [("D003324", "Coronary Disease"), ("D001234567", "Heart & Lung")]
    by_name = found["arms"].filter(nct=studies[7]["protocolSection"]["identificationModule"]["nctId"])
    assert by_name.select("label", "interventions").rows() == [
        ("High dose", [0, 1]),
        ("*Low* dose", []),
        ("Control", [1]),
    ]
    assert set(WHITESPACE) == {chr(code) for code in range(0x110000) if chr(code).isspace()}


def test_a_study_the_per_record_reader_would_report_on_is_left_to_it(tmp_path: Path) -> None:
    chosen = _with_sites(_registry_studies())[:44]
    module, arms = "protocolSection.contactsLocationsModule", "protocolSection.armsInterventionsModule"
    edits = [
        ("protocolSection.sponsorCollaboratorsModule.collaborators.0.class", "ALIEN"),
        (f"{module}.overallOfficials.0.role", "JANITOR"),
        (f"{module}.locations.0.status", "MAYBE"),
        (f"{module}.locations.0.geoPoint", {"lat": 1.5}),
        (f"{module}.locations.0.contacts.0.role", "FRIEND"),
        ("derivedSection.conditionBrowseModule.meshes", [{"id": "X12", "term": "Stroke"}]),
        ("protocolSection.sponsorCollaboratorsModule.responsibleParty.type", "SOMEONE"),
        ("protocolSection.identificationModule.nctId", "NCT123"),
        (f"{arms}.armGroups.0.label", " "),
        (f"{arms}.armGroups", [{"label": "A"}, {"label": "a"}, {"label": "A "}]),
        (f"{arms}.interventions", [{"name": "Aspirin", "type": "DRUG", "armGroupLabels": ["B"]}]),
        (f"{arms}.interventions", [{"name": "", "type": "DRUG"}]),
        (f"{arms}.interventions", [{"name": "Aspirin", "type": "POTION"}]),
        (f"{arms}", {"armGroups": [{"label": "A", "interventionNames": ["Drug: Aspirin"]}], "interventions": [
            {"name": "Aspirin", "type": "DRUG"}, {"name": "Aspirin", "type": "OTHER"}]}),
        (f"{_IDENTIFICATION}.organization.class", "ALIEN"),
        (f"{_IDENTIFICATION}.orgStudyIdInfo", {"id": "X-1", "type": "WHATEVER"}),
        (f"{_IDENTIFICATION}.secondaryIdInfos", [{"id": "X-2", "type": "NIH"}, {"id": "X", "type": "ALIEN"}]),
        (f"{_STATUS}.overallStatus", "MAYBE"),
        (f"{_STATUS}.lastKnownStatus", "SOMETIMES"),
        (f"{_STATUS}.startDateStruct.date", "2020-13"),
        (f"{_STATUS}.statusVerifiedDate", "March 2020"),
        (f"{_STATUS}.studyFirstPostDateStruct", {"date": "20-01-01"}),
        (f"{_STATUS}.completionDateStruct.type", "GUESSED"),
        (f"{_DESIGN}.studyType", "ANECDOTAL"),
        (f"{_DESIGN}.phases", ["PHASE2", "PHASE5"]),
        (f"{_DESIGN}.enrollmentInfo", {"count": -1}),
        (f"{_DESIGN}.enrollmentInfo", {"count": 2**31}),  # past what a GraphQL Int holds
        (f"{_DESIGN}.enrollmentInfo", {"count": 10**20}),  # past 64 bits
        (f"{_DESIGN}.enrollmentInfo", {"count": 12.5}),  # not an integer, nor are the next two
        (f"{_DESIGN}.enrollmentInfo", {"count": "12"}),
        (f"{_DESIGN}.enrollmentInfo", {"count": True}),
        (f"{_DESIGN}.enrollmentInfo.type", "ROUGH"),
        (f"{_DESIGN}.designInfo.allocation", "BY_HAND"),
        (f"{_DESIGN}.designInfo.interventionModel", "CIRCULAR"),
        (f"{_DESIGN}.designInfo.primaryPurpose", "FUN"),
        (f"{_DESIGN}.designInfo.observationalModel", "GLANCE"),
        (f"{_DESIGN}.designInfo.timePerspective", "SIDEWAYS"),
        (f"{_DESIGN}.designInfo.maskingInfo", {"masking": "SEPTUPLE"}),
        (f"{_DESIGN}.designInfo.maskingInfo", {"whoMasked": ["PARTICIPANT", "BYSTANDER"]}),
        (f"{_ELIGIBILITY}.minimumAge", "N/A"),
        (f"{_ELIGIBILITY}.maximumAge", "1" + "0" * 400 + " Years"),  # past a float's range
        (f"{_ELIGIBILITY}.sex", "EITHER"),
        (f"{_ELIGIBILITY}.stdAges", ["ADULT", "ANCIENT"]),
        (f"{_ELIGIBILITY}.samplingMethod", "LOTTERY"),
    ]  # fmt: skip
    studies = [_edited(study, place, value) for study, (place, value) in zip(chosen, edits, strict=True)]
    path = _json_lines(tmp_path / "reported.jsonl", studies + _registry_studies()[-3:])
    found = _same_as_per_record(path)
    named = sorted(study["protocolSection"]["identificationModule"]["nctId"] for study in studies)
    assert found["untyped"]["nct"].to_list() == named
    assert set(found["sites"]["nct"].to_list()).isdisjoint(named) and len(found["sites"]) > 0
    reported = load_records([path], skip_invalid=True).problems
    assert {problem.where.split(": $")[0] for problem in reported} <= {
        f"{path}:{line}" for line in range(1, len(named) + 1)
    }
    assert len({problem.where.split(": $")[0] for problem in reported}) == len(named)
