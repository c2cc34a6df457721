"""The ``Trial`` type: what a trial states, and its relations with the properties on their edges."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.compact.relations import Relation, outgoing
from graph.model import EdgeKind, NodeKind, listed
from schema.context import Info
from schema.eligibility import Eligibility
from schema.enums import (
    AgencyClass,
    InvestigatorScope,
    OfficialRole,
    Phase,
    RecruitmentStatus,
    ResponsiblePartyType,
    SponsorRole,
    StudyType,
    TrialStatus,
    member,
    stored,
)
from schema.node import Node, node_at, paged_relations, registers
from schema.pagination import PageInfo, cursor, paginate

if TYPE_CHECKING:
    from schema.arms import Arm, Intervention
    from schema.entities import Condition, Country, Investigator, Organization, Site

OrganizationType = Annotated["Organization", strawberry.lazy("schema.entities")]
InvestigatorType = Annotated["Investigator", strawberry.lazy("schema.entities")]
SiteType = Annotated["Site", strawberry.lazy("schema.entities")]
ConditionType = Annotated["Condition", strawberry.lazy("schema.entities")]
CountryType = Annotated["Country", strawberry.lazy("schema.entities")]
ArmType = Annotated["Arm", strawberry.lazy("schema.arms")]
InterventionType = Annotated["Intervention", strawberry.lazy("schema.arms")]


@strawberry.type(description="How a trial is designed.")
class Design:
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def allocation(self) -> str | None:
        return self.data.get("allocation")

    @strawberry.field
    def intervention_model(self) -> str | None:
        return self.data.get("interventionModel")

    @strawberry.field
    def intervention_model_description(self) -> str | None:
        return self.data.get("interventionModelDescription")

    @strawberry.field
    def observational_model(self) -> str | None:
        return self.data.get("observationalModel")

    @strawberry.field
    def time_perspective(self) -> str | None:
        return self.data.get("timePerspective")

    @strawberry.field
    def primary_purpose(self) -> str | None:
        return self.data.get("primaryPurpose")

    @strawberry.field(description="Blinding: NONE, SINGLE, DOUBLE, TRIPLE or QUADRUPLE.")
    def masking(self) -> str | None:
        return self.data.get("masking")

    @strawberry.field
    def who_masked(self) -> list[str]:
        return listed(self.data, "whoMasked")


@strawberry.type(description="An identifier of the trial besides its NCT ID.")
class Identifier:
    value: str
    source: str = strawberry.field(description="org_study_id or secondary_id.")
    type: str | None
    domain: str | None


@strawberry.type(description="An organization sponsoring a trial, with its role in that trial.")
class TrialSponsorEdge:
    cursor: str
    role: SponsorRole
    agency_class: AgencyClass | None
    node: OrganizationType


@strawberry.type
class TrialSponsorConnection:
    total_count: int
    page_info: PageInfo
    edges: list[TrialSponsorEdge]

    @strawberry.field
    def nodes(self) -> list[OrganizationType]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="A person named by a trial, with the roles held in it and the sites.")
class TrialInvestigatorEdge:
    cursor: str
    role: OfficialRole | None = strawberry.field(
        description="The role the person holds in the trial: the first as one of its own, else at a "
        "site (asked with `scope: SITE`: the first at a site)."
    )
    roles: list[OfficialRole] = strawberry.field(
        description="Every role the person holds in the trial, as one of its own and then at its sites."
    )
    scope: InvestigatorScope = strawberry.field(
        description="TRIAL for one of the trial's own people (an overall official), SITE for a person "
        "named only at its sites."
    )
    node: InvestigatorType
    trial: strawberry.Private[str]

    @strawberry.field(description="The trial's sites where the person is named, in the order first named.")
    def sites(self, info: Info) -> list[SiteType]:
        relations = outgoing(info.context.graph, self.node.id, [EdgeKind.INVESTIGATES_AT])
        nct_id = self.trial.split(":", 1)[1]
        return [node_at(info.context, r.position) for r in relations if r.edge.get("trial") == nct_id]


@strawberry.type
class TrialInvestigatorConnection:
    total_count: int
    page_info: PageInfo
    edges: list[TrialInvestigatorEdge]

    @strawberry.field
    def nodes(self) -> list[InvestigatorType]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="A site of a trial, with its recruitment status in that trial.")
class TrialSiteEdge:
    cursor: str
    status: RecruitmentStatus | None = strawberry.field(description="null where the site lists none.")
    node: SiteType


@strawberry.type
class TrialSiteConnection:
    total_count: int
    page_info: PageInfo
    edges: list[TrialSiteEdge]

    @strawberry.field
    def nodes(self) -> list[SiteType]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="Who is responsible for the trial's record.")
class ResponsibleParty:
    type: ResponsiblePartyType | None
    investigator_name: str | None
    investigator_title: str | None
    affiliation: str | None
    organization: OrganizationType | None = strawberry.field(
        description="The sponsor, when it is responsible."
    )
    investigator: InvestigatorType | None = strawberry.field(description="The person, when one is named.")


@registers(NodeKind.TRIAL.value)
@strawberry.type(description="A clinical trial, as its registry record or trial page states it.")
class Trial(Node):
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def nct_id(self) -> str:
        return str(self.data["nctId"])

    @strawberry.field(description="The brief title, the trial's heading.")
    def title(self) -> str | None:
        return self.data.get("title")

    @strawberry.field
    def official_title(self) -> str | None:
        return self.data.get("officialTitle")

    @strawberry.field
    def acronym(self) -> str | None:
        return self.data.get("acronym")

    @strawberry.field
    def status(self) -> TrialStatus | None:
        return member(TrialStatus, self.data.get("status"))

    @strawberry.field(description="The status before it became UNKNOWN.")
    def last_known_status(self) -> TrialStatus | None:
        return member(TrialStatus, self.data.get("lastKnownStatus"))

    @strawberry.field
    def why_stopped(self) -> str | None:
        return self.data.get("whyStopped")

    @strawberry.field(description="Every phase; [] where the trial has none.")
    def phases(self) -> list[Phase]:
        return [Phase(value) for value in listed(self.data, "phases")]

    @strawberry.field
    def study_type(self) -> StudyType | None:
        return member(StudyType, self.data.get("studyType"))

    @strawberry.field
    def enrollment(self) -> int | None:
        return self.data.get("enrollment")

    @strawberry.field(description="ACTUAL or ESTIMATED.")
    def enrollment_type(self) -> str | None:
        return self.data.get("enrollmentType")

    @strawberry.field(description="`YYYY-MM-DD`, or `YYYY-MM` where only the month is known.")
    def start_date(self) -> str | None:
        return self.data.get("startDate")

    @strawberry.field
    def primary_completion_date(self) -> str | None:
        return self.data.get("primaryCompletionDate")

    @strawberry.field
    def completion_date(self) -> str | None:
        return self.data.get("completionDate")

    @strawberry.field
    def first_posted(self) -> str | None:
        return self.data.get("firstPosted")

    @strawberry.field
    def last_updated(self) -> str | None:
        return self.data.get("lastUpdated")

    @strawberry.field
    def has_results(self) -> bool | None:
        return self.data.get("hasResults")

    @strawberry.field
    def brief_summary(self) -> str | None:
        return self.data.get("briefSummary")

    @strawberry.field
    def detailed_description(self) -> str | None:
        return self.data.get("detailedDescription")

    @strawberry.field
    def keywords(self) -> list[str]:
        return listed(self.data, "keywords")

    @strawberry.field
    def design(self) -> Design:
        return Design(data=self.data)

    @strawberry.field
    def eligibility(self) -> Eligibility:
        return Eligibility(data=self.data)

    @strawberry.field
    def identifiers(self) -> list[Identifier]:
        found = []
        if "orgStudyId" in self.data:
            found.append(
                Identifier(
                    value=self.data["orgStudyId"],
                    source="org_study_id",
                    type=self.data.get("orgStudyIdType"),
                    domain=None,
                )
            )
        values = listed(self.data, "secondaryIds")
        kinds = listed(self.data, "secondaryIdTypes") or ["-"] * len(values)
        domains = listed(self.data, "secondaryIdDomains") or ["-"] * len(values)
        for value, kind, domain in zip(values, kinds, domains, strict=True):
            found.append(
                Identifier(
                    value=value,
                    source="secondary_id",
                    type=None if kind == "-" else kind,
                    domain=None if domain == "-" else domain,
                )
            )
        return found

    @strawberry.field
    def responsible_party(self, info: Info) -> ResponsibleParty | None:
        if "responsiblePartyType" not in self.data and "responsiblePartyInvestigator" not in self.data:
            return None
        parties = {
            r.node.split(":", 1)[0]: node_at(info.context, r.position)
            for r in outgoing(info.context.graph, self.id, [EdgeKind.RESPONSIBLE_PARTY])
        }
        return ResponsibleParty(
            organization=parties.get(NodeKind.ORGANIZATION.value),
            investigator=parties.get(NodeKind.INVESTIGATOR.value),
            type=member(ResponsiblePartyType, self.data.get("responsiblePartyType")),
            investigator_name=self.data.get("responsiblePartyInvestigator"),
            investigator_title=self.data.get("responsiblePartyInvestigatorTitle"),
            affiliation=self.data.get("responsiblePartyAffiliation"),
        )

    @strawberry.field(description="The documents this trial was read from; the first one won.")
    def sources(self) -> list[str]:
        return listed(self.data, "sources")

    @strawberry.field
    def conditions(self, info: Info) -> list[ConditionType]:
        return [
            node_at(info.context, r.position)
            for r in outgoing(info.context.graph, self.id, [EdgeKind.STUDIES])
        ]

    @strawberry.field(description="Lead sponsor first, then collaborators in source order.")
    def sponsors(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> TrialSponsorConnection:
        relations = sorted(
            outgoing(info.context.graph, self.id, [EdgeKind.SPONSORED_BY]),
            key=lambda r: (r.edge.get("role") != "LEAD", r.edge.get("position", 0)),
        )
        page = paginate(relations, first, after, info.context.limits)
        edges = [
            TrialSponsorEdge(
                cursor=cursor(offset),
                role=SponsorRole(r.edge["role"]),
                agency_class=member(AgencyClass, r.edge.get("agencyClass")),
                node=node,
            )
            for offset, r, node in paged_relations(info.context, page)
        ]
        return TrialSponsorConnection(total_count=page.total, page_info=page.info, edges=edges)

    @strawberry.field(
        description="The trial's own people (its overall officials) in source order, each once; "
        "`scope: SITE` for the people named at its sites, `ALL` for both (its own first)."
    )
    def investigators(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        scope: InvestigatorScope | None = InvestigatorScope.TRIAL,
    ) -> TrialInvestigatorConnection:
        # In the store's order already: its own people by position, then those at its sites.
        relations: Sequence[Relation] = outgoing(info.context.graph, self.id, [EdgeKind.INVESTIGATED_BY])
        asked = scope.value if scope is not None else "TRIAL"  # null asks for the default
        at_sites = asked == "SITE"
        if asked == "TRIAL":
            relations = [r for r in relations if r.edge.get("scope") == "TRIAL"]
        elif at_sites:
            relations = sorted(
                (r for r in relations if "sitePosition" in r.edge), key=lambda r: r.edge["sitePosition"]
            )
        page = paginate(relations, first, after, info.context.limits)
        edges = [
            TrialInvestigatorEdge(
                cursor=cursor(offset),
                role=member(
                    OfficialRole,
                    next(iter(listed(r.edge, "siteRoles")), None) if at_sites else r.edge.get("role"),
                ),
                roles=[
                    stored(OfficialRole, role)
                    for role in dict.fromkeys(listed(r.edge, "roles") + listed(r.edge, "siteRoles"))
                ],
                scope=InvestigatorScope(r.edge["scope"]),
                node=node,
                trial=self.id,
            )
            for offset, r, node in paged_relations(info.context, page)
        ]
        return TrialInvestigatorConnection(total_count=page.total, page_info=page.info, edges=edges)

    @strawberry.field(description="Sites in source order; two listings of one site are one site.")
    def sites(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: RecruitmentStatus | None = None,
    ) -> TrialSiteConnection:
        relations: Sequence[Relation] = outgoing(info.context.graph, self.id, [EdgeKind.CONDUCTED_AT])
        if status is not None:
            relations = [r for r in relations if r.edge.get("status") == status.value]
        page = paginate(relations, first, after, info.context.limits)
        edges = [
            TrialSiteEdge(
                cursor=cursor(offset), status=member(RecruitmentStatus, r.edge.get("status")), node=node
            )
            for offset, r, node in paged_relations(info.context, page)
        ]
        return TrialSiteConnection(total_count=page.total, page_info=page.info, edges=edges)

    @strawberry.field
    def countries(self, info: Info) -> list[CountryType]:
        return [
            node_at(info.context, r.position)
            for r in outgoing(info.context.graph, self.id, [EdgeKind.RUNS_IN])
        ]

    @strawberry.field(description="Arms (groups) in source order.")
    def arms(self, info: Info) -> list[ArmType]:
        return [
            node_at(info.context, r.position)
            for r in outgoing(info.context.graph, self.id, [EdgeKind.HAS_ARM])
        ]

    @strawberry.field(description="Interventions in source order, as this trial describes them.")
    def interventions(self, info: Info) -> list[InterventionType]:
        relations = outgoing(info.context.graph, self.id, [EdgeKind.TESTS])
        return [node_at(info.context, r.position, trial=self.id) for r in relations]
