"""GEXF 1.3, streamed: what Gephi opens.

Nodes carry their display label (:func:`~graph.export.attributes.display_label`; a node's own
``label`` attribute when it has one) and every other attribute as an ``attvalue`` of a
declared type (``string``, ``long``, ``double``, ``boolean``). Edges carry their kind as
``label`` and as the GEXF 1.3 ``kind`` (Gephi's edge type, which keeps parallel edges apart),
ids ``e0``, ``e1``, ... and the networkx multigraph key as the attribute ``networkx_key``: the
name networkx's GEXF reader takes the key from (it cannot read an edge attribute ``key``). A list is a
string of its items joined by a line feed, written as ``&#10;`` so that attribute-value
normalisation keeps it. GEXF has no graph-level attributes: the metadata (data version,
selection, export time, trials, source documents) is the ``<meta>`` description, one
``name: value`` line each.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.export.attributes import ValueType, display_label, scan_attributes, value_text
from graph.export.output import encoded
from graph.export.selection import GraphExport
from graph.export.xmltext import xml_attribute, xml_text

MEDIA_TYPE = "application/gexf+xml"
EDGE_KEY = "networkx_key"

_GEXF_TYPES = {
    ValueType.STRING: "string",
    ValueType.INTEGER: "long",
    ValueType.REAL: "double",
    ValueType.BOOLEAN: "boolean",
}
_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
"""


def gexf_pieces(export: GraphExport) -> Iterator[str]:
    """The GEXF document of ``export``, a line per node and per edge.

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.export.selection import select
    >>> g = nx.MultiDiGraph(dataVersion="v1")
    >>> g.add_node("Trial:NCT1", kind="Trial", nctId="NCT1")
    >>> g.add_node("Condition:flu", kind="Condition", name="Flu")
    >>> _ = g.add_edge("Trial:NCT1", "Condition:flu", key="STUDIES", kind="STUDIES")
    >>> text = "".join(gexf_pieces(select(g)))
    >>> print(text[text.index("      <node "):text.index("    </edges>")], end="")
          <node id="Trial:NCT1" label="NCT1"><attvalues><attvalue for="0" value="Trial"/><attvalue \
for="2" value="NCT1"/></attvalues></node>
          <node id="Condition:flu" label="Flu"><attvalues><attvalue for="0" value="Condition"/><attvalue \
for="1" value="Flu"/></attvalues></node>
        </nodes>
        <edges>
          <edge id="e0" source="Trial:NCT1" target="Condition:flu" label="STUDIES" kind="STUDIES"><attvalues>\
<attvalue for="1" value="STUDIES"/><attvalue for="0" value="STUDIES"/></attvalues></edge>
    """
    types = scan_attributes(export).with_edge_key(EDGE_KEY)
    node_ids = _attribute_ids(types.nodes)
    edge_ids = _attribute_ids(types.edges)
    metadata = export.metadata
    yield _HEADER
    yield f'  <meta lastmodifieddate="{metadata.exported_at[:10]}">\n    <creator>trialgraph</creator>\n'
    description = "\n".join(f"{name}: {value_text(value)}" for name, value in metadata.items())
    yield f"    <description>{xml_text(description)}</description>\n  </meta>\n"
    yield '  <graph defaultedgetype="directed" mode="static">\n'
    for domain, declared, ids in (("node", types.nodes, node_ids), ("edge", types.edges, edge_ids)):
        yield f'    <attributes class="{domain}" mode="static">\n'
        for name, attribute_id in ids.items():
            kind = _GEXF_TYPES[declared[name]]
            yield f'      <attribute id="{attribute_id}" title="{xml_attribute(name)}" type="{kind}"/>\n'
        yield "    </attributes>\n"
    yield "    <nodes>\n"
    for node, data in export.nodes():
        label = value_text(data["label"]) if "label" in data else display_label(node, data)
        values = [
            f'<attvalue for="{node_ids[name]}" value="{xml_attribute(value_text(value))}"/>'
            for name, value in data.items()
            if name != "label"
        ]
        attvalues = f"<attvalues>{''.join(values)}</attvalues>" if values else ""
        yield f'      <node id="{xml_attribute(node)}" label="{xml_attribute(label)}">{attvalues}</node>\n'
    yield "    </nodes>\n    <edges>\n"
    key_id = edge_ids[EDGE_KEY]
    for number, (source, target, key, data) in enumerate(export.edges()):
        edge_kind = xml_attribute(value_text(data["kind"])) if "kind" in data else None
        edge_label = xml_attribute(value_text(data["label"])) if "label" in data else edge_kind
        parts = [
            f'      <edge id="e{number}" source="{xml_attribute(source)}" target="{xml_attribute(target)}"',
            "" if edge_label is None else f' label="{edge_label}"',
            "" if edge_kind is None else f' kind="{edge_kind}"',
            f'><attvalues><attvalue for="{key_id}" value="{xml_attribute(value_text(key))}"/>',
        ]
        for name, value in data.items():
            if name != "label":
                parts.append(f'<attvalue for="{edge_ids[name]}" value="{xml_attribute(value_text(value))}"/>')
        parts.append("</attvalues></edge>\n")
        yield "".join(parts)
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _attribute_ids(declared: dict[str, ValueType]) -> dict[str, str]:
    """GEXF attribute ids "0", "1", ... by name; ``label`` is the element's own label."""
    return {name: str(position) for position, name in enumerate(name for name in declared if name != "label")}


def gexf_chunks(export: GraphExport) -> Iterator[bytes]:
    """The GEXF document of ``export`` as UTF-8 chunks (see :mod:`graph.export.output`)."""
    return encoded(gexf_pieces(export))
