"""The frontend contract, run verbatim against a live server with the shared checker."""

from __future__ import annotations

import subprocess
import sys

from tests.live import LiveServer
from tests.paths import CONTRACT, SHARED


def test_the_contract_passes_on_the_seed(seed_server: LiveServer) -> None:
    checker = SHARED / "tools" / "contract_check.py"
    result = subprocess.run(
        [sys.executable, str(checker), seed_server.graphql, str(CONTRACT / "seed-expected.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "6 passed, 0 failed"
