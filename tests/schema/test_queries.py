"""Real query strings against the real schema on the shared records: whole answers compared."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import strawberry

from graph.build.loading import TrialGraph, load_graph
from graph.compact.assemble import StoreBuilder
from graph.compact.graph import CompactGraph
from schema.context import Context
from schema.limits import Limits
from tests.paths import CTGOV, PAGES, SEEDS


def run(
    schema: strawberry.Schema, loaded: TrialGraph, query: str, limits: Limits | None = None, **variables: Any
) -> Any:
    result = schema.execute_sync(
        query, variable_values=variables, context_value=Context(loaded, limits or Limits())
    )
    assert result.errors is None, [error.message for error in result.errors]
    return result.data


def errors(
    schema: strawberry.Schema, loaded: TrialGraph, query: str, limits: Limits | None = None
) -> list[str]:
    result = schema.execute_sync(query, context_value=Context(loaded, limits or Limits()))
    return [error.message for error in result.errors or []]


def test_a_site_and_its_trials_both_ways(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        """{ site(name: "Dana-Farber Cancer Institute") {
               name city state country locatedIn { name }
               trials { totalCount edges { status node { nctId } } }
               investigators { nodes { name } } } }""",
    )
    assert data == {
        "site": {
            "name": "Dana-Farber Cancer Institute",
            "city": "Boston",
            "state": "Massachusetts",
            "country": "United States",
            "locatedIn": {"name": "United States"},
            "trials": {
                "totalCount": 3,
                "edges": [
                    {"status": None, "node": {"nctId": "NCT02750826"}},
                    {"status": "RECRUITING", "node": {"nctId": "NCT04267848"}},
                    {"status": None, "node": {"nctId": "NCT05041309"}},
                ],
            },
            "investigators": {"nodes": [{"name": "Jacob M Sands"}]},
        }
    }


def test_an_organization_its_trials_and_its_people(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        """{ organization(name: "ALLIANCE for clinical trials in oncology") {
               name trials { edges { role node { nctId } } } investigators { nodes { name } } } }""",
    )
    assert data == {
        "organization": {
            "name": "Alliance for Clinical Trials in Oncology",
            "trials": {"edges": [{"role": "LEAD", "node": {"nctId": "NCT02750826"}}]},
            "investigators": {"nodes": [{"name": "Jacob M Sands"}]},
        }
    }


def test_a_person_their_roles_affiliations_and_sites(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        """{ investigator(name: "jacob m. sands") {
               name affiliations { name } sites { nodes { name } }
               trials { edges { role scope node { nctId } } } } }""",
    )
    assert data == {
        "investigator": {
            "name": "Jacob M Sands",
            "affiliations": [{"name": "Alliance for Clinical Trials in Oncology"}],
            "sites": {"nodes": [{"name": "Dana-Farber Cancer Institute"}]},
            "trials": {
                "edges": [
                    # The trial's own and a site's investigator there: one edge, the trial's role.
                    {"role": "PRINCIPAL_INVESTIGATOR", "scope": "TRIAL", "node": {"nctId": "NCT04267848"}},
                ]
            },
        }
    }


def test_an_intervention_its_arms_and_trials(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        """{ intervention(name: "BMS986278") {
               name type trials { totalCount edges { description node { nctId } } } arms { label } } }""",
    )
    assert data == {
        "intervention": {
            "name": "BMS-986278",
            "type": "DRUG",
            "trials": {
                "totalCount": 1,
                "edges": [
                    {"description": "Specified dose on specified days", "node": {"nctId": "NCT05932303"}}
                ],
            },
            "arms": [
                {"label": "BMS-986278, followed by itraconazole"},
                {"label": "BMS-986278, followed by gemfibrozil"},
                {"label": "BMS-986278, followed by carbamazepine"},
            ],
        }
    }


def test_a_trial_s_two_same_named_interventions_each_with_its_arm(
    schema: strawberry.Schema, loaded: TrialGraph
) -> None:
    data = run(
        schema,
        loaded,
        '{ trial(nctId: "NCT02299791") { interventions { name arms { label } } '
        "arms { label interventions { name } } } }",
    )
    assert data == {
        "trial": {
            "interventions": [
                {"name": "ALL", "arms": [{"label": "Early Intervention"}]},
                {"name": "ALL", "arms": [{"label": "Late implementation"}]},
            ],
            "arms": [
                {"label": "Early Intervention", "interventions": [{"name": "ALL"}]},
                {"label": "Late implementation", "interventions": [{"name": "ALL"}]},
            ],
        }
    }


def test_a_country_its_sites_and_trials(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        '{ country(name: "germany") { name sites { totalCount } trials { nodes { nctId } } } }',
    )
    assert data == {
        "country": {
            "name": "Germany",
            "sites": {"totalCount": 5},
            "trials": {"nodes": [{"nctId": "NCT00711542"}, {"nctId": "NCT05041309"}]},
        }
    }


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('{age: 67, sex: FEMALE, healthyVolunteers: false, country: "United States"}',
         ["NCT00184067", "NCT00258583", "NCT04267848", "NCT05041309"]),
        ("{healthyVolunteers: true}", ["NCT00973089", "NCT05932303"]),
        ("{age: 4}", ["NCT05041309"]),
        ('{startFrom: "2021", startTo: "2023-04"}', ["NCT05041309", "NCT05147467", "NCT05697718"]),
        ('{sponsor: "university of pittsburgh"}', ["NCT00258583"]),
        ('{investigator: "Kevin F Gibson"}', ["NCT00258583"]),
        ('{intervention: "dupixent"}', ["NCT02210780"]),
        ('{site: "dana farber cancer institute"}', ["NCT02750826", "NCT04267848", "NCT05041309"]),
        ('{condition: "coronary artery disease", studyType: OBSERVATIONAL}', ["NCT03475563"]),
        ('{status: UNKNOWN}', ["NCT03475563"]),
        ('{phase: PHASE2}', ["NCT00184067", "NCT00711542", "NCT02210780", "NCT05041309", "NCT05147467"]),
        ('{text: "interstitial lung"}', ["NCT00258583"]),
        ('{text: "no-such-word-anywhere"}', []),
    ],
)  # fmt: skip
def test_trial_filters(
    schema: strawberry.Schema, loaded: TrialGraph, where: str, expected: list[str]
) -> None:
    data = run(
        schema, loaded, f"{{ trials(filter: {where}, first: 100) {{ totalCount nodes {{ nctId }} }} }}"
    )
    assert data == {"trials": {"totalCount": len(expected), "nodes": [{"nctId": nct} for nct in expected]}}


def test_pages_follow_each_other_in_the_asked_order(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    query = """query($after: String) { trials(first: 2, after: $after, orderBy: ENROLLMENT_DESC) {
                 totalCount pageInfo { hasNextPage hasPreviousPage } nodes { nctId enrollment } } }"""
    first = run(schema, loaded, query)
    assert first == {
        "trials": {
            "totalCount": 15,
            "pageInfo": {"hasNextPage": True, "hasPreviousPage": False},
            "nodes": [
                {"nctId": "NCT00258583", "enrollment": 5000},
                {"nctId": "NCT02299791", "enrollment": 4856},
            ],
        }
    }
    seen = []
    after = None
    while True:
        page = run(
            schema,
            loaded,
            "query($after: String) { trials(first: 4, after: $after) "
            "{ pageInfo { hasNextPage endCursor } nodes { nctId } } }",
            after=after,
        )["trials"]
        seen += [node["nctId"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(seen) == 15


def test_refetch_by_global_id(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        """{ nodes(ids: ["Trial:NCT05697718", "Site:nowhere", "Condition:ischemicstroke"]) {
               id __typename ... on Condition { name } } }""",
    )
    assert data == {
        "nodes": [
            {"id": "Trial:NCT05697718", "__typename": "Trial"},
            None,
            {"id": "Condition:ischemicstroke", "__typename": "Condition", "name": "Ischemic Stroke"},
        ]
    }


def test_search_across_kinds(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(schema, loaded, '{ search(text: "stroke") { totalCount nodes { __typename id } } }')
    assert data == {
        "search": {
            "totalCount": 2,
            "nodes": [
                {"__typename": "Trial", "id": "Trial:NCT05697718"},
                {"__typename": "Condition", "id": "Condition:ischemicstroke"},
            ],
        }
    }
    only = run(schema, loaded, '{ search(text: "stroke", kinds: [Condition]) { nodes { id } } }')
    assert only == {"search": {"nodes": [{"id": "Condition:ischemicstroke"}]}}


def test_paths_between_distant_entities(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        """{ shortestPath(from: "Condition:ischemicstroke", to: "Trial:NCT05147467") {
               length nodes { id kind label } edges { source target type } } }""",
    )
    assert data == {
        "shortestPath": {
            "length": 3,
            "nodes": [
                {"id": "Condition:ischemicstroke", "kind": "Condition", "label": "Ischemic Stroke"},
                {"id": "Trial:NCT05697718", "kind": "Trial", "label": "NCT05697718"},
                {"id": "Country:china", "kind": "Country", "label": "China"},
                {"id": "Trial:NCT05147467", "kind": "Trial", "label": "NCT05147467"},
            ],
            "edges": [
                {"source": "Trial:NCT05697718", "target": "Condition:ischemicstroke", "type": "STUDIES"},
                {"source": "Trial:NCT05697718", "target": "Country:china", "type": "RUNS_IN"},
                {"source": "Trial:NCT05147467", "target": "Country:china", "type": "RUNS_IN"},
            ],
        }
    }
    alone = run(
        schema, loaded, '{ shortestPath(from: "Trial:NCT00465816", to: "Trial:NCT05147467") { length } }'
    )
    assert alone == {"shortestPath": None}


def test_a_neighborhood_keeps_to_the_kinds_asked_for(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        """{ neighborhood(id: "Trial:NCT05697718", hops: 2, kinds: [Condition, Country, Trial]) {
               nodes { id } edges { source target type } } }""",
    )
    assert data == {
        "neighborhood": {
            "nodes": [
                {"id": "Condition:ischemicstroke"},
                {"id": "Country:china"},
                {"id": "Trial:NCT05147467"},
                {"id": "Trial:NCT05697718"},
            ],
            "edges": [
                {"source": "Trial:NCT05147467", "target": "Country:china", "type": "RUNS_IN"},
                {"source": "Trial:NCT05697718", "target": "Condition:ischemicstroke", "type": "STUDIES"},
                {"source": "Trial:NCT05697718", "target": "Country:china", "type": "RUNS_IN"},
            ],
        }
    }


def test_stats_count_every_kind(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(schema, loaded, "{ stats { trials nodes { kind count } edges { kind count } } }")
    graph = loaded.graph
    assert data["stats"]["trials"] == 15
    assert sum(item["count"] for item in data["stats"]["nodes"]) == graph.number_of_nodes()
    assert sum(item["count"] for item in data["stats"]["edges"]) == graph.number_of_edges()


def test_a_merge_can_be_audited_through_the_api(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    data = run(
        schema,
        loaded,
        '{ site(name: "Xuanwu Hospital of Capital Medical University") '
        "{ mentions { nodes { trial field spelling } } } }",
    )
    spelling = "Xuanwu Hospital of Capital Medical University"
    assert data == {
        "site": {
            "mentions": {
                "nodes": [
                    {"trial": "NCT05697718", "field": "locations[0]", "spelling": spelling},
                    {"trial": "NCT05697718", "field": "locations[1]", "spelling": spelling},
                ]
            }
        }
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{ trial(nctId: "NCT05697718") { sites(first: 500) { totalCount } } }',
         "first (page size) is limited to 100; 500 was asked for"),
        ('{ neighborhood(id: "Trial:NCT05697718", hops: 9) { nodes { id } } }',
         "hops is limited to 3; 9 was asked for"),
        ('{ trials(after: "garbage") { totalCount } }', "after: 'garbage' is not a cursor this service gave"),
        ('{ trials(filter: {startFrom: "2021-13"}) { totalCount } }',
         "filter.startFrom: '2021-13' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("{ " + " ".join(f"a{n}: stats {{ trials }}" for n in range(31)) + " }",
         "31 aliases found. Allowed: 30"),
        ("{ trial(nctId: \"x\") { sites { edges { node { trials { edges { node { sites { edges { node {"
         " trials { edges { node { nctId } } } } } } } } } } } } } }",
         "'anonymous' exceeds maximum operation depth of 12"),
    ],
)  # fmt: skip
def test_a_limit_that_bites_names_itself(
    schema: strawberry.Schema, loaded: TrialGraph, query: str, message: str
) -> None:
    assert errors(schema, loaded, query) == [message]


def test_a_neighborhood_past_its_size_limit_is_refused(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    limits = Limits(max_neighborhood_nodes=100)
    message = errors(
        schema, loaded, '{ neighborhood(id: "Trial:NCT04267848", hops: 1) { nodes { id } } }', limits
    )
    assert message == ["neighborhood size (nodes) is limited to 100; 1354 were reached"]


def test_unexpected_errors_are_masked(schema: strawberry.Schema) -> None:
    store = StoreBuilder()
    store.set_attributes(store.node("Trial:NCT05697718"), {"kind": "Trial"})  # its nctId lost
    broken = load_graph([SEEDS])
    broken = replace(broken, graph=CompactGraph(store.assemble({})))
    assert errors(schema, broken, '{ trial(nctId: "NCT05697718") { nctId } }') == ["Unexpected error."]


def test_identifiers_with_and_without_their_domains(schema: strawberry.Schema) -> None:
    query = '{ trial(nctId: "NCT06171568") { identifiers { value source type domain } } }'
    from_record = run(schema, load_graph([CTGOV / "NCT06171568.json"]), query)
    from_page = run(schema, load_graph([PAGES / "NCT06171568.txt"]), query)
    org_study = {"value": "APHP230528", "source": "org_study_id", "type": None, "domain": None}
    secondary = {"value": "2023-A00386-39", "source": "secondary_id", "type": "OTHER"}
    assert from_record == {"trial": {"identifiers": [org_study, {**secondary, "domain": "IDRCB"}]}}
    assert from_page == {"trial": {"identifiers": [org_study, {**secondary, "domain": None}]}}


def test_a_variable_of_the_wrong_type_is_named(schema: strawberry.Schema, loaded: TrialGraph) -> None:
    result = schema.execute_sync(
        "query($first: Int) { trials(first: $first) { totalCount } }",
        variable_values={"first": "many"},
        context_value=Context(loaded, Limits()),
    )
    assert [error.message for error in result.errors or []] == [
        "Variable '$first' has invalid value: Int cannot represent non-integer value: 'many'"
    ]
