"""Timing calls in process: many calls, each timed with ``time.perf_counter``, and percentiles.

A measurement makes a few untimed warm-up calls, then calls until it has ``max_calls`` samples
or has spent its time budget with at least ``min_calls``: fast operations get thousands of
samples, slow ones (a baseline scanning every trial) at least the minimum.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``samples``, interpolated between the nearest ranks.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    return float(np.percentile(np.asarray(samples, dtype=np.float64), q))


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds per call."""

    samples: tuple[float, ...]

    @property
    def count(self) -> int:
        return len(self.samples)

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)


@dataclass(frozen=True, slots=True)
class Budget:
    """How many calls a measurement makes, and for how long it goes on."""

    min_calls: int = 20
    max_calls: int = 2000
    seconds: float = 3.0
    warmup_calls: int = 3


def cycling(call: Callable[[Any], Any], inputs: Sequence[Any]) -> Callable[[int], Any]:
    """A call for :func:`time_calls` going round ``inputs``.

    >>> answer = cycling(str.upper, ["a", "b"])
    >>> [answer(n) for n in range(3)]
    ['A', 'B', 'A']
    """
    return lambda n: call(inputs[n % len(inputs)])


def time_calls(call: Callable[[int], Any], budget: Budget) -> Timings:
    """Time ``call(n)`` for n = 0, 1, ... (the caller cycles through its inputs by ``n``)."""
    for n in range(budget.warmup_calls):
        call(n)
    samples: list[float] = []
    started = time.perf_counter()
    n = budget.warmup_calls
    while len(samples) < budget.max_calls:
        if len(samples) >= budget.min_calls and time.perf_counter() - started > budget.seconds:
            break
        before = time.perf_counter()
        call(n)
        samples.append(time.perf_counter() - before)
        n += 1
    return Timings(tuple(samples))
