"""How resolution merged the records' mentions into nodes, counted per kind of entity: what a
user reads to trust a merge, or to find a wrong one (``trialgraph audit``).

The kinds audited are those resolved across trials: Condition, Organization, Investigator,
Site, Country, Intervention and MeshTerm. Anonymised sites (``anonymized``: the facility name is
a sponsor's placeholder, :mod:`graph.build.anonymized`) are counted apart from the other sites. The
figures, per kind:

nodes
    The nodes of the kind.
mentions
    The places in the records that name an entity of the kind: one per line of ``field`` on the
    edges that name it (:data:`graph.query.mentions.NAMING`): a condition's ``STUDIES``, an
    organization's ``SPONSORED_BY`` and ``AFFILIATED_WITH``, an investigator's
    ``INVESTIGATED_BY`` and ``RESPONSIBLE_PARTY``, a site's ``CONDUCTED_AT`` (its listings), an
    intervention's ``TESTS``, a MeSH term's ``CLASSIFIED_AS`` and ``CLASSIFIED_UNDER``. A
    country's edges keep no ``field``: its mentions are not counted (``None``).
merged
    Nodes with 2 or more mentions, in one trial or in several: where resolution joined mentions.
respelt
    Nodes with 2 or more distinct spellings (lines of ``spellings``): the merges to look at.
trials
    Of one node: the distinct trials with an edge to it (the trials studying a condition,
    sponsoring an organization or naming it responsible party, naming an investigator, conducted
    at a site, running in a country, testing an intervention, classified as or under a term). An
    organization named only as an affiliation has none.
most spellings
    The ``top`` nodes with 2 or more spellings, by spellings, then mentions, then trials (most
    first), then id.
biggest hubs
    The ``top`` nodes with a trial, by trials, then mentions (most first), then id.

Anonymised sites also count their listings (mentions), those keyed on a postal code (the only
way they merge), how many of those were merged (2 or more listings), and those listed without a
postal code, each listing a node of its own.

Counts come from the store's arrays; attributes are decoded only where an array cannot say: every
site (whether it is anonymised), an entity or an edge whose bytes hold a line feed (a second
spelling, a second field line), and the nodes listed.
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.compact.graph import CompactGraph
from graph.compact.positions import distinct
from graph.compact.relations import label_of
from graph.compact.store import EDGE_KIND_CODE, NODE_KIND_CODE, NODE_KINDS, GraphStore
from graph.compact.tables import Buffer
from graph.keys import lookup_key
from graph.model import LIST_SEPARATOR, NodeKind, listed
from graph.query.mentions import NAMING

AUDITED = (
    NodeKind.CONDITION,
    NodeKind.ORGANIZATION,
    NodeKind.INVESTIGATOR,
    NodeKind.SITE,
    NodeKind.COUNTRY,
    NodeKind.INTERVENTION,
    NodeKind.MESH_TERM,
)
_LINE_FEED = ord(LIST_SEPARATOR)
_SCAN_BYTES = 1 << 24  # bytes compared at once when looking for line feeds
Counts = npt.NDArray[np.int64]
_PLACE = ["city", "state", "country"]  # a named site's place, as listed


@dataclass(frozen=True, slots=True)
class Listed:
    """A node in one of the audit's lists."""

    id: str
    name: str  # the node's label (:func:`graph.compact.relations.label_of`)
    # A named site's city, state and country (and an anonymised one's postal code), as the node
    # holds them; "" otherwise.
    place: str
    trials: int
    mentions: int | None  # None for a country
    spellings: list[str]


@dataclass(frozen=True, slots=True)
class KindAudit:
    """The figures of one kind (sites: those not anonymised); see the module docstring."""

    kind: str
    nodes: int
    mentions: int | None
    merged: int | None
    respelt: int
    most_spellings: list[Listed]
    biggest_hubs: list[Listed]


@dataclass(frozen=True, slots=True)
class AnonymizedSites:
    """The figures of anonymised sites; ``listings`` are their mentions."""

    nodes: int
    listings: int
    with_postal_code: int
    merged: int  # with 2 or more listings: merged on a postal code
    without_postal_code: int
    respelt: int
    most_spellings: list[Listed]
    biggest_hubs: list[Listed]


@dataclass(frozen=True, slots=True)
class Audit:
    """The whole audit of one graph."""

    trials: int
    nodes: int
    edges: int
    top: int
    kinds: list[KindAudit]
    anonymized_sites: AnonymizedSites


