"""A real server for end-to-end tests: ``trialgraph serve`` on 127.0.0.1, stopped by its PID."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.servers import free_port, running


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT
    pid: int

    @property
    def graphql(self) -> str:
        return f"{self.url}/graphql"


@contextmanager
def live_server(
    data: Sequence[str] = (), *extra: str, env: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    """Run ``trialgraph serve`` until the block ends; fail with its output if it never answers."""
    port = free_port()
    command = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "-q"]
    for path in data:
        command += ["--data", str(path)]
    command += list(extra)
    with tempfile.TemporaryDirectory(prefix="trialgraph-live-") as folder:
        log = Path(folder) / "server.log"
        with running(command, port, log, timeout=60, env={**os.environ, **(env or {})}) as server:
            yield LiveServer(server.url, server.pid)
