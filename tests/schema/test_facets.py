"""Facets of a trial list count the whole filtered list, checked against the records themselves."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from graph.build.loading import TrialGraph, load_graph
from tests.paths import CTGOV
from tests.schema.records import ask, module, records, refused

FACETS = """query($filter: TrialFilter, $top: Int!) {
  trials(filter: $filter, first: 1) {
    totalCount
    nodes { nctId }
    facets(top: $top) {
      status { value count } phase { value count } studyType { value count }
      country { value count } sponsorClass { value count } condition { value count }
    }
  }
}"""


@pytest.fixture(scope="module")
def loaded() -> TrialGraph:
    return load_graph([CTGOV])


def _ranked(counts: Counter[str], top: int) -> list[dict[str, Any]]:
    pairs = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:top]
    return [{"value": value, "count": count} for value, count in pairs]


def _expected(studies: list[dict[str, Any]], top: int) -> dict[str, Any]:
    """Each facet counted from the records: one count per trial and value."""
    status, phase, study_type, country, sponsor, condition = (Counter[str]() for _ in range(6))
    for study in studies:
        if "overallStatus" in module(study, "statusModule"):
            status[module(study, "statusModule")["overallStatus"]] += 1
        design = module(study, "designModule")
        phase.update(set(design.get("phases", [])))
        if "studyType" in design:
            study_type[design["studyType"]] += 1
        locations = module(study, "contactsLocationsModule").get("locations", [])
        country.update({site["country"] for site in locations if "country" in site})
        lead = module(study, "sponsorCollaboratorsModule").get("leadSponsor", {})
        if "class" in lead:
            sponsor[lead["class"]] += 1
        condition.update(set(module(study, "conditionsModule").get("conditions", [])))
    return {
        "status": _ranked(status, top),
        "phase": _ranked(phase, top),
        "studyType": _ranked(study_type, top),
        "country": _ranked(country, top),
        "sponsorClass": _ranked(sponsor, top),
        "condition": _ranked(condition, top),
    }


@pytest.mark.parametrize("top", [3, 100])
def test_facets_of_every_trial_count_every_record(loaded: TrialGraph, top: int) -> None:
    data = ask(loaded, FACETS, filter=None, top=top)["trials"]
    assert data["totalCount"] == len(records()) and len(data["nodes"]) == 1
    assert data["facets"] == _expected(list(records().values()), top)


@pytest.mark.parametrize(
    ("filter", "wanted"),
    [
        ({"country": "United States"}, lambda s: "United States" in _countries(s)),
        ({"status": "COMPLETED"}, lambda s: module(s, "statusModule").get("overallStatus") == "COMPLETED"),
        ({"phase": "PHASE2"}, lambda s: "PHASE2" in module(s, "designModule").get("phases", [])),
    ],
)
def test_facets_count_the_filtered_list_not_the_page(loaded: TrialGraph, filter: Any, wanted: Any) -> None:
    studies = [study for study in records().values() if wanted(study)]
    data = ask(loaded, FACETS, filter=filter, top=10)["trials"]
    assert data["totalCount"] == len(studies) > 1
    assert data["facets"] == _expected(studies, 10)


def _countries(study: dict[str, Any]) -> set[str]:
    locations = module(study, "contactsLocationsModule").get("locations", [])
    return {site["country"] for site in locations if "country" in site}


def test_facets_of_an_entitys_trials(loaded: TrialGraph) -> None:
    data = ask(
        loaded,
        '{ country(name: "China") { trials { totalCount facets(top: 2) { country { value count } } } } }',
    )
    trials = data["country"]["trials"]
    studies = [study for study in records().values() if "China" in _countries(study)]
    assert trials["totalCount"] == len(studies)
    assert trials["facets"]["country"] == _expected(studies, 2)["country"]


@pytest.mark.parametrize("top", [0, -1, 101])
def test_top_out_of_bounds_is_refused_naming_the_argument(loaded: TrialGraph, top: int) -> None:
    assert refused(loaded, FACETS, filter=None, top=top) == [
        f"top (values per facet, at least 1) is limited to 100; {top} was asked for"
    ]
