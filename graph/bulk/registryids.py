"""Node ids of the sites, interventions and arms a registry study lists, as
:mod:`graph.build.entityids` makes them record by record, made in columns: the product's own
functions called once per distinct value (:func:`per_distinct`), per listing only for a site
merged with nothing, and per trial only for a trial listing two interventions of one key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from graph.build.anonymized import is_anonymized
from graph.build.entityids import intervention_ids, site_id
from graph.bulk.placed import NCT_ID
from graph.keys import lookup_key, slug
from graph.model import Intervention, Location, NodeKind, Source, TrialRecord


def per_distinct(values: pl.Series, make: Callable[[Any], Any], dtype: pl.DataType) -> pl.Series:
    """``make`` of each value, called once per distinct value; ``null`` stays ``null``."""
    distinct = values.drop_nulls().unique()
    made = pl.Series([make(value) for value in distinct.to_list()], dtype=dtype)
    return values.replace_strict(distinct, made, default=None, return_dtype=dtype)


def with_site_ids(sites: pl.DataFrame) -> pl.DataFrame:
    """Sites with their node ids (``site``), the keys placing a named facility (``facility_key``,
    ``city_key``) and whether it is ``anonymized``, from :func:`graph.build.entityids.site_id`
    once per distinct facility, city, country and zip (and trial and position, for a listing
    merged with nothing)."""
    anonymized = per_distinct(sites["facility"], is_anonymized, pl.Boolean()).fill_null(False)
    postal = per_distinct(sites["zip"], lookup_key, pl.String()).fill_null("")
    alone = sites["facility"].is_null() | (anonymized & (postal == ""))
    listed = sites.select(
        pl.col("facility").fill_null(""),
        "city",
        "country",
        pl.col("zip").fill_null(""),
        pl.when(alone).then(NCT_ID.str.to_lowercase()).otherwise(pl.lit("")).alias("alone_in"),
        pl.when(alone).then(pl.col("position")).otherwise(0).alias("alone_at"),
    )
    distinct = listed.unique(maintain_order=True)
    made = [
        site_id(Location(facility, city, country=country, zip=code), trial, position)
        for facility, city, country, code, trial, position in distinct.iter_rows()
    ]
    ids = distinct.with_columns(
        pl.Series("site", [node for node, _ in made], dtype=pl.String),
        pl.Series("facility_key", [keys[0] if keys else None for _, keys in made], dtype=pl.String),
        pl.Series("city_key", [keys[1] if keys else None for _, keys in made], dtype=pl.String),
    )
    found = listed.join(ids, on=listed.columns, how="left", maintain_order="left")
    return sites.with_columns(
        *found.select("site", "facility_key", "city_key"), anonymized.alias("anonymized")
    )


def with_intervention_ids(interventions: pl.DataFrame) -> pl.DataFrame:
    """Interventions with their node ids (``intervention``), as
    :func:`graph.build.entityids.intervention_ids` makes them: once per distinct type and name,
    or trial by trial where a trial lists two of one key."""
    names = per_distinct(interventions["name"], lookup_key, pl.String())
    keyed = interventions.with_columns(
        names.alias("name_key"), pl.col("type").str.to_lowercase().alias("type_key")
    )
    repeated = pl.len().over("trial_index", "type_key", "name_key") > 1
    keyed = keyed.with_columns(repeated.any().over("trial_index").alias("repeated"))
    pairs = keyed.select("type", "name").unique(maintain_order=True)
    alone = [
        intervention_ids(TrialRecord("", Source(""), interventions=[Intervention(name, kind)]))[0]
        for kind, name in pairs.iter_rows()
    ]
    pairs = pairs.with_columns(pl.Series("intervention", alone, dtype=pl.String))
    keyed = keyed.join(pairs, on=["type", "name"], how="left", nulls_equal=True, maintain_order="left")
    told_apart: list[str] = []
    repeats = keyed.filter("repeated")
    for trial in repeats.partition_by("trial_index", maintain_order=True):
        listed = [
            Intervention(name, kind, description)
            for name, kind, description in trial.select("name", "type", "description").iter_rows()
        ]
        told_apart += intervention_ids(TrialRecord(trial["nct_id"][0], Source(""), interventions=listed))
    if not told_apart:
        return keyed
    ids = repeats.select("trial_index", "position", pl.Series("told_apart", told_apart, dtype=pl.String))
    keyed = keyed.join(ids, on=["trial_index", "position"], how="left", maintain_order="left")
    return keyed.with_columns(pl.coalesce("told_apart", "intervention").alias("intervention"))


def with_arm_ids(arms: pl.DataFrame) -> pl.DataFrame:
    """Arms with their node ids (``arm``), as :func:`graph.build.entityids.arm_ids` makes them:
    of the trial and the label's key, and the position where an earlier arm's label has that
    key."""
    key = per_distinct(arms["label"], lambda label: slug(lookup_key(label)), pl.String())
    node = f"{NodeKind.ARM.value}:" + NCT_ID.str.to_lowercase() + "--" + key
    arms = arms.with_columns(node.alias("arm"))
    return arms.with_columns(
        pl.when(pl.int_range(pl.len()).over("trial_index", "arm") > 0)
        .then(pl.col("arm") + "--" + pl.col("position").cast(pl.String))
        .otherwise(pl.col("arm"))
    )
