"""A typed study (:mod:`graph.read.registry.shapes`) made into its :class:`TrialRecord`: the same
record :func:`graph.read.registry.study.parse_study` makes of the same JSON, in a fraction of the
time, as the types are already checked.

It takes only a study the general way finds nothing wrong with: where that would report an error
or a warning (an unknown enum word, an unreadable date, an arm without a label ...), it raises
:class:`Untyped` instead, and the study is read the general way, whose message names the JSON
path. So it never reports anything itself, and a record it makes equals the general way's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from graph import vocabulary as words
from graph.errors import Report
from graph.keys import MESH_ID, mesh_id
from graph.model import (
    LARGEST_COUNT,
    Arm,
    Identifier,
    Intervention,
    Location,
    MeshTerm,
    Official,
    Source,
    Sponsor,
    TrialRecord,
)
from graph.read.registry import shapes
from graph.read.registry.fields import DATE
from graph.read.registry.files import decode_json
from graph.read.registry.study import NCT_FORM, parse_study
from graph.read.text.criteria import age_in_years, split_criteria
from graph.read.text.plain import clean


class Untyped(Exception):
    """The study has something the general way reports: it is read that way."""


def typed_record(study: shapes.Study, source: Source) -> TrialRecord:
    """The record of a typed study; :class:`Untyped` where the general way reports a problem."""
    protocol = study.protocol_section or _PROTOCOL
    identification = protocol.identification_module or _IDENTIFICATION
    nct_id = _string(identification.nct_id)
    if nct_id is None or not NCT_FORM.match(nct_id):
        raise Untyped
    record = TrialRecord(nct_id=nct_id, source=source)
    record.brief_title = clean(identification.brief_title)
    record.official_title = clean(identification.official_title)
    record.acronym = clean(identification.acronym)
    organization = identification.organization or _ORGANIZATION
    record.organization = clean(organization.full_name)
    record.organization_class = _enum(organization.agency_class, words.AGENCY_CLASSES)
    _identifiers(record, identification)
    _status(record, protocol.status_module or _STATUS)
    _sponsors(record, protocol.sponsor_collaborators_module or _SPONSORS)
    description = protocol.description_module or _DESCRIPTION
    record.brief_summary = clean(description.brief_summary)
    record.detailed_description = clean(description.detailed_description)
    conditions = protocol.conditions_module or _CONDITIONS
    record.conditions = _texts(conditions.conditions)
    record.keywords = _texts(conditions.keywords)
    _design(record, protocol.design_module or _DESIGN)
    _arms(record, protocol.arms_interventions_module or _ARMS)
    _eligibility(record, protocol.eligibility_module or _ELIGIBILITY)
    _people_and_places(record, protocol.contacts_locations_module or _CONTACTS)
    record.has_results = study.has_results
    derived = study.derived_section
    if derived is not None and derived.condition_browse_module is not None:
        _condition_browse(record, derived.condition_browse_module)
    return record


def typed_study(study: shapes.Study, text: str, source: Source, report: Report) -> TrialRecord | None:
    """The record of a typed ``study`` decoded from JSON ``text`` (found at ``source.json_path``);
    read from ``text`` the general way (:func:`~graph.read.registry.study.parse_study`) if the
    typed way cannot take it."""
    try:
        return typed_record(study, source)
    except Untyped:
        value, checked = decode_json(text)
        return parse_study(value, source.json_path or "$", source, report, checked)


# -- values, as :class:`graph.read.registry.fields.Fields` reads them ------------------------


def _string(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _texts(values: list[str] | None) -> list[str]:
    if not values:
        return []
    return [text for value in values if (text := clean(value))]


def _enum(value: str | None, vocabulary: frozenset[str]) -> str | None:
    value = _string(value)
    if value is not None and value not in vocabulary:
        raise Untyped
    return value


def _enums(values: list[str] | None, vocabulary: frozenset[str]) -> list[str]:
    found = _texts(values)
    if any(value not in vocabulary for value in found):
        raise Untyped
    return found


def _date(value: str | None) -> str | None:
    value = _string(value)
    if value is not None and not DATE.match(value):
        raise Untyped
    return value


def _age(value: str | None) -> str | None:
    value = _string(value)
    if value is not None and age_in_years(value) is None:
        raise Untyped
    return value


def _count(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= LARGEST_COUNT:
        raise Untyped
    return value


def _number(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise Untyped
    return value


# -- the record's parts, as :mod:`graph.read.registry.study` reads them ------------------------


def _identifiers(record: TrialRecord, identification: shapes.Identification) -> None:
    org_study = identification.org_study_id_info
    if org_study is not None and (value := _string(org_study.id)):
        kind = _enum(org_study.type, words.ORG_STUDY_ID_TYPES)
        record.identifiers.append(Identifier(value, "org_study_id", kind, link=_string(org_study.link)))
    for secondary in identification.secondary_id_infos or ():
        if value := _string(secondary.id):
            record.identifiers.append(
                Identifier(
                    value,
                    "secondary_id",
                    _enum(secondary.type, words.SECONDARY_ID_TYPES),
                    clean(secondary.domain),
                    _string(secondary.link),
                )
            )


def _status(record: TrialRecord, status: shapes.Status) -> None:
    record.status = _enum(status.overall_status, words.STATUSES)
    record.last_known_status = _enum(status.last_known_status, words.STATUSES)
    record.why_stopped = clean(status.why_stopped)
    record.status_verified = _date(status.status_verified_date)
    start = status.start_date_struct or _DATE
    record.start_date, record.start_date_type = _date(start.date), _enum(start.type, words.DATE_TYPES)
    primary = status.primary_completion_date_struct or _DATE
    record.primary_completion_date = _date(primary.date)
    record.primary_completion_date_type = _enum(primary.type, words.DATE_TYPES)
    completion = status.completion_date_struct or _DATE
    record.completion_date = _date(completion.date)
    record.completion_date_type = _enum(completion.type, words.DATE_TYPES)
    record.first_submitted = _date(status.study_first_submit_date)
    record.first_posted = _date((status.study_first_post_date_struct or _POST_DATE).date)
    record.last_updated = _date((status.last_update_post_date_struct or _POST_DATE).date)


def _sponsors(record: TrialRecord, module: shapes.Sponsors) -> None:
    lead = module.lead_sponsor
    if lead is not None and (name := clean(lead.name)):
        record.sponsors.append(
            Sponsor(name, "LEAD", _enum(lead.agency_class, words.AGENCY_CLASSES), "leadSponsor")
        )
    for n, collaborator in enumerate(module.collaborators or ()):
        if name := clean(collaborator.name):
            agency = _enum(collaborator.agency_class, words.AGENCY_CLASSES)
            record.sponsors.append(Sponsor(name, "COLLABORATOR", agency, f"collaborators[{n}]"))
    party = module.responsible_party or _PARTY
    responsible = record.responsible_party
    responsible.type = _enum(party.type, words.RESPONSIBLE_PARTY_TYPES)
    responsible.investigator_name = clean(party.investigator_full_name)
    responsible.investigator_title = clean(party.investigator_title)
    responsible.investigator_affiliation = clean(party.investigator_affiliation)


def _design(record: TrialRecord, module: shapes.Design) -> None:
    record.study_type = _enum(module.study_type, words.STUDY_TYPES)
    record.phases = _enums(module.phases, words.PHASES)
    enrollment = module.enrollment_info or _ENROLLMENT
    record.enrollment = _count(enrollment.count)
    record.enrollment_type = _enum(enrollment.type, words.DATE_TYPES)
    info = module.design_info or _DESIGN_INFO
    design = record.design
    design.allocation = _enum(info.allocation, words.ALLOCATIONS)
    design.intervention_model = _enum(info.intervention_model, words.INTERVENTION_MODELS)
    design.intervention_model_description = clean(info.intervention_model_description)
    design.primary_purpose = _enum(info.primary_purpose, words.PRIMARY_PURPOSES)
    design.observational_model = _enum(info.observational_model, words.OBSERVATIONAL_MODELS)
    design.time_perspective = _enum(info.time_perspective, words.TIME_PERSPECTIVES)
    masking = info.masking_info or _MASKING
    design.masking = _enum(masking.masking, words.MASKINGS)
    design.masking_description = clean(masking.masking_description)
    design.who_masked = _enums(masking.who_masked, words.WHO_MASKED)


def _arms(record: TrialRecord, module: shapes.Arms) -> None:
    arm_labels: dict[str, int] = {}
    arm_groups = module.arm_groups or []
    for n, group in enumerate(arm_groups):
        label = clean(group.label)
        if label is None or label in arm_labels:
            raise Untyped  # an arm group without its label, or a label given twice
        arm_labels[label] = len(record.arms)
        kind = _enum(group.type, words.ARM_TYPES)
        record.arms.append(Arm(label, kind, clean(group.description), field=f"armGroups[{n}]"))
    linked_by_label = False
    for n, entry in enumerate(module.interventions or ()):
        name = clean(entry.name)
        if name is None:
            raise Untyped  # an intervention without its name
        position = len(record.interventions)
        record.interventions.append(
            Intervention(
                name,
                _enum(entry.type, words.INTERVENTION_TYPES),
                clean(entry.description),
                _texts(entry.other_names),
                field=f"interventions[{n}]",
            )
        )
        for label in _texts(entry.arm_group_labels):
            linked_by_label = True
            if label not in arm_labels:
                raise Untyped  # a label no arm group has: a warning
            record.arms[arm_labels[label]].interventions.append(position)
    if not linked_by_label:
        _link_by_intervention_names(record, arm_groups)


def _link_by_intervention_names(record: TrialRecord, arm_groups: Sequence[shapes.ArmGroup]) -> None:
    by_name: dict[str, list[int]] = {}
    for position, intervention in enumerate(record.interventions):
        by_name.setdefault(intervention.name, []).append(position)
    for arm, group in zip(record.arms, arm_groups, strict=True):  # every group made its arm
        for written in _texts(group.intervention_names):
            positions = by_name.get(written.split(": ", 1)[-1], [])
            if len(positions) != 1:
                raise Untyped  # names no single intervention: a warning
            if positions[0] not in arm.interventions:
                arm.interventions.append(positions[0])


def _eligibility(record: TrialRecord, module: shapes.Eligibility) -> None:
    eligibility = record.eligibility
    criteria = _string(module.eligibility_criteria)
    if criteria:
        eligibility.criteria = clean(criteria)
        (
            eligibility.inclusion,
            eligibility.exclusion,
            eligibility.inclusion_groups,
            eligibility.exclusion_groups,
        ) = split_criteria(criteria)
    eligibility.minimum_age = _age(module.minimum_age)
    eligibility.maximum_age = _age(module.maximum_age)
    eligibility.sex = _enum(module.sex, words.SEXES)
    eligibility.healthy_volunteers = module.healthy_volunteers
    eligibility.standard_ages = _enums(module.std_ages, words.STANDARD_AGES)
    eligibility.study_population = clean(module.study_population)
    eligibility.sampling_method = _enum(module.sampling_method, words.SAMPLING_METHODS)


def _people_and_places(record: TrialRecord, module: shapes.ContactsLocations) -> None:
    for n, official in enumerate(module.overall_officials or ()):
        if name := clean(official.name):
            role = _enum(official.role, words.OFFICIAL_ROLES)
            record.officials.append(
                Official(name, role, clean(official.affiliation), f"overallOfficials[{n}]")
            )
    countries = record.countries
    for n, site in enumerate(module.locations or ()):
        location = Location(
            facility=clean(site.facility),
            city=clean(site.city) or "",
            state=clean(site.state) or "",
            country=clean(site.country) or "",
            zip=_string(site.zip),
            status=_enum(site.status, words.RECRUITMENT_STATUSES),
            field=f"locations[{n}]",
        )
        point = site.geo_point
        if point is not None:
            location.latitude, location.longitude = _number(point.lat), _number(point.lon)
            if (location.latitude is None) != (location.longitude is None):
                raise Untyped  # a geoPoint needs both
        for m, contact in enumerate(site.contacts or ()):
            role = _enum(contact.role, words.CONTACT_ROLES)
            name = clean(contact.name)
            if name and role in words.OFFICIAL_ROLES:
                location.investigators.append(
                    Official(name, role, location.facility, f"{location.field}.contacts[{m}]")
                )
        record.locations.append(location)
        if location.country and location.country not in countries:
            countries.append(location.country)


def _condition_browse(record: TrialRecord, module: shapes.ConditionBrowse) -> None:
    found_as: dict[str, list[str]] = {}
    for leaf in module.browse_leaves or ():
        name, text = clean(leaf.name), clean(leaf.as_found)
        if name and text and text not in found_as.setdefault(name, []):
            found_as[name].append(text)
    for terms, into, leaves in (
        (module.meshes, record.condition_meshes, found_as),
        (module.ancestors, record.condition_ancestors, {}),
    ):
        seen: set[str] = set()
        for term in terms or ():
            written, name = _string(term.id), clean(term.term)
            if written is None or name is None:
                continue
            if not MESH_ID.match(written):
                raise Untyped
            canonical = mesh_id(written)
            if canonical not in seen:
                seen.add(canonical)
                into.append(MeshTerm(canonical, name, leaves.get(name, [])))


# Each absent module read as an empty one, as the general way reads it.
_PROTOCOL = shapes.Protocol()
_IDENTIFICATION = shapes.Identification()
_ORGANIZATION = shapes.Organization()
_STATUS = shapes.Status()
_DATE = shapes.DateStruct()
_POST_DATE = shapes.PostDate()
_SPONSORS = shapes.Sponsors()
_PARTY = shapes.ResponsibleParty()
_DESCRIPTION = shapes.Description()
_CONDITIONS = shapes.Conditions()
_DESIGN = shapes.Design()
_ENROLLMENT = shapes.Enrollment()
_DESIGN_INFO = shapes.DesignInfo()
_MASKING = shapes.Masking()
_ARMS = shapes.Arms()
_ELIGIBILITY = shapes.Eligibility()
_CONTACTS = shapes.ContactsLocations()
