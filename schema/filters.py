"""Inputs of the ``trials`` query: the filter and the order."""

from __future__ import annotations

import math
import re
from enum import Enum

import strawberry

from graph.errors import QueryLimitError, TrialGraphError
from graph.query.search import TrialFilter as GraphTrialFilter
from graph.query.search import TrialOrder
from schema.context import Context
from schema.enums import Phase, Sex, StudyType, TrialStatus

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class FilterError(TrialGraphError, ValueError):
    """Raised when an input value cannot be used: a malformed date, a negative age, a latitude
    past 90; the message names the argument."""


@strawberry.input(description="A circle on the globe: a centre in degrees and a radius in km.")
class GeoCircle:
    lat: float = strawberry.field(description="Latitude of the centre, -90 to 90.")
    lon: float = strawberry.field(description="Longitude of the centre, -180 to 180.")
    km: float = strawberry.field(description="Radius in km: more than 0, up to the limit `maxDistanceKm`.")

    def to_graph(self, context: Context, path: str) -> tuple[float, float, float]:
        """(lat, lon, km), checked; errors name the argument (``path``) and the bound."""
        if not -90 <= self.lat <= 90:
            raise FilterError(f"{path}.lat: {self.lat} is not a latitude; expected -90 to 90")
        if not -180 <= self.lon <= 180:
            raise FilterError(f"{path}.lon: {self.lon} is not a longitude; expected -180 to 180")
        if not self.km > 0:
            raise FilterError(f"{path}.km: {self.km} is not a distance; expected more than 0 km")
        limit = context.limits.max_distance_km
        if self.km > limit:
            raise QueryLimitError(f"{path}.km (distance in km)", limit, math.ceil(self.km))
        return self.lat, self.lon, self.km


@strawberry.input(description="A person looking for a trial: each field optional.")
class Participant:
    age: float | None = strawberry.field(default=None, description="Age in years, 0 or more.")
    sex: Sex | None = strawberry.field(default=None, description="FEMALE or MALE.")
    healthy_volunteer: bool | None = strawberry.field(
        default=None,
        description="true: a healthy volunteer, accepted only by trials that take healthy volunteers; "
        "false or null: no condition.",
    )

    def to_graph(self, path: str) -> dict[str, object]:
        """The fields of a trial filter that accept this person."""
        if self.age is not None and not 0 <= self.age <= 150:
            raise FilterError(f"{path}.age: {self.age} is not an age; expected 0 to 150 years")
        if self.sex is not None and self.sex.value == "ALL":
            raise FilterError(f"{path}.sex: a person is FEMALE or MALE, not ALL")
        return {
            "age": self.age,
            "sex": None if self.sex is None else self.sex.value,
            "healthy_volunteers": True if self.healthy_volunteer else None,
        }


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
    mesh_term: str | None = strawberry.field(
        default=None,
        description="A MeSH term's name or id (D009369): trials the registry classifies as that term or "
        "under it, so a broader term finds trials of narrower ones.",
    )
    near: GeoCircle | None = strawberry.field(
        default=None, description="Trials with a site within `km` of the point."
    )

    def to_graph(self, context: Context) -> GraphTrialFilter:
        values: dict[str, object] = {}
        for name in GraphTrialFilter.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, GeoCircle):
                value = value.to_graph(context, "filter.near")
            if isinstance(value, Enum):
                value = value.value
            if name.endswith(("_from", "_to")) and value is not None and not _DATE.match(value):
                raise FilterError(
                    f"filter.{_camel(name)}: {value!r} is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"
                )
            values[name] = value
        if self.age is not None and self.age < 0:
            raise FilterError(f"filter.age: {self.age} is not an age; expected 0 or more years")
        return GraphTrialFilter(**values)  # type: ignore[arg-type]


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
