"""A load's records as rows: every mention of an entity, every mention of an edge, in the order
the per-record path meets them (:mod:`graph.build.trialplan`, trial after trial).

Reading a record here runs per mention in Python: each mention appends its values to lists, and
nothing is keyed yet; the lists become frames (:class:`Mentions`), the form the group-bys take
(:mod:`graph.bulk.entities`, :mod:`graph.bulk.edges`). An edge's ends are entity rows (their
node ids are made once per distinct spelling, :func:`node_ids`) or node ids where the record
alone makes them (its trial, its arms, a MeSH term, a person).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from graph.build.anonymized import is_anonymized
from graph.build.entityids import arm_ids, intervention_ids, site_id
from graph.build.trialplan import trial_id
from graph.keys import lookup_key, node_id, organization_key, person_key, phrase
from graph.model import LIST_SEPARATOR, EdgeKind, NodeKind, TrialRecord, joined

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
_MAKERS: dict[int, Callable[[str], str]] = {
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
# Edges between entities, made once across trials (the first trial stating one is kept).
ENTITY_EDGE_KINDS = (EdgeKind.BROADER.value, EdgeKind.MAPS_TO.value)
End = int | str  # an entity row, or a node id


class EdgeRows:
    """The mentions of one kind of edge, each a tuple: its place among all edge mentions, its
    ends, its key, then its attributes' values (``None`` where absent) in the order of
    ``attributes``."""

    def __init__(self, attributes: Iterable[str]) -> None:
        self.attributes = tuple(attributes)
        self.mentions: list[tuple[Any, ...]] = []

    def frame(self, kind: str) -> pl.DataFrame:
        """The mentions as columns: ``order``, each end as an entity row or a node id
        (``source_row`` or ``source``, ``target_row`` or ``target``), ``key``, ``kind`` (the
        given one, where the key does not tell) and the attributes."""
        names = ("order", "source", "target", "key", *self.attributes)
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
        self.trials = 0  # records read

    def add(self, trial: int, kind: int, made_from: str, spelling: str) -> int:
        """An entity mention; its row."""
        self.trial.append(trial)
        self.kind.append(kind)
        self.made_from.append(made_from)
        self.spelling.append(spelling)
        return len(self.kind) - 1

    def edge(self, kind: str, source: End, target: End, key: str, *values: Any) -> None:
        """An edge mention, its attributes' values in the order of :data:`EDGE_ATTRIBUTES`."""
        self.edges[kind].mentions.append((self.edge_count, source, target, key, *values))
        self.edge_count += 1

    def entity_edge(self, kind: str, source: str, target: str, trial: str) -> None:
        self.entity_edges.mentions.append((self.edge_count, source, target, kind, trial))
        self.edge_count += 1

    def read(self, records: Iterable[TrialRecord]) -> None:
        """Add the mentions of ``records`` (one per trial, in NCT order), after those read before."""
        for record in records:
            _Record(self, self.trials, record).read()
            self.trials += 1

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


def read_mentions(records: Iterable[TrialRecord]) -> Mentions:
    """The mentions of ``records`` (one per trial, in NCT order)."""
    rows = Rows()
    rows.read(records)
    return rows.frames()


def node_ids(mentions: Mentions) -> pl.Series:
    """Each entity mention's node id, made once per distinct kind and text."""
    entities = mentions.entities
    distinct = entities.select("kind", "made_from").unique().filter(pl.col("kind").is_in(list(_MAKERS)))
    made = distinct.with_columns(
        pl.Series("node", [_MAKERS[kind](text) for kind, text in distinct.iter_rows()], dtype=pl.String)
    )
    found = entities.join(made, on=["kind", "made_from"], how="left", maintain_order="left")
    return found.select(pl.coalesce("node", "made_from").alias("node"))["node"]


