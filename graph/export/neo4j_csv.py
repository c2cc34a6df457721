"""CSV for the Neo4j bulk importer, streamed as one zip: what Neo4j (and any CSV reader) opens.

The zip holds

- ``nodes.csv``: ``id:ID`` (the node id, ``Kind:key``), ``:LABEL`` (the kind), then one
  column per node attribute, typed in its header (``name``, ``enrollment:long``,
  ``latitude:double``, ``hasResults:boolean``; no type means a string);
- ``relationships.csv``: ``:START_ID``, ``:END_ID``, ``:TYPE`` (the kind), ``key`` (the
  networkx multigraph key), then one column per edge attribute;
- ``metadata.json``: data version, selection, export time, trials and source documents;
- ``README.txt``: the import command.

One file for all node kinds (and one for all relationship kinds) with the union of their
columns imports as cleanly as a file per kind, and keeps a single pass over the graph. An empty
field is an absent value (the importer stores no property); the graph has no empty strings.
A list is a string of its items joined by a line feed, and free text holds line feeds too, so
the import needs ``--multiline-fields=true``::

    neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv \\
        --multiline-fields=true neo4j

The zip is written in streaming mode (sizes in data descriptors, Zip64), a chunk at a time.
A character UTF-8 cannot encode (a lone surrogate) is written as ``?``.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from graph.export.attributes import ValueType, scan_attributes, value_text
from graph.export.output import encoded
from graph.export.selection import GraphExport

MEDIA_TYPE = "application/zip"
IMPORT_COMMAND = (
    "neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv "
    "--multiline-fields=true neo4j"
)

_NEO4J_TYPES = {
    ValueType.STRING: "",
    ValueType.INTEGER: ":long",
    ValueType.REAL: ":double",
    ValueType.BOOLEAN: ":boolean",
}
_README = f"""A trialgraph export for the Neo4j bulk importer (Neo4j 5):

    {IMPORT_COMMAND}

nodes.csv has a row per node: id:ID is the node id (Kind:key), :LABEL its kind.
relationships.csv has a row per edge: :TYPE is its kind, key its key between its two nodes.
Every other column is an attribute; an empty field is an absent value. A list is its items
joined by a line feed. metadata.json says which data, selection and time this export is of.
"""


class _Line:
    """What ``csv.writer`` writes to: ``writerow`` returns the row's text."""

    def write(self, text: str) -> str:
        return text


class _Sink:
    """A write-only, unseekable file: ``zipfile`` writes a streaming zip into it."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0

    def write(self, data: bytes, /) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def node_rows(export: GraphExport, types: dict[str, ValueType]) -> Iterator[str]:
    """``nodes.csv``: the header, then a line per node.

    >>> import networkx as nx
    >>> from graph.export.selection import select
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Trial:NCT1", kind="Trial", title='A "big" trial', enrollment=40)
    >>> g.add_node("Condition:flu", kind="Condition", name="Flu")
    >>> print("".join(node_rows(select(g), scan_attributes(select(g)).nodes)), end="")
    id:ID,:LABEL,enrollment:long,name,title
    Trial:NCT1,Trial,40,,"A ""big"" trial"
    Condition:flu,Condition,,Flu,
    """
    columns = [name for name in types if name != "kind"]
    writer = csv.writer(_Line(), lineterminator="\n")
    yield writer.writerow(["id:ID", ":LABEL", *(f"{name}{_NEO4J_TYPES[types[name]]}" for name in columns)])
    for node, data in export.nodes():
        yield writer.writerow([node, _text(data.get("kind")), *(_text(data.get(name)) for name in columns)])


def relationship_rows(export: GraphExport, types: dict[str, ValueType]) -> Iterator[str]:
    """``relationships.csv``: the header, then a line per edge.

    >>> import networkx as nx
    >>> from graph.export.selection import select
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Trial:NCT1", "Organization:a", key="SPONSORED_BY:LEAD", kind="SPONSORED_BY")
    >>> g.edges["Trial:NCT1", "Organization:a", "SPONSORED_BY:LEAD"]["role"] = "LEAD"
    >>> print("".join(relationship_rows(select(g), scan_attributes(select(g)).edges)), end="")
    :START_ID,:END_ID,:TYPE,key,role
    Trial:NCT1,Organization:a,SPONSORED_BY,SPONSORED_BY:LEAD,LEAD
    """
    columns = [name for name in types if name != "kind"]
    writer = csv.writer(_Line(), lineterminator="\n")
    yield writer.writerow(
        [":START_ID", ":END_ID", ":TYPE", "key", *(f"{name}{_NEO4J_TYPES[types[name]]}" for name in columns)]
    )
    for source, target, key, data in export.edges():
        row = [
            source,
            target,
            _text(data.get("kind")),
            _text(key),
            *(_text(data.get(name)) for name in columns),
        ]
        yield writer.writerow(row)


def csv_chunks(export: GraphExport) -> Iterator[bytes]:
    """The zip of ``export`` (see the module docstring), as chunks of bytes.

    >>> import io, networkx as nx
    >>> from graph.export.selection import select
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Trial:NCT1", kind="Trial")
    >>> zipfile.ZipFile(io.BytesIO(b"".join(csv_chunks(select(g))))).namelist()
    ['nodes.csv', 'relationships.csv', 'metadata.json', 'README.txt']
    """
    types = scan_attributes(export)
    metadata: dict[str, Any] = dict(export.metadata.items())
    metadata["sourceDocuments"] = list(export.metadata.source_documents)
    metadata["import"] = IMPORT_COMMAND
    members: list[tuple[str, Iterable[str]]] = [
        ("nodes.csv", node_rows(export, types.nodes)),
        ("relationships.csv", relationship_rows(export, types.edges)),
        ("metadata.json", [json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"]),
        ("README.txt", [_README]),
    ]
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, pieces in members:
            with archive.open(_member(name, export.metadata.exported_at), "w", force_zip64=True) as member:
                for chunk in encoded(pieces, errors="replace"):
                    member.write(chunk)
                    compressed = sink.take()
                    if compressed:
                        yield compressed
    yield sink.take()


def _member(name: str, exported_at: str) -> zipfile.ZipInfo:
    """A zip member dated the export time, readable by all once unzipped."""
    stamp = datetime.fromisoformat(exported_at.replace("Z", "+00:00"))
    member = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    member.external_attr = 0o644 << 16
    return member


def _text(value: Any) -> str | None:
    return None if value is None else value_text(value)
