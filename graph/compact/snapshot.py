"""Snapshots: a loaded graph and its index in one file, opened again by mapping it into memory.

Start-up from a snapshot reads no document and parses nothing: the arrays are views of the
mapped file, so several server processes opening the same snapshot share its pages. A snapshot
records the format and the software that wrote it and a fingerprint of the documents it was
made from; opening one made by another version, or checking it against other documents,
raises :class:`SnapshotError` saying which.

File layout: ``MAGIC``, an 8-byte little-endian header length, the header (JSON: versions,
fingerprint, graph attributes, index metadata, and each section's offset, dtype and length),
then the sections, each 64-byte aligned.
"""

from __future__ import annotations

import json
import marshal
import mmap
import os
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from graph.compact.graph import CompactGraph
from graph.compact.index import COLUMNS, SITE_COLUMNS, GraphIndex
from graph.compact.store import GraphStore
from graph.compact.tables import BlobTable, MultiMap, StringTable
from graph.errors import TrialGraphError

MAGIC = b"TRIALGRAPH-SNAPSHOT\x00"
FORMAT = 3  # 2: MeSH terms and their edges, per-site coordinate columns; 3: keys without spaces
ALIGN = 64


class SnapshotError(TrialGraphError):
    """Raised when a snapshot cannot be used: another format or version, other data, damage."""


