"""The fast lane of ``/graphql``: a POST the fast path answers skips Strawberry's view, and its
answer is byte for byte the view's (status, media type, body); anything else reaches the view
with its body intact."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.datastructures import Headers

from bench.servers import free_port, reference_command, running
from graph.build.loading import load_graph, save_snapshot
from schema.build import create_schema
from schema.limits import Limits
from server.graphql_view import GRAPHQL_RESPONSE, JSON, TrialGraphQL
from server.reload import GraphHolder
from tests.live import LiveServer, live_server
from tests.paths import CONTRACT, SEEDS

ACCEPTS = [None, JSON, GRAPHQL_RESPONSE, "*/*", f"{GRAPHQL_RESPONSE}, {JSON};q=0.9"]
# Requests the fast path steps aside from, or that are not a plain well-formed POST.
ASIDE = [
    {"query": 'query { trial(nctId: "NCT05697718") @include(if: true) { nctId } }'},
    {"query": "{ __schema { queryType { name } } }"},
    {"query": '{ trial(nctId: "NCT05697718") { nctId } }', "variables": [1]},
    {"query": "{ xyzzy }"},
    {"query": "query($n: String!) { trial(nctId: $n) { nctId } }", "variables": {"n": 5}},
    {"query": "{ trials(first: 1000) { totalCount } }"},
]


def _contract() -> list[dict[str, Any]]:
    """Each contract request as a frontend sends it: the file, the operation, the seed's variables."""
    texts = {path.stem: path.read_text() for path in CONTRACT.glob("*.graphql")}
    expected = json.loads((CONTRACT / "seed-expected.json").read_text())
    requests = []
    for name, case in expected.items():
        operation = case.get("operation", name)
        document = next(text for text in texts.values() if f"query {operation}" in text)
        requests.append({"query": document, "variables": case["variables"], "operationName": operation})
    return requests


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    with live_server([str(SEEDS)]) as server:
        yield server


@pytest.fixture(scope="module")
def standard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same view with Strawberry's standard execution (no fast path, so no fast lane), on
    the seed's graph: the benchmark's reference server; its ``/graphql`` URL."""
    folder = tmp_path_factory.mktemp("standard")
    save_snapshot(load_graph([SEEDS]), folder / "seed.snapshot")
    port = free_port()
    with running(
        reference_command(port, folder / "seed.snapshot"), port, folder / "log", timeout=60
    ) as server:
        yield f"{server.url}/graphql"


def _headers(accept: str | None) -> dict[str, str]:
    return {"content-type": JSON} | ({"accept": accept} if accept else {})


def _same(live: LiveServer, standard: str, body: bytes, accept: str | None) -> httpx.Response:
    ours = httpx.post(live.graphql, content=body, headers=_headers(accept), timeout=30)
    theirs = httpx.post(standard, content=body, headers=_headers(accept), timeout=30)
    assert (ours.status_code, ours.headers["content-type"]) == (
        theirs.status_code,
        theirs.headers["content-type"],
    )
    assert ours.content == theirs.content
    return ours


@pytest.mark.parametrize("accept", ACCEPTS)
def test_every_contract_request_is_answered_as_the_view_answers_it(
    live: LiveServer, standard: str, accept: str | None
) -> None:
    for request in _contract():
        answer = _same(live, standard, json.dumps(request).encode(), accept)
        assert answer.status_code == 200 and "errors" not in answer.json(), request["operationName"]


@pytest.mark.parametrize("params", ASIDE, ids=range(len(ASIDE)))
def test_what_the_fast_path_leaves_reaches_the_view_with_its_body(
    live: LiveServer, standard: str, params: dict[str, Any]
) -> None:
    for accept in (JSON, GRAPHQL_RESPONSE):
        _same(live, standard, json.dumps(params).encode(), accept)


@pytest.mark.parametrize(
    "extra",
    [{"operationName": None, "variables": None}, {"extensions": {}}, {"extensions": None}],
    ids=["nulls", "extensions", "null-extensions"],
)
def test_optional_parameters_sent_as_null_or_empty_answer_the_same(
    live: LiveServer, standard: str, extra: dict[str, Any]
) -> None:
    body = json.dumps({"query": '{ trial(nctId: "NCT05697718") { nctId title } }', **extra}).encode()
    assert _same(live, standard, body, None).json()["data"]["trial"]["nctId"] == "NCT05697718"


def test_the_lane_answers_only_what_the_fast_path_can() -> None:
    view = TrialGraphQL(create_schema(), GraphHolder(load_graph([SEEDS])), Limits(), graphiql=False)
    query = '{ trial(nctId: "NCT05697718") { nctId } }'
    answer = view._fast_answer(Headers({"content-type": "application/json; charset=UTF-8"}), _body(query))
    assert answer is not None and json.loads(answer.body) == {"data": {"trial": {"nctId": "NCT05697718"}}}
    for headers, body in [
        ({"content-type": JSON}, _body(ASIDE[0]["query"])),
        ({"content-type": "text/plain"}, _body(query)),
        ({"content-type": f"{JSON}; charset=latin-1"}, _body(query)),
        ({"content-type": JSON, "accept": "text/html"}, _body(query)),
        ({"content-type": JSON}, b'{"query": "{ stats { trials } }"'),
        ({"content-type": JSON}, b'[{"query": "{ stats { trials } }"}]'),
    ]:
        assert view._fast_answer(Headers(headers), body) is None, (headers, body)


def _body(query: str) -> bytes:
    return json.dumps({"query": query}).encode()
