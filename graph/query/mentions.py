"""Where the sources name an entity: each trial and field, and how it was written there, so that
a merge of several spellings into one node can be audited.

An edge made from a mention keeps where it came from (``field``, a registry field path such as
``locations[3]``) and how it was written (``spelling``); several mentions of one trial merged
into one edge keep a line each. The relations that *name* an entity of a kind, and so were
resolved into its node, are :data:`NAMING`: each line of their ``field`` is one mention. Other
edges into an entity may carry a ``field`` without naming it (a site investigator's contact
into the site, a ``RESPONSIBLE_PARTY`` that is the lead sponsor), and a country's edges carry
none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.compact.graph import CompactGraph
from graph.compact.relations import incoming
from graph.model import LIST_SEPARATOR, EdgeKind, NodeKind

# Per kind of entity, the edges (into it) whose mentions were resolved into its node.
NAMING: dict[NodeKind, tuple[EdgeKind, ...]] = {
    NodeKind.CONDITION: (EdgeKind.STUDIES,),
    NodeKind.ORGANIZATION: (EdgeKind.SPONSORED_BY, EdgeKind.AFFILIATED_WITH),
    NodeKind.INVESTIGATOR: (EdgeKind.INVESTIGATED_BY, EdgeKind.RESPONSIBLE_PARTY),
    NodeKind.SITE: (EdgeKind.CONDUCTED_AT,),
    NodeKind.INTERVENTION: (EdgeKind.TESTS,),
    NodeKind.MESH_TERM: (EdgeKind.CLASSIFIED_AS, EdgeKind.CLASSIFIED_UNDER),
}


@dataclass(frozen=True, slots=True)
class Mention:
    """One place a source names an entity: which trial, which field, how written (``None``
    where the edge keeps no spelling)."""

    trial: str
    field: str
    spelling: str | None


def mentions(graph: CompactGraph, node: str, kinds: Iterable[EdgeKind] = EdgeKind) -> list[Mention]:
    """Every mention of ``node`` on the edges into it of ``kinds`` (by default every edge that
    keeps a ``field``), by trial, then field.

    The trial is the edge's ``trial``, or its source when that is a trial; an edge with
    neither, or without a ``field``, names nothing. A merged edge's spellings are matched to
    its fields line by line, the last spelling standing for the fields after it.

    Examples
    --------
    >>> from graph.build.builder import build_graph
    >>> from graph.model import Source, TrialRecord
    >>> one = TrialRecord("NCT00000001", Source("a.json"), conditions=["Flu", "flu"])
    >>> two = TrialRecord("NCT00000002", Source("b.json"), conditions=["FLU"])
    >>> for found in mentions(build_graph([one, two]), "Condition:flu"):
    ...     print(found.trial, found.field, found.spelling)
    NCT00000001 conditions[0] Flu
    NCT00000001 conditions[1] flu
    NCT00000002 conditions[0] FLU
    """
    found = []
    for relation in incoming(graph, node, kinds):
        data, source = relation.edge, relation.node
        trial = data.get("trial") or (source.split(":", 1)[1] if source.startswith("Trial:") else None)
        if trial is None or "field" not in data:
            continue
        fields = str(data["field"]).split(LIST_SEPARATOR)
        spellings = str(data.get("spelling", "")).split(LIST_SEPARATOR)
        for n, field in enumerate(fields):
            spelling = spellings[min(n, len(spellings) - 1)] or None
            found.append(Mention(trial=trial, field=field, spelling=spelling))
    found.sort(key=lambda m: (m.trial, m.field))
    return found
