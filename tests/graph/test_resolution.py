"""Entity resolution: one node per real entity, names that lie both ways, auditable merges."""

from __future__ import annotations

import pytest

from graph.build.builder import build_graph
from graph.build.loading import TrialGraph, load_graph
from graph.model import Intervention, Location, Official, Source, Sponsor, TrialRecord
from tests.paths import CTGOV


@pytest.fixture(scope="module")
def shared() -> TrialGraph:
    return load_graph([CTGOV])


def _trial(nct: str, **fields: object) -> TrialRecord:
    return TrialRecord(nct, Source(f"{nct}.json", format="ctgov-json"), **fields)  # type: ignore[arg-type]


def _trials_of(loaded: TrialGraph, node: str) -> list[str]:
    return sorted({source for source, _ in loaded.graph.in_edges(node) if source.startswith("Trial:")})


def test_an_organization_is_one_node_as_lead_sponsor_and_as_affiliation(shared: TrialGraph) -> None:
    node = "Organization:allianceforclinicaltrialsinoncology"
    edges = sorted((source, key) for source, _, key in shared.graph.in_edges(node, keys=True))
    assert edges == [
        (
            "Investigator:jacobmsands",
            "AFFILIATED_WITH:NCT04267848",
        ),
        ("Trial:NCT02750826", "SPONSORED_BY:LEAD"),
    ]


def test_a_site_listed_by_three_trials_is_one_site(shared: TrialGraph) -> None:
    node = "Site:danafarbercancerinstitute--boston--unitedstates"
    assert _trials_of(shared, node) == ["Trial:NCT02750826", "Trial:NCT04267848", "Trial:NCT05041309"]
    statuses = {
        source: data.get("status")
        for source, _, data in shared.graph.in_edges(node, data=True)
        if source.startswith("Trial:")
    }
    assert statuses == {
        "Trial:NCT02750826": None,
        "Trial:NCT04267848": "RECRUITING",
        "Trial:NCT05041309": None,
    }


def test_a_site_listed_without_country_joins_the_one_site_of_that_name_and_city(shared: TrialGraph) -> None:
    inferred = [
        (source, target)
        for source, target, data in shared.graph.edges(data=True)
        if data.get("countryInferred") == "from other trials naming this facility and city"
    ]
    assert len(inferred) == 816 and {source for source, _ in inferred} == {"Trial:NCT02750826"}
    # Each such site is the one another trial lists with its country (United States, Guam).
    assert all(len(_trials_of(shared, target)) > 1 for _, target in inferred)
    assert {target.rsplit("--", 1)[1] for _, target in inferred} == {"unitedstates", "guam"}


def test_a_condition_is_shared_across_trials(shared: TrialGraph) -> None:
    assert _trials_of(shared, "Condition:coronaryarterydisease") == [
        "Trial:NCT00711542",
        "Trial:NCT03475563",
    ]


def test_two_interventions_of_one_trial_with_the_same_name_stay_apart(shared: TrialGraph) -> None:
    nodes = sorted(node for node in shared.graph if node.startswith("Intervention:other--all"))
    assert len(nodes) == 2
    arms = [
        sorted(source for source, _ in shared.graph.in_edges(node) if source.startswith("Arm:"))
        for node in nodes
    ]
    assert sorted(arms) == [["Arm:nct02299791--earlyintervention"], ["Arm:nct02299791--lateimplementation"]]


def test_sites_without_a_facility_name_are_never_merged(shared: TrialGraph) -> None:
    unnamed = [node for node in shared.graph if node.startswith("Site:unnamed-nct02210780")]
    assert len(unnamed) == 42
    assert _trials_of(shared, unnamed[0]) == ["Trial:NCT02210780"]


def test_the_same_facility_name_in_two_cities_is_two_sites() -> None:
    def site(city: str) -> Location:
        return Location(facility="Mercy Hospital", city=city, country="United States")

    graph = build_graph(
        [
            _trial("NCT00000001", locations=[site("Boston"), site("Denver")]),
            _trial("NCT00000002", locations=[site("Boston")]),
        ]
    )
    sites = sorted(node for node in graph if node.startswith("Site:"))
    assert sites == [
        "Site:mercyhospital--boston--unitedstates",
        "Site:mercyhospital--denver--unitedstates",
    ]
    assert len(graph.in_edges(sites[0])) == 2


def test_a_site_without_a_name_is_not_merged_by_city_alone() -> None:
    graph = build_graph([_trial("NCT00000001", locations=[Location(city="Boston"), Location(city="Boston")])])
    assert sorted(node for node in graph if node.startswith("Site:")) == [
        "Site:unnamed-nct00000001-0--boston--",
        "Site:unnamed-nct00000001-1--boston--",
    ]


