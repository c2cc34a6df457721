"""The people a registry study names, made into placed mentions (:mod:`graph.bulk.placed`) as
:mod:`graph.bulk.recordrows` reads them: its officials with their affiliations, its responsible
party (the lead sponsor, or a person), the people named at its sites, and one ``INVESTIGATED_BY``
edge per person it names. Each function that names people returns them (``named``: a frame of
``trial_index``, ``seen`` (the place first named), ``name``, ``role``, ``field``, ``site``), for
:func:`investigated_by`.
"""

from __future__ import annotations

import polars as pl

from graph.bulk.placed import NCT_ID, TRIAL_NODE, PlacedMentions, joined, place
from graph.bulk.registryids import per_distinct
from graph.bulk.rows import INVESTIGATOR, NODE_MAKERS, ORGANIZATION


def _people(
    mentions: PlacedMentions, people: pl.DataFrame, at: pl.Expr, field: pl.Expr, affiliation: pl.Expr | None
) -> None:
    """People named, each with the organization of their affiliation (at the next place)."""
    mentions.entity(people, at, INVESTIGATOR, pl.col("name"), pl.col("name"))
    if affiliation is None:
        return
    affiliated = people.filter(affiliation.is_not_null())
    mentions.entity(affiliated, at + 1, ORGANIZATION, affiliation, affiliation)
    mentions.edge(
        affiliated,
        at,
        "AFFILIATED_WITH",
        "AFFILIATED_WITH:" + NCT_ID,
        source_place=at,
        target_place=at + 1,
        trial=NCT_ID,
        field=field + ".affiliation",
        spelling=affiliation,
    )


def officials(mentions: PlacedMentions, listed: pl.DataFrame) -> pl.DataFrame:
    """The trial's officials; they are named."""
    listed = mentions.of_trials(listed).with_columns(pl.int_range(pl.len()).over("trial_index").alias("n"))
    at = place("officials", pl.col("n"))
    _people(mentions, listed, at, pl.col("field"), pl.col("affiliation"))
    return listed.select("trial_index", at.alias("seen"), "name", "role", "field", site=pl.lit(False))


def responsible_party(mentions: PlacedMentions, parties: pl.DataFrame, lead: pl.DataFrame) -> None:
    """The party responsible: the lead sponsor (its place in ``lead``) where the party is the
    sponsor and one is listed, else the person named, with their affiliation."""
    parties = mentions.of_trials(parties).join(lead, on="trial_index", how="left", maintain_order="left")
    by_sponsor = (pl.col("type") == "SPONSOR") & pl.col("lead").is_not_null()
    edge = place("responsible party", 0, 2)
    mentions.edge(
        parties.filter(by_sponsor),
        edge,
        "RESPONSIBLE_PARTY",
        "RESPONSIBLE_PARTY",
        source=TRIAL_NODE,
        target_place=pl.col("lead"),
        type=pl.col("type"),
        title=pl.lit(None, dtype=pl.String),
        field="responsibleParty",
        spelling=pl.lit(None, dtype=pl.String),
    )
    people = parties.filter(~by_sponsor.fill_null(False) & pl.col("name").is_not_null())
    person = place("responsible party")
    _people(mentions, people, person, pl.lit("responsibleParty"), pl.col("affiliation"))
    mentions.edge(
        people,
        edge,
        "RESPONSIBLE_PARTY",
        "RESPONSIBLE_PARTY",
        source=TRIAL_NODE,
        target_place=person,
        type=pl.col("type"),
        title=pl.col("title"),
        field="responsibleParty",
        spelling=pl.col("name"),
    )


def people_at_sites(mentions: PlacedMentions, people: pl.DataFrame) -> pl.DataFrame:
    """The people named at each site (after the site and its country); they are named."""
    people = mentions.of_trials(people).with_columns(
        pl.int_range(pl.len()).over("trial_index", "position").alias("m")
    )
    person = place("sites", pl.col("position"), pl.col("m") + 2)
    _people(mentions, people, person, pl.col("field"), None)
    mentions.edge(
        people,
        place("sites", pl.col("position"), pl.col("m") + 1),
        "INVESTIGATES_AT",
        "INVESTIGATES_AT:" + NCT_ID,
        source_place=person,
        target_place=place("sites", pl.col("position")),
        trial=NCT_ID,
        role=pl.col("role"),
        field=pl.col("field"),
        position=pl.col("position"),
    )
    return people.select("trial_index", person.alias("seen"), "name", "role", "field", site=pl.lit(True))


def investigated_by(mentions: PlacedMentions, named: list[pl.DataFrame]) -> None:
    """One edge from a trial to each person it names, in the order first named (its officials
    are named before the people at its sites, so its own people come first): the roles they
    have for the trial and at its sites, each once, and every field and spelling naming them."""
    people = pl.concat(named).sort("trial_index", "seen", maintain_order=True)
    people = people.with_columns(
        per_distinct(people["name"], NODE_MAKERS[INVESTIGATOR], pl.String()).alias("person")
    )
    role = pl.col("role").filter(pl.col("role").is_not_null() & (pl.col("role") != ""))
    each = people.group_by("trial_index", "person", maintain_order=True).agg(
        (~pl.col("site")).any().alias("own"),
        pl.col("seen").filter(pl.col("site")).first().alias("first_at_site"),
        role.filter(~pl.col("site")).unique(maintain_order=True).alias("roles"),
        role.filter(pl.col("site")).unique(maintain_order=True).alias("site_roles"),
        pl.col("field").alias("fields"),
        pl.col("name").alias("spellings"),
    )
    each = each.join(mentions.trials, on="trial_index", maintain_order="left")
    each = each.with_columns(pl.int_range(pl.len()).over("trial_index").alias("position"))
    mentions.edge(
        each,
        place("investigated by", pl.col("position")),
        "INVESTIGATED_BY",
        "INVESTIGATED_BY",
        source=TRIAL_NODE,
        target=pl.col("person"),
        role=pl.concat_list("roles", "site_roles").list.first(),
        scope=pl.when("own").then(pl.lit("TRIAL")).otherwise(pl.lit("SITE")),
        roles=joined(pl.col("roles")),
        siteRoles=joined(pl.col("site_roles")),
        sitePosition=pl.col("first_at_site").rank("ordinal").over("trial_index").cast(pl.Int64) - 1,
        field=joined(pl.col("fields")),
        spelling=joined(pl.col("spellings")),
        position=pl.col("position"),
    )
