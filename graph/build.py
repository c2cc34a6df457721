"""Trial records into one resolved networkx MultiDiGraph.

What a record adds is worked out from the record alone (:func:`graph.trialplan.plan_trial`,
possibly in another process); :class:`Builder` merges the plans, trial after trial, and
resolves what needs every trial once all are in.

Mentions resolve to one node per real entity on normalised keys (:mod:`graph.keys`):

- an organization on its name without company form, whether lead sponsor, collaborator,
  affiliation or responsible party;
- a site on facility, city and country (the state is left out: pages drop it at random), and a
  site without a facility name never merges: it is keyed on its trial and position;
- an investigator on the name without degrees, plus the affiliation when one is stated;
- a condition on its name, a country on its name;
- an intervention on type and name; two interventions of one trial with the same type and name
  (on different arms) stay apart, keyed also on their description;
- an arm belongs to its trial;
- a MeSH term (registry JSON's ``derivedSection.conditionBrowseModule``) on its MeSH id.

MeSH terms: a trial is ``CLASSIFIED_AS`` each of its terms and ``CLASSIFIED_UNDER`` each
ancestor the registry lists for it. The registry lists the ancestors of all of a trial's terms
together, not per term, so a ``BROADER`` edge (term -> ancestor, any number of levels up) is
made only from trials with a single term, where every listed ancestor is that term's own. A
condition ``MAPS_TO`` a term when the term, or a text the registry found it as, is a run of
whole words of the condition's name.

A site without coordinates in its record gets its city's centre from the offline gazetteer
(:mod:`graph.gazetteer`), marked ``coordinatesDerived``; record coordinates are never replaced,
and a site's record coordinates from any trial win over a derived centre.

Every edge from a trial keeps where the mention came from (``field``, a registry field path
such as ``locations[3]``) and how it was written (``spelling``); several mentions merged into
one edge keep one line each. A node keeps its distinct spellings in ``spellings`` and is named
by its most frequent one (the first, in NCT order, on a tie), so a merge can be audited.
Attribute values are str, int, float or bool only; absent values are left out; lists are
strings joined by :data:`~graph.model.LIST_SEPARATOR`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graph.compact.assemble import StoreBuilder
from graph.compact.graph import CompactGraph
from graph.compact.store import NO_POSITION
from graph.gazetteer import gazetteer
from graph.index import GraphIndex, IndexBuilder
from graph.keys import clear_key_caches, node_id, organization_key, split_person_name
from graph.model import LIST_SEPARATOR, EdgeKind, NodeKind, Source, TrialRecord
from graph.trialplan import (
    AGENCY_CLASS,
    ARM,
    ENTITY,
    ENTITY_EDGE,
    OTHER_NAMES,
    SITE,
    VALUE,
    TrialPlan,
    joined,
    merge_mention,
    plan_trial,
    trial_id,
)

__all__ = ["BuildProgress", "Builder", "build", "build_graph", "joined", "merge_mention", "trial_id"]

# Told how finishing a build goes: the step under way, and how much of it is done of how much
# (0 of 0 for a step not counted).
BuildProgress = Callable[[str, int, int], None]
TOLD_EVERY = 4096  # trials added or entities written between two reports


def build(
    records: Iterable[TrialRecord],
    sources: Mapping[str, list[Source]] | None = None,
    graph_attributes: Mapping[str, Any] | None = None,
    progress: BuildProgress | None = None,
) -> tuple[CompactGraph, GraphIndex]:
    """Build the resolved graph of ``records`` (one per trial, in NCT order) and its index;
    ``progress`` is told every :data:`TOLD_EVERY` trials added, then the steps of
    :meth:`Builder.finish`.

    A list of records is emptied as it is read, so that each record can be freed once built.
    """
    builder = Builder()
    told = progress or _untold
    try:
        if isinstance(records, list):
            for place in range(len(records)):
                if place % TOLD_EVERY == 0:
                    told("adding trials", place, len(records))
                record, records[place] = records[place], None
                builder.add_trial(record, (sources or {}).get(record.nct_id, [record.source]))
        else:
            told("adding trials", 0, 0)
            for record in records:
                builder.add_trial(record, (sources or {}).get(record.nct_id, [record.source]))
        return builder.finish(dict(graph_attributes or {}), progress)
    finally:
        builder.close()


def build_graph(
    records: Iterable[TrialRecord],
    sources: Mapping[str, list[Source]] | None = None,
    graph_attributes: Mapping[str, Any] | None = None,
) -> CompactGraph:
    """Build the resolved graph of ``records`` (one per trial, in NCT order): a frozen networkx
    ``MultiDiGraph`` over compact arrays (:mod:`graph.compact`).

    Examples
    --------
    >>> from graph.model import TrialRecord, Source, Sponsor
    >>> one = TrialRecord("NCT00000001", Source("a.txt"), sponsors=[Sponsor("Acme Inc.", "LEAD")])
    >>> two = TrialRecord("NCT00000002", Source("b.txt"), sponsors=[Sponsor("ACME", "COLLABORATOR")])
    >>> g = build_graph([one, two])
    >>> sorted(g.predecessors("Organization:acme"))
    ['Trial:NCT00000001', 'Trial:NCT00000002']
    >>> g.nodes["Organization:acme"]["spellings"]
    'Acme Inc.\\nACME'
    """
    return build(records, sources, graph_attributes)[0]


COUNTRY_INFERRED = "from other trials naming this facility and city"


class Builder:
    """Builds a graph from records given one at a time, in NCT order.

    Entities stay open (attributes, spellings) until :meth:`finish`; a trial's own node and
    edges are written to the store when the trial is done, so a record can be freed once added.
    A facility listed without a country is resolved at the end: it joins the one site of that
    name and city that other trials place in a country.
    """

    def __init__(self) -> None:
        self.store = StoreBuilder()
        self.finished = False
        self.countryless: dict[str, tuple[str, str]] = {}  # site -> (facility key, city key)
        self.placed: dict[tuple[str, str], set[str]] = {}  # (facility key, city key) -> sites
        self.index = IndexBuilder()
        self.entities: dict[str, dict[str, Any]] = {}
        # How each entity was written: one spelling and its count, or counts by spelling (most
        # entities are written one way: a pair costs a third of a dict).
        self.spellings: dict[str, tuple[str, int] | dict[str, int]] = {}
        self.classes: dict[str, Counter[str]] = {}
        self.entity_edges: set[tuple[str, str, str]] = set()  # made once across trials

    # -- one trial ----------------------------------------------------------------------------

    def add_trial(self, record: TrialRecord, sources: list[Source]) -> None:
        """Add a record read from ``sources``."""
        self.apply(plan_trial(record, sources))

    def apply(self, plan: TrialPlan) -> None:
        """Add a trial planned by :func:`~graph.trialplan.plan_trial` (here or in another process)."""
        trial, blob, signature, terms, steps, edges = plan
        store, index = self.store, self.index
        here = store.node(trial)
        store.set_encoded(here, blob, signature)
        index.add_trial(here, terms)
        for step in steps:
            code = step[0]
            if code == ENTITY:
                self._entity(step[1], step[2], step[3], step[4])
            elif code == SITE:
                self._site(*step[1:])
            elif code == AGENCY_CLASS:
                self.classes.setdefault(step[1], Counter())[step[2]] += 1
            elif code == ENTITY_EDGE:
                _, source, target, kind, blob, signature = step
                if (source, target, kind) not in self.entity_edges:
                    self.entity_edges.add((source, target, kind))
                    store.encoded_edge(source, target, kind, kind, NO_POSITION, blob, signature)
            elif code == OTHER_NAMES:
                data = self.entities[step[1]]
                names = data.get("otherNames", "").split(LIST_SEPARATOR)
                added = [name for name in step[2] if name not in names]
                if added:
                    data["otherNames"] = joined([n for n in names if n] + added)
            elif code == ARM:
                _, node, blob, signature, arm_terms = step
                position = store.node(node)
                store.set_encoded(position, blob, signature)
                index.add_entity(position, NodeKind.ARM, {}, arm_terms)
            elif code == VALUE:
                index.add_value(here, step[1], step[2])
        for edge in edges:
            store.encoded_edge(*edge)

    def _entity(self, node: str, kind: str, spelling: str, attributes: dict[str, Any] | None) -> None:
        """Add (or meet again) an entity node, counting how it was written."""
        data = self.entities.get(node)
        if data is None:
            data = self.entities[node] = {"kind": kind}
        if attributes:
            for name, value in attributes.items():
                if name not in data:
                    data[name] = value
        found = self.spellings.get(node)
        if found is None:
            self.spellings[node] = (spelling, 1)
        elif isinstance(found, tuple):
            if found[0] == spelling:
                self.spellings[node] = (spelling, found[1] + 1)
            else:
                self.spellings[node] = {found[0]: found[1], spelling: 1}
        else:
            found[spelling] = found.get(spelling, 0) + 1

    def _site(
        self,
        node: str,
        spelling: str,
        attributes: dict[str, Any],
        place: tuple[str, str] | None,
        country: str | None,
        country_name: str,
    ) -> None:
        """A site, and the country its key places it in (their edge made once, with the site)."""
        if place is not None:
            if country is not None:
                self.placed.setdefault(place, set()).add(node)
            else:
                self.countryless[node] = place
        new_site = node not in self.entities
        self._entity(node, NodeKind.SITE.value, spelling, attributes)
        if country is not None:
            self._entity(country, NodeKind.COUNTRY.value, country_name, None)
            if new_site:
                kind = EdgeKind.LOCATED_IN.value
                self.store.edge(node, country, kind, kind, {"kind": kind})

    # -- the whole graph ----------------------------------------------------------------------

    def close(self) -> None:
        """Give up a build that was not finished."""
        if not self.finished:
            self.store.close()

    def finish(
        self, graph_attributes: dict[str, Any], progress: BuildProgress | None = None
    ) -> tuple[CompactGraph, GraphIndex]:
        """Name every entity by its most frequent spelling; link sites to their organizations;
        ``progress`` is told each step, and every :data:`TOLD_EVERY` entities written."""
        told = progress or _untold
        told("placing sites", 0, 0)
        self._place_countryless_sites()
        self._derive_coordinates()
        told("naming entities", 0, 0)
        for node, found in self.spellings.items():
            counts = _counts(found)
            written = [spelling for spelling in counts if spelling]
            if not written:
                continue
            data = self.entities[node]
            data["spellings"] = joined(written)
            best = max(written, key=counts.__getitem__)  # the first on a tie: NCT order
            if data["kind"] == NodeKind.INVESTIGATOR.value:
                data["name"], degrees = split_person_name(best)
                if degrees:
                    data["degrees"] = degrees
            else:
                data["name"] = best
        for node, counts in self.classes.items():
            self.entities[node]["agencyClass"] = counts.most_common(1)[0][0]
        operated = EdgeKind.OPERATED_BY.value
        self.organizations = {node for node in self.entities if node.startswith("Organization:")}
        clear_key_caches()  # every name was keyed: the caches would only hold memory now
        total = len(self.entities)
        for done in range(total):  # each entity's dict is freed once written
            if done % TOLD_EVERY == 0:
                told("writing and indexing entities", done, total)
            node, data = self.entities.popitem()
            here = self.store.node(node)
            self.store.set_attributes(here, data)
            self.index.add_entity(here, NodeKind(data["kind"]), data)
            if data["kind"] == NodeKind.SITE.value and "name" in data:
                organization = node_id(NodeKind.ORGANIZATION, organization_key(data["name"]))
                if organization in self.organizations:
                    self.store.edge(
                        node, organization, operated, operated, {"kind": operated, "basis": "same name"}
                    )
        self.finished = True
        told("assembling the graph", 0, 0)
        store = self.store.assemble(graph_attributes, merge_mention)
        told("indexing", 0, 0)
        return CompactGraph(store), self.index.finish(store, self.store.renumber)

    def _derive_coordinates(self) -> None:
        """A site without coordinates gets its city's centre, if the gazetteer holds the city."""
        for data in self.entities.values():
            if data["kind"] != NodeKind.SITE.value or "latitude" in data:
                continue
            city, country = data.get("city"), data.get("country")
            if city and country:
                place = gazetteer().locate(city, data.get("state", ""), country)
                if place is not None:
                    data.update(latitude=place.latitude, longitude=place.longitude, coordinatesDerived=True)

    def _place_countryless_sites(self) -> None:
        """A facility listed without a country is the one site of that name and city that other
        trials place in a country, if there is exactly one; its edges move there."""
        for node, place in self.countryless.items():
            sites = self.placed.get(place, set())
            if len(sites) != 1:
                continue
            target = next(iter(sites))
            source, into = self.entities.pop(node), self.entities[target]
            for name, value in source.items():
                into.setdefault(name, value)
            merged: dict[str, int] = {}
            for written in (self.spellings.get(target), self.spellings.pop(node, None)):
                for spelling, count in _counts(written).items():
                    merged[spelling] = merged.get(spelling, 0) + count
            self.spellings[target] = merged
            self.store.redirect(
                node, target, {EdgeKind.CONDUCTED_AT.value: {"countryInferred": COUNTRY_INFERRED}}
            )


def _untold(step: str, done: int, total: int) -> None:
    """Progress no one asked for."""


def _counts(found: tuple[str, int] | dict[str, int] | None) -> dict[str, int]:
    """Counts by spelling, from what the builder keeps."""
    if found is None:
        return {}
    return {found[0]: found[1]} if isinstance(found, tuple) else found
