"""The seed page: every value it holds is in the graph, and the graph around it is whole."""

from __future__ import annotations

import re

import networkx as nx
import pytest

from graph.build.loading import TrialGraph, load_graph
from graph.keys import words
from graph.model import LIST_SEPARATOR
from graph.read.pages.page import RESULTS, SECTIONS
from tests.paths import SEED_PAGE, SEEDS

# Paragraphs of the page that are layout, not data.
LAYOUT = {*SECTIONS, *SECTIONS.values(), *(sentence for _, sentence in RESULTS.values()), "Site Status"}
LABELS = re.compile(
    r"^(Recruitment Status|Clinical Phase|Total Enrollment|Study Classification|Study Start Date|"
    r"Study Completion Date|Allocation Method|Intervention Model|Primary Study Purpose|Blinding Strategy|"
    r"Minimum Eligible Age|Maximum Eligible Age|Eligible Sex|Accepts Healthy Volunteers|Study Results)$"
)
PREFIXES = re.compile(
    r"^(NCT ID: |Last Updated: |Group Type |Intervention Type |Sponsor Role |Responsibility Role |Role: |"
    r"Identifier Type: |Identifier Source: |Site Status )"
)


@pytest.fixture(scope="module")
def seed() -> TrialGraph:
    return load_graph([SEEDS])


def _graph_words(graph: nx.MultiDiGraph) -> set[str]:
    found: set[str] = set()
    values = [data for _, data in graph.nodes(data=True)] + [data for *_, data in graph.edges(data=True)]
    for data in values:
        for value in data.values():
            for item in str(value).split(LIST_SEPARATOR):
                found.update(words(item))
    return found


def test_every_value_of_the_seed_page_is_in_the_graph(seed: TrialGraph) -> None:
    in_graph = _graph_words(seed.graph)
    missing = []
    for paragraph in SEED_PAGE.read_text(encoding="utf-8").split("\n\n"):
        for line in paragraph.split("\n"):
            text = line.strip()
            if not text or text in LAYOUT or LABELS.match(text) or text.startswith("Results "):
                continue
            text = PREFIXES.sub("", text)
            if text in ("-", "lead", "org_study_id"):  # "none", "LEAD" and the org study id's source
                continue
            absent = [word for word in words(text) if word not in in_graph]
            if absent:
                missing.append((text[:60], absent))
    assert missing == []


def test_the_seed_graph_is_whole(seed: TrialGraph) -> None:
    graph = seed.graph
    assert sorted(graph.nodes) == [
        "Arm:nct05697718--group1",
        "Arm:nct05697718--group2",
        "Arm:nct05697718--group3",
        "Condition:ischemicstroke",
        "Country:china",
        "Intervention:biological--msc",
        "Investigator:junweihao",
        "Organization:shanghaiixcellbiotechnology",
        "Organization:xuanwuhospitalofcapitalmedicaluniversity",
        "Site:xuanwuhospitalofcapitalmedicaluniversity--beijing--china",
        "Trial:NCT05697718",
    ]
    edges = sorted((u, v, k) for u, v, k in graph.edges(keys=True))
    assert edges == [
        ("Arm:nct05697718--group1", "Intervention:biological--msc", "RECEIVES"),
        ("Arm:nct05697718--group2", "Intervention:biological--msc", "RECEIVES"),
        ("Arm:nct05697718--group3", "Intervention:biological--msc", "RECEIVES"),
        (
            "Investigator:junweihao",
            "Organization:xuanwuhospitalofcapitalmedicaluniversity",
            "AFFILIATED_WITH:NCT05697718",
        ),
        ("Site:xuanwuhospitalofcapitalmedicaluniversity--beijing--china", "Country:china", "LOCATED_IN"),
        (
            "Site:xuanwuhospitalofcapitalmedicaluniversity--beijing--china",
            "Organization:xuanwuhospitalofcapitalmedicaluniversity",
            "OPERATED_BY",
        ),
        ("Trial:NCT05697718", "Arm:nct05697718--group1", "HAS_ARM"),
        ("Trial:NCT05697718", "Arm:nct05697718--group2", "HAS_ARM"),
        ("Trial:NCT05697718", "Arm:nct05697718--group3", "HAS_ARM"),
        ("Trial:NCT05697718", "Condition:ischemicstroke", "STUDIES"),
        ("Trial:NCT05697718", "Country:china", "RUNS_IN"),
        ("Trial:NCT05697718", "Intervention:biological--msc", "TESTS"),
        (
            "Trial:NCT05697718",
            "Investigator:junweihao",
            "INVESTIGATED_BY",
        ),
        ("Trial:NCT05697718", "Organization:shanghaiixcellbiotechnology", "RESPONSIBLE_PARTY"),
        ("Trial:NCT05697718", "Organization:shanghaiixcellbiotechnology", "SPONSORED_BY:LEAD"),
        (
            "Trial:NCT05697718",
            "Site:xuanwuhospitalofcapitalmedicaluniversity--beijing--china",
            "CONDUCTED_AT",
        ),
    ]


