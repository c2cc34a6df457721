"""GraphiQL in a real browser, offline: it opens on the example (or the query handed to it), runs a typed
query and the curated examples, and shows the answers."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from strawberry.http.ides import get_graphql_ide_html

from graph.build.loading import load_graph
from server.examples import TRIAL_CARD_QUERY, curated_examples
from tests.browser import OfflineBrowser, offline_browser
from tests.live import LiveServer
from tests.paths import SEEDS

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


def _wait_for_operation(page: Page, name: str) -> None:
    # GraphiQL reads the operation name 100 ms after the editor changes: run only once it has.
    page.wait_for_function(
        "([editor, name]) => editor.CodeMirror.operationName === name",
        arg=[page.locator(EDITOR).element_handle(), name],
    )


def _result_value(page: Page) -> Any:
    # CodeMirror renders the lines in sight only: wait for its whole value to parse.
    page.wait_for_function(
        "editor => { try { JSON.parse(editor.CodeMirror.getValue()); return true } catch { return false } }",
        arg=page.locator(RESULT).element_handle(),
    )
    return json.loads(_editor_text(page, RESULT))


@pytest.mark.browser
def test_graphiql_offers_curated_examples_that_run(seed_server: LiveServer) -> None:
    examples = {example.title: example for example in curated_examples(load_graph([SEEDS]))}
    with offline_browser(seed_server.url) as browser:
        page = browser.new_page()
        page.goto(seed_server.graphql)
        expect(page.locator(EDITOR)).to_be_visible()
        # The panel is open on arrival, listing every example with the question it answers.
        expect(page.locator(".trialgraph-example strong")).to_have_text(list(examples))
        expect(page.get_by_role("button", name="Hide Examples")).to_be_visible()
        browser.screenshot(page, "graphiql-examples")

        for title in ("HowConnected", "TrialsForAPatient"):
            example = examples[title]
            page.get_by_role("button", name=re.compile(f"^{title} ")).click()
            assert _editor_text(page, EDITOR) == example.query
            assert json.loads(_editor_text(page, VARIABLES)) == example.variables
            _wait_for_operation(page, title)
            page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
            root_field = next(iter(_answer(seed_server, example.query, example.variables)["data"]))
            expect(page.locator(RESULT)).to_contain_text(f'"{root_field}"')
            assert _result_value(page) == _answer(seed_server, example.query, example.variables)
            browser.screenshot(page, f"graphiql-example-{title}")

    assert browser.blocked == []
    assert browser.failed == []
    assert browser.errors == []
    assert _posted_queries(browser, seed_server)[1:] == [
        examples["HowConnected"].query,
        examples["TrialsForAPatient"].query,
    ]


@pytest.mark.browser
def test_graphiql_opens_on_the_query_in_its_fragment(seed_server: LiveServer) -> None:
    query = "query Places($id: ID!) {\n  node(id: $id) { id ... on Trial { countries { name } } }\n}\n"
    variables = {"id": "Trial:NCT05697718"}
    fragment = urllib.parse.urlencode({"query": query, "variables": json.dumps(variables)})
    with offline_browser(seed_server.url) as browser:
        page = browser.new_page()
        page.goto(f"{seed_server.graphql}#{fragment}")
        expect(page.locator(EDITOR)).to_be_visible()
        assert _editor_text(page, EDITOR) == query
        assert json.loads(_editor_text(page, VARIABLES)) == variables
        _wait_for_operation(page, "Places")
        page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
        expect(page.locator(RESULT)).to_contain_text("China")
        assert _result_value(page) == {
            "data": {"node": {"id": "Trial:NCT05697718", "countries": [{"name": "China"}]}}
        }
        browser.screenshot(page, "graphiql-from-fragment")
    assert browser.blocked == []
    assert browser.failed == []
    assert browser.errors == []
    # The fragment stays in the browser: the page was asked for without any query.
    assert (browser.requests[0].method, browser.requests[0].url) == ("GET", seed_server.graphql)
