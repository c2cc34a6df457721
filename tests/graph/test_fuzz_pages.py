"""The page parser under generated and mutated pages: a valid page loads with zero problems and
every value lands in its field; any other text or bytes give problem lines, never an exception.

Valid pages are written from random values in FORMAT.md's layout. Mutants are made from the real
pages (the seed and the shared pages) and from generated ones: lines and paragraphs deleted,
duplicated, swapped, cut short or replaced, enum words changed, huge, empty and hostile values
(control characters, surrogates, invalid UTF-8, NUL bytes, a byte-order mark) put in.

``HYPOTHESIS_PROFILE=long`` runs the long profile (``tests/conftest.py``); the number of
documents tried is printed when the module ends.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from graph import vocabulary as words
from graph.errors import LoadError, Problem, Report
from graph.model import Source, TrialRecord
from graph.read.pages.page import (
    BASIC_LABELS,
    DESIGN_LABELS,
    ELIGIBILITY_LABELS,
    RESULTS,
    SECTIONS,
    parse_page,
)
from graph.read.records import load_records
from graph.read.text.plain import clean, fold, unescape
from tests.paths import PAGES, SEED_PAGE

REAL_PAGES = [SEED_PAGE, *sorted(PAGES.glob("*.txt"))]
REAL_TEXTS = [path.read_text(encoding="utf-8") for path in REAL_PAGES]
NAME = "page.txt"
LARGEST_COUNT = 2**31 - 1  # what a GraphQL Int can hold

# -- checks ----------------------------------------------------------------------------------


def assert_line_located(problems: list[Problem], name: str, lines: int) -> None:
    """Every problem is at ``NAME:LINE`` with LINE a line of the text (or at the whole file)."""
    for problem in problems:
        assert problem.message, problem
        if problem.where == name:  # the whole file: empty, binary, unreadable
            continue
        match = re.fullmatch(re.escape(name) + r":(\d+)", problem.where)
        assert match is not None, f"not located by line: {problem}"
        assert 1 <= int(match.group(1)) <= lines, f"line out of range (1..{lines}): {problem}"


def assert_servable(value: object, where: str = "record") -> None:
    """A record holds text the service can encode, finite numbers and counts a GraphQL Int holds."""
    if isinstance(value, str):
        value.encode("utf-8")  # a lone surrogate cannot be served or exported
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, int):
        assert 0 <= value <= LARGEST_COUNT, f"{where} = {value}"
    elif isinstance(value, float):
        assert math.isfinite(value), f"{where} = {value}"
    elif isinstance(value, list):
        for n, item in enumerate(value):
            assert_servable(item, f"{where}[{n}]")
    elif dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            assert_servable(getattr(value, item.name), f"{where}.{item.name}")
    else:
        raise AssertionError(f"{where} holds a {type(value).__name__}")


def assert_parsed(text: str) -> TrialRecord | None:
    """``parse_page`` returns a record exactly when it reports no error, with every problem
    located on a line of the page."""
    report = Report(NAME)
    record = parse_page(text, Source(NAME, format="page"), report)
    assert (record is None) == report.has_errors, [str(p) for p in report.problems]
    assert_line_located(report.problems, NAME, text.count("\n") + 1)
    if record is not None:
        assert_servable(record)
    return record


def assert_loaded(path: Path, data: bytes) -> None:
    """Loading a file of any bytes returns, or raises :class:`LoadError` only, with every problem
    located in the file."""
    path.write_bytes(data)
    loaded = load_records([path], skip_invalid=True)
    lines = data.count(b"\n") + data.count(b"\r") + 1
    assert_line_located(loaded.problems, str(path), lines)
    errors = [problem for problem in loaded.problems if problem.is_error]
    assert (len(loaded.records) == 1) == (not errors), [str(p) for p in loaded.problems]
    for record in loaded.records:
        assert_servable(record)
    try:
        load_records([path])
    except LoadError as error:
        assert [str(p) for p in error.problems] == [str(p) for p in loaded.problems]
    else:
        assert not errors


def counting(request: pytest.FixtureRequest) -> Iterator[Counter[str]]:
    """Counts the documents a module tries, by kind, and tells the count when the module ends."""
    counts: Counter[str] = Counter()
    started = time.monotonic()
    yield counts
    seconds = time.monotonic() - started
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(counts.items()))
    total = sum(counts.values())
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # told even while output is captured
            reporter.ensure_newline()
            reporter.write_line(
                f"{Path(request.path).name}: {total:,} documents tried in {seconds:.0f} s ({kinds})"
            )


@pytest.fixture(scope="module")
def tried(request: pytest.FixtureRequest) -> Iterator[Counter[str]]:
    yield from counting(request)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-pages")


# -- valid pages -----------------------------------------------------------------------------

# A line that means something to the parser is never a generated value.
_STRUCTURE = re.compile(
    r"NCT ID:|Last Updated:|Group Type|Intervention Type|Sponsor Role|Responsibility Role|Role:"
    r"|Site Status|Identifier Type:|Identifier Source:"
)
_RESERVED = {
    *SECTIONS, *SECTIONS.values(), *RESULTS, *(sentence for _, sentence in RESULTS.values()),
    "Study Results", *BASIC_LABELS, *DESIGN_LABELS, *ELIGIBILITY_LABELS,
}  # fmt: skip
_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))


def _usable(text: str) -> bool:
    return bool(text) and text not in _RESERVED and not _STRUCTURE.match(text) and clean(text) is not None


def lines(max_size: int = 40, alphabet: st.SearchStrategy[str] = _CHARACTERS) -> st.SearchStrategy[str]:
    """One line of text: no line break, no white space at its ends."""
    return st.text(alphabet, min_size=1, max_size=max_size).map(str.strip).filter(_usable)


# A group label is short and is not a sentence: no sentence-ending punctuation.
labels = lines(30, st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Po")))
# Descriptions are prose: a sentence with its full stop.
sentences = lines(60).map(lambda text: text.rstrip(".!?;:") + ".").filter(_usable)
prose = st.lists(sentences, min_size=1, max_size=2).map(tuple)
free_text = st.lists(st.lists(lines(60), min_size=1, max_size=3).map("\n".join), min_size=1, max_size=3)
_criteria_words = lines(50).filter(lambda text: not re.search("inclusion|exclusion", text, re.I))


def enum(vocabulary: frozenset[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(vocabulary))


@st.composite
def dates(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=datetime.date(1900, 1, 1)))
    return day.isoformat()[: draw(st.sampled_from([4, 7, 10]))]


@dataclass
class Arm:
    label: str
    description: tuple[str, ...]
    type: str | None
    interventions: list[int]  # positions in Page.interventions


@dataclass
class Intervention:
    name: str
    description: tuple[str, ...]
    type: str


@dataclass
class Site:
    facility: str | None
    city: str
    state: str
    country: str
    status: str | None


@dataclass
class Page:
    """The values of one trial page, written as FORMAT.md lays a page out."""

    title: str
    nct_id: str
    last_updated: str | None
    results_posted: bool
    basic: dict[str, str]
    summary: list[str]
    description: list[str]
    conditions: list[str]
    design: dict[str, str]
    arms: list[Arm]
    interventions: list[Intervention]
    inclusion: list[str]
    exclusion: list[str]
    eligibility: dict[str, str]
    glued_label: bool
    sponsors: list[tuple[str, str | None, str]]
    responsibility: str | None
    officials: list[tuple[str, str, str | None]]
    sites: list[Site]
    countries: list[str]
    identifiers: list[tuple[str, str, str]]
    headings: dict[str, str] = field(default_factory=dict)

    def criteria(self) -> list[str]:
        text = []
        for heading, items, marker in (
            (self.headings.get("inclusion"), self.inclusion, "*"),
            (self.headings.get("exclusion"), self.exclusion, "1."),
        ):
            if items:
                text += [heading or "", "\n".join(f"{marker} {item}" for item in items)]
        return text

    def text(self) -> str:
        out = [self.title, f"NCT ID: {self.nct_id}"]
        if self.last_updated:
            out.append(f"Last Updated: {self.last_updated}")
        state = "Results posted" if self.results_posted else "Results pending"
        out += ["Study Results", state, RESULTS[state][1]]

        def section(name: str, body: list[str]) -> None:
            if body:
                out.extend([name, SECTIONS[name], *body])

        section("Basic Information", [p for pair in self.basic.items() for p in pair])
        section("Brief Summary", self.summary)
        section("Detailed Description", self.description)
        section("Conditions", self.conditions)
        section("Study Design", [p for pair in self.design.items() for p in pair])
        groups = []
        for arm in self.arms:
            groups += [arm.label, *arm.description]
            if arm.type:
                groups.append(f"Group Type {arm.type}")
            for position in arm.interventions:
                given_ = self.interventions[position]
                groups += [given_.name, f"Intervention Type {given_.type}", *given_.description]
        section("Study Groups", groups)
        listed = []
        for intervention in self.interventions:
            listed += [intervention.name, *intervention.description, f"Intervention Type {intervention.type}"]
        section("Interventions", listed)
        criteria = self.criteria()
        pairs = [p for pair in self.eligibility.items() for p in pair]
        if criteria and pairs and self.glued_label:
            criteria[-1] += "\n" + pairs.pop(0)
        section("Eligibility Criteria", criteria + pairs)
        sponsors = []
        for name, agency, role in self.sponsors:
            sponsors += [name, *([agency] if agency else []), f"Sponsor Role {role}"]
        section("Sponsors", sponsors)
        section(
            "Responsible Party", [f"Responsibility Role {self.responsibility}"] if self.responsibility else []
        )
        officials = []
        for name, role, affiliation in self.officials:
            officials += [name, f"Role: {role}", *([affiliation] if affiliation else [])]
        section("Principal Investigators", officials)
        sites = []
        for site in self.sites:
            status = f"Site Status {site.status}" if site.status else "Site Status"
            address = f"{site.city}, {site.state}, {site.country}"
            sites += [*([site.facility] if site.facility else []), address, status]
        section("Locations", sites)
        section("Countries", self.countries)
        identifiers = []
        for value, kind, source in self.identifiers:
            identifiers += [value, f"Identifier Type: {kind}", f"Identifier Source: {source}"]
        section("Other Identifiers", identifiers)
        out += ["More Related Trials", SECTIONS["More Related Trials"]]
        return "\n\n".join(out) + "\n"


@st.composite
def study_groups(draw: st.DrawFn) -> tuple[list[Arm], list[Intervention]]:
    """Arms and interventions a reader can tell apart: either every arm has its Group Type or
    none has; an arm with neither type nor interventions has a description unless it is last;
    no two interventions share name, type and description."""
    interventions = draw(
        st.lists(
            st.builds(Intervention, lines(30), st.one_of(st.just(()), prose), enum(words.INTERVENTION_TYPES)),
            max_size=4,
            unique_by=lambda i: (clean(i.name), i.type, i.description),
        )
    )
    typed = draw(st.booleans())
    arms = []
    count = draw(st.integers(0, 4))
    for n in range(count):
        chosen = (
            draw(st.lists(st.sampled_from(range(len(interventions))), unique=True, max_size=3))
            if (interventions)
            else []
        )
        description = draw(st.one_of(st.just(()), prose))
        if not typed and not chosen and not description and n < count - 1:
            description = draw(prose)
        arm_type = draw(enum(words.ARM_TYPES)) if typed else None
        arms.append(Arm(draw(labels), description, arm_type, chosen))
    if len({clean(arm.label) for arm in arms}) < len(arms):
        arms = arms[:1]
    return arms, interventions


@st.composite
def sites(draw: st.DrawFn) -> Site:
    part = st.one_of(st.just(""), lines(20).filter(lambda text: "," not in text))
    country = draw(
        st.one_of(part, st.sampled_from(["Korea, Republic of", "Congo, The Democratic Republic of the"]))
    )
    facility = draw(st.one_of(st.none(), lines(40)))
    return Site(
        facility,
        draw(part),
        draw(part),
        country,
        draw(st.one_of(st.none(), enum(words.RECRUITMENT_STATUSES))),
    )


@st.composite
def pages(draw: st.DrawFn) -> Page:
    basic_values = {
        "Recruitment Status": enum(words.STATUSES),
        "Clinical Phase": st.lists(enum(words.PHASES), min_size=1, max_size=2, unique=True).map(", ".join),
        "Total Enrollment": st.integers(0, 10**6).map(lambda n: f"{n} participant{'s' * (n != 1)}"),
        "Study Classification": enum(words.STUDY_TYPES),
        "Study Start Date": dates(),
        "Study Completion Date": dates(),
    }
    design_values = {label: enum(vocabulary) for label, (_, vocabulary) in DESIGN_LABELS.items()}
    ages = st.builds(
        "{} {}".format, st.integers(0, 120), st.sampled_from(["Years", "Months", "Weeks", "Days"])
    )
    eligibility_values = {
        "Minimum Eligible Age": ages,
        "Maximum Eligible Age": ages,
        "Eligible Sex": enum(words.SEXES),
        "Accepts Healthy Volunteers": st.sampled_from(["Yes", "No"]),
    }

    def some(values: dict[str, st.SearchStrategy[str]]) -> dict[str, str]:
        return {label: draw(strategy) for label, strategy in values.items() if draw(st.booleans())}

    arms, interventions = draw(study_groups())
    sponsor = st.tuples(lines(40), st.one_of(st.none(), enum(words.AGENCY_CLASSES)), st.just("collaborator"))
    sponsors = draw(st.lists(sponsor, max_size=3))
    if draw(st.booleans()):
        lead = draw(st.tuples(lines(40), st.one_of(st.none(), enum(words.AGENCY_CLASSES)), st.just("lead")))
        sponsors.insert(draw(st.integers(0, len(sponsors))), lead)
    identifier = st.one_of(
        st.tuples(
            lines(20), st.sampled_from(["-", *sorted(words.ORG_STUDY_ID_TYPES)]), st.just("org_study_id")
        ),
        st.tuples(
            lines(20), st.sampled_from(["-", *sorted(words.SECONDARY_ID_TYPES)]), st.just("secondary_id")
        ),
    )
    page = Page(
        title=draw(lines(80)),
        nct_id=f"NCT{draw(st.integers(0, 10**8 - 1)):08d}",
        last_updated=draw(st.one_of(st.none(), dates())),
        results_posted=draw(st.booleans()),
        basic=some(basic_values),
        summary=draw(st.one_of(st.just([]), free_text)),
        description=draw(st.one_of(st.just([]), free_text)),
        conditions=draw(st.lists(lines(30), max_size=3)),
        design=some(design_values),
        arms=arms,
        interventions=interventions,
        inclusion=draw(st.lists(_criteria_words, max_size=3)),
        exclusion=draw(st.lists(_criteria_words, max_size=3)),
        eligibility=some(eligibility_values),
        glued_label=draw(st.booleans()),
        sponsors=sponsors,
        responsibility=draw(st.one_of(st.none(), enum(words.RESPONSIBLE_PARTY_TYPES))),
        officials=draw(
            st.lists(
                st.tuples(lines(30), enum(words.OFFICIAL_ROLES), st.one_of(st.none(), lines(40))), max_size=3
            )
        ),
        sites=draw(st.lists(sites(), max_size=3)),
        countries=draw(st.lists(lines(20), max_size=3)),
        identifiers=draw(st.lists(identifier, max_size=2)),
    )
    page.headings = {
        "inclusion": draw(
            st.sampled_from(["Inclusion Criteria", "Inclusion Criteria:", "Key Inclusion Criteria:"])
        ),
        "exclusion": draw(st.sampled_from(["Exclusion Criteria", "Exclusion Criteria:"])),
    }
    return page


def _plain(text: str) -> str:
    return clean(text) or text


def _part(text: str) -> str:
    return clean(text) or ""


def assert_round_trip(page: Page, record: TrialRecord) -> None:
    """Every value written on the page is in its field of the record."""
    assert record.nct_id == page.nct_id
    assert record.brief_title == clean(page.title)
    assert record.last_updated == page.last_updated
    assert record.has_results is page.results_posted
    basic = page.basic
    assert record.status == basic.get("Recruitment Status")
    assert record.phases == (basic["Clinical Phase"].split(", ") if "Clinical Phase" in basic else [])
    enrollment = basic.get("Total Enrollment")
    assert record.enrollment == (int(enrollment.split()[0]) if enrollment else None)
    assert record.study_type == basic.get("Study Classification")
    assert record.start_date == basic.get("Study Start Date")
    assert record.completion_date == basic.get("Study Completion Date")
    assert record.brief_summary == clean("\n\n".join(page.summary))
    assert record.detailed_description == clean("\n\n".join(page.description))
    assert record.conditions == [clean(condition) for condition in page.conditions]
    for label, (attribute, _) in DESIGN_LABELS.items():
        assert getattr(record.design, attribute) == page.design.get(label), label
    assert [(i.name, i.type, i.description) for i in record.interventions] == [
        (_plain(i.name), i.type, clean("\n\n".join(i.description))) for i in page.interventions
    ]
    assert [(a.label, a.type, a.description, a.interventions) for a in record.arms] == [
        (_plain(a.label), a.type, clean("\n\n".join(a.description)), a.interventions) for a in page.arms
    ]
    eligibility = record.eligibility
    assert eligibility.criteria == clean("\n\n".join(page.criteria()))
    assert eligibility.inclusion == [fold(unescape(item)) for item in page.inclusion]
    assert eligibility.exclusion == [fold(unescape(item)) for item in page.exclusion]
    assert eligibility.minimum_age == page.eligibility.get("Minimum Eligible Age")
    assert eligibility.maximum_age == page.eligibility.get("Maximum Eligible Age")
    assert eligibility.sex == page.eligibility.get("Eligible Sex")
    healthy = page.eligibility.get("Accepts Healthy Volunteers")
    assert eligibility.healthy_volunteers == (None if healthy is None else healthy == "Yes")
    assert [(s.name, s.agency_class, s.role) for s in record.sponsors] == [
        (_plain(name), agency, role.upper()) for name, agency, role in page.sponsors
    ]
    assert record.responsible_party.type == page.responsibility
    assert [(o.name, o.role, o.affiliation) for o in record.officials] == [
        (_plain(name), role, clean(affiliation) if affiliation else None)
        for name, role, affiliation in page.officials
    ]
    assert [(s.facility, s.city, s.state, s.country, s.status) for s in record.locations] == [
        (clean(s.facility) if s.facility else None, _part(s.city), _part(s.state), _part(s.country), s.status)
        for s in page.sites
    ]
    assert record.countries == [clean(country) for country in page.countries]
    assert [(i.value, i.type, i.source) for i in record.identifiers] == [
        (_plain(value), None if kind == "-" else kind, source) for value, kind, source in page.identifiers
    ]


@given(page=pages())
def test_a_generated_page_loads_whole(page: Page, folder: Path, tried: Counter[str]) -> None:
    text = page.text()
    path = folder / "generated.txt"
    path.write_text(text, encoding="utf-8")
    loaded = load_records([path])
    tried["generated"] += 1
    assert [str(problem) for problem in loaded.problems] == []
    (record,) = loaded.records
    assert_round_trip(page, record)
    assert_servable(record)


# -- mutants ---------------------------------------------------------------------------------

_ENUM_WORD = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z]{2,}\b")
_HOSTILE = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.characters(categories=("Cc", "Cs", "Zl", "Zp", "Cf")),
        st.sampled_from(["\x00", "\ufeff", "\ufffd", "\\", "\\<", "Ã¼", "Â®", "\u202e", "\x85", "\u2028"]),
    ),
    max_size=30,
).map("".join)
_STRUCTURAL = st.sampled_from(
    sorted(
        {
            *SECTIONS, *SECTIONS.values(), *RESULTS, "Study Results", *BASIC_LABELS, *DESIGN_LABELS,
            *ELIGIBILITY_LABELS, "NCT ID: NCT00000001", "NCT ID:", "NCT ID: NCT1", "Last Updated: 2024-13-01",
            "Last Updated:", "Group Type", "Group Type EXPERIMENTAL", "Group Type experimental",
            "Intervention Type", "Intervention Type DRUG", "Intervention Type Drug", "Sponsor Role lead",
            "Sponsor Role", "Sponsor Role owner", "Responsibility Role SPONSOR", "Responsibility Role",
            "Role:", "Role: PRINCIPAL_INVESTIGATOR", "Role: CHIEF", "Site Status", "Site Status RECRUITING",
            "Site Status OPEN", "Identifier Type: -", "Identifier Type: NIH", "Identifier Type:",
            "Identifier Source: org_study_id", "Identifier Source: secondary_id", "Identifier Source:",
            "Beijing, , China", ", ,", "Seoul, , Korea, Republic of", "18 Years", "N/A", "-1 Years", "Yes",
            "Maybe", "ALL", "999999999999999999999 participants", "1 participant", "2024", "2024-02-30",
            "Inclusion Criteria:", "Exclusion Criteria", "1. item", "* item", "   * sub-item", "a) item",
            "NCT ID: NCT٠١٢٣٤٥٦٧", "Total Enrollment", "PHASE1, PHASE9", "PHASE1,", "",
        }
    )
)  # fmt: skip
_VALUE_LINES = st.one_of(
    _STRUCTURAL,
    _HOSTILE,
    st.sampled_from(sorted(set().union(*(v for k, v in vars(words).items() if k.isupper())))),
    st.builds(lambda digits, unit: f"{digits} {unit}", st.text("0123456789.", min_size=1, max_size=30),
              st.sampled_from(["Years", "participants", "Months", "Minutes"])),
    st.integers(1, 6).map(lambda power: "9" * 10**power),  # huge values, up to a million digits
    st.integers(1, 5).map(lambda power: "x" * 10**power + " participants"),
)  # fmt: skip


@st.composite
def mutants(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """A page text with one to four mutations."""
    text = draw(base)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(
            st.sampled_from(
                [
                    "delete line", "duplicate line", "swap lines", "replace line", "insert line",
                    "delete paragraph", "duplicate paragraph", "swap paragraphs", "move paragraph",
                    "truncate", "change enum word", "insert text", "join lines", "indent line",
                    "change digits", "blank the page",
                ]
            )
        )  # fmt: skip
        event(how)
        unit = "\n\n" if "paragraph" in how else "\n"
        parts = text.split(unit)
        at = draw(st.integers(0, max(len(parts) - 1, 0)))
        if how in ("delete line", "delete paragraph"):
            del parts[at]
        elif how in ("duplicate line", "duplicate paragraph"):
            parts.insert(at, parts[at])
        elif how in ("swap lines", "swap paragraphs"):
            other = draw(st.integers(0, len(parts) - 1))
            parts[at], parts[other] = parts[other], parts[at]
        elif how == "move paragraph":
            parts.insert(draw(st.integers(0, len(parts))), parts.pop(at))
        elif how == "replace line":
            parts[at] = draw(_VALUE_LINES)
        elif how == "insert line":
            parts.insert(at, draw(_VALUE_LINES))
        elif how == "join lines" and at + 1 < len(parts):
            parts[at : at + 2] = [parts[at] + " " + parts[at + 1]]
        elif how == "indent line":
            parts[at] = draw(st.sampled_from([" ", "\t", "   ", "\u3000"])) + parts[at]
        text = unit.join(parts)
        if how == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif how == "change enum word":
            found = list(_ENUM_WORD.finditer(text))
            if found:
                word = found[draw(st.integers(0, len(found) - 1))]
                new = draw(st.one_of(_VALUE_LINES, st.just(word.group(0).lower()), st.just("")))
                text = text[: word.start()] + new + text[word.end() :]
        elif how == "insert text":
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(_HOSTILE) + text[position:]
        elif how == "change digits":
            found = list(re.finditer(r"\d+", text))
            if found:
                digits = found[draw(st.integers(0, len(found) - 1))]
                new = draw(
                    st.one_of(st.text("0123456789", max_size=12), st.sampled_from(["٠١", "-1", "1e9"]))
                )
                text = text[: digits.start()] + new + text[digits.end() :]
        elif how == "blank the page":
            text = draw(st.sampled_from(["", "\n", " \n\n\t", "\ufeff"]))
    return text


_BASES = st.one_of(st.sampled_from(REAL_TEXTS), pages().map(Page.text))


@given(text=mutants(_BASES))
def test_a_mutated_page_gives_problem_lines_only(text: str, folder: Path, tried: Counter[str]) -> None:
    assert_parsed(text)
    assert_loaded(folder / "mutant.txt", text.encode("utf-8", "surrogatepass"))
    tried["mutated pages"] += 2


@st.composite
def mutated_bytes(draw: st.DrawFn, documents: st.SearchStrategy[str]) -> bytes:
    """A document's bytes with bytes flipped, invalid UTF-8, NUL bytes or a byte-order mark put in."""
    data = bytearray(draw(documents).encode("utf-8", "surrogatepass"))
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["flip", "insert", "truncate", "bom", "crlf", "cr", "utf-16", "latin-1"]))
        event(f"bytes: {how}")
        at = draw(st.integers(0, len(data)))
        if how == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.sampled_from(
                        [b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82", b"\xef\xbb\xbf", b"\x80"]
                    ),
                    st.binary(max_size=8),
                )
            )
        elif how == "truncate":
            del data[at:]
        elif how == "bom":
            data[0:0] = b"\xef\xbb\xbf"
        elif how == "crlf":
            data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
        elif how == "cr":
            data = bytearray(bytes(data).replace(b"\n", b"\r"))
        elif how == "utf-16":
            data = bytearray(bytes(data).decode("utf-8", "replace").encode("utf-16"))
        elif how == "latin-1":
            data = bytearray(bytes(data).decode("utf-8", "replace").encode("latin-1", "replace"))
    return bytes(data)


