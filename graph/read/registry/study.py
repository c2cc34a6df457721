"""ClinicalTrials.gov API v2 study objects (``STRUCTURE.md``): one study, one :class:`TrialRecord`.

The specification marks no field required and real records lack whole modules, so every
field is optional except the NCT ID; unknown keys are ignored. A field of the wrong type, an
unknown enum word or an unreadable date is an error at its JSON path.

This is the general way, for any study. A study with nothing to report is read the quick way
(:mod:`graph.read.registry.typedstudy`), which mirrors this module value by value: a change here
is a change there too, and ``tests/graph/test_typed_studies.py`` holds the two equal.
"""

from __future__ import annotations

import re
from typing import Any

from graph import vocabulary as words
from graph.errors import Report
from graph.keys import MESH_ID, mesh_id
from graph.model import (
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
from graph.read.registry.fields import Fields, json_type
from graph.read.text.criteria import split_criteria
from graph.read.text.plain import clean

NCT_FORM = re.compile(r"^NCT[0-9]{8}$")


def parse_study(
    value: Any, path: str, source: Source, report: Report, unicode_checked: bool = False
) -> TrialRecord | None:
    """Parse one study object found at ``path``; ``None`` if it has errors (in ``report``).
    ``unicode_checked``: its strings are known to hold no lone surrogate (not checked again)."""
    if not isinstance(value, dict) or "protocolSection" not in value:
        what = "an object without 'protocolSection'" if isinstance(value, dict) else json_type(value)
        report.error(
            path, f"not a ClinicalTrials.gov study: expected an object with 'protocolSection', got {what}"
        )
        return None
    reported = len(report.problems)
    study = Fields(value, path, report, unicode_checked)
    protocol = study.object("protocolSection")
    identification = protocol.object("identificationModule")
    nct_id = identification.string("nctId")
    if nct_id is None:
        if len(report.problems) == reported:  # else a wrong type on the way is the reason
            report.error(identification.at("nctId"), "missing; every study needs its NCT ID")
        return None
    if not NCT_FORM.match(nct_id):
        report.error(identification.at("nctId"), f"{nct_id!r} is not 'NCT' and 8 digits")
        return None
    record = TrialRecord(nct_id=nct_id, source=source)
    record.brief_title = identification.text("briefTitle")
    record.official_title = identification.text("officialTitle")
    record.acronym = identification.text("acronym")
    organization = identification.object("organization")
    record.organization = organization.text("fullName")
    record.organization_class = organization.enum("class", words.AGENCY_CLASSES)
    _identifiers(record, identification)
    _status(record, protocol.object("statusModule"))
    _sponsors(record, protocol.object("sponsorCollaboratorsModule"))
    description = protocol.object("descriptionModule")
    record.brief_summary = description.text("briefSummary")
    record.detailed_description = description.text("detailedDescription")
    conditions = protocol.object("conditionsModule")
    record.conditions = conditions.strings("conditions")
    record.keywords = conditions.strings("keywords")
    _design(record, protocol.object("designModule"))
    _arms(record, protocol.object("armsInterventionsModule"))
    _eligibility(record, protocol.object("eligibilityModule"))
    _people_and_places(record, protocol.object("contactsLocationsModule"))
    record.has_results = study.boolean("hasResults")
    _condition_browse(record, study.object("derivedSection").object("conditionBrowseModule"))
    return None if report.has_errors else record


def _condition_browse(record: TrialRecord, module: Fields) -> None:
    """The registry's MeSH terms for the conditions, their ancestors, and what each was found as."""
    found_as: dict[str, list[str]] = {}
    for leaf in module.objects("browseLeaves"):
        name, text = leaf.text("name"), leaf.text("asFound")
        if name and text and text not in found_as.setdefault(name, []):
            found_as[name].append(text)
    for key, into in (("meshes", record.condition_meshes), ("ancestors", record.condition_ancestors)):
        seen: set[str] = set()
        for term in module.objects(key):
            written, name = term.string("id"), term.text("term")
            if written is None or name is None:
                continue
            if not MESH_ID.match(written):
                term.report.error(
                    term.at("id"), f"{written[:40]!r} is not a MeSH id; expected as in 'D003924'"
                )
                continue
            canonical = mesh_id(written)
            if canonical not in seen:
                seen.add(canonical)
                into.append(MeshTerm(canonical, name, found_as.get(name, []) if key == "meshes" else []))


def _identifiers(record: TrialRecord, identification: Fields) -> None:
    org_study = identification.object("orgStudyIdInfo")
    if value := org_study.string("id"):
        record.identifiers.append(
            Identifier(
                value,
                "org_study_id",
                org_study.enum("type", words.ORG_STUDY_ID_TYPES),
                link=org_study.string("link"),
            )
        )
    for secondary in identification.objects("secondaryIdInfos"):
        if value := secondary.string("id"):
            record.identifiers.append(
                Identifier(
                    value,
                    "secondary_id",
                    secondary.enum("type", words.SECONDARY_ID_TYPES),
                    secondary.text("domain"),
                    secondary.string("link"),
                )
            )


def _status(record: TrialRecord, status: Fields) -> None:
    record.status = status.enum("overallStatus", words.STATUSES)
    record.last_known_status = status.enum("lastKnownStatus", words.STATUSES)
    record.why_stopped = status.text("whyStopped")
    record.status_verified = status.date("statusVerifiedDate")
    start = status.object("startDateStruct")
    record.start_date, record.start_date_type = start.date("date"), start.enum("type", words.DATE_TYPES)
    primary = status.object("primaryCompletionDateStruct")
    record.primary_completion_date = primary.date("date")
    record.primary_completion_date_type = primary.enum("type", words.DATE_TYPES)
    completion = status.object("completionDateStruct")
    record.completion_date = completion.date("date")
    record.completion_date_type = completion.enum("type", words.DATE_TYPES)
    record.first_submitted = status.date("studyFirstSubmitDate")
    record.first_posted = status.object("studyFirstPostDateStruct").date("date")
    record.last_updated = status.object("lastUpdatePostDateStruct").date("date")


def _sponsors(record: TrialRecord, module: Fields) -> None:
    lead = module.object("leadSponsor")
    if name := lead.text("name"):
        record.sponsors.append(Sponsor(name, "LEAD", lead.enum("class", words.AGENCY_CLASSES), "leadSponsor"))
    for n, collaborator in enumerate(module.objects("collaborators")):
        if name := collaborator.text("name"):
            agency = collaborator.enum("class", words.AGENCY_CLASSES)
            record.sponsors.append(Sponsor(name, "COLLABORATOR", agency, f"collaborators[{n}]"))
    party = module.object("responsibleParty")
    responsible = record.responsible_party
    responsible.type = party.enum("type", words.RESPONSIBLE_PARTY_TYPES)
    responsible.investigator_name = party.text("investigatorFullName")
    responsible.investigator_title = party.text("investigatorTitle")
    responsible.investigator_affiliation = party.text("investigatorAffiliation")


def _design(record: TrialRecord, module: Fields) -> None:
    record.study_type = module.enum("studyType", words.STUDY_TYPES)
    record.phases = module.enums("phases", words.PHASES)
    enrollment = module.object("enrollmentInfo")
    record.enrollment = enrollment.integer("count")
    record.enrollment_type = enrollment.enum("type", words.DATE_TYPES)
    info = module.object("designInfo")
    design = record.design
    design.allocation = info.enum("allocation", words.ALLOCATIONS)
    design.intervention_model = info.enum("interventionModel", words.INTERVENTION_MODELS)
    design.intervention_model_description = info.text("interventionModelDescription")
    design.primary_purpose = info.enum("primaryPurpose", words.PRIMARY_PURPOSES)
    design.observational_model = info.enum("observationalModel", words.OBSERVATIONAL_MODELS)
    design.time_perspective = info.enum("timePerspective", words.TIME_PERSPECTIVES)
    masking = info.object("maskingInfo")
    design.masking = masking.enum("masking", words.MASKINGS)
    design.masking_description = masking.text("maskingDescription")
    design.who_masked = masking.enums("whoMasked", words.WHO_MASKED)


def _arms(record: TrialRecord, module: Fields) -> None:
    arm_labels: dict[str, int] = {}
    arm_fields = module.objects("armGroups")
    for n, arm in enumerate(arm_fields):
        label = arm.text("label")
        if label is None:
            module.report.error(arm.at("label"), "missing; every arm group needs its label")
            continue
        if label in arm_labels:
            module.report.error(arm.at("label"), f"arm group label {label!r} appears twice")
            continue
        arm_labels[label] = len(record.arms)
        record.arms.append(
            Arm(label, arm.enum("type", words.ARM_TYPES), arm.text("description"), field=f"armGroups[{n}]")
        )
    linked_by_label = False
    for n, entry in enumerate(module.objects("interventions")):
        name = entry.text("name")
        if name is None:
            module.report.error(entry.at("name"), "missing; every intervention needs its name")
            continue
        position = len(record.interventions)
        record.interventions.append(
            Intervention(
                name,
                entry.enum("type", words.INTERVENTION_TYPES),
                entry.text("description"),
                entry.strings("otherNames"),
                field=f"interventions[{n}]",
            )
        )
        for label in entry.strings("armGroupLabels"):
            linked_by_label = True
            if label in arm_labels:
                record.arms[arm_labels[label]].interventions.append(position)
            else:
                module.report.warning(entry.at("armGroupLabels"), f"no arm group is labelled {label!r}")
    if not linked_by_label:
        _link_by_intervention_names(record, arm_fields)


def _link_by_intervention_names(record: TrialRecord, arm_fields: list[Fields]) -> None:
    """Older records join arms to interventions only by ``"Type: name"`` strings on the arm."""
    by_name: dict[str, list[int]] = {}
    for position, intervention in enumerate(record.interventions):
        by_name.setdefault(intervention.name, []).append(position)
    arms = {arm.field: arm for arm in record.arms}
    for n, fields in enumerate(arm_fields):
        arm = arms.get(f"armGroups[{n}]")
        if arm is None:
            continue
        for written in fields.strings("interventionNames"):
            name = written.split(": ", 1)[-1]
            positions = by_name.get(name, [])
            if len(positions) == 1 and positions[0] not in arm.interventions:
                arm.interventions.append(positions[0])
            elif len(positions) != 1:
                fields.report.warning(
                    fields.at("interventionNames"), f"{written!r} names no single intervention"
                )


def _eligibility(record: TrialRecord, module: Fields) -> None:
    eligibility = record.eligibility
    criteria = module.string("eligibilityCriteria")
    if criteria:
        eligibility.criteria = clean(criteria)
        (
            eligibility.inclusion,
            eligibility.exclusion,
            eligibility.inclusion_groups,
            eligibility.exclusion_groups,
        ) = split_criteria(criteria)
    eligibility.minimum_age = module.age("minimumAge")
    eligibility.maximum_age = module.age("maximumAge")
    eligibility.sex = module.enum("sex", words.SEXES)
    eligibility.healthy_volunteers = module.boolean("healthyVolunteers")
    eligibility.standard_ages = module.enums("stdAges", words.STANDARD_AGES)
    eligibility.study_population = module.text("studyPopulation")
    eligibility.sampling_method = module.enum("samplingMethod", words.SAMPLING_METHODS)


def _people_and_places(record: TrialRecord, module: Fields) -> None:
    for n, official in enumerate(module.objects("overallOfficials")):
        if name := official.text("name"):
            role = official.enum("role", words.OFFICIAL_ROLES)
            record.officials.append(
                Official(name, role, official.text("affiliation"), f"overallOfficials[{n}]")
            )
    for n, site in enumerate(module.objects("locations")):
        location = Location(
            facility=site.text("facility"),
            city=site.text("city") or "",
            state=site.text("state") or "",
            country=site.text("country") or "",
            zip=site.string("zip"),
            status=site.enum("status", words.RECRUITMENT_STATUSES),
            field=f"locations[{n}]",
        )
        point = site.object("geoPoint")
        location.latitude, location.longitude = point.number("lat"), point.number("lon")
        if (location.latitude is None) != (location.longitude is None):
            site.report.error(point.path, "a geoPoint needs both lat and lon")
        for m, contact in enumerate(site.objects("contacts")):
            role = contact.enum("role", words.CONTACT_ROLES)
            name = contact.text("name")
            if name and role in words.OFFICIAL_ROLES:
                location.investigators.append(
                    Official(name, role, location.facility, f"{location.field}.contacts[{m}]")
                )
        record.locations.append(location)
        if location.country and location.country not in record.countries:
            record.countries.append(location.country)
