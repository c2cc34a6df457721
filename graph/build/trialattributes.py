"""A trial node's own attributes, from its record: titles, status, dates, design, eligibility,
identifiers and provenance, as the graph stores them (str, int, float or bool; lists joined)."""

from __future__ import annotations

from typing import Any

from graph.model import NodeKind, Source, TrialRecord, joined
from graph.read.text.criteria import age_in_years


def trial_attributes(record: TrialRecord, sources: list[Source]) -> dict[str, Any]:
    """A trial node's attributes: everything the record states of the trial itself, lists
    joined (:func:`graph.model.joined`), absent values left out, and where it was read."""
    design, eligibility, party = record.design, record.eligibility, record.responsible_party
    org_ids = [i for i in record.identifiers if i.source == "org_study_id"]
    secondary = [i for i in record.identifiers if i.source == "secondary_id"]
    attributes: dict[str, Any] = {
        "kind": NodeKind.TRIAL.value,
        "nctId": record.nct_id,
        "title": record.brief_title,
        "officialTitle": record.official_title,
        "acronym": record.acronym,
        "status": record.status,
        "lastKnownStatus": record.last_known_status,
        "whyStopped": record.why_stopped,
        "phases": joined(record.phases),
        "studyType": record.study_type,
        "enrollment": record.enrollment,
        "enrollmentType": record.enrollment_type,
        "startDate": record.start_date,
        "startDateType": record.start_date_type,
        "primaryCompletionDate": record.primary_completion_date,
        "primaryCompletionDateType": record.primary_completion_date_type,
        "completionDate": record.completion_date,
        "completionDateType": record.completion_date_type,
        "firstSubmitted": record.first_submitted,
        "firstPosted": record.first_posted,
        "lastUpdated": record.last_updated,
        "statusVerified": record.status_verified,
        "hasResults": record.has_results,
        "briefSummary": record.brief_summary,
        "detailedDescription": record.detailed_description,
        "keywords": joined(record.keywords),
        "allocation": design.allocation,
        "interventionModel": design.intervention_model,
        "interventionModelDescription": design.intervention_model_description,
        "observationalModel": design.observational_model,
        "timePerspective": design.time_perspective,
        "primaryPurpose": design.primary_purpose,
        "masking": design.masking,
        "maskingDescription": design.masking_description,
        "whoMasked": joined(design.who_masked),
        "eligibilityCriteria": eligibility.criteria,
        "inclusionCriteria": joined(eligibility.inclusion),
        "exclusionCriteria": joined(eligibility.exclusion),
        # Each item's sub-heading, "" where it has none; absent where no item has one.
        "inclusionCriteriaGroups": joined(eligibility.inclusion_groups)
        if any(eligibility.inclusion_groups)
        else None,
        "exclusionCriteriaGroups": joined(eligibility.exclusion_groups)
        if any(eligibility.exclusion_groups)
        else None,
        "minimumAge": eligibility.minimum_age,
        "minimumAgeYears": age_in_years(eligibility.minimum_age) if eligibility.minimum_age else None,
        "maximumAge": eligibility.maximum_age,
        "maximumAgeYears": age_in_years(eligibility.maximum_age) if eligibility.maximum_age else None,
        "sex": eligibility.sex,
        "healthyVolunteers": eligibility.healthy_volunteers,
        "standardAges": joined(eligibility.standard_ages),
        "studyPopulation": eligibility.study_population,
        "samplingMethod": eligibility.sampling_method,
        "responsiblePartyType": party.type,
        "responsiblePartyInvestigator": party.investigator_name,
        "responsiblePartyInvestigatorTitle": party.investigator_title,
        "responsiblePartyAffiliation": party.investigator_affiliation,
        "organization": record.organization,
        "organizationClass": record.organization_class,
        "orgStudyId": org_ids[0].value if org_ids else None,
        "orgStudyIdType": org_ids[0].type if org_ids else None,
        "orgStudyIdLink": org_ids[0].link if org_ids else None,
        "secondaryIds": joined(i.value for i in secondary),
        "secondaryIdTypes": joined(i.type or "-" for i in secondary),
        "secondaryIdDomains": joined(i.domain or "-" for i in secondary)
        if any(i.domain for i in secondary)
        else None,
        "source": str(record.source),
        "sourceFormat": record.source.format,
        "sources": joined(str(source) for source in sources),
        "sourceDocuments": joined(sorted({source.path for source in sources})),
    }
    return {name: value for name, value in attributes.items() if value is not None and value != ""}
