"""The fast path gives the standard answer, whole, and steps aside where it cannot."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import OperationDefinitionNode, parse, print_ast

from graph.build.loading import TrialGraph, load_graph
from schema.build import TrialSchema, create_schema
from schema.context import Context
from schema.fastpath import FastPath
from schema.limits import Limits
from server.examples import curated_examples
from tests.paths import CONTRACT, CTGOV, REPO, SEEDS


@pytest.fixture(scope="module")
def schemas() -> tuple[TrialSchema, TrialSchema]:
    return create_schema(), create_schema(fast=False)


def _contract() -> list[tuple[str, dict[str, Any]]]:
    """The contract's operations, each on its own, with the seed's variables."""
    operations = {}
    for path in sorted(CONTRACT.glob("*.graphql")):
        for definition in parse(path.read_text()).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                operations[definition.name.value] = print_ast(definition)
    expected = json.loads((CONTRACT / "seed-expected.json").read_text())
    return [(operations[case.get("operation", name)], case["variables"]) for name, case in expected.items()]


QUERIES: list[tuple[str, dict[str, Any]]] = [
    ('{ trial(nctId: "NCT04267848") { nctId a: title b: title investigators(first: 5) { totalCount edges { role scope node { name affiliations { name } } } } } }', {}),
    ('query($n: String!) { trial(nctId: $n) { ...Card interventions { name arms { label } } } } fragment Card on Trial { nctId status phases sponsors { edges { role agencyClass node { name spellings } } } }', {"n": "NCT02299791"}),
    ('{ nodes(ids: ["Trial:NCT05697718", "Site:nowhere", "Condition:ischemicstroke"]) { id __typename ... on Condition { name trials { totalCount } } ... on Node { id } } }', {}),
    ('{ search(text: "cancer", first: 7) { totalCount pageInfo { hasNextPage endCursor } nodes { __typename id ... on Trial { title } ... on Site { name city } } } }', {}),
    ('query($f: TrialFilter, $o: TrialOrderBy!) { trials(filter: $f, orderBy: $o, first: 5) { totalCount nodes { nctId enrollment startDate } } }', {"f": {"age": 67, "sex": "FEMALE"}, "o": "ENROLLMENT_DESC"}),
    ('{ site(name: "Dana-Farber Cancer Institute") { name locatedIn { name } organization { name } trials { edges { status node { nctId } } } mentions(first: 2) { totalCount nodes { trial field spelling } } } }', {}),
    ('{ neighborhood(id: "Trial:NCT05697718", hops: 2, kinds: [Condition, Country, Trial]) { nodes { id kind label } edges { source target type } } }', {}),
    ('{ shortestPath(from: "Condition:ischemicstroke", to: "Trial:NCT05147467") { length nodes { id kind } edges { type } } }', {}),
    ('{ stats { trials nodes { kind count } edges { kind count } dataVersion } }', {}),
    ('{ trial(nctId: "NCT00258583") { eligibility { minimumAge minimumAgeYears maximumAgeYears sex healthyVolunteers inclusionCriteria exclusionCriteria standardAges } design { allocation masking whoMasked } identifiers { value source type domain } responsibleParty { type investigatorName investigator { name } organization { name } } } }', {}),
    ('{ intervention(name: "placebo") { name type otherNames description arms { label trial { nctId } } trials { edges { description arms { label } node { nctId } } } } }', {}),
    ('{ organization(name: "Alliance for Clinical Trials in Oncology") { name agencyClass trials(role: LEAD) { totalCount } investigators { nodes { name sites { nodes { name } } } } sites { totalCount } } }', {}),
    ('{ country(name: "China") { name sites(first: 3) { totalCount nodes { name } } trials { nodes { nctId countries { name } } } } }', {}),
    ('{ trial(nctId: "NCT09999999") { nctId } condition(name: "nothing at all") { name } }', {}),
]  # fmt: skip


def _both(
    schemas: tuple[TrialSchema, TrialSchema], loaded: TrialGraph, query: str, variables: dict[str, Any]
) -> tuple[Any, Any]:
    fast, standard = schemas
    context = Context(loaded, Limits())
    a = fast.execute_sync(query, variable_values=variables, context_value=context)
    b = standard.execute_sync(query, variable_values=variables, context_value=context)
    return (a.data, [e.formatted for e in a.errors or []]), (b.data, [e.formatted for e in b.errors or []])


def _examples() -> list[tuple[str, dict[str, Any]]]:
    return [(e.query, e.variables or {}) for e in curated_examples(load_graph([SEEDS, CTGOV]))]


@pytest.mark.parametrize(("query", "variables"), QUERIES + _contract() + _examples())
def test_the_fast_path_answers_like_the_standard_one(
    schemas: tuple[TrialSchema, TrialSchema], loaded: TrialGraph, query: str, variables: dict[str, Any]
) -> None:
    fast_answer, standard_answer = _both(schemas, loaded, query, variables)
    assert fast_answer == standard_answer
    assert schemas[0].fast is not None
    assert schemas[0].fast.execute(query, variables, Context(loaded, Limits()), None) is not None, (
        "it stepped aside"
    )


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ trial(nctId: "NCT05697718") { nctId title @include(if: false) } }', {}),
        ("{ __schema { queryType { name } } }", {}),
        ('{ trial(nctId: "NCT05697718") { sites(first: 500) { totalCount } } }', {}),
        ('{ trials(after: "nonsense") { totalCount } }', {}),
        ("query($n: String!) { trial(nctId: $n) { nctId } }", {"n": 5}),
        ("{ nosuchfield }", {}),
        ("{ " + " ".join(f"a{n}: stats {{ trials }}" for n in range(40)) + " }", {}),
    ],
)
def test_where_it_cannot_answer_it_steps_aside_and_the_answer_is_the_standard_one(
    schemas: tuple[TrialSchema, TrialSchema], loaded: TrialGraph, query: str, variables: dict[str, Any]
) -> None:
    assert schemas[0].fast is not None
    assert schemas[0].fast.execute(query, variables, Context(loaded, Limits()), None) is None
    fast_answer, standard_answer = _both(schemas, loaded, query, variables)
    assert fast_answer == standard_answer


def test_the_schema_file_is_the_same_either_way() -> None:
    assert str(create_schema(fast=False)) + "\n" == (REPO / "schema" / "schema.graphql").read_text()


@strawberry.enum
class Shade(Enum):
    DARK = "dark"
    LIGHT = "light"


@strawberry.type
class Thing:
    name: str | None
    label: str
    count: int
    flag: bool
    tags: list[str | None]
    strict_tags: list[str]

    @strawberry.field
    def shade(self, shade: Shade = Shade.DARK, times: int = 1) -> str:
        return f"{shade.value}x{times}:{self.label}"

    @strawberry.field
    def self_named(self, info: strawberry.Info, suffix: str = "") -> str:
        return f"{self.label}{suffix}{len(info.context)}"


@strawberry.type
class Things:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [
            Thing(name=None, label="a", count=1, flag=True, tags=["x", None], strict_tags=["y"]),
            Thing(name="b", label="b", count=2**31, flag=False, tags=[], strict_tags=[]),
        ]

    @strawberry.field
    def broken(self) -> list[Thing]:
        return [Thing(name="n", label=None, count=0, flag=True, tags=[], strict_tags=[None])]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "answered"),
    [
        ('{ things { name label flag tags strictTags __typename shade selfNamed(suffix: "-") } }', True),
        ("{ things { shade(shade: LIGHT, times: 3) other: shade(shade: DARK) } }", True),
        ("query($s: Shade!) { things { shade(shade: $s) } }", True),
        ("{ things { count } }", False),  # 2**31 is not an Int: the standard error
        ("{ broken { label } }", False),  # a null for String!
        ("{ broken { strictTags } }", False),  # a null item of [String!]!
        ("{ broken { name tags } }", True),
    ],
)
def test_compiled_answers_read_complete_and_step_aside_like_the_standard_path(
    query: str, answered: bool
) -> None:
    schema = strawberry.Schema(query=Things)
    fast = FastPath(schema, [], 10_000)
    context = {"a": 1}
    variables = {"s": "LIGHT"}
    data = fast.execute(query, variables, context, None)
    standard = schema.execute_sync(query, variable_values=variables, context_value=context)
    assert (data is not None) is answered
    if answered:
        assert standard.errors is None
        assert data == standard.data
    else:
        assert standard.errors
