"""The shared registry records as raw JSON, and a way to ask the real schema about them: tests
compute what an answer should be from the JSON itself, not from the graph."""

from __future__ import annotations

import json
import math
from functools import cache
from typing import Any

from graph.build.loading import TrialGraph
from schema.build import TrialSchema, create_schema
from schema.context import Context
from schema.limits import Limits
from tests.paths import CTGOV


@cache
def records() -> dict[str, dict[str, Any]]:
    """Each shared record's protocol and derived sections, by NCT ID."""
    found = {}
    for path in sorted(CTGOV.glob("*.json")):
        study = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = study
    return found


def module(study: dict[str, Any], name: str) -> dict[str, Any]:
    return dict(study["protocolSection"].get(name, {}))


@cache
def schemas() -> tuple[TrialSchema, TrialSchema]:
    """The schema with its fast path, and without."""
    return create_schema(), create_schema(fast=False)


def ask(loaded: TrialGraph, query: str, **variables: Any) -> Any:
    """The answer's data, the same both ways through the schema (fast path and standard)."""
    answers = []
    for schema in schemas():
        result = schema.execute_sync(
            query, variable_values=variables, context_value=Context(loaded, Limits())
        )
        assert result.errors is None, [error.message for error in result.errors]
        answers.append(result.data)
    assert answers[0] == answers[1]
    return answers[0]


def refused(loaded: TrialGraph, query: str, **variables: Any) -> list[str]:
    """The error messages of a query that must fail, the same both ways."""
    messages = []
    for schema in schemas():
        result = schema.execute_sync(
            query, variable_values=variables, context_value=Context(loaded, Limits())
        )
        assert result.data is None or all(value is None for value in result.data.values())
        messages.append([error.message for error in result.errors or []])
    assert messages[0] == messages[1]
    return messages[0]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius, with the math module only."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def age_years(text: str | None) -> float | None:
    """'18 Years' or '6 Months' in years."""
    if text is None:
        return None
    number, unit = text.split()
    per = {"year": 1, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}[unit.lower().rstrip("s")]
    return float(number) * per


def accepts(study: dict[str, Any], age: float, sex: str) -> bool:
    """Whether the record's eligibility accepts a person of this age and sex; a record stating no
    eligibility at all accepts no one."""
    eligibility = module(study, "eligibilityModule")
    stated = {"minimumAge", "maximumAge", "sex", "eligibilityCriteria", "healthyVolunteers"}
    if not stated & set(eligibility):
        return False
    low, high = age_years(eligibility.get("minimumAge")), age_years(eligibility.get("maximumAge"))
    return (
        (low is None or low <= age)
        and (high is None or high >= age)
        and eligibility.get("sex", "ALL") in ("ALL", sex)
    )