def audit(graph: CompactGraph, top: int = 10) -> Audit:
    """Count how ``graph``'s mentions were merged into nodes, per kind, with the ``top`` nodes of
    each kind by spellings and by trials.

    Examples
    --------
    >>> from graph.build.builder import build_graph
    >>> from graph.model import Location, Source, TrialRecord
    >>> one = TrialRecord("NCT00000001", Source("a.json"), conditions=["Flu", "flu"])
    >>> two = TrialRecord("NCT00000002", Source("b.json"), conditions=["FLU"],
    ...     locations=[Location("Research Site", "Oslo", country="Norway")])
    >>> found = audit(build_graph([one, two]), top=1)
    >>> [(k.kind, k.nodes, k.mentions, k.merged, k.respelt) for k in found.kinds[:1]]
    [('Condition', 1, 3, 1, 1)]
    >>> hub = found.kinds[0].biggest_hubs[0]
    >>> hub.id, hub.trials, hub.mentions, hub.spellings
    ('Condition:flu', 2, 3, ['Flu', 'flu', 'FLU'])
    >>> found.anonymized_sites.nodes, found.anonymized_sites.without_postal_code
    (1, 1)
    """
    if top < 0:
        raise ValueError(f"top: {top} is not a count; expected 0 or more")
    store = graph.store
    counted = _Counted(store)
    kinds = []
    for kind in AUDITED:
        lo, hi = store.kind_range(kind)
        chosen = np.arange(lo, hi, dtype=np.int64)
        if kind is NodeKind.SITE:
            chosen = chosen[~counted.anonymized[lo:hi]]
        named = kind in NAMING
        mentions = counted.mentions[chosen]
        kinds.append(
            KindAudit(
                kind=kind.value,
                nodes=len(chosen),
                mentions=int(mentions.sum()) if named else None,
                merged=int(np.count_nonzero(mentions >= 2)) if named else None,
                respelt=int(np.count_nonzero(counted.spellings[chosen] >= 2)),
                most_spellings=counted.most_spellings(chosen, top, named),
                biggest_hubs=counted.biggest_hubs(chosen, top, named),
            )
        )
    lo, hi = store.kind_range(NodeKind.SITE)
    anonymized = np.flatnonzero(counted.anonymized[lo:hi]).astype(np.int64) + lo
    listings = counted.mentions[anonymized]
    postal = counted.postal_coded[anonymized]
    sites = AnonymizedSites(
        nodes=len(anonymized),
        listings=int(listings.sum()),
        with_postal_code=int(np.count_nonzero(postal)),
        merged=int(np.count_nonzero(listings >= 2)),
        without_postal_code=int(np.count_nonzero(~postal)),
        respelt=int(np.count_nonzero(counted.spellings[anonymized] >= 2)),
        most_spellings=counted.most_spellings(anonymized, top, True),
        biggest_hubs=counted.biggest_hubs(anonymized, top, True),
    )
    return Audit(
        trials=len(range(*store.kind_range(NodeKind.TRIAL))),
        nodes=store.node_count,
        edges=store.edge_count,
        top=top,
        kinds=kinds,
        anonymized_sites=sites,
    )


