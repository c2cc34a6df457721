"""A registry JSON record and its trial page give the same graph for the facts both carry."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.build.loading import load_graph
from graph.model import NodeKind
from tests.paths import CTGOV, PAGES, SHARED_NCT_IDS

PROVENANCE = {"source", "sources", "sourceFormat", "sourceDocuments"}
# A page gives no coordinates: its sites get their city's centre from the gazetteer.
DERIVED = {"latitude", "longitude", "coordinatesDerived"}
# Facts registry JSON states and a page does not: site investigators come from location
# contacts, responsible-party people from responsibleParty.investigatorFullName, MeSH terms
# from derivedSection.
JSON_ONLY_EDGES = {"INVESTIGATES_AT", "CLASSIFIED_AS", "CLASSIFIED_UNDER", "BROADER", "MAPS_TO"}


def _graphs(nct: str) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    """The record's graph, and the page's with each anonymised site named as the record's site
    of the same listing: a page has no postal codes, so its anonymised sites are keyed apart."""
    from_json, from_page = load_graph([CTGOV / f"{nct}.json"]).graph, load_graph([PAGES / f"{nct}.txt"]).graph
    listed = {
        data["field"]: site
        for _, site, data in from_json.out_edges(f"Trial:{nct}", data=True)
        if data["kind"] == "CONDUCTED_AT"
    }
    renamed = {
        site: listed[data["field"]]
        for _, site, data in from_page.out_edges(f"Trial:{nct}", data=True)
        if data["kind"] == "CONDUCTED_AT" and from_page.nodes[site]["anonymized"]
    }
    return from_json, nx.relabel_nodes(nx.MultiDiGraph(from_page), renamed) if renamed else from_page


@pytest.mark.parametrize("nct", SHARED_NCT_IDS)
def test_every_node_and_edge_of_the_page_is_in_the_record_with_the_same_attributes(nct: str) -> None:
    from_json, from_page = _graphs(nct)
    assert set(from_page) <= set(from_json)
    differences = []
    for node, data in from_page.nodes(data=True):
        for name, value in data.items():
            in_record = from_json.nodes[node].get(name)
            if name == "spellings":  # site contacts in the record may spell a person once more
                if not set(value.split("\n")) <= set(str(in_record).split("\n")):
                    differences.append((node, name, value, in_record))
            elif data.get("coordinatesDerived") and name in DERIVED:
                continue
            elif name not in PROVENANCE and in_record != value:
                differences.append((node, name, value, in_record))
    for source, target, key, data in from_page.edges(keys=True, data=True):
        assert from_json.has_edge(source, target, key), (source, target, key)
        record_edge = from_json.edges[source, target, key]
        for name, value in data.items():
            if key == "INVESTIGATED_BY" and name in ("field", "spelling"):
                # The record may name the person at its sites too: a line more each.
                if not set(value.split("\n")) <= set(str(record_edge.get(name)).split("\n")):
                    differences.append((source, target, key, name))
            elif record_edge.get(name) != value:
                differences.append((source, target, key, name))
    # A record without hasResults says nothing; its page says "Results pending".
    allowed = {(f"Trial:{nct}", "hasResults", False, None)}
    assert set(differences) <= allowed


@pytest.mark.parametrize("nct", SHARED_NCT_IDS)
def test_what_only_the_record_holds_is_people_the_page_does_not_list(nct: str) -> None:
    from_json, from_page = _graphs(nct)
    for node in set(from_json) - set(from_page):
        if node.startswith("MeshTerm:"):
            continue
        assert node.startswith("Investigator:"), node
        kinds = {data["kind"] for *_, data in from_json.in_edges(node, data=True)}
        kinds |= {data["kind"] for *_, data in from_json.out_edges(node, data=True)}
        scopes = {data.get("scope") for *_, data in from_json.in_edges(node, data=True)}
        assert kinds <= {"INVESTIGATED_BY", "INVESTIGATES_AT", "RESPONSIBLE_PARTY", "AFFILIATED_WITH"}
        assert scopes <= {"SITE", None}
    page_edges = {(u, v, k) for u, v, k in from_page.edges(keys=True)}
    for source, target, key, data in from_json.edges(keys=True, data=True):
        if (source, target, key) not in page_edges:
            assert _record_only(data), (source, target, key)


def _record_only(edge: dict[str, object]) -> bool:
    """Edges for facts a page does not carry: site investigators, a named responsible party."""
    field = str(edge.get("field", ""))
    return (
        edge["kind"] in JSON_ONLY_EDGES or edge.get("scope") == "SITE" or field.startswith("responsibleParty")
    )


def test_the_records_and_pages_together_are_one_trial_each() -> None:
    both = load_graph([CTGOV, PAGES])
    trials = both.graph.ids_of(NodeKind.TRIAL)
    assert trials == [f"Trial:{nct}" for nct in SHARED_NCT_IDS]
    for trial in trials:
        data = both.graph.nodes[trial]
        assert len(data["sources"].split("\n")) == 2
        # A page and its record carry the same update date; the richer record wins the tie.
        assert data["sourceFormat"] == "ctgov-json"
