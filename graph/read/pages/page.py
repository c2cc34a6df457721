"""The trial-page text format (``FORMAT.md``): one page, one :class:`TrialRecord`.

Every value on a page lands in the record; what the parser does not know (a label, a section,
a stray paragraph) is reported as a warning with its line, and what is malformed (a missing
NCT ID, an unknown enum word, a label without its value, a page cut short) as an error.

Which paragraphs are section headings is :mod:`graph.read.pages.headings`' rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from graph import vocabulary as words
from graph.errors import Report
from graph.model import LARGEST_COUNT, Identifier, Location, Official, Source, Sponsor, TrialRecord
from graph.read.pages.groups import parse_interventions, parse_study_groups
from graph.read.pages.headings import LAST_SECTION, SECTIONS, section_headings
from graph.read.pages.paragraphs import Paragraph, paragraphs
from graph.read.text.criteria import age_in_years, split_criteria
from graph.read.text.plain import clean, lone_surrogate

RESULTS = {
    "Results pending": (
        False,
        "The study team has not published outcome measurements, participant flow, or safety "
        "data for this trial yet. Check back later for updates.",
    ),
    "Results posted": (
        True,
        "The study team has published outcome measurements, participant flow, or safety data for this trial.",
    ),
}
BASIC_LABELS = (
    "Recruitment Status", "Clinical Phase", "Total Enrollment", "Study Classification",
    "Study Start Date", "Study Completion Date",
)  # fmt: skip
DESIGN_LABELS = {
    "Allocation Method": ("allocation", words.ALLOCATIONS),
    "Intervention Model": ("intervention_model", words.INTERVENTION_MODELS),
    "Observational Model": ("observational_model", words.OBSERVATIONAL_MODELS),
    "Time Perspective": ("time_perspective", words.TIME_PERSPECTIVES),
    "Primary Study Purpose": ("primary_purpose", words.PRIMARY_PURPOSES),
    "Blinding Strategy": ("masking", words.MASKINGS),
}
ELIGIBILITY_LABELS = (
    "Minimum Eligible Age", "Maximum Eligible Age", "Eligible Sex", "Accepts Healthy Volunteers",
)  # fmt: skip

NCT_ID = re.compile(r"^NCT ID:\s*(\S*)$")
NCT_FORM = re.compile(r"^NCT[0-9]{8}$")
LAST_UPDATED = re.compile(r"^Last Updated:\s*(.*)$")
DATE = re.compile(r"^([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?$")
ENROLLMENT = re.compile(r"^([0-9]+) participants?$")
SPONSOR_ROLE = re.compile(r"^Sponsor Role\s*(\S*)$")
RESPONSIBILITY = re.compile(r"^Responsibility Role\s*(\S*)$")
OFFICIAL_ROLE = re.compile(r"^Role:\s*(\S*)$")
SITE_STATUS = re.compile(r"^Site Status(?:\s+(\S+))?$")
IDENTIFIER_TYPE = re.compile(r"^Identifier Type:\s*(.*)$")
IDENTIFIER_SOURCE = re.compile(r"^Identifier Source:\s*(\S*)$")
# How the line that closes an entry starts, for messages.
CLOSING_LINES = {
    SPONSOR_ROLE: "Sponsor Role", SITE_STATUS: "Site Status", IDENTIFIER_SOURCE: "Identifier Source:",
}  # fmt: skip
# Country names the registry writes with a comma: "Korea, Republic of".
_COUNTRY_TAIL = re.compile(r"(?:^|\s)(?:of|of the)$|^[a-z]")
_PART_SEPARATOR = re.compile(r",(?=\s|$)")  # between the parts of `City, State, Country`


def parse_page(text: str, source: Source, report: Report) -> TrialRecord | None:
    """Parse one trial page; ``None`` if it has errors (all of them are in ``report``)."""
    if (surrogate := lone_surrogate(text)) is not None:  # only a str made in Python holds one
        column = surrogate - text.rfind("\n", 0, surrogate)
        report.error(
            text.count("\n", 0, surrogate) + 1,
            f"not valid Unicode: a lone surrogate U+{ord(text[surrogate]):04X} at column {column}",
        )
        return None
    found = paragraphs(text)
    if not found:
        report.error(1, "the page holds no text; expected a trial page (FORMAT.md)")
        return None
    headings = section_headings(found)
    record = _header(found, headings, source, report)
    if record is None:
        return None
    page = _Page(record, report)
    page.read_sections(found, headings)
    return None if report.has_errors else record


def _header(
    found: list[Paragraph], headings: dict[int, bool], source: Source, report: Report
) -> TrialRecord | None:
    """Title, ``NCT ID``, ``Last Updated`` and the Study Results paragraphs."""
    title = found[0]
    position = 1
    if NCT_ID.match(title.text):
        report.error(title.line, "the page starts without a title; expected the trial's title")
        position = 0
    nct = found[position] if position < len(found) else None
    match = NCT_ID.match(nct.text) if nct else None
    if nct is None or match is None:
        line = nct.line if nct else title.line
        report.error(line, "expected 'NCT ID: NCT########' after the title")
        return None
    if not NCT_FORM.match(match.group(1)):
        report.error(nct.line, f"NCT ID {match.group(1)!r} is not 'NCT' and 8 digits")
        return None
    record = TrialRecord(nct_id=match.group(1), source=source)
    if position == 1:
        record.brief_title = clean(title.text)
    position += 1
    if position < len(found):
        updated = LAST_UPDATED.match(found[position].text)
        if updated:
            record.last_updated = _date(updated.group(1), "Last Updated", found[position], report)
            position += 1
    if position < len(found) and found[position].text == "Study Results":
        state = found[position + 1] if position + 1 < len(found) else None
        if state is None or state.text not in RESULTS:
            line = state.line if state else found[position].line
            report.error(line, "expected 'Results pending' or 'Results posted' after 'Study Results'")
            return record
        record.has_results, sentence = RESULTS[state.text]
        position += 2
        if position < len(found) and found[position].text == sentence:
            position += 1
    for n, stray in enumerate(found[position:], start=position):
        if n in headings:
            break
        report.warning(stray.line, f"unexpected paragraph before the first section: {stray.text[:60]!r}")
    return record


def _date(value: str, label: str, paragraph: Paragraph, report: Report) -> str | None:
    match = DATE.match(value.strip())
    if match is None:
        report.error(paragraph.line, f"{label}: {value!r} is not a date; expected YYYY-MM-DD or YYYY-MM")
        return None
    return match.group(0)


class _Page:
    """Reads the sections of one page into its record."""

    def __init__(self, record: TrialRecord, report: Report) -> None:
        self.record = record
        self.report = report

    def read_sections(self, found: list[Paragraph], headings: dict[int, bool]) -> None:
        sections: list[tuple[Paragraph, bool, list[Paragraph]]] = []
        for n, paragraph in enumerate(found):
            if n in headings:
                sections.append((paragraph, headings[n], []))
            elif sections:
                sections[-1][2].append(paragraph)
        order = list(SECTIONS)
        bodies: dict[str, tuple[Paragraph, list[Paragraph]]] = {}
        for heading, explained, body in sections:
            name = heading.text
            if name in bodies:
                first = bodies[name][0].line
                self.report.error(heading.line, f"section {name!r} appears twice (first on line {first})")
                continue
            if bodies and order.index(name) < max(order.index(seen) for seen in bodies):
                self.report.warning(heading.line, f"section {name!r} is out of the usual order")
            if explained:
                body = body[1:]
            else:
                self.report.warning(heading.line, f"section {name!r} lacks its explanatory sentence")
            bodies[name] = (heading, body)
        for name, (heading, body) in bodies.items():
            reader = self._readers().get(name)
            if reader is not None:
                reader(heading, body)
        self._arms_and_interventions(bodies)
        if LAST_SECTION not in bodies:
            last = found[-1]
            self.report.error(
                last.line + len(last.lines) - 1,
                f"the page ends without its closing {LAST_SECTION!r} section; it looks truncated",
            )

    def _readers(self) -> dict[str, Callable[[Paragraph, list[Paragraph]], None]]:
        return {
            "Basic Information": self._basic,
            "Brief Summary": self._summary,
            "Detailed Description": self._description,
            "Conditions": self._conditions,
            "Study Design": self._design,
            "Eligibility Criteria": self._eligibility,
            "Sponsors": self._sponsors,
            "Responsible Party": self._responsible,
            "Principal Investigators": self._investigators,
            "Locations": self._locations,
            "Countries": self._countries,
            "Other Identifiers": self._identifiers,
            "More Related Trials": self._related,
        }

    def _arms_and_interventions(self, bodies: dict[str, tuple[Paragraph, list[Paragraph]]]) -> None:
        """Interventions first: Study Groups is resolved with what it lists."""
        listed = (
            parse_interventions(bodies["Interventions"][1], self.report) if "Interventions" in bodies else []
        )
        if "Study Groups" not in bodies:
            self.record.interventions = [entry.intervention for entry in listed]
            return
        _, body = bodies["Study Groups"]
        self.record.arms, self.record.interventions = parse_study_groups(body, listed, self.report)

    # -- label / value sections ---------------------------------------------------------------

    def _pairs(
        self, section: str, heading: Paragraph, body: Sequence[Paragraph], labels: Sequence[str]
    ) -> dict[str, Paragraph]:
        values: dict[str, Paragraph] = {}
        position = 0
        while position < len(body):
            label = body[position]
            value = body[position + 1] if position + 1 < len(body) else None
            if label.text not in labels:
                if value is not None and value.text not in labels:
                    self.report.warning(
                        label.line,
                        f"{section}: unknown label {label.text!r} (value {value.text[:60]!r}); "
                        f"expected one of {', '.join(labels)}",
                    )
                    position += 2
                else:
                    self.report.warning(label.line, f"{section}: unexpected paragraph {label.text[:60]!r}")
                    position += 1
                continue
            if value is None or value.text in labels:
                self.report.error(label.line, f"{section}: label {label.text!r} has no value")
                position += 1
                continue
            if label.text in values:
                self.report.error(label.line, f"{section}: label {label.text!r} appears twice")
            values[label.text] = value
            position += 2
        return values

    def _enum(self, label: str, value: Paragraph, vocabulary: frozenset[str]) -> str | None:
        if value.text in vocabulary:
            return value.text
        self.report.error(
            value.line, f"{label}: {value.text!r} is not known; expected {words.expected(vocabulary)}"
        )
        return None

    def _basic(self, heading: Paragraph, body: list[Paragraph]) -> None:
        record = self.record
        values = self._pairs("Basic Information", heading, body, BASIC_LABELS)
        if (status := values.get("Recruitment Status")) is not None:
            record.status = self._enum("Recruitment Status", status, words.STATUSES)
        if (phase := values.get("Clinical Phase")) is not None:
            phases = [
                self._enum("Clinical Phase", Paragraph(phase.line, (p.strip(),)), words.PHASES)
                for p in phase.text.split(",")
            ]
            record.phases = [p for p in phases if p]
        if (enrollment := values.get("Total Enrollment")) is not None:
            match = ENROLLMENT.match(enrollment.text)
            if match is None:
                self.report.error(
                    enrollment.line,
                    f"Total Enrollment: {enrollment.text[:60]!r} is not a count; expected 'N participants'",
                )
            elif len(match.group(1)) > 10 or int(match.group(1)) > LARGEST_COUNT:
                self.report.error(
                    enrollment.line,
                    f"Total Enrollment: {enrollment.text[:60]!r} is more than {LARGEST_COUNT:,}",
                )
            else:
                record.enrollment = int(match.group(1))
        if (study_type := values.get("Study Classification")) is not None:
            record.study_type = self._enum("Study Classification", study_type, words.STUDY_TYPES)
        if (start := values.get("Study Start Date")) is not None:
            record.start_date = _date(start.text, "Study Start Date", start, self.report)
        if (end := values.get("Study Completion Date")) is not None:
            record.completion_date = _date(end.text, "Study Completion Date", end, self.report)

    def _design(self, heading: Paragraph, body: list[Paragraph]) -> None:
        values = self._pairs("Study Design", heading, body, tuple(DESIGN_LABELS))
        for label, value in values.items():
            attribute, vocabulary = DESIGN_LABELS[label]
            setattr(self.record.design, attribute, self._enum(label, value, vocabulary))

    # -- free text and lists ------------------------------------------------------------------

    def _text(self, heading: Paragraph, body: list[Paragraph]) -> str | None:
        if not body:
            self.report.warning(heading.line, f"section {heading.text!r} holds no text")
        return clean("\n\n".join(p.text for p in body))

    def _summary(self, heading: Paragraph, body: list[Paragraph]) -> None:
        self.record.brief_summary = self._text(heading, body)

    def _description(self, heading: Paragraph, body: list[Paragraph]) -> None:
        self.record.detailed_description = self._text(heading, body)

    def _list(self, body: list[Paragraph]) -> list[str]:
        return [text for p in body if (text := clean(p.text))]

    def _conditions(self, heading: Paragraph, body: list[Paragraph]) -> None:
        self.record.conditions = self._list(body)

    def _countries(self, heading: Paragraph, body: list[Paragraph]) -> None:
        self.record.countries = self._list(body)

    def _related(self, heading: Paragraph, body: list[Paragraph]) -> None:
        for paragraph in body:
            self.report.warning(
                paragraph.line, f"More Related Trials: unexpected paragraph {paragraph.text[:60]!r}"
            )

    # -- eligibility --------------------------------------------------------------------------

    def _eligibility(self, heading: Paragraph, body: list[Paragraph]) -> None:
        criteria: list[Paragraph] = []
        tail: list[Paragraph] = []
        for paragraph in body:
            if tail:
                tail.append(paragraph)
                continue
            cut = next(
                (n for n, line in enumerate(paragraph.lines) if line.strip() in ELIGIBILITY_LABELS), None
            )
            if cut is None:
                criteria.append(paragraph)
            elif cut == 0:
                tail.append(paragraph)
            else:
                above, below = paragraph.split_at(cut)
                criteria.append(above)
                tail.append(below)
        eligibility = self.record.eligibility
        if criteria:
            text = "\n\n".join(p.text for p in criteria)
            eligibility.criteria = clean(text)
            (
                eligibility.inclusion,
                eligibility.exclusion,
                eligibility.inclusion_groups,
                eligibility.exclusion_groups,
            ) = split_criteria(text)
        values = self._pairs("Eligibility Criteria", heading, tail, ELIGIBILITY_LABELS)
        for label, attribute in (
            ("Minimum Eligible Age", "minimum_age"),
            ("Maximum Eligible Age", "maximum_age"),
        ):
            if (value := values.get(label)) is not None:
                if age_in_years(value.text) is None:
                    self.report.error(
                        value.line,
                        f"{label}: {value.text!r} is not an age; "
                        "expected a number and a unit, as in '18 Years'",
                    )
                else:
                    setattr(eligibility, attribute, value.text)
        if (sex := values.get("Eligible Sex")) is not None:
            eligibility.sex = self._enum("Eligible Sex", sex, words.SEXES)
        if (healthy := values.get("Accepts Healthy Volunteers")) is not None:
            if healthy.text not in ("Yes", "No"):
                self.report.error(
                    healthy.line, f"Accepts Healthy Volunteers: {healthy.text!r}; expected Yes or No"
                )
            else:
                eligibility.healthy_volunteers = healthy.text == "Yes"

    # -- organizations and people -------------------------------------------------------------

    def _groups_ending(
        self, section: str, body: list[Paragraph], end: re.Pattern[str]
    ) -> list[tuple[list[Paragraph], re.Match[str], Paragraph]]:
        """Cut a section into entries, each ended by a paragraph matching ``end``."""
        entries: list[tuple[list[Paragraph], re.Match[str], Paragraph]] = []
        pending: list[Paragraph] = []
        for paragraph in body:
            match = end.match(paragraph.text)
            if match is None:
                pending.append(paragraph)
            else:
                entries.append((pending, match, paragraph))
                pending = []
        for paragraph in pending:
            self.report.error(
                paragraph.line,
                f"{section}: {paragraph.text[:60]!r} is not followed by a closing line starting "
                f"{CLOSING_LINES[end]!r}",
            )
        return entries

    def _sponsors(self, heading: Paragraph, body: list[Paragraph]) -> None:
        collaborators = 0
        for before, match, ending in self._groups_ending("Sponsors", body, SPONSOR_ROLE):
            role = {"lead": "LEAD", "collaborator": "COLLABORATOR"}.get(match.group(1))
            if role is None:
                self.report.error(
                    ending.line, f"Sponsor Role {match.group(1)!r}; expected lead or collaborator"
                )
                continue
            if not before or len(before) > 2:
                self.report.error(
                    ending.line,
                    f"Sponsors: expected a name and an optional class before {ending.text!r}, "
                    f"found {len(before)} paragraphs",
                )
                continue
            agency = (
                self._enum("Sponsors: class", before[1], words.AGENCY_CLASSES) if len(before) == 2 else None
            )
            field = "leadSponsor" if role == "LEAD" else f"collaborators[{collaborators}]"
            collaborators += role == "COLLABORATOR"
            name = clean(before[0].text) or before[0].text
            self.record.sponsors.append(Sponsor(name, role, agency, field))
        if sum(s.role == "LEAD" for s in self.record.sponsors) > 1:
            self.report.error(heading.line, "Sponsors: more than one lead sponsor")

    def _responsible(self, heading: Paragraph, body: list[Paragraph]) -> None:
        for paragraph in body:
            match = RESPONSIBILITY.match(paragraph.text)
            if match is None:
                self.report.warning(
                    paragraph.line, f"Responsible Party: unexpected paragraph {paragraph.text[:60]!r}"
                )
            else:
                self.record.responsible_party.type = self._enum(
                    "Responsibility Role",
                    Paragraph(paragraph.line, (match.group(1),)),
                    words.RESPONSIBLE_PARTY_TYPES,
                )

    def _investigators(self, heading: Paragraph, body: list[Paragraph]) -> None:
        roles = [n for n, p in enumerate(body) if OFFICIAL_ROLE.match(p.text)]
        if not roles:
            for paragraph in body:
                self.report.error(
                    paragraph.line, f"Principal Investigators: {paragraph.text[:60]!r} has no 'Role:' line"
                )
            return
        if roles[0] == 0:
            self.report.error(body[0].line, "Principal Investigators: 'Role:' without a name before it")
        for paragraph in body[: max(roles[0] - 1, 0)]:
            self.report.warning(
                paragraph.line, f"Principal Investigators: unexpected paragraph {paragraph.text[:60]!r}"
            )
        for n, role_at in enumerate(roles):
            if role_at == 0 or (n and roles[n - 1] == role_at - 1):
                continue
            following = roles[n + 1] - 1 if n + 1 < len(roles) else len(body)
            between = body[role_at + 1 : following]
            if len(between) > 1:
                for extra in between[1:]:
                    self.report.warning(
                        extra.line, f"Principal Investigators: unexpected paragraph {extra.text[:60]!r}"
                    )
            match = OFFICIAL_ROLE.match(body[role_at].text)
            role = self._enum(
                "Role",
                Paragraph(body[role_at].line, (match.group(1) if match else "",)),
                words.OFFICIAL_ROLES,
            )
            affiliation = clean(between[0].text) if between else None
            name = clean(body[role_at - 1].text) or body[role_at - 1].text
            field = f"overallOfficials[{len(self.record.officials)}]"
            self.record.officials.append(Official(name, role, affiliation, field))

    def _locations(self, heading: Paragraph, body: list[Paragraph]) -> None:
        for before, match, ending in self._groups_ending("Locations", body, SITE_STATUS):
            status = match.group(1)
            if status is not None and status not in words.RECRUITMENT_STATUSES:
                self.report.error(
                    ending.line,
                    f"Site Status {status!r} is not known; "
                    f"expected {words.expected(words.RECRUITMENT_STATUSES)}",
                )
                continue
            location = Location(status=status, field=f"locations[{len(self.record.locations)}]")
            if len(before) == 2 or (len(before) == 1 and before[0].text.count(",") >= 2):
                address = before[-1]
                location.facility = clean(before[0].text) if len(before) == 2 else None
                location.city, location.state, location.country = _address(address.text)
            elif len(before) == 1:
                self.report.warning(
                    before[0].line, f"Locations: {before[0].text[:60]!r} has no 'City, State, Country' line"
                )
                location.facility = clean(before[0].text)
            else:
                self.report.error(
                    ending.line,
                    "Locations: expected a facility and 'City, State, Country' before 'Site Status', "
                    f"found {len(before)} paragraphs",
                )
                continue
            self.record.locations.append(location)

    def _identifiers(self, heading: Paragraph, body: list[Paragraph]) -> None:
        for before, match, ending in self._groups_ending("Other Identifiers", body, IDENTIFIER_SOURCE):
            source = match.group(1)
            if source not in words.IDENTIFIER_SOURCES:
                self.report.error(
                    ending.line, f"Identifier Source {source!r}; expected org_study_id or secondary_id"
                )
                continue
            kind = IDENTIFIER_TYPE.match(before[-1].text) if before else None
            if kind is None or len(before) != 2:
                self.report.error(
                    ending.line,
                    "Other Identifiers: expected the identifier and 'Identifier Type: X' "
                    "before 'Identifier Source'",
                )
                continue
            type_word = kind.group(1).strip()
            vocabulary = words.ORG_STUDY_ID_TYPES if source == "org_study_id" else words.SECONDARY_ID_TYPES
            if type_word != "-" and type_word not in vocabulary:
                self.report.error(
                    before[-1].line,
                    f"Identifier Type {type_word!r} is not known; expected - or {words.expected(vocabulary)}",
                )
                continue
            value = clean(before[0].text) or before[0].text
            self.record.identifiers.append(Identifier(value, source, None if type_word == "-" else type_word))


def _address(line: str) -> tuple[str, str, str]:
    """Split ``City, State, Country``; any part may be empty, a country may hold a comma.

    The page joins the parts with ``, ``: a comma not followed by a space (or the line's end)
    is the place's own (``Hankou,Wuhan``, ``Charlottesville,``).

    >>> _address("Beijing, , China"), _address("Daphne, , ")
    (('Beijing', '', 'China'), ('Daphne', '', ''))
    >>> _address("Seoul, , Korea, Republic of")
    ('Seoul', '', 'Korea, Republic of')
    >>> _address("Hankou,Wuhan, , China"), _address("Charlottesville,, Virginia, United States")
    (('Hankou,Wuhan', '', 'China'), ('Charlottesville,', 'Virginia', 'United States'))
    """
    parts = [clean(part) or "" for part in _PART_SEPARATOR.split(line)]
    country = parts.pop() if parts else ""
    if len(parts) > 2 and _COUNTRY_TAIL.search(country):
        country = f"{parts.pop()}, {country}"
    state = parts.pop() if len(parts) > 1 else ""
    city = ", ".join(parts)
    return city, state, country
