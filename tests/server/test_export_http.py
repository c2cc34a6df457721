"""`GET /export/<format>` on a live server: streamed files that read back like the file exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest

from graph.build.loading import TrialGraph, load_graph
from graph.export import FORMATS, export_file, select
from graph.query.traversal import neighborhood
from tests.live import LiveServer, live_server
from tests.paths import SEEDS

CENTER = "Trial:NCT05697718"  # the seed trial
MEDIA_TYPES = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "cytoscape": "application/json",
    "csv": "application/zip",
}
Ends = list[tuple[str, str, str]]


@pytest.fixture(scope="module")
def seed_graph() -> TrialGraph:
    return load_graph([SEEDS])


def _read(fmt: str, path: Path) -> tuple[list[str], Ends]:
    """Sorted node ids and edge ends with keys, read back by the format's reader."""
    if fmt == "graphml":
        read = nx.read_graphml(path, force_multigraph=True)
        nodes, ends = list(read), [(s, t, data["key"]) for s, t, data in read.edges(data=True)]
    elif fmt == "gexf":
        read = nx.read_gexf(path)  # a simple graph when no two edges share their ends
        edges = read.edges(keys=True) if read.is_multigraph() else read.edges(data="key")
        nodes, ends = list(read), list(edges)
    elif fmt == "cytoscape":
        elements = json.loads(path.read_text(encoding="utf-8"))["elements"]
        nodes = [element["data"]["id"] for element in elements["nodes"]]
        ends = [(e["data"]["source"], e["data"]["target"], e["data"]["key"]) for e in elements["edges"]]
    else:
        with zipfile.ZipFile(path) as archive:
            node_rows, edge_rows = (
                list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8", newline="")))
                for name in ("nodes.csv", "relationships.csv")
            )
        nodes = [row["id:ID"] for row in node_rows]
        ends = [(row[":START_ID"], row[":END_ID"], row["key"]) for row in edge_rows]
    return sorted(nodes), sorted(ends)


def _download(url: str, folder: Path) -> tuple[httpx.Response, Path]:
    response = httpx.get(url, timeout=30)
    path = folder / "download"
    path.write_bytes(response.content)
    return response, path


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_whole_graph_downloads_like_the_file_export(
    seed_server: LiveServer, seed_graph: TrialGraph, tmp_path: Path, fmt: str
) -> None:
    response, downloaded = _download(f"{seed_server.url}/export/{fmt}", tmp_path)
    exported = tmp_path / "exported"
    export_file(select(seed_graph.graph), fmt, exported)
    extension = FORMATS[fmt].extension
    assert response.status_code == 200
    assert response.headers["content-type"] == MEDIA_TYPES[fmt]
    assert response.headers["content-disposition"] == (
        f'attachment; filename="trialgraph-{seed_graph.version}{extension}"'
    )
    assert "content-length" not in response.headers  # streamed, in chunks
    assert _read(fmt, downloaded) == _read(fmt, exported)
    nodes, ends = _read(fmt, downloaded)
    assert (len(nodes), len(ends)) == (seed_graph.graph.number_of_nodes(), seed_graph.graph.number_of_edges())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_neighborhood_downloads_as_the_neighborhood(
    seed_server: LiveServer, seed_graph: TrialGraph, tmp_path: Path, fmt: str
) -> None:
    response, downloaded = _download(f"{seed_server.url}/export/{fmt}?node={CENTER}&hops=1", tmp_path)
    expected = neighborhood(seed_graph.graph, CENTER, 1)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'attachment; filename="trialgraph-{seed_graph.version}-Trial_NCT05697718-1{FORMATS[fmt].extension}"'
    )
    links = [(link.source, link.target, link.key) for link in expected.links]
    assert _read(fmt, downloaded) == (expected.nodes, links)


def test_hops_default_to_one_and_name_the_selection(seed_server: LiveServer, seed_graph: TrialGraph) -> None:
    response = httpx.get(f"{seed_server.url}/export/cytoscape", params={"node": CENTER}, timeout=30)
    document = response.json()
    expected = neighborhood(seed_graph.graph, CENTER, 1)
    assert len(expected.nodes) < seed_graph.graph.number_of_nodes()
    assert sorted(element["data"]["id"] for element in document["elements"]["nodes"]) == expected.nodes
    assert document["data"] == {
        "dataVersion": seed_graph.version,
        "selection": f"node={CENTER} hops=1",
        "exportedAt": document["data"]["exportedAt"],
        "trials": 1,
        "sourceDocuments": seed_graph.graph.graph["sourceDocuments"],
    }


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        (
            {"node": CENTER, "hops": "4"},
            400,
            {
                "error": "hops is limited to 3 (max_hops); 4 was asked for",
                "parameter": "hops",
                "limit": "max_hops",
                "maximum": 3,
            },
        ),
        (
            {"node": CENTER, "hops": "two"},
            400,
            {
                "error": "hops must be a whole number from 0 to 3 (max_hops); 'two' was sent",
                "parameter": "hops",
                "limit": "max_hops",
                "maximum": 3,
            },
        ),
        (
            {"hops": "1"},
            400,
            {"error": "hops needs node: export the neighborhood of which node?", "parameter": "node"},
        ),
        (
            {"node": "Trial:NCT99999999", "hops": "1"},
            404,
            {"error": "no node has the id 'Trial:NCT99999999'", "parameter": "node"},
        ),
    ],
)
def test_bad_parameters_get_a_json_error(
    seed_server: LiveServer, query: dict[str, str], status: int, body: dict[str, object]
) -> None:
    response = httpx.get(f"{seed_server.url}/export/graphml", params=query, timeout=30)
    assert (response.status_code, response.headers["content-type"], response.json()) == (
        status,
        "application/json",
        body,
    )


@pytest.fixture(scope="module")
def small_limit_server() -> Iterator[LiveServer]:
    with live_server([str(SEEDS)], env={"TRIALGRAPH_MAX_NEIGHBORHOOD_NODES": "5"}) as server:
        yield server


def test_a_neighborhood_over_the_size_limit_is_refused(small_limit_server: LiveServer) -> None:
    response = httpx.get(
        f"{small_limit_server.url}/export/gexf", params={"node": CENTER, "hops": "1"}, timeout=30
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "error": f"the neighborhood of {CENTER} within 1 hop(s) has more than 5 nodes "
            "(max_neighborhood_nodes); ask for fewer hops",
            "parameter": "hops",
            "limit": "max_neighborhood_nodes",
            "maximum": 5,
        },
    )


def test_an_unknown_format_is_not_found(seed_server: LiveServer) -> None:
    assert httpx.get(f"{seed_server.url}/export/dot", timeout=30).status_code == 404
