"""Indexes beside the graph: names to nodes, words to trials and nodes, values to trials, and
per-trial columns for ranges and orders.

The builder feeds :class:`IndexBuilder` while it makes the graph; :meth:`IndexBuilder.finish`
turns what it collected into arrays (:class:`~graph.compact.tables.MultiMap`), numbered like the
graph's store. Look-ups by name, trial filters, text search and orders answer from these
arrays, never from a scan of every trial.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.compact.relations import counts_by_kind
from graph.compact.store import GraphStore
from graph.compact.tables import KeyPairs, MultiMap
from graph.keys import lookup_key, organization_key, person_key, words
from graph.model import LIST_SEPARATOR, NodeKind

# How a name is keyed for look-up, per kind: the same way the builder resolves it.
NAME_KEYS: dict[NodeKind, Callable[[str], str]] = {
    NodeKind.CONDITION: lookup_key,
    NodeKind.ORGANIZATION: organization_key,
    NodeKind.INVESTIGATOR: person_key,
    NodeKind.SITE: organization_key,
    NodeKind.COUNTRY: lookup_key,
    NodeKind.INTERVENTION: lookup_key,
    NodeKind.ARM: lookup_key,
    NodeKind.MESH_TERM: lookup_key,
}
# Trial attributes whose words text search finds (conditions are added by the builder).
TEXT_ATTRIBUTES = ("title", "officialTitle", "acronym", "briefSummary", "keywords", "nctId")
VALUE_ATTRIBUTES = ("status", "phases", "studyType", "sex", "healthyVolunteers")
ELIGIBILITY_ATTRIBUTES = (
    "minimumAgeYears",
    "maximumAgeYears",
    "sex",
    "eligibilityCriteria",
    "healthyVolunteers",
)
# Per-trial numeric columns: ages in years, dates as YYYYMMDD (a month alone as YYYYMM00), counts.
COLUMNS = ("minimumAgeYears", "maximumAgeYears", "startDate", "completionDate", "lastUpdated", "enrollment")
# Per-site numeric columns: coordinates, from the record or the gazetteer.
SITE_COLUMNS = ("latitude", "longitude")
MISSING = np.nan
ASCII_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")


def date_number(text: str) -> float:
    """A registry date as a number that sorts like it: ``2023-04`` before ``2023-04-10``.

    >>> date_number("2023-04-10"), date_number("2023-04"), date_number("2023")
    (20230410.0, 20230400.0, 20230000.0)
    """
    parts = [int(part) for part in text.split("-")] + [0, 0]
    return float(parts[0] * 10000 + parts[1] * 100 + parts[2])


def text_words(text: str) -> set[str]:
    """The distinct words of free text, keyed like names (:func:`graph.keys.words`).

    >>> sorted(text_words("Stem-cell therapy, in stroke; APG-2575"))
    ['apg2575', 'in', 'stemcell', 'stroke', 'therapy']
    """
    if text.isascii():
        found = ASCII_WORD.findall(text.lower())
        if "-" in text or "'" in text:
            return {word.replace("-", "").replace("'", "") for word in found}
        return set(found)
    return set(words(text))


# What the index finds an entity by: its name keys and words.
Terms = tuple[list[str], list[str]]
# What it finds a trial by: words, "attribute=value" keys, and its values of the COLUMNS.
TrialTerms = tuple[list[str], list[str], list[float]]


def trial_terms(data: Mapping[str, Any], conditions: list[str]) -> TrialTerms:
    """The words text search finds a trial by (:func:`trial_words`), and its ``attribute=value``
    keys and per-trial columns (:func:`trial_facets`).

    >>> data = {"title": "Stroke care", "status": "RECRUITING", "sex": "ALL", "startDate": "2020-03"}
    >>> words, values, columns = trial_terms(data, ["Stroke"])
    >>> sorted(words), values, columns[2]
    (['care', 'stroke'], ['status=RECRUITING', 'sex=ALL', 'eligibility=stated'], 20200300.0)
    """
    return list(trial_words(data, conditions)), *trial_facets(data)


def trial_words(data: Mapping[str, Any], conditions: list[str]) -> set[str]:
    """The words text search finds a trial by: those of its :data:`TEXT_ATTRIBUTES` and its
    conditions."""
    found: set[str] = set()
    for name in TEXT_ATTRIBUTES:
        if name in data:
            found |= text_words(str(data[name]))
    for condition in conditions:
        found |= text_words(condition)
    return found


def trial_facets(data: Mapping[str, Any]) -> tuple[list[str], list[float]]:
    """A trial's ``attribute=value`` keys for filters, and its values of the per-trial
    :data:`COLUMNS` (NaN where absent)."""
    values = [
        f"{name}={word}"
        for name in VALUE_ATTRIBUTES
        if name in data
        for word in str(data[name]).split(LIST_SEPARATOR)
    ]
    if any(name in data for name in ELIGIBILITY_ATTRIBUTES):
        values.append("eligibility=stated")
    columns = []
    for name in COLUMNS:
        value = data.get(name)
        if value is None:
            columns.append(MISSING)
        elif name.endswith("Date") or name == "lastUpdated":
            columns.append(date_number(str(value)))
        else:
            columns.append(float(value))
    return values, columns


def entity_terms(kind: NodeKind, data: Mapping[str, Any], key: str | None = None) -> Terms:
    """The name keys look-up finds an entity by (each way it was written, keyed like the
    builder resolves its kind), and the words text search finds it by. ``key``, where given, is
    the one key every way it was written has (the builder can tell it from the node's id), and
    nothing is keyed again.

    >>> data = {"name": "Acme Inc.", "spellings": "Acme Inc.\\nACME"}
    >>> keys, words = entity_terms(NodeKind.ORGANIZATION, data)
    >>> keys, sorted(words)
    (['acme'], ['acme', 'inc'])
    >>> entity_terms(NodeKind.ORGANIZATION, data, "acme")[0]
    ['acme']
    """
    written = {str(data[name]) for name in ("name", "label") if name in data}
    for name in ("spellings", "otherNames"):
        if name in data:
            written.update(str(data[name]).split(LIST_SEPARATOR))
    written.discard("")
    words: set[str] = set()
    for text in written:
        words |= text_words(text)
    if key is not None:
        return ([key] if written else []), list(words)
    keyed = NAME_KEYS.get(kind)
    keys = {found for text in written if (found := keyed(text))} if keyed is not None else set()
    return list(keys), list(words)


@dataclass(slots=True)
class GraphIndex:
    """Look-up arrays for one graph; positions are the graph store's node positions."""

    names: dict[str, MultiMap] = field(default_factory=dict)  # kind -> name key -> nodes
    trial_words: MultiMap = field(default_factory=MultiMap.empty)
    node_words: MultiMap = field(default_factory=MultiMap.empty)
    values: MultiMap = field(default_factory=MultiMap.empty)  # "attribute=value" -> trials
    columns: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)  # by trial number
    trial_range: tuple[int, int] = (0, 0)  # trials are positions lo..hi (number = position - lo)
    site_columns: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)  # by site number
    node_counts: dict[str, int] = field(default_factory=dict)
    edge_counts: dict[str, int] = field(default_factory=dict)

    def trials(self) -> npt.NDArray[np.uint32]:
        """Every trial position, in NCT order."""
        return np.arange(*self.trial_range, dtype=np.uint32)

    def column(self, name: str, trials: npt.NDArray[np.uint32]) -> npt.NDArray[np.float64]:
        """A per-trial column's values for the given trial positions (NaN where absent)."""
        return self.columns[name][trials.astype(np.int64) - self.trial_range[0]]


