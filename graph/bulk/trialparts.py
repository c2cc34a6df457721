"""What each registry study read in columns states of the trial itself, as its plan states it
(:class:`graph.bulk.handover.TrialPart`): the trial node's attributes, its index terms but its
words, the values it is found by besides them, and its arms. The words trials are found by are
found in columns (:func:`graph.bulk.textwords.words_of_trials`).

A trial's attributes are made by the per-record path's own functions
(:func:`graph.build.trialattributes.trial_attributes`, :func:`graph.compact.index.trial_facets`,
:func:`graph.compact.index.entity_terms`) from a record holding only the trial's own fields, made
from one row of the reader's frames: Python once per trial, not per mention.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any, TypeVar

import polars as pl

from graph.build.trialattributes import trial_attributes
from graph.bulk.handover import TrialPart
from graph.bulk.registryids import with_arm_ids
from graph.bulk.trialfields import TRIAL_COLUMNS
from graph.compact.encoded import encoded
from graph.compact.index import entity_terms, trial_facets
from graph.model import Design, Eligibility, Identifier, NodeKind, ResponsibleParty, Source, TrialRecord

T = TypeVar("T")
_FIELDS: dict[type, list[str]] = {
    kind: [field.name for field in fields(kind)] for kind in (Design, Eligibility)
}
_LISTS = {field.name for kind in _FIELDS for field in fields(kind) if field.default_factory is list}
_RECORD = {field.name for field in fields(TrialRecord)}
_OWN = [name for name in TRIAL_COLUMNS if name in _RECORD]  # the record's own fields, not its parts
_PARTY = {"type": "type", "name": "investigator_name", "title": "investigator_title"}
_PARTY |= {"affiliation": "investigator_affiliation"}


def trial_parts(
    found: dict[str, pl.DataFrame], sources: Callable[[str], list[Source]]
) -> Iterator[TrialPart]:
    """Per study :func:`~graph.bulk.registryjson.read_registry_json` read (its ``studies``, in
    that order), what it states of the trial itself but the words it is found by
    (:func:`graph.bulk.textwords.words_of_trials`); ``sources`` gives the documents naming a trial
    (the one it was read from first)."""
    studies = found["studies"].with_columns(pl.col("nct").alias("nct_id"))  # the reader strips it
    conditions = (
        found["conditions"].group_by("nct", maintain_order=True).agg(pl.col("text").alias("conditions"))
    )
    identifiers = (
        found["identifiers"]
        .group_by("nct", maintain_order=True)
        .agg(pl.struct("id", "source", "type", "domain", "link").alias("identifiers"))
    )
    lead = (
        found["sponsors"]
        .filter(pl.col("role") == "LEAD")
        .unique("nct", keep="first", maintain_order=True)
        .select("nct", pl.col("agency").alias("lead_class"))
    )
    party = found["responsible parties"].select(
        "nct", *(pl.col(name).alias(f"party_{name}") for name in _PARTY)
    )
    rows = studies
    for frame in (found["trials"], conditions, identifiers, _arms(found["arms"], studies), lead, party):
        rows = rows.join(frame, on="nct", how="left", maintain_order="left")
    for row in rows.iter_rows(named=True):
        yield _part(row, sources(row["nct_id"]))


def _arms(arms: pl.DataFrame, studies: pl.DataFrame) -> pl.DataFrame:
    """Each study's arms with their node ids, as a list of ``(position, label, type,
    description, arm)``."""
    numbered = studies.select("nct", "nct_id", pl.int_range(pl.len()).alias("trial_index"))
    arms = with_arm_ids(arms.join(numbered, on="nct", maintain_order="left"))
    return arms.group_by("nct", maintain_order=True).agg(
        pl.struct("position", "label", "type", "description", "arm").alias("arms")
    )


def _made(kind: type[T], row: dict[str, Any]) -> T:
    """A part of a record (its design, its eligibility) from the row's columns of its fields'
    names; a list absent is empty."""
    values = {name: row[name] for name in _FIELDS[kind]}
    return kind(**{name: [] if value is None and name in _LISTS else value for name, value in values.items()})


def _part(row: dict[str, Any], sources: list[Source]) -> TrialPart:
    nct = row["nct_id"]
    record = TrialRecord(nct, sources[0])
    for name in _OWN:
        if row[name] is not None:
            setattr(record, name, row[name])
    record.design, record.eligibility = _made(Design, row), _made(Eligibility, row)
    record.responsible_party = ResponsibleParty(
        **{field: row[f"party_{name}"] for name, field in _PARTY.items()}
    )
    record.identifiers = [
        Identifier(found["id"], found["source"], found["type"], found["domain"], found["link"])
        for found in row["identifiers"] or ()
    ]
    record.conditions = row["conditions"] or []
    attributes = trial_attributes(record, sources)
    values = [("leadSponsorClass", row["lead_class"])] if row["lead_class"] else []
    arms = []
    for arm in row["arms"] or ():
        present = {
            "kind": NodeKind.ARM.value,
            "trial": nct,
            "position": arm["position"],
            "label": arm["label"],
        }
        present |= {name: arm[name] for name in ("type", "description") if arm[name] is not None}
        arms.append((arm["arm"], *encoded(present), entity_terms(NodeKind.ARM, present)))
    node = f"{NodeKind.TRIAL.value}:{nct}"
    return TrialPart(node, *encoded(attributes), ([], *trial_facets(attributes)), values, arms)
