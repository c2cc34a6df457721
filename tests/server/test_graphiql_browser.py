"""GraphiQL in a real browser, offline: it opens on the example, runs a typed query and shows the answer."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from strawberry.http.ides import get_graphql_ide_html

from server.graphiql import TRIAL_CARD_QUERY
from tests.browser import OfflineBrowser, offline_browser
from tests.live import LiveServer

TYPED_QUERY = '{ trial(nctId: "NCT05697718") { nctId title status } }'
TITLE = (
    "Clinical Trial of Human Umbilical Cord Mesenchymal Stem Cells (IxCell hUC-MSC-S)"
    " in the Treatment of Ischemic Stroke"
)
EDITOR = ".graphiql-query-editor .CodeMirror"
VARIABLES = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
RESULT = ".graphiql-response .CodeMirror"


def _editor_text(page: Page, selector: str) -> str:
    return str(page.locator(selector).evaluate("element => element.CodeMirror.getValue()"))


def _answer(server: LiveServer, query: str, variables: dict[str, Any] | None = None) -> Any:
    """What the API answers a plain JSON POST."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(server.graphql, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _posted_queries(browser: OfflineBrowser, server: LiveServer) -> list[str]:
    return [
        json.loads(request.post_data or "{}").get("query", "")
        for request in browser.requests
        if request.method == "POST" and request.url == server.graphql
    ]


@pytest.mark.browser
def test_graphiql_runs_a_typed_query_offline(seed_server: LiveServer) -> None:
    with offline_browser(seed_server.url) as browser:
        page = browser.new_page()
        with page.expect_response(lambda response: response.request.method == "POST") as introspection:
            page.goto(seed_server.graphql)
        assert introspection.value.ok
        expect(page.locator(EDITOR)).to_be_visible()
        assert _editor_text(page, EDITOR) == TRIAL_CARD_QUERY
        assert json.loads(_editor_text(page, VARIABLES)) == {"nctId": "NCT05697718"}
        browser.screenshot(page, "graphiql-opened")

        page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
        expect(page.locator(RESULT)).to_contain_text('"nctId": "NCT05697718"')
        example = _answer(seed_server, TRIAL_CARD_QUERY, {"nctId": "NCT05697718"})
        assert json.loads(_editor_text(page, RESULT)) == example
        browser.screenshot(page, "graphiql-example-result")

        page.locator(EDITOR).click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(TYPED_QUERY)
        assert _editor_text(page, EDITOR) == TYPED_QUERY
        # GraphiQL reads the operation name 100 ms after a keystroke; running sooner would send the
        # example's name (TrialCard) with the typed, anonymous query, and the server would refuse it.
        page.wait_for_function(
            "editor => editor.CodeMirror.operationName == null", arg=page.locator(EDITOR).element_handle()
        )
        page.keyboard.press("Control+Enter")
        expect(page.locator(RESULT)).not_to_contain_text("sponsors")  # the example's answer is gone
        expect(page.locator(RESULT)).to_contain_text(TITLE)
        assert json.loads(_editor_text(page, RESULT)) == {
            "data": {"trial": {"nctId": "NCT05697718", "title": TITLE, "status": "COMPLETED"}}
        }
        browser.screenshot(page, "graphiql-typed-result")

    assert browser.blocked == []
    assert browser.failed == []
    assert browser.errors == []
    # every operation went to /graphql as a POST: the schema, the example, then the typed query
    queries = _posted_queries(browser, seed_server)
    assert len(queries) == 3
    assert "__schema" in queries[0]
    assert queries[1:] == [TRIAL_CARD_QUERY, TYPED_QUERY]
    assert all(request.method == "GET" for request in browser.requests if request.url != seed_server.graphql)


@pytest.mark.browser
def test_the_offline_browser_blocks_and_records_other_hosts(seed_server: LiveServer) -> None:
    # Strawberry's own GraphiQL page, which loads everything from unpkg.com: nothing of it gets out.
    with offline_browser(seed_server.url) as browser:
        page = browser.new_page()
        page.goto(f"{seed_server.url}/health")
        page.set_content(get_graphql_ide_html("graphiql"))
        expect(page.locator("#graphiql")).to_have_text("Loading...")
    assert sorted({url.split("/")[2] for url in browser.blocked}) == ["unpkg.com"]
    assert [request.url for request in browser.requests] == [f"{seed_server.url}/health"]
