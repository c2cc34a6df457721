"""Flat tables the compact graph is made of: strings, blobs and hashed multimaps over arrays.

Each table is a few numpy arrays and one byte buffer, so it can be written to a snapshot file
as it is and read back by mapping the file: no parsing, and every process serving the same
snapshot shares its pages.
"""

from __future__ import annotations

import hashlib
import mmap
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Buffer = bytes | bytearray | memoryview | mmap.mmap


@dataclass(frozen=True, slots=True)
class StringTable:
    """Strings by position: ``offsets[i]:offsets[i + 1]`` of ``data`` is string ``i`` (UTF-8).

    >>> table = StringTable.from_strings(["a", "bc", ""])
    >>> [table[i] for i in range(len(table))]
    ['a', 'bc', '']
    """

    offsets: npt.NDArray[np.uint64]
    data: Buffer

    @classmethod
    def from_strings(cls, strings: Sequence[str]) -> StringTable:
        encoded = [text.encode() for text in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.uint64)
        np.cumsum([len(item) for item in encoded], out=offsets[1:])
        return cls(offsets, b"".join(encoded))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, position: int) -> str:
        return str(self.data[self.offsets.item(position) : self.offsets.item(position + 1)], "utf-8")


@dataclass(frozen=True, slots=True)
class BlobTable:
    """Byte strings by position, each anywhere in ``data``: ``starts[i]`` and ``lengths[i]``.

    >>> table = BlobTable.from_parts([b"xy", b"z"])
    >>> bytes(table[1]), len(table)
    (b'z', 2)
    """

    starts: npt.NDArray[np.uint64]
    lengths: npt.NDArray[np.uint32]
    data: Buffer

    @classmethod
    def from_parts(cls, parts: Sequence[bytes]) -> BlobTable:
        lengths = np.array([len(part) for part in parts], dtype=np.uint32)
        starts = np.zeros(len(parts), dtype=np.uint64)
        if len(parts) > 1:
            np.cumsum(lengths[:-1], out=starts[1:])
        return cls(starts, lengths, b"".join(parts))

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, position: int) -> memoryview:
        start = int(self.starts[position])
        return memoryview(self.data)[start : start + int(self.lengths[position])]


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a key (Python's own ``hash`` changes between processes).

    >>> key_hash("stroke") == key_hash("stroke"), key_hash("stroke") == key_hash("strokes")
    (True, False)
    """
    return int.from_bytes(
        hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )


@dataclass(frozen=True, slots=True)
class KeyPairs:
    """Keys and numbers as columns: number ``numbers[i]`` goes under key ``keys[codes[i]]``."""

    keys: Sequence[str]
    codes: npt.NDArray[np.integer[Any]]
    numbers: npt.NDArray[np.integer[Any]]


@dataclass(frozen=True, slots=True)
class MultiMap:
    """Keys to sorted lists of numbers (node positions), found by binary search on key hashes.

    >>> table = MultiMap.build({"a": [3, 1], "b": [2]})
    >>> table.get("a").tolist(), table.get("b").tolist(), table.get("c").tolist()
    ([1, 3], [2], [])
    """

    hashes: npt.NDArray[np.uint64]
    offsets: npt.NDArray[np.uint64]
    values: npt.NDArray[np.uint32]

    @classmethod
    def build(
        cls,
        entries: Mapping[str, Iterable[int]],
        renumber: npt.NDArray[np.uint32] | None = None,
        pairs: Iterable[KeyPairs] = (),
    ) -> MultiMap:
        """From keys and their numbers, and from ``pairs`` of keys and numbers given as columns
        (all renumbered through ``renumber`` if given); each list is sorted and made unique.
        Keys whose 64-bit hashes collide are merged."""
        keys = list(entries)
        hashes = np.array([key_hash(key) for key in keys], dtype=np.uint64)
        # Join the lists in the order of their keys' hashes; a list already in order (a trial's
        # words, added in NCT order) keeps it, and only the others are sorted.
        key_order = np.argsort(hashes, kind="stable")
        lists = list(entries.values())
        joined = array("I")
        lengths = np.zeros(len(keys), dtype=np.int64)
        for place, key in enumerate(key_order.tolist()):
            before = len(joined)
            joined.extend(lists[key])
            lengths[place] = len(joined) - before
        values = np.frombuffer(joined, dtype=np.uint32) if len(joined) else np.zeros(0, dtype=np.uint32)
        owner = np.repeat(hashes[key_order], lengths)
        unsorted = False
        for given in pairs:
            given_hashes = np.array([key_hash(key) for key in given.keys], dtype=np.uint64)
            owner = np.concatenate([owner, given_hashes[given.codes]])
            values = np.concatenate([values, np.asarray(given.numbers, dtype=np.uint32)])
            unsorted = True
        if renumber is not None and len(values):
            values = renumber[values]
        if len(values) > 1 and (
            unsorted or bool(np.any((owner[1:] == owner[:-1]) & (values[1:] < values[:-1])))
        ):
            order = np.lexsort((values, owner))
            owner, values = owner[order], values[order]
        keep = np.ones(len(values), dtype=bool)
        keep[1:] = (owner[1:] != owner[:-1]) | (values[1:] != values[:-1])
        owner, values = owner[keep], values[keep]
        firsts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1]))) if len(owner) else owner
        offsets = np.append(firsts, len(owner)).astype(np.uint64)
        return cls(owner[firsts].astype(np.uint64), offsets, values.astype(np.uint32))

    @classmethod
    def empty(cls) -> MultiMap:
        return cls(np.zeros(0, np.uint64), np.zeros(1, np.uint64), np.zeros(0, np.uint32))

    def get(self, key: str) -> npt.NDArray[np.uint32]:
        wanted = np.uint64(key_hash(key))
        found = int(self.hashes.searchsorted(wanted))
        if found == len(self.hashes) or self.hashes[found] != wanted:
            return self.values[0:0]
        return self.values[int(self.offsets[found]) : int(self.offsets[found + 1])]

    def __len__(self) -> int:
        return len(self.hashes)
