"""A load's mentions gathered a part of the plan at a time, each placed in its trial's plan, and
made into :class:`graph.bulk.rows.Mentions`: the rows, in the order, that
:mod:`graph.bulk.recordrows` reads them trial by trial.

A mention's ``place`` packs the part of the plan (:data:`STEPS`, in the order
:mod:`graph.build.trialplan` states them) and two positions within it into one integer. Entity
mentions sorted by trial and place are the entity rows; an edge mention names the place of each
end that is an entity mention (``source_place``, ``target_place``) or the end's node id, and is
numbered among all edge mentions by its own place.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from graph.bulk.rows import EDGE_ATTRIBUTES, SITE_ATTRIBUTES, Mentions
from graph.model import LIST_SEPARATOR, NodeKind

# The parts of a trial's plan, in the order it states them.
STEPS = (
    "conditions",
    "meshes",
    "ancestors",
    "broader",
    "maps to",
    "sponsors",
    "officials",
    "responsible party",
    "sites",
    "countries",
    "investigated by",
    "interventions",
    "arms",
)
BETWEEN = "between"  # edges between entities (BROADER, MAPS_TO), a table of their own
TRIAL_NODE = pl.col("trial_node")  # of a mention's trial, once joined (PlacedMentions.of_trials)
NCT_ID = pl.col("nct_id")


def place(step: str, first: pl.Expr | int = 0, second: pl.Expr | int = 0) -> pl.Expr:
    """A mention's place in its trial's plan: its step, then two positions (each below 2**20)."""
    return (
        pl.lit(STEPS.index(step) << 40, dtype=pl.Int64)
        + _expression(first).cast(pl.Int64) * (1 << 20)
        + _expression(second).cast(pl.Int64)
    )


def _expression(value: Any) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value)


def joined(items: pl.Expr) -> pl.Expr:
    """A list of texts as one attribute value, as :func:`graph.model.joined` makes it; ``null``
    for an empty list."""
    text = items.list.eval(pl.element().str.replace_all(LIST_SEPARATOR, " ", literal=True))
    return pl.when(items.list.len() > 0).then(text.list.join(LIST_SEPARATOR))


class PlacedMentions:
    """The mentions of a load's trials (``studies``: ``nct``, in the load's order), gathered a
    frame at a time."""

    def __init__(self, studies: pl.DataFrame) -> None:
        self.trials = studies.select(
            "nct",
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("trial_index"),
            pl.col("nct").alias("nct_id"),  # as the reader gives it: stripped
            (f"{NodeKind.TRIAL.value}:" + pl.col("nct")).alias("trial_node"),
        )
        self.entities: list[pl.DataFrame] = []  # trial_index, place, kind, made_from, spelling
        # Beside entity mentions, by trial_index and place: the attributes of sites (and the place
        # of their country's mention, country_place), terms and interventions; agency classes.
        self.sites: list[pl.DataFrame] = []
        self.terms: list[pl.DataFrame] = []
        self.interventions: list[pl.DataFrame] = []
        self.classes: list[pl.DataFrame] = []
        self.edges: list[pl.DataFrame] = []  # trial_index, place, table, key, ends, attributes

    def of_trials(self, frame: pl.DataFrame) -> pl.DataFrame:
        """A frame of mentions (by ``nct``) with each one's ``trial_index``, ``nct_id`` and
        ``trial_node``."""
        return frame.join(self.trials, on="nct", how="inner", maintain_order="left")

    def entity(self, frame: pl.DataFrame, at: pl.Expr, kind: int, text: pl.Expr, spelling: pl.Expr) -> None:
        """Entity mentions of a :data:`~graph.bulk.rows.KINDS` code: the text their node id is
        made from (or the id), and their spelling."""
        self.entities.append(
            frame.select(
                "trial_index",
                at.alias("place"),
                pl.lit(kind, dtype=pl.UInt8).alias("kind"),
                text.cast(pl.String).alias("made_from"),
                spelling.cast(pl.String).alias("spelling"),
            )
        )

    def edge(
        self, frame: pl.DataFrame, at: pl.Expr, table: str, key: pl.Expr | str, **ends_and_values: Any
    ) -> None:
        """Edge mentions of one kind (``table``): ``source`` (a node id) or ``source_place`` (an
        entity mention's), likewise the target, and the attributes' values."""
        self.edges.append(
            frame.select(
                "trial_index",
                at.alias("place"),
                pl.lit(table).alias("table"),
                _expression(key).alias("key"),
                **{name: _expression(value) for name, value in ends_and_values.items()},
            )
        )

    def frames(self) -> Mentions:
        """The mentions gathered, as :class:`~graph.bulk.rows.Mentions`."""
        entities = pl.concat(self.entities).sort("trial_index", "place", maintain_order=True)
        entities = entities.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"))
        rows = entities.select("trial_index", "place", "row")

        def with_rows(frame: pl.DataFrame, *ends: str) -> pl.DataFrame:
            """Each end's place (``END_place``) as the row of the entity mention there."""
            for end in ends:
                found = rows.rename({"place": f"{end}_place", "row": f"{end}_row"})
                frame = frame.join(
                    found, on=["trial_index", f"{end}_place"], how="left", maintain_order="left"
                )
            return frame

        def by_row(parts: list[pl.DataFrame]) -> pl.DataFrame:
            """Values beside entity mentions, by the mention's row."""
            frame = pl.concat(parts, how="diagonal_relaxed")
            return frame.join(rows, on=["trial_index", "place"], maintain_order="left").sort("row")

        edges = pl.concat(self.edges, how="diagonal_relaxed").sort(
            "trial_index", "place", maintain_order=True
        )
        edges = with_rows(
            edges.with_columns(pl.int_range(pl.len(), dtype=pl.UInt64).alias("order")), "source", "target"
        )
        sites = with_rows(by_row(self.sites), "country")
        edges = edges.rename({"trial_index": "in_trial"})
        ends = ("order", "in_trial", "source_row", "source", "target_row", "target", "key")
        return Mentions(
            entities=entities.select(pl.col("trial_index").alias("trial"), "kind", "made_from", "spelling"),
            sites=sites.select("row", "facility_key", "city_key", "country_row", *SITE_ATTRIBUTES),
            terms=by_row(self.terms).select("row", "meshId"),
            interventions=by_row(self.interventions).select("row", "name", "type", "otherNames"),
            classes=by_row(self.classes).select("row", "agencyClass"),
            edges={
                kind: edges.filter(pl.col("table") == kind).select(*ends, pl.lit(kind).alias("kind"), *names)
                for kind, names in EDGE_ATTRIBUTES.items()
            },
            entity_edges=edges.filter(pl.col("table") == BETWEEN).select(
                *ends, pl.lit("").alias("kind"), "trial"
            ),
        )
