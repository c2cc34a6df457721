"""How classic ClinicalTrials.gov XML writes values: its words for the registry's enums, its
dates, and its wrapped text blocks.

The classic format (``public.xsd``, 2018 and later) writes each enum value as the registry's
``legacyValue`` ("Active, not recruiting" for ``ACTIVE_NOT_RECRUITING``), dates as "March 2010"
or "March 15, 2010", and free text as text blocks indented under their element and wrapped at
99 columns, with lists drawn as ``-`` bullets. The tables here map every classic word to the
v2 enum word the record model holds; words of older records are mapped too ("Both" before
"All", "Phase 0" before "Early Phase 1"), and words that mean "not stated" map to ``None``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from graph import vocabulary as words
from graph.read.text.plain import repair_mojibake

_STATUS_WORDS: dict[str, str | None] = {
    "Active, not recruiting": "ACTIVE_NOT_RECRUITING",
    "Completed": "COMPLETED",
    "Enrolling by invitation": "ENROLLING_BY_INVITATION",
    "Not yet recruiting": "NOT_YET_RECRUITING",
    "Recruiting": "RECRUITING",
    "Suspended": "SUSPENDED",
    "Terminated": "TERMINATED",
    "Withdrawn": "WITHDRAWN",
    "Available": "AVAILABLE",
    "No longer available": "NO_LONGER_AVAILABLE",
    "Temporarily not available": "TEMPORARILY_NOT_AVAILABLE",
    "Approved for marketing": "APPROVED_FOR_MARKETING",
    "Withheld": "WITHHELD",
    "Unknown status": "UNKNOWN",
}


@dataclass(frozen=True, slots=True, eq=False)
class Words:
    """One enum's classic words: each maps to its v2 word, or to ``None`` ("not stated")."""

    name: str  # the v2 enum, for messages and tests
    meaning: dict[str, str | None]

    def expected(self) -> str:
        """The classic words, for an error message.

        >>> SEXES.expected()
        "one of 'All', 'Both', 'Female', 'Male'"
        """
        return "one of " + ", ".join(repr(word) for word in sorted(self.meaning))