class IndexBuilder:
    """Collects names, words and values while the graph is built, by the store's first numbering."""

    def __init__(self) -> None:
        self.names: dict[NodeKind, dict[str, array[int]]] = {kind: {} for kind in NAME_KEYS}
        self.trial_words: dict[str, array[int]] = {}
        self.node_words: dict[str, array[int]] = {}
        self.values: dict[str, array[int]] = {}
        self.column_trials = array("I")
        self.column_values: dict[str, array[float]] = {name: array("d") for name in COLUMNS}
        self.site_positions = array("I")
        self.site_values: dict[str, array[float]] = {name: array("d") for name in SITE_COLUMNS}
        self.word_pairs: dict[str, list[KeyPairs]] = {"trial_words": [], "node_words": []}

    def add_trial(self, position: int, terms: TrialTerms) -> None:
        """A trial at ``position``, found by its :func:`trial_terms`."""
        words, values, columns = terms
        _add(self.trial_words, words, position)
        _add(self.values, values, position)
        self.column_trials.append(position)
        for column, value in zip(self.column_values.values(), columns, strict=True):
            column.append(value)

    def add_words(self, table: str, pairs: KeyPairs) -> None:
        """Words found in columns, each with the position of the trial (``table``:
        ``trial_words``) or node (``node_words``) it finds."""
        self.word_pairs[table].append(pairs)

    def add_value(self, position: int, name: str, value: str) -> None:
        """A value a trial filter or facet finds the trial by, besides its own attributes."""
        _add(self.values, (f"{name}={value}",), position)

    def add_entity(
        self, position: int, kind: NodeKind, data: Mapping[str, Any], terms: Terms | None = None
    ) -> None:
        """An entity at ``position`` with attributes ``data`` and its :func:`entity_terms`
        (worked out here unless given)."""
        if kind is NodeKind.SITE and "latitude" in data and "longitude" in data:
            self.site_positions.append(position)
            for name, values in self.site_values.items():
                values.append(float(data[name]))
        keys, words = entity_terms(kind, data) if terms is None else terms
        table = self.names.get(kind)
        if table is not None:
            _add(table, keys, position)
        _add(self.node_words, words, position)

    def finish(self, store: GraphStore, renumber: npt.NDArray[np.uint32]) -> GraphIndex:
        """Arrays in the store's final numbering (``renumber[first] == final``)."""
        index = GraphIndex()
        for kind, table in self.names.items():
            index.names[kind.value] = MultiMap.build(table, renumber)
        index.trial_words = MultiMap.build(self.trial_words, renumber, self.word_pairs["trial_words"])
        index.node_words = MultiMap.build(self.node_words, renumber, self.word_pairs["node_words"])
        index.values = MultiMap.build(self.values, renumber)
        lo, hi = store.kind_range(NodeKind.TRIAL)
        index.trial_range = (lo, hi)
        trials = renumber[np.frombuffer(self.column_trials, dtype=np.uint32)].astype(np.int64) - lo
        for name, values in self.column_values.items():
            column = np.full(hi - lo, MISSING)
            column[trials] = np.frombuffer(values, dtype=np.float64)
            index.columns[name] = column
        lo, hi = store.kind_range(NodeKind.SITE)
        sites = renumber[np.frombuffer(self.site_positions, dtype=np.uint32)].astype(np.int64) - lo
        for name, values in self.site_values.items():
            column = np.full(hi - lo, MISSING)
            column[sites] = np.frombuffer(values, dtype=np.float64)
            index.site_columns[name] = column
        index.node_counts, index.edge_counts = counts_by_kind(store)
        return index


def _add(table: dict[str, array[int]], keys: Iterable[str], position: int) -> None:
    """``position`` under each of ``keys``."""
    for key in keys:
        found = table.get(key)
        if found is None:
            found = table[key] = array("I")
        found.append(position)


def find_by_name(index: GraphIndex, store: GraphStore, kind: NodeKind, name: str) -> list[int]:
    """Positions of the nodes of ``kind`` named ``name``, ignoring case, accents, spacing and
    punctuation (keyed as the builder resolves the kind); the node with the most relations first,
    then by id.
    """
    found = index.names[kind.value].get(NAME_KEYS[kind](name))
    degrees = (store.out_offsets[found + 1] - store.out_offsets[found]) + (
        store.in_offsets[found + 1] - store.in_offsets[found]
    )
    return [int(position) for position in found[np.lexsort((found, -degrees.astype(np.int64)))]]
