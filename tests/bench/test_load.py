"""The benchmark's HTTP client against a server on the loopback that answers in every way the
client must read: by length, in chunks, with an error status, with GraphQL errors, closing."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from bench.load import Request, run_load, run_sequential

ANSWERS = {
    b"/length": b'HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n{"data":{}}',
    b"/chunks": (
        b'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\n{"da\r\n7;x=1\r\nta":{}}\r\n0\r\n\r\n'
    ),
    b"/refused": b"HTTP/1.1 429 Too Many Requests\r\ncontent-length: 4\r\n\r\nslow",
    b"/errors": b'HTTP/1.1 200 OK\r\ncontent-length: 24\r\n\r\n{"errors":[{"m":"no"}]}\n',
    b"/closing": b'HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 11\r\n\r\n{"data":{}}',
}


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while head := await reader.readuntil(b"\r\n\r\n"):
            path = head.split(b" ")[1]
            lines = head.split(b"\r\n")
            length = next(
                int(line.split(b":")[1]) for line in lines if line.lower().startswith(b"content-length")
            )
            await reader.readexactly(length)
            writer.write(ANSWERS[path])
            await writer.drain()
            if path == b"/closing":
                break
    except asyncio.IncompleteReadError:
        pass
    writer.close()


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(asyncio.start_server(_answer, "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.close()


def _request(path: str) -> Request:
    return Request("Op", b'{"query":"{x}"}', path)


@pytest.mark.parametrize("path", ["/length", "/chunks", "/closing"])
def test_answers_by_length_in_chunks_or_closing_are_read_whole(url: str, path: str) -> None:
    result = run_sequential(url, _request(path), count=5)
    assert result.errors == {} and len(result.latencies["Op"]) == 5


@pytest.mark.parametrize(("path", "said"), [("/refused", "HTTP 429: slow"), ("/errors", '{"errors":')])
def test_a_refusal_or_graphql_errors_count_as_errors(url: str, path: str, said: str) -> None:
    result = run_load(url, [_request(path)], clients=2, seconds=0.2, warmup=0.05)
    assert result.requests == 0 and result.errors["Op"] > 0
    assert result.first_error.startswith(f"Op: {said}")


def test_paced_clients_send_no_more_than_their_schedule(url: str) -> None:
    result = run_load(url, [_request("/length")], clients=4, seconds=0.5, warmup=0.1, rate=40)
    assert 0 < result.requests <= 40 * 0.5 + 4
    assert result.errors == {}


def test_load_goes_only_to_the_loopback() -> None:
    with pytest.raises(ValueError, match=r"only sent to 127\.0\.0\.1"):
        run_load("http://10.0.0.1:80", [_request("/length")], clients=1, seconds=0.1)
    with pytest.raises(ValueError, match="rate of 0"):
        run_load("http://127.0.0.1:9", [_request("/length")], clients=1, seconds=0.1, rate=0)
