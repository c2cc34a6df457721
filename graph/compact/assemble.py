"""Collecting nodes and edges in any order, then sorting them into a :class:`GraphStore`.

While a graph is built, nodes get positions in the order they appear and every attribute dict
is encoded at once and written to an unnamed temporary file (a :class:`Spool`), so the
builder's memory is a few bytes per edge and node; at the end the files are mapped into memory
and the store reads its attributes from them. :meth:`StoreBuilder.assemble` sorts everything
with numpy.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from graph.compact.encoded import EncodedEdge, NewEdges, Signature, encoded
from graph.compact.spool import Spool
from graph.compact.store import (
    EDGE_KIND_CODE,
    EDGE_KINDS,
    NO_POSITION,
    NODE_KIND_CODE,
    SHARED_EDGE_BYTES,
    SHARED_EDGE_DICTS,
    GraphStore,
)
from graph.compact.tables import BlobTable, StringTable, key_hash

Merge = Callable[[dict[str, Any], dict[str, Any]], None]


class StoreBuilder:
    """Nodes and edges as they come; ``assemble`` makes the store."""

    def __init__(self) -> None:
        self.positions: dict[str, int] = {}
        self.ids: list[str] = []
        self.node_kinds = array("B")
        self.node_data = Spool()
        self.node_starts = array("Q")
        self.node_lengths = array("I")
        self.edge_source = array("I")
        self.edge_target = array("I")
        self.edge_kind = array("B")
        self.edge_position = array("i")
        self.edge_key = array("I")
        self.edge_data = Spool()
        self.edge_starts = array("Q")
        self.edge_lengths = array("I")
        self.key_codes: dict[str, int] = {}
        self.encoded: dict[bytes, int] = {}  # where small edge attribute dicts start: shared
        self.redirects: dict[int, tuple[int, dict[str, dict[str, Any]]]] = {}
        # The names and value types of every attribute dict, each kind once; per node and per edge
        # the code of its own, so that the store can say what the kept ones hold.
        self.signatures: dict[Signature, int] = {((), ()): 0}  # 0: none yet
        self.node_signature = array("I")
        self.edge_signature = array("I")

    def close(self) -> None:
        """Give the build up: the temporary files go."""
        self.node_data.close()
        self.edge_data.close()

    def node(self, node: str) -> int:
        """The position of ``node``, made on first sight (its kind is read from its id)."""
        position = self.positions.get(node)
        if position is None:
            position = self.positions[node] = len(self.ids)
            self.ids.append(node)
            self.node_kinds.append(NODE_KIND_CODE[node.split(":", 1)[0]])
            self.node_starts.append(0)
            self.node_lengths.append(0)
            self.node_signature.append(0)
        return position

    def _code(self, signature: Signature) -> int:
        code = self.signatures.get(signature)
        if code is None:
            code = self.signatures[signature] = len(self.signatures)
        return code

    def set_attributes(self, position: int, attributes: dict[str, Any]) -> None:
        self.set_encoded(position, *encoded(attributes))

    def set_encoded(self, position: int, blob: bytes, signature: Signature) -> None:
        """Set a node's attributes, as :func:`encoded` gives them."""
        self.node_starts[position] = self.node_data.append(blob)
        self.node_lengths[position] = len(blob)
        self.node_signature[position] = self._code(signature)

    def edge(self, source: str, target: str, kind: str, key: str, attributes: dict[str, Any]) -> None:
        """Add an edge; ``attributes`` holds at least its ``kind``."""
        self.encoded_edge(
            source, target, kind, key, attributes.get("position", NO_POSITION), *encoded(attributes)
        )

    def encoded_edge(
        self, source: str, target: str, kind: str, key: str, position: int, blob: bytes, signature: Signature
    ) -> None:
        """Add an edge whose attributes (holding its ``kind``, and its ``position`` if it has
        one) are given as :func:`encoded` gives them."""
        self.encoded_edges(((source, target, kind, key, position, blob, signature),))

    def encoded_edges(self, edges: Iterable[EncodedEdge]) -> None:
        """Add edges as :meth:`encoded_edge` does, each as its arguments (a trial's at once)."""
        positions, node, key_codes, shared = self.positions, self.node, self.key_codes, self.encoded
        spool, starts, lengths = self.edge_data, self.edge_starts, self.edge_lengths
        for source, target, kind, key, position, blob, signature in edges:
            at = positions.get(source)
            self.edge_source.append(node(source) if at is None else at)
            at = positions.get(target)
            self.edge_target.append(node(target) if at is None else at)
            self.edge_kind.append(EDGE_KIND_CODE[kind])
            self.edge_position.append(position)
            code = key_codes.get(key)
            if code is None:
                code = key_codes[key] = len(key_codes)
            self.edge_key.append(code)
            self.edge_signature.append(self._code(signature))
            small = len(blob) < SHARED_EDGE_BYTES
            start = shared.get(blob) if small else None
            if start is None:
                start = spool.append(blob)
                if small and len(shared) < SHARED_EDGE_DICTS:
                    shared[blob] = start
            starts.append(start)
            lengths.append(len(blob))

    def nodes(self, nodes: Iterable[str]) -> dict[str, int]:
        """Make the nodes not yet made, at once (as :meth:`node` makes each); every node's
        position by its id."""
        positions = self.positions
        new = [node for node in dict.fromkeys(nodes) if node not in positions]
        positions.update(zip(new, range(len(self.ids), len(self.ids) + len(new)), strict=True))
        self.ids += new
        self.node_kinds.extend(NODE_KIND_CODE[node.split(":", 1)[0]] for node in new)
        for column in (self.node_starts, self.node_lengths, self.node_signature):
            column.frombytes(bytes(len(new) * column.itemsize))
        return positions

    def edge_columns(self, edges: NewEdges) -> None:
        """Add edges given column by column, as :meth:`encoded_edges` adds them one by one."""
        for column, values in (
            (self.edge_source, edges.sources),
            (self.edge_target, edges.targets),
            (self.edge_kind, edges.kinds),
            (self.edge_position, edges.positions),
        ):
            column.frombytes(np.asarray(values, dtype=column.typecode).tobytes())
        key_codes = self.key_codes
        for key in dict.fromkeys(edges.keys):
            key_codes.setdefault(key, len(key_codes))
        self.edge_key.extend(map(key_codes.__getitem__, edges.keys))
        codes = np.array([self._code(signature) for signature in edges.signatures], dtype=np.uint32)
        self.edge_signature.frombytes(codes[edges.signature_of].tobytes())
        shared, written, size = self.encoded, dict[bytes, int](), len(self.edge_data)
        starts = array("Q")
        for blob in edges.blobs:  # a small dict met before is written once
            place = shared.get(blob)
            if place is None:
                place = written.get(blob)
                if place is None:
                    place = written[blob] = size
                    size += len(blob)
            starts.append(place)
        self.edge_data.extend(written)
        self.edge_starts.extend(starts)
        self.edge_lengths.extend(map(len, edges.blobs))
        for blob, start in written.items():
            if len(blob) < SHARED_EDGE_BYTES and len(shared) < SHARED_EDGE_DICTS:
                shared[blob] = start

    def redirect(self, node: str, target: str, patches: dict[str, dict[str, Any]]) -> None:
        """Move every edge of ``node`` to ``target`` and leave ``node`` out; edges into it of
        a kind in ``patches`` gain those attributes."""
        self.redirects[self.positions[node]] = (self.positions[target], patches)

    def _encode(self, edge: int, attributes: dict[str, Any]) -> None:
        blob, signature = encoded(attributes)
        self.edge_starts[edge], self.edge_lengths[edge] = self.edge_data.append(blob), len(blob)
        self.edge_signature[edge] = self._code(signature)

    def _decode(self, edge: int) -> dict[str, Any]:
        attributes: dict[str, Any] = marshal.loads(
            self.edge_data.read(self.edge_starts[edge], self.edge_lengths[edge])
        )
        return attributes

    def _apply_redirects(self) -> np.ndarray[Any, Any]:
        """Patch the edges into redirected nodes; the positions nodes move to."""
        forward = np.arange(len(self.ids), dtype=np.uint32)
        if not self.redirects:
            return forward
        moved = np.fromiter(self.redirects, dtype=np.uint32, count=len(self.redirects))
        forward[moved] = [into for into, _ in self.redirects.values()]
        # The edges into moved nodes, found in one pass (a pass per node would take minutes at
        # registry scale), patched node by node in the order they were moved, as they always were.
        targets = np.frombuffer(self.edge_target, dtype=np.uint32)
        into_moved = np.flatnonzero(np.isin(targets, moved))
        turn = np.zeros(len(self.ids), dtype=np.uint32)
        turn[moved] = np.arange(len(moved), dtype=np.uint32)
        for edge in into_moved[np.argsort(turn[targets[into_moved]], kind="stable")].tolist():
            patch = self.redirects[int(targets[edge])][1].get(EDGE_KINDS[self.edge_kind[edge]].value)
            if patch:
                self._encode(edge, {**self._decode(edge), **patch})
        return forward

    def _merge_repeated(
        self,
        source: np.ndarray[Any, Any],
        target: np.ndarray[Any, Any],
        key: np.ndarray[Any, Any],
        merge: Merge,
    ) -> np.ndarray[Any, Any]:
        """Merge edges with the same ends and key (they meet when nodes were redirected) into the
        first by position; the mask of edges kept."""
        keep = np.ones(len(source), dtype=bool)
        if not self.redirects:
            return keep
        order = np.lexsort((np.frombuffer(self.edge_position, dtype=np.int32), key, target, source))
        same = (source[order][1:] == source[order][:-1]) & (target[order][1:] == target[order][:-1])
        same &= key[order][1:] == key[order][:-1]
        for at in np.flatnonzero(same).tolist():
            first = int(order[at])
            while not keep[first]:  # runs of three or more: merge into the run's first
                at -= 1
                first = int(order[at])
            later = int(order[at + 1])
            merged = self._decode(first)
            merge(merged, self._decode(later))
            self._encode(first, merged)
            keep[later] = False
        return keep

    def assemble(self, graph_attributes: dict[str, Any], merge: Merge | None = None) -> GraphStore:
        """Sort nodes by id and edges into outgoing and incoming rows; ``merge`` joins two edges
        that redirected nodes made the same."""
        forward = self._apply_redirects()
        kept = [p for p in range(len(self.ids)) if p not in self.redirects]
        count = len(kept)
        order = np.array(sorted(kept, key=self.ids.__getitem__), dtype=np.uint32)
        rank = np.zeros(len(self.ids), dtype=np.uint32)
        rank[order] = np.arange(count, dtype=np.uint32)
        rank = rank[forward]  # a redirected node takes its target's position
        self.renumber = rank  # first numbering -> final position, for what was kept beside
        ids = [self.ids[p] for p in order.tolist()]
        hashes = np.array([key_hash(node) for node in ids], dtype=np.uint64)
        by_hash = np.argsort(hashes, kind="stable").astype(np.uint32)
        node_kinds = np.frombuffer(self.node_kinds, dtype=np.uint8)[order]
        node_attributes = BlobTable(
            np.frombuffer(self.node_starts, dtype=np.uint64)[order],
            np.frombuffer(self.node_lengths, dtype=np.uint32)[order],
            self.node_data.done(),
        )
        keys = sorted(self.key_codes)
        key_rank = np.empty(len(keys), dtype=np.uint32)
        for place, text in enumerate(keys):
            key_rank[self.key_codes[text]] = place
        source = rank[np.frombuffer(self.edge_source, dtype=np.uint32)]
        target = rank[np.frombuffer(self.edge_target, dtype=np.uint32)]
        kind = np.frombuffer(self.edge_kind, dtype=np.uint8)
        position = np.frombuffer(self.edge_position, dtype=np.int32)
        edge_keys = (
            key_rank[np.frombuffer(self.edge_key, dtype=np.uint32)] if len(keys) else np.zeros(0, np.uint32)
        )
        keep = self._merge_repeated(source, target, edge_keys, merge or _refuse)
        out = np.lexsort((edge_keys, target, position, kind, source))
        out = out[keep[out]]
        source, target, kind, edge_keys = source[out], target[out], kind[out], edge_keys[out]
        into = np.lexsort((edge_keys, source, kind, target))
        signatures = list(self.signatures)
        value_types = {
            "nodes": _value_types(signatures, np.frombuffer(self.node_signature, dtype=np.uint32)[order]),
            "edges": _value_types(signatures, np.frombuffer(self.edge_signature, dtype=np.uint32)[out]),
        }
        return GraphStore(
            ids=StringTable.from_strings(ids),
            id_hashes=hashes[by_hash],
            id_order=by_hash,
            node_kinds=node_kinds,
            node_attributes=node_attributes,
            out_offsets=_offsets(source, count),
            out_target=target,
            out_kind=kind,
            out_key=edge_keys,
            edge_attributes=BlobTable(
                np.frombuffer(self.edge_starts, dtype=np.uint64)[out],
                np.frombuffer(self.edge_lengths, dtype=np.uint32)[out],
                self.edge_data.done(),
            ),
            in_offsets=_offsets(target[into], count),
            in_source=source[into],
            in_kind=kind[into],
            in_edge=into.astype(np.uint32),
            keys=StringTable.from_strings(keys),
            graph_attributes=graph_attributes,
            value_types=value_types,
        )


def _value_types(signatures: list[Signature], codes: np.ndarray[Any, Any]) -> dict[str, list[str]]:
    """Every attribute name the dicts of ``codes`` hold, with the names of its values' types."""
    found: dict[str, set[str]] = {}
    for code in np.unique(codes).tolist():
        names, types = signatures[code]
        for name, kind in zip(names, types, strict=True):
            found.setdefault(name, set()).add(kind)
    return {name: sorted(kinds) for name, kinds in found.items()}


def _refuse(existing: dict[str, Any], values: dict[str, Any]) -> None:
    raise ValueError(f"two edges with the same ends and key: {existing} and {values}")


def _offsets(rows: np.ndarray[Any, Any], count: int) -> np.ndarray[Any, Any]:
    """Row offsets of sorted row numbers: row ``r`` is ``offsets[r]:offsets[r + 1]``."""
    offsets = np.zeros(count + 1, dtype=np.uint64)
    np.cumsum(np.bincount(rows, minlength=count), out=offsets[1:])
    return offsets