class _Counted:
    """Per node (by position): mentions, trials, distinct spellings (exact from 2 up: 0 or 1
    below), and for sites whether anonymised and keyed on a postal code."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.mentions = _mentions(store)
        self.trials = _trials(store)
        self.spellings = np.zeros(store.node_count, dtype=np.int64)
        self.anonymized = np.zeros(store.node_count, dtype=bool)
        self.postal_coded = np.zeros(store.node_count, dtype=bool)
        self._read_nodes()

    def _read_nodes(self) -> None:
        store = self.store
        blobs, loads = store.node_attributes, marshal.loads
        data = memoryview(blobs.data)
        lo, hi = store.kind_range(NodeKind.SITE)
        starts, lengths = blobs.starts[lo:hi].tolist(), blobs.lengths[lo:hi].tolist()
        spelt, anonymized, postal_coded = [0] * (hi - lo), [], []
        for at, (start, length) in enumerate(zip(starts, lengths, strict=True)):
            site = loads(data[start : start + length])
            spellings = site.get("spellings")
            spelt[at] = spellings.count(LIST_SEPARATOR) + 1 if spellings else 0
            if site.get("anonymized"):
                anonymized.append(lo + at)
                if lookup_key(str(site.get("zip", ""))):
                    postal_coded.append(lo + at)
        self.spellings[lo:hi] = spelt
        self.anonymized[anonymized] = True
        self.postal_coded[postal_coded] = True
        others = np.concatenate(
            [
                np.arange(*store.kind_range(kind), dtype=np.int64)
                for kind in AUDITED
                if kind is not NodeKind.SITE
            ]
        )
        for position in others[_holding_line_feeds(blobs.data, blobs.starts, blobs.lengths, others)].tolist():
            start = blobs.starts.item(position)
            entity = loads(data[start : start + blobs.lengths.item(position)])
            self.spellings[position] = len(listed(entity, "spellings"))

    def most_spellings(self, chosen: npt.NDArray[np.int64], top: int, named: bool) -> list[Listed]:
        chosen = chosen[self.spellings[chosen] >= 2]
        order = np.lexsort((chosen, -self.trials[chosen], -self.mentions[chosen], -self.spellings[chosen]))
        return [self._listed(int(position), named) for position in chosen[order[:top]].tolist()]

    def biggest_hubs(self, chosen: npt.NDArray[np.int64], top: int, named: bool) -> list[Listed]:
        chosen = chosen[self.trials[chosen] >= 1]
        order = np.lexsort((chosen, -self.mentions[chosen], -self.trials[chosen]))
        return [self._listed(int(position), named) for position in chosen[order[:top]].tolist()]

    def _listed(self, position: int, named: bool) -> Listed:
        data = self.store.attributes(position)
        place = ""
        if data["kind"] == NodeKind.SITE.value and "name" in data:  # an unnamed site's label has its place
            parts = [*_PLACE, "zip"] if data.get("anonymized") else _PLACE  # a placeholder's postal code
            place = ", ".join(str(data[part]) for part in parts if part in data)
        return Listed(
            id=self.store.id(position),
            name=label_of(data),
            place=place,
            trials=int(self.trials[position]),
            mentions=int(self.mentions[position]) if named else None,
            spellings=listed(data, "spellings"),
        )


def _mentions(store: GraphStore) -> Counts:
    """Per node, its mentions: the lines of ``field`` on the edges naming it."""
    naming = np.zeros((len(EDGE_KIND_CODE), len(NODE_KINDS)), dtype=bool)
    for kind, relations in NAMING.items():
        for relation in relations:
            naming[EDGE_KIND_CODE[relation.value], NODE_KIND_CODE[kind.value]] = True
    edges = np.flatnonzero(naming[store.out_kind, store.node_kinds[store.out_target]])
    targets = store.out_target[edges]
    counts: Counts = np.bincount(targets, minlength=store.node_count).astype(np.int64)
    blobs, loads = store.edge_attributes, marshal.loads
    data = memoryview(blobs.data)
    for edge in edges[_holding_line_feeds(blobs.data, blobs.starts, blobs.lengths, edges)].tolist():
        start = blobs.starts.item(edge)
        field = loads(data[start : start + blobs.lengths.item(edge)]).get("field")
        if isinstance(field, str):
            counts[store.out_target.item(edge)] += field.count(LIST_SEPARATOR)
    return counts


def _trials(store: GraphStore) -> Counts:
    """Per node, the distinct trials with an edge to it."""
    lo, hi = store.kind_range(NodeKind.TRIAL)
    if lo == hi:
        return np.zeros(store.node_count, dtype=np.int64)
    first, last = store.out_offsets.item(lo), store.out_offsets.item(hi)
    trials = hi - lo
    sources = np.repeat(
        np.arange(trials, dtype=np.int64), np.diff(store.out_offsets[lo : hi + 1]).astype(np.int64)
    )
    # Each (target, trial) once: a trial may reach a node by several edges (lead sponsor and
    # responsible party, a MeSH term and an ancestor of another).
    pairs = distinct(store.out_target[first:last].astype(np.int64) * trials + sources)
    counts: Counts = np.bincount(pairs // trials, minlength=store.node_count).astype(np.int64)
    return counts


def _holding_line_feeds(
    data: Buffer, starts: npt.NDArray[Any], lengths: npt.NDArray[Any], which: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Whether each blob of ``which`` holds a line feed byte: a list value of 2 or more items
    must, and most blobs do not (a byte of a number or a length may be one too)."""
    if not len(which):
        return np.zeros(0, dtype=bool)
    begins = starts[which].astype(np.int64)
    ends = begins + lengths[which].astype(np.int64)
    lo, hi = int(begins.min()), int(ends.max())
    view = np.frombuffer(data, dtype=np.uint8)
    found = [
        np.flatnonzero(view[at : min(at + _SCAN_BYTES, hi)] == _LINE_FEED) + at
        for at in range(lo, hi, _SCAN_BYTES)
    ]
    line_feeds = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    held: npt.NDArray[np.bool_] = np.searchsorted(line_feeds, ends) > np.searchsorted(line_feeds, begins)
    return held
