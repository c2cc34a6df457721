"""The lead's progress report: per operation, how many cases differ, and per field path how many
cases differ there, with examples; the criteria apart, every trial named.

    .venv/bin/python -m tests.registry.expected --report studies --report pages
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import Any

from tests.registry import expected, searches
from tests.registry.checks import (
    Mismatch,
    Tolerated,
    check_condition_trials,
    check_criteria,
    check_find_trials,
    check_investigator_trials,
    check_organization_trials,
    check_trial_cards,
)
from tests.registry.graphchecks import (
    check_how_connected,
    check_neighbourhoods,
    check_refetch,
    connected_pairs,
    neighbourhood_sample,
)
from tests.registry.product import Product, product
from tests.registry.records import FORMS, Form

CHECKS: dict[str, Callable[[Product, list[Tolerated]], list[Mismatch]]] = {
    "TrialCard": check_trial_cards,
    "ConditionTrials": check_condition_trials,
    "OrganizationTrials": check_organization_trials,
    "InvestigatorTrials": check_investigator_trials,
    "FindTrials": check_find_trials,
    "Refetch": check_refetch,
    "Neighborhood": check_neighbourhoods,
    "HowConnected": check_how_connected,
}


def cases_asked(loaded: Product, operation: str) -> int:
    """How many cases an operation's check asks (for the report)."""
    form = loaded.form
    sizes: dict[str, Callable[[], int]] = {
        "TrialCard": lambda: len(expected.world(form).records),
        "ConditionTrials": lambda: len(expected.condition_trials(form)),
        "OrganizationTrials": lambda: len(expected.organization_trials(form)),
        "InvestigatorTrials": lambda: len(expected.investigator_trials(form)),
        "FindTrials": lambda: len(searches.searches(form)),
        "Refetch": lambda: len(expected.world(form).records),
        "Neighborhood": lambda: len(neighbourhood_sample(loaded)),
        "HowConnected": lambda: len(connected_pairs(loaded)),
    }
    return sizes[operation]()


def summary(operation: str, mismatches: list[Mismatch], asked: int, examples: int = 3) -> list[str]:
    """Lines: the cases that differ, then per field path how many cases differ there, with a
    few examples."""
    cases = {mismatch.case for mismatch in mismatches}
    lines = [f"{operation}: {len(cases)} of {asked} cases differ"]
    by_field: dict[str, list[Mismatch]] = defaultdict(list)
    for mismatch in mismatches:
        by_field[mismatch.field].append(mismatch)
    ranked = sorted(by_field.items(), key=lambda item: (-len({m.case for m in item[1]}), item[0]))
    for name, found in ranked:
        lines.append(f"  {name}: {len({m.case for m in found})} cases")
        seen: set[str] = set()
        for mismatch in found:
            if mismatch.case not in seen and len(seen) < examples:
                seen.add(mismatch.case)
                lines.append(f"      {mismatch}")
    return lines


def failure(operation: str, mismatches: list[Mismatch], asked: int) -> str:
    """A test's failure message: the counts, then the first diffs."""
    lines = summary(operation, mismatches, asked)
    lines.append("first differences:")
    lines += [f"  {mismatch}" for mismatch in mismatches[:12]]
    return "\n".join(lines)


@cache
def criteria_disagreements(form: Form) -> list[str]:
    """The trials whose criteria lists differ (the report lists them all)."""
    return sorted({mismatch.case for mismatch in check_criteria(product(form), [])})


def report(form: Form, out: Any = sys.stdout) -> int:
    """Print the report of one form; the number of cases that differ."""
    loaded = product(form)
    print(
        f"== {form}: {len(expected.world(form).records)} trials; strict load: {loaded.load_error or 'ok'}",
        file=out,
    )
    total = 0
    for operation, check in CHECKS.items():
        tolerated: list[Tolerated] = []
        mismatches = check(loaded, tolerated)
        total += len({m.case for m in mismatches})
        print("\n".join(summary(operation, mismatches, cases_asked(loaded, operation))), file=out)
        if tolerated:
            cases = sorted({item.case for item in tolerated})
            examples = "; ".join(f"{item.case}: {item.reason}" for item in tolerated[:2])
            print(f"  (tolerated, as the rules allow: {len(cases)} cases, e.g. {examples})", file=out)
    criteria = criteria_disagreements(form)
    print(f"Criteria alone: {len(criteria)} trials differ: {' '.join(criteria)}", file=out)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.registry.expected", description=__doc__)
    parser.add_argument(
        "--report", choices=FORMS, action="append", required=True, help="the form loaded alone"
    )
    arguments = parser.parse_args(argv)
    for form in arguments.report:
        report(form)
    return 0
