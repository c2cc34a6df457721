"""The condition hierarchy: MeSH terms and ancestors from the records' derivedSection, so that a
broader term finds trials of narrower ones; expected answers read from the JSON itself."""

from __future__ import annotations

from typing import Any

import pytest

from graph.build.loading import TrialGraph, load_graph
from tests.paths import CTGOV
from tests.schema.records import ask, records

TERM = """query($name: String!, $narrower: Boolean!) {
  meshTerm(name: $name) {
    id meshId name
    broader { meshId }
    narrower { meshId }
    conditions { name }
    trials(first: 100, includeNarrower: $narrower) { totalCount nodes { nctId } }
  }
}"""
FILTERED = """query($f: TrialFilter) { trials(filter: $f, first: 100) { totalCount nodes { nctId } } }"""


@pytest.fixture(scope="module")
def loaded() -> TrialGraph:
    return load_graph([CTGOV])


def _browse(study: dict[str, Any]) -> dict[str, Any]:
    return dict(study.get("derivedSection", {}).get("conditionBrowseModule", {}))


def _canonical(written: str) -> str:
    """Records write older MeSH ids both as D003324 and padded, D000003324."""
    return written[0] + (written[1:].removeprefix("000") if len(written) == 10 else written[1:])


def _ids(study: dict[str, Any], key: str) -> set[str]:
    return {_canonical(term["id"]) for term in _browse(study).get(key, [])}


def _terms() -> dict[str, str]:
    """Every MeSH id the records name, with its term."""
    return {
        _canonical(term["id"]): term["term"]
        for study in records().values()
        for key in ("meshes", "ancestors")
        for term in _browse(study).get(key, [])
    }


@pytest.mark.parametrize("mesh_id", sorted(_terms()))
def test_a_term_finds_the_trials_classified_as_it_or_under_it(loaded: TrialGraph, mesh_id: str) -> None:
    as_it = sorted(nct for nct, study in records().items() if mesh_id in _ids(study, "meshes"))
    under_it = sorted(
        nct for nct, study in records().items() if mesh_id in _ids(study, "meshes") | _ids(study, "ancestors")
    )
    for name in (mesh_id, _terms()[mesh_id]):
        term = ask(loaded, TERM, name=name, narrower=True)["meshTerm"]
        assert term["meshId"] == mesh_id and term["name"] == _terms()[mesh_id]
        assert [node["nctId"] for node in term["trials"]["nodes"]] == under_it
        only = ask(loaded, TERM, name=name, narrower=False)["meshTerm"]["trials"]["nodes"]
        assert [node["nctId"] for node in only] == as_it
        assert [
            n["nctId"] for n in ask(loaded, FILTERED, f={"meshTerm": name})["trials"]["nodes"]
        ] == under_it


@pytest.mark.parametrize("mesh_id", sorted(_terms()))
def test_broader_terms_are_the_ancestors_of_records_with_that_term_alone(
    loaded: TrialGraph, mesh_id: str
) -> None:
    """The registry lists one trial's ancestors for all its terms together: only a record with a
    single term says whose ancestors they are."""
    alone = [study for study in records().values() if _ids(study, "meshes") == {mesh_id}]
    expected = sorted(set().union(*(_ids(study, "ancestors") for study in alone)) - {mesh_id})
    term = ask(loaded, TERM, name=mesh_id, narrower=True)["meshTerm"]
    assert [item["meshId"] for item in term["broader"]] == sorted(
        expected, key=lambda i: f"MeshTerm:{i.lower()}"
    )
    narrower = sorted(
        single
        for study in records().values()
        if len(_ids(study, "meshes")) == 1 and mesh_id in _ids(study, "ancestors")
        for single in _ids(study, "meshes")
    )
    assert sorted({item["meshId"] for item in term["narrower"]}) == sorted(set(narrower))


def test_a_condition_filter_on_a_broader_term_finds_trials_of_narrower_ones(loaded: TrialGraph) -> None:
    """No record lists "Neoplasms" as a condition; the registry classifies several under it."""
    assert not any(
        condition.lower() == "neoplasms"
        for study in records().values()
        for condition in study["protocolSection"].get("conditionsModule", {}).get("conditions", [])
    )
    under = sorted(
        nct
        for nct, study in records().items()
        if "D009369" in _ids(study, "meshes") | _ids(study, "ancestors")
    )
    assert len(under) >= 2
    found = ask(loaded, FILTERED, f={"condition": "Neoplasms"})["trials"]
    assert [node["nctId"] for node in found["nodes"]] == under
    narrow = ask(loaded, FILTERED, f={"condition": "Neoplasms", "country": "United States"})["trials"]
    assert {node["nctId"] for node in narrow["nodes"]} < set(under)


def test_conditions_map_to_the_terms_the_registry_found_in_them(loaded: TrialGraph) -> None:
    """NCT05147467's "Small Lymphocytic Lymphoma" is where the registry found its CLL term."""
    study = records()["NCT05147467"]
    leaves = {leaf["name"]: leaf.get("asFound") for leaf in _browse(study)["browseLeaves"]}
    assert leaves["Leukemia, Lymphocytic, Chronic, B-Cell"] == "Small lymphocytic lymphoma"
    data = ask(loaded, '{ condition(name: "Small Lymphocytic Lymphoma") { meshTerms { meshId name } } }')
    assert {"meshId": "D015451", "name": "Leukemia, Lymphocytic, Chronic, B-Cell"} in data["condition"][
        "meshTerms"
    ]
    term = ask(loaded, TERM, name="D015451", narrower=True)["meshTerm"]
    assert {"name": "Small Lymphocytic Lymphoma"} in term["conditions"]


def test_an_unknown_term_is_null(loaded: TrialGraph) -> None:
    assert ask(loaded, TERM, name="D000000", narrower=True) == {"meshTerm": None}
    assert ask(loaded, TERM, name="no such term", narrower=True) == {"meshTerm": None}
    assert ask(loaded, FILTERED, f={"meshTerm": "no such term"})["trials"]["totalCount"] == 0


def test_pages_carry_no_mesh_terms() -> None:
    from tests.paths import PAGES

    assert load_graph([PAGES]).index.node_counts.get("MeshTerm") is None