STATUSES = Words("Status", _STATUS_WORDS)
RECRUITMENT_STATUSES = Words(
    "RecruitmentStatus",
    {word: value for word, value in _STATUS_WORDS.items() if value in words.RECRUITMENT_STATUSES},
)
STUDY_TYPES = Words(
    "StudyType",
    {
        "Expanded Access": "EXPANDED_ACCESS",
        "Interventional": "INTERVENTIONAL",
        "Observational": "OBSERVATIONAL",
        "Observational [Patient Registry]": "OBSERVATIONAL",
        "N/A": None,  # redacted records only: the study type is not disclosed
    },
)
PHASES = Words(
    "Phase",
    {
        "N/A": "NA",
        "Early Phase 1": "EARLY_PHASE1",
        "Phase 0": "EARLY_PHASE1",  # the name before February 2017
        "Phase 1": "PHASE1",
        "Phase 2": "PHASE2",
        "Phase 3": "PHASE3",
        "Phase 4": "PHASE4",
    },
)
ALLOCATIONS = Words(
    "DesignAllocation", {"Randomized": "RANDOMIZED", "Non-Randomized": "NON_RANDOMIZED", "N/A": "NA"}
)
INTERVENTION_MODELS = Words(
    "InterventionalAssignment",
    {
        "Single Group Assignment": "SINGLE_GROUP",
        "Parallel Assignment": "PARALLEL",
        "Crossover Assignment": "CROSSOVER",
        "Factorial Assignment": "FACTORIAL",
        "Sequential Assignment": "SEQUENTIAL",
    },
)
PRIMARY_PURPOSES = Words(
    "PrimaryPurpose",
    {
        "Treatment": "TREATMENT",
        "Prevention": "PREVENTION",
        "Diagnostic": "DIAGNOSTIC",
        "Educational/Counseling/Training": "ECT",
        "Supportive Care": "SUPPORTIVE_CARE",
        "Screening": "SCREENING",
        "Health Services Research": "HEALTH_SERVICES_RESEARCH",
        "Basic Science": "BASIC_SCIENCE",
        "Device Feasibility": "DEVICE_FEASIBILITY",
        "Other": "OTHER",
    },
)
OBSERVATIONAL_MODELS = Words(
    "ObservationalModel",
    {
        "Cohort": "COHORT",
        "Case-Control": "CASE_CONTROL",
        "Case-Only": "CASE_ONLY",
        "Case-Crossover": "CASE_CROSSOVER",
        "Ecologic or Community": "ECOLOGIC_OR_COMMUNITY",
        "Family-Based": "FAMILY_BASED",
        "Defined Population": "DEFINED_POPULATION",
        "Natural History": "NATURAL_HISTORY",
        "Other": "OTHER",
    },
)
TIME_PERSPECTIVES = Words(
    "DesignTimePerspective",
    {
        "Retrospective": "RETROSPECTIVE",
        "Prospective": "PROSPECTIVE",
        "Cross-Sectional": "CROSS_SECTIONAL",
        "Other": "OTHER",
    },
)
MASKINGS = Words(
    "DesignMasking",
    {
        "None (Open Label)": "NONE",
        "Single": "SINGLE",
        "Double": "DOUBLE",
        "Triple": "TRIPLE",
        "Quadruple": "QUADRUPLE",
    },
)
WHO_MASKED = Words(
    "WhoMasked",
    {
        "Participant": "PARTICIPANT",
        "Care Provider": "CARE_PROVIDER",
        "Investigator": "INVESTIGATOR",
        "Outcomes Assessor": "OUTCOMES_ASSESSOR",
    },
)
# Dates, and enrollment, are "Actual", or "Anticipated" (older) / "Estimate" (newer).
DATE_TYPES = Words("DateType", {"Actual": "ACTUAL", "Anticipated": "ESTIMATED", "Estimate": "ESTIMATED"})
ARM_TYPES = Words(
    "ArmGroupType",
    {
        "Experimental": "EXPERIMENTAL",
        "Active Comparator": "ACTIVE_COMPARATOR",
        "Placebo Comparator": "PLACEBO_COMPARATOR",
        "Sham Comparator": "SHAM_COMPARATOR",
        "No Intervention": "NO_INTERVENTION",
        "Other": "OTHER",
    },
)
INTERVENTION_TYPES = Words(
    "InterventionType",
    {
        "Behavioral": "BEHAVIORAL",
        "Biological": "BIOLOGICAL",
        "Combination Product": "COMBINATION_PRODUCT",
        "Device": "DEVICE",
        "Diagnostic Test": "DIAGNOSTIC_TEST",
        "Dietary Supplement": "DIETARY_SUPPLEMENT",
        "Drug": "DRUG",
        "Genetic": "GENETIC",
        "Procedure": "PROCEDURE",
        "Radiation": "RADIATION",
        "Other": "OTHER",
    },
)
OFFICIAL_ROLES = Words(
    "OfficialRole",
    {
        "Study Chair": "STUDY_CHAIR",
        "Study Director": "STUDY_DIRECTOR",
        "Principal Investigator": "PRINCIPAL_INVESTIGATOR",
        "Sub-Investigator": "SUB_INVESTIGATOR",
    },
)
# The classic schema knows four classes; the v2 classes OTHER_GOV, INDIV, NETWORK, AMBIG and
# UNKNOWN were drawn finer later and have no word in it.
AGENCY_CLASSES = Words(
    "AgencyClass", {"NIH": "NIH", "U.S. Fed": "FED", "Industry": "INDUSTRY", "Other": "OTHER"}
)
RESPONSIBLE_PARTY_TYPES = Words(
    "ResponsiblePartyType",
    {
        "Sponsor": "SPONSOR",
        "Principal Investigator": "PRINCIPAL_INVESTIGATOR",
        "Sponsor-Investigator": "SPONSOR_INVESTIGATOR",
    },
)
SEXES = Words("Sex", {"All": "ALL", "Both": "ALL", "Female": "FEMALE", "Male": "MALE"})
SAMPLING_METHODS = Words(
    "SamplingMethod",
    {"Probability Sample": "PROBABILITY_SAMPLE", "Non-Probability Sample": "NON_PROBABILITY_SAMPLE"},
)
# Every table, with the v2 vocabulary its words must land in (checked by a test).
TABLES: dict[Words, frozenset[str]] = {
    STATUSES: words.STATUSES,
    RECRUITMENT_STATUSES: words.RECRUITMENT_STATUSES,
    STUDY_TYPES: words.STUDY_TYPES,
    PHASES: words.PHASES,
    ALLOCATIONS: words.ALLOCATIONS,
    INTERVENTION_MODELS: words.INTERVENTION_MODELS,
    PRIMARY_PURPOSES: words.PRIMARY_PURPOSES,
    OBSERVATIONAL_MODELS: words.OBSERVATIONAL_MODELS,
    TIME_PERSPECTIVES: words.TIME_PERSPECTIVES,
    MASKINGS: words.MASKINGS,
    WHO_MASKED: words.WHO_MASKED,
    DATE_TYPES: words.DATE_TYPES,
    ARM_TYPES: words.ARM_TYPES,
    INTERVENTION_TYPES: words.INTERVENTION_TYPES,
    OFFICIAL_ROLES: words.OFFICIAL_ROLES,
    AGENCY_CLASSES: words.AGENCY_CLASSES,
    RESPONSIBLE_PARTY_TYPES: words.RESPONSIBLE_PARTY_TYPES,
    SEXES: words.SEXES,
    SAMPLING_METHODS: words.SAMPLING_METHODS,
}
# healthy_volunteers is free text in the schema; these are the words the registry writes.
HEALTHY_VOLUNTEERS = {"Accepts Healthy Volunteers": True, "Yes": True, "No": False}
NO_AGE_LIMIT = "N/A"
UNKNOWN_DATE = "Unknown"

