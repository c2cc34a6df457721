"""Design, arms and interventions of one study, linked many-to-many by arm label.

Interventional studies get one to eight arms built around one to five tested interventions,
a placebo arm when masked and randomized, background interventions given on every arm, and
sometimes two interventions of the same name given at two doses on two arms. Some older-style
records link arms only through ``interventionNames``. Observational studies often have no
arms module at all, else untyped cohorts.
"""

from __future__ import annotations

import random
from typing import Any

from graph.synth import medicine
from graph.synth.distributions import Weighted, between, pick, some
from graph.synth.entities import Intervention, World

_ALLOCATIONS = Weighted(["RANDOMIZED", "NON_RANDOMIZED", "NA"], [55, 10, 35])
_MODELS = Weighted(["PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL"], [80, 12, 3, 5])
_PURPOSES = Weighted(
    ["TREATMENT", "PREVENTION", "SUPPORTIVE_CARE", "DIAGNOSTIC", "BASIC_SCIENCE", "HEALTH_SERVICES_RESEARCH",
     "SCREENING", "OTHER", "DEVICE_FEASIBILITY", "ECT"],
    [60, 10, 7, 4, 6, 3, 1, 7, 1, 0.2],
)  # fmt: skip
_MASKINGS = Weighted(["NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"], [50, 12, 14, 10, 14])
_WHO = ("PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR")
_OBSERVATIONAL_MODELS = Weighted(
    [
        "COHORT",
        "CASE_CONTROL",
        "CASE_ONLY",
        "OTHER",
        "ECOLOGIC_OR_COMMUNITY",
        "CASE_CROSSOVER",
        "FAMILY_BASED",
        "DEFINED_POPULATION",
        "NATURAL_HISTORY",
    ],
    [55, 15, 12, 8, 2, 2, 1, 3, 2],
)
_PERSPECTIVES = Weighted(["PROSPECTIVE", "RETROSPECTIVE", "CROSS_SECTIONAL", "OTHER"], [60, 25, 12, 3])
_ARM_COUNTS = Weighted([2, 3, 4, 5, 6, 8], [65, 20, 9, 3, 2, 1])
_TESTED_COUNTS = Weighted([1, 2, 3, 4, 5], [55, 25, 12, 5, 3])
_COHORTS = (
    "Cohort 1",
    "Cohort 2",
    "Cohort 3",
    "{condition} patients",
    "Healthy controls",
    "Exposed",
    "Unexposed",
)
_OBSERVED = (
    Intervention("Blood Sample", "OTHER"), Intervention("No intervention", "OTHER"),
    Intervention("Questionnaire", "OTHER"), Intervention("Magnetic Resonance Imaging", "DIAGNOSTIC_TEST"),
    Intervention("Standard of Care", "OTHER"),
)  # fmt: skip
_PLACEBO = Intervention("Placebo", "DRUG")


def interventional_design(rng: random.Random) -> dict[str, Any]:
    allocation = _ALLOCATIONS(rng)
    model = "SINGLE_GROUP" if allocation == "NA" else _MODELS(rng)
    masking = "NONE" if allocation == "NA" and rng.random() < 0.8 else _MASKINGS(rng)
    masked: dict[str, Any] = {"masking": masking}
    if masking != "NONE" and rng.random() < 0.9:
        wanted = {"SINGLE": 1, "DOUBLE": 2, "TRIPLE": 3, "QUADRUPLE": 4}[masking]
        masked["whoMasked"] = sorted(some(rng, _WHO, wanted), key=_WHO.index)
    design: dict[str, Any] = {
        "allocation": allocation,
        "interventionModel": model,
        "primaryPurpose": _PURPOSES(rng),
    }
    if allocation == "NA" and rng.random() < 0.3:
        del design["allocation"]  # older single-group records leave it out
    design["maskingInfo"] = masked
    return design


def observational_design(rng: random.Random) -> dict[str, Any]:
    return {"observationalModel": _OBSERVATIONAL_MODELS(rng), "timePerspective": _PERSPECTIVES(rng)}


def tested(world: World, count: int, rng: random.Random) -> list[Intervention]:
    """Distinct interventions drawn from the shared universe (placebo is added by the arms)."""
    found: dict[str, Intervention] = {}
    for _ in range(count * 3):
        intervention = world.some_intervention(rng)
        if intervention.name != _PLACEBO.name:
            found.setdefault(intervention.name.lower(), intervention)
        if len(found) == count:
            break
    return list(found.values())