def test_organization_variants_resolve_to_one_node_whose_merge_can_be_audited() -> None:
    graph = build_graph(
        [
            _trial("NCT00000001", sponsors=[Sponsor("Acme Pharma, Inc.", "LEAD", "INDUSTRY", "leadSponsor")]),
            _trial(
                "NCT00000002",
                sponsors=[
                    Sponsor("Other", "LEAD", None, "leadSponsor"),
                    Sponsor("ACME PHARMA", "COLLABORATOR", None, "collaborators[0]"),
                ],
                officials=[
                    Official(
                        "Jane Roe, MD", "PRINCIPAL_INVESTIGATOR", "Acme  Pharma GmbH", "overallOfficials[0]"
                    )
                ],
            ),
        ]
    )
    node = graph.nodes["Organization:acmepharma"]
    assert node == {
        "kind": "Organization",
        "name": "Acme Pharma, Inc.",
        "spellings": "Acme Pharma, Inc.\nACME PHARMA\nAcme  Pharma GmbH",
        "agencyClass": "INDUSTRY",
    }
    mentions = sorted(
        (data.get("trial", source), data["field"], data["spelling"])
        for source, _, data in graph.in_edges("Organization:acmepharma", data=True)
    )
    assert mentions == [
        ("NCT00000002", "overallOfficials[0].affiliation", "Acme  Pharma GmbH"),
        ("Trial:NCT00000001", "leadSponsor", "Acme Pharma, Inc."),
        ("Trial:NCT00000002", "collaborators[0]", "ACME PHARMA"),
    ]


def test_a_trial_naming_a_person_as_official_and_as_site_investigator_names_one_person(
    shared: TrialGraph,
) -> None:
    node = "Investigator:jacobmsands"
    edges = [
        (source, {name: data[name] for name in ("scope", "role", "roles", "siteRoles", "sitePosition")})
        for source, _, data in shared.graph.in_edges(node, data=True)
    ]
    assert edges == [
        (
            "Trial:NCT04267848",
            {
                "scope": "TRIAL",
                "role": "PRINCIPAL_INVESTIGATOR",
                "roles": "PRINCIPAL_INVESTIGATOR",
                "siteRoles": "PRINCIPAL_INVESTIGATOR",
                "sitePosition": 76,  # 76 people are named at the sites listed before Dana-Farber
            },
        )
    ]
    assert [target for _, target in shared.graph.out_edges(node)] == [
        "Organization:allianceforclinicaltrialsinoncology",
        "Site:danafarbercancerinstitute--boston--unitedstates",
    ]


def test_a_person_is_one_node_whatever_the_affiliation_and_keeps_each() -> None:
    """The same person's affiliation is written many ways: people are keyed on their names, and
    every affiliation stated is an edge of its own."""
    graph = build_graph(
        [
            _trial(
                "NCT00000001",
                officials=[
                    Official(
                        "Jane Roe, MD",
                        "PRINCIPAL_INVESTIGATOR",
                        "Rambam Health Care Campus",
                        "overallOfficials[0]",
                    )
                ],
            ),
            _trial(
                "NCT00000002",
                officials=[
                    Official("Dr. Jane Roe", "STUDY_CHAIR", "Rambam Medical Center", "overallOfficials[0]")
                ],
            ),
            _trial(
                "NCT00000003",
                officials=[Official("Jane Roe", "STUDY_CHAIR", None, "overallOfficials[0]")],
            ),
        ]
    )
    people = sorted(node for node in graph if node.startswith("Investigator:"))
    assert people == ["Investigator:janeroe"]
    assert graph.nodes["Investigator:janeroe"] == {
        "kind": "Investigator",
        "name": "Jane Roe",
        "degrees": "MD",
        "spellings": "Jane Roe, MD\nDr. Jane Roe\nJane Roe",
    }
    assert sorted(target for _, target in graph.out_edges("Investigator:janeroe")) == [
        "Organization:rambamhealthcarecampus",
        "Organization:rambammedicalcenter",
    ]


def test_interventions_merge_across_trials_by_type_and_name() -> None:
    graph = build_graph(
        [
            _trial("NCT00000001", interventions=[Intervention("Placebo", "DRUG", "Saline", ["Vehicle"])]),
            _trial("NCT00000002", interventions=[Intervention("placebo", "DRUG", "Sugar pill", ["Dummy"])]),
            _trial("NCT00000003", interventions=[Intervention("Placebo", "OTHER")]),
        ]
    )
    assert sorted(node for node in graph if node.startswith("Intervention:")) == [
        "Intervention:drug--placebo",
        "Intervention:other--placebo",
    ]
    assert graph.nodes["Intervention:drug--placebo"]["otherNames"] == "Vehicle\nDummy"
    descriptions = sorted(
        data["description"] for *_, data in graph.in_edges("Intervention:drug--placebo", data=True)
    )
    assert descriptions == ["Saline", "Sugar pill"]
