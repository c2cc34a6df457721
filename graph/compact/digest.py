"""A digest of what a graph and its index hold, whatever way they were built.

Two loads that give the same graph can lay its store out differently: attribute dicts are
``marshal`` bytes written in the order they came, and marshal writes an interned string and an
equal one that is not in different bytes. So a snapshot's bytes tell two builds apart that hold
the same. :func:`content_digest` hashes what a reader of the graph sees instead: every node's
id, kind and attributes (in their order), every edge's ends, kind, key and attributes, and every
index array, in the store's own order.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from typing import Any

import numpy as np

from graph.compact.graph import CompactGraph
from graph.compact.index import GraphIndex
from graph.compact.tables import BlobTable, MultiMap

# The arrays whose bytes say nothing but what the graph holds (attribute bytes are read instead).
_STORE_ARRAYS = (
    "id_hashes", "id_order", "node_kinds", "out_offsets", "out_target", "out_kind", "out_key",
    "in_offsets", "in_source", "in_kind", "in_edge",
)  # fmt: skip


def content_digest(graph: CompactGraph, index: GraphIndex) -> str:
    """A hex digest of the nodes, edges and attributes of ``graph`` and the arrays of ``index``."""
    store = graph.store
    digest = hashlib.blake2b(digest_size=16)
    for table in (store.ids, store.keys):
        digest.update(np.ascontiguousarray(table.offsets).tobytes())
        digest.update(bytes(table.data))
    for name in _STORE_ARRAYS:
        _array(digest, name, getattr(store, name))
    for attributes in (store.node_attributes, store.edge_attributes):
        _attributes(digest, attributes)
    maps: dict[str, MultiMap] = {f"names.{kind}": found for kind, found in sorted(index.names.items())}
    maps |= {"trial_words": index.trial_words, "node_words": index.node_words, "values": index.values}
    for name, found in maps.items():
        for part in ("hashes", "offsets", "values"):
            _array(digest, f"{name}.{part}", getattr(found, part))
    for group, columns in (("columns", index.columns), ("site_columns", index.site_columns)):
        for name, column in sorted(columns.items()):
            _array(digest, f"{group}.{name}", column)
    meta = [index.trial_range, sorted(index.node_counts.items()), sorted(index.edge_counts.items())]
    digest.update(json.dumps([meta, store.graph_attributes], default=str).encode())
    return digest.hexdigest()


def _array(digest: Any, name: str, values: Any) -> None:
    array = np.ascontiguousarray(values)
    digest.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
    digest.update(array.tobytes())


def _attributes(digest: Any, table: BlobTable) -> None:
    """Each attribute dict of a table, decoded and written in one form (names and values in
    their order)."""
    for position in range(len(table)):
        attributes = marshal.loads(table[position])
        digest.update(json.dumps(list(attributes.items()), ensure_ascii=False).encode())
        digest.update(b"\n")
