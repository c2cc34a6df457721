"""A registry study's own fields as frames: titles, organization, identifiers, status and dates,
design, description, keywords and eligibility, each value cleaned and checked as the per-record
reader makes it (:func:`graph.read.registry.typedstudy.typed_record`).

DuckDB selects every field of the table of studies (``s``) in one query; polars cleans the texts
(:mod:`graph.bulk.cleaning`), checks each word against its vocabulary, each date against the
registry's form (:data:`graph.read.registry.fields.DATE`) and the enrollment as a count, and
cleans the lists of words and texts exploded. Two things are done in Python, each once per
distinct value, not per study: an age is read by :func:`graph.read.text.criteria.age_in_years`
(a few hundred spellings), and the eligibility criteria are split into items by
:func:`graph.read.text.criteria.split_criteria` (almost every study has criteria of its own, so
that is about one call per study). A study with a value the per-record reader reports on is
marked ``untyped``.
"""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl

from graph import vocabulary as words
from graph.bulk.cleaning import cleaned, stripped, unknown
from graph.model import LARGEST_COUNT
from graph.read.registry.fields import DATE
from graph.read.text.criteria import age_in_years, split_criteria

_IDENTIFICATION = "identificationModule"
_STATUS = "statusModule"
_DESIGN = "designModule.designInfo"
_ELIGIBILITY = "eligibilityModule"
# Each field read, by its column, at its place under ``protocolSection``.
_TEXTS = {  # free text, cleaned as graph.read.text.plain.clean cleans it
    "brief_title": f"{_IDENTIFICATION}.briefTitle",
    "official_title": f"{_IDENTIFICATION}.officialTitle",
    "acronym": f"{_IDENTIFICATION}.acronym",
    "organization": f"{_IDENTIFICATION}.organization.fullName",
    "why_stopped": f"{_STATUS}.whyStopped",
    "brief_summary": "descriptionModule.briefSummary",
    "detailed_description": "descriptionModule.detailedDescription",
    "intervention_model_description": f"{_DESIGN}.interventionModelDescription",
    "masking_description": f"{_DESIGN}.maskingInfo.maskingDescription",
    "study_population": f"{_ELIGIBILITY}.studyPopulation",
}
_WORDS = {  # a word of a vocabulary, stripped
    "organization_class": (f"{_IDENTIFICATION}.organization.class", words.AGENCY_CLASSES),
    "status": (f"{_STATUS}.overallStatus", words.STATUSES),
    "last_known_status": (f"{_STATUS}.lastKnownStatus", words.STATUSES),
    "start_date_type": (f"{_STATUS}.startDateStruct.type", words.DATE_TYPES),
    "primary_completion_date_type": (f"{_STATUS}.primaryCompletionDateStruct.type", words.DATE_TYPES),
    "completion_date_type": (f"{_STATUS}.completionDateStruct.type", words.DATE_TYPES),
    "study_type": ("designModule.studyType", words.STUDY_TYPES),
    "enrollment_type": ("designModule.enrollmentInfo.type", words.DATE_TYPES),
    "allocation": (f"{_DESIGN}.allocation", words.ALLOCATIONS),
    "intervention_model": (f"{_DESIGN}.interventionModel", words.INTERVENTION_MODELS),
    "observational_model": (f"{_DESIGN}.observationalModel", words.OBSERVATIONAL_MODELS),
    "time_perspective": (f"{_DESIGN}.timePerspective", words.TIME_PERSPECTIVES),
    "primary_purpose": (f"{_DESIGN}.primaryPurpose", words.PRIMARY_PURPOSES),
    "masking": (f"{_DESIGN}.maskingInfo.masking", words.MASKINGS),
    "sex": (f"{_ELIGIBILITY}.sex", words.SEXES),
    "sampling_method": (f"{_ELIGIBILITY}.samplingMethod", words.SAMPLING_METHODS),
}
_DATES = {  # YYYY, YYYY-MM or YYYY-MM-DD, stripped
    "start_date": f"{_STATUS}.startDateStruct.date",
    "primary_completion_date": f"{_STATUS}.primaryCompletionDateStruct.date",
    "completion_date": f"{_STATUS}.completionDateStruct.date",
    "first_submitted": f"{_STATUS}.studyFirstSubmitDate",
    "first_posted": f"{_STATUS}.studyFirstPostDateStruct.date",
    "last_updated": f"{_STATUS}.lastUpdatePostDateStruct.date",
    "status_verified": f"{_STATUS}.statusVerifiedDate",
}
_AGES = {"minimum_age": f"{_ELIGIBILITY}.minimumAge", "maximum_age": f"{_ELIGIBILITY}.maximumAge"}
_LISTS = {  # lists of texts, each cleaned, blank ones left out; of words, all of a vocabulary
    "phases": ("designModule.phases", words.PHASES),
    "keywords": ("conditionsModule.keywords", None),
    "who_masked": (f"{_DESIGN}.maskingInfo.whoMasked", words.WHO_MASKED),
    "standard_ages": (f"{_ELIGIBILITY}.stdAges", words.STANDARD_AGES),
}
_OTHERS = {  # read as they are, or in a step of their own
    "enrollment": "designModule.enrollmentInfo.count",  # the JSON text of the number
    "healthy_volunteers": f"{_ELIGIBILITY}.healthyVolunteers",
    "criteria": f"{_ELIGIBILITY}.eligibilityCriteria",
    "org_study_id": f"{_IDENTIFICATION}.orgStudyIdInfo",
    "secondary_ids": f"{_IDENTIFICATION}.secondaryIdInfos",
}
_PATHS = _OTHERS | _TEXTS | _AGES | _DATES
_PATHS |= {name: path for name, (path, _) in (_WORDS | _LISTS).items()}
_SELECTED = (
    "select nct, "  # the NCT ID as the table of studies gives it, stripped
    + ", ".join(f"protocolSection.{path} as {name}" for name, path in _PATHS.items())
    + ", hasResults as has_results from s"
)
_CRITERIA = ("inclusion", "exclusion", "inclusion_groups", "exclusion_groups")
# The columns of ``trials``, named as TrialRecord, its Design and its Eligibility name them.
TRIAL_COLUMNS = (
    "nct", "brief_title", "official_title", "acronym", "organization", "organization_class",
    "status", "last_known_status", "why_stopped", "phases", "study_type", "enrollment",
    "enrollment_type", "start_date", "start_date_type", "primary_completion_date",
    "primary_completion_date_type", "completion_date", "completion_date_type", "first_submitted",
    "first_posted", "last_updated", "status_verified", "has_results", "brief_summary",
    "detailed_description", "keywords", "allocation", "intervention_model",
    "intervention_model_description", "observational_model", "time_perspective", "primary_purpose",
    "masking", "masking_description", "who_masked", "criteria", *_CRITERIA, "minimum_age",
    "maximum_age", "sex", "healthy_volunteers", "standard_ages", "study_population",
    "sampling_method",
)  # fmt: skip


