"""Related trials: scores recomputed from the graph's edges with networkx and the formula alone,
and what the records say two trials share found in the breakdown."""

from __future__ import annotations

import json
import math
import unicodedata
import zipfile
from collections import defaultdict
from typing import Any

import pytest

from graph.build.loading import TrialGraph, load_graph
from graph.query.related import related_trials
from tests.paths import CTGOV, SHARED, SHARED_NCT_IDS
from tests.schema.records import ask, module, records, refused

RELATED = """query($nctId: String!, $first: Int, $after: String) {
  relatedTrials(nctId: $nctId, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    skipped { trials node { id } }
    edges { score shared { kind count score nodes(first: 100) { id } } node { nctId } }
  }
}"""
REGISTRY = SHARED / "data" / "registry" / "studies.zip"
# The kinds of entities shared, by the edge from a trial to them.
SHARED = {
    "STUDIES": "Condition",
    "CLASSIFIED_AS": "MeshTerm",
    "TESTS": "Intervention",
    "SPONSORED_BY": "Organization",
    "CONDUCTED_AT": "Site",
    "INVESTIGATED_BY": "Investigator",
}


@pytest.fixture(scope="module")
def loaded() -> TrialGraph:
    return load_graph([CTGOV])


def _expected(loaded: TrialGraph, nct: str) -> dict[str, dict[str, dict[str, float]]]:
    """Other trial -> kind -> entity -> weight, walking the graph as networkx does."""
    graph = loaded.graph
    total = len(SHARED_NCT_IDS)
    found: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for _, entity, data in graph.out_edges(f"Trial:{nct}", data=True):
        kind = SHARED.get(data["kind"])
        if kind is None:
            continue
        holders = {source for source, _, d in graph.in_edges(entity, data=True) if d["kind"] == data["kind"]}
        for other in holders - {f"Trial:{nct}"}:
            found[other.removeprefix("Trial:")][kind][entity] = math.log(total / len(holders))
    return found


@pytest.mark.parametrize("nct", SHARED_NCT_IDS)
def test_scores_and_their_breakdown_follow_the_formula(loaded: TrialGraph, nct: str) -> None:
    expected = _expected(loaded, nct)
    data = ask(loaded, RELATED, nctId=nct, first=100)["relatedTrials"]
    assert data["totalCount"] == len(expected) and data["skipped"] == []
    scores = {other: sum(sum(e.values()) for e in kinds.values()) for other, kinds in expected.items()}
    ranked = sorted(scores, key=lambda other: (-round(scores[other], 9), other))
    assert [edge["node"]["nctId"] for edge in data["edges"]] == ranked
    for edge in data["edges"]:
        other = edge["node"]["nctId"]
        assert edge["score"] == pytest.approx(scores[other], abs=1e-6)
        assert sum(item["score"] for item in edge["shared"]) == pytest.approx(edge["score"], abs=1e-5)
        by_kind = {item["kind"]: item for item in edge["shared"]}
        assert set(by_kind) == set(expected[other])
        for kind, entities in expected[other].items():
            item = by_kind[kind]
            assert item["count"] == len(entities)
            assert item["score"] == pytest.approx(sum(entities.values()), abs=1e-6)
            rarest_first = sorted(entities, key=lambda entity: (-entities[entity], entity))
            assert [node["id"] for node in item["nodes"]] == rarest_first[:100]
        scores_in_order = [item["score"] for item in edge["shared"]]
        assert scores_in_order == sorted(scores_in_order, reverse=True)


def test_two_trials_at_the_same_hospitals_are_related_by_their_sites(loaded: TrialGraph) -> None:
    """Both records list Dana-Farber Cancer Institute in Boston, among many other sites."""

    def boston_facilities(nct: str) -> set[str]:
        locations = module(records()[nct], "contactsLocationsModule").get("locations", [])
        return {site.get("facility", "") for site in locations if site.get("city") == "Boston"}

    assert "Dana-Farber Cancer Institute" in boston_facilities("NCT04267848") & boston_facilities(
        "NCT02750826"
    )
    query = """{ relatedTrials(nctId: "NCT04267848", first: 1) {
        edges { shared { kind count nodes(first: 100) { id } } node { nctId } } } }"""
    (edge,) = ask(loaded, query)["relatedTrials"]["edges"]
    assert edge["node"]["nctId"] == "NCT02750826"
    (sites,) = edge["shared"]
    assert sites["kind"] == "Site" and sites["count"] > 100 and len(sites["nodes"]) == 100
    store = loaded.graph.store
    trial, other = store.position("Trial:NCT04267848"), store.position("Trial:NCT02750826")
    assert trial is not None and other is not None
    (shared,) = related_trials(loaded.graph, loaded.index, trial).shared(other)
    assert len(shared.nodes) == sites["count"]
    assert "Site:danafarbercancerinstitute--boston--unitedstates" in {store.id(n) for n in shared.nodes}


