"""Inputs of the ``trials`` query: the filter and the order."""

from __future__ import annotations

import re
from enum import Enum

import strawberry

from graph.errors import TrialGraphError
from graph.query import TrialFilter as GraphTrialFilter
from graph.query import TrialOrder
from schema.enums import Phase, Sex, StudyType, TrialStatus

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class FilterError(TrialGraphError, ValueError):
    """Raised when a filter value cannot be used: a malformed date, a negative age."""


@strawberry.input(description="Conditions a trial must all meet; every field is optional.")
class TrialFilter:
    condition: str | None = strawberry.field(
        default=None, description="A condition, matched like `condition(name:)`."
    )
    intervention: str | None = strawberry.field(
        default=None, description="An intervention's name or other name."
    )
    sponsor: str | None = strawberry.field(default=None, description="A lead sponsor or collaborator.")
    investigator: str | None = strawberry.field(default=None, description="A person, overall or at a site.")
    country: str | None = None
    site: str | None = strawberry.field(default=None, description="A facility's name.")
    status: TrialStatus | None = None
    phase: Phase | None = None
    study_type: StudyType | None = None
    text: str | None = strawberry.field(
        default=None, description="Words to find in title, summary or conditions."
    )
    age: float | None = strawberry.field(
        default=None, description="Accepts a participant of this age, in years."
    )
    sex: Sex | None = strawberry.field(default=None, description="Accepts participants of this sex.")
    healthy_volunteers: bool | None = strawberry.field(
        default=None, description="Accepts healthy volunteers or not."
    )
    start_from: str | None = strawberry.field(
        default=None, description="Started on or after: YYYY, YYYY-MM, YYYY-MM-DD."
    )
    start_to: str | None = strawberry.field(default=None, description="Started on or before.")
    completion_from: str | None = None
    completion_to: str | None = None
    updated_from: str | None = strawberry.field(default=None, description="Last updated on or after.")
    updated_to: str | None = None

    def to_graph(self) -> GraphTrialFilter:
        values = {}
        for name in GraphTrialFilter.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, Enum):
                value = value.value
            if name.endswith(("_from", "_to")) and value is not None and not _DATE.match(value):
                raise FilterError(
                    f"filter.{_camel(name)}: {value!r} is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"
                )
            values[name] = value
        if self.age is not None and self.age < 0:
            raise FilterError(f"filter.age: {self.age} is not an age; expected 0 or more years")
        return GraphTrialFilter(**values)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.enum(description="How a list of trials is ordered; missing values come last.")
class TrialOrderBy(Enum):
    NCT_ID = "NCT_ID"
    NCT_ID_DESC = "NCT_ID_DESC"
    START_DATE = "START_DATE"
    START_DATE_DESC = "START_DATE_DESC"
    COMPLETION_DATE = "COMPLETION_DATE"
    COMPLETION_DATE_DESC = "COMPLETION_DATE_DESC"
    LAST_UPDATED = "LAST_UPDATED"
    LAST_UPDATED_DESC = "LAST_UPDATED_DESC"
    ENROLLMENT = "ENROLLMENT"
    ENROLLMENT_DESC = "ENROLLMENT_DESC"

    def to_graph(self) -> tuple[TrialOrder, bool]:
        base, descending = self.value.removesuffix("_DESC"), self.value.endswith("_DESC")
        return TrialOrder[base], descending
