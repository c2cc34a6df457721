"""Trial records into one resolved networkx MultiDiGraph.

What a record adds is worked out from the record alone (:func:`graph.build.trialplan.plan_trial`,
possibly in another process); :class:`Builder` merges the plans, trial after trial, and
resolves what needs every trial once all are in.

Mentions resolve to one node per real entity on normalised keys (:mod:`graph.keys`: case,
accents, spacing and punctuation ignored, ``&`` read as ``and``):

- an organization on its name without company form, whether lead sponsor, collaborator,
  affiliation or responsible party;
- a site on facility, city and country (the state is left out: pages drop it at random); a site
  without a facility name never merges (it is keyed on its trial and position), nor does one
  with an anonymised facility name (:mod:`graph.build.anonymized`: ``Research Site``, ``GSK
  Investigational Site`` ...) unless its postal code matches too;
- an investigator on the name without titles and degrees (the affiliation is written too many
  ways to key on: each one stated is an edge); the trial has one ``INVESTIGATED_BY`` edge to
  each person, with every role held as its own and at its sites;
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
(:mod:`graph.build.gazetteer`), marked ``coordinatesDerived``; record coordinates are never replaced,
and a site's record coordinates from any trial win over a derived centre.

Every edge from a trial keeps where the mention came from (``field``, a registry field path
such as ``locations[3]``) and how it was written (``spelling``); several mentions merged into
one edge keep one line each. A node keeps its distinct spellings in ``spellings`` and is named
by the one most mentions use, mixed case before all capitals or all lower case (the first, in NCT
order, on a tie; :func:`best_spelling`): a person without titles and degrees, a site's city,
state and country each the same way. So a merge can be audited.
Attribute values are str, int, float or bool only; absent values are left out; lists are
strings joined by :data:`~graph.model.LIST_SEPARATOR`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graph.build.anonymized import is_anonymized
from graph.build.entityids import name_key_of
from graph.build.gazetteer import Place, gazetteer
from graph.build.trialplan import (
    AGENCY_CLASS,
    ARM,
    ENTITY,
    ENTITY_EDGE,
    OTHER_NAMES,
    SITE,
    VALUE,
    TrialPlan,
    merge_mention,
    plan_trial,
    trial_id,
)
from graph.compact.assemble import StoreBuilder
from graph.compact.graph import CompactGraph
from graph.compact.index import GraphIndex, IndexBuilder, entity_terms
from graph.compact.store import NO_POSITION
from graph.keys import clear_key_caches, node_id, organization_key, split_person_name
from graph.model import LIST_SEPARATOR, EdgeKind, NodeKind, Source, TrialRecord, joined

__all__ = [
    "BuildProgress",
    "Builder",
    "best_spelling",
    "build",
    "build_graph",
    "joined",
    "merge_mention",
    "trial_id",
]

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
_UNKNOWN = Place(0.0, 0.0, 0, "")  # a city not yet looked up


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
        # Sites keyed by (facility key, city key): listed without a country, and placed in one,
        # each with the position of the first trial listing it (the order of their spellings).
        self.countryless: dict[str, tuple[tuple[str, str], int]] = {}
        self.placed: dict[tuple[str, str], dict[str, int]] = {}
        self.trial = 0  # the position of the trial being added
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
        """Add a trial planned by :func:`~graph.build.trialplan.plan_trial` (here or in another process)."""
        trial, blob, signature, terms, steps, edges = plan
        store, index = self.store, self.index
        here = self.trial = store.node(trial)
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
        store.encoded_edges(edges)

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
                self.placed.setdefault(place, {}).setdefault(node, self.trial)
            else:
                self.countryless.setdefault(node, (place, self.trial))
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
            self._name(self.entities[node], _counts(found))
        for node, counts in self.classes.items():
            self.entities[node]["agencyClass"] = counts.most_common(1)[0][0]
        operated = EdgeKind.OPERATED_BY.value
        self.organizations = {node for node in self.entities if node.startswith("Organization:")}
        clear_key_caches()  # every name was keyed: the caches would only hold memory now
        is_anonymized.cache_clear()
        total = len(self.entities)
        for done in range(total):  # each entity's dict is freed once written
            if done % TOLD_EVERY == 0:
                told("writing and indexing entities", done, total)
            node, data = self.entities.popitem()
            here = self.store.node(node)
            self.store.set_attributes(here, data)
            kind, key = NodeKind(data["kind"]), name_key_of(node)
            self.index.add_entity(here, kind, data, entity_terms(kind, data, key))
            if kind is NodeKind.SITE and "name" in data and not data.get("anonymized"):
                organization = node_id(NodeKind.ORGANIZATION, key or organization_key(data["name"]))
                if organization in self.organizations:
                    self.store.edge(
                        node, organization, operated, operated, {"kind": operated, "basis": "same name"}
                    )
        clear_key_caches()  # and the names the index was given: not kept past the build either
        self.finished = True
        told("assembling the graph", 0, 0)
        store = self.store.assemble(graph_attributes, merge_mention)
        told("indexing", 0, 0)
        return CompactGraph(store), self.index.finish(store, self.store.renumber)

    def _name(self, data: dict[str, Any], counts: dict[str, int]) -> None:
        """Name an entity by the spelling most of its mentions use (:func:`best_spelling`) and
        keep every spelling; a person's name without titles and degrees, a site's facility,
        city, state and country each by their own most used spelling."""
        kind = data["kind"]
        if kind == NodeKind.SITE.value:
            places = [(written.split(LIST_SEPARATOR), count) for written, count in counts.items() if written]
            if len(places) == 1:  # most sites: listed one way
                for value, name in zip(places[0][0], ("name", "city", "state", "country"), strict=True):
                    if value:
                        data[name] = value
                if "name" in data:
                    data["spellings"] = data["name"]
                return
            for part, name in enumerate(("name", "city", "state", "country")):
                spelt: dict[str, int] = {}
                for parts, count in places:
                    if parts[part]:
                        spelt[parts[part]] = spelt.get(parts[part], 0) + count
                if spelt:
                    data[name] = best_spelling(spelt)
                    if part == 0:
                        data["spellings"] = joined(spelt)
            return
        written = [spelling for spelling in counts if spelling]
        if not written:
            return
        data["spellings"] = joined(written)
        if kind != NodeKind.INVESTIGATOR.value:
            data["name"] = written[0] if len(written) == 1 else best_spelling({s: counts[s] for s in written})
            return
        if len(written) == 1:
            data["name"], degrees = split_person_name(written[0])
            if degrees:
                data["degrees"] = degrees
            return
        names: dict[str, int] = {}
        for spelling in written:
            name = split_person_name(spelling)[0]
            names[name] = names.get(name, 0) + counts[spelling]
        data["name"] = best_spelling(names)
        # The degrees of the most used spelling of that name.
        degrees = split_person_name(
            best_spelling({s: counts[s] for s in written if split_person_name(s)[0] == data["name"]})
        )[1]
        if degrees:
            data["degrees"] = degrees

    def _derive_coordinates(self) -> None:
        """A site without coordinates gets its city's centre, if the gazetteer holds the city
        (each city looked up once: many sites share one)."""
        located: dict[tuple[str, str, str], Place | None] = {}
        for data in self.entities.values():
            if data["kind"] != NodeKind.SITE.value or "latitude" in data:
                continue
            city, country = data.get("city"), data.get("country")
            if city and country:
                where = (city, data.get("state", ""), country)
                place = located.get(where, _UNKNOWN)
                if place is _UNKNOWN:
                    place = located[where] = gazetteer().locate(*where)
                if place is not None:
                    data.update(latitude=place.latitude, longitude=place.longitude, coordinatesDerived=True)

    def _place_countryless_sites(self) -> None:
        """A facility listed without a country is the one site of that name and city that other
        trials place in a country, if there is exactly one; its edges move there."""
        for node, (place, first) in self.countryless.items():
            sites = self.placed.get(place, {})
            if len(sites) != 1:
                continue
            [(target, target_first)] = sites.items()
            source, into = self.entities.pop(node), self.entities[target]
            for name, value in source.items():
                into.setdefault(name, value)
            merged: dict[str, int] = {}
            both = [self.spellings.get(target), self.spellings.pop(node, None)]
            for written in both if target_first < first else both[::-1]:  # in NCT order, for ties
                for spelling, count in _counts(written).items():
                    merged[spelling] = merged.get(spelling, 0) + count
            self.spellings[target] = merged
            self.store.redirect(
                node, target, {EdgeKind.CONDUCTED_AT.value: {"countryInferred": COUNTRY_INFERRED}}
            )


def best_spelling(counts: Mapping[str, int]) -> str:
    """The spelling most mentions use, a mixed-case one before an all-capitals or all-lower-case
    one; the first (in NCT order) on a tie.

    >>> best_spelling({"ARCHYA DASGUPTA": 2, "Archya Dasgupta": 1, "archya dasgupta": 1})
    'Archya Dasgupta'
    >>> best_spelling({"Tel Aviv": 1, "Tel-Aviv": 2}), best_spelling({"NSCLC": 1, "nsclc": 1})
    ('Tel-Aviv', 'NSCLC')
    """
    return max(
        counts, key=lambda spelling: (not spelling.isupper() and not spelling.islower(), counts[spelling])
    )


def _untold(step: str, done: int, total: int) -> None:
    """Progress no one asked for."""


def _counts(found: tuple[str, int] | dict[str, int] | None) -> dict[str, int]:
    """Counts by spelling, from what the builder keeps."""
    if found is None:
        return {}
    return {found[0]: found[1]} if isinstance(found, tuple) else found
