"""Study Groups resolved with the Interventions section; what cannot be resolved is reported."""

from __future__ import annotations

import json

import pytest

from graph.ctgov import parse_study
from graph.errors import Report
from graph.model import Arm, Intervention, Source, TrialRecord
from graph.textpage import SECTIONS, parse_page
from tests.paths import CTGOV, PAGES, SEED_PAGE

GROUPS = f"Study Groups\n\n{SECTIONS['Study Groups']}\n\n"
INTERVENTIONS = f"Interventions\n\n{SECTIONS['Interventions']}\n\n"


def _page(groups: str, interventions: str | None) -> tuple[TrialRecord | None, list[str]]:
    """The seed page with its Study Groups and Interventions sections replaced."""
    text = SEED_PAGE.read_text(encoding="utf-8")
    start, end = text.index("Study Groups\n"), text.index("Eligibility Criteria\n")
    middle = (
        GROUPS
        + groups.strip()
        + "\n\n"
        + (INTERVENTIONS + interventions.strip() + "\n\n" if interventions else "")
    )
    report = Report("page.txt")
    record = parse_page(text[:start] + middle + text[end:], Source("page.txt"), report)
    return record, [str(problem) for problem in report.problems]


@pytest.mark.parametrize("nct", ["NCT02299791", "NCT04267848", "NCT05932303", "NCT03475563", "NCT00973089"])
def test_pages_resolve_arms_as_their_records_state_them(nct: str) -> None:
    record = parse_study(json.loads((CTGOV / f"{nct}.json").read_text()), "$", Source(""), Report(""))
    report = Report("")
    page = parse_page((PAGES / f"{nct}.txt").read_text(encoding="utf-8"), Source(""), report)
    assert record is not None and page is not None and report.problems == []
    assert [(a.label, a.type, a.description, a.interventions) for a in page.arms] == [
        (a.label, a.type, a.description, a.interventions) for a in record.arms
    ]
    assert [(i.name, i.type, i.description) for i in page.interventions] == [
        (i.name, i.type, i.description) for i in record.interventions
    ]


def test_cohorts_without_type_or_interventions_are_cut_where_a_label_follows_prose() -> None:
    record, problems = _page(
        "Cohort A\n\nAdults who had a stroke in the last year.\n\n"
        "Cohort B\n\nHealthy adults of the same age.",
        None,
    )
    assert problems == []
    assert record is not None and record.arms == [
        Arm("Cohort A", None, "Adults who had a stroke in the last year.", [], "armGroups[0]"),
        Arm("Cohort B", None, "Healthy adults of the same age.", [], "armGroups[1]"),
    ]


def test_a_paragraph_that_may_be_a_label_or_a_description_is_reported() -> None:
    record, problems = _page("Cohort A\n\nCohort B", None)
    assert record is not None and [arm.label for arm in record.arms] == ["Cohort A"]
    assert problems == [
        "page.txt:87: warning: Study Groups: cannot tell whether 'Cohort B' is a group label or part of the "
        "description of 'Cohort A'; read as description"
    ]


def test_two_interventions_with_one_name_are_told_apart_by_their_descriptions() -> None:
    record, problems = _page(
        "Arm 1\n\nGroup Type EXPERIMENTAL\n\nX\n\nIntervention Type DRUG\n\nlow dose\n\n"
        "Arm 2\n\nGroup Type EXPERIMENTAL\n\nX\n\nIntervention Type DRUG\n\nhigh dose",
        "X\n\nlow dose\n\nIntervention Type DRUG\n\nX\n\nhigh dose\n\nIntervention Type DRUG",
    )
    assert problems == []
    assert record is not None
    assert [(arm.label, arm.interventions) for arm in record.arms] == [("Arm 1", [0]), ("Arm 2", [1])]
    assert record.interventions == [
        Intervention("X", "DRUG", "low dose", [], "interventions[0]"),
        Intervention("X", "DRUG", "high dose", [], "interventions[1]"),
    ]


def test_an_intervention_named_only_in_study_groups_is_reported_and_kept() -> None:
    record, problems = _page(
        "Arm 1\n\nGroup Type EXPERIMENTAL\n\nY\n\nIntervention Type DEVICE\n\nA device worn at night.",
        "X\n\nIntervention Type DRUG",
    )
    assert problems == [
        "page.txt:89: warning: intervention 'Y' (DEVICE) of group 'Arm 1' is not listed under Interventions; "
        "taken from Study Groups"
    ]
    assert record is not None
    assert record.interventions[1] == Intervention(
        "Y", "DEVICE", "A device worn at night.", [], "interventions[1]"
    )
    assert record.arms[0].interventions == [1]


def test_interventions_that_cannot_be_told_apart_are_reported() -> None:
    record, problems = _page(
        "Arm 1\n\nGroup Type EXPERIMENTAL\n\nX\n\nIntervention Type DRUG\n\nsame",
        "X\n\nsame\n\nIntervention Type DRUG\n\nX\n\nsame\n\nIntervention Type DRUG",
    )
    assert problems == [
        "page.txt:93: warning: interventions 'X' with the same name, type and description cannot be told "
        "apart; the first unused is taken"
    ]
    assert record is not None and record.arms[0].interventions == [0]


def test_a_group_type_without_a_label_is_an_error() -> None:
    record, problems = _page("Group Type EXPERIMENTAL", None)
    assert record is None
    assert problems == ["page.txt:85: 'Group Type' without a group label before it"]


def test_an_unknown_group_type_is_an_error_naming_the_known_ones() -> None:
    record, problems = _page("Arm 1\n\nGroup Type SOMETIMES", None)
    assert record is None
    assert problems == [
        "page.txt:87: group type 'SOMETIMES' is not known; expected one of ACTIVE_COMPARATOR, EXPERIMENTAL, "
        "NO_INTERVENTION, OTHER, PLACEBO_COMPARATOR, SHAM_COMPARATOR"
    ]
