"""GEXF, Cytoscape.js JSON and Neo4j CSV exports, read back whole by their readers."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree

from graph.build.loading import TrialGraph, load_graph
from graph.export import FORMATS, export_file, select
from graph.export.attributes import display_label
from graph.export.output import write_file
from graph.model import NodeKind
from graph.query.traversal import neighborhood
from tests.paths import CTGOV, SEEDS, SHARED

CENTER = "Trial:NCT00184067"
NASTY = "bell\x07 <b>&amp;</b> \"quoted\" 'single'\r\nnext line\ttab end"
SURVIVED = NASTY.replace("\x07", "\ufffd")
Nodes = dict[str, dict[str, Any]]
Edges = dict[tuple[str, str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def shared() -> TrialGraph:
    return load_graph([CTGOV, SEEDS])


def _original(graph: nx.MultiDiGraph, nodes: list[str] | None = None) -> tuple[Nodes, Edges]:
    chosen = set(graph) if nodes is None else set(nodes)
    return (
        {node: dict(data) for node, data in graph.nodes(data=True) if node in chosen},
        {
            (source, target, key): dict(data)
            for source, target, key, data in graph.edges(keys=True, data=True)
            if source in chosen and target in chosen
        },
    )


def _nasty_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(dataVersion="v-test")
    graph.add_node("Trial:NCT1", kind="Trial", nctId="NCT1", summary=NASTY, spellings="A\nB", enrollment=40)
    graph.add_node("Arm:NCT1--1", kind="Arm", label="Arm A", position=0, trial="NCT1")
    graph.add_node("Site:x", kind="Site", latitude=42.5, zip="02115", open=True)
    graph.add_edge("Trial:NCT1", "Site:x", key="CONDUCTED_AT", kind="CONDUCTED_AT", note=NASTY)
    graph.add_edge("Trial:NCT1", "Arm:NCT1--1", key="HAS_ARM", kind="HAS_ARM", position=0)
    graph.add_node("Organization:acme", kind="Organization", name="Acme")
    graph.add_edge(
        "Trial:NCT1", "Organization:acme", key="SPONSORED_BY:LEAD", kind="SPONSORED_BY", role="LEAD"
    )
    graph.add_edge("Trial:NCT1", "Organization:acme", key="RESPONSIBLE_PARTY", kind="RESPONSIBLE_PARTY")
    return graph


# -- GEXF ---------------------------------------------------------------------------------------


def _gexf_label(node: str, data: dict[str, Any]) -> str:
    return str(data["label"]) if "label" in data else display_label(node, data)


def _read_gexf(path: Path) -> tuple[Nodes, Edges]:
    read = nx.read_gexf(path)
    assert isinstance(read, nx.MultiDiGraph)  # networkx keys edges by their networkx_key
    nodes = {node: dict(data) for node, data in read.nodes(data=True)}
    return nodes, {
        (source, target, key): dict(data) for source, target, key, data in read.edges(keys=True, data=True)
    }


def _expected_gexf(
    nodes: Nodes, edges: Edges, edge_ids: dict[tuple[str, str, str], str]
) -> tuple[Nodes, Edges]:
    return (
        {node: {**data, "label": _gexf_label(node, data)} for node, data in nodes.items()},
        {ends: {**data, "id": edge_ids[ends], "label": data["kind"]} for ends, data in edges.items()},
    )


def _gexf_edge_ids(path: Path) -> dict[tuple[str, str, str], str]:
    """Edge ids by ends and key, read from the file itself."""
    root = etree.parse(str(path)).getroot()
    namespace = "{http://gexf.net/1.3}"
    key_id = next(
        attribute.get("id")
        for attributes in root.iter(f"{namespace}attributes")
        if attributes.get("class") == "edge"
        for attribute in attributes
        if attribute.get("title") == "networkx_key"
    )
    ids = {}
    for edge in root.iter(f"{namespace}edge"):
        key = next(
            value.get("value") for value in edge.iter(f"{namespace}attvalue") if value.get("for") == key_id
        )
        assert edge.get("kind") == edge.get("label")
        ids[(edge.get("source"), edge.get("target"), key)] = edge.get("id")
    return ids


def test_gexf_reads_back_whole_in_networkx(shared: TrialGraph, tmp_path: Path) -> None:
    path = tmp_path / "whole.gexf"
    export_file(select(shared.graph), "gexf", path)
    edge_ids = _gexf_edge_ids(path)
    assert sorted(edge_ids.values()) == sorted(
        f"e{number}" for number in range(shared.graph.number_of_edges())
    )
    assert _read_gexf(path) == _expected_gexf(*_original(shared.graph), edge_ids)
    description = etree.parse(str(path)).getroot().findtext(".//{http://gexf.net/1.3}description")
    assert description.splitlines()[:2] == [f"dataVersion: {shared.version}", "selection: whole graph"]


def test_gexf_keeps_text_types_and_line_feeds(tmp_path: Path) -> None:
    path = tmp_path / "nasty.gexf"
    graph = _nasty_graph()
    export_file(select(graph), "gexf", path)
    nodes, edges = _read_gexf(path)
    assert nodes["Trial:NCT1"] == {
        "kind": "Trial",
        "nctId": "NCT1",
        "summary": SURVIVED,
        "spellings": "A\nB",
        "enrollment": 40,
        "label": "NCT1",
    }
    assert nodes["Arm:NCT1--1"] == {"kind": "Arm", "label": "Arm A", "position": 0, "trial": "NCT1"}
    assert nodes["Site:x"] == {
        "kind": "Site",
        "latitude": 42.5,
        "zip": "02115",
        "open": True,
        "label": "Site:x",
    }
    assert edges[("Trial:NCT1", "Site:x", "CONDUCTED_AT")]["note"] == SURVIVED


# -- Cytoscape.js JSON ------------------------------------------------------------------------


def _read_cytoscape(path: Path) -> tuple[dict[str, Any], Nodes, Edges]:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(document) == ["data", "elements"]
    assert sorted(document["elements"]) == ["edges", "nodes"]
    nodes = {element["data"]["id"]: element["data"] for element in document["elements"]["nodes"]}
    edges = {
        (element["data"]["source"], element["data"]["target"], element["data"]["key"]): element["data"]
        for element in document["elements"]["edges"]
    }
    return document["data"], nodes, edges


def test_cytoscape_json_reads_back_whole(shared: TrialGraph, tmp_path: Path) -> None:
    path = tmp_path / "whole.cyjs"
    export_file(select(shared.graph), "cytoscape", path)
    metadata, nodes, edges = _read_cytoscape(path)
    original_nodes, original_edges = _original(shared.graph)
    assert nodes == {
        node: {"id": node, "label": display_label(node, data), **data}
        for node, data in original_nodes.items()
    }
    numbered = {ends: data["id"] for ends, data in edges.items()}
    assert sorted(numbered.values()) == sorted(f"e{number}" for number in range(len(original_edges)))
    assert edges == {
        (source, target, key): {
            "id": numbered[(source, target, key)],
            "source": source,
            "target": target,
            "key": key,
            **data,
        }
        for (source, target, key), data in original_edges.items()
    }
    assert metadata == {
        "dataVersion": shared.version,
        "selection": "whole graph",
        "exportedAt": metadata["exportedAt"],
        "trials": shared.graph.graph["trials"],
        "sourceDocuments": shared.graph.graph["sourceDocuments"],
    }


def test_cytoscape_json_keeps_text_and_types(tmp_path: Path) -> None:
    path = tmp_path / "nasty.cyjs"
    export_file(select(_nasty_graph()), "cytoscape", path)
    _, nodes, edges = _read_cytoscape(path)
    assert nodes["Trial:NCT1"]["summary"] == NASTY  # JSON can hold every character
    assert nodes["Site:x"] == {
        "id": "Site:x",
        "label": "Site:x",
        "kind": "Site",
        "latitude": 42.5,
        "zip": "02115",
        "open": True,
    }
    assert nodes["Arm:NCT1--1"]["label"] == "Arm A"
    assert edges[("Trial:NCT1", "Arm:NCT1--1", "HAS_ARM")]["position"] == 0


# -- Neo4j CSV ----------------------------------------------------------------------------------

_CONVERT: dict[str, Callable[[str], Any]] = {
    "": str,
    "long": int,
    "double": float,
    "boolean": {"true": True, "false": False}.__getitem__,
}


def _column(header: str) -> tuple[str, Callable[[str], Any]]:
    """A header's key and converter: ``enrollment:long`` is ``enrollment``, an int; ``:LABEL`` is
    ``LABEL`` and ``id:ID`` is ``id``, strings."""
    name, _, kind = header.partition(":")
    return name or kind, _CONVERT.get(kind, str)


def _typed_rows(archive: zipfile.ZipFile, name: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The header of a CSV file, and its rows with each value converted by its header's type."""
    reader = csv.reader(io.TextIOWrapper(archive.open(name), encoding="utf-8", newline=""))
    header = next(reader)
    columns = [_column(column) for column in header]

    def rows() -> Iterator[dict[str, Any]]:
        for row in reader:
            yield {
                key: convert(value) for (key, convert), value in zip(columns, row, strict=True) if value != ""
            }

    return header, rows()


