"""Free text of a study: titles, summaries, eligibility criteria and outcome measures.

Text is assembled from phrases, sized like the registry's (a summary of a few hundred
characters, criteria of one to three thousand), and written as the registry writes it:
markdown lists, ``\\>=`` escapes, headings that vary.
"""

from __future__ import annotations

import random
from typing import Any

from graph.synth import medicine
from graph.synth.distributions import between, pick, some

_PURPOSES = (
    "The purpose of this study is to evaluate the efficacy and safety of {drug} in {people} with "
    "{condition}.",
    "This study will test whether {drug} improves outcomes in {people} with {condition}.",
    "The aim of this trial is to compare {drug} with {comparator} in {people} with {condition}.",
    "This is a study to learn how well {drug} works and how safe it is for {people} with {condition}.",
    "Researchers want to find out if {drug} can reduce symptoms of {condition}.",
)
_OBSERVATIONAL_PURPOSES = (
    "This observational study describes the natural course of {condition} in routine care.",
    "The goal of this registry is to collect real-world data on {people} with {condition}.",
    "This study will identify risk factors and outcomes associated with {condition}.",
    "A prospective cohort to characterise biomarkers of {condition} over time.",
)
_SENTENCES = (
    "Participants will be followed for up to {years} years after the end of treatment.",
    "Blood samples will be collected at each visit for pharmacokinetic and biomarker analyses.",
    "The study includes a screening period, a treatment period and a follow-up period.",
    "Safety will be assessed through adverse events, laboratory tests and vital signs.",
    "An independent data monitoring committee will review unblinded safety data periodically.",
    "Quality of life will be measured with validated questionnaires at baseline and every 12 weeks.",
    "Randomization will be stratified by region and disease severity.",
    "Treatment continues until disease progression, unacceptable toxicity or withdrawal of consent.",
    "Participants will attend {visits} study visits over {months} months.",
    "The primary analysis will take place when all participants have completed {months} months of follow-up.",
)
_PEOPLE = ("participants", "patients", "adults", "people", "children", "older adults", "women")
_TITLE_PREFIXES = {
    "INTERVENTIONAL": (
        "A Study of {drug} in Participants With {condition}",
        "{drug} Versus {comparator} in {condition}",
        "Efficacy and Safety of {drug} in Patients With {condition}",
        "{drug} for the Treatment of {condition}",
        "Effect of {drug} on {condition}",
        "A Trial of {drug} in Adults With {condition}",
    ),
    "OBSERVATIONAL": (
        "Registry of Patients With {condition}",
        "{condition} Cohort Study",
        "Outcomes of {condition} in Routine Practice",
        "Biomarkers in {condition}",
        "Long-term Follow-up of Patients With {condition}",
    ),
    "EXPANDED_ACCESS": (
        "Expanded Access to {drug} for {condition}",
        "Compassionate Use of {drug}",
        "Individual Patient Expanded Access for {drug}",
    ),
}
_HEADINGS = (("Inclusion Criteria:", "Exclusion Criteria:"),) * 17 + (
    ("Key Inclusion Criteria:", "Key Exclusion Criteria:"),
    ("INCLUSION CRITERIA:", "EXCLUSION CRITERIA:"),
    ("Inclusion criteria", "Exclusion criteria"),
)
_MARKERS = ("* ",) * 11 + ("1. ",) * 6 + ("- ",) * 2 + ("• ",)


def title(study_type: str, condition: str, drug: str, comparator: str, rng: random.Random) -> str:
    return pick(rng, _TITLE_PREFIXES[study_type]).format(
        drug=drug, comparator=comparator.title(), condition=condition
    )


