"""A trial's criteria as a list: each item with its part and the sub-heading it is listed under,
and the criteria as written, from real registry records; the fast path answers the same."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from graph.build.loading import TrialGraph, load_graph
from schema.build import TrialSchema, create_schema
from schema.context import Context
from schema.limits import Limits
from tests.graph.test_eligibility import NCT06209411
from tests.paths import SHARED

STUDIES = SHARED / "data" / "registry" / "studies.zip"
TRIALS = ("NCT06209411", "NCT00654914", "NCT04509063")
QUERY = (
    "query($n: String!) { trial(nctId: $n) { eligibility { criteria { part group text } criteriaText "
    "inclusionCriteria exclusionCriteria } } }"
)


def _written(nct_id: str) -> str:
    with zipfile.ZipFile(STUDIES) as archive:
        study = json.loads(archive.read(f"{nct_id}.json"))
    text: str = study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    return text


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> TrialGraph:
    folder: Path = tmp_path_factory.mktemp("criteria")
    with zipfile.ZipFile(STUDIES) as archive:
        for nct_id in TRIALS:
            (folder / f"{nct_id}.json").write_bytes(archive.read(f"{nct_id}.json"))
    return load_graph([folder])


@pytest.fixture(scope="module")
def schemas() -> tuple[TrialSchema, TrialSchema]:
    return create_schema(), create_schema(fast=False)


def _answers(schemas: tuple[TrialSchema, TrialSchema], loaded: TrialGraph, nct_id: str) -> list[Any]:
    """The answer the fast path gives (it does not step aside) and the standard one."""
    fast = schemas[0].fast
    assert (
        fast is not None and fast.execute(QUERY, {"n": nct_id}, Context(loaded, Limits()), None) is not None
    )
    answers = []
    for schema in schemas:
        result = schema.execute_sync(
            QUERY, variable_values={"n": nct_id}, context_value=Context(loaded, Limits())
        )
        assert result.errors is None
        answers.append(result.data)
    return answers


def test_each_criterion_comes_with_its_part_and_sub_heading(
    schemas: tuple[TrialSchema, TrialSchema], loaded: TrialGraph
) -> None:
    written = _written("NCT06209411")
    assert "\\" not in written  # no escape to remove: the text as written is the record's
    parts = {"in": "INCLUSION", "ex": "EXCLUSION"}
    expected = {
        "trial": {
            "eligibility": {
                "criteria": [
                    {"part": parts[part], "group": group, "text": text} for part, group, text in NCT06209411
                ],
                "criteriaText": written.strip(),
                "inclusionCriteria": [text for part, _, text in NCT06209411 if part == "in"],
                "exclusionCriteria": [text for part, _, text in NCT06209411 if part == "ex"],
            }
        }
    }
    fast, standard = _answers(schemas, loaded, "NCT06209411")
    assert fast == standard == expected


def test_a_criterion_without_a_sub_heading_has_a_null_group(
    schemas: tuple[TrialSchema, TrialSchema], loaded: TrialGraph
) -> None:
    fast, standard = _answers(schemas, loaded, "NCT00654914")
    assert fast == standard
    criteria = fast["trial"]["eligibility"]["criteria"]
    assert [(c["part"], c["group"]) for c in criteria[:5]] == [("INCLUSION", None)] * 4 + [
        ("EXCLUSION", "Previous or current Medical Conditions")
    ]
    assert len(criteria) == 4 + 26
    assert [c["text"] for c in criteria] == (
        fast["trial"]["eligibility"]["inclusionCriteria"] + fast["trial"]["eligibility"]["exclusionCriteria"]
    )


def test_the_sub_headings_are_graph_attributes_only_where_an_item_has_one(loaded: TrialGraph) -> None:
    def groups(nct_id: str) -> tuple[Any, Any]:
        trial = loaded.graph.nodes[f"Trial:{nct_id}"]
        return trial.get("inclusionCriteriaGroups"), trial.get("exclusionCriteriaGroups")

    assert groups("NCT06209411") == (
        "\n".join(group for part, group, _ in NCT06209411 if part == "in"),
        "\n".join(group for part, group, _ in NCT06209411 if part == "ex"),
    )
    inclusion, exclusion = groups("NCT00654914")
    assert inclusion is None and exclusion.split("\n")[:2] == ["Previous or current Medical Conditions"] * 2
    assert groups("NCT04509063") == (None, None)


def test_a_part_with_nothing_listed_lists_nothing(
    schemas: tuple[TrialSchema, TrialSchema], loaded: TrialGraph
) -> None:
    fast, standard = _answers(schemas, loaded, "NCT04509063")
    assert (
        fast
        == standard
        == {
            "trial": {
                "eligibility": {
                    "criteria": [
                        {"part": "INCLUSION", "group": None, "text": "Residence: Central Denmark Region"}
                    ],
                    "criteriaText": "Inclusion Criteria:\n\n* Residence: Central Denmark Region\n\n"
                    "Exclusion Criteria:\n\n-",
                    "inclusionCriteria": ["Residence: Central Denmark Region"],
                    "exclusionCriteria": [],
                }
            }
        }
    )
