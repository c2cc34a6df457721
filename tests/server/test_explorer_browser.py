"""The graph explorer in a real browser, offline: search, draw, inspect, expand, path, download, GraphiQL.

The page is driven like a user drives it (typing, clicking and double-clicking nodes on the
canvas), and what it shows is compared with what the public GraphQL endpoint answers.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree
from playwright.sync_api import Page, expect

from tests.browser import offline_browser
from tests.live import LiveServer, live_server
from tests.paths import CTGOV, GRAPHML_XSD, SEEDS, SHARED

XSD_ADDRESS = "http://graphml.graphdrawing.org/xmlns/1.1/"
TRIAL = "Trial:NCT05697718"
SITE = "Site:xuanwuhospitalofcapitalmedicaluniversity--beijing--china"
ARM = "Arm:nct05697718--group1"
CHINA = "Country:china"
OTHER_TRIAL = "Trial:NCT05147467"  # runs in China too
UNLINKED = "Trial:NCT00465816"  # shares nothing with any other trial (MeSH terms link the rest)
NEIGHBORHOOD = """query Neighborhood($id: ID!, $hops: Int!) {
  neighborhood(id: $id, hops: $hops) { nodes { id kind label } edges { source target type } }
}"""
HOW_CONNECTED = """query HowConnected($from: ID!, $to: ID!) {
  shortestPath(from: $from, to: $to) { length nodes { id kind label } edges { source target type } }
}"""
SITE_PROPERTIES = """query Site($id: ID!) {
  node(id: $id) {
    ... on Site { name city state country latitude longitude coordinatesDerived trials { totalCount } }
  }
}"""
STUDIES = SHARED / "data" / "registry" / "studies.zip"
SEARCH_SITES = """query Search($text: String!) {
  search(text: $text, kinds: [Site], first: 50) { nodes { id ... on Site { name zip anonymized } } }
}"""
ANONYMIZED = """query Anonymized($ids: [ID!]!) { nodes(ids: $ids) { ... on Site { id anonymized } } }"""
# A drawn node's data and computed style, as cytoscape.js holds them.
DRAWN_STYLE = """id => {
  const node = window.explorer.cy.getElementById(id);
  return {
    anonymized: node.data("anonymized") ?? null,
    label: node.style("label"),
    shape: node.style("shape"),
    border: node.style("border-style"),
    fill: node.style("background-opacity"),
  };
}"""
GRAPHIQL_EDITOR = ".graphiql-query-editor .CodeMirror"
GRAPHIQL_VARIABLES = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
GRAPHIQL_RESULT = ".graphiql-response .CodeMirror"


class _LocalSchemas(etree.Resolver):  # type: ignore[misc]
    """The GraphML schema set from the shared folder, never from the network."""

    def resolve(self, url: str, pubid: str, context: Any) -> Any:
        if url.startswith(XSD_ADDRESS):
            return self.resolve_filename(str(GRAPHML_XSD / url.removeprefix(XSD_ADDRESS)), context)
        return None


@pytest.fixture(scope="module")
def graphml_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(GRAPHML_XSD / "graphml.xsd"), parser))


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LiveServer]:
    """The seed and the shared registry records: trials that share a country, and some that share nothing."""
    with live_server([str(SEEDS), str(CTGOV)]) as server:
        yield server


def _answer(server: LiveServer, query: str, variables: dict[str, Any]) -> Any:
    """The data the public endpoint answers a plain JSON POST, which must hold no errors."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(server.graphql, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    assert "errors" not in answer
    return answer["data"]


def _edge_ids(edges: Iterable[dict[str, str]]) -> list[str]:
    """Edge ids as the explorer makes them: parallel edges of one type numbered in answer order."""
    seen: dict[str, int] = {}
    ids = []
    for edge in edges:
        base = f"{edge['source']}|{edge['type']}|{edge['target']}"
        ids.append(f"{base}|{seen.get(base, 0)}")
        seen[base] = seen.get(base, 0) + 1
    return ids


