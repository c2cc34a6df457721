"""SIGTERM drains: no new connections, the requests in flight finish (one still on its way on a
connection already accepted too), then serve exits 0; a request still running after
``--drain-seconds`` is cut so that the process stops all the same."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from lxml import etree

from graph.synth import CorpusSpec, write_corpus
from tests.paths import SEEDS
from tests.server.test_reload import serving, until

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 synth trials: a whole-graph GraphML export of about 14 MB, far more than socket buffers hold."""
    output = tmp_path_factory.mktemp("synth") / "synth.jsonl"
    write_corpus(CorpusSpec(1000, 3), output)
    return output


def test_sigterm_lets_a_download_in_flight_finish_then_exits_0(tmp_path: Path, corpus: Path) -> None:
    with serving("--data", str(corpus), log=tmp_path / "server.log") as served:
        url = served.server.url
        with httpx.stream("GET", f"{url}/export/graphml", timeout=60) as response:
            chunks = response.iter_bytes()
            received = [next(chunks)]
            os.kill(served.server.pid, signal.SIGTERM)
            time.sleep(1.0)  # the client reads nothing meanwhile: the server waits to send the rest
            still_running = served.process.poll() is None
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"{url}/health", timeout=5)  # no new connections once draining
            received += list(chunks)
            status = response.status_code
        returncode = served.process.wait(timeout=30)
    assert (status, still_running, returncode) == (200, True, 0)
    document = etree.fromstring(b"".join(received))
    graph = document.find(f"{GRAPHML}graph")
    assert graph is not None
    assert len(graph.findall(f"{GRAPHML}node")) > 10_000
    assert "Traceback" not in served.output()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_idle_server_stops_at_once_with_0(tmp_path: Path, signum: int) -> None:
    with serving("--data", str(SEEDS), log=tmp_path / "server.log") as served:
        httpx.post(served.server.graphql, json={"query": "{ stats { trials } }"})
        started = time.monotonic()
        os.kill(served.server.pid, signum)
        returncode = served.process.wait(timeout=30)
    assert returncode == 0
    assert time.monotonic() - started < 5
    assert served.output() == f"serving 1 trials at {served.server.graphql}\n"


def test_a_request_still_running_after_the_drain_time_is_cut(tmp_path: Path, corpus: Path) -> None:
    with (
        serving("--data", str(corpus), "--drain-seconds", "1", log=tmp_path / "server.log") as served,
        httpx.stream("GET", f"{served.server.url}/export/graphml", timeout=60) as response,
    ):
        chunks = response.iter_bytes()  # kept: a dropped iterator would close the connection
        next(chunks)
        started = time.monotonic()
        os.kill(served.server.pid, signal.SIGTERM)
        returncode = served.process.wait(timeout=30)  # the client never reads on
        waited = time.monotonic() - started
        with pytest.raises(httpx.RemoteProtocolError):
            list(chunks)
    assert returncode == 0
    assert 0.9 <= waited < 10
    # uvicorn says so, and logs the cancelled request with its traceback.
    assert "ERROR:    Cancel 1 running task(s), timeout graceful shutdown exceeded" in served.output()


def test_a_request_on_its_way_when_draining_begins_is_answered_then_the_connection_closed(
    tmp_path: Path,
) -> None:
    """uvicorn alone closes a connection it has accepted but read no request from the moment it
    begins to drain; a client that sends its request right after connecting is then dropped."""
    with serving("--data", str(SEEDS), log=tmp_path / "server.log") as served:
        address = urlsplit(served.server.url)
        waiting = socket.create_connection((address.hostname, address.port), timeout=10)
        # Answered on a later connection: the server has accepted the first one by then.
        assert httpx.get(f"{served.server.url}/health", timeout=10).status_code == 200
        os.kill(served.server.pid, signal.SIGTERM)
        refused = until(lambda: _refused(address.hostname, address.port), what="the server draining")
        body = b'{"query": "{ stats { trials } }"}'
        waiting.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: trialgraph\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        answer = _read_to_end(waiting)
        returncode = served.process.wait(timeout=30)
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert refused
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 200 OK"
    assert b"connection: close" in head.lower().split(b"\r\n")
    assert payload == b'{"data":{"stats":{"trials":1}}}'
    assert returncode == 0


def _refused(host: str | None, port: int | None) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def _read_to_end(connection: socket.socket) -> bytes:
    received = b""
    with connection:
        while chunk := connection.recv(65536):
            received += chunk
    return received
