"""Study Groups resolved with the Interventions section; what cannot be resolved is reported.

The 880 registry pages are read against their registry records: each page's arms (label, type,
description, the interventions each receives) are the record's, or a warning names the paragraph
that could not be placed. The expectation is taken from the JSON records themselves; only their
text is made plain as the product serves it (``clean``: escapes undone, mojibake repaired).
"""

from __future__ import annotations

import json
import zipfile
from itertools import zip_longest
from typing import Any

import pytest

from graph.errors import Report
from graph.model import Arm, Intervention, Source, TrialRecord
from graph.read.pages.headings import SECTIONS
from graph.read.pages.page import parse_page
from graph.read.registry.study import parse_study
from graph.read.text.plain import clean
from tests.paths import CTGOV, PAGES, SEED_PAGE, SHARED

REGISTRY = SHARED / "data" / "registry"

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
        "page.txt:89: warning: Study Groups: group 'Arm 1' receives 'X' (DRUG), listed 2 times under "
        "Interventions with the same name, type and description; which of them cannot be told: the first "
        "not yet received is taken"
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


# -- shapes: a run of paragraphs without markers is cut as the section shows its groups ---------


def test_a_paragraph_after_one_ending_in_a_colon_continues_the_description() -> None:
    record, problems = _page(
        "Melphalan\n\nDay +1:\n\nIntra femoral infusion\n\nDay +30: The procedure is repeated.\n\n"
        "X\n\nIntervention Type DRUG",
        "X\n\nIntervention Type DRUG",
    )
    assert problems == []
    assert record is not None and record.arms == [
        Arm(
            "Melphalan",
            None,
            "Day +1:\n\nIntra femoral infusion\n\nDay +30: The procedure is repeated.",
            [0],
            "armGroups[0]",
        )
    ]


def test_where_groups_show_no_description_short_paragraphs_are_labels() -> None:
    # "Before" alone before its intervention: this section's groups have no descriptions.
    record, problems = _page(
        "Before\n\nX\n\nIntervention Type OTHER\n\n3rd month after surgery\n\n6th month after surgery",
        "X\n\nIntervention Type OTHER",
    )
    assert problems == []
    assert record is not None and record.arms == [
        Arm("Before", None, None, [0], "armGroups[0]"),
        Arm("3rd month after surgery", None, None, [], "armGroups[1]"),
        Arm("6th month after surgery", None, None, [], "armGroups[2]"),
    ]


def test_where_groups_show_descriptions_short_paragraphs_pair_up() -> None:
    # The first group's description is prose: each label is followed by its description.
    record, problems = _page(
        "Early care\n\nReferred to the care team before chemotherapy ends.\n\n"
        "X\n\nIntervention Type OTHER\n\nUnused care\n\nnever referred\n\n"
        "Late care\n\nreferred late\n\nX\n\nIntervention Type OTHER",
        "X\n\nIntervention Type OTHER",
    )
    assert problems == []
    assert record is not None and [(a.label, a.description, a.interventions) for a in record.arms] == [
        ("Early care", "Referred to the care team before chemotherapy ends.", [0]),
        ("Unused care", "never referred", []),
        ("Late care", "referred late", [0]),
    ]


def test_an_odd_run_of_short_paragraphs_is_labels() -> None:
    # Three short paragraphs cannot be labels each with a one-paragraph description.
    record, problems = _page("Gout\n\nLupus\n\nMyositis", None)
    assert problems == []
    assert record is not None and [(a.label, a.description) for a in record.arms] == [
        ("Gout", None),
        ("Lupus", None),
        ("Myositis", None),
    ]


def test_an_even_run_of_short_paragraphs_is_read_as_pairs_and_reported() -> None:
    record, problems = _page("Cases\n\nmen with the condition\n\nControls\n\nmen without it", None)
    assert record is not None and [(a.label, a.description) for a in record.arms] == [
        ("Cases", "men with the condition"),
        ("Controls", "men without it"),
    ]
    assert problems == [
        "page.txt:87: warning: Study Groups: cannot tell whether 'men with the condition' is a group label "
        "or part of the description of 'Cases'; read as description",
        "page.txt:89: warning: Study Groups: cannot tell whether 'Controls' is a group label or part of the "
        "description of 'Cases'; read as a group label",
        "page.txt:91: warning: Study Groups: cannot tell whether 'men without it' is a group label or part "
        "of the description of 'Controls'; read as description",
    ]


def test_two_short_paragraphs_before_an_intervention_are_a_label_and_its_description() -> None:
    # The other reading needs a first group with no description, type or intervention.
    record, problems = _page(
        "Migraine patients\n\nwrist sensor\n\nX\n\nIntervention Type DEVICE", "X\n\nIntervention Type DEVICE"
    )
    assert problems == []
    assert record is not None and record.arms == [
        Arm("Migraine patients", None, "wrist sensor", [0], "armGroups[0]")
    ]


