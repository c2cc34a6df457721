"""The mentions of one load read in parts, put together in the load's order: the studies read
in columns and the few read record by record (lines the columnar reader leaves to the
per-record reader), each part with the place in the load of each of its trials.

A trial's mentions all come from one part, in their order there, so sorting every part's rows
by the trial's place in the load gives the rows one reading of the whole load would give; each
reference to a row (an edge's end, a value beside a mention) follows its row, and edge mentions
are numbered again in the load's order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from graph.bulk.rows import Mentions

_REFERENCES = {
    "sites": ("row", "country_row"),
    "terms": ("row",),
    "interventions": ("row",),
    "classes": ("row",),
}


def interleaved(parts: Sequence[tuple[Mentions, Sequence[int]]]) -> Mentions:
    """One load's mentions from ``parts``: each a part's mentions and, per trial of the part (by
    its number there), its place in the load."""
    if len(parts) == 1 and list(parts[0][1]) == list(range(len(parts[0][1]))):
        return parts[0][0]
    places = [pl.Series(trials, dtype=pl.UInt32) for _, trials in parts]
    rows = pl.concat(
        [
            mentions.entities.with_columns(places[part].gather(mentions.entities["trial"]).alias("trial"))
            .with_row_index("old")
            .with_columns(pl.lit(part, dtype=pl.UInt8).alias("part"))
            for part, (mentions, _) in enumerate(parts)
        ]
    ).sort("trial", maintain_order=True)
    new_rows = []  # per part, the new row of each old row
    for part, (mentions, _) in enumerate(parts):
        mine = (rows["part"] == part).to_numpy()
        found = np.zeros(len(mentions.entities), dtype=np.uint32)
        found[rows["old"].to_numpy()[mine]] = np.flatnonzero(mine)
        new_rows.append(pl.Series(found))

    def moved(frame: pl.DataFrame, part: int, columns: Sequence[str]) -> pl.DataFrame:
        """A part's frame with each row it refers to (``columns``) moved to its new row."""
        return frame.with_columns(new_rows[part].gather(frame[name]).alias(name) for name in columns)

    values = {
        name: pl.concat(
            [moved(getattr(mentions, name), part, columns) for part, (mentions, _) in enumerate(parts)]
        ).sort("row", maintain_order=True)
        for name, columns in _REFERENCES.items()
    }
    # Every edge mention of every part (by kind; "" for those between entities), numbered again
    # in the load's order.
    edges: list[tuple[str, pl.DataFrame]] = []
    for part, (mentions, _) in enumerate(parts):
        for kind, frame in (*mentions.edges.items(), ("", mentions.entity_edges)):
            frame = moved(frame, part, ("source_row", "target_row"))
            edges.append((kind, frame.with_columns(places[part].gather(frame["in_trial"]).alias("in_trial"))))
    order = pl.concat([frame.select("in_trial", "order") for _, frame in edges]).with_row_index("at")
    order = order.sort("in_trial", "order", maintain_order=True).with_row_index("new_order")
    renumbered = order.sort("at")["new_order"].cast(pl.UInt64)
    by_kind: dict[str, list[pl.DataFrame]] = {}
    start = 0
    for kind, frame in edges:
        by_kind.setdefault(kind, []).append(
            frame.with_columns(renumbered.slice(start, len(frame)).alias("order"))
        )
        start += len(frame)
    joined = {kind: pl.concat(found, how="vertical_relaxed").sort("order") for kind, found in by_kind.items()}
    return Mentions(
        entities=rows.drop("old", "part"),
        edges={kind: frame for kind, frame in joined.items() if kind},
        entity_edges=joined[""],
        **values,
    )
