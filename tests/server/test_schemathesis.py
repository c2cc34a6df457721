"""schemathesis against the live ``/graphql`` endpoint, serving the shared records and the seed:
no generated query, valid (positive) or breaking the schema (negative), gets a 5xx or an answer
that is not a GraphQL response.

schemathesis reads the schema by introspection and generates queries for every root field.
Refusals are expected answers: a query that breaks the schema is refused before it runs, and an
argument the service does not accept (a cursor it never gave, a page size past its limit, a
malformed date) is a GraphQL error naming it; neither may be a 5xx. ``HYPOTHESIS_PROFILE=long``
sends many more queries.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode, Response

from tests.live import LiveServer, live_server
from tests.paths import CTGOV, SEEDS

QUERIES = 8_000 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 150


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LiveServer]:
    with live_server([str(CTGOV), str(SEEDS)]) as server:
        yield server


def assert_graphql_answer(case: Case, response: Response) -> None:
    """A status below 500 and a GraphQL response: a JSON object of ``data`` and/or ``errors``,
    every error a message."""
    reproduce = case.as_curl_command()
    assert response.status_code < 500, f"{response.status_code} {response.text[:500]}\n{reproduce}"
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), reproduce
    body = response.json()
    assert isinstance(body, dict) and {"data", "errors"} & set(body), reproduce
    assert set(body) <= {"data", "errors", "extensions"}, reproduce
    for error in body.get("errors") or []:
        assert isinstance(error.get("message"), str) and error["message"], reproduce
        assert "Traceback" not in error["message"], reproduce


def test_generated_queries_never_get_a_server_error(shared_server: LiveServer) -> None:
    schema = schemathesis.graphql.from_url(shared_server.graphql)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10  # every root field of Query
    cases = st.one_of(
        [operation.as_strategy(generation_mode=mode) for operation in operations for mode in GenerationMode]
    )
    sent: Counter[str] = Counter()
    with requests.Session() as session:

        @settings(
            max_examples=QUERIES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
        )
        @given(case=cases)
        def answered(case: Case) -> None:
            response = case.call(session=session, timeout=30)
            sent[case.operation.label] += 1
            assert_graphql_answer(case, response)

        answered()
    assert sum(sent.values()) >= QUERIES
    assert len(sent) >= len(operations) // 2, sent
