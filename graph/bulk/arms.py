"""A registry study's interventions and arms as frames (``nct`` and each one's place ``n`` in its
list, as DuckDB unnests them), cleaned as the per-record reader makes them
(:mod:`graph.read.registry.typedstudy`): each arm with the interventions it receives, linked by the
arm labels the interventions name where any does, else by the intervention names the arms give.
A study the per-record reader would report on is marked ``untyped``.
"""

from __future__ import annotations

import polars as pl

from graph import vocabulary as words
from graph.bulk.cleaning import cleaned, stripped, texts, unknown


def interventions_of(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(
        cleaned(frame["name"]).alias("name"),
        stripped(frame["type"]).alias("type"),
        cleaned(frame["description"]).alias("description"),
        pl.format("interventions[{}]", "n").alias("field"),
    )
    other = (
        texts(frame, ["nct", "n"], "otherNames")
        .group_by("nct", "n", maintain_order=True)
        .agg(pl.col("otherNames").sort_by("k").alias("other_names"))
    )
    frame = frame.join(other, on=["nct", "n"], how="left", maintain_order="left").with_columns(
        pl.col("other_names").fill_null([]),
        (pl.col("name").is_null() | unknown(frame["type"], words.INTERVENTION_TYPES)).alias("untyped"),
    )
    return (
        frame.sort("nct", "n")
        .rename({"n": "position"})
        .select("nct", "position", "name", "type", "description", "other_names", "field", "untyped")
    )


def arms_of(arms: pl.DataFrame, given: pl.DataFrame, interventions: pl.DataFrame) -> pl.DataFrame:
    """Arm groups, each with the interventions it receives: linked by the arm labels the
    interventions name where any does, else by the intervention names the arms give (``Type:
    Name`` or the name alone), each naming exactly one intervention."""
    arms = arms.with_columns(
        cleaned(arms["label"]).alias("label"),
        stripped(arms["type"]).alias("type"),
        cleaned(arms["description"]).alias("description"),
        pl.format("armGroups[{}]", "n").alias("field"),
    )
    untyped = arms.filter(
        pl.col("label").is_null()
        | pl.col("label").is_duplicated().over("nct")
        | unknown(arms["type"], words.ARM_TYPES)
    ).select("nct")
    labels = arms.select("nct", pl.col("n").alias("arm"), "label")
    # By label: each intervention's labels, in order, name arms.
    by_label = texts(given, ["nct", "n"], "armGroupLabels").join(
        labels,
        left_on=["nct", "armGroupLabels"],
        right_on=["nct", "label"],
        how="left",
        maintain_order="left",
    )
    untyped = pl.concat([untyped, by_label.filter(pl.col("arm").is_null()).select("nct")])
    labelled = by_label.select("nct").unique()
    linked_by_label = (
        by_label.drop_nulls("arm").sort("nct", "n", "k").select("nct", "arm", pl.col("n").alias("to"))
    )
    # By name, for the studies no intervention names a label of.
    names = texts(
        arms.filter(~pl.col("nct").is_in(labelled["nct"].implode())), ["nct", "n"], "interventionNames"
    )
    written = pl.col("interventionNames")
    names = names.with_columns(
        pl.when(written.str.contains(": ", literal=True))
        .then(written.str.splitn(": ", 2).struct.field("field_1"))
        .otherwise(written)
        .alias("wanted")
    )
    named = interventions.select("nct", pl.col("position").alias("to"), pl.col("name").alias("wanted"))
    matches = names.join(named, on=["nct", "wanted"], how="left", maintain_order="left")
    counted = matches.group_by("nct", "n", "k").agg(
        pl.col("to").drop_nulls(), pl.col("to").drop_nulls().len().alias("found")
    )
    untyped = pl.concat([untyped, counted.filter(pl.col("found") != 1).select("nct")])
    linked_by_name = (
        counted.filter(pl.col("found") == 1)
        .explode("to")
        .sort("nct", "n", "k")
        .unique(["nct", "n", "to"], keep="first", maintain_order=True)
        .select("nct", pl.col("n").alias("arm"), "to")
    )
    received = (
        pl.concat([linked_by_label, linked_by_name])
        .group_by("nct", "arm", maintain_order=True)
        .agg(pl.col("to").alias("interventions"))
    )
    arms = arms.join(
        received, left_on=["nct", "n"], right_on=["nct", "arm"], how="left", maintain_order="left"
    )
    arms = arms.with_columns(
        pl.col("interventions").fill_null([]),
        pl.col("nct").is_in(untyped["nct"].implode()).alias("untyped"),
    )
    return (
        arms.sort("nct", "n")
        .rename({"n": "position"})
        .select("nct", "position", "label", "type", "description", "interventions", "field", "untyped")
    )
