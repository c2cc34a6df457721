"""Samplers for the registry's skew: Zipf-shared entities, heavy-tailed site counts, weighted choices.

Every sampler is built once from its parameters and draws with a caller's
:class:`random.Random`, so that a corpus depends on its seed only.
"""

from __future__ import annotations

import hashlib
import math
import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


class Uniform(Protocol):
    """What the samplers draw with: :class:`random.Random`, or :class:`Draws`."""

    def random(self) -> float: ...


# Ranks below this are drawn from an exact table; the rest from the continuous approximation.
_EXACT_RANKS = 4096


def pick(rng: Uniform, items: Sequence[T]) -> T:
    """One of ``items``, like :meth:`random.Random.choice` at a third of the cost.

    >>> pick(random.Random(1), "abc")
    'a'
    """
    return items[int(rng.random() * len(items))]


def some(rng: Uniform, items: Sequence[T], count: int) -> list[T]:
    """``count`` distinct items (``count`` well below ``len(items)``), in the order drawn.

    >>> some(random.Random(1), "abcdef", 3)
    ['a', 'f', 'e']
    """
    positions: list[int] = []
    size = len(items)
    while len(positions) < count:
        position = int(rng.random() * size)
        if position not in positions:
            positions.append(position)
    return [items[position] for position in positions]


def between(rng: Uniform, start: int, stop: int) -> int:
    """A number from ``start`` to ``stop - 1``, like :meth:`random.Random.randrange`, cheaper.

    >>> between(random.Random(1), 10, 20)
    11
    """
    return start + int(rng.random() * (stop - start))


class Draws:
    """Choices read from the digits of one hash of ``key``: a cheap source for entity attributes.

    Seeding a :class:`random.Random` costs more than deriving a whole entity this way, and an
    entity is derived again each time it falls out of the cache.

    >>> draws = Draws("facility", "France", 12)
    >>> draws.below(10), draws.choice("abc"), round(draws.random(), 3)
    (0, 'a', 0.459)
    """

    __slots__ = ("key", "refills", "value")

    def __init__(self, *key: object) -> None:
        self.key = "|".join(map(str, key)).encode()
        self.refills = 0
        self.value = int.from_bytes(hashlib.blake2b(self.key, digest_size=32).digest(), "big")

    def below(self, limit: int) -> int:
        """A number from ``0`` to ``limit - 1``."""
        if self.value < 1 << 64:  # running out of digits: hash on
            self.refills += 1
            more = hashlib.blake2b(self.key + b"|%d" % self.refills, digest_size=32).digest()
            self.value = (self.value << 256) | int.from_bytes(more, "big")
        self.value, digit = divmod(self.value, limit)
        return digit

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def random(self) -> float:
        return self.below(1 << 30) / (1 << 30)


