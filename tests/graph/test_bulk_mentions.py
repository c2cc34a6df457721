"""Registry JSON read in columns and made into a load's mentions (graph/bulk/registrymentions.py)
gives the rows the per-record path reads from the same studies' records one by one
(graph/bulk/recordrows.py): every entity mention, every value beside it, every edge mention
with its attributes, row for row and in order. On the 880 registry records, a synthetic corpus,
and registry studies edited to take each way of the plan (a responsible party that is the lead
sponsor or a person, one person named for the trial and at its sites, arms and interventions of
one key, sites merged with nothing, conditions mapped to MeSH terms by the texts they were found
as)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from graph.bulk.interleaved import interleaved
from graph.bulk.recordrows import read_mentions
from graph.bulk.registryjson import read_registry_json
from graph.bulk.registrymentions import registry_mentions
from graph.bulk.rows import Mentions
from graph.read.records import load_records
from graph.synth import CorpusSpec, write_corpus
from tests.graph.registryframes import edited, registry_studies, with_sites, write_json_lines
from tests.registry.records import STUDIES_ZIP

pytestmark = pytest.mark.timeout(600)


def _frames(mentions: Mentions) -> dict[str, pl.DataFrame]:
    frames = {
        name: getattr(mentions, name)
        for name in ("entities", "sites", "terms", "interventions", "classes", "entity_edges")
    }
    return frames | mentions.edges


def _same_as_per_record(path: Path) -> dict[str, pl.DataFrame]:
    """The mentions read in columns, once checked equal to those read from the records; by name."""
    found = read_registry_json(path)
    read = set(found["studies"]["nct"].to_list())
    records = [record for record in load_records([path]).records if record.nct_id in read]
    assert len(records) == len(read)
    expected = _frames(read_mentions(records))
    made = _frames(registry_mentions(found))
    assert made.keys() == expected.keys()
    for name, frame in expected.items():
        assert made[name].columns == frame.columns, name
        assert made[name].rows() == frame.rows(), name
    return expected


def _values(frame: pl.DataFrame, column: str) -> list[Any]:
    return frame[column].drop_nulls().to_list()


def test_the_registry_records_make_the_mentions_their_records_make(tmp_path: Path) -> None:
    made = _same_as_per_record(write_json_lines(tmp_path / "registry.jsonl", registry_studies()))
    assert len(made["entities"]) > 50_000 and all(len(made[kind]) for kind in made)
    assert {"BROADER", "MAPS_TO"} <= set(made["entity_edges"]["key"])
    investigated = made["INVESTIGATED_BY"]
    assert {"TRIAL", "SITE"} <= set(investigated["scope"]) and _values(investigated, "sitePosition")
    party = made["RESPONSIBLE_PARTY"]
    assert party["target_row"].null_count() < len(party)  # to the lead sponsor, or a person


def test_a_synthetic_corpus_makes_the_mentions_its_records_make(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.jsonl"
    write_corpus(CorpusSpec(trials=3000, seed=13), path)
    made = _same_as_per_record(path)
    interventions = made["entities"].filter(kind=6)["made_from"]
    assert interventions.str.contains("nct").any()  # two of one trial told apart by position


def test_each_way_of_the_plan_makes_the_mentions_the_records_make(tmp_path: Path) -> None:
    chosen = with_sites(registry_studies())[:7]
    party, module = (
        "protocolSection.sponsorCollaboratorsModule.responsibleParty",
        "protocolSection.contactsLocationsModule",
    )
    official = chosen[2]["protocolSection"]["contactsLocationsModule"]["overallOfficials"][0]["name"]
    both = {"name": f"Dr. {official}, PhD", "role": "PRINCIPAL_INVESTIGATOR"}  # named for the trial too
    sites = [
        {"city": "Oslo", "country": "Norway"},  # no facility: merged with nothing
        {"facility": "Research Site", "city": "Oslo", "country": "Norway"},  # anonymised, no zip: the same
        {"facility": "Research Site", "city": "Oslo", "zip": "0450", "country": "Norway"},
        {"facility": "Oslo University Hospital", "city": "Oslo"},  # no country
        {
            "facility": "Oslo University Hospital",
            "city": "Oslo",
            "country": "Norway",
            "contacts": [both, both],
        },
        {"facility": "Rikshospitalet", "contacts": [{"name": "Kari Nordmann", "role": "SUB_INVESTIGATOR"}]},
    ]
    one_key = {  # arms of one label key; interventions of one type and name key
        "armGroups": [{"label": "Arm A"}, {"label": "arm-a"}, {"label": "B"}],
        "interventions": [
            {
                "name": "Aspirin",
                "type": "DRUG",
                "description": "Low dose.",
                "armGroupLabels": ["arm-a", "Arm A"],
            },
            {"name": "aspirin", "type": "DRUG", "description": "Low dose", "armGroupLabels": ["B"]},
            {"name": "Aspirin", "type": "DRUG", "description": "High dose"},
            {"name": "Aspirin", "type": "OTHER"},
        ],
    }
    browse = {  # one term, its ancestors listed with it; a condition found as another text
        "meshes": [{"id": "D003324", "term": "Coronary Disease"}],
        "ancestors": [
            {"id": "D003324", "term": "Coronary Disease"},
            {"id": "D006331", "term": "Heart Diseases"},
        ],
        "browseLeaves": [{"id": "M6550", "name": "Coronary Disease", "asFound": "Coronary Heart Disease"}],
    }
    conditions = "protocolSection.conditionsModule.conditions"
    edits: list[list[tuple[str, Any]]] = [
        [(party, {"type": "SPONSOR", "investigatorFullName": "Ola Nordmann"})],  # the lead sponsor
        [(party, {"type": "SPONSOR", "investigatorFullName": "Ola Nordmann"}),
         ("protocolSection.sponsorCollaboratorsModule.leadSponsor.name", " ")],  # no lead: the person
        [(f"{module}.locations", sites), (f"{module}.overallOfficials.0.role", "STUDY_CHAIR")],
        [(party, {"type": "PRINCIPAL_INVESTIGATOR", "investigatorFullName": "Kari Nordmann, MD",
                  "investigatorTitle": "Professor", "investigatorAffiliation": "University of Oslo"})],
        [("protocolSection.armsInterventionsModule", one_key)],
        [(conditions, ["Coronary heart disease", "Stroke", "Coronary heart disease"]),
         ("derivedSection.conditionBrowseModule", browse)],
        [(conditions, ["***", "Coronary Disease"]), ("derivedSection.conditionBrowseModule", browse)],
    ]  # fmt: skip
    studies = []
    for study, changes in zip(chosen, edits, strict=True):
        for place, value in changes:
            study = edited(study, place, value)
        studies.append(study)
    path = write_json_lines(tmp_path / "edited.jsonl", studies)
    assert read_registry_json(path)["unread"].is_empty()
    made = _same_as_per_record(path)
    # Each way was taken, as the records' own mentions show.
    ids = made["entities"]["made_from"]
    assert ids.str.contains("unnamed").any() and ids.str.contains("researchsite-nct").any()
    assert ids.str.contains("researchsite--oslo--norway--0450").any()
    assert made["HAS_ARM"]["target"].str.ends_with("--1").any()
    assert ids.str.contains("--v").any() and ids.str.contains(r"aspirin--nct\d+-\d$").any()
    investigated = made["INVESTIGATED_BY"]
    assert investigated.filter(pl.col("roles").is_not_null() & pl.col("siteRoles").is_not_null()).height
    assert made["entity_edges"]["key"].to_list().count("MAPS_TO") >= 3
    assert "BROADER" in made["entity_edges"]["key"].to_list()
    spelt = made["RESPONSIBLE_PARTY"]["spelling"].to_list()
    assert spelt.count("Ola Nordmann") == 1 and None in spelt  # a person; the lead sponsor
    assert "University of Oslo" in made["AFFILIATED_WITH"]["spelling"].to_list()


def test_mentions_read_in_parts_interleaved_are_those_read_at_once() -> None:
    """The columnar load reads a few studies record by record: its parts put together in the
    load's order are the mentions of the whole load, read at once."""
    records = load_records([STUDIES_ZIP]).records
    places = [
        [place for place in range(len(records)) if place % 7 in chosen]
        for chosen in ((1, 4), (0, 2, 3, 5, 6))
    ]
    parts = [(read_mentions([records[place] for place in found]), found) for found in places]
    whole = _frames(read_mentions(records))
    made = _frames(interleaved(parts))
    for name, frame in whole.items():
        assert made[name].columns == frame.columns, name
        assert made[name].rows() == frame.rows(), name
    assert len(whole["entity_edges"]) and len(whole["entities"]) > 50_000