def test_the_seed_trial_carries_its_page(seed: TrialGraph) -> None:
    trial = dict(seed.graph.nodes["Trial:NCT05697718"])
    long_texts = (
        "briefSummary",
        "detailedDescription",
        "eligibilityCriteria",
        "inclusionCriteria",
        "exclusionCriteria",
    )
    texts = {name: trial.pop(name) for name in long_texts}
    assert trial == {
        "kind": "Trial",
        "nctId": "NCT05697718",
        "title": "Clinical Trial of Human Umbilical Cord Mesenchymal Stem Cells (IxCell hUC-MSC-S) in the "
        "Treatment of Ischemic Stroke",
        "status": "COMPLETED",
        "phases": "PHASE1",
        "studyType": "INTERVENTIONAL",
        "enrollment": 18,
        "startDate": "2023-04-10",
        "completionDate": "2024-08-27",
        "lastUpdated": "2026-02-12",
        "hasResults": False,
        "allocation": "NON_RANDOMIZED",
        "interventionModel": "PARALLEL",
        "primaryPurpose": "TREATMENT",
        "masking": "NONE",
        "minimumAge": "18 Years",
        "minimumAgeYears": 18.0,
        "maximumAge": "80 Years",
        "maximumAgeYears": 80.0,
        "sex": "ALL",
        "healthyVolunteers": False,
        "responsiblePartyType": "SPONSOR",
        "orgStudyId": "LC-MSC-IS21004",
        "source": str(SEED_PAGE),
        "sourceFormat": "page",
        "sources": str(SEED_PAGE),
        "sourceDocuments": str(SEED_PAGE),
    }
    assert texts["briefSummary"].startswith("To evaluate the safety and tolerability of IxCellhUC-MSC-S")
    assert texts["briefSummary"].count("\n\n") == 1  # two paragraphs
    inclusion = texts["inclusionCriteria"].split(LIST_SEPARATOR)
    exclusion = texts["exclusionCriteria"].split(LIST_SEPARATOR)
    assert len(inclusion) == 5 and len(exclusion) == 17
    assert inclusion[2] == (
        "National Institutes of Health Stroke Scale (NIHSS) score 6-20 points, "
        "and NlHSS score item 1a < 2 points;"
    )
    # Item 6 keeps the paragraph that continues it; the label glued under item 17 is not an item.
    assert exclusion[5].startswith(
        "Organ function level meet the following any one or more: absolute neutrophil"
    )
    assert exclusion[16].endswith("unsuitable for clinical trials.")
    assert "\\" not in "".join(texts.values())


def test_the_two_listings_of_xuanwu_hospital_are_one_site(seed: TrialGraph) -> None:
    site = "Site:xuanwuhospitalofcapitalmedicaluniversity--beijing--china"
    assert seed.graph.nodes[site] == {
        "kind": "Site",
        "name": "Xuanwu Hospital of Capital Medical University",
        "spellings": "Xuanwu Hospital of Capital Medical University",
        "city": "Beijing",
        "state": "Beijing Municipality",
        "country": "China",
        "anonymized": False,
        # The page gives no coordinates: Beijing's centre, from the gazetteer.
        "latitude": 39.9075,
        "longitude": 116.39723,
        "coordinatesDerived": True,
    }
    [(_, _, edge)] = seed.graph.in_edges(site, data=True)
    assert edge == {
        "kind": "CONDUCTED_AT",
        "field": "locations[0]\nlocations[1]",
        "spelling": "Xuanwu Hospital of Capital Medical University",
        "position": 0,
    }


def test_loading_the_same_input_gives_the_same_ids() -> None:
    first, second = load_graph([SEEDS]), load_graph([SEEDS])
    assert sorted(first.graph.edges(keys=True)) == sorted(second.graph.edges(keys=True))
    assert first.version == second.version
