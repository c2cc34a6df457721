"""The committed SDL is the schema the service serves; frontends diff it."""

from __future__ import annotations

import subprocess
import sys

from schema.build import create_schema
from tests.paths import REPO


def test_the_committed_sdl_matches_the_schema() -> None:
    committed = (REPO / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == str(create_schema()).rstrip("\n") + "\n", (
        "schema/schema.graphql is stale: run `.venv/bin/trialgraph schema > schema/schema.graphql`"
    )


def test_trialgraph_schema_prints_the_committed_sdl() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "server.cli", "schema"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert printed == (REPO / "schema" / "schema.graphql").read_text(encoding="utf-8")
