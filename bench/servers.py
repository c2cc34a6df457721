"""Servers for the HTTP figures: started on a free port of 127.0.0.1, timed until they first
answer, and stopped by their PID.

The product is ``trialgraph serve`` (the rate limit off: every client has the same address);
the references are :mod:`bench.reference_app`. A server's output goes to a log file in the work
folder, which an error quotes if the server stops before it answers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[1]
POLL_SECONDS = 0.02


@dataclass(frozen=True, slots=True)
class Server:
    url: str  # http://127.0.0.1:PORT
    pid: int
    startup_seconds: float  # from starting the process to its first answer
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def serve_command(
    port: int, *, snapshot: Path | None = None, data: Path | None = None, workers: int = 1
) -> list[str]:
    """``trialgraph serve`` on ``port``: from a snapshot or from documents."""
    command = [sys.executable, "-m", "server.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--rate-limit", "0", "-q"]
    if snapshot is not None:
        command += ["--snapshot", str(snapshot)]
    if data is not None:
        command += ["--data", str(data)]
    if workers > 1:
        command += ["--workers", str(workers)]
    return command


def reference_command(port: int, snapshot: Path) -> list[str]:
    return [sys.executable, "-m", "bench.reference_app", "--snapshot", str(snapshot), "--port", str(port)]


@contextmanager
def running(
    command: Sequence[str],
    port: int,
    log: Path,
    timeout: float = 1800.0,
    *,
    cwd: Path = REPO,
    env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """Run ``command`` (output appended to ``log``) until the block ends, then stop it by its
    PID; its start-up is timed to the first ``/health`` 200. A server that stops or does not
    answer within ``timeout`` seconds raises ``RuntimeError`` quoting the log."""
    url = f"http://{HOST}:{port}"
    with open(log, "ab") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=None if env is None else dict(env),
        )
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[2:4]} stopped with {process.returncode}:\n{_tail(log)}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.perf_counter() - started > timeout:
                    raise RuntimeError(
                        f"no answer from {url} within {timeout:.0f} s:\n{_tail(log)}"
                    ) from None
                time.sleep(POLL_SECONDS)
        yield Server(url, process.pid, time.perf_counter() - started, process)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def rss_mb(pid: int) -> float:
    """A running process's resident memory (``VmRSS``), in MB; 0 if it cannot be read."""
    try:
        with open(f"/proc/{pid}/status") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0.0
    return int(line.split()[1]) / 1024
