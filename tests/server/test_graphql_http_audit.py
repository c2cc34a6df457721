"""The graphql-http server audit of the GraphQL-over-HTTP spec, run against the live seed server."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.live import LiveServer
from tests.paths import REPO

WEB = REPO / "web"
GRAPHQL_HTTP = WEB / "node_modules" / "graphql-http" / "package.json"
# How many server audits each graphql-http version runs (web/package.json pins the version), so
# that a run of fewer, or of none, cannot pass.
AUDITS_BY_VERSION = {"1.23.1": 61}


@pytest.mark.npm
def test_every_audit_passes(seed_server: LiveServer) -> None:
    node = shutil.which("node")
    assert node, "node is not on PATH"
    assert GRAPHQL_HTTP.exists(), "graphql-http is not installed: run `npm ci --prefix web` (make test does)"
    version = json.loads(GRAPHQL_HTTP.read_text(encoding="utf-8"))["version"]
    assert version in AUDITS_BY_VERSION, (
        f"graphql-http {version} is installed: record how many audits it runs"
    )

    run = subprocess.run(
        [node, str(WEB / "audit.mjs"), seed_server.graphql], capture_output=True, text=True, timeout=120
    )
    assert run.stdout, run.stderr
    results = json.loads(run.stdout)

    failing = [f"{r['id']} {r['status']}: {r['name']}: {r['reason']}" for r in results if r["status"] != "ok"]
    assert not failing, "\n".join(failing)
    assert run.returncode == 0, run.stderr
    assert len(results) == AUDITS_BY_VERSION[version]
    assert len({result["id"] for result in results}) == len(results)