def official_title(
    study_type: str, phases: list[str], design: dict[str, Any], brief: str, sites: int, rng: random.Random
) -> str:
    """The long title: the brief one, with the phase and design in front for interventional studies."""
    if study_type != "INTERVENTIONAL" or rng.random() < 0.3:
        scopes = (
            ("Single-center",) if sites <= 1 else ("Multicenter", "Prospective", "National", "International")
        )
        return f"{brief}: a {pick(rng, scopes[:3] if 1 < sites < 20 else scopes)} Study"
    words = []
    if phases and phases != ["NA"]:
        words.append(
            "Phase " + "/".join(phase.removeprefix("EARLY_").removeprefix("PHASE") for phase in phases) + ","
        )
    if design.get("allocation") == "RANDOMIZED":
        words.append("Randomized,")
    masking = design.get("maskingInfo", {}).get("masking")
    if masking in ("DOUBLE", "TRIPLE", "QUADRUPLE"):
        words.append("Double-blind,")
    elif masking == "NONE":
        words.append("Open-label,")
    lead = " ".join(words).rstrip(",")
    return f"A {lead} Study: {brief}" if lead else brief


def summary(study_type: str, condition: str, drug: str, comparator: str, rng: random.Random) -> str:
    pool = _OBSERVATIONAL_PURPOSES if study_type == "OBSERVATIONAL" else _PURPOSES
    first = pick(rng, pool)
    sentences = [first, *some(rng, _SENTENCES, between(rng, 1, 4))]
    return " ".join(sentences).format(
        drug=drug,
        comparator=comparator,
        condition=condition.lower(),
        people=pick(rng, _PEOPLE),
        **_numbers(rng),
    )


def description(condition: str, drug: str, rng: random.Random) -> str:
    """A detailed description: two to four paragraphs, separated as the registry separates them."""
    paragraphs = []
    for _ in range(between(rng, 2, 5)):
        sentences = some(rng, _SENTENCES, between(rng, 2, 5))
        paragraphs.append(" ".join(sentences).format(**_numbers(rng)))
    paragraphs[0] = f"{condition} remains a major clinical problem. {drug} may address it. " + paragraphs[0]
    return "\n\n".join(paragraphs)


def _numbers(rng: random.Random) -> dict[str, int]:
    return {"years": between(rng, 1, 6), "visits": between(rng, 3, 15), "months": pick(rng, (3, 6, 12, 24))}


def criteria(condition: str, drug: str, age: int, observational: bool, rng: random.Random) -> str:
    """Eligibility criteria text: an inclusion and an exclusion list, numbered or bulleted."""
    inclusion_heading, exclusion_heading = pick(rng, _HEADINGS)
    marker = pick(rng, _MARKERS)
    size = (2, 5) if observational else (3, 9)
    parts = []
    for heading, pool in (
        (inclusion_heading, medicine.INCLUSION_ITEMS),
        (exclusion_heading, medicine.EXCLUSION_ITEMS),
    ):
        items = some(rng, pool, between(rng, *size))
        lines = [heading, ""]
        for position, item in enumerate(items, start=1):
            text = item.format(condition=condition, drug=drug, age=age)
            lines.append((f"{position}. " if marker == "1. " else marker) + text)
            if text.endswith(":"):
                indent = "   " if marker == "1. " else "  "
                lines.extend(f"{indent}* {sub}" for sub in some(rng, medicine.ORGAN_FUNCTION_ITEMS, 3))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def outcomes(rng: random.Random) -> dict[str, list[dict[str, str]]]:
    module: dict[str, list[dict[str, str]]] = {}
    for key, pool, low, high in (
        ("primaryOutcomes", medicine.PRIMARY_OUTCOMES, 1, 4),
        ("secondaryOutcomes", medicine.SECONDARY_OUTCOMES, 0, 8),
    ):
        chosen = some(rng, pool, between(rng, low, high))
        if chosen:
            module[key] = [_outcome(measure, time_frame, rng) for measure, time_frame in chosen]
    return module


def _outcome(measure: str, time_frame: str, rng: random.Random) -> dict[str, str]:
    if rng.random() < 0.5:
        return {"measure": measure, "timeFrame": time_frame}
    text = f"{measure} will be assessed and compared between groups."
    return {"measure": measure, "description": text, "timeFrame": time_frame}
