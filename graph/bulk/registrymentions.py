"""Registry studies read in columns (:func:`graph.bulk.registryjson.read_registry_json`) made into
a load's mentions (:class:`graph.bulk.rows.Mentions`): the rows :mod:`graph.bulk.recordrows`
reads from the same studies' records one by one, in the same order, placed in each trial's plan
(:mod:`graph.bulk.placed`). Python runs once per distinct text (its keys and ids,
:mod:`graph.bulk.registryids`), not per mention.
"""

from __future__ import annotations

import polars as pl

from graph.bulk.placed import BETWEEN, NCT_ID, TRIAL_NODE, PlacedMentions, joined, place
from graph.bulk.registryids import per_distinct, with_arm_ids, with_intervention_ids, with_site_ids
from graph.bulk.registrypeople import investigated_by, officials, people_at_sites, responsible_party
from graph.bulk.rows import (
    CONDITION,
    COUNTRY,
    INTERVENTION,
    MESH_TERM,
    NODE_MAKERS,
    ORGANIZATION,
    SITE,
    Mentions,
)
from graph.keys import phrase
from graph.model import LIST_SEPARATOR, NodeKind


def registry_mentions(found: dict[str, pl.DataFrame]) -> Mentions:
    """The mentions of the studies :func:`~graph.bulk.registryjson.read_registry_json` read (its
    ``studies``, in that order), as :func:`graph.bulk.recordrows.read_mentions` reads them from
    those studies' records."""
    mentions = PlacedMentions(found["studies"])
    _conditions_and_terms(mentions, found["conditions"], found["meshes"], found["ancestors"])
    lead = _sponsors(mentions, found["sponsors"])
    named = [officials(mentions, found["officials"])]
    responsible_party(mentions, found["responsible parties"], lead)
    _sites(mentions, found["sites"])
    named.append(people_at_sites(mentions, found["people at sites"]))
    _countries(mentions, found["countries"])
    investigated_by(mentions, named)
    _interventions_and_arms(mentions, found["interventions"], found["arms"])
    return mentions.frames()


def _conditions_and_terms(
    mentions: PlacedMentions, conditions: pl.DataFrame, meshes: pl.DataFrame, ancestors: pl.DataFrame
) -> None:
    conditions = mentions.of_trials(conditions)
    at, text = place("conditions", pl.col("position")), pl.col("text")
    mentions.entity(conditions, at, CONDITION, text, text)
    mentions.edge(
        conditions,
        at,
        "STUDIES",
        "STUDIES",
        source=TRIAL_NODE,
        target_place=at,
        field=pl.format("conditions[{}]", "position"),
        spelling=text,
        position=pl.col("position"),
    )
    terms = {}
    for name, kind, listed in (
        ("meshes", "CLASSIFIED_AS", meshes),
        ("ancestors", "CLASSIFIED_UNDER", ancestors),
    ):
        listed = mentions.of_trials(listed).with_columns(
            (f"{NodeKind.MESH_TERM.value}:" + pl.col("id").str.to_lowercase()).alias("term_node")
        )
        at = place(name, pl.col("position"))
        mentions.entity(listed, at, MESH_TERM, pl.col("term_node"), pl.col("term"))
        mentions.terms.append(listed.select("trial_index", at.alias("place"), pl.col("id").alias("meshId")))
        mentions.edge(
            listed,
            at,
            kind,
            kind,
            source=TRIAL_NODE,
            target_place=at,
            field=pl.format(f"derivedSection.conditionBrowseModule.{name}[{{}}]", "position"),
            spelling=pl.col("term"),
            position=pl.col("position"),
        )
        terms[name] = listed
    # A trial classed under one term: the ancestors listed are that term's.
    single = (
        terms["meshes"]
        .filter(pl.len().over("trial_index") == 1)
        .select("trial_index", pl.col("term_node").alias("narrower"))
    )
    broader = terms["ancestors"].join(single, on="trial_index", maintain_order="left")
    mentions.edge(
        broader.filter(pl.col("term_node") != pl.col("narrower")),
        place("broader", pl.col("position")),
        BETWEEN,
        "BROADER",
        source=pl.col("narrower"),
        target=pl.col("term_node"),
        trial=NCT_ID,
    )
    _maps_to(mentions, conditions, terms["meshes"])


def _maps_to(mentions: PlacedMentions, conditions: pl.DataFrame, meshes: pl.DataFrame) -> None:
    """A condition maps to a term of its trial whose name, or a text the registry found it as, is
    a run of its words."""

    def spaced(text: str) -> str:
        return f" {phrase(text)} "

    said = conditions.select(
        "trial_index",
        "nct_id",
        pl.col("position").alias("condition"),
        "text",
        per_distinct(conditions["text"], spaced, pl.String()).alias("words"),
    )
    texts = meshes.select(
        "trial_index",
        pl.col("position").alias("term"),
        "term_node",
        pl.concat_list(pl.col("term"), pl.col("found_as")).alias("found"),
    ).explode("found")
    texts = texts.with_columns(per_distinct(texts["found"], spaced, pl.String()).alias("run"))
    pairs = (
        said.join(texts, on="trial_index", maintain_order="left_right")
        .filter(pl.col("words").str.contains(pl.col("run"), literal=True))
        .unique(["trial_index", "condition", "term"], keep="first", maintain_order=True)
    )
    condition = per_distinct(pairs["text"], NODE_MAKERS[CONDITION], pl.String())
    mentions.edge(
        pairs.with_columns(condition.alias("condition_node")),
        place("maps to", pl.col("condition"), pl.col("term")),
        BETWEEN,
        "MAPS_TO",
        source=pl.col("condition_node"),
        target=pl.col("term_node"),
        trial=NCT_ID,
    )


