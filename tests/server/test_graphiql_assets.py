"""GraphiQL is served from vendored npm files, byte for byte, and its page loads nothing else."""

from __future__ import annotations

import json
import urllib.request
from html.parser import HTMLParser

import pytest

from graph.trialgraph import TrialGraph, load_graph
from schema.build import create_schema
from schema.context import Context
from schema.limits import Limits
from server.app import STATIC
from server.graphiql import TRIAL_CARD_QUERY, TRIALS_QUERY, example_operation, graphiql_html
from tests.live import LiveServer
from tests.paths import REPO, SEEDS

VENDORED = STATIC / "graphiql"
MANIFEST = json.loads((VENDORED / "vendored.json").read_text(encoding="utf-8"))
NODE_MODULES = REPO / "web" / "node_modules"


class _Links(HTMLParser):
    """Every ``src`` and ``href`` of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value is not None]


def _links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.urls


@pytest.fixture(scope="module")
def seed_graph() -> TrialGraph:
    return load_graph([SEEDS])


def test_the_folder_holds_the_listed_files_only() -> None:
    held = sorted(str(path.relative_to(VENDORED)) for path in VENDORED.rglob("*") if path.is_file())
    assert held == sorted([*MANIFEST, "vendored.json"])


def test_the_vendored_versions_are_the_pinned_ones() -> None:
    pinned = json.loads((REPO / "web" / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert {entry["package"]: entry["version"] for entry in MANIFEST.values()} == {
        entry["package"]: pinned[entry["package"]] for entry in MANIFEST.values()
    }


@pytest.mark.npm
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_vendored_file_is_the_npm_file(name: str) -> None:
    entry = MANIFEST[name]
    package = NODE_MODULES / entry["package"]
    installed = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == entry["version"]
    assert (VENDORED / name).read_bytes() == (package / entry["file"]).read_bytes(), (
        f"server/static/graphiql/{name} differs from node_modules: run `npm run vendor --prefix web`"
    )


def test_the_page_loads_vendored_files_only(seed_graph: TrialGraph) -> None:
    page = graphiql_html(seed_graph)
    assert "http" not in page  # no absolute URL anywhere, even in the script
    scripts_and_styles = sorted(name for name in MANIFEST if name.endswith((".js", ".css")))
    assert _links(page) == ["data:,"] + [
        f"/static/graphiql/{name}"
        for name in (
            "graphiql.min.css",
            "plugin-explorer.css",
            "react.production.min.js",
            "react-dom.production.min.js",
            "graphiql.min.js",
            "plugin-explorer.umd.js",
        )
    ]
    assert sorted(url.removeprefix("/static/graphiql/") for url in _links(page)[1:]) == scripts_and_styles


def test_the_page_follows_the_root_path(seed_graph: TrialGraph) -> None:
    links = _links(graphiql_html(seed_graph, root_path="/trials/"))
    assert all(url.startswith("/trials/static/graphiql/") for url in links[1:])


def test_the_page_opens_on_the_first_trial(seed_graph: TrialGraph) -> None:
    assert example_operation(seed_graph) == {
        "query": TRIAL_CARD_QUERY,
        "variables": '{\n  "nctId": "NCT05697718"\n}',
    }
    result = create_schema().execute_sync(
        TRIAL_CARD_QUERY,
        variable_values={"nctId": "NCT05697718"},
        context_value=Context(seed_graph, Limits()),
    )
    assert result.errors is None
    assert result.data is not None
    assert result.data["trial"]["nctId"] == "NCT05697718"
    assert result.data["trial"]["title"]


def test_without_trials_the_page_opens_on_the_trial_list() -> None:
    empty = load_graph([])
    assert example_operation(empty) == {"query": TRIALS_QUERY, "variables": None}
    result = create_schema().execute_sync(TRIALS_QUERY, context_value=Context(empty, Limits()))
    assert result.errors is None
    assert result.data == {"trials": {"totalCount": 0, "edges": []}}


def test_the_service_serves_the_page_and_its_files(seed_server: LiveServer) -> None:
    request = urllib.request.Request(seed_server.graphql, headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get_content_type() == "text/html"
        page = response.read().decode()
    assert "NCT05697718" in page
    for url in _links(page)[1:]:
        with urllib.request.urlopen(f"{seed_server.url}{url}", timeout=10) as response:
            assert response.status == 200
            assert response.read() == (VENDORED / url.removeprefix("/static/graphiql/")).read_bytes()
