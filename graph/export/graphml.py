"""GraphML 1.1, streamed: what yEd, Gephi, Cytoscape, igraph and networkx open.

The file is valid against the GraphML 1.1 XSD. Each attribute is declared once by a ``<key>``
with one type (``string``, ``long``, ``double`` or ``boolean``, see
:mod:`graph.export.attributes`) and a ``<desc>`` saying how to read it. Keys are per domain:
a name may have one type on nodes and another on edges (igraph 1.0 reads that as declared).
Edges have ids ``e0``, ``e1``, ... unique in the file; the networkx multigraph key
(``KIND`` or ``KIND:qualifier``) is the edge attribute ``key`` (igraph misreads an edge
attribute called ``id``). A list is a string of its items joined by a line feed. Graph-level
``<data>`` holds the data version, the selection, the export time, the number of trials and
the source documents.

Read back, networkx gives the same node ids, edges and values (ints as ints); igraph gives
the same counts, reads integers as floats and a missing boolean as false.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from graph.compact.store import SHARED_EDGE_BYTES, SHARED_EDGE_DICTS, GraphStore
from graph.export.attributes import AttributeTypes, ValueType, scan_attributes, value_text
from graph.export.blocks import Block, rendered_blocks
from graph.export.output import encoded
from graph.export.selection import GraphExport
from graph.export.xmltext import has_escaped_bytes, xml_attribute, xml_text

MEDIA_TYPE = "application/graphml+xml"

_XSD_TYPES = {
    ValueType.STRING: "string",
    ValueType.INTEGER: "long",
    ValueType.REAL: "double",
    ValueType.BOOLEAN: "boolean",
}
_TYPE_NOTES = {
    ValueType.STRING: "Text; a list is its items joined by a line feed (U+000A).",
    ValueType.INTEGER: "A whole number (igraph reads it as a real number).",
    ValueType.REAL: "A real number.",
    ValueType.BOOLEAN: "true or false; absent where unknown (igraph reads an absent value as false).",
}
_NOTES = {
    ("graph", "dataVersion"): "Version of the loaded trial data; it changes whenever the data does.",
    ("graph", "selection"): "What was exported: 'whole graph', or 'node=ID hops=N' for a neighborhood.",
    ("graph", "exportedAt"): "When this file was written (UTC, ISO 8601).",
    ("graph", "trials"): "How many trials this file holds.",
    ("graph", "sourceDocuments"): "The files this file's trials were read from, one per line.",
    (
        "node",
        "kind",
    ): "Node kind: Trial, Condition, Organization, Investigator, Site, Country, Arm, Intervention, MeshTerm.",
    ("edge", "kind"): "Edge kind, such as STUDIES or SPONSORED_BY.",
    ("edge", "key"): "The edge's key among the edges between its two nodes: KIND or KIND:qualifier.",
}
_TAIL = "  </graph>\n</graphml>\n"
_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.1/graphml.xsd">
  <desc>A trialgraph export: clinical trials and the conditions, organizations, investigators, \
sites, countries, arms and interventions they name. Node ids are Kind:key.</desc>
"""


def graphml_pieces(export: GraphExport) -> Iterator[str]:
    """The GraphML document of ``export``, a line per node and per edge.

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.export.selection import select
    >>> g = nx.MultiDiGraph(dataVersion="v1")
    >>> g.add_node("Trial:NCT1", kind="Trial", enrollment=40)
    >>> g.add_node("Condition:flu", kind="Condition", name="<A&B>")
    >>> _ = g.add_edge("Trial:NCT1", "Condition:flu", key="STUDIES", kind="STUDIES")
    >>> text = "".join(graphml_pieces(select(g)))
    >>> print(text[text.index("    <node"):text.index("  </graph>")], end="")
        <node id="Trial:NCT1"><data key="d5">Trial</data><data key="d6">40</data></node>
        <node id="Condition:flu"><data key="d5">Condition</data><data key="d7">&lt;A&amp;B&gt;</data></node>
        <edge id="e0" source="Trial:NCT1" target="Condition:flu"><data key="d9">STUDIES</data><data \
key="d8">STUDIES</data></edge>
    """
    head, lines = _document(export)
    yield head
    for node, data in export.nodes():
        yield lines.node(node, data)
    for number, (source, target, key, data) in enumerate(export.edges()):
        yield lines.edge(number, source, target, key, data)
    yield _TAIL


