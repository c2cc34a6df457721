"""Who may take part in a trial: its age limits, sex and healthy volunteers, and its criteria,
as written and listed item by item with the sub-heading each is listed under."""

from __future__ import annotations

from typing import Any

import strawberry

from graph.model import listed
from schema.enums import CriteriaPart, Sex, member, stored


@strawberry.type(description="One listed eligibility criterion.")
class Criterion:
    part: CriteriaPart
    group: str | None = strawberry.field(
        description="The sub-heading the item is listed under (`Pregnant Women`), as written "
        "without a letter marker or a trailing colon; null where there is none."
    )
    text: str = strawberry.field(description="The criterion, without its number or bullet.")


@strawberry.type(description="Who may take part.")
class Eligibility:
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The criteria as written, as plain text.")
    def criteria_text(self) -> str | None:
        return self.data.get("eligibilityCriteria")

    @strawberry.field(
        description="Every listed criterion in order, the inclusion items then the exclusion "
        "items, each with the sub-heading it is listed under."
    )
    def criteria(self) -> list[Criterion]:
        found = []
        for part, items, groups in (
            ("INCLUSION", "inclusionCriteria", "inclusionCriteriaGroups"),
            ("EXCLUSION", "exclusionCriteria", "exclusionCriteriaGroups"),
        ):
            texts = listed(self.data, items)
            written = listed(self.data, groups) or [""] * len(texts)
            listed_in = stored(CriteriaPart, part)
            found += [
                Criterion(part=listed_in, group=group or None, text=text)
                for text, group in zip(texts, written, strict=True)
            ]
        return found

    @strawberry.field(description="One string per listed inclusion criterion, in order.")
    def inclusion_criteria(self) -> list[str]:
        return listed(self.data, "inclusionCriteria")

    @strawberry.field(description="One string per listed exclusion criterion, in order.")
    def exclusion_criteria(self) -> list[str]:
        return listed(self.data, "exclusionCriteria")

    @strawberry.field(description="The minimum age as written: `18 Years`, `6 Months`.")
    def minimum_age(self) -> str | None:
        return self.data.get("minimumAge")

    @strawberry.field(description="The minimum age in years; null where there is none.")
    def minimum_age_years(self) -> float | None:
        return self.data.get("minimumAgeYears")

    @strawberry.field
    def maximum_age(self) -> str | None:
        return self.data.get("maximumAge")

    @strawberry.field(description="The maximum age in years; null where there is none.")
    def maximum_age_years(self) -> float | None:
        return self.data.get("maximumAgeYears")

    @strawberry.field
    def sex(self) -> Sex | None:
        return member(Sex, self.data.get("sex"))

    @strawberry.field
    def healthy_volunteers(self) -> bool | None:
        return self.data.get("healthyVolunteers")

    @strawberry.field(description="The registry's age groups: CHILD, ADULT, OLDER_ADULT.")
    def standard_ages(self) -> list[str]:
        return listed(self.data, "standardAges")

    @strawberry.field
    def study_population(self) -> str | None:
        return self.data.get("studyPopulation")
