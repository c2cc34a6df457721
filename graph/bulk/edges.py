"""Every edge a load's records state, resolved in columns as the per-record path makes them.

A trial's edges (:data:`~graph.bulk.rows.EDGE_ATTRIBUTES`) are one per ends and key: several
mentions of one (a condition listed twice, a site listed twice by one trial) are one edge whose
``field`` and ``spelling`` gain a line each, and which takes attributes the first lacked
(:func:`graph.build.trialplan.merge_mention`, run on those few groups only). Edges between
entities (``BROADER``, ``MAPS_TO``) are made once across trials, by the first trial stating
them, as is a site's ``LOCATED_IN`` its country, by its first listing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from graph.build.trialplan import merge_mention
from graph.bulk.rows import EDGE_ATTRIBUTES, Mentions

ENDS = ("source", "target", "key")


@dataclass(slots=True)
class Edges:
    """The edges of a load.

    - ``trials``: one row per edge a trial states, in the order the trials' plans state them:
      ``order`` and ``in_trial`` (of its first mention), ``source``, ``target``, ``key``,
      ``kind`` and a column per attribute (``null`` where absent);
    - ``merged``: the attributes of the edges mentioned more than once, by ends and key, as
      :func:`~graph.build.trialplan.merge_mention` merges them;
    - ``between``: the edges between entities, ``source``, ``target``, ``kind``, ``trial``, each
      once, in the order first stated (``in_trial``: by which trial of the load); ``located``:
      ``site``, ``country``, one per site in a country, made with the site (``in_trial``: the
      trial first listing it).
    """

    trials: pl.DataFrame
    merged: dict[tuple[str, str, str], dict[str, Any]]
    between: pl.DataFrame
    located: pl.DataFrame

    def attributes(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Each trial's edge with its attributes as the plan gives them (``kind`` first, absent
        ones left out)."""
        merged = self.merged
        for ends, values in _mentioned(self.trials):
            yield *ends, merged.get(ends) or values


def _mentioned(frame: pl.DataFrame) -> Iterator[tuple[tuple[str, str, str], dict[str, Any]]]:
    """Each edge mention of ``frame``: its ends and key, and its attributes as the plan gives
    them (``kind`` first, absent ones left out), read by their places in the row."""
    columns = frame.columns
    named = {kind: [(name, columns.index(name)) for name in names] for kind, names in EDGE_ATTRIBUTES.items()}
    source, target, key, kind = (columns.index(name) for name in (*ENDS, "kind"))
    for found in frame.iter_rows():
        values = {"kind": found[kind]}
        for name, place in named[found[kind]]:
            if found[place] is not None:
                values[name] = found[place]
        yield (found[source], found[target], found[key]), values


def _with_ends(frame: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """The mentions with each end a node id: an entity row is replaced by its node's id."""
    return frame.with_columns(
        pl.coalesce(ids.gather(frame[f"{end}_row"]), pl.col(end)).alias(end) for end in ("source", "target")
    ).drop("source_row", "target_row")


def resolve_edges(mentions: Mentions, ids: pl.Series) -> Edges:
    """The edges of ``mentions`` (their entity rows' node ids ``ids``), each once."""
    stated = pl.concat(
        [_with_ends(frame, ids) for frame in mentions.edges.values()], how="diagonal_relaxed"
    ).sort("order")
    repeated = stated.filter(pl.struct(ENDS).is_duplicated())
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for ends, values in _mentioned(repeated):
        existing = merged.get(ends)
        if existing is None:
            merged[ends] = values
        else:
            merge_mention(existing, values)
    between = (
        _with_ends(mentions.entity_edges, ids)
        .unique(["source", "target", "key"], keep="first", maintain_order=True)
        .select("source", "target", pl.col("key").alias("kind"), pl.col("trial").cast(pl.String), "in_trial")
    )
    sites = mentions.sites
    located = (
        pl.DataFrame(
            {
                "site": ids.gather(sites["row"]),
                "country": ids.gather(sites["country_row"]),
                "in_trial": mentions.entities["trial"].gather(sites["row"]),
            }
        )
        .unique("site", keep="first", maintain_order=True)  # made with the site: by its first listing
        .drop_nulls()
    )
    return Edges(
        trials=stated.unique(list(ENDS), keep="first", maintain_order=True),
        merged=merged,
        between=between,
        located=located,
    )
