"""The per-client rate limit: a token bucket per client address, 429 with Retry-After past it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from server.rate_limit import RateLimitMiddleware, TokenBuckets
from server.settings import Settings, SettingsError
from tests.live import LiveServer, live_server
from tests.paths import REPO, SEEDS

QUERY = {"query": "{ stats { trials } }"}


# ---- the buckets


def test_a_client_gets_its_burst_then_waits_for_the_rate() -> None:
    buckets = TokenBuckets(rate=2.0, burst=3)
    assert [buckets.take("a", 0.0) for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]
    assert buckets.take("a", 0.25) == pytest.approx(0.25)  # half a token back, half to wait for
    assert buckets.take("a", 0.5) == 0.0  # a whole token back: taken
    assert buckets.take("b", 0.5) == 0.0  # another client has a bucket of its own


def test_a_refused_request_takes_no_token() -> None:
    buckets = TokenBuckets(rate=1.0, burst=1)
    assert buckets.take("a", 0.0) == 0.0
    assert [buckets.take("a", 0.0) for _ in range(100)] == [1.0] * 100
    assert buckets.take("a", 1.0) == 0.0


def test_clients_idle_until_their_bucket_is_full_are_forgotten() -> None:
    buckets = TokenBuckets(rate=10.0, burst=20)  # full again 2 s after being emptied
    for number in range(1000):
        buckets.take(f"10.0.{number // 256}.{number % 256}", number / 1000)
    assert len(buckets) == 1000
    buckets.take("10.9.9.9", 2.5)  # those seen at 0.5 s or before are full by now: forgotten
    assert len(buckets) == 1 + 499


def test_the_clients_kept_are_bounded_even_under_a_flood_of_addresses() -> None:
    buckets = TokenBuckets(rate=1.0, burst=100, max_clients=50)
    for number in range(10_000):
        buckets.take(f"client {number}", 0.0)
        assert len(buckets) <= 50
    assert buckets.take("client 9999", 0.0) == 0.0  # the latest kept their bucket: 98 left
    assert buckets.take("client 0", 0.0) == 0.0  # the first were forgotten: a full bucket again


# ---- the middleware, called as uvicorn calls it


async def _ok(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _call(
    app: RateLimitMiddleware, path: str, client: str = "192.0.2.1"
) -> tuple[int, dict[str, str], bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "client": (client, 1234)}
    asyncio.run(app(scope, receive, send))
    headers = {name.decode(): value.decode() for name, value in sent[0].get("headers", [])}
    return sent[0]["status"], headers, b"".join(message.get("body", b"") for message in sent[1:])


def test_past_the_burst_429_with_retry_after_and_a_body_naming_the_limit() -> None:
    now = [100.0]
    app = RateLimitMiddleware(_ok, rate=0.25, burst=2, clock=lambda: now[0])
    statuses = [_call(app, "/graphql")[0] for _ in range(2)]
    status, headers, body = _call(app, "/graphql")
    assert statuses == [200, 200]
    assert (status, headers["retry-after"], headers["content-type"]) == (429, "4", "application/json")
    assert json.loads(body) == {
        "error": "too many requests: each client may send 0.25 a second in bursts of up to 2 "
        "(rate_limit, rate_burst); retry after 4 s",
        "limit": "rate_limit",
        "maximum": 0.25,
        "burst": 2,
    }
    now[0] += 4
    assert _call(app, "/graphql")[0] == 200


def test_retry_after_is_a_whole_number_of_seconds_of_at_least_one() -> None:
    app = RateLimitMiddleware(_ok, rate=1000.0, burst=1, clock=lambda: 0.0)
    _call(app, "/graphql")
    status, headers, _ = _call(app, "/graphql")
    assert (status, headers["retry-after"]) == (429, "1")


def test_health_and_other_kinds_of_scope_are_never_limited() -> None:
    app = RateLimitMiddleware(_ok, rate=1.0, burst=1, clock=lambda: 0.0)
    assert [_call(app, "/health")[0] for _ in range(5)] == [200] * 5
    assert _call(app, "/graphql")[0] == 200
    assert _call(app, "/graphql")[0] == 429
    assert _call(app, "/health")[0] == 200
    assert _call(app, "/graphql", client="192.0.2.2")[0] == 200


# ---- settings


def test_the_default_is_on_and_generous() -> None:
    settings = Settings()
    assert (settings.rate_limit, settings.rate_burst) == (100.0, 200)


def test_the_limit_is_read_from_the_environment() -> None:
    environ = {"TRIALGRAPH_RATE_LIMIT": "2.5", "TRIALGRAPH_RATE_BURST": "7"}
    settings = Settings.from_environment(environ)
    assert (settings.rate_limit, settings.rate_burst) == (2.5, 7)
    assert Settings.from_environment(environ, rate_limit=0.0).rate_limit == 0.0


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TRIALGRAPH_RATE_LIMIT": "fast"}, "TRIALGRAPH_RATE_LIMIT='fast': expected a number of 0 or more"),
        ({"TRIALGRAPH_RATE_LIMIT": "-1"}, "TRIALGRAPH_RATE_LIMIT='-1': expected a number of 0 or more"),
        ({"TRIALGRAPH_RATE_LIMIT": "nan"}, "TRIALGRAPH_RATE_LIMIT='nan': expected a number of 0 or more"),
        (
            {"TRIALGRAPH_RATE_BURST": "0"},
            "rate_limit must be 0 (off) or more and rate_burst 1 or more; got 100.0 and 0",
        ),
    ],
)
def test_a_bad_limit_is_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment(environ)
    assert str(refused.value) == message


def test_serve_refuses_a_bad_limit_on_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "-q", "--rate-limit", "-3"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "argument --rate-limit: expected a number of 0 or more, got '-3'" in result.stderr


# ---- a live server


@pytest.fixture(scope="module")
def limited_server() -> Iterator[LiveServer]:
    with live_server([str(SEEDS)], "--rate-limit", "0.5", "--rate-burst", "10") as server:
        yield server


def _as(client: str) -> dict[str, str]:
    # uvicorn takes the client address from X-Forwarded-For when the peer is 127.0.0.1, its
    # default trusted proxy: so one test process can be several clients.
    return {"x-forwarded-for": client}


def test_a_live_server_limits_each_client_address(limited_server: LiveServer) -> None:
    with httpx.Client(timeout=10) as client:
        statuses = [
            client.post(limited_server.graphql, json=QUERY, headers=_as("198.51.100.1")).status_code
            for _ in range(10)
        ]
        refused = client.post(limited_server.graphql, json=QUERY, headers=_as("198.51.100.1"))
        # The connection carries on after a 429, to other paths and for other clients.
        other = client.post(limited_server.graphql, json=QUERY, headers=_as("198.51.100.2"))
        export = client.get(f"{limited_server.url}/export/graphml", headers=_as("198.51.100.1"))
        health = client.get(f"{limited_server.url}/health", headers=_as("198.51.100.1"))
    assert statuses == [200] * 10
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "2")
    assert refused.json()["limit"] == "rate_limit" and refused.json()["maximum"] == 0.5
    assert other.json() == {"data": {"stats": {"trials": 1}}}
    assert export.status_code == 429
    assert health.status_code == 200


def test_without_a_limit_a_client_is_never_refused() -> None:
    with live_server([str(SEEDS)], env={"TRIALGRAPH_RATE_LIMIT": "0"}) as server, httpx.Client() as client:
        statuses = {client.get(f"{server.url}/static/explorer/main.js").status_code for _ in range(300)}
    assert statuses == {200}
