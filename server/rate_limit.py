"""A per-client rate limit: a token bucket per client address; 429 with ``Retry-After`` past it.

Each client address has a bucket of up to ``burst`` tokens that refills at ``rate`` tokens a
second; a request takes one token or, finding none, is answered 429 without reaching the app.
A bucket left alone for ``burst / rate`` seconds is full again, the same as no bucket, so it is
forgotten; at most ``max_clients`` buckets are kept even under a flood of addresses (the ones
idle longest go first). The address is the one uvicorn reports: the peer's, or the
``X-Forwarded-For`` of a proxy it trusts (by default one on 127.0.0.1).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Collection

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send


class TokenBuckets:
    """The buckets of the clients seen lately, least recently seen first."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000) -> None:
        if rate <= 0 or burst < 1 or max_clients < 1:
            raise ValueError(f"a rate limit needs rate > 0, burst >= 1, max_clients >= 1: {rate}, {burst}")
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self.refill_seconds = burst / rate  # an empty bucket is full again after this long
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> tokens, when

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, client: str, now: float) -> float:
        """Take a token from ``client``'s bucket: 0.0 if there was one, else the seconds until
        there will be."""
        self._forget_full(now)
        tokens, updated = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[client] = (tokens, now)  # now the most recently seen
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait

    def _forget_full(self, now: float) -> None:
        while self._buckets:
            oldest = next(iter(self._buckets))
            if now - self._buckets[oldest][1] < self.refill_seconds:
                return
            del self._buckets[oldest]


class RateLimitMiddleware:
    """Answers 429 to a client address over ``rate`` requests a second (after a ``burst``), with
    ``Retry-After`` and a JSON body naming the limit; paths in ``exempt`` are never limited."""

    def __init__(
        self,
        app: ASGIApp,
        rate: float,
        burst: int,
        exempt: Collection[str] = ("/health",),
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate, burst, max_clients)
        self.exempt = frozenset(exempt)
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "", self.clock())
        if wait <= 0.0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        rate, burst = self.buckets.rate, self.buckets.burst
        message = (
            f"too many requests: each client may send {rate:g} a second in bursts of up to {burst} "
            f"(rate_limit, rate_burst); retry after {retry_after} s"
        )
        body = {"error": message, "limit": "rate_limit", "maximum": rate, "burst": burst}
        response = JSONResponse(body, status_code=429, headers={"retry-after": str(retry_after)})
        await response(scope, receive, send)