class _View:
    """The union of answers the explorer should be showing."""

    def __init__(self) -> None:
        self.nodes: set[str] = set()
        self.edges: set[str] = set()

    def add(self, answer: dict[str, Any]) -> None:
        self.nodes |= {node["id"] for node in answer["nodes"]}
        self.edges |= set(_edge_ids(answer["edges"]))

    @property
    def status(self) -> str:
        return f"{len(self.nodes)} nodes · {len(self.edges)} edges"


def _drawn(page: Page) -> tuple[set[str], set[str]]:
    drawn = page.evaluate(
        "() => [window.explorer.cy.nodes().map(n => n.id()), window.explorer.cy.edges().map(e => e.id())]"
    )
    return set(drawn[0]), set(drawn[1])


def _highlighted(page: Page) -> tuple[set[str], set[str]]:
    drawn = page.evaluate(
        "() => [window.explorer.cy.nodes('.path').map(n => n.id()),"
        " window.explorer.cy.edges('.path').map(e => e.id())]"
    )
    return set(drawn[0]), set(drawn[1])


def _node_point(page: Page, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    box = page.locator("#graph").bounding_box()
    assert box is not None
    position = page.evaluate("id => window.explorer.cy.getElementById(id).renderedPosition()", node_id)
    return box["x"] + position["x"], box["y"] + position["y"]


def _click_node(page: Page, node_id: str, *, shift: bool = False, double: bool = False) -> None:
    x, y = _node_point(page, node_id)
    if shift:
        page.keyboard.down("Shift")
    if double:
        page.mouse.dblclick(x, y)
    else:
        page.mouse.click(x, y)
    if shift:
        page.keyboard.up("Shift")


def _search(page: Page, text: str) -> None:
    page.locator("#search-input").fill(text)
    page.locator("#search-input").press("Enter")
    expect(page.locator(".results-count")).to_contain_text(f"for “{text}”")


def _result(page: Page, node_id: str) -> Any:
    return page.locator(f'#results button.result[data-id="{node_id}"]')


def _expect_path(page: Page, path: dict[str, Any]) -> None:
    """The panel lists the answer's path in order, and the drawing highlights exactly it."""
    steps = page.locator("#path-steps li")
    expect(steps).to_have_count(len(path["nodes"]))
    assert [steps.nth(i).get_attribute("data-id") for i in range(steps.count())] == [
        node["id"] for node in path["nodes"]
    ]
    expect(page.locator("#path-result")).to_have_text(
        f"{path['length']} edge{'' if path['length'] == 1 else 's'}:"
    )
    assert _highlighted(page) == ({node["id"] for node in path["nodes"]}, set(_edge_ids(path["edges"])))


def _validate(schema: etree.XMLSchema, path: Path) -> list[str]:
    schema.validate(etree.parse(str(path), etree.XMLParser(no_network=True)))
    return [f"{error.line}: {error.message}" for error in schema.error_log]


def _graphiql_text(page: Page, selector: str) -> str:
    return str(page.locator(selector).evaluate("element => element.CodeMirror.getValue()"))


@pytest.mark.browser
def test_search_draw_inspect_path_expand_download_and_open_in_graphiql(
    shared_server: LiveServer, graphml_schema: etree.XMLSchema, tmp_path: Path
) -> None:
    server = shared_server
    view = _View()
    with offline_browser(server.url) as browser:
        page = browser.new_page()
        page.goto(f"{server.url}/explore")
        expect(page.locator("#status")).to_have_text("Search, then pick a match to draw it.")

        # Search by name: matches listed by kind.
        _search(page, "stroke")
        expect(page.locator(".result-group h3")).to_have_text(["Trial (1)", "Condition (1)"])
        expect(_result(page, TRIAL)).to_contain_text("NCT05697718")
        browser.screenshot(page, "explorer-1-search")

        # Pick a match: its neighborhood is drawn, as the GraphQL answer has it.
        _result(page, TRIAL).click()
        view.add(_answer(server, NEIGHBORHOOD, {"id": TRIAL, "hops": 1})["neighborhood"])
        expect(page.locator("#status")).to_have_text(view.status)
        assert view.status == "10 nodes · 14 edges"
        assert _drawn(page) == (view.nodes, view.edges)
        expect(page.locator("#details-title")).to_have_text("NCT05697718")  # the picked node is chosen
        expect(page.locator("#legend li[data-kind=Arm]")).to_have_text("Arm 3")
        browser.screenshot(page, "explorer-2-neighborhood")

        # Click a node: its properties, from a typed node(id:) query, fill the panel.
        _click_node(page, SITE)
        site = _answer(server, SITE_PROPERTIES, {"id": SITE})["node"]
        expect(page.locator("#details-title")).to_have_text(site["name"])
        for name, value in [
            ("facility", site["name"]),
            ("city", site["city"]),
            ("state", site["state"]),
            ("country", site["country"]),
            ("coordinatesDerived", "true"),  # the seed gives no coordinates: the city's centre
            ("trials.totalCount", str(site["trials"]["totalCount"])),
        ]:
            expect(page.locator(f'#properties dd[data-property="{name}"]')).to_have_text(value)
        browser.screenshot(page, "explorer-3-properties")

        # Shift-click two nodes: the shortest path between them is listed and highlighted.
        _click_node(page, ARM, shift=True)
        _click_node(page, SITE, shift=True)
        path = _answer(server, HOW_CONNECTED, {"from": ARM, "to": SITE})["shortestPath"]
        assert [node["id"] for node in path["nodes"]] == [ARM, TRIAL, SITE]
        _expect_path(page, path)
        browser.screenshot(page, "explorer-4-path")

        # From the chosen node to a search match that is not drawn: the path's missing nodes are added.
        _click_node(page, TRIAL)
        expect(page.locator("#details-title")).to_have_text("NCT05697718")
        _search(page, "NCT05147467")
        page.get_by_role("button", name="Shortest path from the chosen node to NCT05147467 (Trial)").click()
        path = _answer(server, HOW_CONNECTED, {"from": TRIAL, "to": OTHER_TRIAL})["shortestPath"]
        assert [node["id"] for node in path["nodes"]] == [TRIAL, CHINA, OTHER_TRIAL]
        view.add(path)
        expect(page.locator("#status")).to_have_text(view.status)
        _expect_path(page, path)
        browser.screenshot(page, "explorer-5-path-to-a-match")

        # A path that does not exist says so, and changes nothing.
        _search(page, "NCT00465816")
        page.get_by_role("button", name="Shortest path from the chosen node to NCT00465816 (Trial)").click()
        expect(page.locator("#path-result")).to_have_text("No path joins these two nodes.")
        assert _answer(server, HOW_CONNECTED, {"from": TRIAL, "to": UNLINKED})["shortestPath"] is None
        assert _drawn(page) == (view.nodes, view.edges)
        assert _highlighted(page) == (set(), set())

        # Double-click a node: its neighborhood joins the view.
        before = set(view.nodes)
        _click_node(page, CHINA, double=True)
        view.add(_answer(server, NEIGHBORHOOD, {"id": CHINA, "hops": 1})["neighborhood"])
        expect(page.locator("#status")).to_have_text(view.status)
        assert len(view.nodes - before) == 11
        assert _drawn(page) == (view.nodes, view.edges)
        browser.screenshot(page, "explorer-6-expanded")

        # Download GraphML: valid GraphML 1.1, read back whole, with the properties loaded so far.
        with page.expect_download() as graphml_download:
            page.get_by_role("button", name="Download GraphML").click()
        assert graphml_download.value.suggested_filename == "trialgraph-view.graphml"
        graphml = tmp_path / "view.graphml"
        graphml_download.value.save_as(graphml)
        assert _validate(graphml_schema, graphml) == []
        read = nx.read_graphml(graphml)
        assert read.is_directed()
        assert (read.number_of_nodes(), read.number_of_edges()) == (len(view.nodes), len(view.edges))
        assert set(read.nodes) == view.nodes
        assert read.nodes[SITE] == {
            "kind": "Site",
            "label": site["name"],
            "facility": site["name"],
            "city": site["city"],
            "state": site["state"],
            "country": site["country"],
            "latitude": site["latitude"],
            "longitude": site["longitude"],
            "coordinatesDerived": True,
            "anonymized": False,
            "trials.totalCount": site["trials"]["totalCount"],
        }
        assert read.nodes[TRIAL]["kind"] == "Trial"
        assert read.nodes[TRIAL]["status"] == "COMPLETED"
        assert read.nodes[CHINA]["name"] == "China"  # chosen by the double-click
        assert read.nodes["Intervention:biological--msc"] == {
            "kind": "Intervention",
            "label": "MSC",
        }  # never chosen
        assert {(source, target, data["type"]) for source, target, data in read.edges(data=True)} == {
            tuple(edge.split("|")[i] for i in (0, 2, 1)) for edge in view.edges
        }

        # Download PNG: the drawing as an image.
        with page.expect_download() as png_download:
            page.get_by_role("button", name="Download PNG").click()
        assert png_download.value.suggested_filename == "trialgraph-view.png"
        png = tmp_path / "view.png"
        png_download.value.save_as(png)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000

        # Open in GraphiQL: the view's query, which answers with the very nodes and edges drawn.
        with browser.context.expect_page() as opened:
            page.get_by_role("link", name="Open in GraphiQL").click()
        graphiql = opened.value
        graphiql.on("pageerror", lambda error: browser.errors.append(f"page error: {error}"))
        handed = urllib.parse.parse_qs(urllib.parse.urlsplit(graphiql.url).fragment)
        expect(graphiql.locator(GRAPHIQL_EDITOR)).to_be_visible()
        assert _graphiql_text(graphiql, GRAPHIQL_EDITOR) == handed["query"][0]
        variables = json.loads(_graphiql_text(graphiql, GRAPHIQL_VARIABLES))
        assert variables == json.loads(handed["variables"][0])
        assert variables == {
            "id1": TRIAL,
            "from2": ARM,
            "to2": SITE,
            "from3": TRIAL,
            "to3": OTHER_TRIAL,
            "id4": CHINA,
        }
        browser.screenshot(graphiql, "explorer-7-graphiql-opened")
        graphiql.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
        # CodeMirror renders the lines in sight only: read its value.
        graphiql.wait_for_function(
            "editor => editor.CodeMirror.getValue().includes('step4')",
            arg=graphiql.locator(GRAPHIQL_RESULT).element_handle(),
        )
        result = json.loads(_graphiql_text(graphiql, GRAPHIQL_RESULT))
        assert "errors" not in result
        ran = _View()
        for step in result["data"].values():
            ran.add(step)
        assert (ran.nodes, ran.edges) == (view.nodes, view.edges)
        browser.screenshot(graphiql, "explorer-8-graphiql-result")

    assert browser.blocked == []
    assert browser.failed == []
    assert browser.errors == []
    # The explorer asked the service through the public endpoint only: GraphQL POSTs, and GETs of
    # its page, its files and GraphiQL's.
    for request in browser.requests:
        path = urllib.parse.urlsplit(request.url).path
        if request.method == "POST":
            assert path == "/graphql"
        else:
            assert request.method == "GET"
            assert path in ("/explore", "/graphql") or path.startswith("/static/")


@pytest.mark.browser
def test_errors_are_shown_in_the_page(shared_server: LiveServer) -> None:
    with offline_browser(shared_server.url) as browser:
        page = browser.new_page()
        page.goto(f"{shared_server.url}/explore")
        expect(page.locator("#error")).to_be_hidden()

        _search(page, "stroke")
        # An HTTP error without a GraphQL answer: its status.
        page.route(
            shared_server.graphql,
            lambda route: route.fulfill(status=503, content_type="text/plain", body="down for maintenance"),
        )
        _result(page, TRIAL).click()
        expect(page.locator("#error-text")).to_have_text("HTTP 503 Service Unavailable: down for maintenance")
        browser.screenshot(page, "explorer-error-http")
        page.unroute(shared_server.graphql)

        # Nothing typed: said so, and nothing sent.
        page.locator("#search-input").fill("  ")
        page.locator("#search-input").press("Enter")
        expect(page.locator("#error-text")).to_have_text("Type a name to search for.")
        assert _drawn(page) == (set(), set())

    assert browser.blocked == []
    assert browser.failed == [f"POST {shared_server.graphql}: HTTP 503"]
    # Chromium's own report of the 503; the page itself raised nothing.
    assert browser.errors == [
        "console error: Failed to load resource:"
        " the server responded with a status of 503 (Service Unavailable)"
    ]


@pytest.mark.browser
def test_a_limit_error_from_the_service_is_shown() -> None:
    # A neighborhood bigger than the service allows: the service's own message reaches the user.
    with (
        live_server([str(SEEDS)], env={"TRIALGRAPH_MAX_NEIGHBORHOOD_NODES": "5"}) as server,
        offline_browser(server.url) as browser,
    ):
        page = browser.new_page()
        page.goto(f"{server.url}/explore")
        _search(page, "NCT05697718")
        _result(page, TRIAL).click()
        expect(page.locator("#error-text")).to_have_text(
            "Neighborhood failed: neighborhood size (nodes) is limited to 5; 10 were reached"
        )
        assert _drawn(page) == (set(), set())
        browser.screenshot(page, "explorer-error-graphql")
        page.get_by_role("button", name="Dismiss the error").click()
        expect(page.locator("#error")).to_be_hidden()
    assert browser.blocked == []
    assert browser.errors == []


@pytest.mark.browser
def test_the_graphml_writer_escapes_and_declares_everything(
    seed_server: LiveServer, graphml_schema: etree.XMLSchema, tmp_path: Path
) -> None:
    """Hard cases straight through the page's GraphML module: what comes back is what went in."""
    nodes = [
        {
            "id": "Trial:NCT1",
            "kind": "Trial",
            "label": "A <b>\"bold\"</b> & 'quoted' title\u0001",
            "properties": {"enrollment": 12, "hasResults": False, "phases": "PHASE1\nPHASE2", "latitude": 40},
        },
        {
            "id": "Site:not a token/é",
            "kind": "Site",
            "label": "Zürich ✓ 𝄞",
            "properties": {"latitude": 47.37, "enrollment": "many", "bad name": "dropped"},
        },
    ]
    edges = [
        {"source": "Trial:NCT1", "target": "Site:not a token/é", "type": "CONDUCTED_AT"},
        {"source": "Trial:NCT1", "target": "Site:not a token/é", "type": "CONDUCTED_AT"},
        {"source": "Site:not a token/é", "target": "Trial:NCT1", "type": "A&B"},
    ]
    with offline_browser(seed_server.url) as browser:
        page = browser.new_page()
        page.goto(f"{seed_server.url}/explore")
        text = page.evaluate(
            """async ([nodes, edges]) => {
                const { toGraphML } = await import("/static/explorer/graphml.js");
                return toGraphML(nodes, edges, { floatNames: new Set(["latitude"]) });
            }""",
            [nodes, edges],
        )
    assert browser.blocked == [] and browser.errors == []
    path = tmp_path / "hard.graphml"
    path.write_text(text, encoding="utf-8")
    assert _validate(graphml_schema, path) == []
    read = nx.read_graphml(path)
    assert isinstance(read, nx.MultiDiGraph)
    assert read.nodes["Trial:NCT1"] == {
        "kind": "Trial",
        "label": "A <b>\"bold\"</b> & 'quoted' title",  # a control character XML cannot hold is left out
        "enrollment": "12",  # a name whose values are of several types is a string
        "hasResults": False,
        "phases": "PHASE1\nPHASE2",
        "latitude": 40.0,
    }
    assert read.nodes["n1"] == {
        "kind": "Site",
        "label": "Zürich ✓ 𝄞",
        "latitude": 47.37,
        "enrollment": "many",
    }
    assert sorted(read.edges(keys=True, data="type")) == [
        ("Trial:NCT1", "n1", "e0", "CONDUCTED_AT"),
        ("Trial:NCT1", "n1", "e1", "CONDUCTED_AT"),
        ("n1", "Trial:NCT1", "e2", "A&B"),
    ]


@pytest.mark.browser
def test_an_anonymised_site_is_drawn_as_a_placeholder() -> None:
    """The registry's records: a sponsor's "Research Site" is drawn hollow and dashed, its label
    and its panel say it is anonymised; a named site beside it is drawn as any site."""
    with live_server([str(STUDIES)]) as server, offline_browser(server.url) as browser:
        page = browser.new_page()
        page.goto(f"{server.url}/explore")

        # Search: the Research Site most connected comes first among the sites, marked anonymised.
        _search(page, "Research Site")
        site = _answer(server, SEARCH_SITES, {"text": "Research Site"})["search"]["nodes"][0]
        assert site == {
            "id": "Site:researchsite--seoul--korearepublicof--03080",
            "name": "Research Site",
            "zip": "03080",
            "anonymized": True,
        }
        match = _result(page, site["id"])
        expect(match).to_have_text("Research SiteSeoul, Korea, Republic of, 03080, anonymised")
        expect(page.locator(".result-group[data-kind=Site] button.result").first).to_have_attribute(
            "data-id", site["id"]
        )

        # Draw it: a hollow, dashed diamond whose label says it is anonymised.
        match.click()
        view = _View()
        view.add(_answer(server, NEIGHBORHOOD, {"id": site["id"], "hops": 1})["neighborhood"])
        expect(page.locator("#status")).to_have_text(view.status)
        assert _drawn(page) == (view.nodes, view.edges)
        page.wait_for_function(
            "id => window.explorer.cy.getElementById(id).data('anonymized') === true", arg=site["id"]
        )
        assert page.evaluate(DRAWN_STYLE, site["id"]) == {
            "anonymized": True,
            "label": "Research Site (anonymised)",
            "shape": "diamond",
            "border": "dashed",
            "fill": "0",
        }
        trial = sorted(node for node in view.nodes if node.startswith("Trial:"))[0]
        assert page.evaluate(DRAWN_STYLE, trial) == {
            "anonymized": None,
            "label": trial.removeprefix("Trial:"),
            "shape": "round-rectangle",
            "border": "solid",
            "fill": "1",
        }
        expect(page.locator("#legend li[data-kind=anonymized]")).to_have_text("anonymised Site 1")

        # Its panel says what it is.
        expect(page.locator("#details-title")).to_have_text("Research Site")
        expect(page.locator("#anonymized-note")).to_have_text(
            "An anonymised site: “Research Site” is the sponsor's placeholder, not the name of a place. "
            "It is one site only with the listings of the same name, city, country and postal code; "
            "a listing without a postal code is a site of its own."
        )
        expect(page.locator('#properties dd[data-property="anonymized"]')).to_have_text("true")
        expect(page.locator('#properties dd[data-property="zip"]')).to_have_text("03080")
        browser.screenshot(page, "explorer-9-anonymised-site")

        # A path to a named site of the same city: drawn as any site, and the marks are those the
        # service gives for every site drawn.
        _search(page, "Asan Medical Center")
        named = "Site:asanmedicalcenter--seoul--korearepublicof"
        # (Another "Asan Medical Center" is in "South Korea": a country written otherwise is another site.)
        page.locator(f'#results li:has(button.result[data-id="{named}"]) button.result-path').click()
        path = _answer(server, HOW_CONNECTED, {"from": site["id"], "to": named})["shortestPath"]
        view.add(path)
        expect(page.locator("#status")).to_have_text(view.status)
        _expect_path(page, path)
        page.wait_for_function(
            "id => window.explorer.cy.getElementById(id).data('anonymized') === false", arg=named
        )
        assert page.evaluate(DRAWN_STYLE, named) == {
            "anonymized": False,
            "label": "Asan Medical Center",
            "shape": "diamond",
            "border": "solid",
            "fill": "1",
        }
        sites = sorted(node for node in view.nodes if node.startswith("Site:"))
        flags = _answer(server, ANONYMIZED, {"ids": sites})["nodes"]
        marked = page.evaluate("() => window.explorer.cy.nodes('.anonymized').map(n => n.id())")
        assert sorted(marked) == sorted(flag["id"] for flag in flags if flag["anonymized"])
        browser.screenshot(page, "explorer-10-anonymised-and-named-sites")

    assert browser.blocked == []
    assert browser.failed == []
    assert browser.errors == []