def test_a_last_label_left_without_description_where_groups_have_one_is_reported() -> None:
    record, problems = _page(
        "Cohort A\n\nAdults who had a stroke.\n\nX\n\nIntervention Type OTHER\n\n"
        "Cohort B\n\nhealthy adults\n\nCohort C",
        "X\n\nIntervention Type OTHER",
    )
    assert record is not None and [(a.label, a.description) for a in record.arms] == [
        ("Cohort A", "Adults who had a stroke."),
        ("Cohort B", "healthy adults"),
        ("Cohort C", None),
    ]
    assert problems == [
        "page.txt:97: warning: Study Groups: cannot tell whether 'Cohort C' is a group label or part of the "
        "description of 'Cohort B'; read as a group label"
    ]


def test_identical_interventions_one_per_group_are_taken_in_order_and_each_choice_reported() -> None:
    # The page cannot say which copy a group receives: NCT04361305's record gives its second
    # group the first copy.
    record, problems = _page(
        "Arm 1\n\nGroup Type EXPERIMENTAL\n\nX\n\nIntervention Type DRUG\n\nsame\n\n"
        "Arm 2\n\nGroup Type EXPERIMENTAL\n\nX\n\nIntervention Type DRUG\n\nsame",
        "X\n\nsame\n\nIntervention Type DRUG\n\nX\n\nsame\n\nIntervention Type DRUG",
    )
    assert record is not None and [arm.interventions for arm in record.arms] == [[0], [1]]
    assert problems == [
        f"page.txt:{line}: warning: Study Groups: group '{label}' receives 'X' (DRUG), listed 2 times under "
        "Interventions with the same name, type and description; which of them cannot be told: the first "
        "not yet received is taken"
        for line, label in ((89, "Arm 1"), (99, "Arm 2"))
    ]


def test_identical_interventions_without_descriptions_are_shared_out_too() -> None:
    record, problems = _page(
        "Arm 1\n\nGroup Type EXPERIMENTAL\n\nX\n\nIntervention Type DRUG\n\n"
        "Arm 2\n\nGroup Type EXPERIMENTAL\n\nX\n\nIntervention Type DRUG",
        "X\n\nIntervention Type DRUG\n\nX\n\nIntervention Type DRUG",
    )
    assert record is not None and [arm.interventions for arm in record.arms] == [[0], [1]]
    assert [problem.split(": warning: ")[0] for problem in problems] == ["page.txt:89", "page.txt:97"]


# -- the registry pages against their records ----------------------------------------------------


def _kind(display: str) -> str:
    """The registry's type word for the display name of ``interventionNames``: Dietary Supplement."""
    return display.strip().upper().replace(" ", "_")


def _arms_of(study: Any) -> list[tuple[Any, ...]]:
    """Per arm group of a registry record: label, type, description and, per intervention name,
    the name, type and description of the intervention it names (the copy listing the group)."""
    module = study["protocolSection"].get("armsInterventionsModule", {})
    interventions = module.get("interventions", [])
    arms = []
    for arm in module.get("armGroups", []):
        received = []
        for written in arm.get("interventionNames", []):
            display, _, name = written.partition(": ")
            same = [i for i in interventions if i.get("name") == name and i.get("type") == _kind(display)]
            own = [i for i in same if arm["label"] in i.get("armGroupLabels", [])] or same
            received.append((clean(name), _kind(display), clean(own[0].get("description")) if own else None))
        arms.append((clean(arm["label"]), arm.get("type"), clean(arm.get("description")), received))
    return arms


def _interventions_of(study: Any) -> list[tuple[Any, ...]]:
    module = study["protocolSection"].get("armsInterventionsModule", {})
    return [
        (clean(i["name"]), i.get("type"), clean(i.get("description")))
        for i in module.get("interventions", [])
    ]


def _read_arms(record: TrialRecord) -> list[tuple[Any, ...]]:
    def received(n: int) -> tuple[Any, ...]:
        given = record.interventions[n]
        return given.name, given.type, given.description

    return [(a.label, a.type, a.description, [received(n) for n in a.interventions]) for a in record.arms]


def _group_lines(text: str) -> dict[str, list[int]]:
    """Lines of the Study Groups section, by their text: where a misplaced paragraph is."""
    lines = text.split("\n")
    headed = [n for n, line in enumerate(lines[:-2]) if line in SECTIONS and lines[n + 2] == SECTIONS[line]]
    start = next(n for n in headed if lines[n] == "Study Groups")
    end = next((n for n in headed if n > start), len(lines))
    found: dict[str, list[int]] = {}
    for n in range(start + 3, end):
        found.setdefault(clean(lines[n]) or "", []).append(n + 1)
    return found


