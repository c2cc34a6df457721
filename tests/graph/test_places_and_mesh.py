"""Coordinates from records and from the gazetteer, and MeSH terms with their broader terms, on
small records built here."""

from __future__ import annotations

import math

import numpy as np

from graph.build.builder import build
from graph.model import Location, MeshTerm, Source, TrialRecord
from graph.query.geo import haversine_km, sites_near, trials_near
from graph.query.search import TrialFilter, find_trials


def _trial(nct: str, *locations: Location, **fields: object) -> TrialRecord:
    return TrialRecord(nct, Source(f"{nct}.json"), locations=list(locations), **fields)  # type: ignore[arg-type]


def test_record_coordinates_win_over_a_city_centre_whichever_trial_comes_first() -> None:
    without = Location("Mass General", "Boston", "Massachusetts", "United States")
    with_point = Location(
        "Mass General", "Boston", "Massachusetts", "United States", latitude=42.3626, longitude=-71.0685
    )
    graph, _ = build([_trial("NCT00000001", without), _trial("NCT00000002", with_point)])
    site = graph.nodes["Site:massgeneral--boston--unitedstates"]
    assert (site["latitude"], site["longitude"]) == (42.3626, -71.0685)
    assert "coordinatesDerived" not in site


def test_a_site_without_coordinates_gets_its_citys_centre_marked_derived() -> None:
    graph, index = build([_trial("NCT00000001", Location("Hôpital X", "Lyon", "", "France"))])
    site = graph.nodes["Site:hopitalx--lyon--france"]
    assert site["coordinatesDerived"] is True
    assert haversine_km(45.75, 4.85, [site["latitude"]], [site["longitude"]])[0] < 5
    near, distances = sites_near(graph, index, 45.75, 4.85, 10)
    assert [graph.store.id(int(p)) for p in near] == ["Site:hopitalx--lyon--france"] and distances[0] < 5


def test_a_us_city_in_another_state_is_not_taken() -> None:
    """Cambridge, Minnesota is too small for the gazetteer; Cambridge, Massachusetts is not it."""
    graph, _ = build([_trial("NCT00000001", Location("Clinic", "Cambridge", "Minnesota", "United States"))])
    assert "latitude" not in graph.nodes["Site:clinic--cambridge--unitedstates"]
    graph, _ = build([_trial("NCT00000001", Location("Clinic", "Atlantis", "", "Nowhere"))])
    assert "latitude" not in graph.nodes["Site:clinic--atlantis--nowhere"]


def test_sites_near_the_antimeridian_and_a_pole_are_found() -> None:
    fiji = Location("Suva Clinic", "Suva", "", "Fiji", latitude=-18.14, longitude=178.44)
    over = Location("Taveuni Clinic", "Somosomo", "", "Fiji", latitude=-16.77, longitude=-179.99)
    polar = Location("Station", "Pole", "", "Antarctica", latitude=-89.9, longitude=0.0)
    graph, index = build([_trial("NCT00000001", fiji, over), _trial("NCT00000002", polar)])
    near, distances = sites_near(graph, index, -17.0, 179.9, 300)
    assert {graph.store.id(int(p)).split("--")[0] for p in near} == {
        "Site:suvaclinic",
        "Site:taveuniclinic",
    }
    assert np.all(np.diff(distances) >= 0)
    assert [graph.store.id(int(p)) for p in trials_near(graph, index, -90.0, 120.0, 50)] == [
        "Trial:NCT00000002"
    ]
    assert math.isclose(haversine_km(0, 179.99, [0], [-179.99])[0], 2.22, abs_tol=0.01)


def test_broader_terms_come_only_from_records_with_a_single_term() -> None:
    neoplasms, melanoma, lymphoma = (
        MeshTerm("D009369", "Neoplasms"),
        MeshTerm("D008545", "Melanoma"),
        MeshTerm("D008223", "Lymphoma"),
    )
    alone = _trial(
        "NCT00000001", conditions=["Melanoma"], condition_meshes=[melanoma], condition_ancestors=[neoplasms]
    )
    both = _trial(
        "NCT00000002",
        conditions=["Lymphoma", "Skin melanoma"],
        condition_meshes=[lymphoma, melanoma],
        condition_ancestors=[neoplasms, MeshTerm("D008206", "Lymphatic Diseases")],
    )
    graph, index = build([alone, both])
    broader = sorted((u, v) for u, v, kind in graph.edges(data="kind") if kind == "BROADER")
    assert broader == [("MeshTerm:d008545", "MeshTerm:d009369")]
    maps = sorted((u, v) for u, v, kind in graph.edges(data="kind") if kind == "MAPS_TO")
    assert maps == [
        ("Condition:lymphoma", "MeshTerm:d008223"),
        ("Condition:melanoma", "MeshTerm:d008545"),
        ("Condition:skinmelanoma", "MeshTerm:d008545"),
    ]
    for name in ("Neoplasms", "neoplasms", "D009369", "D000009369"):
        found = find_trials(graph, index, TrialFilter(mesh_term=name))
        assert [graph.store.id(int(p)) for p in found] == ["Trial:NCT00000001", "Trial:NCT00000002"]
    lymphatic = find_trials(graph, index, TrialFilter(condition="Lymphatic Diseases"))
    assert [graph.store.id(int(p)) for p in lymphatic] == ["Trial:NCT00000002"]