def software() -> dict[str, Any]:
    """What a snapshot must have been written by to be read here."""
    try:
        product = metadata.version("trialgraph")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        product = "unknown"
    return {
        "format": FORMAT,
        "product": product,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "marshal": marshal.version,
        "byteorder": sys.byteorder,
    }


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a snapshot holds besides the arrays."""

    graph: CompactGraph
    index: GraphIndex
    fingerprint: str
    header: dict[str, Any]


def _store_arrays(store: GraphStore) -> dict[str, Any]:
    return {
        "ids.offsets": store.ids.offsets,
        "ids.data": store.ids.data,
        "id_hashes": store.id_hashes,
        "id_order": store.id_order,
        "node_kinds": store.node_kinds,
        "node_attributes.starts": store.node_attributes.starts,
        "node_attributes.lengths": store.node_attributes.lengths,
        "node_attributes.data": store.node_attributes.data,
        "out_offsets": store.out_offsets,
        "out_target": store.out_target,
        "out_kind": store.out_kind,
        "out_key": store.out_key,
        "edge_attributes.starts": store.edge_attributes.starts,
        "edge_attributes.lengths": store.edge_attributes.lengths,
        "edge_attributes.data": store.edge_attributes.data,
        "in_offsets": store.in_offsets,
        "in_source": store.in_source,
        "in_kind": store.in_kind,
        "in_edge": store.in_edge,
        "keys.offsets": store.keys.offsets,
        "keys.data": store.keys.data,
    }


def _index_arrays(index: GraphIndex) -> dict[str, Any]:
    arrays: dict[str, Any] = {}
    tables = {f"names.{kind}": table for kind, table in index.names.items()}
    tables |= {"trial_words": index.trial_words, "node_words": index.node_words, "values": index.values}
    for name, table in tables.items():
        arrays[f"{name}.hashes"], arrays[f"{name}.offsets"], arrays[f"{name}.values"] = (
            table.hashes,
            table.offsets,
            table.values,
        )
    for name, column in index.columns.items():
        arrays[f"columns.{name}"] = column
    for name, column in index.site_columns.items():
        arrays[f"site_columns.{name}"] = column
    return arrays


def write_snapshot(
    path: str | os.PathLike[str], graph: CompactGraph, index: GraphIndex, fingerprint: str
) -> int:
    """Write ``graph`` and ``index`` to ``path`` (atomically: all or nothing); return its size."""
    arrays = {**{f"store.{k}": v for k, v in _store_arrays(graph.store).items()}, **_index_arrays(index)}
    raw = {name: memoryview(_contiguous(value)).cast("B") for name, value in arrays.items()}
    sections: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, value in arrays.items():
        dtype = str(value.dtype) if isinstance(value, np.ndarray) else "bytes"
        sections[name] = {"offset": offset, "length": len(raw[name]), "dtype": dtype}
        offset += _aligned(len(raw[name]))
    header = {
        **software(),
        "fingerprint": fingerprint,
        "graph": graph.store.graph_attributes,
        "value_types": graph.store.value_types,
        "index": {
            "trial_range": list(index.trial_range),
            "node_counts": index.node_counts,
            "edge_counts": index.edge_counts,
            "names": sorted(index.names),
        },
        "sections": sections,
    }
    encoded = json.dumps(header).encode()
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(MAGIC + len(encoded).to_bytes(8, "little") + encoded)
            for name in arrays:
                file.write(b"\0" * (-file.tell() % ALIGN))
                file.write(raw[name])
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target.stat().st_size


def _contiguous(value: Any) -> Any:
    return np.ascontiguousarray(value) if isinstance(value, np.ndarray) else value


def _aligned(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


def read_snapshot(path: str | os.PathLike[str], expected_fingerprint: str | None = None) -> Snapshot:
    """Open a snapshot; with ``expected_fingerprint``, refuse one made from other documents."""
    try:
        file = open(path, "rb")  # noqa: SIM115 - the map outlives the file object
    except OSError as error:
        raise SnapshotError(f"{path}: cannot be read: {error.strerror or error}") from None
    with file:
        head = file.read(len(MAGIC) + 8)
        if head[: len(MAGIC)] != MAGIC:
            raise SnapshotError(f"{path}: not a trialgraph snapshot")
        size = int.from_bytes(head[len(MAGIC) :], "little")
        try:
            header = json.loads(file.read(size))
        except ValueError:
            raise SnapshotError(f"{path}: the snapshot's header is damaged") from None
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    made_by, here = {k: header.get(k) for k in software()}, software()
    if made_by != here:
        different = ", ".join(f"{k} {made_by[k]} (here {here[k]})" for k in here if made_by[k] != here[k])
        raise SnapshotError(f"{path}: made by another version of trialgraph: {different}; make it again")
    if expected_fingerprint is not None and header["fingerprint"] != expected_fingerprint:
        raise SnapshotError(
            f"{path}: made from other documents than the ones given (fingerprint "
            f"{header['fingerprint']}, documents {expected_fingerprint}); make it again"
        )
    start = _aligned(len(MAGIC) + 8 + size)
    if start + max((s["offset"] + s["length"] for s in header["sections"].values()), default=0) > len(mapped):
        raise SnapshotError(f"{path}: the snapshot is truncated")

    def section(name: str) -> Any:
        meta = header["sections"][name]
        begin = start + meta["offset"]
        if meta["dtype"] == "bytes":
            return memoryview(mapped)[begin : begin + meta["length"]]
        dtype = np.dtype(meta["dtype"])
        return np.frombuffer(mapped, dtype=dtype, count=meta["length"] // dtype.itemsize, offset=begin)

    def store(name: str) -> Any:
        return section(f"store.{name}")

    graph_store = GraphStore(
        ids=StringTable(store("ids.offsets"), store("ids.data")),
        id_hashes=store("id_hashes"),
        id_order=store("id_order"),
        node_kinds=store("node_kinds"),
        node_attributes=BlobTable(
            store("node_attributes.starts"), store("node_attributes.lengths"), store("node_attributes.data")
        ),
        out_offsets=store("out_offsets"),
        out_target=store("out_target"),
        out_kind=store("out_kind"),
        out_key=store("out_key"),
        edge_attributes=BlobTable(
            store("edge_attributes.starts"), store("edge_attributes.lengths"), store("edge_attributes.data")
        ),
        in_offsets=store("in_offsets"),
        in_source=store("in_source"),
        in_kind=store("in_kind"),
        in_edge=store("in_edge"),
        keys=StringTable(store("keys.offsets"), store("keys.data")),
        graph_attributes=header["graph"],
        value_types=header.get("value_types", {}),  # a snapshot made before they were kept has none
    )

    def multimap(name: str) -> MultiMap:
        return MultiMap(section(f"{name}.hashes"), section(f"{name}.offsets"), section(f"{name}.values"))

    meta = header["index"]
    index = GraphIndex(
        names={kind: multimap(f"names.{kind}") for kind in meta["names"]},
        trial_words=multimap("trial_words"),
        node_words=multimap("node_words"),
        values=multimap("values"),
        columns={name: section(f"columns.{name}") for name in COLUMNS},
        site_columns={name: section(f"site_columns.{name}") for name in SITE_COLUMNS},
        trial_range=(meta["trial_range"][0], meta["trial_range"][1]),
        node_counts=meta["node_counts"],
        edge_counts=meta["edge_counts"],
    )
    return Snapshot(CompactGraph(graph_store), index, header["fingerprint"], header)