def _compared(nct: str, text: str, study: Any) -> tuple[bool, str | None]:
    """Whether a page's arms are its record's, and if not, why no warning excuses it (``None``
    when a warning is on the line of every misplaced paragraph)."""
    report = Report(nct)
    record = parse_page(text, Source(nct), report)
    if record is None:
        return False, f"{nct}: not loaded: {[str(p) for p in report.problems]}"
    if _interventions_of(study) != [(i.name, i.type, i.description) for i in record.interventions]:
        return False, f"{nct}: the interventions differ from the record's"
    expected, read = _arms_of(study), _read_arms(record)
    if read == expected:
        return True, None
    warned = {int(p.where.rsplit(":", 1)[1]) for p in report.problems if not p.is_error}
    lines = _group_lines(text)
    misplaced = {arm[0] for arm in expected} ^ {arm[0] for arm in read}
    if not misplaced:  # the same labels, other values differ: the arm's label line must be warned
        pairs = zip_longest(expected, read)
        misplaced = {(arm or other)[0] for arm, other in pairs if arm != other}
    silent = sorted(label for label in misplaced if not warned & set(lines.get(label, [])))
    return False, (f"{nct}: {silent} misplaced without a warning on their lines" if silent else None)


def test_registry_pages_read_their_study_groups_as_the_records_or_say_which_paragraph() -> None:
    unexplained, disagreeing = [], []
    with (
        zipfile.ZipFile(REGISTRY / "pages.zip") as pages,
        zipfile.ZipFile(REGISTRY / "studies.zip") as studies,
    ):
        names = sorted(pages.namelist())
        assert len(names) == 880
        for name in names:
            nct = name.removesuffix(".txt")
            study = json.loads(studies.read(f"{nct}.json"))
            agrees, why = _compared(nct, pages.read(name).decode("utf-8"), study)
            disagreeing += [] if agrees else [nct]
            unexplained += [why] if why else []
    assert unexplained == []
    # Sections of short paragraphs only, an even number, with no marker and no prose: nothing on
    # the page tells two labels from a label and its description (reported, read as pairs).
    assert disagreeing == ["NCT01395264", "NCT03571217"]


def _positions_of(study: Any) -> list[list[int]]:
    """Per arm group, the positions of the interventions its page shows under it: per name the
    copy listing the group, else the first of that name and type (as :func:`_arms_of`)."""
    module = study["protocolSection"].get("armsInterventionsModule", {})
    interventions = module.get("interventions", [])
    groups = []
    for arm in module.get("armGroups", []):
        shown: list[int] = []
        for written in arm.get("interventionNames", []):
            display, _, name = written.partition(": ")
            same = [
                n
                for n, i in enumerate(interventions)
                if i.get("name") == name and i.get("type") == _kind(display)
            ]
            own = [n for n in same if arm["label"] in interventions[n].get("armGroupLabels", [])] or same
            shown += [n for n in own[:1] if n not in shown]
        groups.append(sorted(shown))
    return groups


def test_registry_pages_give_each_group_its_own_copy_of_an_intervention_or_say_so() -> None:
    """Interventions alike in name, type and description are told apart by position alone: a
    group that receives another copy than its record's has a warning within the group."""
    silent, warned_and_differing = [], []
    with (
        zipfile.ZipFile(REGISTRY / "pages.zip") as pages,
        zipfile.ZipFile(REGISTRY / "studies.zip") as studies,
    ):
        for name in sorted(pages.namelist()):
            nct = name.removesuffix(".txt")
            text = pages.read(name).decode("utf-8")
            report = Report(nct)
            record = parse_page(text, Source(nct), report)
            study = json.loads(studies.read(f"{nct}.json"))
            module = study["protocolSection"].get("armsInterventionsModule", {})
            labels = [clean(arm["label"]) for arm in module.get("armGroups", [])]
            if not labels or record is None or [arm.label for arm in record.arms] != labels:
                continue  # no groups, or groups read otherwise (the test above)
            warned = {int(p.where.rsplit(":", 1)[1]) for p in report.problems if not p.is_error}
            lines = _group_lines(text)
            starts: list[int] = []  # the line of each group's label
            for label in labels:
                starts.append(min(n for n in lines[label] if n > (starts[-1] if starts else 0)))
            read = [arm.interventions for arm in record.arms]
            for k, (received, shown) in enumerate(zip(read, _positions_of(study), strict=True)):
                if received == shown:
                    continue
                end = starts[k + 1] if k + 1 < len(starts) else max(warned, default=0) + 1
                if warned & set(range(starts[k], end)):
                    warned_and_differing.append(nct)
                else:
                    silent.append(f"{nct}: group {labels[k]!r} receives {received}, its record {shown}")
    assert silent == []
    assert sorted(set(warned_and_differing)) == ["NCT04361305"]
