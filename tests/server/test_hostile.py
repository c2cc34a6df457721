"""Hostile requests under load: each refused within a second with a 4xx or a GraphQL error naming
its limit, never a 5xx or a traceback; repeated hundreds of times from several clients at once,
they leave the server serving and its memory flat.

The query bombs are the ones of ``test_limit_bombs``; the bad bodies are those of
``test_http_protocol``, which checks each answer word for word. Here they are repeated.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.paths import REPO, SEEDS
from tests.server.test_limit_bombs import BOMBS
from tests.server.test_reload import Served, serving

SEED_TRIAL = "Trial:NCT05697718"
REPEATS = 200  # of each, sent by CLIENTS at once
CLIENTS = 8
WARM_UP = 20  # of each bomb before memory is measured: caches and allocator pools fill
RSS_GROWTH_KB = 5 * 1024  # the most the server's VmRSS may grow over the REPEATS of one bomb


@dataclass(frozen=True)
class Hostile:
    """A request, and what its answer must be: a status and a text naming the limit."""

    method: str
    path: str
    status: int
    names: str  # in the body: the limit or the fault
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


def _query(query: str, message: str) -> Hostile:
    return Hostile("POST", "/graphql", 200, message, json.dumps({"query": query}).encode())


HOSTILE = {
    **{f"{name}-bomb": _query(query, message) for name, (query, message) in BOMBS.items()},
    "huge-first": _query("{ trials(first: 1000000) { totalCount } }", "first (page size) is limited to 100"),
    "huge-nested-first": _query(
        '{ trial(nctId: "NCT05697718") { sites(first: 100000) { totalCount } } }',
        "first (page size) is limited to 100",
    ),
    "huge-hops": _query(
        f'{{ neighborhood(id: "{SEED_TRIAL}", hops: 1000) {{ nodes {{ id }} }} }}', "hops is limited to 3"
    ),
    "huge-export-hops": Hostile(
        "GET", f"/export/graphml?node={SEED_TRIAL}&hops=1000000", 400, "hops is limited to 3 (max_hops)"
    ),
    "10-mb-body": Hostile(
        "POST",
        "/graphql",
        413,
        "the request body is limited to 100,000 bytes (max_body_bytes)",
        b'{"query": "{ stats { trials } }", "pad": "' + b"a" * 10_000_000 + b'"}',
    ),
    "malformed-json": Hostile("POST", "/graphql", 400, "is not valid JSON", b'{"query": "{ stats'),
    "invalid-utf-8": Hostile(
        "POST", "/graphql", 400, "is not valid UTF-8", b'{"query": "\xff\xfe{ stats }"}'
    ),
    "invalid-utf-8-get": Hostile(
        "GET", "/graphql?query=%7B__typename%7D&variables=%FF", 400, "is not valid JSON"
    ),
    "batch-of-5000": Hostile(
        "POST",
        "/graphql",
        400,
        "batching is not offered",
        b"[" + b",".join([b'{"query":"{a}"}'] * 5000) + b"]",
    ),
    "batch-over-the-body-limit": Hostile(
        "POST",
        "/graphql",
        413,
        "(max_body_bytes)",
        b"[" + b",".join([b'{"query":"{ stats { trials } }"}'] * 5000) + b"]",
    ),
    "deep-json": Hostile("POST", "/graphql", 400, "nests JSON arrays or objects too deeply", b"[" * 100_000),
}


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The seed, served as by default but with no rate limit: one test client sends it all."""
    log = tmp_path_factory.mktemp("hostile") / "server.log"
    with serving("--data", str(SEEDS), "--rate-limit", "0", log=log) as served:
        yield served


def _send(client: httpx.Client, served: Served, hostile: Hostile) -> httpx.Response:
    return client.request(
        hostile.method, served.server.url + hostile.path, content=hostile.body, headers=hostile.headers
    )