def _read_csv(path: Path) -> tuple[zipfile.ZipFile, Nodes, Edges]:
    archive = zipfile.ZipFile(path)
    header, node_rows = _typed_rows(archive, "nodes.csv")
    assert header[:2] == ["id:ID", ":LABEL"]
    nodes = {row.pop("id"): {"kind": row.pop("LABEL"), **row} for row in node_rows}
    header, edge_rows = _typed_rows(archive, "relationships.csv")
    assert header[:4] == [":START_ID", ":END_ID", ":TYPE", "key"]
    edges: Edges = {}
    for row in edge_rows:
        ends = (row.pop("START_ID"), row.pop("END_ID"), row.pop("key"))
        edges[ends] = {"kind": row.pop("TYPE"), **row}
    return archive, nodes, edges


def test_csv_zip_reads_back_whole_by_its_headers(shared: TrialGraph, tmp_path: Path) -> None:
    path = tmp_path / "whole.csv.zip"
    export_file(select(shared.graph), "csv", path)
    archive, nodes, edges = _read_csv(path)
    assert archive.namelist() == ["nodes.csv", "relationships.csv", "metadata.json", "README.txt"]
    assert (nodes, edges) == _original(shared.graph)
    metadata = json.loads(archive.read("metadata.json"))
    assert (metadata["dataVersion"], metadata["selection"]) == (shared.version, "whole graph")
    assert (
        "--multiline-fields=true" in metadata["import"]
        and metadata["import"] in archive.read("README.txt").decode()
    )
    header = next(csv.reader(io.TextIOWrapper(archive.open("nodes.csv"), encoding="utf-8")))
    assert {"enrollment:long", "latitude:double", "hasResults:boolean", "name"} <= set(header)


