"""HTTP load: concurrent asyncio clients posting requests to a server on 127.0.0.1 for a fixed time.

Each client keeps one HTTP/1.1 connection alive and goes round its share of the request list
(clients start at different places). A client either sends its next request as soon as the last
is answered (saturating: the server's throughput, and latency with a queue) or at a fixed pace
(``rate`` requests a second from all clients together, each client's requests evenly spaced):
then a request sent late because the last answer came late is timed from when it was due, so
that a server falling behind is not hidden by the client waiting for it. A warm-up is sent
first and not counted; then every exchange is timed with ``time.perf_counter`` until the time
is up, and the load stops by itself. A failed exchange, a status other than 200 or a body with
an ``errors`` entry counts as an error.

The client writes each request whole and reads the answer by its length, with nothing else in
between: an HTTP library's client spends more CPU per request than the server's fast path,
and on a small machine the load generator shares the server's cores. Its own CPU time is
recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urlsplit

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

    def record(self, request: Request, elapsed: float, problem: str) -> None:
        if problem:
            self.errors[request.operation] += 1
            self.first_error = self.first_error or f"{request.operation}: {problem}"
        else:
            self.latencies[request.operation].append(elapsed)


class Connection:
    """One kept-alive HTTP/1.1 connection to ``url``'s host and port."""

    def __init__(self, url: str) -> None:
        parts = loopback(url)
        self.host, self.port = LOOPBACK, parts.port or 80
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """Post ``body``; the answer's status and body (dechunked)."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            writer.write(head.encode() + body)
            status_line, *lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in lines if line)
            if "content-length" in headers:
                answer = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding") == "chunked":
                answer = await _chunks(reader)
            else:
                raise ValueError(f"an answer with neither a length nor chunks: {status_line}")
            if headers.get("connection") == "close":
                await self.close()
            return int(status_line.split()[1]), answer
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self.streams is not None:
            writer = self.streams[1]
            self.streams = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


def loopback(url: str) -> SplitResult:
    """``url`` split, if it names the loopback address; ValueError otherwise."""
    parts = urlsplit(url)
    if parts.hostname != LOOPBACK:
        raise ValueError(f"load is only sent to {LOOPBACK}, not {url}")
    return parts


async def _chunks(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
    await reader.readuntil(b"\r\n")  # no trailers are sent
    return b"".join(parts)


async def exchange(connection: Connection, request: Request) -> str:
    """Send ``request``; what went wrong, or ``""``."""
    try:
        status, answer = await connection.post(request.path, request.body)
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
        return repr(error)
    if status != 200:
        return f"HTTP {status}: {answer[:200].decode(errors='replace')}"
    if b'"errors":' in answer:
        return answer[:300].decode(errors="replace")
    return ""


@dataclass(frozen=True, slots=True)
class _Plan:
    begun: float
    measure_from: float
    stop_at: float
    interval: float | None  # seconds between one client's requests; None: saturating


async def _client(
    url: str, requests: Sequence[Request], start: int, phase: float, plan: _Plan, result: LoadResult
) -> None:
    connection = Connection(url)
    n = start
    due = plan.begun + phase * (plan.interval or 0.0)  # paced clients out of step with each other
    try:
        while due < plan.stop_at:
            # Timed from when it was due if the last answer came later (the server fell behind),
            # else from when it is sent: a client's sleep ends up to a millisecond late, and
            # that is not the server's time.
            sent = time.perf_counter()
            if plan.interval is None:
                due = sent
            elif due > sent:
                await asyncio.sleep(due - sent)
                sent = time.perf_counter()
            else:
                sent = due
            request = requests[n % len(requests)]
            n += 1
            problem = await exchange(connection, request)
            if due >= plan.measure_from:
                result.record(request, time.perf_counter() - sent, problem)
            if plan.interval is not None:
                due += plan.interval
    finally:
        await connection.close()


async def _run(
    url: str,
    requests: Sequence[Request],
    clients: int,
    warmup: float,
    seconds: float,
    rate: float | None,
) -> LoadResult:
    result = LoadResult()
    begun = time.perf_counter()
    plan = _Plan(begun, begun + warmup, begun + warmup + seconds, None if rate is None else clients / rate)
    cpu_before = time.process_time()
    spread = max(1, len(requests) // clients)
    await asyncio.gather(
        *(_client(url, requests, n * spread, n / clients, plan, result) for n in range(clients))
    )
    result.seconds = time.perf_counter() - plan.measure_from
    result.client_cpu_seconds = (time.process_time() - cpu_before) * seconds / (seconds + warmup)
    return result


def run_load(
    url: str,
    requests: Sequence[Request],
    *,
    clients: int,
    seconds: float,
    warmup: float = 1.0,
    rate: float | None = None,
) -> LoadResult:
    """Send ``requests`` round and round from ``clients`` concurrent clients for ``seconds``:
    each as fast as it is answered, or with ``rate``, at that many requests a second in all."""
    loopback(url)
    if not requests:
        raise ValueError("no requests to send")
    if rate is not None and rate <= 0:
        raise ValueError(f"a rate of {rate} requests a second")
    return asyncio.run(_run(url, requests, clients, warmup, seconds, rate))


def run_sequential(url: str, request: Request, *, count: int, warmup: int = 2) -> LoadResult:
    """Send one request ``count`` times, one at a time: the latency of a large answer alone."""
    return asyncio.run(_sequential(Connection(url), request, count, warmup))


async def _sequential(connection: Connection, request: Request, count: int, warmup: int) -> LoadResult:
    result = LoadResult()
    try:
        for _ in range(warmup):
            await exchange(connection, request)
        started = time.perf_counter()
        for _ in range(count):
            before = time.perf_counter()
            problem = await exchange(connection, request)
            result.record(request, time.perf_counter() - before, problem)
        result.seconds = time.perf_counter() - started
    finally:
        await connection.close()
    return result
