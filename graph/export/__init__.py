"""Exports for graph tools: GraphML, GEXF, Cytoscape.js JSON and Neo4j bulk-import CSV.

Select what to export with :func:`select` (the whole graph, or a node's neighborhood), then
write it with :func:`export_file` or stream a format's chunks (``FORMATS[name].chunks``).
Every writer streams: node by node and edge by edge, a chunk at a time, never a copy of the
graph, so a whole-graph export runs in flat memory.

May import: the root of :mod:`graph`, :mod:`graph.compact` and :mod:`graph.query`.
"""

from graph.export.formats import FORMATS, ExportFormat, export_file
from graph.export.selection import GraphExport, Metadata, Selection, select

__all__ = [
    "FORMATS",
    "ExportFormat",
    "GraphExport",
    "Metadata",
    "Selection",
    "export_file",
    "select",
]
