"""The compact graph store: nodes sorted by id, edges in compressed sparse rows both ways.

Node ``p`` is the ``p``-th id in sort order, so each kind of node is one contiguous range
(``Arm:`` ... ``Trial:``) and trials run in NCT order. A node's outgoing edges are ordered by
edge kind, then by the ``position`` the source gave them, then by target and key; its incoming
edges by kind, then by source and key. So "a trial's sites in source order" or "a condition's
trials in NCT order" is one contiguous slice, found by binary search, read without decoding
anything but the page asked for. Attributes are ``marshal``-encoded dicts, decoded on demand.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from graph.compact.tables import BlobTable, StringTable, key_hash
from graph.model import EdgeKind, NodeKind

NODE_KINDS: tuple[NodeKind, ...] = tuple(NodeKind)
EDGE_KINDS: tuple[EdgeKind, ...] = tuple(EdgeKind)
NODE_KIND_CODE = {kind.value: code for code, kind in enumerate(NODE_KINDS)}
EDGE_KIND_CODE = {kind.value: code for code, kind in enumerate(EDGE_KINDS)}
NO_POSITION = 2**31 - 1  # edges without a source position sort after those with one
ATTRIBUTE_CACHE = 1 << 14
# An edge attribute dict encoded in fewer bytes is stored once and shared by every edge holding
# it (up to this many dicts), so its start in the bytes names it.
SHARED_EDGE_BYTES = 64
SHARED_EDGE_DICTS = 1 << 16

Attributes = MappingProxyType[str, Any]
T = TypeVar("T")
# Per edge kind, its code and the next: where a node's edges of that kind start and end among its
# edges (sorted by kind), found by one binary search of the two.
_KIND_BOUNDS = {kind: np.array([code, code + 1], dtype=np.uint8) for code, kind in enumerate(EDGE_KINDS)}


@dataclass(frozen=True, slots=True)
class EdgeRange:
    """Edges ``lo`` to ``hi`` of one direction's arrays."""

    lo: int
    hi: int

    def __len__(self) -> int:
        return self.hi - self.lo


@dataclass(frozen=True, slots=True)
class EdgeColumns:
    """A run of edges of the outgoing arrays as columns: each edge's source and target
    positions, key code, and where its attributes' bytes start and how many there are."""

    sources: list[int]
    targets: list[int]
    keys: list[int]
    starts: list[int]
    lengths: list[int]

    def rows(self) -> Iterator[tuple[int, int, int, int, int]]:
        return zip(self.sources, self.targets, self.keys, self.starts, self.lengths, strict=True)


