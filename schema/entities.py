"""Conditions, organizations, investigators, sites and countries: from an entity to its trials.

Every entity is one node across all trials; ``spellings`` lists how the sources wrote it and
``mentions`` where, so that a merge can be audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.compact.relations import Relation, incoming, outgoing
from graph.model import EdgeKind, NodeKind, listed
from schema.context import Context, Info
from schema.enums import AgencyClass, InvestigatorScope, OfficialRole, RecruitmentStatus, SponsorRole, member
from schema.mentions import MentionConnection, mention_connection
from schema.node import Node, node_at, paged_nodes, paged_relations, registers
from schema.pagination import Listing, PageInfo, cursor, paginate
from schema.trial_pages import TrialConnection, trial_connection

if TYPE_CHECKING:
    from schema.mesh import MeshTerm
    from schema.trial import Trial

TrialType = Annotated["Trial", strawberry.lazy("schema.trial")]
MeshTermType = Annotated["MeshTerm", strawberry.lazy("schema.mesh")]


@registers(NodeKind.CONDITION.value)
@strawberry.type(description="A condition (disease, disorder) that trials study.")
class Condition(Node):
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @strawberry.field(description="Every way the sources wrote it.")
    def spellings(self) -> list[str]:
        return listed(self.data, "spellings")

    @strawberry.field(description="Every trial and field that names it.")
    def mentions(self, info: Info, first: int | None = None, after: str | None = None) -> MentionConnection:
        return mention_connection(info.context, self.id, first, after)

    @strawberry.field(description="Trials studying it, by NCT ID.")
    def trials(self, info: Info, first: int | None = None, after: str | None = None) -> TrialConnection:
        trials = incoming(info.context.graph, self.id, [EdgeKind.STUDIES]).distinct_positions()
        return trial_connection(info.context, trials, first, after)

    @strawberry.field(
        description="MeSH terms the registry found in its name (registry JSON's derived MeSH terms)."
    )
    def mesh_terms(self, info: Info) -> list[MeshTermType]:
        targets = outgoing(info.context.graph, self.id, [EdgeKind.MAPS_TO]).distinct_positions()
        return [node_at(info.context, position) for position in targets.tolist()]


@strawberry.type(description="A trial an organization sponsors, with its role there.")
class SponsoredTrialEdge:
    cursor: str
    role: SponsorRole
    node: TrialType


@strawberry.type
class SponsoredTrialConnection:
    total_count: int
    page_info: PageInfo
    edges: list[SponsoredTrialEdge]

    @strawberry.field
    def nodes(self) -> list[TrialType]:
        return [edge.node for edge in self.edges]


@strawberry.type
class InvestigatorEdge:
    cursor: str
    node: Investigator


@strawberry.type
class InvestigatorConnection:
    total_count: int
    page_info: PageInfo
    edges: list[InvestigatorEdge]

    @strawberry.field
    def nodes(self) -> list[Investigator]:
        return [edge.node for edge in self.edges]


def _investigator_connection(
    context: Context, people: Listing[int], first: int | None, after: str | None
) -> InvestigatorConnection:
    page = paginate(people, first, after, context.limits)
    edges = [
        InvestigatorEdge(cursor=cursor(offset), node=node) for offset, node in paged_nodes(context, page)
    ]
    return InvestigatorConnection(total_count=page.total, page_info=page.info, edges=edges)


@strawberry.type
class SiteEdge:
    cursor: str
    node: Site


@strawberry.type
class SiteConnection:
    total_count: int
    page_info: PageInfo
    edges: list[SiteEdge]

    @strawberry.field
    def nodes(self) -> list[Site]:
        return [edge.node for edge in self.edges]


def _site_connection(
    context: Context, sites: Listing[int], first: int | None, after: str | None
) -> SiteConnection:
    page = paginate(sites, first, after, context.limits)
    edges = [SiteEdge(cursor=cursor(offset), node=node) for offset, node in paged_nodes(context, page)]
    return SiteConnection(total_count=page.total, page_info=page.info, edges=edges)


@registers(NodeKind.ORGANIZATION.value)
@strawberry.type(description="An organization: lead sponsor, collaborator, affiliation or responsible party.")
class Organization(Node):
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @strawberry.field
    def agency_class(self) -> AgencyClass | None:
        return member(AgencyClass, self.data.get("agencyClass"))

    @strawberry.field(description="Every way the sources wrote it.")
    def spellings(self) -> list[str]:
        return listed(self.data, "spellings")

    @strawberry.field(description="Every trial and field that names it.")
    def mentions(self, info: Info, first: int | None = None, after: str | None = None) -> MentionConnection:
        return mention_connection(info.context, self.id, first, after)

    @strawberry.field(description="Trials it sponsors, by NCT ID, with its role in each.")
    def trials(
        self, info: Info, first: int | None = None, after: str | None = None, role: SponsorRole | None = None
    ) -> SponsoredTrialConnection:
        relations: Sequence[Relation] = incoming(
            info.context.graph, self.id, [EdgeKind.SPONSORED_BY]
        ).ties_ordered(
            lambda edge: edge.get("role") != "LEAD"  # lead and collaborator of one trial: lead first
        )
        if role is not None:
            relations = [r for r in relations if r.edge.get("role") == role.value]
        page = paginate(relations, first, after, info.context.limits)
        edges = [
            SponsoredTrialEdge(
                cursor=cursor(offset),
                role=SponsorRole(r.edge["role"]),
                node=node,
            )
            for offset, r, node in paged_relations(info.context, page)
        ]
        return SponsoredTrialConnection(total_count=page.total, page_info=page.info, edges=edges)

    @strawberry.field(description="People who name it as their affiliation.")
    def investigators(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> InvestigatorConnection:
        people = incoming(info.context.graph, self.id, [EdgeKind.AFFILIATED_WITH]).distinct_positions()
        return _investigator_connection(info.context, people, first, after)

    @strawberry.field(description="Sites of the same name: the organization's own facilities.")
    def sites(self, info: Info, first: int | None = None, after: str | None = None) -> SiteConnection:
        sites = incoming(info.context.graph, self.id, [EdgeKind.OPERATED_BY]).distinct_positions()
        return _site_connection(info.context, sites, first, after)


@strawberry.type(description="A trial a person takes part in, with the role held there.")
class InvestigatedTrialEdge:
    cursor: str
    role: OfficialRole | None
    scope: InvestigatorScope
    node: TrialType


@strawberry.type
class InvestigatedTrialConnection:
    total_count: int
    page_info: PageInfo
    edges: list[InvestigatedTrialEdge]

    @strawberry.field
    def nodes(self) -> list[TrialType]:
        return [edge.node for edge in self.edges]


@registers(NodeKind.INVESTIGATOR.value)
@strawberry.type(description="A person named by trials: an overall official or a site investigator.")
class Investigator(Node):
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The name without the degrees or titles that follow a comma.")
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @strawberry.field(description="Degrees or titles as written after the name: `MD, PhD`.")
    def degrees(self) -> str | None:
        return self.data.get("degrees")

    @strawberry.field(description="Every way the sources wrote the person, degrees included.")
    def spellings(self) -> list[str]:
        return listed(self.data, "spellings")

    @strawberry.field(description="Every trial and field that names the person.")
    def mentions(self, info: Info, first: int | None = None, after: str | None = None) -> MentionConnection:
        return mention_connection(info.context, self.id, first, after)

    @strawberry.field(description="Organizations the person names as affiliation.")
    def affiliations(self, info: Info) -> list[Organization]:
        targets = outgoing(info.context.graph, self.id, [EdgeKind.AFFILIATED_WITH]).distinct_positions()
        return [node_at(info.context, position) for position in targets.tolist()]

    @strawberry.field(
        description="Trials the person takes part in, as one of a trial's own people or at its sites, "
        "by NCT ID, each once, with the role held there."
    )
    def trials(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> InvestigatedTrialConnection:
        relations = incoming(info.context.graph, self.id, [EdgeKind.INVESTIGATED_BY])
        page = paginate(relations, first, after, info.context.limits)
        edges = [
            InvestigatedTrialEdge(
                cursor=cursor(offset),
                role=member(OfficialRole, r.edge.get("role")),
                scope=InvestigatorScope(r.edge["scope"]),
                node=node,
            )
            for offset, r, node in paged_relations(info.context, page)
        ]
        return InvestigatedTrialConnection(total_count=page.total, page_info=page.info, edges=edges)

    @strawberry.field(description="Sites where the person investigates.")
    def sites(self, info: Info, first: int | None = None, after: str | None = None) -> SiteConnection:
        sites = outgoing(info.context.graph, self.id, [EdgeKind.INVESTIGATES_AT]).distinct_positions()
        return _site_connection(info.context, sites, first, after)


@strawberry.type(description="A trial run at a site, with the site's recruitment status in it.")
class SiteTrialEdge:
    cursor: str
    status: RecruitmentStatus | None
    node: TrialType


@strawberry.type
class SiteTrialConnection:
    total_count: int
    page_info: PageInfo
    edges: list[SiteTrialEdge]

    @strawberry.field
    def nodes(self) -> list[TrialType]:
        return [edge.node for edge in self.edges]


@registers(NodeKind.SITE.value)
@strawberry.type(description="A facility in a city: one node for every trial that lists it.")
class Site(Node):
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The facility's name; null for a site listed without one.")
    def name(self) -> str | None:
        return self.data.get("name")

    @strawberry.field
    def city(self) -> str | None:
        return self.data.get("city")

    @strawberry.field
    def state(self) -> str | None:
        return self.data.get("state")

    @strawberry.field(description="The country's name.")
    def country(self) -> str | None:
        return self.data.get("country")

    @strawberry.field
    def zip(self) -> str | None:
        return self.data.get("zip")

    @strawberry.field(
        description="true when the facility name is a sponsor's placeholder (`Research Site`, `GSK "
        "Investigational Site`, `Local Institution - 0170` ...), not the name of a place: such a site is "
        "merged only with listings of the same name, city, country and postal code."
    )
    def anonymized(self) -> bool:
        return bool(self.data.get("anonymized", False))

    @strawberry.field
    def latitude(self) -> float | None:
        return self.data.get("latitude")

    @strawberry.field
    def longitude(self) -> float | None:
        return self.data.get("longitude")

    @strawberry.field(
        description="true when the coordinates are the city's centre from an offline gazetteer "
        "(GeoNames), the record giving none; false when they are the record's or absent."
    )
    def coordinates_derived(self) -> bool:
        return bool(self.data.get("coordinatesDerived", False))

    @strawberry.field(description="Every way the sources wrote the facility.")
    def spellings(self) -> list[str]:
        return listed(self.data, "spellings")

    @strawberry.field(description="Every trial and field that lists the site.")
    def mentions(self, info: Info, first: int | None = None, after: str | None = None) -> MentionConnection:
        return mention_connection(info.context, self.id, first, after)

    @strawberry.field(description="The country as a node.")
    def located_in(self, info: Info) -> Country | None:
        found = outgoing(info.context.graph, self.id, [EdgeKind.LOCATED_IN])
        return node_at(info.context, found[0].position) if found else None

    @strawberry.field(description="The organization of the same name, if one sponsors or employs.")
    def organization(self, info: Info) -> Organization | None:
        found = outgoing(info.context.graph, self.id, [EdgeKind.OPERATED_BY])
        return node_at(info.context, found[0].position) if found else None

    @strawberry.field(description="Trials run here, by NCT ID, with the site's status in each.")
    def trials(self, info: Info, first: int | None = None, after: str | None = None) -> SiteTrialConnection:
        relations = incoming(info.context.graph, self.id, [EdgeKind.CONDUCTED_AT])
        page = paginate(relations, first, after, info.context.limits)
        edges = [
            SiteTrialEdge(
                cursor=cursor(offset),
                status=member(RecruitmentStatus, r.edge.get("status")),
                node=node,
            )
            for offset, r, node in paged_relations(info.context, page)
        ]
        return SiteTrialConnection(total_count=page.total, page_info=page.info, edges=edges)

    @strawberry.field(description="People who investigate here.")
    def investigators(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> InvestigatorConnection:
        people = incoming(info.context.graph, self.id, [EdgeKind.INVESTIGATES_AT]).distinct_positions()
        return _investigator_connection(info.context, people, first, after)


@registers(NodeKind.COUNTRY.value)
@strawberry.type(description="A country where trials have sites.")
class Country(Node):
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @strawberry.field
    def sites(self, info: Info, first: int | None = None, after: str | None = None) -> SiteConnection:
        sites = incoming(info.context.graph, self.id, [EdgeKind.LOCATED_IN]).distinct_positions()
        return _site_connection(info.context, sites, first, after)

    @strawberry.field(description="Trials with a site here, by NCT ID.")
    def trials(self, info: Info, first: int | None = None, after: str | None = None) -> TrialConnection:
        trials = incoming(info.context.graph, self.id, [EdgeKind.RUNS_IN]).distinct_positions()
        return trial_connection(info.context, trials, first, after)
