"""Set operations on sorted node positions agree with numpy's own, on any input."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graph.query.search import intersection, sorted_once

POSITIONS = st.lists(st.integers(0, 2_000), max_size=300).map(
    lambda found: np.array(sorted(found), np.uint32)
)


@given(POSITIONS)
def test_sorted_once_is_unique(positions: np.ndarray) -> None:
    assert sorted_once(positions).tolist() == np.unique(positions).tolist()


@given(POSITIONS, POSITIONS)
def test_intersection_is_intersect1d(a: np.ndarray, b: np.ndarray) -> None:
    a, b = np.unique(a), np.unique(b)
    assert intersection(a, b).tolist() == np.intersect1d(a, b).tolist() == intersection(b, a).tolist()