@given(data=mutated_bytes(_BASES))
def test_mutated_page_bytes_give_problem_lines_only(data: bytes, folder: Path, tried: Counter[str]) -> None:
    assert_loaded(folder / "bytes.txt", data)
    tried["mutated bytes"] += 1


@st.composite
def page_shaped_text(draw: st.DrawFn) -> str:
    """Paragraphs drawn from the page's own headings, labels and markers and from hostile text,
    in any order: every branch of the parser is reached."""
    header = draw(st.lists(st.sampled_from(["Title", "NCT ID: NCT12345678", "Study Results"]), max_size=3))
    body = draw(
        st.lists(
            st.one_of(_STRUCTURAL, _HOSTILE, labels, sentences, st.sampled_from(sorted(SECTIONS))),
            max_size=60,
        )
    )
    separator = draw(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"]))
    return separator.join(header + body)


@given(text=st.one_of(page_shaped_text(), st.text(), _HOSTILE))
def test_any_text_gives_problem_lines_only(text: str, folder: Path, tried: Counter[str]) -> None:
    assert_parsed(text)
    assert_loaded(folder / "text.txt", text.encode("utf-8", "surrogatepass"))
    tried["any text"] += 2


def test_every_real_page_loads_whole() -> None:
    loaded = load_records(REAL_PAGES)
    assert [str(problem) for problem in loaded.problems] == []
    assert len(loaded.records) == len(REAL_PAGES)
