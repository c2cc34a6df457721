"""A load's mentions as rows: every mention of an entity, every mention of an edge, in the order
the per-record path meets them (:mod:`graph.build.trialplan`, trial after trial).

A reader appends each mention's values to lists (:class:`Rows`); nothing is keyed yet. The lists
become frames (:class:`Mentions`), the form the group-bys take (:mod:`graph.bulk.entities`,
:mod:`graph.bulk.edges`). An edge's ends are entity rows (their node ids are made once per
distinct spelling, :func:`node_ids`) or node ids where the record alone makes them (its trial,
its arms, a MeSH term, a person). :mod:`graph.bulk.recordrows` reads records into rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from graph.keys import lookup_key, node_id, organization_key, person_key
from graph.model import EdgeKind, NodeKind

# Kinds of entity, by their code in the rows.
KINDS: tuple[NodeKind, ...] = (
    NodeKind.CONDITION,
    NodeKind.MESH_TERM,
    NodeKind.ORGANIZATION,
    NodeKind.INVESTIGATOR,
    NodeKind.SITE,
    NodeKind.COUNTRY,
    NodeKind.INTERVENTION,
)
CONDITION, MESH_TERM, ORGANIZATION, INVESTIGATOR, SITE, COUNTRY, INTERVENTION = range(len(KINDS))
# How a node id is made from the text a mention holds, per kind code; the other kinds' mentions
# hold their id.
NODE_MAKERS: dict[int, Callable[[str], str]] = {
    CONDITION: lambda text: node_id(NodeKind.CONDITION, lookup_key(text)),
    ORGANIZATION: lambda name: node_id(NodeKind.ORGANIZATION, organization_key(name)),
    INVESTIGATOR: lambda name: node_id(NodeKind.INVESTIGATOR, person_key(name)),
    COUNTRY: lambda name: node_id(NodeKind.COUNTRY, lookup_key(name)),
}
# What a site takes from the first listing stating each (as the builder's attributes).
SITE_ATTRIBUTES = ("city", "state", "country", "zip", "latitude", "longitude", "anonymized")
# Each kind of edge a trial states, with its attributes in the order the plan gives them.
EDGE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    EdgeKind.STUDIES.value: ("field", "spelling", "position"),
    EdgeKind.CLASSIFIED_AS.value: ("field", "spelling", "position"),
    EdgeKind.CLASSIFIED_UNDER.value: ("field", "spelling", "position"),
    EdgeKind.SPONSORED_BY.value: ("role", "agencyClass", "field", "spelling", "position"),
    EdgeKind.AFFILIATED_WITH.value: ("trial", "field", "spelling"),
    EdgeKind.RESPONSIBLE_PARTY.value: ("type", "title", "field", "spelling"),
    EdgeKind.CONDUCTED_AT.value: ("status", "field", "spelling", "position"),
    EdgeKind.INVESTIGATES_AT.value: ("trial", "role", "field", "position"),
    EdgeKind.RUNS_IN.value: ("position",),
    EdgeKind.INVESTIGATED_BY.value: (
        "role", "scope", "roles", "siteRoles", "sitePosition", "field", "spelling", "position",
    ),
    EdgeKind.TESTS.value: ("description", "otherNames", "field", "spelling", "position"),
    EdgeKind.HAS_ARM.value: ("field", "position"),
    EdgeKind.RECEIVES.value: (),
}  # fmt: skip
End = int | str  # an entity row, or a node id


class EdgeRows:
    """The mentions of one kind of edge, each a tuple: its place among all edge mentions, the
    trial stating it (its place in the load), its ends, its key, then its attributes' values
    (``None`` where absent) in the order of ``attributes``."""

    def __init__(self, attributes: Iterable[str]) -> None:
        self.attributes = tuple(attributes)
        self.mentions: list[tuple[Any, ...]] = []

    def frame(self, kind: str) -> pl.DataFrame:
        """The mentions as columns: ``order``, ``in_trial``, each end as an entity row or a node
        id (``source_row`` or ``source``, ``target_row`` or ``target``), ``key``, ``kind`` (the
        given one, where the key does not tell) and the attributes."""
        names = ("order", "in_trial", "source", "target", "key", *self.attributes)
        transposed = list(zip(*self.mentions, strict=True)) or [() for _ in names]
        columns = dict(zip(names, transposed, strict=True))
        ends = {}
        for end in ("source", "target"):
            values = columns.pop(end)
            ends[f"{end}_row"] = pl.Series([v if type(v) is int else None for v in values], dtype=pl.UInt32)
            ends[end] = pl.Series([None if type(v) is int else v for v in values], dtype=pl.String)
        return pl.DataFrame(
            {
                "order": pl.Series(columns.pop("order"), dtype=pl.UInt64),
                "in_trial": pl.Series(columns.pop("in_trial"), dtype=pl.UInt32),
                **ends,
                "key": pl.Series(columns.pop("key"), dtype=pl.String),
                "kind": pl.Series([kind] * len(self.mentions), dtype=pl.String),
                **{name: list(values) for name, values in columns.items()},
            },
            strict=False,
        )


@dataclass(slots=True)
class Mentions:
    """The mentions of a load as frames.

    - ``entities``: ``trial``, ``kind`` (a :data:`KINDS` code), ``made_from`` (the node id, or
      the text it is made from), ``spelling``; a mention is its row there;
    - beside it, by ``row``: ``sites`` (``facility_key`` and ``city_key`` placing a named
      facility, ``country_row`` of its country's mention, the :data:`SITE_ATTRIBUTES`),
      ``terms`` (``meshId``), ``interventions`` (``name``, ``type``, ``otherNames`` as a list),
      ``classes`` (``agencyClass``);
    - ``edges``: per kind, as :meth:`EdgeRows.frame` gives them; ``entity_edges``: ``BROADER``
      and ``MAPS_TO`` (their kind is their key), each with the ``trial`` stating it.
    """

    entities: pl.DataFrame
    sites: pl.DataFrame
    terms: pl.DataFrame
    interventions: pl.DataFrame
    classes: pl.DataFrame
    edges: dict[str, pl.DataFrame]
    entity_edges: pl.DataFrame


class Rows:
    """The mentions of a load as they are read: a list per column, or a tuple per row."""

    def __init__(self) -> None:
        self.trial: list[int] = []
        self.kind: list[int] = []
        self.made_from: list[str] = []
        self.spelling: list[str] = []
        self.sites: list[tuple[Any, ...]] = []  # row, facility key, city key, country row, attributes
        self.terms: list[tuple[int, str]] = []
        self.interventions: list[tuple[int, str | None, str | None, list[str]]] = []
        self.classes: list[tuple[int, str]] = []
        self.edges = {kind: EdgeRows(names) for kind, names in EDGE_ATTRIBUTES.items()}
        self.entity_edges = EdgeRows(("trial",))
        self.edge_count = 0
        self.trials = 0  # records read: the place in the load of the one being read

    def add(self, trial: int, kind: int, made_from: str, spelling: str) -> int:
        """An entity mention; its row."""
        self.trial.append(trial)
        self.kind.append(kind)
        self.made_from.append(made_from)
        self.spelling.append(spelling)
        return len(self.kind) - 1

    def edge(self, kind: str, source: End, target: End, key: str, *values: Any) -> None:
        """An edge mention, its attributes' values in the order of :data:`EDGE_ATTRIBUTES`."""
        self.edges[kind].mentions.append((self.edge_count, self.trials, source, target, key, *values))
        self.edge_count += 1

    def entity_edge(self, kind: str, source: str, target: str, trial: str) -> None:
        self.entity_edges.mentions.append((self.edge_count, self.trials, source, target, kind, trial))
        self.edge_count += 1

    def frames(self) -> Mentions:
        """The lists as frames."""
        row, facility, city, country_row, *attributes = _columns(self.sites, 4 + len(SITE_ATTRIBUTES))
        site_types: dict[str, pl.DataType] = {
            name: pl.String() for name in ("city", "state", "country", "zip")
        }
        site_types |= {"latitude": pl.Float64(), "longitude": pl.Float64(), "anonymized": pl.Boolean()}
        terms = _columns(self.terms, 2)
        interventions = _columns(self.interventions, 4)
        classes = _columns(self.classes, 2)
        return Mentions(
            entities=pl.DataFrame(
                {
                    "trial": pl.Series(self.trial, dtype=pl.UInt32),
                    "kind": pl.Series(self.kind, dtype=pl.UInt8),
                    "made_from": pl.Series(self.made_from, dtype=pl.String),
                    "spelling": pl.Series(self.spelling, dtype=pl.String),
                }
            ),
            sites=pl.DataFrame(
                {
                    "row": pl.Series(row, dtype=pl.UInt32),
                    "facility_key": pl.Series(facility, dtype=pl.String),
                    "city_key": pl.Series(city, dtype=pl.String),
                    "country_row": pl.Series(country_row, dtype=pl.UInt32),
                    **{
                        name: pl.Series(values, dtype=site_types[name])
                        for name, values in zip(SITE_ATTRIBUTES, attributes, strict=True)
                    },
                }
            ),
            terms=pl.DataFrame(
                {"row": pl.Series(terms[0], dtype=pl.UInt32), "meshId": pl.Series(terms[1], dtype=pl.String)}
            ),
            interventions=pl.DataFrame(
                {
                    "row": pl.Series(interventions[0], dtype=pl.UInt32),
                    "name": pl.Series(interventions[1], dtype=pl.String),
                    "type": pl.Series(interventions[2], dtype=pl.String),
                    "otherNames": pl.Series(interventions[3], dtype=pl.List(pl.String)),
                }
            ),
            classes=pl.DataFrame(
                {
                    "row": pl.Series(classes[0], dtype=pl.UInt32),
                    "agencyClass": pl.Series(classes[1], dtype=pl.String),
                }
            ),
            edges={kind: table.frame(kind) for kind, table in self.edges.items()},
            entity_edges=self.entity_edges.frame(""),
        )


def _columns(tuples: list[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    """Tuples of ``width`` values as ``width`` columns."""
    return list(zip(*tuples, strict=True)) or [() for _ in range(width)]


def node_ids(mentions: Mentions) -> pl.Series:
    """Each entity mention's node id, made once per distinct kind and text."""
    entities = mentions.entities
    distinct = entities.select("kind", "made_from").unique().filter(pl.col("kind").is_in(list(NODE_MAKERS)))
    made = distinct.with_columns(
        pl.Series("node", [NODE_MAKERS[kind](text) for kind, text in distinct.iter_rows()], dtype=pl.String)
    )
    found = entities.join(made, on=["kind", "made_from"], how="left", maintain_order="left")
    return found.select(pl.coalesce("node", "made_from").alias("node"))["node"]
