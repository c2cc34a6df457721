"""Attribute dicts as the graph store keeps them (``marshal`` bytes, and the names and value
types they hold), and edges given to the store's builder column by column."""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

Signature = tuple[tuple[str, ...], tuple[str, ...]]  # an attribute dict's names and value types' names
# An edge as StoreBuilder.encoded_edge takes it: source, target, kind, key, position, attributes.
EncodedEdge = tuple[str, str, str, str, int, bytes, Signature]


def encoded(attributes: dict[str, Any]) -> tuple[bytes, Signature]:
    """An attribute dict as the store keeps it, and its names and value types' names.

    Equal signatures are one object, so that a batch of plans sent as marshal bytes holds each
    once (marshal refers back to an object it has written).

    >>> blob, signature = encoded({"kind": "STUDIES", "position": 0})
    >>> marshal.loads(blob), signature
    ({'kind': 'STUDIES', 'position': 0}, (('kind', 'position'), ('str', 'int')))
    >>> encoded({"kind": "TESTS", "position": 1})[1] is signature
    True
    """
    return marshal.dumps(attributes), signature(tuple(attributes), tuple(map(type, attributes.values())))


@lru_cache(maxsize=4096)  # shapes met (a trial's vary with what its record states)
def signature(names: tuple[str, ...], types: tuple[type, ...]) -> Signature:
    """The signature of a dict holding values of ``types`` under ``names``, one object for each."""
    return names, tuple([kind.__name__ for kind in types])


@dataclass(slots=True)
class NewEdges:
    """Edges to add to a :class:`~graph.compact.assemble.StoreBuilder` column by column: their
    ends' positions (of :meth:`~graph.compact.assemble.StoreBuilder.nodes`), kind codes,
    positions (:data:`~graph.compact.store.NO_POSITION` where the source gave none) and keys,
    and their attributes as :func:`encoded` gives them, each edge's signature by its place
    among ``signatures``."""

    sources: np.ndarray[Any, Any]
    targets: np.ndarray[Any, Any]
    kinds: np.ndarray[Any, Any]
    positions: np.ndarray[Any, Any]
    keys: Sequence[str]
    blobs: Sequence[bytes]
    signatures: Sequence[Signature]
    signature_of: np.ndarray[Any, Any]