def graphml_chunks(export: GraphExport, jobs: int = 1) -> Iterator[bytes]:
    """The GraphML document of ``export`` as UTF-8 chunks (see :mod:`graph.export.output`).

    A whole compact graph is written a block of the store's nodes or edges at a time
    (:mod:`graph.export.blocks`), by ``jobs`` worker processes when that is above 1: the same
    bytes as :func:`graphml_pieces`, sooner, in flat memory.
    """
    store = export.whole_store()
    if store is None:
        return encoded(graphml_pieces(export))
    return _written_in_blocks(export, store, jobs)


def _written_in_blocks(export: GraphExport, store: GraphStore, jobs: int) -> Iterator[bytes]:
    head, lines = _document(export)
    yield head.encode()
    yield from rendered_blocks(store, lines.block, jobs)  # closing this closes any workers
    yield _TAIL.encode()


def _document(export: GraphExport) -> tuple[str, _Lines]:
    """Everything before the first node, and what writes the nodes' and edges' lines."""
    types = scan_attributes(export).with_edge_key()
    graph_keys, node_keys, edge_keys = _key_ids(types)
    head = [_HEADER, *_declarations(types, graph_keys, node_keys, edge_keys)]
    head.append('  <graph id="G" edgedefault="directed">\n')
    for name, value in export.metadata.items():
        head.append(f'    <data key="{graph_keys[name]}">{xml_text(value_text(value))}</data>\n')
    return "".join(head), _Lines(node_keys, edge_keys)


class _Lines:
    """The ``<node>`` and ``<edge>`` lines, one at a time or a block of a store's at once."""

    def __init__(self, node_keys: dict[str, str], edge_keys: dict[str, str]) -> None:
        self.node_data = {name: f'<data key="{key_id}">' for name, key_id in node_keys.items()}
        self.edge_data = {name: f'<data key="{key_id}">' for name, key_id in edge_keys.items()}
        self.key_data = self.edge_data["key"]
        # A store's small edge attribute dicts are stored once and shared by the edges holding
        # them: their <data> elements, by where their bytes start, made once per process.
        self.shared_edge_data: dict[int, str] = {}

    def node(self, node: str, data: dict[str, object], values: _Values | None = None) -> str:
        """A node's line, its attributes written by ``values`` (by default escaping them all)."""
        return f'    <node id="{xml_attribute(node)}">{(values or _data)(data, self.node_data)}</node>\n'

    def edge(self, number: int, source: str, target: str, key: str, data: dict[str, object]) -> str:
        return (
            f'    <edge id="e{number}" source="{xml_attribute(source)}" target="{xml_attribute(target)}">'
            f"{self.key_data}{xml_text(key)}</data>{_data(data, self.edge_data)}</edge>\n"
        )

    def block(self, store: GraphStore, block: Block) -> bytes:
        """The lines of the block's nodes or edges (numbered by their place), as UTF-8."""
        if block.edges:
            return self._edges(store, block.lo, block.hi)
        return self._nodes(list(store.node_items(start=block.lo, stop=block.hi)))

    def _nodes(self, items: list[tuple[str, dict[str, object]]]) -> bytes:
        """The lines of these nodes, as UTF-8.

        Searching every value with a regular expression for what needs escaping was most of the
        time of a node's line (values are long: titles, summaries, criteria): the lines are
        first made escaping only markup (:func:`_marked`), then their bytes are searched once
        for anything else (:func:`_written`); only if something is found are the lines made
        again escaping every value."""
        written = _written("".join([self.node(node, data, _marked) for node, data in items]))
        return written or "".join([self.node(node, data) for node, data in items]).encode()

    def _edges(self, store: GraphStore, lo: int, hi: int, escape_all: bool = False) -> bytes:
        """Edges ``lo`` to ``hi`` of a store, as UTF-8: each id escaped once, each key's and each
        shared attribute dict's elements made once; the others first escaping only markup and,
        as for nodes, made again escaping all (``escape_all``) if they hold anything else to
        escape."""
        columns = store.edge_columns(lo, hi)
        nodes, key_names = store.names_in(columns)
        ids = {position: xml_attribute(node) for position, node in nodes.items()}
        keys = {code: f"{self.key_data}{xml_text(key)}</data>" for code, key in key_names.items()}
        shared, opening = self.shared_edge_data, self.edge_data
        values = _data if escape_all else _marked
        lines, own = [], []
        for number, (source, target, code, start, length) in enumerate(columns.rows(), lo):
            data = shared.get(start)
            if data is None:
                attributes = store.edge_attributes_at(start, length)
                if length < SHARED_EDGE_BYTES and len(shared) < SHARED_EDGE_DICTS:
                    data = shared[start] = _data(attributes, opening)
                else:
                    data = values(attributes, opening)
                    own.append(data)
            ends = f'source="{ids[source]}" target="{ids[target]}"'
            lines.append(f'    <edge id="e{number}" {ends}>{keys[code]}{data}</edge>\n')
        if not escape_all and _written("".join(own)) is None:
            return self._edges(store, lo, hi, escape_all=True)
        return "".join(lines).encode()


