"""What each contract operation must answer on the registry records, computed from the records
(:mod:`tests.registry.records`) by the written rules (:mod:`tests.registry.world`,
:mod:`tests.registry.criteria`), never from the product's answers.

``id`` values are opaque and left out of every expected answer. Run as a script for the lead's
progress report (mismatch counts per operation and per field path)::

    .venv/bin/python -m tests.registry.expected --report studies|pages
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tests.registry.criteria import split_criteria, unescaped
from tests.registry.records import Form, Record, records
from tests.registry.world import PersonNode, SiteNode, TrialLinks, World

FIRST = 20  # the reverse operations' page
SITES_FIRST = 100  # TrialCard's sites(first: 100)
WHOLE_LIST = 100  # a connection asked without `first` gives up to the maximum page

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?\s*$", re.IGNORECASE)
_YEARS_PER = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}
_YEARS_PER |= {"hour": 1 / 24 / 365.25, "minute": 1 / 1440 / 365.25}


@cache
def world(form: Form) -> World:
    """The entities of the trials of one form, loaded alone."""
    return World(records(form))


def age_years(age: str | None) -> float | None:
    """An age limit in years: ``6 Months`` is 0.5; ``N/A`` or none is None.

    >>> age_years("6 Months"), age_years("18 Years"), age_years("N/A"), round(age_years("4 Weeks") or 0, 4)
    (0.5, 18.0, None, 0.0767)
    """
    found = _AGE.match(age or "")
    if found is None:
        return None
    return float(found.group(1)) * _YEARS_PER[found.group(2).lower()]


def arm_interventions(record: Record, form: Form) -> list[list[int]]:
    """For each arm, the interventions it receives (indices), in the trial's intervention order.

    A registry record states which arm receives which intervention once, and writes it twice:
    ``armGroupLabels`` on each intervention and ``interventionNames`` (``Drug: Placebo``, each
    name once) on each arm, in the interventions' order. Where one trial lists an intervention
    name more than once, only the labels say which an arm receives: NCT01442077's ``arm 2``
    receives two of its four ``Extracorporeal Shockwave Therapy Generator`` interventions (its
    labels say so), though its names write the name once. So on registry JSON the labels pair
    them; a record that labels no intervention is paired by the arms' names, each naming the one
    intervention of that type and name (a name that fits several, or none, pairs nothing: the
    record does not say which).

    A page can only say what it shows (:func:`page_arm_interventions`).
    """
    if form == "pages":
        return page_arm_interventions(record)
    if any(item.arm_labels for item in record.interventions):
        return [
            [index for index, item in enumerate(record.interventions) if arm.label in item.arm_labels]
            for arm in record.arms
        ]
    received: list[list[int]] = []
    for arm in record.arms:
        picks: set[int] = set()
        for written in arm.intervention_names:
            fits = _named(record, written)
            picks.update(fits if len(fits) == 1 else [])
        received.append(sorted(picks))
    return received


def page_arm_interventions(record: Record) -> list[list[int]]:
    """For each arm, the interventions its page shows under it, in the order shown.

    A page's Study Groups show under each arm one intervention per name of its
    ``interventionNames``, with the description of the first intervention of that type and name
    whose labels name the arm, else of the first of that type and name (the pages were made so:
    ``tests/graph/test_studygroups.py`` reads every page's groups against this). So NCT01442077's
    page shows ``arm 2`` receiving the first of its four same-named interventions only.
    """
    received: list[list[int]] = []
    for arm in record.arms:
        picks: list[int] = []
        for written in arm.intervention_names:
            fits = _named(record, written)
            preferred = [index for index in fits if arm.label in record.interventions[index].arm_labels]
            picks += [index for index in (preferred or fits)[:1] if index not in picks]
        received.append(picks)
    return received


def _named(record: Record, written: str) -> list[int]:
    """The interventions an arm's ``Type: name`` can name (indices)."""
    kind, _, name = written.partition(": ") if ": " in written else ("", "", written)
    return [
        index
        for index, item in enumerate(record.interventions)
        if " ".join(item.name.split()) == " ".join(name.split())
        and (item.type is None or not kind or _type_word(item.type) == kind.casefold())
    ]


def _type_word(intervention_type: str) -> str:
    return intervention_type.replace("_", " ").casefold()


def _text(value: str | None) -> str | None:
    return unescaped(value) if value is not None else None


def _intervention(entities: World, links: TrialLinks, index: int) -> dict[str, Any]:
    item = links.record.interventions[index]
    return {"name": entities.interventions.name(links.intervention_nodes[index]), "type": item.type}


def _site(entities: World, form: Form, node: SiteNode) -> dict[str, str | None]:
    shown = {
        "name": entities.site_names.name(node),
        "city": entities.site_cities.name(node),
        "country": entities.site_countries.name(node),
    }
    if form == "pages" and node in entities.comma_places:
        # A page's `City, State, Country` line cannot tell where a city or state written with
        # `, ` ends, nor so which listings are one site: such a site's city and name (chosen
        # among the listings merged) are not compared.
        del shown["city"], shown["name"]
    return shown


def trial_card(form: Form, nct_id: str) -> dict[str, Any]:
    """TrialCard's answer for one trial (without ids; a key left out is not compared)."""
    entities = world(form)
    links = entities.trials[nct_id]
    record = links.record
    received = arm_interventions(record, form)
    inclusion, exclusion = split_criteria(record.criteria)
    sponsors = [
        {"role": role, "node": {"name": entities.organizations.name(organization)}}
        for organization, role in links.sponsors
    ]
    investigators = [
        {
            "role": links.people[person].official_roles[0],
            "node": {"name": entities.people.name(links.people[person].node)},
        }
        for person in links.officials
    ]
    sites = [{"status": site.status, "node": _site(entities, form, site.node)} for site in links.sites]
    return {
        "trial": {
            "nctId": record.nct_id,
            "title": _text(record.title),
            "status": record.status,
            "phases": list(record.phases),
            "studyType": record.study_type,
            "enrollment": record.enrollment,
            "startDate": record.start_date,
            "completionDate": record.completion_date,
            "conditions": [{"name": entities.conditions.name(condition)} for condition in links.conditions],
            "sponsors": {"totalCount": len(sponsors), "edges": sponsors[:WHOLE_LIST]},
            "investigators": {"totalCount": len(investigators), "edges": investigators[:WHOLE_LIST]},
            "sites": {"totalCount": len(sites), "edges": sites[:SITES_FIRST]},
            "arms": [
                {
                    "label": arm.label,
                    "type": arm.type,
                    "description": _text(arm.description),
                    "interventions": [_intervention(entities, links, index) for index in received[number]],
                }
                for number, arm in enumerate(record.arms)
            ],
            "interventions": [
                _intervention(entities, links, index)
                | {
                    "description": _text(item.description),
                    "arms": [
                        {"label": arm.label}
                        for number, arm in enumerate(record.arms)
                        if index in received[number]
                    ],
                }
                for index, item in enumerate(record.interventions)
            ],
            "eligibility": {
                "minimumAgeYears": age_years(record.minimum_age),
                "maximumAgeYears": age_years(record.maximum_age),
                "sex": record.sex,
                "healthyVolunteers": record.healthy_volunteers,
                "inclusionCriteria": inclusion,
                "exclusionCriteria": exclusion,
            },
        }
    }


@dataclass(frozen=True, slots=True)
class LookUp:
    """One name look-up of a reverse operation and its expected answer."""

    name: str  # the spelling asked
    node: object  # the node it must find (condition key, organization key, person node)
    answer: dict[str, Any]


def _trial_nodes(nct_ids: list[str]) -> dict[str, Any]:
    return {"totalCount": len(nct_ids), "nodes": [{"nctId": nct_id} for nct_id in nct_ids[:FIRST]]}


def condition_trials(form: Form) -> list[LookUp]:
    """ConditionTrials for every condition, asked with its first spelling, that spelling in
    lower case, and without its spaces."""
    entities = world(form)
    trials_of: dict[str, list[str]] = {}
    for nct_id, links in entities.trials.items():
        for condition in links.conditions:
            trials_of.setdefault(condition, []).append(nct_id)
    found = []
    for condition, nct_ids in trials_of.items():
        answer = {
            "condition": {
                "name": entities.conditions.name(condition),
                "trials": _trial_nodes(sorted(nct_ids)),
            }
        }
        spelling = entities.conditions.forms(condition)[0]
        asked = dict.fromkeys([spelling, spelling.lower(), "".join(spelling.split())])
        found += [LookUp(name, condition, answer) for name in asked]
    return found


def _role_edges(trial_roles: list[tuple[str, str | None]]) -> dict[str, Any]:
    edges = [{"role": role, "node": {"nctId": nct_id}} for nct_id, role in trial_roles]
    return {"totalCount": len(edges), "edges": edges[:FIRST]}


def organization_trials(form: Form) -> list[LookUp]:
    """OrganizationTrials for every organization that sponsors or collaborates: one edge per
    (trial, role), by NCT ID, a trial's LEAD before its COLLABORATOR."""
    entities = world(form)
    roles_of: dict[str, list[tuple[str, str | None]]] = {}
    for nct_id, links in entities.trials.items():
        for role in ("LEAD", "COLLABORATOR"):
            for organization, held in links.sponsors:
                if held == role:
                    roles_of.setdefault(organization, []).append((nct_id, role))
    return [
        LookUp(
            entities.organizations.forms(organization)[0],
            organization,
            {
                "organization": {
                    "name": entities.organizations.name(organization),
                    "trials": _role_edges(roles),
                }
            },
        )
        for organization, roles in roles_of.items()
    ]


def investigator_trials(form: Form) -> list[LookUp]:
    """InvestigatorTrials for every overall official: each trial the person takes part in as
    official or site investigator, the trial-level role first."""
    entities = world(form)
    officials = dict.fromkeys(person for links in entities.trials.values() for person in links.officials)
    cases = []
    for person in officials:
        roles = _trials_of_person(entities.trials.values(), person)
        answer = {"investigator": {"name": entities.people.name(person), "trials": _role_edges(roles)}}
        cases.append(LookUp(entities.people.forms(person)[0], person, answer))
    return cases


def _trials_of_person(trials: Any, person: PersonNode) -> list[tuple[str, str | None]]:
    found = []
    for links in trials:
        held = links.people.get(person)
        if held is not None and (held.official_roles or held.site_roles):
            found.append((links.record.nct_id, held.role))
    return sorted(found)


def neighbourhood_counts(form: Form, nct_id: str) -> dict[str, int]:
    """The nodes one hop from a trial, counted by kind: its conditions, sponsors, people (its
    own, its site investigators and its responsible party), sites, countries, arms,
    interventions (:func:`~tests.registry.world.intervention_nodes`) and MeSH terms."""
    entities = world(form)
    links = entities.trials[nct_id]
    record = links.record
    mesh = {
        term.id[0] + str(int(term.id[1:]))
        for term in (*record.mesh_terms, *record.mesh_ancestors)
        if term.id[1:].isdigit()
    }
    counts = {
        "Trial": 1,
        "Condition": len(links.conditions),
        "Organization": len({organization for organization, _ in links.sponsors}),
        "Investigator": len(links.people),
        "Site": len(links.sites),
        "Country": len(links.countries),
        "Arm": len(record.arms),
        "Intervention": len(set(links.intervention_nodes)),
        "MeshTerm": len(mesh),
    }
    return {kind: count for kind, count in counts.items() if count}


def main() -> None:
    """The progress report (see :mod:`tests.registry.report`)."""
    from tests.registry.report import main as report

    report()


if __name__ == "__main__":
    main()
