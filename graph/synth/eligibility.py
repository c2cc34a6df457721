"""Who may take part: criteria text, age limits as the registry writes them, sex, healthy volunteers."""

from __future__ import annotations

import random
from typing import Any

from graph.synth import texts
from graph.synth.distributions import Weighted, pick

_MINIMUM_AGES = Weighted(  # "" is no limit: the field is left out
    ["18 Years", "", "12 Years", "2 Years", "6 Months", "40 Years", "50 Years", "65 Years", "19 Years",
     "28 Days"],
    [62, 6, 3, 3, 2, 6, 5, 3, 1, 1],
)  # fmt: skip
_MAXIMUM_AGES = Weighted(
    ["", "65 Years", "70 Years", "75 Years", "80 Years", "85 Years", "99 Years", "55 Years", "17 Years"],
    [50, 12, 7, 8, 10, 4, 3, 3, 3],
)
_SEXES = Weighted(["ALL", "FEMALE", "MALE"], [92, 5, 3])
_STANDARD_AGES = (("CHILD", 0, 18), ("ADULT", 18, 65), ("OLDER_ADULT", 65, 200))


def eligibility_module(
    conditions: list[tuple[str, str]], drug: str, phases: list[str], observational: bool, rng: random.Random
) -> dict[str, Any]:
    """The eligibility module; the sex follows a condition that has one (breast cancer, prostate cancer)."""
    minimum, maximum = _MINIMUM_AGES(rng), _MAXIMUM_AGES(rng)
    if maximum and minimum and years(maximum) <= years(minimum):
        maximum = ""
    condition = conditions[0][0]
    module: dict[str, Any] = {}
    if rng.random() < 0.97:
        age = int(years(minimum)) if minimum else 18
        module["eligibilityCriteria"] = texts.criteria(condition, drug, age, observational, rng)
    healthy = condition == "Healthy" or ("PHASE1" in phases and rng.random() < 0.35) or rng.random() < 0.06
    if rng.random() < 0.96:
        module["healthyVolunteers"] = healthy
    sexes = {sex for _, sex in conditions if sex}
    module["sex"] = sexes.pop() if len(sexes) == 1 else _SEXES(rng)
    if minimum:
        module["minimumAge"] = minimum
    if maximum:
        module["maximumAge"] = maximum
    low, high = years(minimum) if minimum else 0.0, years(maximum) if maximum else 200.0
    module["stdAges"] = [name for name, start, end in _STANDARD_AGES if low < end and high >= start]
    if observational:
        module["studyPopulation"] = f"Patients with {condition.lower()} seen at the participating centres."
        module["samplingMethod"] = pick(rng, ("NON_PROBABILITY_SAMPLE",) * 2 + ("PROBABILITY_SAMPLE",))
    return module


def years(age: str) -> float:
    """An age as written, in years.

    >>> years("18 Years"), years("6 Months")
    (18.0, 0.5)
    """
    number, unit = age.split(" ")
    return float(number) * {"Years": 1.0, "Months": 1 / 12, "Days": 1 / 365.25}[unit]
