"""Registry JSON read by DuckDB and cleaned in polars (graph/bulk/registryjson.py) gives the
values the per-record reader gives: each study's conditions, sponsors, officials, sites, the
people named at them, its countries, its MeSH terms (with the texts they were found as) and
their ancestors, interventions and arms, in order, and the trial's own fields (its identifiers,
dates, design, eligibility with the criteria split into items ...), every text cleaned the same
(markdown escapes, UTF-8 once read as Windows-1252, white space Python strips); a study the
per-record reader would report on is left to it, its line named in ``unread``. (Lines it cannot
take at all: test_bulk_unread.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.bulk.cleaning import WHITESPACE
from graph.bulk.registryjson import read_registry_json
from graph.read.records import load_records
from graph.synth import CorpusSpec, write_corpus
from tests.graph.registryframes import edited, expected_frames, registry_studies, with_sites, write_json_lines

pytestmark = pytest.mark.timeout(600)


def _same_as_per_record(path: Path) -> dict[str, Any]:
    found = read_registry_json(path)
    read = set(found["studies"]["nct"].to_list())
    records = [record for record in load_records([path], skip_invalid=True).records if record.nct_id in read]
    assert len(records) == len(read)
    for kind, rows in expected_frames(records).items():
        assert found[kind].rows() == rows, kind
    return found


def test_the_registry_records_read_in_columns_are_the_per_record_readers(tmp_path: Path) -> None:
    found = _same_as_per_record(write_json_lines(tmp_path / "the registry's.jsonl", registry_studies()))
    assert found["unread"].is_empty() and found["studies"]["line"].to_list() == list(range(1, 881))
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
    assert found["unread"].is_empty() and len(found["studies"]) == 3000 and len(found["sites"]) > 10_000


_IDENTIFICATION, _STATUS = "protocolSection.identificationModule", "protocolSection.statusModule"
_DESIGN, _ELIGIBILITY = "protocolSection.designModule", "protocolSection.eligibilityModule"


def test_texts_are_cleaned_as_the_per_record_reader_cleans_them(tmp_path: Path) -> None:
    """Markdown escapes, UTF-8 once read as Windows-1252, line ends, the white space Python strips
    (the separators \\x1c-\\x1f too), blank values; words and dates stripped."""
    chosen = with_sites(registry_studies())[:18]
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
    studies = [edited(study, place, value) for study, (place, value) in zip(chosen, edits, strict=True)]
    bare = [  # every module absent; or each list given empty
        {"protocolSection": {"identificationModule": {"nctId": "NCT09999998"}}},
        {"hasResults": False, "protocolSection": {
            "identificationModule": {"nctId": "NCT09999999", "secondaryIdInfos": []},
            "conditionsModule": {"keywords": []},
            "designModule": {"phases": [], "enrollmentInfo": {"count": 0}},
            "eligibilityModule": {"stdAges": [], "eligibilityCriteria": ""}}},
    ]  # fmt: skip
    found = _same_as_per_record(write_json_lines(tmp_path / "edited.jsonl", studies + bare))
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
    assert found["unread"].is_empty() and len(found["studies"]) == len(studies) + len(bare)
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
    chosen = with_sites(registry_studies())[:44]
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
    studies = [edited(study, place, value) for study, (place, value) in zip(chosen, edits, strict=True)]
    path = write_json_lines(tmp_path / "reported.jsonl", studies + registry_studies()[-3:])
    found = _same_as_per_record(path)
    named = sorted(study["protocolSection"]["identificationModule"]["nctId"] for study in studies)
    assert found["unread"]["line"].to_list() == list(range(1, len(named) + 1))
    assert found["studies"]["line"].to_list() == [len(named) + 1, len(named) + 2, len(named) + 3]
    assert set(found["sites"]["nct"].to_list()).isdisjoint(named) and len(found["sites"]) > 0
    reported = load_records([path], skip_invalid=True).problems
    assert {problem.where.split(": $")[0] for problem in reported} <= {
        f"{path}:{line}" for line in range(1, len(named) + 1)
    }
    assert len({problem.where.split(": $")[0] for problem in reported}) == len(named)
