"""FindTrials filters and the trials each must find, computed from the records: every condition,
sponsor, country, status, phase and study type, every 5th intervention, and combinations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.registry.expected import world
from tests.registry.keys import key
from tests.registry.records import Form
from tests.registry.world import TrialLinks, World


@dataclass(frozen=True, slots=True)
class Search:
    """One FindTrials filter and the trials it must find, in NCT order; ``allowed`` are further
    trials the product may add (a condition through the trials' MeSH terms and their ancestors,
    an intervention through the other names any record gives it)."""

    label: str
    filter: dict[str, str]
    nct_ids: list[str]
    allowed: frozenset[str]


def _index(trials: list[TrialLinks], keys_of: Any) -> dict[Any, list[str]]:
    """The NCT IDs under each key a trial holds, in NCT order."""
    found: dict[Any, list[str]] = {}
    for links in trials:
        for held in dict.fromkeys(keys_of(links)):
            found.setdefault(held, []).append(links.record.nct_id)
    return found


def _mesh_names(links: TrialLinks) -> set[str]:
    return {key(term.term) for term in (*links.record.mesh_terms, *links.record.mesh_ancestors)}


def searches(form: Form) -> list[Search]:
    """FindTrials filters: every condition, sponsor, country, status, phase and study type,
    every 5th intervention, and combinations."""
    entities = world(form)
    trials = list(entities.trials.values())
    by_condition = _index(trials, lambda links: links.conditions)
    by_mesh = _index(trials, _mesh_names)
    by_sponsor = _index(trials, lambda links: [organization for organization, _ in links.sponsors])
    by_country = _index(trials, lambda links: links.countries)
    by_status = _index(trials, lambda links: [links.record.status] if links.record.status else [])
    by_phase = _index(trials, lambda links: links.record.phases)
    by_type = _index(trials, lambda links: [links.record.study_type] if links.record.study_type else [])
    by_intervention = _index(trials, lambda links: links.interventions)
    # An intervention's other names, gathered over every trial that names it: a trial testing
    # `Sildenafil` may be found as `Viagra` when any record gives that other name.
    other_names_of: dict[str, set[str]] = {}
    for links in trials:
        for item in links.record.interventions:
            other_names_of.setdefault(key(item.name), set()).update(key(name) for name in item.other_names)
    by_other_name = _index(
        trials, lambda links: {name for held in links.interventions for name in other_names_of.get(held, ())}
    )
    spelling_of = {
        key(item.name): item.name for links in reversed(trials) for item in links.record.interventions
    }
    found = [
        Search(
            f"condition={name}",
            {"condition": name},
            nct_ids,
            frozenset(by_mesh.get(condition, [])) - set(nct_ids),
        )
        for condition, nct_ids in by_condition.items()
        for name in [entities.conditions.forms(condition)[0]]
    ]
    found += [
        Search(f"sponsor={name}", {"sponsor": name}, nct_ids, frozenset())
        for organization, nct_ids in by_sponsor.items()
        for name in [entities.organizations.forms(organization)[0]]
    ]
    found += [
        Search(f"country={name}", {"country": name}, nct_ids, frozenset())
        for country, nct_ids in by_country.items()
        for name in [entities.countries.forms(country)[0]]
    ]
    for field, index in (("status", by_status), ("phase", by_phase), ("studyType", by_type)):
        found += [
            Search(f"{field}={value}", {field: value}, index[value], frozenset()) for value in sorted(index)
        ]
    found += [
        Search(
            f"intervention={spelling_of[intervention]}",
            {"intervention": spelling_of[intervention]},
            nct_ids,
            frozenset(by_other_name.get(intervention, [])) - set(nct_ids),
        )
        for intervention, nct_ids in list(by_intervention.items())[::5]
    ]
    found += _combinations(entities, trials)
    return found


def _both(*lists: list[str]) -> list[str]:
    return sorted(set(lists[0]).intersection(*lists[1:]))


def _combinations(entities: World, trials: list[TrialLinks]) -> list[Search]:
    """A few filters together (they combine with AND): for each of the 15 busiest countries, a
    condition of its first trial there, and the lead sponsor and status of its last; and every
    phase with every study type."""
    found = []
    by_country = _index(trials, lambda links: links.countries)
    by_condition = _index(trials, lambda links: links.conditions)
    by_mesh = _index(trials, _mesh_names)
    by_sponsor = _index(trials, lambda links: [organization for organization, _ in links.sponsors])
    by_status = _index(trials, lambda links: [links.record.status] if links.record.status else [])
    by_phase = _index(trials, lambda links: links.record.phases)
    by_type = _index(trials, lambda links: [links.record.study_type] if links.record.study_type else [])
    busiest = sorted(by_country.items(), key=lambda item: (-len(item[1]), item[0]))[:15]
    for country, nct_ids in busiest:
        country_name = entities.countries.forms(country)[0]
        first, last = entities.trials[nct_ids[0]], entities.trials[nct_ids[-1]]
        if first.conditions:
            condition = first.conditions[0]
            name = entities.conditions.forms(condition)[0]
            matching = _both(by_condition[condition], nct_ids)
            found.append(
                Search(
                    f"condition={name}&country={country_name}",
                    {"condition": name, "country": country_name},
                    matching,
                    frozenset(_both(by_mesh.get(condition, []), nct_ids)) - set(matching),
                )
            )
        if last.sponsors and last.record.status:
            sponsor, status = last.sponsors[0][0], last.record.status
            name = entities.organizations.forms(sponsor)[0]
            found.append(
                Search(
                    f"sponsor={name}&status={status}&country={country_name}",
                    {"sponsor": name, "status": status, "country": country_name},
                    _both(by_sponsor[sponsor], by_status[status], nct_ids),
                    frozenset(),
                )
            )
    for phase in sorted(by_phase):
        for study_type in sorted(by_type):
            found.append(
                Search(
                    f"phase={phase}&studyType={study_type}",
                    {"phase": phase, "studyType": study_type},
                    _both(by_phase[phase], by_type[study_type]),
                    frozenset(),
                )
            )
    return found
