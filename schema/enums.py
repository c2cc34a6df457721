"""GraphQL enums holding the registry's own words (``COMPLETED``, ``PHASE1``, ``LEAD`` ...)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from functools import cache
from typing import Any, TypeVar

import strawberry

from graph import vocabulary as words
from graph.model import EdgeKind, NodeKind

E = TypeVar("E", bound=Enum)


def _enum(name: str, values: Iterable[str], description: str) -> Any:
    """A GraphQL enum whose names and values are the given words."""
    created: Any = Enum(name, {value: value for value in sorted(values)}, type=str)  # type: ignore[misc]
    return strawberry.enum(created, description=description)


TrialStatus = _enum("TrialStatus", words.STATUSES, "A trial's overall recruitment status.")
RecruitmentStatus = _enum(
    "RecruitmentStatus", words.RECRUITMENT_STATUSES, "A site's recruitment status in one trial."
)
Phase = _enum("Phase", words.PHASES, "A trial phase; a trial in two phases has both.")
StudyType = _enum("StudyType", words.STUDY_TYPES, "The kind of study.")
ArmType = _enum("ArmType", words.ARM_TYPES, "The role of an arm (group) in a trial.")
InterventionType = _enum("InterventionType", words.INTERVENTION_TYPES, "The kind of intervention.")
OfficialRole = _enum("OfficialRole", words.OFFICIAL_ROLES, "The role a person holds in a trial.")
SponsorRole = _enum("SponsorRole", words.SPONSOR_ROLES, "Lead sponsor or collaborator.")
AgencyClass = _enum("AgencyClass", words.AGENCY_CLASSES, "The registry's class of an organization.")
Sex = _enum("Sex", words.SEXES, "The sexes a trial accepts.")
ResponsiblePartyType = _enum(
    "ResponsiblePartyType", words.RESPONSIBLE_PARTY_TYPES, "Who is responsible for the record."
)
InvestigatorScope = _enum(
    "InvestigatorScope",
    frozenset({"TRIAL", "SITE", "ALL"}),
    "TRIAL: the trial's own people (its overall officials); SITE: the people named at its sites; "
    "ALL (to ask for, never held): both.",
)
CriteriaPart = _enum(
    "CriteriaPart",
    frozenset({"INCLUSION", "EXCLUSION"}),
    "The part of a trial's eligibility criteria an item is listed in.",
)
Kind = _enum("Kind", [kind.value for kind in NodeKind], "The kinds of nodes of the graph.")
EdgeType = _enum("EdgeType", [kind.value for kind in EdgeKind], "The kinds of edges of the graph.")


def member(enum: type[E], value: object) -> E | None:
    """The enum member for a stored value, ``None`` for an absent one."""
    return None if value is None else stored(enum, value)


def stored(enum: type[E], value: object) -> E:
    """The enum member for a stored value, from a cache: the enum's own lookup is several times
    slower, and answers look up thousands."""
    return _stored(enum, value)  # type: ignore[return-value]


@cache
def _stored(enum: type[Enum], value: object) -> Enum:
    return enum(value)
