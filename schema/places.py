"""Places: sites near a point, and the recruiting sites near a point that accept a person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated

import numpy as np
import strawberry

from graph.model import EdgeKind
from graph.query.geo import sites_near
from graph.query.search import TrialFilter as GraphTrialFilter
from graph.query.search import find_trials
from schema.context import Context
from schema.enums import RecruitmentStatus, member
from schema.filters import GeoCircle, Participant
from schema.node import node_at
from schema.pagination import Page, PageInfo, cursor, paginate

if TYPE_CHECKING:
    from schema.entities import Site
    from schema.trial import Trial

SiteType = Annotated["Site", strawberry.lazy("schema.entities")]
TrialType = Annotated["Trial", strawberry.lazy("schema.trial")]


@strawberry.type(description="A site near the point asked about.")
class NearbySiteEdge:
    cursor: str
    distance_km: float = strawberry.field(description="Great-circle distance from the point, in km.")
    node: SiteType


@strawberry.type(description="Sites near a point, nearest first (then by id).")
class NearbySiteConnection:
    total_count: int
    page_info: PageInfo
    edges: list[NearbySiteEdge]

    @strawberry.field
    def nodes(self) -> list[SiteType]:
        return [edge.node for edge in self.edges]


def nearby_sites(
    context: Context, near: GeoCircle, first: int | None, after: str | None
) -> NearbySiteConnection:
    loaded = context.trial_graph
    sites, distances = sites_near(loaded.graph, loaded.index, *near.to_graph(context, "near"))
    page: Page[int] = paginate(sites, first, after, context.limits)
    edges = [
        NearbySiteEdge(
            cursor=cursor(offset),
            distance_km=round(float(distances[offset]), 3),
            node=node_at(context, int(site)),
        )
        for offset, site in page.items
    ]
    return NearbySiteConnection(total_count=page.total, page_info=page.info, edges=edges)


@strawberry.type(
    description="A site near the point, a trial it runs that accepts the person, and its status there."
)
class EligibleSiteEdge:
    cursor: str
    distance_km: float = strawberry.field(description="Great-circle distance from the point, in km.")
    status: RecruitmentStatus | None = strawberry.field(description="The site's own status in this trial.")
    site: SiteType
    trial: TrialType


@strawberry.type(description="Site and trial pairs: nearest site first, then by site id and NCT ID.")
class EligibleSiteConnection:
    total_count: int
    page_info: PageInfo
    edges: list[EligibleSiteEdge]


@dataclass(frozen=True, slots=True)
class _Pair:
    site: int
    trial: int
    distance: float
    status: str | None


def eligible_sites(
    context: Context,
    near: GeoCircle,
    statuses: Sequence[str],
    accepts: Participant | None,
    where: GraphTrialFilter,
    first: int | None,
    after: str | None,
) -> EligibleSiteConnection:
    """Pairs of a site near the point whose own status is one of ``statuses`` and a trial run
    there whose eligibility accepts the person (and that meets ``where``)."""
    loaded = context.trial_graph
    store = loaded.graph.store
    sites, distances = sites_near(loaded.graph, loaded.index, *near.to_graph(context, "near"))
    person = accepts.to_graph("accepts") if accepts is not None else {}
    accepted = find_trials(loaded.graph, loaded.index, replace(where, **person))  # type: ignore[arg-type]
    pairs: list[_Pair] = []
    for site, distance in zip(sites.tolist(), distances.tolist(), strict=True):
        span = store.in_range(site, EdgeKind.CONDUCTED_AT)
        trials = store.in_source[span.lo : span.hi]
        for at in np.flatnonzero(np.isin(trials, accepted)).tolist():
            status = store.edge_attributes_of(int(store.in_edge[span.lo + at])).get("status")
            if status in statuses:
                pairs.append(_Pair(site, int(trials[at]), distance, status))
    page = paginate(pairs, first, after, context.limits)
    edges = [
        EligibleSiteEdge(
            cursor=cursor(offset),
            distance_km=round(pair.distance, 3),
            status=member(RecruitmentStatus, pair.status),
            site=node_at(context, pair.site),
            trial=node_at(context, pair.trial),
        )
        for offset, pair in page.items
    ]
    return EligibleSiteConnection(total_count=page.total, page_info=page.info, edges=edges)