@dataclass(eq=False)
class GraphStore:
    """The arrays of one graph; see the module docstring for their order."""

    ids: StringTable
    id_hashes: npt.NDArray[np.uint64]  # sorted hashes of the ids ...
    id_order: npt.NDArray[np.uint32]  # ... and the node each belongs to
    node_kinds: npt.NDArray[np.uint8]
    node_attributes: BlobTable
    out_offsets: npt.NDArray[np.uint64]
    out_target: npt.NDArray[np.uint32]
    out_kind: npt.NDArray[np.uint8]
    out_key: npt.NDArray[np.uint32]
    edge_attributes: BlobTable  # in outgoing order
    in_offsets: npt.NDArray[np.uint64]
    in_source: npt.NDArray[np.uint32]
    in_kind: npt.NDArray[np.uint8]
    in_edge: npt.NDArray[np.uint32]  # the edge's place in the outgoing arrays
    keys: StringTable
    graph_attributes: dict[str, Any] = field(default_factory=dict)
    # "nodes" and "edges": each attribute name with the type names of its values (``int``,
    # ``str`` ...), known when the store was assembled; empty when not known.
    value_types: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Per-process caches of decoded values; the arrays themselves are never copied.
        self.position = lru_cache(maxsize=ATTRIBUTE_CACHE)(self._position)  # type: ignore[method-assign]
        self.attributes = lru_cache(maxsize=ATTRIBUTE_CACHE)(self._attributes)  # type: ignore[method-assign]
        self.edge_attributes_of = lru_cache(maxsize=ATTRIBUTE_CACHE)(self._edge_attributes)  # type: ignore[method-assign]
        self._memos: dict[Callable[..., Any], Callable[[int], Any]] = {}
        # Ids begin with their kind, so each kind is one run of positions.
        self.kind_ranges = {}
        for code, kind in enumerate(NODE_KINDS):
            where = np.flatnonzero(self.node_kinds == code)
            self.kind_ranges[kind.value] = (int(where[0]), int(where[-1]) + 1) if len(where) else (0, 0)

    # -- nodes ------------------------------------------------------------------------------------

    @property
    def node_count(self) -> int:
        return len(self.node_kinds)

    @property
    def edge_count(self) -> int:
        return len(self.out_target)

    def _position(self, node: str) -> int | None:
        wanted = np.uint64(key_hash(node))
        at = int(self.id_hashes.searchsorted(wanted))
        while at < len(self.id_hashes) and self.id_hashes[at] == wanted:
            position = int(self.id_order[at])
            if self.ids[position] == node:
                return position
            at += 1
        return None

    def memoized(self, function: Callable[[GraphStore, int], T]) -> Callable[[int], T]:
        """``function(self, position)``, its :data:`ATTRIBUTE_CACHE` most recently used results
        kept as long as this store: for what an upper layer makes from a node and nothing
        changes afterwards.

        >>> from graph.compact.assemble import StoreBuilder
        >>> b = StoreBuilder()
        >>> b.set_attributes(b.node("Condition:flu"), {"kind": "Condition"})
        >>> store = b.assemble({})
        >>> def shout(store, position):
        ...     return store.id(position).upper()
        >>> store.memoized(shout)(0), store.memoized(shout) is store.memoized(shout)
        ('CONDITION:FLU', True)
        """
        memo = self._memos.get(function)
        if memo is None:
            memo = self._memos[function] = lru_cache(maxsize=ATTRIBUTE_CACHE)(partial(function, self))
        return memo

    def position(self, node: str) -> int | None:  # replaced by a cached version per instance
        """The position of a node id; ``None`` if no node has it."""
        return self._position(node)

    def id(self, position: int) -> str:
        return self.ids[position]

    def _attributes(self, position: int) -> Attributes:
        return MappingProxyType(marshal.loads(self.node_attributes[position]))

    def attributes(self, position: int) -> Attributes:  # replaced by a cached version per instance
        """A node's attributes, read-only."""
        return self._attributes(position)

    def node_items(
        self, block: int = 1 << 14, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every node id and its attributes (fresh dicts, not cached), in position order (those
        at positions ``start`` to ``stop``); read a block of positions at a time, for a
        whole-graph pass in flat memory."""
        ids, blobs, loads = self.ids, self.node_attributes, marshal.loads
        id_data, blob_data = memoryview(ids.data), memoryview(blobs.data)
        end = self.node_count if stop is None else min(stop, self.node_count)
        for lo in range(start, end, block):
            hi = min(lo + block, end)
            bounds = ids.offsets[lo : hi + 1].tolist()
            starts = blobs.starts[lo:hi].tolist()
            lengths = blobs.lengths[lo:hi].tolist()
            for at in range(hi - lo):
                start = starts[at]
                yield (
                    str(id_data[bounds[at] : bounds[at + 1]], "utf-8"),
                    loads(blob_data[start : start + lengths[at]]),
                )

    def attribute_dicts(self, edges: bool = False, block: int = 1 << 14) -> Iterator[dict[str, Any]]:
        """The attributes of every node (or edge), decoded afresh, in array order; without the
        ids, for a pass that only looks at values."""
        blobs, loads = (self.edge_attributes if edges else self.node_attributes), marshal.loads
        data = memoryview(blobs.data)
        for lo in range(0, len(blobs), block):
            starts, lengths = blobs.starts[lo : lo + block].tolist(), blobs.lengths[lo : lo + block].tolist()
            for start, length in zip(starts, lengths, strict=True):
                yield loads(data[start : start + length])

    def edge_items(
        self, block: int = 1 << 14, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Every edge as (source id, target id, key, attributes), in the order of the outgoing
        arrays (edges ``start`` to ``stop`` of it); a block of edges at a time, each id and key
        decoded once a block."""
        loads, blob_data = marshal.loads, memoryview(self.edge_attributes.data)
        end = self.edge_count if stop is None else min(stop, self.edge_count)
        for lo in range(start, end, block):
            columns = self.edge_columns(lo, min(lo + block, end))
            names, key_names = self.names_in(columns)
            for source, target, code, at, length in columns.rows():
                yield names[source], names[target], key_names[code], loads(blob_data[at : at + length])

    def edge_columns(self, lo: int, hi: int) -> EdgeColumns:
        """Edges ``lo`` to ``hi`` of the outgoing arrays, column by column."""
        places = np.arange(lo, hi, dtype=np.uint64)
        blobs = self.edge_attributes
        return EdgeColumns(
            (np.searchsorted(self.out_offsets, places, side="right") - 1).tolist(),
            self.out_target[lo:hi].tolist(),
            self.out_key[lo:hi].tolist(),
            blobs.starts[lo:hi].tolist(),
            blobs.lengths[lo:hi].tolist(),
        )

    def names_in(self, columns: EdgeColumns) -> tuple[dict[int, str], dict[int, str]]:
        """The id of each node at an end of these edges, and the name of each of their keys,
        each decoded once."""
        ends = self.distinct_ids(columns.sources + columns.targets)
        return ends, {code: self.keys[code] for code in set(columns.keys)}

    def edge_attributes_at(self, start: int, length: int) -> dict[str, Any]:
        """The attributes whose bytes are at ``start`` (of :class:`EdgeColumns`), a fresh dict."""
        result: dict[str, Any] = marshal.loads(memoryview(self.edge_attributes.data)[start : start + length])
        return result

    def ids_at(self, positions: Sequence[int]) -> list[str]:
        """The ids of the nodes at ``positions``, read in one pass over the offsets."""
        at = np.asarray(positions, dtype=np.int64)
        offsets, data = self.ids.offsets, memoryview(self.ids.data)
        starts, ends = offsets[at].tolist(), offsets[at + 1].tolist()
        return [str(data[start:end], "utf-8") for start, end in zip(starts, ends, strict=True)]

    def distinct_ids(self, positions: Sequence[int]) -> dict[int, str]:
        """The id of each distinct position among ``positions``."""
        distinct = np.unique(np.asarray(positions, dtype=np.int64)).tolist()
        return dict(zip(distinct, self.ids_at(distinct), strict=True))

    def kind_range(self, kind: NodeKind) -> tuple[int, int]:
        """The positions ``lo`` to ``hi`` holding the nodes of ``kind``."""
        return self.kind_ranges[kind.value]

    # -- edges ------------------------------------------------------------------------------------

    def _edge_attributes(self, edge: int) -> Attributes:
        return MappingProxyType(marshal.loads(self.edge_attributes[edge]))

    def edge_attributes_of(self, edge: int) -> Attributes:  # replaced by a cached version
        """An edge's attributes (``edge`` is its place in the outgoing arrays), read-only."""
        return self._edge_attributes(edge)

    def out_range(self, position: int, kind: EdgeKind | None = None) -> EdgeRange:
        """A node's outgoing edges, or those of one kind (already in source order)."""
        return _edge_range(self.out_offsets, self.out_kind, position, kind)

    def in_range(self, position: int, kind: EdgeKind | None = None) -> EdgeRange:
        """A node's incoming edges, or those of one kind (ordered by source)."""
        return _edge_range(self.in_offsets, self.in_kind, position, kind)

    def key(self, edge: int) -> str:
        return self.keys[int(self.out_key[edge])]


def _edge_range(
    offsets: npt.NDArray[np.uint64], kinds: npt.NDArray[np.uint8], position: int, kind: EdgeKind | None
) -> EdgeRange:
    """A node's edges in one direction's arrays (sorted by kind within a node), or those of ``kind``."""
    lo, hi = offsets.item(position), offsets.item(position + 1)
    if kind is None or lo == hi:
        return EdgeRange(lo, hi)
    first, last = kinds[lo:hi].searchsorted(_KIND_BOUNDS[kind]).tolist()
    return EdgeRange(lo + first, lo + last)
