"""A trial's people: its own (overall officials) by default, each once; `scope: SITE` for those
named at its sites, `ALL` for both, with their roles and sites. Expected answers are computed
from the records' JSON."""

from __future__ import annotations

from typing import Any

import pytest

from graph.build.loading import TrialGraph, load_graph
from tests.paths import CTGOV
from tests.schema.records import ask, module, records

PEOPLE = """query($nctId: String!, $scope: InvestigatorScope) {
  trial(nctId: $nctId) {
    investigators(scope: $scope) {
      totalCount edges { role roles scope node { spellings } sites { name } }
    }
  }
}"""
SITE_ROLES = {"PRINCIPAL_INVESTIGATOR", "SUB_INVESTIGATOR", "STUDY_CHAIR", "STUDY_DIRECTOR"}


@pytest.fixture(scope="module")
def loaded() -> TrialGraph:
    return load_graph([CTGOV])


def _person(name: str) -> str:
    """A name as the test tells people apart: before the comma (these records write no titles)."""
    return _bare(name.partition(",")[0])


def _bare(text: str) -> str:
    """Text as one entity's spellings may differ in it: its letters and digits, case folded."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _expected(study: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each scope's people, from the record: (written names, role, roles, sites)."""
    people: dict[str, dict[str, Any]] = {}
    for official in module(study, "contactsLocationsModule").get("overallOfficials", []):
        found = people.setdefault(
            _person(official["name"]), {"names": set(), "roles": [], "site_roles": [], "sites": []}
        )
        found["names"].add(official["name"])
        found["roles"].append(official.get("role"))
    at_sites: list[str] = []
    for site in module(study, "contactsLocationsModule").get("locations", []):
        for contact in site.get("contacts", []):
            if contact.get("role") not in SITE_ROLES or not contact.get("name"):
                continue
            key = _person(contact["name"])
            found = people.setdefault(key, {"names": set(), "roles": [], "site_roles": [], "sites": []})
            found["names"].add(contact["name"])
            found["site_roles"].append(contact["role"])
            if site.get("facility") not in found["sites"]:
                found["sites"].append(site.get("facility"))
            if key not in at_sites:
                at_sites.append(key)
    own = [key for key, found in people.items() if found["roles"]]
    others = [key for key in people if key not in own]

    def edge(key: str, scope: str) -> dict[str, Any]:
        found = people[key]
        roles = list(dict.fromkeys(found["roles"] + found["site_roles"]))
        first = found["site_roles"][0] if scope == "SITE" else roles[0]
        return {
            "role": first,
            "roles": roles,
            "scope": "TRIAL" if found["roles"] else "SITE",
            "names": found["names"],
            "sites": found["sites"],
        }

    return {
        "TRIAL": [edge(key, "TRIAL") for key in own],
        "SITE": [edge(key, "SITE") for key in at_sites],
        "ALL": [edge(key, "ALL") for key in own + others],
    }


@pytest.mark.parametrize("nct_id", ["NCT04267848", "NCT05147467", "NCT06171568", "NCT00973089"])
@pytest.mark.parametrize("scope", [None, "TRIAL", "SITE", "ALL"])
def test_a_trials_people_by_scope_are_the_records(loaded: TrialGraph, nct_id: str, scope: str | None) -> None:
    expected = _expected(records()[nct_id])[scope or "TRIAL"]
    answer = ask(loaded, PEOPLE, nctId=nct_id, scope=scope)["trial"]["investigators"]
    assert answer["totalCount"] == len(expected)
    got = answer["edges"]
    assert len(got) == min(len(expected), 100)  # no `first`: the whole list, up to the largest page
    for edge, wanted in zip(got, expected, strict=False):
        assert (edge["role"], edge["roles"], edge["scope"]) == (
            wanted["role"],
            wanted["roles"],
            wanted["scope"],
        )
        assert wanted["names"] <= set(edge["node"]["spellings"])
        assert [_person(site["name"]) for site in edge["sites"]] == [
            _person(site) for site in wanted["sites"]
        ]


def test_the_default_is_the_trials_own_people_each_once() -> None:
    """NCT05147467 names a study director and a principal investigator; NCT04267848 one
    official who is also a site's investigator: the default list is the officials alone."""
    loaded = load_graph([CTGOV])
    for nct_id in ("NCT05147467", "NCT04267848"):
        officials = module(records()[nct_id], "contactsLocationsModule")["overallOfficials"]
        answer = ask(loaded, PEOPLE, nctId=nct_id)["trial"]["investigators"]
        assert [edge["role"] for edge in answer["edges"]] == [o["role"] for o in officials]
        assert all(edge["scope"] == "TRIAL" for edge in answer["edges"])
