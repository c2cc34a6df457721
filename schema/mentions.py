"""Where the sources name an entity: each trial and field, and how it was written there, so that
a merge of several spellings into one node can be audited."""

from __future__ import annotations

import strawberry

from graph.model import LIST_SEPARATOR, EdgeKind
from graph.relations import incoming
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
    page = paginate(_mentions(context, node), first, after, context.limits)
    edges = [MentionEdge(cursor=cursor(offset), node=mention) for offset, mention in page.items]
    return MentionConnection(total_count=page.total, page_info=page.info, edges=edges)


def _mentions(context: Context, node: str) -> list[Mention]:
    found = []
    for relation in incoming(context.graph, node, EdgeKind):
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
