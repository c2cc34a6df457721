"""The registry's enum words (ClinicalTrials.gov API v2, spec 2.0.5), which pages use too.

Parsers check values against these sets, so an unknown word is reported with the words
that were expected instead of reaching the graph.
"""

from __future__ import annotations

STATUSES = frozenset(
    {
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
        "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE",
        "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN",
    }
)  # fmt: skip
RECRUITMENT_STATUSES = frozenset(
    {
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
        "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE",
    }
)  # fmt: skip
PHASES = frozenset({"NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4"})
STUDY_TYPES = frozenset({"EXPANDED_ACCESS", "INTERVENTIONAL", "OBSERVATIONAL"})
ALLOCATIONS = frozenset({"RANDOMIZED", "NON_RANDOMIZED", "NA"})
INTERVENTION_MODELS = frozenset({"SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL"})
PRIMARY_PURPOSES = frozenset(
    {
        "TREATMENT", "PREVENTION", "DIAGNOSTIC", "ECT", "SUPPORTIVE_CARE", "SCREENING",
        "HEALTH_SERVICES_RESEARCH", "BASIC_SCIENCE", "DEVICE_FEASIBILITY", "OTHER",
    }
)  # fmt: skip
OBSERVATIONAL_MODELS = frozenset(
    {
        "COHORT", "CASE_CONTROL", "CASE_ONLY", "CASE_CROSSOVER", "ECOLOGIC_OR_COMMUNITY",
        "FAMILY_BASED", "DEFINED_POPULATION", "NATURAL_HISTORY", "OTHER",
    }
)  # fmt: skip
TIME_PERSPECTIVES = frozenset({"RETROSPECTIVE", "PROSPECTIVE", "CROSS_SECTIONAL", "OTHER"})
MASKINGS = frozenset({"NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"})
WHO_MASKED = frozenset({"PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR"})
DATE_TYPES = frozenset({"ACTUAL", "ESTIMATED"})
ARM_TYPES = frozenset(
    {
        "EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR",
        "NO_INTERVENTION", "OTHER",
    }
)  # fmt: skip
INTERVENTION_TYPES = frozenset(
    {
        "BEHAVIORAL", "BIOLOGICAL", "COMBINATION_PRODUCT", "DEVICE", "DIAGNOSTIC_TEST",
        "DIETARY_SUPPLEMENT", "DRUG", "GENETIC", "PROCEDURE", "RADIATION", "OTHER",
    }
)  # fmt: skip
OFFICIAL_ROLES = frozenset({"STUDY_CHAIR", "STUDY_DIRECTOR", "PRINCIPAL_INVESTIGATOR", "SUB_INVESTIGATOR"})
CONTACT_ROLES = OFFICIAL_ROLES | {"CONTACT"}
AGENCY_CLASSES = frozenset(
    {"NIH", "FED", "OTHER_GOV", "INDIV", "INDUSTRY", "NETWORK", "AMBIG", "OTHER", "UNKNOWN"}
)
SPONSOR_ROLES = frozenset({"LEAD", "COLLABORATOR"})
RESPONSIBLE_PARTY_TYPES = frozenset({"SPONSOR", "PRINCIPAL_INVESTIGATOR", "SPONSOR_INVESTIGATOR"})
SEXES = frozenset({"FEMALE", "MALE", "ALL"})
STANDARD_AGES = frozenset({"CHILD", "ADULT", "OLDER_ADULT"})
SAMPLING_METHODS = frozenset({"PROBABILITY_SAMPLE", "NON_PROBABILITY_SAMPLE"})
ORG_STUDY_ID_TYPES = frozenset({"NIH", "FDA", "VA", "CDC", "AHRQ", "SAMHSA"})
SECONDARY_ID_TYPES = ORG_STUDY_ID_TYPES | {
    "OTHER_GRANT", "EUDRACT_NUMBER", "CTIS", "REGISTRY", "OTHER",
}  # fmt: skip
IDENTIFIER_SOURCES = frozenset({"org_study_id", "secondary_id"})


def expected(words: frozenset[str]) -> str:
    """Render a vocabulary for an error message.

    >>> expected(frozenset({"B", "A"}))
    'one of A, B'
    """
    return "one of " + ", ".join(sorted(words))
