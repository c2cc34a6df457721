"""GraphiQL and the explorer's library are served from vendored npm files, byte for byte; GraphiQL's page
loads nothing else and offers curated examples that answer on the loaded data."""

from __future__ import annotations

import json
import urllib.request
from html.parser import HTMLParser
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse, print_ast

from graph.build.loading import TrialGraph, load_graph
from schema.build import create_schema
from schema.context import Context
from schema.limits import Limits
from server.app import STATIC
from server.examples import TRIAL_CARD_QUERY, TRIALS_QUERY, Example, curated_examples, example_operation
from server.graphiql import graphiql_html
from tests.live import LiveServer
from tests.paths import CONTRACT, CTGOV, REPO, SEEDS

VENDORED = STATIC / "graphiql"
MANIFEST = json.loads((VENDORED / "vendored.json").read_text(encoding="utf-8"))
# Every folder web/vendor.mjs fills, with its manifest: which file came from which package.
VENDORED_FOLDERS = {folder: STATIC / folder for folder in ("graphiql", "explorer/vendor")}
MANIFESTS = {
    folder: json.loads((path / "vendored.json").read_text(encoding="utf-8"))
    for folder, path in VENDORED_FOLDERS.items()
}
VENDORED_FILES = sorted((folder, name) for folder, manifest in MANIFESTS.items() for name in manifest)
NODE_MODULES = REPO / "web" / "node_modules"
CONTRACT_OPERATIONS = [
    "TrialCard",
    "ConditionTrials",
    "OrganizationTrials",
    "InvestigatorTrials",
    "FindTrials",
    "Refetch",
    "Neighborhood",
    "HowConnected",
]
RELATIONSHIP_QUESTIONS = [
    "SharedSites",
    "AffiliatedInvestigators",
    "RecruitingSites",
    "TrialsForAPatient",
    "ConditionInterventions",
    "RelatedTrials",
    "TrialFacets",
    "SitesNear",
    "EligibleSitesNear",
    "MeshTermTrials",
]
# The seed's page carries no MeSH terms: nothing for that example to ask about.
SEED_QUESTIONS = [title for title in RELATIONSHIP_QUESTIONS if title != "MeshTermTrials"]


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


@pytest.mark.parametrize("folder", sorted(VENDORED_FOLDERS))
def test_the_folder_holds_the_listed_files_only(folder: str) -> None:
    path = VENDORED_FOLDERS[folder]
    held = sorted(str(file.relative_to(path)) for file in path.rglob("*") if file.is_file())
    assert held == sorted([*MANIFESTS[folder], "vendored.json"])


def test_the_vendored_versions_are_the_pinned_ones() -> None:
    pinned = json.loads((REPO / "web" / "package.json").read_text(encoding="utf-8"))["dependencies"]
    entries = [entry for manifest in MANIFESTS.values() for entry in manifest.values()]
    assert {entry["package"]: entry["version"] for entry in entries} == {
        entry["package"]: pinned[entry["package"]] for entry in entries
    }
    assert {entry["package"] for entry in entries} >= {"graphiql", "react", "react-dom", "cytoscape"}


