"""Classic ClinicalTrials.gov XML (``<clinical_study>``, the registry's older bulk downloads):
one document, one :class:`TrialRecord`.

Values are written in the classic words (:mod:`graph.read.xml.values`) and mapped to the v2 words the
record model holds; text blocks are unwrapped into the paragraphs and lists the v2 API gives.
Only the NCT ID is required and unknown elements are ignored; an unknown word, an unreadable
date, age or count is an error at its line, named by its element path
(``location[3]/status``). The placeholder "[Redacted]" of withheld records is no name.

The parser never expands an entity nor reads anything beyond the document: a document whose
DOCTYPE declares entities (internal, external or nested ones, as in "billion laughs") is
refused before it is parsed, and the parser is made with ``resolve_entities=False``,
``no_network=True``, ``load_dtd=False`` and ``huge_tree=False``.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from graph.errors import Report
from graph.model import Arm, Identifier, Intervention, Location, Official, Source, Sponsor, TrialRecord
from graph.read.text.criteria import age_in_years, split_criteria
from graph.read.text.plain import repair_mojibake
from graph.read.xml import values as legacy

ROOT = "clinical_study"
NCT_FORM = re.compile(r"^NCT\d{8}$")
REDACTED = "[Redacted]"
# What may come before a DOCTYPE: white space, the XML declaration, comments, instructions.
_PROLOG_ITEM = re.compile(rb"\s+|\xef\xbb\xbf|<\?.*?\?>|<!--.*?-->", re.S)
_ENTITY = re.compile(rb"<!ENTITY\b")

Element = Any  # an lxml element; lxml ships no type information


def parse_clinical_study(data: bytes, source: Source, report: Report) -> TrialRecord | None:
    """Parse one ``<clinical_study>`` document; ``None`` if it has errors (all in ``report``)."""
    root = _parse(data, report)
    if root is None:
        return None
    if root.tag != ROOT:
        report.error(
            root.sourceline or 1,
            f"not a classic ClinicalTrials.gov study: the root element is <{root.tag}>, expected <{ROOT}>",
        )
        return None
    study = _Study(root, report)
    nct = study.text(root, "id_info/nct_id")
    if nct is None:
        at = root.find("id_info")
        study.error(root if at is None else at, "missing; every study needs its NCT ID", "id_info/nct_id")
        return None
    if not NCT_FORM.match(nct):
        study.error(root.find("id_info/nct_id"), f"{nct!r} is not 'NCT' and 8 digits")
        return None
    record = TrialRecord(nct_id=nct, source=source)
    record.brief_title = study.text(root, "brief_title")
    record.official_title = study.text(root, "official_title")
    record.acronym = study.text(root, "acronym")
    record.organization = study.name(root, "source")
    _identifiers(study, record)
    _status(study, record)
    _sponsors(study, record)
    record.brief_summary = study.block(root, "brief_summary/textblock")
    record.detailed_description = study.block(root, "detailed_description/textblock")
    record.conditions = study.texts(root, "condition")
    record.keywords = study.texts(root, "keyword")
    _design(study, record)
    _arms(study, record)
    _eligibility(study, record)
    _people_and_places(study, record)
    record.has_results = root.find("clinical_results") is not None
    return None if report.has_errors else record


def _parse(data: bytes, report: Report) -> Element | None:
    position = 0
    while (item := _PROLOG_ITEM.match(data, position)) is not None and item.end() > position:
        position = item.end()
    if data.startswith(b"<!DOCTYPE", position) and (entity := _ENTITY.search(data, position)):
        line = data.count(b"\n", 0, entity.start()) + 1
        report.error(line, "refused: the DOCTYPE declares an entity; classic study XML declares none")
        return None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        report.error(error.lineno or 1, f"invalid XML: {error.msg}")
        return None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # the check above missed one
        report.error(1, "refused: the DOCTYPE declares an entity; classic study XML declares none")
        return None
    # A reference to an entity an external DTD would declare is kept unexpanded: refuse it too.
    for entity in root.iter(etree.Entity):
        line = entity.sourceline or entity.getparent().sourceline or 1
        report.error(line, f"refused: the entity reference {entity.text} is never expanded")
    return None if report.has_errors else root


class _Study:
    """Typed access to the elements of one document, reporting problems at their lines."""

    def __init__(self, root: Element, report: Report) -> None:
        self.root = root
        self.tree = root.getroottree()
        self.report = report

    def path(self, element: Element) -> str:
        """Where an element is, as messages name it: ``location[3]/status``."""
        return str(self.tree.getpath(element)).removeprefix(f"/{ROOT}/")

    def error(self, element: Element, message: str, path: str = "") -> None:
        self.report.error(element.sourceline or 1, f"{path or self.path(element)}: {message}")

    def value(self, parent: Element, path: str) -> tuple[Element, str] | tuple[None, None]:
        element = parent.find(path)
        if element is None:
            return None, None
        text = "".join(element.itertext()).strip()
        return (element, text) if text else (None, None)

    def text(self, parent: Element, path: str) -> str | None:
        return _plain(self.value(parent, path)[1])

    def texts(self, parent: Element, tag: str) -> list[str]:
        found = (_plain("".join(element.itertext())) for element in parent.iterchildren(tag))
        return [text for text in found if text]

    def name(self, parent: Element, path: str) -> str | None:
        text = self.text(parent, path)
        return None if text == REDACTED else text

    def block(self, parent: Element, path: str) -> str | None:
        element = parent.find(path)
        return None if element is None else legacy.unwrap("".join(element.itertext()))

    def word(self, parent: Element, path: str, table: legacy.Words) -> str | None:
        element, written = self.value(parent, path)
        if element is None or written is None:
            return None
        if written not in table.meaning:
            self.error(element, f"{written!r} is not known; expected {table.expected()}")
        return table.meaning.get(written)

    def date(self, parent: Element, path: str) -> tuple[str | None, str | None]:
        """A date and its type (``ACTUAL``, ``ESTIMATED``) from its ``type`` attribute."""
        element, written = self.value(parent, path)
        if element is None or written is None:
            return None, None
        try:
            value = legacy.date(written)
        except ValueError as error:
            self.error(element, str(error))
            value = None
        return value, self.date_type(element)

    def date_type(self, element: Element) -> str | None:
        """The ``type`` attribute of a date or an enrollment: ``ACTUAL`` or ``ESTIMATED``."""
        written = element.get("type")
        if written is not None and written not in legacy.DATE_TYPES.meaning:
            message = f"{written!r} is not known; expected {legacy.DATE_TYPES.expected()}"
            self.error(element, message, f"{self.path(element)}/@type")
        return None if written is None else legacy.DATE_TYPES.meaning.get(written)

    def age(self, parent: Element, path: str) -> str | None:
        element, written = self.value(parent, path)
        if element is None or written is None or written == legacy.NO_AGE_LIMIT:
            return None
        if age_in_years(written) is None:
            self.error(
                element,
                f"{written!r} is not an age; expected a number and a unit, as in '18 Years', or 'N/A'",
            )
            return None
        return written


def _plain(text: str | None) -> str | None:
    """Element text as plain text: ends stripped, mis-decoded UTF-8 repaired; ``None`` if blank."""
    return (repair_mojibake(text.strip()) or None) if text else None


def _identifiers(study: _Study, record: TrialRecord) -> None:
    # nct_alias, an obsolete NCT ID of the same trial, has no place in the record model.
    ids = study.root.find("id_info")
    if ids is None:
        return
    if value := study.text(ids, "org_study_id"):
        record.identifiers.append(Identifier(value, "org_study_id"))
    record.identifiers += [Identifier(value, "secondary_id") for value in study.texts(ids, "secondary_id")]


def _status(study: _Study, record: TrialRecord) -> None:
    root = study.root
    record.status = study.word(root, "overall_status", legacy.STATUSES)
    record.last_known_status = study.word(root, "last_known_status", legacy.STATUSES)
    record.why_stopped = study.block(root, "why_stopped")
    record.start_date, record.start_date_type = study.date(root, "start_date")
    record.primary_completion_date, record.primary_completion_date_type = study.date(
        root, "primary_completion_date"
    )
    record.completion_date, record.completion_date_type = study.date(root, "completion_date")
    record.first_submitted = study.date(root, "study_first_submitted")[0]
    record.first_posted = study.date(root, "study_first_posted")[0]
    record.last_updated = study.date(root, "last_update_posted")[0]
    record.status_verified = study.date(root, "verification_date")[0]


def _sponsors(study: _Study, record: TrialRecord) -> None:
    sponsors = study.root.find("sponsors")
    if sponsors is not None:
        lead = sponsors.find("lead_sponsor")
        if lead is not None and (name := study.name(lead, "agency")):
            agency_class = study.word(lead, "agency_class", legacy.AGENCY_CLASSES)
            record.sponsors.append(Sponsor(name, "LEAD", agency_class, "leadSponsor"))
        for n, element in enumerate(sponsors.iterchildren("collaborator")):
            if name := study.name(element, "agency"):
                agency_class = study.word(element, "agency_class", legacy.AGENCY_CLASSES)
                record.sponsors.append(Sponsor(name, "COLLABORATOR", agency_class, f"collaborators[{n}]"))
    party = study.root.find("responsible_party")
    if party is not None:
        responsible = record.responsible_party
        responsible.type = study.word(party, "responsible_party_type", legacy.RESPONSIBLE_PARTY_TYPES)
        responsible.investigator_name = study.name(party, "investigator_full_name")
        responsible.investigator_title = study.name(party, "investigator_title")
        responsible.investigator_affiliation = study.name(party, "investigator_affiliation")


def _design(study: _Study, record: TrialRecord) -> None:
    root = study.root
    record.study_type = study.word(root, "study_type", legacy.STUDY_TYPES)
    element, written = study.value(root, "phase")
    if element is not None and written is not None:
        phases = legacy.phases(written)
        if phases is None:
            expected = legacy.PHASES.expected()
            study.error(element, f"{written!r} is not known; expected {expected}, or two joined by '/'")
        record.phases = phases or []
    element, written = study.value(root, "enrollment")
    if element is not None and written is not None:
        if written.isascii() and written.isdigit():
            record.enrollment = int(written)
        else:
            study.error(element, f"{written!r} is not a count of participants")
        record.enrollment_type = study.date_type(element)
    info = root.find("study_design_info")
    if info is None:
        return
    design = record.design
    design.allocation = study.word(info, "allocation", legacy.ALLOCATIONS)
    design.intervention_model = study.word(info, "intervention_model", legacy.INTERVENTION_MODELS)
    design.intervention_model_description = study.block(info, "intervention_model_description")
    design.primary_purpose = study.word(info, "primary_purpose", legacy.PRIMARY_PURPOSES)
    design.observational_model = study.word(info, "observational_model", legacy.OBSERVATIONAL_MODELS)
    design.time_perspective = study.word(info, "time_perspective", legacy.TIME_PERSPECTIVES)
    design.masking_description = study.block(info, "masking_description")
    element, written = study.value(info, "masking")
    if element is not None and written is not None:
        masking = legacy.masking(written)
        if masking is None:
            who = legacy.WHO_MASKED.expected().removeprefix("one of ")
            expected = f"{legacy.MASKINGS.expected()}, the last four followed by who is masked ({who})"
            study.error(element, f"{written!r} is not known; expected {expected}")
        else:
            design.masking, design.who_masked = masking


def _arms(study: _Study, record: TrialRecord) -> None:
    arm_labels: dict[str, int] = {}
    for n, element in enumerate(study.root.iterchildren("arm_group")):
        label = study.text(element, "arm_group_label")
        if label is None:
            where = f"{study.path(element)}/arm_group_label"
            study.error(element, "missing; every arm group needs its label", where)
            continue
        if label in arm_labels:
            study.error(element.find("arm_group_label"), f"arm group label {label!r} appears twice")
            continue
        arm_labels[label] = len(record.arms)
        arm_type = study.word(element, "arm_group_type", legacy.ARM_TYPES)
        description = study.text(element, "description")
        record.arms.append(Arm(label, arm_type, description, field=f"armGroups[{n}]"))
    for n, element in enumerate(study.root.iterchildren("intervention")):
        name = study.text(element, "intervention_name")
        if name is None:
            where = f"{study.path(element)}/intervention_name"
            study.error(element, "missing; every intervention needs its name", where)
            continue
        position = len(record.interventions)
        record.interventions.append(
            Intervention(
                name,
                study.word(element, "intervention_type", legacy.INTERVENTION_TYPES),
                study.text(element, "description"),
                study.texts(element, "other_name"),
                field=f"interventions[{n}]",
            )
        )
        for label_element in element.iterchildren("arm_group_label"):
            label = _plain("".join(label_element.itertext()))
            if label is None:
                continue
            if label in arm_labels:
                record.arms[arm_labels[label]].interventions.append(position)
            else:
                where = study.path(label_element)
                study.report.warning(
                    label_element.sourceline or 1, f"{where}: no arm group is labelled {label!r}"
                )


def _eligibility(study: _Study, record: TrialRecord) -> None:
    module = study.root.find("eligibility")
    if module is None:
        return
    eligibility = record.eligibility
    criteria = study.block(module, "criteria/textblock")
    if criteria:
        eligibility.criteria = criteria
        (
            eligibility.inclusion,
            eligibility.exclusion,
            eligibility.inclusion_groups,
            eligibility.exclusion_groups,
        ) = split_criteria(criteria)
    eligibility.minimum_age = study.age(module, "minimum_age")
    eligibility.maximum_age = study.age(module, "maximum_age")
    eligibility.sex = study.word(module, "gender", legacy.SEXES)
    element, written = study.value(module, "healthy_volunteers")
    if element is not None and written is not None:
        if written in legacy.HEALTHY_VOLUNTEERS:
            eligibility.healthy_volunteers = legacy.HEALTHY_VOLUNTEERS[written]
        else:
            expected = ", ".join(repr(word) for word in sorted(legacy.HEALTHY_VOLUNTEERS))
            study.error(element, f"{written!r} is not known; expected one of {expected}")
    eligibility.study_population = study.block(module, "study_pop/textblock")
    eligibility.sampling_method = study.word(module, "sampling_method", legacy.SAMPLING_METHODS)


def _person(study: _Study, element: Element) -> str | None:
    """A person's name as the registry shows it: the name parts, then ", " and degrees."""
    parts = [study.text(element, tag) for tag in ("first_name", "middle_name", "last_name")]
    name = " ".join(part for part in parts if part)
    degrees = study.text(element, "degrees")
    name = f"{name}, {degrees}" if name and degrees else name
    return None if not name or name == REDACTED else name