_MASKING = re.compile(r"^(?P<masking>.+?)(?: \((?P<who>[^()]*)\))?$")
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ),
        start=1,
    )
}  # fmt: skip
_DATE = re.compile(r"^(?P<month>[A-Z][a-z]+) (?:(?P<day>[0-9]{1,2}), )?(?P<year>[0-9]{4})$")


def phases(written: str) -> list[str] | None:
    """The v2 phases of a classic phase; ``None`` if a part is not a known phase.

    >>> phases("Phase 1/Phase 2"), phases("N/A"), phases("Phase 5")
    (['PHASE1', 'PHASE2'], ['NA'], None)
    """
    parts = [written] if written in PHASES.meaning else written.split("/")
    found = [PHASES.meaning.get(part.strip()) for part in parts]
    return None if None in found else [phase for phase in found if phase is not None]


def masking(written: str) -> tuple[str, list[str]] | None:
    """A classic masking as its v2 masking and who is masked; ``None`` if not known.

    >>> masking("Double (Participant, Outcomes Assessor)"), masking("None (Open Label)")
    (('DOUBLE', ['PARTICIPANT', 'OUTCOMES_ASSESSOR']), ('NONE', []))
    """
    if (value := MASKINGS.meaning.get(written)) is not None:
        return value, []
    match = _MASKING.match(written)
    value = MASKINGS.meaning.get(match.group("masking")) if match else None
    if match is None or value is None:
        return None
    who = [WHO_MASKED.meaning.get(part.strip()) for part in (match.group("who") or "").split(",")]
    if None in who:
        return None
    return value, [role for role in who if role is not None]


def date(written: str) -> str | None:
    """A classic date ("March 2010", "March 15, 2010") as ISO ``YYYY-MM`` or ``YYYY-MM-DD``.

    Raises :class:`ValueError` for anything else; "Unknown" is a date not stated (``None``).

    >>> date("March 2010"), date("March 5, 2010"), date("Unknown")
    ('2010-03', '2010-03-05', None)
    """
    if written == UNKNOWN_DATE:
        return None
    match = _DATE.match(written)
    month = _MONTHS.get(match.group("month")) if match else None
    if match is None or month is None:
        raise ValueError(f"{written!r} is not a date; expected 'Month YYYY' or 'Month D, YYYY'")
    year = int(match.group("year"))
    if match.group("day") is None:
        return f"{year:04d}-{month:02d}"
    day = int(match.group("day"))
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(
            f"{written!r} is not a date: {match.group('month')} {year} has no day {day}"
        ) from None