class _Record:
    """Reads one record's mentions, in the order its plan states them."""

    def __init__(self, rows: Rows, trial: int, record: TrialRecord) -> None:
        self.rows, self.trial, self.record = rows, trial, record
        self.node = trial_id(record.nct_id)
        # The trial's people, by node id: roles as its own and at sites, fields and spellings.
        self.people: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}
        self.named_at_sites: list[str] = []

    def read(self) -> None:
        self._conditions_and_terms()
        lead = self._sponsors()
        for official in self.record.officials:
            person = self._person(official.name, official.affiliation, official.field)
            self._named(person, official.role, official.field, official.name, site=False)
        self._responsible_party(lead)
        self._sites()
        self._investigated_by()
        self._interventions_and_arms()

    def _conditions_and_terms(self) -> None:
        rows, trial, record, node = self.rows, self.trial, self.record, self.node
        for position, condition in enumerate(record.conditions):
            row = rows.add(trial, CONDITION, condition, condition)
            rows.edge("STUDIES", node, row, "STUDIES", f"conditions[{position}]", condition, position)
        module = "derivedSection.conditionBrowseModule"
        terms = []
        for name, kind, listed in (
            ("meshes", "CLASSIFIED_AS", record.condition_meshes),
            ("ancestors", "CLASSIFIED_UNDER", record.condition_ancestors),
        ):
            for position, term in enumerate(listed):
                term_node = node_id(NodeKind.MESH_TERM, term.id.lower())
                row = rows.add(trial, MESH_TERM, term_node, term.term)
                rows.terms.append((row, term.id))
                rows.edge(kind, node, row, kind, f"{module}.{name}[{position}]", term.term, position)
                if kind == "CLASSIFIED_AS":
                    terms.append((term_node, term))
        if len(terms) == 1:  # the ancestors listed are this term's own
            for ancestor in record.condition_ancestors:
                target = node_id(NodeKind.MESH_TERM, ancestor.id.lower())
                if target != terms[0][0]:
                    rows.entity_edge("BROADER", terms[0][0], target, record.nct_id)
        for condition in record.conditions:
            words = f" {phrase(condition)} "
            for term_node, term in terms:
                if any(f" {phrase(text)} " in words for text in (term.term, *term.found_as)):
                    source = node_id(NodeKind.CONDITION, lookup_key(condition))
                    rows.entity_edge("MAPS_TO", source, term_node, record.nct_id)

    def _sponsors(self) -> int | None:
        """The sponsors; the row of the lead sponsor, if one is listed."""
        rows, trial = self.rows, self.trial
        lead: int | None = None
        for position, sponsor in enumerate(self.record.sponsors):
            row = rows.add(trial, ORGANIZATION, sponsor.name, sponsor.name)
            if sponsor.agency_class:
                rows.classes.append((row, sponsor.agency_class))
            if sponsor.role == "LEAD" and lead is None:
                lead = row
            key = f"SPONSORED_BY:{sponsor.role}" if sponsor.role else "SPONSORED_BY"
            rows.edge(
                "SPONSORED_BY",
                self.node,
                row,
                key,
                sponsor.role,
                sponsor.agency_class,
                sponsor.field,
                sponsor.name,
                position,
            )
        return lead

    def _person(self, name: str, affiliation: str | None, field: str, affiliate: bool = True) -> int:
        """A person, and the organization of their affiliation; the person's row."""
        rows, trial, nct = self.rows, self.trial, self.record.nct_id
        person = rows.add(trial, INVESTIGATOR, name, name)
        if affiliation and affiliate:
            organization = rows.add(trial, ORGANIZATION, affiliation, affiliation)
            key = f"AFFILIATED_WITH:{nct}"
            rows.edge("AFFILIATED_WITH", person, organization, key, nct, f"{field}.affiliation", affiliation)
        return person

    def _named(self, row: int, role: str | None, field: str, spelling: str, site: bool) -> None:
        """Note a person named for the whole trial or at one of its sites (in source order)."""
        person = node_id(NodeKind.INVESTIGATOR, person_key(self.rows.made_from[row]))
        found = self.people.get(person)
        if found is None:
            found = self.people[person] = ([], [], [], [])
        if site and not found[1]:
            self.named_at_sites.append(person)
        found[1 if site else 0].append(role or "")
        found[2].append(field)
        found[3].append(spelling)

    def _responsible_party(self, lead: int | None) -> None:
        party = self.record.responsible_party
        if party.type == "SPONSOR" and lead is not None:
            self.rows.edge(
                "RESPONSIBLE_PARTY",
                self.node,
                lead,
                "RESPONSIBLE_PARTY",
                party.type,
                None,
                "responsibleParty",
                None,
            )
        elif party.investigator_name:
            name = party.investigator_name
            person = self._person(name, party.investigator_affiliation, "responsibleParty")
            self.rows.edge(
                "RESPONSIBLE_PARTY",
                self.node,
                person,
                "RESPONSIBLE_PARTY",
                party.type,
                party.investigator_title,
                "responsibleParty",
                name,
            )

    def _sites(self) -> None:
        rows, trial, record, node = self.rows, self.trial, self.record, self.node
        nct = record.nct_id.lower()
        for position, location in enumerate(record.locations):
            site_node, place = site_id(location, nct, position)
            facility, country = location.facility, location.country
            written = (facility or "", location.city, location.state, country)
            row = rows.add(trial, SITE, site_node, LIST_SEPARATOR.join(written) if any(written) else "")
            rows.sites.append(
                (
                    row,
                    *(place or (None, None)),
                    rows.add(trial, COUNTRY, country, country) if country else None,
                    location.city or None,
                    location.state or None,
                    country or None,
                    location.zip or None,
                    location.latitude,
                    location.longitude,
                    bool(facility) and is_anonymized(facility or ""),
                )
            )
            rows.edge(
                "CONDUCTED_AT", node, row, "CONDUCTED_AT", location.status, location.field, facility, position
            )
            for investigator in location.investigators:
                person = self._person(investigator.name, None, investigator.field, affiliate=False)
                self._named(person, investigator.role, investigator.field, investigator.name, site=True)
                rows.edge(
                    "INVESTIGATES_AT",
                    person,
                    row,
                    f"INVESTIGATES_AT:{record.nct_id}",
                    record.nct_id,
                    investigator.role,
                    investigator.field,
                    position,
                )
        for position, name in enumerate(record.countries):
            rows.edge("RUNS_IN", node, rows.add(trial, COUNTRY, name, name), "RUNS_IN", position)

    def _investigated_by(self) -> None:
        """One edge from the trial to each person it names: its own people first, in source
        order, then those named at its sites only, in the order first named there."""
        ranked = sorted(self.people.items(), key=lambda item: not item[1][0])
        site_positions = {person: position for position, person in enumerate(self.named_at_sites)}
        for position, (person, (own, at_sites, fields, spellings)) in enumerate(ranked):
            roles = [role for role in dict.fromkeys(own) if role]
            site_roles = [role for role in dict.fromkeys(at_sites) if role]
            self.rows.edge(
                "INVESTIGATED_BY",
                self.node,
                person,
                "INVESTIGATED_BY",
                next(iter(roles + site_roles), None),
                "TRIAL" if own else "SITE",
                joined(roles) or None,
                joined(site_roles) or None,
                site_positions.get(person),
                joined(fields),
                joined(spellings),
                position,
            )

    def _interventions_and_arms(self) -> None:
        rows, trial, record, node = self.rows, self.trial, self.record, self.node
        intervention_rows = []
        for position, (intervention, intervention_node) in enumerate(
            zip(record.interventions, intervention_ids(record), strict=True)
        ):
            row = rows.add(trial, INTERVENTION, intervention_node, intervention.name)
            intervention_rows.append(row)
            rows.interventions.append(
                (row, intervention.name or None, intervention.type or None, intervention.other_names)
            )
            rows.edge(
                "TESTS",
                node,
                row,
                "TESTS",
                intervention.description,
                joined(intervention.other_names) or None,
                intervention.field,
                intervention.name,
                position,
            )
        for position, (arm, arm_node) in enumerate(zip(record.arms, arm_ids(record), strict=True)):
            rows.edge("HAS_ARM", node, arm_node, "HAS_ARM", arm.field, position)
            for received in sorted(arm.interventions):
                rows.edge("RECEIVES", arm_node, intervention_rows[received], "RECEIVES")