# Writes the <data> elements of one node's or edge's attributes, given each name's opening tag.
_Values = Callable[[dict[str, object], dict[str, str]], str]


def _written(text: str) -> bytes | None:
    """``text`` (made escaping only markup) as UTF-8; ``None`` if it holds anything else XML
    needs replaced or written as a reference (see :func:`has_escaped_bytes`; a lone surrogate
    UTF-8 cannot write)."""
    try:
        written = text.encode()
    except UnicodeEncodeError:
        return None
    return None if has_escaped_bytes(written) else written


def _marked(data: dict[str, object], opening: dict[str, str]) -> str:
    """The ``<data>`` elements of one node's or edge's attributes with only ``&``, ``<`` and
    ``>`` escaped: what :func:`_data` writes for text without what ``has_escaped_bytes`` finds."""
    elements = []
    for name, value in data.items():
        text = value if type(value) is str else value_text(value)  # type: ignore[arg-type]
        if "&" in text or "<" in text or ">" in text:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        elements.append(f"{opening[name]}{text}</data>")
    return "".join(elements)


def _data(data: dict[str, object], opening: dict[str, str]) -> str:
    """The ``<data>`` elements of one node's or edge's attributes; only text needs escaping."""
    return "".join(
        f"{opening[name]}{xml_text(value) if isinstance(value, str) else value_text(value)}</data>"  # type: ignore[arg-type]
        for name, value in data.items()
    )


def _key_ids(types: AttributeTypes) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    numbers = iter(range(len(types.graph) + len(types.nodes) + len(types.edges)))
    return tuple(  # type: ignore[return-value]
        {name: f"d{next(numbers)}" for name in domain} for domain in (types.graph, types.nodes, types.edges)
    )


def _declarations(
    types: AttributeTypes, graph_keys: dict[str, str], node_keys: dict[str, str], edge_keys: dict[str, str]
) -> Iterator[str]:
    for domain, declared, ids in (
        ("graph", types.graph, graph_keys),
        ("node", types.nodes, node_keys),
        ("edge", types.edges, edge_keys),
    ):
        for name, kind in declared.items():
            note = _NOTES.get((domain, name), _TYPE_NOTES[kind])
            yield (
                f'  <key id="{ids[name]}" for="{domain}" attr.name="{xml_attribute(name)}" '
                f'attr.type="{_XSD_TYPES[kind]}"><desc>{xml_text(note)}</desc></key>\n'
            )
