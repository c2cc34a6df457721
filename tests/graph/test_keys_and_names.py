"""The contract's resolution rules on small records: keys that ignore case, accents, spacing and
punctuation for every kind, anonymised sites keyed on their postal code, people without titles,
and names chosen by the spelling most mentions use."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

import graph.build.builder as builder
from graph.build.builder import build_graph
from graph.build.entityids import name_key_of
from graph.build.loading import load_graph, save_snapshot
from graph.compact.graph import CompactGraph
from graph.model import Intervention, Location, Official, Source, Sponsor, TrialRecord
from graph.synth import CorpusSpec, write_corpus
from tests.registry.records import STUDIES_ZIP


def _trial(nct: str, **fields: Any) -> TrialRecord:
    return TrialRecord(nct, Source(f"{nct}.json", format="ctgov-json"), **fields)


def _nodes(graph: CompactGraph, kind: str) -> list[dict[str, Any]]:
    return [dict(data) for node, data in graph.nodes(data=True) if data["kind"] == kind]


@pytest.mark.parametrize(
    ("kind", "spellings"),
    [
        (
            "Condition",
            ["Non-Small Cell Lung Cancer", "Non Small Cell Lung Cancer", "Nonsmall Cell Lung Cancer"],
        ),
        ("Condition", ["Type 1 Diabetes", "Type1diabetes", "TYPE 1 DIABETES"]),
        ("Condition", ["SARS-CoV-2 Infection", "SARS CoV 2 Infection", "Sars-Cov-2  infection"]),
        ("Condition", ["Behçet's Disease", "Behcet's disease", "BEHÇET’S DISEASE"]),
        ("Organization", ["Astellas Pharma K.K.", "Astellas Pharma K. K.", "ASTELLAS PHARMA KK"]),
        (
            "Organization",
            ["Laboratorios Liomont S.A.", "Laboratorios Liomont, S. A.", "Laboratorios Liomont SA"],
        ),
        ("Organization", ["Johnson & Johnson", "Johnson and Johnson", "JOHNSON & JOHNSON, Inc."]),
        ("Organization", ["Sykehuset Østfold", "Sykehuset Ostfold", "SYKEHUSET ØSTFOLD"]),
        ("Organization", ["Diyarbakır Hospital", "Diyarbakir Hospital", "DİYARBAKIR HOSPITAL"]),
        ("Intervention", ["Anti-PD-1", "Anti PD 1", "anti-PD1"]),
        ("Country", ["Korea, Republic of", "Korea Republic of", "KOREA, REPUBLIC OF"]),
    ],
)
def test_spellings_that_differ_in_case_accents_spacing_or_punctuation_are_one_node(
    kind: str, spellings: list[str]
) -> None:
    records = []
    for n, spelling in enumerate(spellings):
        fields: dict[str, Any] = {
            "Condition": {"conditions": [spelling]},
            "Organization": {"sponsors": [Sponsor(spelling, "LEAD", None, "leadSponsor")]},
            "Intervention": {"interventions": [Intervention(spelling, "DRUG", None, [], "interventions[0]")]},
            "Country": {"countries": [spelling]},
        }[kind]
        records.append(_trial(f"NCT0000000{n}", **fields))
    [node] = _nodes(build_graph(records), kind)
    assert set(node["spellings"].split("\n")) == set(spellings)


def test_different_names_stay_apart() -> None:
    records = [_trial("NCT00000001", conditions=["Type 1 Diabetes", "Type 2 Diabetes", "Diabetes"])]
    assert len(_nodes(build_graph(records), "Condition")) == 3
    records = [
        _trial("NCT00000001", sponsors=[Sponsor("Acme SA Holding", "LEAD", None, "leadSponsor")]),
        _trial("NCT00000002", sponsors=[Sponsor("Acme", "LEAD", None, "leadSponsor")]),
    ]
    assert len(_nodes(build_graph(records), "Organization")) == 2  # a form only counts at the end


def test_a_city_spelt_two_ways_is_one_site_named_as_most_listings_spell_it() -> None:
    def listed(city: str) -> Location:
        return Location(facility="Sourasky Medical Center", city=city, country="Israel", field="locations[0]")

    graph = build_graph(
        [
            _trial("NCT00000001", locations=[listed("Tel-Aviv")]),
            _trial("NCT00000002", locations=[listed("Tel Aviv")]),
            _trial("NCT00000003", locations=[listed("Tel Aviv")]),
            _trial("NCT00000004", locations=[listed("TEL AVIV")]),
        ]
    )
    [site] = _nodes(graph, "Site")
    assert (site["name"], site["city"], site["anonymized"]) == ("Sourasky Medical Center", "Tel Aviv", False)


def test_an_anonymised_site_is_one_site_only_with_the_same_postal_code() -> None:
    def listed(name: str, city: str, zip_code: str | None) -> Location:
        return Location(facility=name, city=city, country="Korea, Republic of", zip=zip_code)

    graph = build_graph(
        [
            _trial(
                "NCT00000001",
                locations=[
                    listed("Research Site", "Seoul", "03080"),
                    listed("Research Site", "Seoul", "06351"),
                    listed("Research Site", "Seoul", None),
                    listed("Research Site", "Seoul", None),
                ],
            ),
            _trial(
                "NCT00000002",
                locations=[listed("RESEARCH SITE", "Seoul", "03080"), listed("Research Site", "Seoul", None)],
            ),
        ]
    )
    sites = sorted((node, len(graph.in_edges(node))) for node in graph if node.startswith("Site:"))
    assert sites == [
        ("Site:researchsite--seoul--korearepublicof--03080", 2),  # the same postal code, two trials
        ("Site:researchsite--seoul--korearepublicof--06351", 1),
        ("Site:researchsite-nct00000001-2--seoul--korearepublicof", 1),  # none: merged with nothing
        ("Site:researchsite-nct00000001-3--seoul--korearepublicof", 1),
        ("Site:researchsite-nct00000002-1--seoul--korearepublicof", 1),
    ]
    assert all(data["anonymized"] is True for data in _nodes(graph, "Site"))


def test_an_anonymised_site_is_not_operated_by_an_organization_of_its_name() -> None:
    graph = build_graph(
        [
            _trial(
                "NCT00000001",
                sponsors=[Sponsor("Research Site", "LEAD", None, "leadSponsor")],
                locations=[Location(facility="Research Site", city="Lund", country="Sweden", zip="22185")],
            )
        ]
    )
    assert not [edge for edge in graph.edges(keys=True) if edge[2] == "OPERATED_BY"]


def test_a_persons_titles_are_dropped_from_the_key_and_the_name_but_kept_as_spellings() -> None:
    def official(name: str, n: int) -> Official:
        return Official(name, "PRINCIPAL_INVESTIGATOR", "Tata Memorial Centre", f"overallOfficials[{n}]")

    graph = build_graph(
        [
            _trial("NCT00000001", officials=[official("Archya Dasgupta, MD", 0)]),
            _trial("NCT00000002", officials=[official("ARCHYA DASGUPTA, MD", 0)]),
            _trial("NCT00000003", officials=[official("Dr Archya Dasgupta", 0)]),
            _trial("NCT00000004", officials=[official("Prof Dr. Mohamed badreldin, MD", 0)]),
        ]
    )
    people = {data["name"]: data for data in _nodes(graph, "Investigator")}
    assert set(people) == {"Archya Dasgupta", "Mohamed badreldin"}
    assert people["Archya Dasgupta"]["spellings"].split("\n") == [
        "Archya Dasgupta, MD",
        "ARCHYA DASGUPTA, MD",
        "Dr Archya Dasgupta",
    ]
    assert people["Archya Dasgupta"]["degrees"] == "MD"
    assert people["Mohamed badreldin"]["degrees"] == "MD"


def test_a_mixed_case_spelling_wins_over_more_frequent_capitals() -> None:
    graph = build_graph(
        [
            _trial(f"NCT0000000{n}", conditions=[spelling])
            for n, spelling in enumerate(["ASTHMA", "ASTHMA", "Asthma"])
        ]
    )
    assert [data["name"] for data in _nodes(graph, "Condition")] == ["Asthma"]


def test_a_trial_names_each_person_once_with_every_role() -> None:
    graph = build_graph(
        [
            _trial(
                "NCT00000001",
                officials=[
                    Official("Jane Roe, MD", "STUDY_CHAIR", None, "overallOfficials[0]"),
                    Official("Dr. Jane Roe", "PRINCIPAL_INVESTIGATOR", None, "overallOfficials[1]"),
                    Official("John Doe", "STUDY_DIRECTOR", None, "overallOfficials[2]"),
                ],
                locations=[
                    Location(
                        facility="Mercy Hospital",
                        city="Cork",
                        country="Ireland",
                        investigators=[
                            Official(
                                "Ann Lee", "SUB_INVESTIGATOR", "Mercy Hospital", "locations[0].contacts[0]"
                            ),
                            Official(
                                "Jane Roe",
                                "PRINCIPAL_INVESTIGATOR",
                                "Mercy Hospital",
                                "locations[0].contacts[1]",
                            ),
                        ],
                        field="locations[0]",
                    )
                ],
            )
        ]
    )
    edges = [
        (graph.nodes[person]["name"], {k: v for k, v in data.items() if k not in ("field", "spelling")})
        for _, person, data in graph.out_edges("Trial:NCT00000001", data=True)
        if data["kind"] == "INVESTIGATED_BY"
    ]
    assert edges == [
        (
            "Jane Roe",
            {
                "kind": "INVESTIGATED_BY",
                "role": "STUDY_CHAIR",
                "scope": "TRIAL",
                "roles": "STUDY_CHAIR\nPRINCIPAL_INVESTIGATOR",
                "siteRoles": "PRINCIPAL_INVESTIGATOR",
                "sitePosition": 1,
                "position": 0,
            },
        ),
        (
            "John Doe",
            {
                "kind": "INVESTIGATED_BY",
                "role": "STUDY_DIRECTOR",
                "scope": "TRIAL",
                "roles": "STUDY_DIRECTOR",
                "position": 1,
            },
        ),
        (
            "Ann Lee",
            {
                "kind": "INVESTIGATED_BY",
                "role": "SUB_INVESTIGATOR",
                "scope": "SITE",
                "siteRoles": "SUB_INVESTIGATOR",
                "sitePosition": 0,
                "position": 2,
            },
        ),
    ]


def test_two_interventions_of_one_trial_are_never_one_node() -> None:
    # NCT07418138 describes "Medication history" twice, once without the final full stop: the
    # keys of the descriptions collide, so each is told apart by its trial and position.
    said = "The study was retrospective and did not involve the application of interventions"

    def given(name: str, description: str | None, n: int) -> Intervention:
        return Intervention(name, "OTHER", description, [], f"interventions[{n}]")

    graph = build_graph(
        [
            _trial(
                "NCT07418138",
                interventions=[
                    given("Medication history", f"{said}.", 0),
                    given("Medication history", said, 1),
                    given("Medication history", "Doses recalled", 2),
                    given("Medication history", None, 3),
                ],
            ),
            _trial(
                "NCT00000002",
                interventions=[
                    given("Medication History", "doses recalled.", 0),
                    given("Medication History", "Pharmacy records", 1),
                    given("Medication History", None, 2),
                ],
            ),
            _trial("NCT00000003", interventions=[given("medication history", said, 0)]),
        ]
    )
    tested = {
        nct: [
            target
            for _, target, data in graph.out_edges(f"Trial:{nct}", data=True)
            if data["kind"] == "TESTS"
        ]
        for nct in ("NCT07418138", "NCT00000002", "NCT00000003")
    }
    assert [len(set(nodes)) for nodes in tested.values()] == [4, 3, 1]
    # Only the same description (by its key) joins trials; the rest is the trial's own.
    assert set(tested["NCT07418138"]) & set(tested["NCT00000002"]) == {tested["NCT07418138"][2]}
    assert tested["NCT07418138"][2] == tested["NCT00000002"][0]
    assert not set(tested["NCT00000003"]) & (set(tested["NCT07418138"]) | set(tested["NCT00000002"]))
    assert [graph.nodes[node]["name"] for node in tested["NCT07418138"]] == ["Medication history"] * 4


def _loaded_digest(paths: list[Path], folder: Path) -> tuple[str, int, int]:
    loaded = load_graph(paths, skip_invalid=True, read_ahead=False)
    save_snapshot(loaded, folder / "graph.snapshot")
    digest = hashlib.sha256((folder / "graph.snapshot").read_bytes()).hexdigest()
    return digest, loaded.graph.number_of_nodes(), len(loaded.problems)


@pytest.mark.parametrize("corpus", ["registry", "synthetic"])
def test_the_name_key_an_id_shows_is_the_key_of_every_spelling_the_index_finds_it_by(
    corpus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The builder indexes an entity under the name key its node id shows instead of keying each
    of its spellings again: the same graph and index either way, on the registry records and on
    a synthetic corpus (names in many scripts, titles, company forms)."""
    paths = [STUDIES_ZIP]
    if corpus == "synthetic":
        paths = [tmp_path / "synthetic.jsonl"]
        write_corpus(CorpusSpec(trials=1000, seed=5), paths[0])
    shown: list[str | None] = []

    def noted(node: str) -> str | None:
        shown.append(name_key_of(node))
        return shown[-1]

    with monkeypatch.context() as patch:
        patch.setattr(builder, "name_key_of", noted)
        from_ids = _loaded_digest(paths, tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(builder, "name_key_of", lambda node: None)
        keyed = _loaded_digest(paths, tmp_path)
    assert from_ids == keyed
    # Both ways were taken: most entities show their key, some (interventions, MeSH terms, names
    # in other letters, unnamed sites) do not.
    assert shown.count(None) > 0 and len(shown) - shown.count(None) > len(shown) / 2
