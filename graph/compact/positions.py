"""Sets of node positions as sorted numpy arrays without repeats: made, joined and met.

numpy's own ``unique`` hashes (numpy 2) and is many times slower on positions than a sort and
one pass; ``intersect1d`` sorts both sides even when one holds a handful and the other half the
registry.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Positions = np.ndarray[Any, Any]


def distinct(positions: Positions) -> Positions:
    """``positions`` sorted, each once.

    >>> distinct(np.array([7, 1, 7, 4, 1], np.uint32)).tolist()
    [1, 4, 7]
    """
    return sorted_once(np.sort(positions))


def sorted_once(positions: Positions) -> Positions:
    """Sorted ``positions`` with each repeat left out, in one pass (no sort).

    >>> sorted_once(np.array([1, 1, 4, 7, 7, 7], np.uint32)).tolist()
    [1, 4, 7]
    """
    if len(positions) < 2:
        return positions
    keep = np.empty(len(positions), dtype=bool)
    keep[0] = True
    np.not_equal(positions[1:], positions[:-1], out=keep[1:])
    return positions[keep]


def intersection(smaller: Positions, larger: Positions) -> Positions:
    """The positions in both of two sorted sets: each of the smaller looked up in the larger by
    binary search, so a handful against a few hundred thousand costs a handful of lookups.

    >>> intersection(np.array([2, 5, 9], np.uint32), np.array([1, 2, 3, 9], np.uint32)).tolist()
    [2, 9]
    """
    if len(smaller) > len(larger):
        smaller, larger = larger, smaller
    if not len(smaller) or not len(larger):
        return smaller[:0]
    at = np.minimum(np.searchsorted(larger, smaller), len(larger) - 1)
    found: Positions = smaller[larger[at] == smaller]
    return found
