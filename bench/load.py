"""HTTP load: concurrent asyncio clients posting requests to a server on 127.0.0.1 for a fixed time.

Each client has its own ``httpx.AsyncClient`` (one kept-alive connection) and sends one request
after another, going round its share of the request list (clients start at different places).
A warm-up is sent first and not counted; then every exchange is timed with
``time.perf_counter`` until the time is up, and the load stops by itself. A failed exchange, a
status other than 200 or a body with an ``errors`` entry counts as an error. The clients'
own CPU time is recorded: on a small machine the load generator can be the bottleneck.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

LOOPBACK = "127.0.0.1"  # load only ever goes here


@dataclass(frozen=True, slots=True)
class Request:
    """One request: a JSON body posted to ``path``, named by its operation."""

    operation: str
    body: bytes
    path: str = "/graphql"

    @classmethod
    def graphql(cls, operation: str, document: str, variables: dict[str, Any]) -> Request:
        body = {"query": document, "variables": variables, "operationName": operation}
        return cls(operation, json.dumps(body).encode())


@dataclass(slots=True)
class LoadResult:
    """What one run saw: seconds per exchange by operation, errors, and how busy the clients were."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_error: str = ""
    seconds: float = 0.0
    client_cpu_seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(found) for found in self.latencies.values())

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def all_latencies(self) -> list[float]:
        return [value for found in self.latencies.values() for value in found]


async def _client(
    url: str, requests: Sequence[Request], start: int, measure_from: float, stop_at: float, result: LoadResult
) -> None:
    headers = {"content-type": "application/json", "accept": "application/json"}
    async with httpx.AsyncClient(base_url=url, timeout=60.0) as client:
        n = start
        while True:
            before = time.perf_counter()
            if before >= stop_at:
                return
            request = requests[n % len(requests)]
            n += 1
            problem = ""
            try:
                response = await client.post(request.path, content=request.body, headers=headers)
                if response.status_code != 200:
                    problem = f"HTTP {response.status_code}: {response.text[:200]}"
                elif b'"errors":' in response.content:
                    problem = response.text[:300]
            except httpx.HTTPError as error:
                problem = repr(error)
            elapsed = time.perf_counter() - before
            if before < measure_from:
                continue
            if problem:
                result.errors[request.operation] += 1
                result.first_error = result.first_error or f"{request.operation}: {problem}"
            else:
                result.latencies[request.operation].append(elapsed)


async def _run(
    url: str, requests: Sequence[Request], clients: int, warmup: float, seconds: float
) -> LoadResult:
    result = LoadResult()
    begun = time.perf_counter()
    measure_from = begun + warmup
    stop_at = measure_from + seconds
    cpu_before = time.process_time()
    spread = max(1, len(requests) // clients)
    await asyncio.gather(
        *(_client(url, requests, n * spread, measure_from, stop_at, result) for n in range(clients))
    )
    result.seconds = time.perf_counter() - measure_from
    result.client_cpu_seconds = (time.process_time() - cpu_before) * seconds / (seconds + warmup)
    return result


def run_load(
    url: str, requests: Sequence[Request], *, clients: int, seconds: float, warmup: float = 1.0
) -> LoadResult:
    """Send ``requests`` round and round from ``clients`` concurrent clients for ``seconds``."""
    if urlsplit(url).hostname != LOOPBACK:
        raise ValueError(f"load is only sent to {LOOPBACK}, not {url}")
    if not requests:
        raise ValueError("no requests to send")
    return asyncio.run(_run(url, requests, clients, warmup, seconds))


def run_sequential(url: str, request: Request, *, count: int, warmup: int = 2) -> LoadResult:
    """Send one request ``count`` times, one at a time: the latency of a large answer alone."""
    if urlsplit(url).hostname != LOOPBACK:
        raise ValueError(f"load is only sent to {LOOPBACK}, not {url}")
    result = LoadResult()
    headers = {"content-type": "application/json", "accept": "application/json"}
    with httpx.Client(base_url=url, timeout=120.0) as client:
        started = None
        for n in range(warmup + count):
            if n == warmup:
                started = time.perf_counter()
            before = time.perf_counter()
            response = client.post(request.path, content=request.body, headers=headers)
            elapsed = time.perf_counter() - before
            if n < warmup:
                continue
            if response.status_code != 200 or b'"errors":' in response.content:
                result.errors[request.operation] += 1
                result.first_error = result.first_error or f"{request.operation}: {response.text[:300]}"
            else:
                result.latencies[request.operation].append(elapsed)
        result.seconds = time.perf_counter() - (started or time.perf_counter())
    return result