def _people_and_places(study: _Study, record: TrialRecord) -> None:
    for n, element in enumerate(study.root.iterchildren("overall_official")):
        if name := _person(study, element):
            role = study.word(element, "role", legacy.OFFICIAL_ROLES)
            affiliation = study.name(element, "affiliation")
            record.officials.append(Official(name, role, affiliation, f"overallOfficials[{n}]"))
    for n, element in enumerate(study.root.iterchildren("location")):
        address = element.find("facility/address")
        location = Location(
            facility=study.name(element, "facility/name"),
            status=study.word(element, "status", legacy.RECRUITMENT_STATUSES),
            field=f"locations[{n}]",
        )
        if address is not None:
            location.city = study.text(address, "city") or ""
            location.state = study.text(address, "state") or ""
            location.zip = study.text(address, "zip")
            location.country = study.text(address, "country") or ""
        for m, person in enumerate(element.iterchildren("investigator")):
            if name := _person(study, person):
                role = study.word(person, "role", legacy.OFFICIAL_ROLES)
                field = f"{location.field}.investigators[{m}]"
                location.investigators.append(Official(name, role, location.facility, field))
        record.locations.append(location)
    countries = study.root.find("location_countries")
    if countries is not None:
        record.countries = list(dict.fromkeys(study.texts(countries, "country")))
    for location in record.locations:
        if location.country and location.country not in record.countries:
            record.countries.append(location.country)
