"""MeSH terms: the registry's classification of conditions, broader and narrower terms."""

from __future__ import annotations

from typing import Any

import numpy as np
import strawberry

from graph.compact.positions import distinct
from graph.compact.relations import incoming, outgoing
from graph.model import EdgeKind, NodeKind, listed
from graph.query.search import entity_trials
from schema.context import Info
from schema.entities import Condition
from schema.node import Node, node_at, registers
from schema.trial_pages import TrialConnection, trial_connection


@registers(NodeKind.MESH_TERM.value)
@strawberry.type(
    description="A MeSH descriptor the registry derived for trials' conditions (registry JSON's "
    "derivedSection), or an ancestor of one."
)
class MeshTerm(Node):
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The MeSH id, six digits where the number fits: `D009369`.")
    def mesh_id(self) -> str:
        return str(self.data.get("meshId", ""))

    @strawberry.field
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @strawberry.field(description="Every way the records wrote it.")
    def spellings(self) -> list[str]:
        return listed(self.data, "spellings")

    @strawberry.field(
        description="Ancestor terms, any number of levels up, as far as records with this term alone "
        "state them (the registry lists a trial's ancestors for all its terms together)."
    )
    def broader(self, info: Info) -> list[MeshTerm]:
        found = outgoing(info.context.graph, self.id, [EdgeKind.BROADER]).distinct_positions()
        return [node_at(info.context, position) for position in found.tolist()]

    @strawberry.field(description="Terms it is an ancestor of, as `broader` knows them.")
    def narrower(self, info: Info) -> list[MeshTerm]:
        found = incoming(info.context.graph, self.id, [EdgeKind.BROADER]).distinct_positions()
        return [node_at(info.context, position) for position in found.tolist()]

    @strawberry.field(description="Conditions whose names the registry found the term in.")
    def conditions(self, info: Info) -> list[Condition]:
        found = incoming(info.context.graph, self.id, [EdgeKind.MAPS_TO]).distinct_positions()
        return [node_at(info.context, position) for position in found.tolist()]

    @strawberry.field(
        description="Trials classified as this term, by NCT ID; with `includeNarrower` (the default) "
        "also those classified under it: the registry lists it among their terms' ancestors."
    )
    def trials(
        self, info: Info, first: int | None = None, after: str | None = None, include_narrower: bool = True
    ) -> TrialConnection:
        graph = info.context.graph
        position = graph.store.position(self.id)
        assert position is not None
        kinds = [EdgeKind.CLASSIFIED_AS] + ([EdgeKind.CLASSIFIED_UNDER] if include_narrower else [])
        trials = distinct(np.concatenate([entity_trials(graph, position, kind) for kind in kinds]))
        return trial_connection(info.context, trials.astype(np.uint32), first, after)
