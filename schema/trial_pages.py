"""A page of trials, with facets counted over the whole list: what every list of trials answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import numpy as np
import strawberry

from graph.errors import QueryLimitError
from graph.query.facets import facets
from schema.context import Context, Info
from schema.node import paged_nodes
from schema.pagination import Listing, PageInfo, cursor, paginate

if TYPE_CHECKING:
    from schema.trial import Trial

TrialType = Annotated["Trial", strawberry.lazy("schema.trial")]


@strawberry.type
class TrialEdge:
    cursor: str
    node: TrialType


@strawberry.type(description="A value of a facet and how many trials of the whole list have it.")
class FacetCount:
    value: str
    count: int


@strawberry.type(
    description="Counts over every trial of the list (not only the page), each facet by count, most "
    "first, then by value."
)
class TrialFacets:
    status: list[FacetCount]
    phase: list[FacetCount] = strawberry.field(description="A trial in two phases counts in both.")
    study_type: list[FacetCount]
    country: list[FacetCount] = strawberry.field(description="Countries with a site of the trial.")
    sponsor_class: list[FacetCount] = strawberry.field(description="The lead sponsor's agency class.")
    condition: list[FacetCount] = strawberry.field(description="Conditions, by name.")


@strawberry.type(description="A page of trials.")
class TrialConnection:
    total_count: int
    page_info: PageInfo
    edges: list[TrialEdge]
    listing: strawberry.Private[Listing[int]]

    @strawberry.field
    def nodes(self) -> list[TrialType]:
        return [edge.node for edge in self.edges]

    @strawberry.field(
        description="Counts by status, phase, study type, country, sponsor class and condition."
    )
    def facets(
        self,
        info: Info,
        top: Annotated[
            int, strawberry.argument(description="Values per facet, 1 to the page-size limit.")
        ] = 10,
    ) -> TrialFacets:
        limit = info.context.limits.max_page_size
        if not 1 <= top <= limit:
            raise QueryLimitError("top (values per facet, at least 1)", limit, top)
        loaded = info.context.trial_graph
        found = facets(loaded.graph, loaded.index, np.asarray(self.listing, dtype=np.uint32), top)
        return TrialFacets(
            **{
                name: [FacetCount(value=value, count=count) for value, count in getattr(found, name)]
                for name in ("status", "phase", "study_type", "country", "sponsor_class", "condition")
            }
        )


def trial_connection(
    context: Context, trials: Listing[int], first: int | None, after: str | None
) -> TrialConnection:
    """A page of trials given by their positions in the graph's store."""
    page = paginate(trials, first, after, context.limits)
    edges = [TrialEdge(cursor=cursor(offset), node=node) for offset, node in paged_nodes(context, page)]
    return TrialConnection(total_count=page.total, page_info=page.info, edges=edges, listing=trials)
