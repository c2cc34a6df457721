"""`trialgraph serve`: what it loads, what it refuses, and the settings it runs with."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import httpx

from tests.live import LiveServer, live_server
from tests.paths import CONTRACT, CTGOV, REPO, SEED_PAGE, SHARED


def _broken_copy(folder: Path) -> Path:
    shutil.copy(SEED_PAGE, folder / "seed.txt")
    (folder / "broken.json").write_text('{"protocolSection": {"identificationModule": {"nctId": "NCT1"}}}')
    return folder


def test_broken_data_stops_serve_with_its_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "-q",
            "--port",
            "1",
            "--data",
            str(_broken_copy(tmp_path)),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'broken.json'}: $.protocolSection.identificationModule.nctId: "
        "'NCT1' is not 'NCT' and 8 digits",
        "trialgraph: the documents did not load; fix them or pass --skip-invalid",
    ]


def test_skip_invalid_serves_the_rest(tmp_path: Path) -> None:
    with live_server([str(_broken_copy(tmp_path))], "--skip-invalid") as server:
        health = json.loads(urllib.request.urlopen(f"{server.url}/health").read())
    assert health["status"] == "ok" and health["trials"] == 1


def test_health(seed_server: LiveServer) -> None:
    answer = httpx.get(f"{seed_server.url}/health")
    assert answer.status_code == 200
    assert set(answer.json()) == {"status", "trials", "dataVersion"}
    assert answer.json()["trials"] == 1


def test_cors_allows_only_the_configured_origins() -> None:
    with live_server([], "--cors-origin", "https://app.example") as server:
        allowed = httpx.options(
            server.graphql,
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
        )
        refused = httpx.options(
            server.graphql,
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        simple = httpx.post(
            server.graphql, json={"query": "{ stats { trials } }"}, headers={"Origin": "https://app.example"}
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    assert simple.headers["access-control-allow-origin"] == "https://app.example"


def test_without_cors_origins_no_cross_origin_headers(seed_server: LiveServer) -> None:
    answer = httpx.post(
        seed_server.graphql, json={"query": "{ stats { trials } }"}, headers={"Origin": "https://a.example"}
    )
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers


def test_introspection_and_suggestions_can_be_switched_off() -> None:
    with live_server([], "--no-introspection", "--no-graphiql") as server:
        schema = httpx.post(server.graphql, json={"query": "{ __schema { types { name } } }"}).json()
        typo = httpx.post(server.graphql, json={"query": '{ trail(nctId: "x") { nctId } }'}).json()
        page = httpx.get(server.graphql, headers={"Accept": "text/html"})
    assert [error["message"] for error in schema["errors"]] == [
        "GraphQL introspection has been disabled, but the requested query contained the field '__schema'.",
        "GraphQL introspection has been disabled, but the requested query contained the field 'types'.",
    ]
    assert [error["message"] for error in typo["errors"]] == ["Cannot query field 'trail' on type 'Query'."]
    assert "graphiql" not in page.text.lower()


def test_an_unknown_setting_value_in_the_environment_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "TRIALGRAPH_MAX_DEPTH": "deep"},
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1]
        == "trialgraph: TRIALGRAPH_MAX_DEPTH='deep': expected a whole number"
    )


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_serve_from_a_snapshot_answers_the_contract(tmp_path: Path) -> None:
    snapshot = tmp_path / "seed.snapshot"
    made = subprocess.run(
        [sys.executable, "-m", "server.cli", "snapshot", "-q", "--output", str(snapshot)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert made.stderr.startswith(f"wrote {snapshot}: 1 trials, 11 nodes, 16 edges,")
    with live_server([], "--snapshot", str(snapshot)) as server:
        result = subprocess.run(
            [
                sys.executable,
                str(SHARED / "tools" / "contract_check.py"),
                server.graphql,
                str(CONTRACT / "seed-expected.json"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stdout


def test_a_snapshot_of_other_data_stops_serve(tmp_path: Path) -> None:
    snapshot = tmp_path / "seed.snapshot"
    subprocess.run(
        [sys.executable, "-m", "server.cli", "snapshot", "-q", "--output", str(snapshot)],
        cwd=REPO,
        check=True,
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "-q",
            "--snapshot",
            str(snapshot),
            "--data",
            str(CTGOV),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"trialgraph: {snapshot}: made from other documents than the ones given")


def test_workers_share_one_snapshot_and_all_answer() -> None:
    with live_server([str(CTGOV)], "--workers", "2") as server:
        answers = {
            json.dumps(httpx.post(server.graphql, json={"query": "{ stats { trials } }"}).json())
            for _ in range(20)
        }
        workers = [
            pid for pid in _children(server.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
    assert answers == {json.dumps({"data": {"stats": {"trials": 14}}})}
    assert len(workers) == 2
