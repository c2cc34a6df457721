"""Where the sources name an entity: each trial and field, and how it was written there, so that
a merge of several spellings into one node can be audited (:mod:`graph.query.mentions`)."""

from __future__ import annotations

import strawberry

from graph.query.mentions import mentions
from schema.context import Context
from schema.pagination import PageInfo, cursor, paginate


@strawberry.type(description="One place a source names an entity: which trial, which field, how written.")
class Mention:
    trial: str
    field: str
    spelling: str | None


@strawberry.type
class MentionEdge:
    cursor: str
    node: Mention


@strawberry.type(description="The mentions of an entity, by trial and field.")
class MentionConnection:
    total_count: int
    page_info: PageInfo
    edges: list[MentionEdge]

    @strawberry.field
    def nodes(self) -> list[Mention]:
        return [edge.node for edge in self.edges]


def mention_connection(
    context: Context, node: str, first: int | None, after: str | None
) -> MentionConnection:
    page = paginate(mentions(context.graph, node), first, after, context.limits)
    edges = [
        MentionEdge(
            cursor=cursor(offset),
            node=Mention(trial=found.trial, field=found.field, spelling=found.spelling),
        )
        for offset, found in page.items
    ]
    return MentionConnection(total_count=page.total, page_info=page.info, edges=edges)
