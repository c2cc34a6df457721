"""A load's edges resolved in columns (:class:`graph.bulk.edges.Edges`) as the graph store's
builder takes them, column by column (:class:`graph.compact.encoded.NewEdges`), in the order
applying the trials' plans one by one adds them: trial after trial, the edges between entities
it states first, the ``LOCATED_IN`` edges of the sites it lists first, then its own edges.

Each edge's attributes are encoded as its plan encodes them: ``kind`` first, then those of the
kind's :data:`~graph.bulk.rows.EDGE_ATTRIBUTES` it has, absent ones left out; an edge mentioned
more than once as its mentions merged. Edges of one kind with the same attributes present share
their names and signature, so each costs one ``dict(zip(...))`` and one ``marshal.dumps``; ends,
kinds and positions stay columns.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator, Mapping
from itertools import repeat
from typing import Any

import numpy as np
import polars as pl

from graph.bulk.edges import ENDS, Edges
from graph.bulk.rows import EDGE_ATTRIBUTES
from graph.compact.encoded import NewEdges, Signature, encoded, signature
from graph.compact.store import EDGE_KIND_CODE, NO_POSITION
from graph.model import EdgeKind

BETWEEN, LOCATED, OWN = range(3)  # a trial's edges in the order its plan adds them
TRIALS_AT_ONCE = 4096  # trials whose edges are encoded together: their bytes are held at once


def edge_ends(edges: Edges) -> list[str]:
    """Every node at an end of an edge, once each."""
    ends = [edges.between[end] for end in ENDS[:2]] + [edges.located[end] for end in ("site", "country")]
    ends += [edges.trials[end].unique() for end in ENDS[:2]]
    return pl.concat(ends).unique().to_list()


def stored_edges(edges: Edges, positions: Mapping[str, int]) -> Iterator[NewEdges]:
    """``edges`` as the store's builder takes them, the edges of :data:`TRIALS_AT_ONCE` trials
    at a time; ``positions`` holds the store position of every end (:func:`edge_ends`)."""
    located_in = EdgeKind.LOCATED_IN.value
    nodes, at = pl.Series(list(positions), dtype=pl.String), pl.Series(list(positions.values()))
    frames = [  # each in the load's order of trials; ends made positions, the rest shared, not copied
        frame.with_columns(
            *(pl.col(end).replace_strict(nodes, at, return_dtype=pl.UInt32) for end in ENDS[:2]),
            pl.col("kind").replace_strict(EDGE_KIND_CODE, return_dtype=pl.UInt8).alias("kind_code"),
        )
        for frame in (
            edges.between.select("in_trial", "source", "target", "kind", "trial", key="kind", turn=BETWEEN),
            edges.located.select(
                "in_trial", source="site", target="country", kind=pl.lit(located_in), key=pl.lit(located_in)
            ).with_columns(turn=LOCATED),
            edges.trials.with_columns(turn=OWN),
        )
    ]
    del nodes, at
    merged = {
        (positions[source], positions[target], key): values
        for (source, target, key), values in edges.merged.items()
    }
    merged_ends = pl.DataFrame(list(merged), schema=list(ENDS), orient="row").cast(
        {"source": pl.UInt32, "target": pl.UInt32}
    )
    trials = max(_last_trial(frame) for frame in frames)
    for lo in range(0, trials + 1, TRIALS_AT_ONCE):
        parts = [_trials(frame, lo, lo + TRIALS_AT_ONCE) for frame in frames]
        batch = pl.concat(parts, how="diagonal_relaxed")
        if batch.height:
            batch = batch.sort("in_trial", "turn", maintain_order=True).with_columns(
                pl.col("position").fill_null(NO_POSITION).cast(pl.Int32)
                if "position" in batch.columns
                else pl.lit(NO_POSITION, pl.Int32).alias("position")
            )
            yield _new_edges(batch, merged_ends, merged)


def _last_trial(frame: pl.DataFrame) -> int:
    """The place in the load of the last trial stating an edge of ``frame``; -1 for none."""
    return int(frame["in_trial"][-1]) if frame.height else -1


def _trials(frame: pl.DataFrame, lo: int, hi: int) -> pl.DataFrame:
    """The rows of ``frame`` (in the load's order of trials) stated by trials ``lo`` to ``hi``."""
    start, stop = (int(frame["in_trial"].search_sorted(bound)) for bound in (lo, hi))
    return frame.slice(start, stop - start)


def _new_edges(
    batch: pl.DataFrame, merged_ends: pl.DataFrame, merged: Mapping[tuple[int, int, str], dict[str, Any]]
) -> NewEdges:
    """One batch of edges (rows of every kind, in order) for the store's builder."""
    numbered = batch.with_row_index("at")
    made: list[bytes] = []
    places: list[pl.Series] = []
    signatures: list[Signature] = []
    signature_of = np.zeros(batch.height, dtype=np.uint32)
    dumps = marshal.dumps
    for (kind, turn), of_kind in numbered.partition_by("kind", "turn", as_dict=True).items():
        names = ("trial",) if turn == BETWEEN else EDGE_ATTRIBUTES[kind] if turn == OWN else ()
        for present, group in _by_attributes_given(of_kind, names):
            columns = [group[name].to_list() for name in present]
            keys = ("kind", *present)
            signature_of[group["at"].to_numpy()] = len(signatures)
            signatures.append(signature(keys, (str, *(type(column[0]) for column in columns))))
            rows = zip(repeat(kind, group.height), *columns, strict=True)
            made += [dumps(dict(zip(keys, row, strict=True))) for row in rows]
            places.append(group["at"])
    order = pl.concat(places).arg_sort().to_list() if places else []
    blobs = [made[place] for place in order]
    positions = batch["position"].to_numpy().copy()
    again = numbered.filter(pl.col("turn") == OWN).join(merged_ends, on=list(ENDS))
    for at, source, target, key in again.select("at", *ENDS).iter_rows():
        values = merged[(source, target, key)]
        blob, found = encoded(values)
        blobs[at], positions[at] = blob, values.get("position", NO_POSITION)
        signature_of[at] = len(signatures)
        signatures.append(found)
    return NewEdges(
        sources=batch["source"].to_numpy(),
        targets=batch["target"].to_numpy(),
        kinds=batch["kind_code"].to_numpy(),
        positions=positions,
        keys=batch["key"].to_list(),
        blobs=blobs,
        signatures=signatures,
        signature_of=signature_of,
    )


def _by_attributes_given(
    frame: pl.DataFrame, names: tuple[str, ...]
) -> Iterator[tuple[list[str], pl.DataFrame]]:
    """``frame``'s rows grouped by which of ``names`` they give a value, with those names."""
    given = pl.lit(0, pl.UInt32)
    for bit, name in enumerate(names):
        given = given + pl.col(name).is_not_null().cast(pl.UInt32) * (1 << bit)
    for (mask,), group in frame.with_columns(given=given).partition_by("given", as_dict=True).items():
        yield [name for bit, name in enumerate(names) if int(mask) >> bit & 1], group