def trial_fields(connection: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """The ``trials`` and ``identifiers`` frames (as :func:`graph.bulk.registryjson.read_registry_json`
    gives them) of the studies in DuckDB table ``s``, each row with ``untyped``, in the studies'
    order."""
    studies = pl.DataFrame(connection.sql(_SELECTED)).with_row_index("study")
    return {"trials": _trials(studies), "identifiers": _identifiers(studies)}


def _trials(studies: pl.DataFrame) -> pl.DataFrame:
    # The JSON text of an integer; that of a float ("12.5"), a string ('"12"') or a boolean, or
    # an integer past 64 bits, is not one: null.
    enrollment = studies["enrollment"].cast(pl.Int64, strict=False)
    wrong = [unknown(studies[name], vocabulary) for name, (_, vocabulary) in _WORDS.items()]
    wrong += [_undated(studies[name]) for name in _DATES] + [_ageless(studies[name]) for name in _AGES]
    wrong.append(
        studies["enrollment"].is_not_null() & ~enrollment.is_between(0, LARGEST_COUNT).fill_null(False)
    )
    frame = studies.with_columns(
        *(cleaned(studies[name]) for name in _TEXTS),
        *(stripped(studies[name]) for name in (*_WORDS, *_DATES, *_AGES)),
        enrollment,
        pl.any_horizontal(wrong).alias("untyped"),
    )
    for name, (_, vocabulary) in _LISTS.items():
        frame = _with_list(frame, name, vocabulary)
    frame = _with_criteria(frame)
    return frame.sort("study").select(*TRIAL_COLUMNS, "untyped")


def _undated(column: pl.Series) -> pl.Series:
    """Whether each value, stripped, is given and not a date the registry writes."""
    date = stripped(column)
    return date.is_not_null() & ~date.str.contains(DATE.pattern).fill_null(False)


def _ageless(column: pl.Series) -> pl.Series:
    """Whether each value, stripped, is given and not an age (``18 Years``): asked of
    :func:`~graph.read.text.criteria.age_in_years` once per distinct value."""
    age = stripped(column)
    unreadable = [written for written in age.drop_nulls().unique() if age_in_years(written) is None]
    return age.is_in(pl.Series(unreadable, dtype=pl.String).implode()).fill_null(False)


def _with_list(frame: pl.DataFrame, name: str, vocabulary: frozenset[str] | None) -> pl.DataFrame:
    """A list column with its texts cleaned and the blank ones left out; a study marked
    ``untyped`` where one is not of ``vocabulary``."""
    items = frame.select("study", name).explode(name).drop_nulls(name)
    items = items.with_columns(cleaned(items[name]))
    wrong = pl.lit(False) if vocabulary is None else unknown(items[name], vocabulary)
    listed = (
        items.with_columns(wrong.alias("wrong"))
        .group_by("study", maintain_order=True)
        .agg(pl.col(name).drop_nulls(), pl.col("wrong").any())
    )
    return (
        frame.drop(name)
        .join(listed, on="study", how="left", maintain_order="left")
        .with_columns(pl.col(name).fill_null([]), pl.col("untyped") | pl.col("wrong").fill_null(False))
        .drop("wrong")
    )


def _with_criteria(frame: pl.DataFrame) -> pl.DataFrame:
    """The criteria text cleaned, and its inclusion and exclusion items and their sub-headings:
    the text, stripped, split by :func:`~graph.read.text.criteria.split_criteria` once per
    distinct text."""
    written = stripped(frame["criteria"])
    distinct = written.drop_nulls().unique()
    split = [split_criteria(text) for text in distinct]
    items = distinct.to_frame("written").with_row_index("distinct")
    for part in ("inclusion", "exclusion"):
        # The items as flat columns, each with the number of its distinct text, gathered into lists by
        # polars: making list columns of Python's lists costs several times more.
        listed = [getattr(one, part) for one in split]
        flat = pl.DataFrame(
            {
                "distinct": np.repeat(np.arange(len(split), dtype=np.uint32), [len(one) for one in listed]),
                part: [item for one in listed for item in one],
                f"{part}_groups": [group for one in split for group in getattr(one, f"{part}_groups")],
            },
            schema={"distinct": pl.UInt32, part: pl.String, f"{part}_groups": pl.String},
        )
        gathered = flat.group_by("distinct", maintain_order=True).agg(pl.all())
        items = items.join(gathered, on="distinct", how="left")
    frame = frame.with_columns(written.alias("written"), cleaned(written).alias("criteria"))
    frame = frame.join(items, on="written", how="left")
    return frame.with_columns(pl.col(part).fill_null([]) for part in _CRITERIA)


def _identifiers(studies: pl.DataFrame) -> pl.DataFrame:
    """Each study's org study id, then its secondary ids: those with an id, its type checked."""
    org = (
        studies.select("study", "nct", pl.lit(-1, pl.Int64).alias("n"), "org_study_id")
        .unnest("org_study_id")
        .with_columns(pl.lit(None, pl.String).alias("domain"))
    )
    secondary = (
        studies.select("study", "nct", "secondary_ids")
        .explode("secondary_ids")
        .with_columns(pl.int_range(pl.len(), dtype=pl.Int64).over("study").alias("n"))
        .drop_nulls("secondary_ids")
        .unnest("secondary_ids")
    )
    found = []
    for ids, source, vocabulary in (
        (org, "org_study_id", words.ORG_STUDY_ID_TYPES),
        (secondary, "secondary_id", words.SECONDARY_ID_TYPES),
    ):
        ids = ids.select(
            "study",
            "nct",
            "n",
            stripped(ids["id"]).alias("id"),
            pl.lit(source).alias("source"),
            stripped(ids["type"]).alias("type"),
            cleaned(ids["domain"]).alias("domain"),
            stripped(ids["link"]).alias("link"),
            unknown(ids["type"], vocabulary).alias("untyped"),
        )
        found.append(ids.filter(pl.col("id").is_not_null()))
    return (
        pl.concat(found)
        .sort("study", "n")
        .with_columns(pl.int_range(pl.len()).over("study").alias("position"))
        .select("nct", "position", "id", "source", "type", "domain", "link", "untyped")
    )
