"""Every entity a load's records mention, resolved in columns: node ids, spellings with their
counts, attributes, agency classes and where named sites are placed, as
:class:`graph.build.builder.Builder` holds them once every trial is added.

Each mention is one row, in the order the builder meets it (trial after trial, each trial's
mentions in the order its plan states them): conditions, MeSH terms, sponsors, the trial's
people and their affiliations, the responsible party, sites with their countries and the people
named at them, the countries listed, interventions. Node ids are made once per distinct
spelling with the per-record path's own key functions (:mod:`graph.keys`,
:mod:`graph.build.entityids`); what needs all rows (spellings counted in first-seen order, the
first value each attribute is given, the classes stated, where sites are placed) is a group-by
in polars, and stays in columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from graph.bulk.rows import SITE_ATTRIBUTES, Mentions
from graph.model import LIST_SEPARATOR, joined


@dataclass(slots=True)
class Entities:
    """The entities of a load, each a frame in the order first met.

    - ``nodes``: ``node``, ``kind`` (:data:`~graph.bulk.rows.KINDS` code), ``row`` (of its
      first mention);
    - ``spellings``: ``node``, ``spelling``, ``count``, each spelling in the order first written;
    - ``sites``, ``terms``, ``interventions``: a node's attributes, each the first value given
      (``null`` where none was) with the row of the mention giving it (``NAME.row``);
      interventions also ``otherNames``, joined by lines;
    - ``classes``: ``node``, ``agencyClass``, ``count`` in the order first stated;
    - ``placed``: ``facility``, ``city`` (keys), ``node``, ``trial`` (the first listing it in a
      country); ``countryless``: ``node``, ``facility``, ``city``, ``trial``.
    """

    nodes: pl.DataFrame
    spellings: pl.DataFrame
    sites: pl.DataFrame
    terms: pl.DataFrame
    interventions: pl.DataFrame
    classes: pl.DataFrame
    placed: pl.DataFrame
    countryless: pl.DataFrame


def _first_values(frame: pl.DataFrame, names: Iterable[str]) -> pl.DataFrame:
    """Per node (in the order first met), the first value of each column given one, and the row
    of the mention that gave it (``NAME.row``: the builder adds attributes in that order)."""
    given = [(pl.col(name), pl.col("row").filter(pl.col(name).is_not_null())) for name in names]
    return frame.group_by("node", maintain_order=True).agg(
        *(value.drop_nulls().first() for value, _ in given),
        *(row.first().alias(f"{name}.row") for name, (_, row) in zip(names, given, strict=True)),
    )


def resolve_entities(mentions: Mentions, ids: pl.Series) -> Entities:
    """The entities of ``mentions`` (their node ids ``ids``), resolved as the builder resolves them."""
    rows = mentions.entities.select(ids.alias("node"), "kind", "spelling", "trial").with_row_index("row")
    nodes = rows.group_by("node", maintain_order=True).agg(pl.col("kind").first(), pl.col("row").first())
    spellings = rows.group_by("node", "spelling", maintain_order=True).agg(pl.len().alias("count"))

    def beside(frame: pl.DataFrame) -> pl.DataFrame:
        """A frame of mentions by row, with their node ids and trials."""
        return frame.with_columns(ids.gather(frame["row"]).alias("node"), rows["trial"].gather(frame["row"]))

    sites = beside(mentions.sites)
    placed_in = sites.filter(pl.col("facility_key").is_not_null())
    placed = (
        placed_in.filter(pl.col("country_row").is_not_null())
        .group_by("facility_key", "city_key", "node", maintain_order=True)
        .agg(pl.col("trial").first())
    )
    countryless = (
        placed_in.filter(pl.col("country_row").is_null())
        .group_by("node", maintain_order=True)
        .agg(pl.col("facility_key", "city_key", "trial").first())
    )
    classes = (
        beside(mentions.classes)
        .group_by("node", "agencyClass", maintain_order=True)
        .agg(pl.len().alias("count"))
    )
    interventions = beside(mentions.interventions)
    return Entities(
        nodes=nodes.select("node", "kind", "row"),
        spellings=spellings,
        sites=_first_values(sites, SITE_ATTRIBUTES),
        terms=_first_values(beside(mentions.terms), ["meshId"]),
        interventions=_first_values(interventions, ["name", "type"]).join(
            _other_names(interventions), on="node", how="left", maintain_order="left"
        ),
        classes=classes,
        placed=placed.rename({"facility_key": "facility", "city_key": "city"}),
        countryless=countryless.rename({"facility_key": "facility", "city_key": "city"}),
    )


def _other_names(interventions: pl.DataFrame) -> pl.DataFrame:
    """Each intervention's other names joined by lines, gathered mention by mention as the
    builder gathers them, and the row that first gave some. Few mentions give any."""
    gathered: dict[str, str] = {}
    first: dict[str, int] = {}
    given = interventions.filter(pl.col("otherNames").list.len() > 0)
    for row, node, names in given.select("row", "node", "otherNames").iter_rows():
        known = gathered.get(node, "").split(LIST_SEPARATOR)
        added = [name for name in names if name not in known]
        first.setdefault(node, row)
        if added:
            gathered[node] = joined([name for name in known if name] + added)
    return pl.DataFrame(
        {
            "node": list(gathered),
            "otherNames": list(gathered.values()),
            "otherNames.row": [first[node] for node in gathered],
        },
        schema={"node": pl.String, "otherNames": pl.String, "otherNames.row": pl.UInt32},
    )
