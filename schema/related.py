"""Related trials, each with what it shares with the trial asked about and what that weighs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.errors import QueryLimitError
from graph.query.related import Ranking, related_trials
from schema.context import Context, Info
from schema.enums import Kind
from schema.node import Node, node_at
from schema.pagination import Page, PageInfo, cursor, paginate

if TYPE_CHECKING:
    from schema.trial import Trial

TrialType = Annotated["Trial", strawberry.lazy("schema.trial")]
SHOWN_NODES = 5


@strawberry.type(
    description="What a related trial shares of one kind of entity, and what it adds to the score."
)
class SharedEntities:
    kind: Kind
    count: int = strawberry.field(description="How many entities of this kind both trials hold.")
    score: float = strawberry.field(
        description="The sum of their weights, log(trials / trials holding the entity): rare counts most."
    )
    positions: strawberry.Private[list[int]]

    @strawberry.field(description="The entities, the rarest first (then by id).")
    def nodes(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="At most the page-size limit.")] = SHOWN_NODES,
    ) -> list[Node]:
        limit = info.context.limits.max_page_size
        if not 0 <= first <= limit:
            raise QueryLimitError("first (shared nodes shown, 0 or more)", limit, first)
        return [node_at(info.context, position) for position in self.positions[:first]]


@strawberry.type(description="A related trial with its score and the breakdown that sums to it.")
class RelatedTrialEdge:
    cursor: str
    score: float
    shared: list[SharedEntities] = strawberry.field(description="By score, highest first, then by kind.")
    node: TrialType


@strawberry.type(description="An entity left out of the scores for tying too many trials.")
class SkippedEntity:
    trials: int = strawberry.field(description="How many trials it ties.")
    node: Node


@strawberry.type(description="Related trials, best first; equal scores by NCT ID.")
class RelatedTrialConnection:
    total_count: int
    page_info: PageInfo
    edges: list[RelatedTrialEdge]
    skipped: list[SkippedEntity] = strawberry.field(
        description="Entities of the trial tying more trials than the limit: not counted."
    )

    @strawberry.field
    def nodes(self) -> list[TrialType]:
        return [edge.node for edge in self.edges]


def related_connection(
    context: Context, trial: int, first: int | None, after: str | None
) -> RelatedTrialConnection:
    loaded = context.trial_graph
    ranking: Ranking = related_trials(loaded.graph, loaded.index, trial)
    page: Page[int] = paginate(ranking.trials, first, after, context.limits)
    edges = []
    for offset, position in page.items:
        shared = ranking.shared(int(position))
        edges.append(
            RelatedTrialEdge(
                cursor=cursor(offset),
                score=round(float(ranking.scores[offset]), 6),
                shared=[
                    SharedEntities(
                        kind=Kind(item.kind.value),
                        count=len(item.nodes),
                        score=round(item.score, 6),
                        positions=item.nodes,
                    )
                    for item in shared
                ],
                node=node_at(context, int(position)),
            )
        )
    skipped = [SkippedEntity(trials=count, node=node_at(context, node)) for node, count in ranking.skipped]
    return RelatedTrialConnection(total_count=page.total, page_info=page.info, edges=edges, skipped=skipped)