def test_csv_keeps_text_and_types(tmp_path: Path) -> None:
    path = tmp_path / "nasty.csv.zip"
    export_file(select(_nasty_graph()), "csv", path)
    _, nodes, edges = _read_csv(path)
    assert (nodes, edges) == _original(_nasty_graph())


# -- every format -----------------------------------------------------------------------------


def _read_any(fmt: str, path: Path) -> tuple[Nodes, Edges]:
    if fmt == "gexf":
        return _read_gexf(path)
    if fmt == "cytoscape":
        return _read_cytoscape(path)[1:]
    if fmt == "csv":
        return _read_csv(path)[1:]
    read = nx.read_graphml(path, force_multigraph=True)
    return dict(read.nodes(data=True)), {(s, t, d["key"]): d for s, t, d in read.edges(data=True)}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_site_says_whether_it_is_anonymised_as_a_boolean(tmp_path: Path, fmt: str) -> None:
    # A registry record (studies.zip) listing five named sites and two "Novartis Investigative Site"s.
    with zipfile.ZipFile(SHARED / "data" / "registry" / "studies.zip") as archive:
        archive.extract("NCT00231166.json", tmp_path)
    graph = load_graph([tmp_path / "NCT00231166.json"]).graph
    path = tmp_path / f"trial{FORMATS[fmt].extension}"
    export_file(select(graph), fmt, path)
    nodes, _ = _read_any(fmt, path)
    sites = {node: data["anonymized"] for node, data in nodes.items() if data["kind"] == "Site"}
    assert sites == {node: graph.nodes[node]["anonymized"] for node in graph.ids_of(NodeKind.SITE)}
    assert {type(value) for value in sites.values()} == {bool}
    assert sorted(node for node, anonymized in sites.items() if anonymized) == [
        "Site:novartisinvestigativesite--herston--australia--4029",
        "Site:novartisinvestigativesite--prahran--australia--3181",
    ]
    assert len(sites) == 7


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_neighborhood_export_is_the_neighborhood(shared: TrialGraph, tmp_path: Path, fmt: str) -> None:
    chosen = select(shared.graph, CENTER, 2)
    path = tmp_path / FORMATS[fmt].filename(chosen)
    export_file(chosen, fmt, path)
    expected = neighborhood(shared.graph, CENTER, 2)
    nodes, edges = _read_any(fmt, path)
    assert sorted(nodes) == expected.nodes
    assert sorted(edges) == [(link.source, link.target, link.key) for link in expected.links]
    assert path.name == f"trialgraph-{shared.version}-Trial_NCT00184067-2{FORMATS[fmt].extension}"


def _watched(chunks: Iterator[bytes], folder: Path, sizes: list[int]) -> Iterator[bytes]:
    """``chunks``, noting how large the partial file has grown before each one."""
    for chunk in chunks:
        sizes.append(sum(path.stat().st_size for path in folder.iterdir() if path.name.endswith(".part")))
        yield chunk


def test_a_writer_failing_midway_leaves_no_file(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(
        (f"Site:s{number}", {"kind": "Site", "city": "Lyon " * 40}) for number in range(2000)
    )
    graph.add_node("Site:last", kind="Site", latitude=math.nan)  # JSON has no NaN
    target = tmp_path / "graph.cyjs"
    sizes: list[int] = []
    with pytest.raises(ValueError, match="node Site:last: Out of range float values"):
        write_file(_watched(FORMATS["cytoscape"].chunks(select(graph)), tmp_path, sizes), target)
    assert max(sizes) > 100_000  # it did fail midway, with a partial file written
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_structural_attribute_names_are_refused(tmp_path: Path, fmt: str) -> None:
    graph = nx.MultiDiGraph()
    graph.add_edge("Trial:NCT1", "Site:x", key="CONDUCTED_AT", kind="CONDUCTED_AT", source="registry")
    with pytest.raises(ValueError, match="reserved"):
        export_file(select(graph), fmt, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
