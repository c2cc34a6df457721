"""GraphML exports: valid against the 1.1 XSD, read back whole by networkx and by igraph."""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest
from lxml import etree

from graph.build.loading import TrialGraph, load_graph, open_snapshot, save_snapshot
from graph.compact.graph import CompactGraph
from graph.compact.store import GraphStore
from graph.export import FORMATS, export_file, graphml, select
from graph.export.attributes import ValueType, scan_attributes
from graph.export.blocks import Block, rendered_in_parallel
from graph.export.graphml import graphml_chunks, graphml_pieces
from graph.export.output import encoded, write_file
from graph.model import LIST_SEPARATOR
from graph.query.traversal import neighborhood
from tests.paths import CTGOV, GRAPHML_XSD, SEEDS

NS = "{http://graphml.graphdrawing.org/xmlns}"
XSD_ADDRESS = "http://graphml.graphdrawing.org/xmlns/1.1/"
CENTER = "Trial:NCT00184067"


class _LocalSchemas(etree.Resolver):  # type: ignore[misc]
    """The GraphML schema set from the shared folder, never from the network."""

    def resolve(self, url: str, pubid: str, context: Any) -> Any:
        if url.startswith(XSD_ADDRESS):
            return self.resolve_filename(str(GRAPHML_XSD / url.removeprefix(XSD_ADDRESS)), context)
        return None


@pytest.fixture(scope="module")
def graphml_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(GRAPHML_XSD / "graphml.xsd"), parser))


@pytest.fixture(scope="module")
def shared() -> TrialGraph:
    return load_graph([CTGOV, SEEDS])