# Text blocks --------------------------------------------------------------------------------

WRAP_WIDTH = 99  # the column a classic text block is wrapped at, indentation included
_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>-|\d{1,3}[.)])(?P<gap> +)(?P<text>\S.*)$")


@dataclass(slots=True)
class _Entry:
    """A paragraph, or a list item, of a text block, with the columns it starts at."""

    indent: int  # where its first line starts
    column: int  # where its text starts (after an item's marker)
    marker: str  # "" for a paragraph
    text: str


def unwrap(block: str) -> str | None:
    """A classic text block as the registry's v2 text: paragraphs unwrapped and separated by a
    blank line, ``-`` bullets as ``*`` list items, one item a line, sub-items indented under
    their item. ``None`` if the block is blank.

    A line break is a wrap when the next word would not have fitted on the line; a break
    before a word that would have fitted is the author's own and is kept.

    >>> print(unwrap('''
    ...       Inclusion Criteria:
    ...
    ...         -  Age 18 or over, and able to give
    ...            consent
    ...
    ...              -  in writing
    ...
    ...         -  Stable disease
    ...     '''))
    Inclusion Criteria:
    <BLANKLINE>
    * Age 18 or over, and able to give consent
    <BLANKLINE>
      * in writing
    * Stable disease
    """
    lines = block.replace("\r\n", "\n").replace("\r", "\n").expandtabs().split("\n")
    lines = [line.rstrip() for line in lines]
    margin = min((len(line) - len(line.lstrip()) for line in lines if line), default=0)
    entries = _entries([line[margin:] for line in lines], WRAP_WIDTH - margin)
    out: list[str] = []
    items: list[tuple[int, int]] = []  # the open list levels: (indent, where their text starts)
    previous: _Entry | None = None
    for entry in entries:
        while items and items[-1][0] >= entry.indent:
            items.pop()
        offset = items[-1][1] if items else 0
        if entry.marker:
            bullet = "*" if entry.marker == "-" else entry.marker
            items.append((entry.indent, offset + len(bullet) + 1))
            text = f"{' ' * offset}{bullet} {entry.text}"
        else:
            text = "\n".join(" " * offset + line for line in entry.text.split("\n"))
        if previous is not None:
            # One item a line; a blank line before a list, a sub-list and a paragraph.
            tight = entry.marker and previous.marker and previous.indent >= entry.indent
            out.append("\n" if tight else "\n\n")
        out.append(text)
        previous = entry
    return repair_mojibake("".join(out)) if out else None


def _entries(lines: list[str], width: int) -> list[_Entry]:
    """The paragraphs and items of a text block's lines (its margin removed)."""
    entries: list[_Entry] = []
    previous = ""  # the line before, "" after a blank line
    for line in lines:
        if not line:
            previous = ""
            continue
        indent = len(line) - len(line.lstrip())
        item = _ITEM.match(line)
        current = entries[-1] if previous else None
        continues = current is not None and (
            item is None or (indent >= current.column if current.marker else _full(previous, line, width))
        )
        if current is not None and continues:
            wrapped = current.marker or _full(previous, line, width)
            current.text += (" " if wrapped else "\n") + line.strip()
        elif item is not None:
            column = indent + len(item.group("marker")) + len(item.group("gap"))
            entries.append(_Entry(indent, column, item.group("marker"), item.group("text")))
        else:
            entries.append(_Entry(indent, indent, "", line.strip()))
        previous = line
    return entries


def _full(line: str, following: str, width: int) -> bool:
    """Whether ``line`` was wrapped: the first word of the line after it would not fit."""
    word = following.split(None, 1)[0]
    return len(line) + 1 + len(word) > width