def _refused(response: httpx.Response, hostile: Hostile) -> bool:
    if response.status_code != hostile.status:
        return False
    if response.status_code != 200:
        return hostile.names in response.text
    answer: dict[str, Any] = response.json()
    return bool(answer.get("errors")) and any(hostile.names in error["message"] for error in answer["errors"])


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for process {pid}")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_request_is_refused_within_a_second_naming_its_limit(
    hostile_server: Served, name: str
) -> None:
    hostile = HOSTILE[name]
    with httpx.Client(timeout=10) as client:
        started = time.monotonic()
        response = _send(client, hostile_server, hostile)
        took = time.monotonic() - started
        after = client.post(hostile_server.server.graphql, json={"query": "{ stats { trials } }"})
    assert _refused(response, hostile), (response.status_code, response.text[:500])
    assert took < 1.0
    assert after.json() == {"data": {"stats": {"trials": 1}}}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_repeated_under_load_a_hostile_request_leaves_memory_flat(hostile_server: Served, name: str) -> None:
    hostile = HOSTILE[name]

    def send(count: int) -> list[tuple[bool, float]]:
        """Whether each answer was the refusal, and how long it took."""
        answers = []
        with httpx.Client(timeout=30) as client:
            for _ in range(count):
                started = time.monotonic()
                response = _send(client, hostile_server, hostile)
                answers.append((_refused(response, hostile), time.monotonic() - started))
        return answers

    with ThreadPoolExecutor(CLIENTS) as pool:
        warm = [
            answer for answers in pool.map(send, [WARM_UP // CLIENTS + 1] * CLIENTS) for answer in answers
        ]
        before = _rss_kb(hostile_server.server.pid)
        repeated = [
            answer for answers in pool.map(send, [REPEATS // CLIENTS] * CLIENTS) for answer in answers
        ]
        after = _rss_kb(hostile_server.server.pid)
    assert all(refused for refused, _ in warm + repeated) and len(repeated) == REPEATS
    # Queued behind each other: a tokens bomb costs the parser about 0.1 s before it is refused.
    latencies = sorted(took for _, took in repeated)
    assert latencies[len(latencies) // 2] < 1.0 and latencies[-1] < 5.0, latencies[-10:]
    assert after - before < RSS_GROWTH_KB, f"VmRSS {before:,} kB -> {after:,} kB over {REPEATS} requests"


def test_after_all_that_the_server_serves_and_never_wrote_a_traceback(hostile_server: Served) -> None:
    answer = httpx.post(hostile_server.server.graphql, json={"query": "{ stats { trials } }"}, timeout=10)
    assert answer.json() == {"data": {"stats": {"trials": 1}}}
    output = hostile_server.output()
    assert "Traceback" not in output and "ERROR" not in output, output[-3000:]
    assert output == f"serving 1 trials at {hostile_server.server.graphql}\n"


def test_the_soak_script_runs_clean_for_20_seconds(tmp_path: Path) -> None:
    """A smoke run of ``bench/soak.py`` (a benchmark, not a test: ten minutes by default)."""
    summary_file = tmp_path / "soak.json"
    result = subprocess.run(
        [
            sys.executable,
            "bench/soak.py",
            "--data",
            str(SEEDS),
            "--minutes",
            str(20 / 60),
            "--warmup-seconds",
            "3",
            "--window-seconds",
            "10",
            "--clients",
            "16",
            "--json",
            str(summary_file),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    summary = json.loads(summary_file.read_text())
    assert summary["errors"] == 0, (summary["first_errors"], result.stderr)
    assert summary["requests"] > 100
    assert set(summary["operations"]) == {
        "TrialCard",
        "FindTrials",
        "ConditionTrials",
        "OrganizationTrials",
        "InvestigatorTrials",
        "Refetch",
        "Neighborhood",
        "HowConnected",
    }
    assert [window["window"] for window in summary["windows"]] == [1, 2]
