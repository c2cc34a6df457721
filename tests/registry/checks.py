"""Each contract operation asked of the product and compared with what the records give
(:mod:`tests.registry.expected`, :mod:`tests.registry.searches`): one :class:`Mismatch` per
difference, and the differences the rules allow apart (:class:`Tolerated`).

Strings compare with white space folded, numbers within 0.01, lists in order, ``id`` values not
at all (only ``node(id)`` must give back the same node), as ``../shared/tools/contract_check.py``
compares.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.registry import expected, searches
from tests.registry.product import Answer, Product

CRITERIA = ("inclusionCriteria", "exclusionCriteria")
PAGE = 100


@dataclass(frozen=True, slots=True)
class Mismatch:
    operation: str
    case: str  # the NCT ID or the name asked
    path: str  # where in the answer, with list positions
    expected: str
    got: str

    @property
    def field(self) -> str:
        """The path with list positions left out: one line of the report for every case."""
        return re.sub(r"\[\d+\]", "[]", self.path)

    def __str__(self) -> str:
        return f"{self.case}: {self.path}: expected {self.expected}, got {self.got}"


def shown(value: Any, width: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."


def differences(want: Any, got: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """(path, expected, got) for each place ``got`` differs from ``want``; ``id`` keys skipped."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            yield path, "an object", shown(got)
            return
        for name, value in want.items():
            if name == "id":
                continue
            if name not in got:
                yield f"{path}.{name}", shown(value), "nothing (missing)"
            else:
                yield from differences(value, got[name], f"{path}.{name}")
    elif isinstance(want, list):
        if not isinstance(got, list):
            yield path, f"{len(want)} items", shown(got)
        elif len(got) != len(want):
            first = next((n for n, (w, g) in enumerate(zip(want, got, strict=False)) if _differs(w, g)), None)
            if first is None:
                first = min(len(want), len(got))
            yield (
                path,
                f"{len(want)} items ({first} alike, then {shown(want[first : first + 1])})",
                f"{len(got)} items (then {shown(got[first : first + 1])})",
            )
        else:
            for number, (item, answered) in enumerate(zip(want, got, strict=True)):
                yield from differences(item, answered, f"{path}[{number}]")
    elif _differs(want, got):
        yield path, shown(want), shown(got)


def _differs(want: Any, got: Any) -> bool:
    if isinstance(want, dict | list):
        return any(True for _ in differences(want, got, ""))
    if isinstance(want, str) and isinstance(got, str):
        return " ".join(want.split()) != " ".join(got.split())
    if isinstance(want, float) or isinstance(got, float):
        if want is None or got is None or isinstance(got, bool) or not isinstance(got, int | float):
            return True
        return bool(abs(want - got) > 0.01)
    return bool(want != got or type(want) is not type(got))


def compare(operation: str, case: str, want: Any, answer: Answer) -> list[Mismatch]:
    if answer.errors:
        return [Mismatch(operation, case, "errors", "none", shown(answer.errors))]
    return [
        Mismatch(operation, case, f"{operation}{path}", want_text, got)
        for path, want_text, got in differences(want, answer.data, "")
    ]


def trial_card_answers(loaded: Product) -> dict[str, Answer]:
    """TrialCard asked for every trial (kept: later checks use the ids it gives)."""
    for record in expected.world(loaded.form).records:
        if ("TrialCard", record.nct_id) not in loaded.answers:
            loaded.answers["TrialCard", record.nct_id] = loaded.ask("TrialCard", nctId=record.nct_id)
    return {
        nct_id: answer for (operation, nct_id), answer in loaded.answers.items() if operation == "TrialCard"
    }


def _warned_groups(loaded: Product) -> set[str]:
    """The trials whose page's Study Groups the product said it could not read for sure."""
    if loaded.graph is None:
        return set()
    found = set()
    for problem in loaded.graph.problems:
        text = str(problem)
        matched = re.search(r"(NCT\d{8})\.txt:\d+: warning: (Study Groups|interventions)", text)
        if matched:
            found.add(matched.group(1))
    return found