def interventional_arms(
    world: World, design: dict[str, Any], condition: str, rng: random.Random
) -> tuple[dict[str, Any], list[Intervention]]:
    """The arms module of an interventional study, and the interventions it tests."""
    model = design["interventionModel"]
    arm_count = {"SINGLE_GROUP": 1, "CROSSOVER": 2, "FACTORIAL": 4}.get(model) or _ARM_COUNTS(rng)
    drugs = tested(world, _TESTED_COUNTS(rng), rng) or [_PLACEBO]
    placebo = design.get("allocation") == "RANDOMIZED" and design["maskingInfo"]["masking"] in (
        "DOUBLE",
        "TRIPLE",
        "QUADRUPLE",
    )
    placebo = placebo and arm_count > 1 and rng.random() < 0.65
    background = drugs[1:] if len(drugs) > 2 and rng.random() < 0.3 else []
    arms: list[tuple[str, str, list[int]]] = []  # label, type, positions in `given`
    given: list[tuple[Intervention, str | None]] = [(drug, None) for drug in drugs]
    letters = "ABCDEFGHIJ"
    for number in range(arm_count):
        if placebo and number == arm_count - 1:
            if _PLACEBO not in [item for item, _ in given]:
                given.append((_PLACEBO, None))
            receives = [_position(given, _PLACEBO)]
            label, kind = (
                pick(rng, ("Placebo", "Placebo Comparator", f"Arm {letters[number]}: Placebo")),
                "PLACEBO_COMPARATOR",
            )
        elif number and rng.random() < 0.05:
            label, kind, receives = pick(rng, ("Control", "Usual care", "Waitlist")), "NO_INTERVENTION", []
        else:
            drug = drugs[number % len(drugs)]
            receives = [_position(given, drug)]
            if number and len(drugs) > 1 and rng.random() < 0.25:
                receives.append(_position(given, drugs[(number + 1) % len(drugs)]))
            kind = "EXPERIMENTAL" if number == 0 or rng.random() < 0.6 else "ACTIVE_COMPARATOR"
            label = pick(
                rng,
                (
                    drug.name,
                    f"Arm {letters[number]}",
                    f"Cohort {number + 1}",
                    f"Group {number + 1}",
                    f"{drug.name} {pick(rng, (5, 10, 20, 50, 100, 200))} mg",
                    f"Experimental: {drug.name}",
                ),
            )
        receives += [_position(given, drug) for drug in background if kind != "NO_INTERVENTION"]
        arms.append((_unique(label, [arm[0] for arm in arms], number), kind, sorted(set(receives))))
    received = {position for _, _, receives in arms for position in receives}
    first = arms[0][2]
    first[:] = sorted(set(first) | {position for position in range(len(drugs)) if position not in received})
    if arm_count > 1 and rng.random() < 0.04:
        _split_doses(given, arms, rng)
    return _module(given, arms, condition, rng, typed=True), [item[0] for item in given]


def _position(given: list[tuple[Intervention, str | None]], intervention: Intervention) -> int:
    return next(n for n, (item, dose) in enumerate(given) if item == intervention and dose is None)


def _unique(label: str, taken: list[str], number: int) -> str:
    while label in taken:
        label = f"{label} ({number + 1})"
    return label


def _split_doses(
    given: list[tuple[Intervention, str | None]], arms: list[tuple[str, str, list[int]]], rng: random.Random
) -> None:
    """Give the first intervention as two entries of one name, a dose each, on different arms."""
    receiving = [arm for arm in arms if 0 in arm[2]]
    if len(receiving) < 2:
        return
    low, high = sorted(some(rng, (5, 10, 20, 40, 80), 2))
    drug = given[0][0]
    given[0] = (drug, f"{drug.name} {low} mg once daily")
    given.append((drug, f"{drug.name} {high} mg once daily"))
    second = receiving[1][2]
    second[:] = sorted({len(given) - 1 if position == 0 else position for position in second})


def observational_arms(
    world: World, condition: str, rng: random.Random
) -> tuple[dict[str, Any] | None, list[Intervention]]:
    """Cohorts of an observational study, or ``None`` when the record has no arms module."""
    if rng.random() < 0.45:
        return None, []
    count = pick(rng, (1, 1, 2, 2, 3))
    labels = [label.format(condition=condition) for label in some(rng, _COHORTS, count)]
    observed = some(rng, _OBSERVED, pick(rng, (0, 1, 1, 2)))
    given: list[tuple[Intervention, str | None]] = [(item, None) for item in observed]
    arms = [(label, "", list(range(len(given)))) for label in labels]
    return _module(given, arms, condition, rng, typed=rng.random() < 0.15), observed


def expanded_access(world: World, rng: random.Random) -> tuple[dict[str, Any], list[Intervention]]:
    drug = (tested(world, 1, rng) or [Intervention("Investigational Product", "DRUG")])[0]
    return {"interventions": [{"type": drug.type, "name": drug.name}]}, [drug]


def _module(
    given: list[tuple[Intervention, str | None]],
    arms: list[tuple[str, str, list[int]]],
    condition: str,
    rng: random.Random,
    typed: bool,
) -> dict[str, Any]:
    names = [item.name.lower() if rng.random() < 0.03 else item.name for item, _ in given]
    by_label_only = len(set(names)) == len(names) and rng.random() < 0.05  # older records: by name only
    groups = []
    for label, kind, receives in arms:
        group: dict[str, Any] = {"label": label}
        if kind and typed:
            group["type"] = kind
        if rng.random() < 0.8 or not receives:
            group["description"] = _arm_description(label, [given[n][0].name for n in receives], condition)
        if receives and (by_label_only or rng.random() < 0.9):
            type_names = medicine.INTERVENTION_TYPE_NAMES
            group["interventionNames"] = [f"{type_names[given[n][0].type]}: {names[n]}" for n in receives]
        groups.append(group)
    interventions = []
    for position, ((item, dose), name) in enumerate(zip(given, names, strict=True)):
        entry: dict[str, Any] = {"type": item.type, "name": name}
        if dose is not None:
            entry["description"] = dose
        elif rng.random() < 0.6:
            entry["description"] = f"{item.name} as described in the protocol."
        labels = [label for label, _, receives in arms if position in receives]
        if labels and not by_label_only:
            entry["armGroupLabels"] = labels
        if item.type in ("DRUG", "BIOLOGICAL") and rng.random() < 0.1:
            entry["otherNames"] = [f"{item.name[:3].upper()}-{between(rng, 100, 9999)}"]
        interventions.append(entry)
    module: dict[str, Any] = {}
    if groups:
        module["armGroups"] = groups
    if interventions:
        module["interventions"] = interventions
    return module


def _arm_description(label: str, received: list[str], condition: str) -> str:
    if not received:
        return (
            f"Participants in the {label.lower()} group ({condition.lower()}) receive no study intervention."
        )
    return f"Participants receive {' and '.join(received)}. Treatment is given as described in the protocol."
