"""The root ``Query``: look-ups, filtered trial lists, search and graph-shaped questions."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graph.build.builder import trial_id
from graph.compact.index import find_by_name
from graph.model import NodeKind
from graph.query.search import find_trials, mesh_terms, search
from graph.query.traversal import neighborhood, shortest_path
from schema.arms import Intervention
from schema.context import Context, Info
from schema.entities import (
    Condition,
    Country,
    Investigator,
    Organization,
    Site,
)
from schema.enums import Kind, RecruitmentStatus
from schema.filters import GeoCircle, Participant, TrialFilter, TrialOrderBy
from schema.graphs import KindCount, Path, Stats, Subgraph, parts
from schema.limits import check_hops
from schema.mesh import MeshTerm
from schema.node import Node, find_node, node_at, paged_nodes
from schema.pagination import Page, PageInfo, cursor, paginate
from schema.places import EligibleSiteConnection, NearbySiteConnection, eligible_sites, nearby_sites
from schema.related import RelatedTrialConnection, related_connection
from schema.trial import Trial
from schema.trial_pages import TrialConnection, trial_connection


def _named(context: Context, kind: NodeKind, name: str) -> Any | None:
    found = find_by_name(context.trial_graph.index, context.graph.store, kind, name)
    return node_at(context, found[0]) if found else None


@strawberry.type
class SearchEdge:
    cursor: str
    node: Node


@strawberry.type(description="Nodes of any kind matching a search, best first.")
class SearchConnection:
    total_count: int
    page_info: PageInfo
    edges: list[SearchEdge]

    @strawberry.field
    def nodes(self) -> list[Node]:
        return [edge.node for edge in self.edges]


NameArgument = Annotated[
    str, strawberry.argument(description="Matched ignoring case, spacing and punctuation.")
]


@strawberry.type
class Query:
    @strawberry.field(description="The node with this global id; null if there is none.")
    def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return find_node(info.context, id)

    @strawberry.field(description="The nodes with these global ids, in order; null where there is none.")
    def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > info.context.limits.max_page_size:
            from graph.errors import QueryLimitError

            raise QueryLimitError("ids (nodes per request)", info.context.limits.max_page_size, len(ids))
        return [find_node(info.context, node) for node in ids]

    @strawberry.field(description="A trial by NCT ID.")
    def trial(self, info: Info, nct_id: str) -> Trial | None:
        return find_node(info.context, trial_id(nct_id.strip().upper()))

    @strawberry.field(description="A condition by name.")
    def condition(self, info: Info, name: NameArgument) -> Condition | None:
        return _named(info.context, NodeKind.CONDITION, name)

    @strawberry.field(description="An organization by name; a company form (Inc., Co., Ltd. ...) is ignored.")
    def organization(self, info: Info, name: NameArgument) -> Organization | None:
        return _named(info.context, NodeKind.ORGANIZATION, name)

    @strawberry.field(
        description="A person by name; titles before it (`Dr.`, `Prof` ...) and degrees after a comma are "
        "ignored, as are case, accents, spacing and punctuation."
    )
    def investigator(self, info: Info, name: NameArgument) -> Investigator | None:
        return _named(info.context, NodeKind.INVESTIGATOR, name)

    @strawberry.field(description="An intervention by name or other name.")
    def intervention(self, info: Info, name: NameArgument) -> Intervention | None:
        return _named(info.context, NodeKind.INTERVENTION, name)

    @strawberry.field(
        description="A site by facility name; the one with most trials if several cities have one."
    )
    def site(self, info: Info, name: NameArgument) -> Site | None:
        return _named(info.context, NodeKind.SITE, name)

    @strawberry.field(description="A country by name.")
    def country(self, info: Info, name: NameArgument) -> Country | None:
        return _named(info.context, NodeKind.COUNTRY, name)

    @strawberry.field(
        description="A MeSH term by name or by MeSH id (`D009369`); null if no record names it."
    )
    def mesh_term(self, info: Info, name: NameArgument) -> MeshTerm | None:
        loaded = info.context.trial_graph
        found = mesh_terms(loaded.graph, loaded.index, name)
        return node_at(info.context, found[0]) if found else None

    @strawberry.field(
        description="Trials ranked by what they share with this one (conditions, MeSH terms, "
        "interventions, sponsors, sites, investigators), each entity weighing log(trials / trials "
        "holding it), with the breakdown; null for an unknown NCT ID, like `trial`."
    )
    def related_trials(
        self, info: Info, nct_id: str, first: int | None = None, after: str | None = None
    ) -> RelatedTrialConnection | None:
        position = info.context.graph.store.position(trial_id(nct_id.strip().upper()))
        if position is None:
            return None
        return related_connection(info.context, position, first, after)

    @strawberry.field(
        description="Sites within `near.km` of a point, nearest first; coordinates are the record's, "
        "or the city's centre where the record has none (`coordinatesDerived`)."
    )
    def sites(
        self, info: Info, near: GeoCircle, first: int | None = None, after: str | None = None
    ) -> NearbySiteConnection:
        return nearby_sites(info.context, near, first, after)

    @strawberry.field(
        description="Site-level eligibility in one question: pairs of a site within `near.km` whose own "
        "status in the trial is one of `status` (RECRUITING unless given) and a trial run there whose "
        "eligibility (age limits, sex, healthy volunteers) accepts the person `accepts` and that meets "
        "`filter`; nearest site first, then by site id and NCT ID."
    )
    def eligible_sites(
        self,
        info: Info,
        near: GeoCircle,
        accepts: Participant | None = None,
        status: list[RecruitmentStatus] | None = None,
        filter: TrialFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> EligibleSiteConnection:
        statuses = ["RECRUITING"] if status is None else [item.value for item in status]
        where = (filter or TrialFilter()).to_graph(info.context)
        return eligible_sites(info.context, near, statuses, accepts, where, first, after)

    @strawberry.field(
        description="Trials meeting every condition of the filter, by NCT ID unless ordered otherwise."
    )
    def trials(
        self,
        info: Info,
        filter: TrialFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: TrialOrderBy = TrialOrderBy.NCT_ID,
    ) -> TrialConnection:
        where = (filter or TrialFilter()).to_graph(info.context)
        order, descending = order_by.to_graph()
        loaded = info.context.trial_graph
        found = find_trials(loaded.graph, loaded.index, where, order, descending)
        return trial_connection(info.context, found, first, after)

    @strawberry.field(
        description="Nodes whose names hold every word; trials by title, summary and conditions."
    )
    def search(
        self,
        info: Info,
        text: str,
        kinds: list[Kind] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> SearchConnection:
        loaded = info.context.trial_graph
        wanted = [NodeKind(kind.value) for kind in kinds] if kinds is not None else None
        found = search(loaded.graph, loaded.index, text, wanted)
        page: Page[int] = paginate(found, first, after, info.context.limits)
        edges = [
            SearchEdge(cursor=cursor(offset), node=node) for offset, node in paged_nodes(info.context, page)
        ]
        return SearchConnection(total_count=page.total, page_info=page.info, edges=edges)

    @strawberry.field(
        description="Every node within `hops` edges of `id` (either direction) and the edges among them."
    )
    def neighborhood(
        self, info: Info, id: strawberry.ID, hops: int = 1, kinds: list[Kind] | None = None
    ) -> Subgraph | None:
        if id not in info.context.graph:
            return None
        check_hops(info.context.limits, hops)
        wanted = [NodeKind(kind.value) for kind in kinds] if kinds is not None else None
        found = neighborhood(info.context.graph, id, hops, wanted, info.context.limits.max_neighborhood_nodes)
        nodes, edges = parts(info.context, found)
        return Subgraph(nodes=nodes, edges=edges)

    @strawberry.field(description="One shortest path ignoring edge direction; null where there is none.")
    def shortest_path(
        self, info: Info, from_: Annotated[strawberry.ID, strawberry.argument(name="from")], to: strawberry.ID
    ) -> Path | None:
        graph = info.context.graph
        if from_ not in graph or to not in graph:
            return None
        found = shortest_path(graph, from_, to)
        if found is None:
            return None
        nodes, edges = parts(info.context, found)
        return Path(length=len(edges), nodes=nodes, edges=edges)

    @strawberry.field(description="How many nodes and edges of each kind the graph holds.")
    def stats(self, info: Info) -> Stats:
        index = info.context.trial_graph.index
        return Stats(
            trials=index.node_counts.get(NodeKind.TRIAL.value, 0),
            nodes=[KindCount(kind=kind, count=count) for kind, count in index.node_counts.items()],
            edges=[KindCount(kind=kind, count=count) for kind, count in index.edge_counts.items()],
            data_version=info.context.trial_graph.version,
        )