def test_pages_of_related_trials_join_into_the_whole_ranking(loaded: TrialGraph) -> None:
    whole = ask(loaded, RELATED, nctId="NCT05041309", first=100)["relatedTrials"]["edges"]
    first = ask(loaded, RELATED, nctId="NCT05041309", first=1)["relatedTrials"]
    rest = ask(loaded, RELATED, nctId="NCT05041309", first=100, after=first["pageInfo"]["endCursor"])
    assert first["edges"] + rest["relatedTrials"]["edges"] == whole


def test_an_unknown_trial_has_no_related_trials_like_trial_answers_null(loaded: TrialGraph) -> None:
    assert ask(loaded, RELATED, nctId="NCT09999999", first=5) == {"relatedTrials": None}
    assert ask(loaded, '{ trial(nctId: "NCT09999999") { nctId } }') == {"trial": None}


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (101, "first (page size) is limited to 100; 101 was asked for"),
        (-1, "first (page size) must be 0 or more; page size is limited to 100; -1 was asked for"),
    ],
)
def test_first_is_held_to_the_page_size_limit(loaded: TrialGraph, first: int, message: str) -> None:
    assert refused(loaded, RELATED, nctId="NCT04267848", first=first) == [message]


def test_hub_entities_are_skipped_and_named() -> None:
    loaded = load_graph([CTGOV])
    store = loaded.graph.store
    trial = store.position("Trial:NCT04267848")
    assert trial is not None
    ranking = related_trials(loaded.graph, loaded.index, trial, hub_limit=1)
    assert len(ranking.trials) == 0
    skipped = {store.id(node) for node, _ in ranking.skipped}
    assert "Site:danafarbercancerinstitute--boston--unitedstates" in skipped
    assert all(count > 1 for _, count in ranking.skipped)


def _bare(text: str | None) -> str:
    """Text with its letters and digits only, without accents, case folded."""
    decomposed = unicodedata.normalize("NFKD", text or "").casefold()
    return "".join(c for c in decomposed if c.isalnum())


def _listings(study: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    """An anonymised site's identity as a record gives it: name, city, country, postal code, each
    bare (:func:`_bare`)."""

    return {
        (
            _bare(site.get("facility")),
            _bare(site.get("city")),
            _bare(site.get("country")),
            _bare(site.get("zip")),
        )
        for site in module(study, "contactsLocationsModule").get("locations", [])
    }


def test_related_trials_share_an_anonymised_site_only_on_its_postal_code() -> None:
    """NCT05952557 (AstraZeneca, 796 listings, most of them `Research Site`): every shared site
    that is a sponsor's placeholder is listed by both records with the same postal code."""
    with zipfile.ZipFile(REGISTRY) as archive:
        studies = {name[:-5]: json.loads(archive.read(name)) for name in archive.namelist()}
    loaded = load_graph([REGISTRY])
    query = """{ relatedTrials(nctId: "NCT05952557", first: 20) { edges { node { nctId }
                 shared { kind count nodes(first: 100) {
                   ... on Site { name city country zip anonymized } } } } } }"""
    edges = ask(loaded, query)["relatedTrials"]["edges"]
    mine = _listings(studies["NCT05952557"])
    checked = 0
    for edge in edges:
        theirs = _listings(studies[edge["node"]["nctId"]])
        for shared in (item for item in edge["shared"] if item["kind"] == "Site"):
            for site in shared["nodes"]:
                if not site["anonymized"]:
                    continue
                assert site["zip"], site
                listing = tuple(_bare(site[name]) for name in ("name", "city", "country", "zip"))
                assert listing in mine and listing in theirs, (edge["node"]["nctId"], site)
                checked += 1
    assert checked > 500  # most of what these trials share is AstraZeneca's numbered-by-postcode sites