@pytest.mark.npm
@pytest.mark.parametrize(("folder", "name"), VENDORED_FILES)
def test_each_vendored_file_is_the_npm_file(folder: str, name: str) -> None:
    entry = MANIFESTS[folder][name]
    package = NODE_MODULES / entry["package"]
    installed = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == entry["version"]
    assert (VENDORED_FOLDERS[folder] / name).read_bytes() == (package / entry["file"]).read_bytes(), (
        f"server/static/{folder}/{name} differs from node_modules: run `npm run vendor --prefix web`"
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


DATA = {"seed": [SEEDS], "shared records": [CTGOV], "seed and shared records": [SEEDS, CTGOV], "nothing": []}


@pytest.fixture(scope="module")
def loaded() -> dict[str, TrialGraph]:
    return {name: load_graph(paths) for name, paths in DATA.items()}


def _run(trial_graph: TrialGraph, example: Example) -> dict[str, Any]:
    result = create_schema().execute_sync(
        example.query, variable_values=example.variables, context_value=Context(trial_graph, Limits())
    )
    assert result.errors is None, f"{example.title}: {result.errors}"
    assert result.data is not None
    return result.data


def _contract_operations() -> dict[str, str]:
    return {
        definition.name.value: print_ast(definition)
        for path in sorted(CONTRACT.glob("*.graphql"))
        for definition in parse(path.read_text(encoding="utf-8")).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    }


def test_the_examples_are_the_contract_operations_verbatim_then_relationship_questions(
    loaded: dict[str, TrialGraph],
) -> None:
    examples = curated_examples(loaded["seed"])
    assert [example.title for example in examples] == CONTRACT_OPERATIONS + SEED_QUESTIONS
    contract = _contract_operations()
    assert sorted(contract) == sorted(CONTRACT_OPERATIONS)
    for example in examples[: len(CONTRACT_OPERATIONS)]:
        (operation,) = parse(example.query).definitions
        assert print_ast(operation) == contract[example.title]
    for example in examples:
        (operation,) = parse(example.query).definitions
        assert isinstance(operation, OperationDefinitionNode)
        assert operation.name is not None and operation.name.value == example.title


def test_the_examples_ask_about_the_seed_trial(loaded: dict[str, TrialGraph]) -> None:
    trial, condition = "Trial:NCT05697718", "Ischemic Stroke"
    assert {example.title: example.variables for example in curated_examples(loaded["seed"])} == {
        "TrialCard": {"nctId": "NCT05697718"},
        "ConditionTrials": {"name": condition},
        "OrganizationTrials": {"name": "Shanghai IxCell Biotechnology Co., LTD"},
        "InvestigatorTrials": {"name": "junwei Hao"},
        "FindTrials": {"filter": {"condition": condition}, "first": 10},
        "Refetch": {"id": trial},
        "Neighborhood": {"id": trial, "hops": 1},
        "HowConnected": {"from": "Condition:ischemicstroke", "to": "Country:china"},
        "SharedSites": {"nctId": "NCT05697718"},
        "AffiliatedInvestigators": {"name": "Xuanwu Hospital of Capital Medical University"},
        "RecruitingSites": {"nctId": "NCT05697718"},
        "TrialsForAPatient": {"filter": {"age": 67, "sex": "FEMALE"}},
        "ConditionInterventions": {"name": condition},
        "RelatedTrials": {"nctId": "NCT05697718"},
        "TrialFacets": {"filter": {"condition": condition}},
        # The page gives no coordinates: its sites are at Beijing's centre, from the gazetteer.
        "SitesNear": {"near": {"lat": 39.9075, "lon": 116.39723, "km": 50}},
        "EligibleSitesNear": {
            "near": {"lat": 39.9075, "lon": 116.39723, "km": 50},
            "accepts": {"age": 67, "sex": "FEMALE"},
        },
    }


@pytest.mark.parametrize("data", sorted(DATA))
def test_every_example_answers_without_errors(loaded: dict[str, TrialGraph], data: str) -> None:
    examples = curated_examples(loaded[data])
    if data == "nothing":
        assert [example.title for example in examples] == ["FindTrials", "TrialsForAPatient"]
    elif data == "seed":
        assert [example.title for example in examples] == CONTRACT_OPERATIONS + SEED_QUESTIONS
    else:
        assert [example.title for example in examples] == CONTRACT_OPERATIONS + RELATIONSHIP_QUESTIONS
    for example in examples:
        answer = _run(loaded[data], example)
        # Each asks about something that exists: no root field answers null.
        assert all(value is not None for value in answer.values()), example.title


def test_on_the_shared_records_the_relationship_questions_have_answers(loaded: dict[str, TrialGraph]) -> None:
    trial_graph = loaded["shared records"]
    answers = {example.title: _run(trial_graph, example) for example in curated_examples(trial_graph)}
    sites = answers["SharedSites"]["trial"]["sites"]["nodes"]
    assert any(site["trials"]["totalCount"] > 1 for site in sites)
    assert answers["AffiliatedInvestigators"]["organization"]["investigators"]["totalCount"] >= 2
    recruiting = answers["RecruitingSites"]["trial"]["sites"]
    assert recruiting["totalCount"] > 0
    assert {edge["status"] for edge in recruiting["edges"]} == {"RECRUITING"}
    assert answers["TrialsForAPatient"]["trials"]["totalCount"] > 0
    assert answers["HowConnected"]["shortestPath"]["length"] > 0
    assert answers["RelatedTrials"]["relatedTrials"]["totalCount"] > 0
    assert answers["TrialFacets"]["trials"]["facets"]["status"]
    assert answers["SitesNear"]["sites"]["totalCount"] > 0
    eligible = answers["EligibleSitesNear"]["eligibleSites"]
    assert eligible["totalCount"] > 0 and {edge["status"] for edge in eligible["edges"]} == {"RECRUITING"}
    assert answers["MeshTermTrials"]["meshTerm"]["trials"]["totalCount"] > 0


def test_the_page_offers_the_examples(loaded: dict[str, TrialGraph]) -> None:
    page = graphiql_html(loaded["seed"])
    start = page.index('<script id="graphiql-examples" type="application/json">')
    offered = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert offered == [
        {
            "title": example.title,
            "description": example.description,
            "query": example.query,
            "variables": json.dumps(example.variables, indent=2),
        }
        for example in curated_examples(loaded["seed"])
    ]
    assert offered[0]["description"] == "Everything about NCT05697718"


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
