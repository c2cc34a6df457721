"""Arms (the groups of a trial) and interventions (shared across trials).

An intervention reached through a trial is bound to it: its ``description`` and ``arms`` are
that trial's. Reached otherwise, it answers for every trial that tests it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.build.builder import trial_id
from graph.compact.relations import Relation, incoming, outgoing
from graph.model import EdgeKind, NodeKind, listed
from schema.context import Info
from schema.enums import ArmType, InterventionType, member
from schema.mentions import MentionConnection, mention_connection
from schema.node import Node, node_at, node_object, paged_relations, registers
from schema.pagination import PageInfo, cursor, paginate

if TYPE_CHECKING:
    from schema.trial import Trial

TrialType = Annotated["Trial", strawberry.lazy("schema.trial")]


@registers(NodeKind.ARM.value)
@strawberry.type(description="An arm (group, cohort) of one trial.")
class Arm(Node):
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def label(self) -> str:
        return str(self.data["label"])

    @strawberry.field
    def type(self) -> ArmType | None:
        return member(ArmType, self.data.get("type"))

    @strawberry.field
    def description(self) -> str | None:
        return self.data.get("description")

    @strawberry.field
    def trial(self, info: Info) -> TrialType:
        trial: Trial = node_object(info.context, trial_id(str(self.data["trial"])))
        return trial

    @strawberry.field(description="What the arm receives, in the trial's intervention order.")
    def interventions(self, info: Info) -> list[Intervention]:
        trial = trial_id(str(self.data["trial"]))
        order = {r.position: n for n, r in enumerate(outgoing(info.context.graph, trial, [EdgeKind.TESTS]))}
        targets = sorted(
            outgoing(info.context.graph, self.id, [EdgeKind.RECEIVES]).distinct_positions().tolist(),
            key=lambda position: (order.get(position, len(order)), position),
        )
        return [node_at(info.context, position, trial=trial) for position in targets]


def _arms_in(info: Info, intervention: str, trial: str) -> list[Arm]:
    """The arms of ``trial`` receiving ``intervention``, in the trial's arm order: found from the
    trial's few arms, not from the intervention's, which a placebo has in thousands."""
    graph = info.context.graph
    store = graph.store
    target = store.position(intervention)
    arms = []
    for position in outgoing(graph, trial, [EdgeKind.HAS_ARM]).distinct_positions().tolist():
        span = store.out_range(position, EdgeKind.RECEIVES)
        if target in store.out_target[span.lo : span.hi]:
            arms.append((store.attributes(position)["position"], position))
    return [node_at(info.context, position) for _, position in sorted(arms)]


@strawberry.type(description="A trial testing an intervention, with that trial's description and arms.")
class TestedTrialEdge:
    cursor: str
    description: str | None
    arms: list[Arm] = strawberry.field(description="The trial's arms receiving it, in the trial's order.")
    node: TrialType


@strawberry.type
class TestedTrialConnection:
    total_count: int
    page_info: PageInfo
    edges: list[TestedTrialEdge]

    @strawberry.field
    def nodes(self) -> list[TrialType]:
        return [edge.node for edge in self.edges]


@registers(NodeKind.INTERVENTION.value)
@strawberry.type(description="A drug, procedure, device ... one node for every trial testing it.")
class Intervention(Node):
    data: strawberry.Private[dict[str, Any]]
    trial: strawberry.Private[str | None] = None

    @strawberry.field
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @strawberry.field
    def type(self) -> InterventionType | None:
        return member(InterventionType, self.data.get("type"))

    @strawberry.field(description="Synonyms and brand names.")
    def other_names(self) -> list[str]:
        return listed(self.data, "otherNames")

    @strawberry.field(description="Every way the sources wrote it.")
    def spellings(self) -> list[str]:
        return listed(self.data, "spellings")

    @strawberry.field(description="Every trial and field that names it.")
    def mentions(self, info: Info, first: int | None = None, after: str | None = None) -> MentionConnection:
        return mention_connection(info.context, self.id, first, after)

    @strawberry.field(description="The trial's description; reached outside a trial, the only trial's.")
    def description(self, info: Info) -> str | None:
        graph = info.context.graph
        tests: Sequence[Relation]
        if self.trial is None:
            tests = incoming(graph, self.id, [EdgeKind.TESTS])
        else:  # from the trial's few interventions, not from this one's trials (a placebo's are many)
            tests = outgoing(graph, self.trial, [EdgeKind.TESTS]).at_positions(graph.store.position(self.id))
        return tests[0].edge.get("description") if len(tests) == 1 else None

    @strawberry.field(
        description="The arms receiving it in one trial, in that trial's order: the trial it was reached "
        "through, else its only trial; [] for an intervention of several trials (see `trials.edges.arms`)."
    )
    def arms(self, info: Info) -> list[Arm]:
        trial = self.trial
        if trial is None:
            tests = incoming(info.context.graph, self.id, [EdgeKind.TESTS])
            trial = tests[0].node if len(tests) == 1 else None
        return _arms_in(info, self.id, trial) if trial is not None else []

    @strawberry.field(description="Trials testing it, by NCT ID.")
    def trials(self, info: Info, first: int | None = None, after: str | None = None) -> TestedTrialConnection:
        relations = incoming(info.context.graph, self.id, [EdgeKind.TESTS])
        page = paginate(relations, first, after, info.context.limits)
        edges = [
            TestedTrialEdge(
                cursor=cursor(offset),
                description=r.edge.get("description"),
                arms=_arms_in(info, self.id, r.node),
                node=node,
            )
            for offset, r, node in paged_relations(info.context, page)
        ]
        return TestedTrialConnection(total_count=page.total, page_info=page.info, edges=edges)