@pytest.fixture(scope="module")
def whole_file(shared: TrialGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("graphml") / "whole.graphml"
    export_file(select(shared.graph), "graphml", path)
    return path


def _validate(schema: etree.XMLSchema, path: Path) -> list[str]:
    schema.validate(etree.parse(str(path), etree.XMLParser(no_network=True)))
    return [f"{error.line}: {error.message}" for error in schema.error_log]


def _edges_by_key(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Edges read back, by their original key (the ``key`` attribute), without it."""
    found = {}
    for source, target, data in graph.edges(data=True):
        values = dict(data)
        found[(source, target, values.pop("key"))] = values
    return found


def _documents(shared: TrialGraph, trials: list[str]) -> str:
    listed = (shared.graph.nodes[f"Trial:{nct}"]["sourceDocuments"] for nct in trials)
    paths = {path for paths in listed for path in paths.split(LIST_SEPARATOR)}
    return LIST_SEPARATOR.join(sorted(paths))


def test_the_whole_graph_is_valid_graphml(graphml_schema: etree.XMLSchema, whole_file: Path) -> None:
    assert _validate(graphml_schema, whole_file) == []


def test_networkx_reads_back_every_node_edge_and_value(shared: TrialGraph, whole_file: Path) -> None:
    read = nx.read_graphml(whole_file, force_multigraph=True)
    assert isinstance(read, nx.MultiDiGraph)
    assert dict(read.nodes(data=True)) == dict(shared.graph.nodes(data=True))
    assert _edges_by_key(read) == {(s, t, k): d for s, t, k, d in shared.graph.edges(keys=True, data=True)}
    enrollment = read.nodes["Trial:NCT00184067"]["enrollment"]
    assert (type(enrollment), type(read.nodes["Trial:NCT00184067"]["hasResults"])) == (int, bool)
    exported_at = read.graph["exportedAt"]
    assert read.graph == {
        "node_default": {},
        "edge_default": {},
        "dataVersion": shared.version,
        "selection": "whole graph",
        "exportedAt": exported_at,
        "trials": shared.graph.graph["trials"],
        "sourceDocuments": LIST_SEPARATOR.join(shared.graph.graph["sourceDocuments"]),
    }
    assert exported_at.endswith("Z") and len(exported_at) == len("2025-01-01T00:00:00Z")


def test_igraph_reads_back_the_same_nodes_and_edges(shared: TrialGraph, whole_file: Path) -> None:
    read = igraph.Graph.Read_GraphML(str(whole_file))
    assert (read.vcount(), read.ecount()) == (shared.graph.number_of_nodes(), shared.graph.number_of_edges())
    assert sorted(read.vs["id"]) == sorted(shared.graph.nodes)
    ends = Counter(
        (read.vs[edge.source]["id"], read.vs[edge.target]["id"], edge["key"], edge["kind"])
        for edge in read.es
    )
    assert ends == Counter((s, t, k, d["kind"]) for s, t, k, d in shared.graph.edges(keys=True, data=True))
    trial = read.vs.find(id="Trial:NCT00184067")
    assert trial["enrollment"] == shared.graph.nodes["Trial:NCT00184067"]["enrollment"]  # as a float
    assert read["dataVersion"] == shared.version


def test_each_key_is_declared_once_and_each_edge_id_is_unique(shared: TrialGraph, whole_file: Path) -> None:
    root = etree.parse(str(whole_file), etree.XMLParser(no_network=True)).getroot()
    keys = [(key.get("for"), key.get("attr.name")) for key in root.iter(f"{NS}key")]
    assert len(keys) == len(set(keys))
    assert all(key.find(f"{NS}desc") is not None for key in root.iter(f"{NS}key"))
    declared = {
        key.get("attr.name"): key.get("attr.type")
        for key in root.iter(f"{NS}key")
        if key.get("for") == "node"
    }
    assert {name: declared[name] for name in ("kind", "enrollment", "latitude", "hasResults")} == {
        "kind": "string",
        "enrollment": "long",
        "latitude": "double",
        "hasResults": "boolean",
    }
    edge_ids = [edge.get("id") for edge in root.iter(f"{NS}edge")]
    assert edge_ids == [f"e{number}" for number in range(shared.graph.number_of_edges())]


def test_text_with_control_characters_and_markup_survives(
    graphml_schema: etree.XMLSchema, tmp_path: Path
) -> None:
    graph = nx.MultiDiGraph(dataVersion="v-test")
    nasty = "bell\x07 <b>&amp;</b> \"quoted\" 'single'\r\nnext line\ttab \ud800 end"
    graph.add_node("Trial:NCT1", kind="Trial", nctId="NCT1", summary=nasty, spellings="A\nB")
    graph.add_node("Site:x", kind="Site", zip="02115")
    graph.add_node("Site:y", kind="Site", zip=2115)  # one name, two types: declared a string
    graph.add_edge("Trial:NCT1", "Site:x", key="CONDUCTED_AT", kind="CONDUCTED_AT", note=nasty)
    graph.add_edge("Trial:NCT1", "Site:y", key="CONDUCTED_AT", kind="CONDUCTED_AT")
    path = tmp_path / "nasty.graphml"
    export_file(select(graph), "graphml", path)

    assert _validate(graphml_schema, path) == []
    text = path.read_text(encoding="utf-8")
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in text and "&#13;" in text and "\x07" not in text
    survived = nasty.replace("\x07", "\ufffd").replace("\ud800", "\ufffd")
    read = nx.read_graphml(path, force_multigraph=True)
    assert read.nodes["Trial:NCT1"] == {
        "kind": "Trial",
        "nctId": "NCT1",
        "summary": survived,
        "spellings": "A\nB",
    }
    assert (read.nodes["Site:x"]["zip"], read.nodes["Site:y"]["zip"]) == ("02115", "2115")
    assert _edges_by_key(read)[("Trial:NCT1", "Site:x", "CONDUCTED_AT")] == {
        "kind": "CONDUCTED_AT",
        "note": survived,
    }
    assert igraph.Graph.Read_GraphML(str(path)).vs.find(id="Trial:NCT1")["summary"] == survived


def test_a_neighborhood_export_is_the_neighborhood(shared: TrialGraph, tmp_path: Path) -> None:
    path = tmp_path / FORMATS["graphml"].filename(select(shared.graph, CENTER, 2))
    export_file(select(shared.graph, CENTER, 2), "graphml", path)
    expected = neighborhood(shared.graph, CENTER, 2)
    read = nx.read_graphml(path, force_multigraph=True)
    assert path.name == f"trialgraph-{shared.version}-Trial_NCT00184067-2.graphml"
    assert sorted(read.nodes) == expected.nodes
    assert sorted(_edges_by_key(read)) == [(link.source, link.target, link.key) for link in expected.links]
    assert {node: read.nodes[node] for node in read} == {
        node: shared.graph.nodes[node] for node in expected.nodes
    }
    trials = [node.split(":", 1)[1] for node in expected.nodes if node.startswith("Trial:")]
    assert (read.graph["selection"], read.graph["trials"]) == (f"node={CENTER} hops=2", len(trials))
    assert read.graph["sourceDocuments"] == _documents(shared, trials)


def _interrupted(chunks: Iterator[bytes], folder: Path, after: int) -> Iterator[bytes]:
    """``chunks`` until ``after`` of them are out, then Ctrl-C, once the partial file holds them."""
    yield from itertools.islice(chunks, after)
    partial = [path for path in folder.iterdir() if path.name.endswith(".part")]
    assert len(partial) == 1
    raise KeyboardInterrupt


def test_an_interrupted_export_leaves_no_file(shared: TrialGraph, tmp_path: Path) -> None:
    target = tmp_path / "whole.graphml"
    chunks = graphml_chunks(select(shared.graph))
    with pytest.raises(KeyboardInterrupt):
        write_file(_interrupted(chunks, tmp_path, after=3), target)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_the_previous_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "graph.graphml"
    target.write_text("the previous export")
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((f"Condition:c{number}", {"kind": "Condition"}) for number in range(1000))
    graph.add_node("Condition:broken", kind="Condition", spellings=["a", "list"])  # not GraphML-safe
    with pytest.raises(TypeError, match=r"node Condition:broken: attribute 'spellings' holds a list"):
        export_file(select(graph), "graphml", target)
    assert [path.name for path in tmp_path.iterdir()] == ["graph.graphml"]
    assert target.read_text() == "the previous export"


def test_the_types_kept_when_the_graph_was_built_are_those_a_pass_over_the_values_finds(
    shared: TrialGraph, tmp_path: Path
) -> None:
    # A whole compact graph declares the types its store was assembled with (no pass over the
    # values); they must be what that pass finds, for the loaded graph and its snapshot alike.
    whole = select(shared.graph)
    assert whole.value_types() is not None
    unknown = CompactGraph(dataclasses.replace(shared.graph.store, value_types={}))
    passed = scan_attributes(select(unknown))
    assert select(unknown).value_types() is None
    assert scan_attributes(whole) == passed
    save_snapshot(shared, tmp_path / "graph.snapshot")
    assert scan_attributes(select(open_snapshot(tmp_path / "graph.snapshot").graph)) == passed
    assert passed.nodes["enrollment"] == ValueType.INTEGER and passed.nodes["latitude"] == ValueType.REAL
    assert passed.edges["position"] == ValueType.INTEGER and passed.nodes["kind"] == ValueType.STRING


def test_kept_types_refuse_what_graphml_cannot_hold(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("Condition:a", kind="Condition", name="a")
    graph.add_node("Condition:broken", kind="Condition", note=None)
    with pytest.raises(TypeError, match=r"nodes: attribute 'note' holds a NoneType"):
        export_file(select(CompactGraph.from_networkx(graph)), "graphml", tmp_path / "out.graphml")
    graph.nodes["Condition:broken"]["id"] = graph.nodes["Condition:broken"].pop("note") or "x"
    with pytest.raises(ValueError, match=r"nodes: the attribute name 'id' is reserved for the format"):
        export_file(select(CompactGraph.from_networkx(graph)), "graphml", tmp_path / "out.graphml")
    assert list(tmp_path.iterdir()) == []


# Python 3.12 warns about any fork in a process with threads; these workers only render bytes.
FORK_WARNING = "ignore:This process .* is multi-threaded:DeprecationWarning"


@pytest.mark.filterwarnings(FORK_WARNING)
def test_blocks_rendered_by_several_processes_are_the_lines_of_one_in_order(shared: TrialGraph) -> None:
    export = select(shared.graph, exported_at=datetime(2026, 1, 2, tzinfo=UTC))
    serial = b"".join(encoded(graphml_pieces(export)))  # a line at a time, from the dicts
    assert b"".join(graphml_chunks(export)) == serial  # a block at a time, from the store's bytes
    head, lines = graphml._document(export)
    body = b"".join(rendered_in_parallel(shared.graph.store, lines.block, 3, size=7))  # every boundary
    assert head.encode() + body + graphml._TAIL.encode() == serial
    assert b"".join(graphml_chunks(export, jobs=2)) == serial
    assert serial.count(b"<edge ") == shared.graph.number_of_edges() > 7 * 100


AWKWARD = [
    "plain",
    "a & b",
    "x < y > z",
    "line\r\nbreak",
    "bell\x07",
    "non\ufffecharacter",
    "\uffff",
    "lone \ud800 surrogate",
    "tab\tand\nfeed",
    "caf\u00e9 \u2028 \U0001f600",
]


@pytest.mark.filterwarnings(FORK_WARNING)
def test_blocks_escape_what_needs_it_wherever_it_falls(
    graphml_schema: etree.XMLSchema, tmp_path: Path
) -> None:
    # Each awkward text alone in a block, beside plain ones, in the small edge attribute dicts a
    # store shares and in an edge's own: the bytes are the line-at-a-time writer's, which escapes
    # every value.
    graph = nx.MultiDiGraph(dataVersion="v-test")
    for n, text in enumerate(AWKWARD * 2):
        graph.add_node(f"Condition:{n}", kind="Condition", name=text if n % 2 else "plain", n=n)
        graph.add_node(f"Site:{n}", kind="Site", name="plain", note=text)
        graph.add_edge(f"Condition:{n}", f"Site:{n}", key="CONDUCTED_AT", kind="CONDUCTED_AT", note=text)
        graph.add_edge(
            f"Condition:{n}", f"Site:{n}", key="CONDUCTED_AT:own", kind="CONDUCTED_AT", note=f"{text} {n:064}"
        )  # too long to be shared
    export = select(CompactGraph.from_networkx(graph), exported_at=datetime(2026, 1, 2, tzinfo=UTC))
    assert export.whole_store() is not None
    serial = b"".join(encoded(graphml_pieces(export)))
    assert b"".join(graphml_chunks(export)) == serial
    head, lines = graphml._document(export)
    for size in (1, 2, 3, 1024):
        body = b"".join(rendered_in_parallel(export.whole_store(), lines.block, 2, size=size))
        assert head.encode() + body + graphml._TAIL.encode() == serial
    path = tmp_path / "awkward.graphml"
    path.write_bytes(serial)
    assert _validate(graphml_schema, path) == []
    assert b"&#13;" in serial and "\ufffd".encode() in serial and b"\x07" not in serial


def _render_or_fail(store: GraphStore, block: Block) -> bytes:
    if block.edges and block.lo == 14:
        raise ValueError(f"edges {block.lo} to {block.hi} cannot be written")
    return f"{block}\n".encode()


@pytest.mark.filterwarnings(FORK_WARNING)
def test_an_error_in_a_worker_is_raised_and_closing_stops_the_workers(shared: TrialGraph) -> None:
    store = shared.graph.store
    with pytest.raises(ValueError, match="edges 14 to 21 cannot be written"):
        list(rendered_in_parallel(store, _render_or_fail, 2, size=7))
    assert multiprocessing.active_children() == []
    blocks = rendered_in_parallel(store, _render_or_fail, 2, size=7)
    assert next(blocks) == b"Block(edges=False, lo=0, hi=7)\n"
    blocks.close()
    assert multiprocessing.active_children() == []


@pytest.mark.filterwarnings(FORK_WARNING)
def test_an_export_by_several_processes_interrupted_leaves_no_file_and_no_workers(
    shared: TrialGraph, tmp_path: Path
) -> None:
    def interrupt(written: int) -> None:
        if written > 100_000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_file(select(shared.graph), "graphml", tmp_path / "out.graphml", jobs=2, progress=interrupt)
    assert list(tmp_path.iterdir()) == []
    assert multiprocessing.active_children() == []
