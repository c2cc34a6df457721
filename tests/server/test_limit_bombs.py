"""Query bombs over HTTP: each refused before execution with an error naming its limit."""

from __future__ import annotations

import httpx
import pytest

from tests.live import LiveServer

NESTED = (
    '{ trial(nctId: "NCT05697718") { sites { edges { node { trials { edges { node { sites { edges { node {'
    " trials { edges { node { nctId } } } } } } } } } } } } } }"
)
BOMBS = {
    "depth": (NESTED, "'anonymous' exceeds maximum operation depth of 12"),
    "aliases": ("{ " + " ".join(f"a{n}: stats {{ trials }}" for n in range(100)) + " }",
                "100 aliases found. Allowed: 30"),
    "tokens": ("{ " + "stats { trials } " * 2000 + "}",
               "Syntax Error: Document contains more than 5000 tokens. Parsing aborted."),
    "directives": ("fragment T on Stats { trials } { stats { " + "...T @include(if: true) " * 60 + "} }",
                   "directives are limited to 50 per document; more were sent"),
    "fragments": ("fragment F on Stats { a1: trials a2: trials a3: trials a4: trials a5: trials a6: trials } "
                  "{ " + " ".join(f"s{n}: stats {{ ...F }}" for n in range(6)) + " }",
                  "42 aliases found. Allowed: 30"),
}  # fmt: skip


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_bomb_is_refused_naming_its_limit(seed_server: LiveServer, bomb: str) -> None:
    query, message = BOMBS[bomb]
    answer = httpx.post(seed_server.graphql, json={"query": query}, timeout=10)
    assert answer.status_code == 200
    assert answer.json()["data"] is None
    assert [error["message"] for error in answer.json()["errors"]] == [message]


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_bomb_is_a_request_error_for_graphql_response_clients(seed_server: LiveServer, bomb: str) -> None:
    query, message = BOMBS[bomb]
    answer = httpx.post(
        seed_server.graphql,
        json={"query": query},
        headers={"Accept": "application/graphql-response+json"},
        timeout=10,
    )
    assert answer.status_code == 400
    assert "data" not in answer.json()
    assert [error["message"] for error in answer.json()["errors"]] == [message]


def test_after_the_bombs_the_server_answers(seed_server: LiveServer) -> None:
    answer = httpx.post(seed_server.graphql, json={"query": "{ stats { trials } }"})
    assert answer.json() == {"data": {"stats": {"trials": 1}}}
