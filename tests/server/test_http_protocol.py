"""GraphQL over HTTP on a live server: media types, status codes, and bad requests refused cleanly."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live import LiveServer, live_server
from tests.paths import SEEDS

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"

QUERY = '{ trial(nctId: "NCT05697718") { nctId } stats { trials } }'
DATA = {"trial": {"nctId": "NCT05697718"}, "stats": {"trials": 1}}
SYNTAX_ERRORS = [
    {"message": "Syntax Error: Expected Name, found <EOF>.", "locations": [{"line": 1, "column": 2}]}
]
VALIDATION_ERRORS = [
    {"message": "Cannot query field 'xyzzy' on type 'Query'.", "locations": [{"line": 1, "column": 3}]}
]
PAGE_TOO_LARGE = "{ trials(first: 1000) { totalCount } }"
PAGE_ERRORS = [
    {
        "message": "first (page size) is limited to 100; 1000 was asked for",
        "locations": [{"line": 1, "column": 3}],
        "path": ["trials"],
    }
]
LIMIT = 100_000  # Limits.max_body_bytes by default


def _post(
    server: LiveServer, content: bytes | str, *, accept: str | None = None, content_type: str | None = JSON
) -> httpx.Response:
    headers = {name: value for name, value in (("accept", accept), ("content-type", content_type)) if value}
    return httpx.post(server.graphql, content=content, headers=headers, timeout=30)


def _post_json(server: LiveServer, params: object, accept: str | None = None) -> httpx.Response:
    return _post(server, json.dumps(params), accept=accept)


def _raw_exchange(server: LiveServer, *parts: bytes) -> tuple[int, bytes]:
    """Status and body of the answer to bytes written by hand, read until the server closes."""
    address = urlsplit(server.url)
    assert address.hostname and address.port
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        for part in parts:
            connection.sendall(part)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


# ---- queries over GET and POST


def test_a_post_query_is_answered(seed_server: LiveServer) -> None:
    response = _post_json(seed_server, {"query": QUERY})
    assert (response.status_code, response.headers["content-type"]) == (200, JSON)
    assert response.json() == {"data": DATA}


def test_a_get_query_is_answered(seed_server: LiveServer) -> None:
    response = httpx.get(seed_server.graphql, params={"query": QUERY}, headers={"accept": JSON})
    assert (response.status_code, response.headers["content-type"]) == (200, JSON)
    assert response.json() == {"data": DATA}


def test_a_get_query_takes_variables_and_an_operation_name(seed_server: LiveServer) -> None:
    params = {
        "query": "query Other { stats { trials } } query One($id: String!) { trial(nctId: $id) { nctId } }",
        "operationName": "One",
        "variables": json.dumps({"id": "NCT05697718"}),
    }
    response = httpx.get(seed_server.graphql, params=params, headers={"accept": GRAPHQL_RESPONSE})
    assert (response.status_code, response.headers["content-type"]) == (200, GRAPHQL_RESPONSE)
    assert response.json() == {"data": {"trial": {"nctId": "NCT05697718"}}}


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
def test_a_get_never_runs_a_mutation(seed_server: LiveServer, accept: str) -> None:
    params = {"query": "mutation { __typename }"}
    response = httpx.get(seed_server.graphql, params=params, headers={"accept": accept})
    assert (response.status_code, response.headers["content-type"]) == (405, accept)
    assert response.headers["allow"] == "POST"
    errors = [{"message": "mutations are not allowed when using GET; send them with POST"}]
    assert response.json() == ({"data": None, "errors": errors} if accept == JSON else {"errors": errors})


# ---- media types and status codes


@pytest.mark.parametrize(
    ("query", "accept", "status", "answer"),
    [
        (QUERY, JSON, 200, {"data": DATA}),
        (QUERY, GRAPHQL_RESPONSE, 200, {"data": DATA}),
        ("{", JSON, 200, {"data": None, "errors": SYNTAX_ERRORS}),
        ("{", GRAPHQL_RESPONSE, 400, {"errors": SYNTAX_ERRORS}),
        ("{ xyzzy }", JSON, 200, {"data": None, "errors": VALIDATION_ERRORS}),
        ("{ xyzzy }", GRAPHQL_RESPONSE, 400, {"errors": VALIDATION_ERRORS}),
        # Executed: the error nulls the whole result, yet the data entry is there, so 200.
        (PAGE_TOO_LARGE, JSON, 200, {"data": None, "errors": PAGE_ERRORS}),
        (PAGE_TOO_LARGE, GRAPHQL_RESPONSE, 200, {"data": None, "errors": PAGE_ERRORS}),
    ],
    ids=[
        "valid-json",
        "valid-gr",
        "syntax-json",
        "syntax-gr",
        "invalid-json",
        "invalid-gr",
        "null-json",
        "null-gr",
    ],
)
def test_the_answer_follows_the_accepted_media_type(
    seed_server: LiveServer, query: str, accept: str, status: int, answer: object
) -> None:
    response = _post_json(seed_server, {"query": query}, accept=accept)
    assert (response.status_code, response.headers["content-type"]) == (status, accept)
    assert response.json() == answer


@pytest.mark.parametrize(("accept", "status"), [(JSON, 200), (GRAPHQL_RESPONSE, 400)])
def test_variables_that_do_not_coerce_are_a_request_error(
    seed_server: LiveServer, accept: str, status: int
) -> None:
    params = {"query": "query One($id: String!) { trial(nctId: $id) { nctId } }", "variables": {"id": None}}
    response = _post_json(seed_server, params, accept=accept)
    assert (response.status_code, response.headers["content-type"]) == (status, accept)
    answer = response.json()
    assert ("data" in answer, len(answer["errors"])) == (accept == JSON, 1)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json, application/graphql-response+json", JSON),
        ("application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE),
        ("application/json;q=0.5, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("*/*, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/graphql-response+json;q=0.5, */*", JSON),
        ("application/graphql-response+json; charset=utf-8", GRAPHQL_RESPONSE),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
    ],
)
def test_the_media_type_is_negotiated_from_accept(
    seed_server: LiveServer, accept: str | None, media_type: str
) -> None:
    # A document that does not validate: 200 as application/json, 400 as the other.
    response = _post_json(seed_server, {"query": "{ xyzzy }"}, accept=accept)
    status = 200 if media_type == JSON else 400
    assert (response.status_code, response.headers["content-type"]) == (status, media_type)


@pytest.mark.parametrize("accept", ["text/html", "application/json;q=0", "application/json; charset=latin1"])
def test_an_accept_allowing_neither_media_type_gets_406(seed_server: LiveServer, accept: str) -> None:
    response = _post_json(seed_server, {"query": QUERY}, accept=accept)
    assert (response.status_code, response.text) == (
        406,
        "the Accept header allows neither application/graphql-response+json nor application/json",
    )


# ---- bad requests: a clear 4xx, never a 500


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"query": "\xff"}', "the request body is not valid UTF-8: byte 0xff at offset 11"),
        (b'{"query": ', "the request body is not valid JSON: Expecting value at line 1 column 11"),
        (b"", "the request body is empty; send a JSON object with a query"),
        (b"[" * 20_000 + b"]" * 20_000, "the request body nests JSON arrays or objects too deeply"),
        (
            b'{"variables": {"n": ' + b"9" * 5000 + b"}}",
            "the request body has an integer of more than 4,300 digits",
        ),
        (
            b'[{"query": "{ stats { trials } }"}]',
            "batching is not offered: send one operation as a JSON object, not an array",
        ),
        (b"null", "the request body must be a JSON object, not null"),
        (b'"{ stats { trials } }"', "the request body must be a JSON object, not a string"),
        (b'{"query": 3}', "query must be a string or null, not a number"),
        (
            b'{"query": "{ __typename }", "operationName": {}}',
            "operationName must be a string or null, not an object",
        ),
        (
            b'{"query": "{ __typename }", "variables": [1]}',
            "variables must be a JSON object or null, not an array",
        ),
        (
            b'{"query": "{ __typename }", "extensions": false}',
            "extensions must be a JSON object or null, not a boolean",
        ),
        (b'{"qeury": "{ __typename }"}', "No GraphQL query found in the request"),
    ],
    ids=[
        "utf-8",
        "json",
        "empty",
        "deep",
        "long-integer",
        "batch",
        "null",
        "string",
        "query",
        "operation-name",
        "variables",
        "extensions",
        "no-query",
    ],
)
def test_a_malformed_body_gets_400(seed_server: LiveServer, content: bytes, message: str) -> None:
    response = _post(seed_server, content)
    assert (response.status_code, response.text) == (400, message)


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ("query=%7B__typename%7D&variables=%7Bx", "the variables parameter is not valid JSON: "),
        ("query=%7B__typename%7D&variables=%5B1%5D", "variables must be a JSON object or null, not an array"),
        ("query=%7B__typename%7D&extensions=3", "extensions must be a JSON object or null, not a number"),
    ],
)
def test_malformed_get_parameters_get_400(seed_server: LiveServer, query_string: str, message: str) -> None:
    response = httpx.get(f"{seed_server.graphql}?{query_string}", headers={"accept": JSON})
    assert response.status_code == 400
    assert response.text.startswith(message)


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        (None, "a POST needs Content-Type: application/json"),
        ("text/plain", "a POST body must be application/json, not text/plain"),
        ("application/jsonl", "a POST body must be application/json, not application/jsonl"),
        (
            "application/x-www-form-urlencoded",
            "a POST body must be application/json, not application/x-www-form-urlencoded",
        ),
        ("application/json; charset=latin-1", "a POST body must be UTF-8, not latin-1"),
    ],
)
def test_an_unsupported_media_type_gets_415(
    seed_server: LiveServer, content_type: str | None, message: str
) -> None:
    response = _post(seed_server, json.dumps({"query": QUERY}), content_type=content_type)
    assert (response.status_code, response.text) == (415, message)


def test_a_declared_charset_of_utf_8_is_accepted(seed_server: LiveServer) -> None:
    response = _post(
        seed_server, json.dumps({"query": QUERY}), content_type="application/json; charset=UTF-8"
    )
    assert (response.status_code, response.json()) == (200, {"data": DATA})


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "HEAD"])
def test_other_methods_get_405(seed_server: LiveServer, method: str) -> None:
    response = httpx.request(method, seed_server.graphql, json={"query": QUERY})
    assert response.status_code == 405


# ---- the body size limit


def _padded(size: int) -> bytes:
    """A valid request of exactly ``size`` bytes."""
    empty = json.dumps({"query": "{ stats { trials } }", "extensions": {"pad": ""}}).encode()
    return empty.replace(b'""', b'"' + b"a" * (size - len(empty)) + b'"')


def test_a_body_at_the_limit_is_answered(seed_server: LiveServer) -> None:
    response = _post(seed_server, _padded(LIMIT))
    assert (response.status_code, response.json()) == (200, {"data": {"stats": {"trials": 1}}})


def test_a_10_mb_body_gets_413_naming_the_limit_and_the_server_answers_on(seed_server: LiveServer) -> None:
    content = _padded(10_000_000)
    response = _post(seed_server, content)
    assert (response.status_code, response.text) == (
        413,
        "the request body is limited to 100,000 bytes (max_body_bytes); the Content-Length is 10,000,000",
    )
    assert response.headers["connection"] == "close"
    assert _post_json(seed_server, {"query": QUERY}).json() == {"data": DATA}


def test_a_body_one_byte_over_the_limit_gets_413(seed_server: LiveServer) -> None:
    assert _post(seed_server, _padded(LIMIT + 1)).status_code == 413


def test_an_oversized_content_length_is_refused_before_the_body_is_sent(seed_server: LiveServer) -> None:
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10000000\r\n\r\n"
    )
    status, body = _raw_exchange(seed_server, head)  # no body is ever written
    assert (status, body) == (
        413,
        b"the request body is limited to 100,000 bytes (max_body_bytes); the Content-Length is 10,000,000",
    )


def test_a_chunked_body_is_refused_once_it_passes_the_limit(seed_server: LiveServer) -> None:
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunks = [b"%x\r\n%s\r\n" % (10_000, b"a" * 10_000) for _ in range(LIMIT // 10_000 + 1)]
    status, body = _raw_exchange(seed_server, head, *chunks)  # the body never ends
    assert (status, body) == (
        413,
        b"the request body is limited to 100,000 bytes (max_body_bytes); more were sent",
    )


@pytest.fixture(scope="module")
def small_limit_server() -> Iterator[LiveServer]:
    with live_server([str(SEEDS)], env={"TRIALGRAPH_MAX_BODY_BYTES": "1000"}) as server:
        yield server


def test_the_limit_is_the_configured_one(small_limit_server: LiveServer) -> None:
    assert _post(small_limit_server, _padded(1000)).status_code == 200
    response = _post(small_limit_server, _padded(1001))
    assert (response.status_code, response.text) == (
        413,
        "the request body is limited to 1,000 bytes (max_body_bytes); the Content-Length is 1,001",
    )