def check_trial_cards(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    """Every trial's card. On a page, arms and interventions the product warned about (their
    Study Groups could not be placed for sure) are tolerated, as issue 18 allows."""
    found = []
    warned = _warned_groups(loaded)
    for nct_id, answer in trial_card_answers(loaded).items():
        for mismatch in compare("TrialCard", nct_id, expected.trial_card(loaded.form, nct_id), answer):
            if nct_id in warned and mismatch.path.startswith(
                ("TrialCard.trial.arms", "TrialCard.trial.interventions")
            ):
                tolerated.append(
                    Tolerated("TrialCard", nct_id, f"warned of its Study Groups: {mismatch.path}")
                )
            else:
                found.append(mismatch)
    return found


def check_criteria(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    """The criteria lists alone (the part of TrialCard where real text is messy)."""
    return [
        mismatch
        for mismatch in check_trial_cards(loaded, [])
        if any(mismatch.path.startswith(f"TrialCard.trial.eligibility.{name}") for name in CRITERIA)
    ]


def _check_lookups(loaded: Product, operation: str, cases: list[expected.LookUp]) -> list[Mismatch]:
    found = []
    for case in cases:
        found += compare(operation, case.name, case.answer, loaded.ask(operation, name=case.name))
    return found


def check_condition_trials(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    return _check_lookups(loaded, "ConditionTrials", expected.condition_trials(loaded.form))


def check_organization_trials(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    return _check_lookups(loaded, "OrganizationTrials", expected.organization_trials(loaded.form))


def check_investigator_trials(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    return _check_lookups(loaded, "InvestigatorTrials", expected.investigator_trials(loaded.form))


def _find_all(loaded: Product, search: searches.Search) -> tuple[list[str], list[Mismatch]]:
    """Every page of FindTrials(first: 100), following ``endCursor``."""
    found: list[str] = []
    problems: list[Mismatch] = []
    after: str | None = None
    for _ in range(50):
        answer = loaded.ask("FindTrials", filter=search.filter, first=PAGE, after=after)
        if answer.errors or not answer.data or not answer.data.get("trials"):
            problems.append(
                Mismatch(
                    "FindTrials",
                    search.label,
                    "FindTrials.errors",
                    "none",
                    shown(answer.errors or answer.data),
                )
            )
            break
        trials = answer.data["trials"]
        read_before = len(found)
        found += [node["nctId"] for node in trials["nodes"]]
        total, more = trials["totalCount"], trials["pageInfo"]["hasNextPage"]
        if len(trials["nodes"]) != min(PAGE, max(total - read_before, 0)) or more != (len(found) < total):
            detail = f"{len(trials['nodes'])} after {read_before} of {total}, hasNextPage {more}"
            problems.append(
                Mismatch("FindTrials", search.label, "FindTrials.trials.pageInfo", "full pages", detail)
            )
            break
        if not more:
            break
        after = trials["pageInfo"]["endCursor"]
    return found, problems


@dataclass(frozen=True, slots=True)
class Tolerated:
    """A difference the rules allow: trials FindTrials adds through MeSH terms or other names, a
    page's Study Groups the product warned it could not place."""

    operation: str
    case: str
    reason: str


def check_find_trials(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    found = []
    for search in searches.searches(loaded.form):
        got, problems = _find_all(loaded, search)
        found += problems
        extra = [nct_id for nct_id in got if nct_id not in search.nct_ids]
        allowed = [nct_id for nct_id in extra if nct_id in search.allowed]
        if allowed:
            tolerated.append(
                Tolerated(
                    "FindTrials", search.label, f"{len(allowed)} more trials the records allow: {allowed[:5]}"
                )
            )
        kept = [nct_id for nct_id in got if nct_id not in allowed]
        if kept != search.nct_ids:
            missing = [nct_id for nct_id in search.nct_ids if nct_id not in got]
            unexpected = [nct_id for nct_id in kept if nct_id not in search.nct_ids]
            detail = f"{len(search.nct_ids)} trials" + (
                f", {len(missing)} missing: {missing[:5]}" if missing else ""
            )
            got_detail = f"{len(kept)} trials" + (
                f", {len(unexpected)} not matching: {unexpected[:5]}" if unexpected else ""
            )
            if not missing and not unexpected:
                got_detail += " out of NCT order"
            found.append(Mismatch("FindTrials", search.label, "FindTrials.trials.nodes", detail, got_detail))
    return found