class Weighted(Generic[T]):
    """A choice among ``items`` with fixed relative ``weights``.

    >>> pick = Weighted(["COMPLETED", "RECRUITING"], [3, 1])
    >>> [pick(random.Random(seed)) for seed in range(4)]
    ['RECRUITING', 'COMPLETED', 'RECRUITING', 'COMPLETED']
    >>> pick.probability("COMPLETED")
    0.75
    """

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if len(items) != len(weights) or not items:
            raise ValueError("a weighted choice needs one positive weight per item")
        self.items = list(items)
        self.cumulative = list(accumulate(float(weight) for weight in weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: Uniform) -> T:
        return self.items[bisect_right(self.cumulative, rng.random() * self.total)]

    def probability(self, item: T) -> float:
        """The probability of drawing ``item``."""
        position = self.items.index(item)
        previous = self.cumulative[position - 1] if position else 0.0
        return (self.cumulative[position] - previous) / self.total


class Zipf:
    """Ranks ``0 .. size - 1`` drawn with probability proportional to ``(rank + 1 + offset) ** -exponent``.

    The offset (Zipf-Mandelbrot) flattens the head. The first ranks come from an exact table,
    the long tail from the inverse of the continuous law, so a sampler over millions of ranks
    costs a few kilobytes and one logarithm per draw.

    >>> law = Zipf(1_000_000, exponent=1.0, offset=1.0)
    >>> round(law.probability(0), 4), round(law.probability(1), 4)
    (0.0373, 0.0249)
    >>> draws = [law(random.Random(seed)) for seed in range(2000)]
    >>> draws.count(0) > draws.count(9) > 0, max(draws) > 100_000
    (True, True)
    """

    def __init__(self, size: int, exponent: float, offset: float = 0.0) -> None:
        if size < 1 or exponent <= 0 or offset < 0:
            raise ValueError("a Zipf law needs at least one rank, a positive exponent and offset >= 0")
        self.size, self.exponent, self.offset = size, exponent, offset
        exact = min(size, _EXACT_RANKS)
        self.cumulative = list(accumulate(math.pow(rank + 1 + offset, -exponent) for rank in range(exact)))
        self.head = self.cumulative[-1]
        # Rank r (1-based) stands for the interval [r - 0.5, r + 0.5) of the continuous law.
        self.start = exact + 0.5 + offset
        self.end = size + 0.5 + offset
        self.tail = self._integral(self.start, self.end) if size > exact else 0.0
        self.total = self.head + self.tail

    def _integral(self, low: float, high: float) -> float:
        if self.exponent == 1.0:
            return math.log(high / low)
        power = 1.0 - self.exponent
        return (math.pow(high, power) - math.pow(low, power)) / power

    def __call__(self, rng: Uniform) -> int:
        point = rng.random() * self.total
        if point < self.head:
            return bisect_right(self.cumulative, point)
        point -= self.head
        if self.exponent == 1.0:
            value = self.start * math.exp(point)
        else:
            power = 1.0 - self.exponent
            value = math.pow(math.pow(self.start, power) + power * point, 1.0 / power)
        rank = int(value - self.offset + 0.5) - 1
        return min(max(rank, len(self.cumulative)), self.size - 1)

    def probability(self, rank: int) -> float:
        """The probability of ``rank`` (exact in the head, approximate in the tail)."""
        if rank < len(self.cumulative):
            return math.pow(rank + 1 + self.offset, -self.exponent) / self.total
        return self._integral(rank + 0.5 + self.offset, rank + 1.5 + self.offset) / self.total


class SiteCounts:
    """How many sites a trial lists: none, one, or a capped, shifted Pareto tail from two up.

    ``P(none)`` and ``P(one)`` are fixed; the tail ``P(n) ∝ (n + shift) ** -(alpha + 1)`` for
    ``2 <= n <= cap`` takes the rest, with ``alpha`` solved so that the mean over all trials is
    ``mean``. The shift gives the middle (5 to 50 sites) its weight, so that a mean of 6 leaves
    only a few trials in 10,000 above 1,000 sites.

    >>> counts = SiteCounts(6.0)
    >>> round(counts.mean, 6), round(counts.alpha, 2), counts.median
    (6.0, 1.53, 1)
    >>> round(SiteCounts(14.0).alpha, 2)
    1.01
    """

    def __init__(
        self, mean: float, *, none: float = 0.12, one: float = 0.45, cap: int = 2000, shift: float = 5.0
    ) -> None:
        self.none, self.one, self.cap, self.shift = none, one, cap, shift
        self.values = range(2, cap + 1)
        tail_share = 1.0 - none - one
        lowest, highest = self._tail_mean(_ALPHA_MAX), self._tail_mean(_ALPHA_MIN)
        wanted = (mean - one) / tail_share
        if not lowest <= wanted <= highest:
            low, high = one + tail_share * lowest, one + tail_share * highest
            raise ValueError(
                f"an average of {mean} sites per trial is out of reach; choose {low:.2f} to {high:.0f}"
            )
        low_alpha, high_alpha = _ALPHA_MIN, _ALPHA_MAX
        for _ in range(60):  # the tail mean falls as alpha grows
            middle = (low_alpha + high_alpha) / 2
            if self._tail_mean(middle) > wanted:
                low_alpha = middle
            else:
                high_alpha = middle
        self.alpha = (low_alpha + high_alpha) / 2
        weights = self._weights(self.alpha)
        total = sum(weights)
        self.cumulative = [none, none + one]
        self.cumulative += [none + one + tail_share * share / total for share in accumulate(weights)]
        self.mean = one + tail_share * self._tail_mean(self.alpha)
        self.median = bisect_right(self.cumulative, 0.5)

    def _weights(self, alpha: float) -> list[float]:
        return [math.pow(value + self.shift, -(alpha + 1.0)) for value in self.values]

    def _tail_mean(self, alpha: float) -> float:
        weights = self._weights(alpha)
        return sum(value * weight for value, weight in zip(self.values, weights, strict=True)) / sum(weights)

    def __call__(self, rng: random.Random) -> int:
        return min(bisect_right(self.cumulative, rng.random() * self.cumulative[-1]), self.cap)

    def share_above(self, count: int) -> float:
        """The probability that a trial lists more than ``count`` sites."""
        return 1.0 - self.cumulative[min(count, self.cap)] / self.cumulative[-1]


_ALPHA_MIN, _ALPHA_MAX = 0.05, 12.0
