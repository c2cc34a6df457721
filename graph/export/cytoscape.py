"""Cytoscape.js JSON (``cy.json()`` elements), streamed: what Cytoscape and Cytoscape.js open.

One JSON document::

    {"data": {metadata},
     "elements": {"nodes": [{"data": {"id": ..., "label": ..., "kind": ..., ...}}, ...],
                  "edges": [{"data": {"id": "e0", "source": ..., "target": ..., "key": ...,
                                      "kind": ..., ...}}, ...]}}

written one element per line. Values keep their JSON types; a list attribute is a string of
its items joined by a line feed, as in the graph; ``sourceDocuments`` in ``data`` is a JSON
list. Every node has a display ``label`` (:func:`~graph.export.attributes.display_label`).
Edge ids ``e0``, ``e1``, ... never clash with node ids, which always hold a colon. JSON has no
NaN or infinity: a float attribute holding one stops the export with ``ValueError``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from graph.export.attributes import EDGE_RESERVED, NODE_RESERVED, display_label
from graph.export.output import encoded
from graph.export.selection import GraphExport

MEDIA_TYPE = "application/json"

_NODE_RESERVED = NODE_RESERVED | {"parent"}  # "parent" makes a compound node in Cytoscape.js


def cytoscape_pieces(export: GraphExport) -> Iterator[str]:
    """The Cytoscape.js JSON document of ``export``, a line per element.

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.export.selection import select
    >>> g = nx.MultiDiGraph(dataVersion="v1")
    >>> g.add_node("Trial:NCT1", kind="Trial", nctId="NCT1", enrollment=40)
    >>> g.add_node("Condition:flu", kind="Condition", name="Flu")
    >>> _ = g.add_edge("Trial:NCT1", "Condition:flu", key="STUDIES", kind="STUDIES")
    >>> document = json.loads("".join(cytoscape_pieces(select(g))))
    >>> document["elements"]["nodes"][0]
    {'data': {'id': 'Trial:NCT1', 'label': 'NCT1', 'kind': 'Trial', 'nctId': 'NCT1', 'enrollment': 40}}
    >>> document["elements"]["edges"][0]["data"]
    {'id': 'e0', 'source': 'Trial:NCT1', 'target': 'Condition:flu', 'key': 'STUDIES', 'kind': 'STUDIES'}
    """
    metadata: dict[str, Any] = dict(export.metadata.items())
    metadata["sourceDocuments"] = list(export.metadata.source_documents)
    yield f'{{"data":{_dumps(metadata, "the metadata")},\n"elements":{{"nodes":[\n'
    separator = ""
    for node, data in export.nodes():
        if not _NODE_RESERVED.isdisjoint(data):
            raise ValueError(
                f"node {node}: the attribute names {sorted(_NODE_RESERVED & data.keys())} are reserved"
            )
        element = {"data": {"id": node, "label": display_label(node, data), **data}}
        yield separator + _dumps(element, f"node {node}")
        separator = ",\n"
    yield '\n],"edges":[\n'
    separator = ""
    for number, (source, target, key, data) in enumerate(export.edges()):
        if not EDGE_RESERVED.isdisjoint(data):
            reserved = sorted(EDGE_RESERVED & data.keys())
            raise ValueError(
                f"edge {source} -> {target} ({key}): the attribute names {reserved} are reserved"
            )
        element = {"data": {"id": f"e{number}", "source": source, "target": target, "key": key, **data}}
        yield separator + _dumps(element, f"edge {source} -> {target} ({key})")
        separator = ",\n"
    yield "\n]}}\n"


def cytoscape_chunks(export: GraphExport) -> Iterator[bytes]:
    """The document as UTF-8 chunks; a lone surrogate in a text becomes its ``\\uXXXX`` escape."""
    return encoded(cytoscape_pieces(export), errors="backslashreplace")


def _dumps(value: object, where: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError as error:
        raise ValueError(f"{where}: {error} (JSON has no NaN or infinity)") from None