def _sponsors(mentions: PlacedMentions, sponsors: pl.DataFrame) -> pl.DataFrame:
    """The sponsors; each trial's lead sponsor's place (``lead``)."""
    sponsors = mentions.of_trials(sponsors)
    at = place("sponsors", pl.col("position"))
    mentions.entity(sponsors, at, ORGANIZATION, pl.col("name"), pl.col("name"))
    mentions.classes.append(
        sponsors.filter(pl.col("agency").is_not_null()).select(
            "trial_index", at.alias("place"), pl.col("agency").alias("agencyClass")
        )
    )
    mentions.edge(
        sponsors,
        at,
        "SPONSORED_BY",
        "SPONSORED_BY:" + pl.col("role"),
        source=TRIAL_NODE,
        target_place=at,
        role=pl.col("role"),
        agencyClass=pl.col("agency"),
        field=pl.col("field"),
        spelling=pl.col("name"),
        position=pl.col("position"),
    )
    leads = sponsors.filter(pl.col("role") == "LEAD").unique("trial_index", keep="first", maintain_order=True)
    return leads.select("trial_index", at.alias("lead"))


def _sites(mentions: PlacedMentions, sites: pl.DataFrame) -> None:
    """Each site listed, then its country (where it names one)."""
    sites = with_site_ids(mentions.of_trials(sites))
    at = place("sites", pl.col("position"))
    written = pl.concat_str(
        pl.col("facility").fill_null(""), "city", "state", "country", separator=LIST_SEPARATOR
    )
    spelling = pl.when(written != LIST_SEPARATOR * 3).then(written).otherwise(pl.lit(""))
    mentions.entity(sites, at, SITE, pl.col("site"), spelling)
    mentions.entity(
        sites.filter(pl.col("country") != ""), at + 1, COUNTRY, pl.col("country"), pl.col("country")
    )
    given = {name: pl.when(pl.col(name) != "").then(pl.col(name)) for name in ("city", "state", "country")}
    mentions.sites.append(
        sites.select(
            "trial_index",
            at.alias("place"),
            "facility_key",
            "city_key",
            pl.when(pl.col("country") != "").then(at + 1).alias("country_place"),
            *(value.alias(name) for name, value in given.items()),
            "zip",
            "latitude",
            "longitude",
            "anonymized",
        )
    )
    mentions.edge(
        sites,
        at,
        "CONDUCTED_AT",
        "CONDUCTED_AT",
        source=TRIAL_NODE,
        target_place=at,
        status=pl.col("status"),
        field=pl.col("field"),
        spelling=pl.col("facility"),
        position=pl.col("position"),
    )


def _countries(mentions: PlacedMentions, countries: pl.DataFrame) -> None:
    countries = mentions.of_trials(countries)
    at = place("countries", pl.col("position"))
    mentions.entity(countries, at, COUNTRY, pl.col("country"), pl.col("country"))
    mentions.edge(
        countries, at, "RUNS_IN", "RUNS_IN", source=TRIAL_NODE, target_place=at, position=pl.col("position")
    )


def _interventions_and_arms(
    mentions: PlacedMentions, interventions: pl.DataFrame, arms: pl.DataFrame
) -> None:
    interventions = with_intervention_ids(mentions.of_trials(interventions))
    at = place("interventions", pl.col("position"))
    mentions.entity(interventions, at, INTERVENTION, pl.col("intervention"), pl.col("name"))
    mentions.interventions.append(
        interventions.select(
            "trial_index", at.alias("place"), "name", "type", pl.col("other_names").alias("otherNames")
        )
    )
    mentions.edge(
        interventions,
        at,
        "TESTS",
        "TESTS",
        source=TRIAL_NODE,
        target_place=at,
        description=pl.col("description"),
        otherNames=joined(pl.col("other_names")),
        field=pl.col("field"),
        spelling=pl.col("name"),
        position=pl.col("position"),
    )
    arms = with_arm_ids(mentions.of_trials(arms))
    mentions.edge(
        arms,
        place("arms", pl.col("position")),
        "HAS_ARM",
        "HAS_ARM",
        source=TRIAL_NODE,
        target=pl.col("arm"),
        field=pl.col("field"),
        position=pl.col("position"),
    )
    received = (
        arms.select("trial_index", "position", "arm", pl.col("interventions").list.sort())
        .explode("interventions")
        .drop_nulls("interventions")
        .with_columns(pl.int_range(pl.len()).over("trial_index", "position").alias("k"))
    )
    mentions.edge(
        received,
        place("arms", pl.col("position"), pl.col("k") + 1),
        "RECEIVES",
        "RECEIVES",
        source=pl.col("arm"),
        target_place=place("interventions", pl.col("interventions")),
    )
