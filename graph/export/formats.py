"""The export formats by name, and the one way an export reaches a file or a response.

Each :class:`ExportFormat` turns a :class:`~graph.export.selection.GraphExport` into chunks of
bytes; :func:`export_file` writes them atomically (:mod:`graph.export.output`), and the HTTP
endpoints stream the very same chunks.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graph.export import cytoscape, gexf, graphml, neo4j_csv
from graph.export.output import write_file
from graph.export.selection import GraphExport


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A format: its name, file extension, media type and writer; a ``parallel`` writer also
    takes the number of worker processes (``jobs``) to write a whole graph with."""

    name: str
    extension: str
    media_type: str
    chunks: Callable[..., Iterator[bytes]]
    parallel: bool = False

    def filename(self, export: GraphExport) -> str:
        """``trialgraph-<dataVersion>[-<node>-<hops>].<extension>``, safe on every file system
        (a character other than a letter, digit, ``.``, ``-`` or ``_`` becomes ``_``).

        >>> import networkx as nx
        >>> from graph.compact.graph import CompactGraph
        >>> from graph.export.selection import select
        >>> g = nx.MultiDiGraph(dataVersion="0a1b")
        >>> g.add_node("Trial:NCT1", kind="Trial")
        >>> FORMATS["graphml"].filename(select(CompactGraph.from_networkx(g), "Trial:NCT1", 2))
        'trialgraph-0a1b-Trial_NCT1-2.graphml'
        """
        metadata = export.metadata
        parts = ["trialgraph", metadata.data_version or "data"]
        if metadata.selection.node is not None:
            parts += [metadata.selection.node, str(metadata.selection.hops)]
        return re.sub(r"[^A-Za-z0-9._-]", "_", "-".join(parts)) + self.extension


FORMATS = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("graphml", ".graphml", graphml.MEDIA_TYPE, graphml.graphml_chunks, parallel=True),
        ExportFormat("gexf", ".gexf", gexf.MEDIA_TYPE, gexf.gexf_chunks),
        ExportFormat("cytoscape", ".cyjs", cytoscape.MEDIA_TYPE, cytoscape.cytoscape_chunks),
        ExportFormat("csv", ".csv.zip", neo4j_csv.MEDIA_TYPE, neo4j_csv.csv_chunks),
    )
}


def export_file(
    export: GraphExport,
    fmt: ExportFormat | str,
    path: str | os.PathLike[str],
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``export`` in ``fmt`` to ``path``, atomically; the number of bytes written.
    A parallel format writes with ``jobs`` processes; ``progress`` hears the bytes written so
    far after every chunk.

    >>> import tempfile, networkx as nx
    >>> from graph.compact.graph import CompactGraph
    >>> from pathlib import Path
    >>> from graph.export.selection import select
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Trial:NCT1", kind="Trial")
    >>> path = Path(tempfile.mkdtemp()) / "out.cyjs"
    >>> export_file(select(CompactGraph.from_networkx(g)), "cytoscape", path) == path.stat().st_size
    True
    """
    chosen = FORMATS[fmt] if isinstance(fmt, str) else fmt
    chunks = chosen.chunks(export, jobs) if chosen.parallel else chosen.chunks(export)
    return write_file(chunks, path, progress)
