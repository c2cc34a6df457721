"""Where a study runs and who runs it: locations with their people, overall officials, central contacts.

A study's sites cluster in a home country (an academic sponsor's own hospital comes first)
and spread over more countries as they grow; facilities are shared across studies by a Zipf
law per country. Some industry sponsors name every site alike ("<Sponsor> Investigational
Site", "Research Site"). Site people are drawn from the facility's own staff, so a site
investigator recurs across the studies of that facility. As in the registry's older records,
some studies list their sites by facility and city alone, without a country.
"""

from __future__ import annotations

import random
import unicodedata
from typing import Any

from graph.synth import names
from graph.synth.distributions import Weighted, between, pick
from graph.synth.entities import Facility, Organization, Person, World
from graph.synth.places import COUNTRIES, Country

_SITE_STATUSES: dict[str, Weighted[str]] = {
    "RECRUITING": Weighted(
        ["RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED", "WITHDRAWN"],
        [80, 10, 5, 3, 2],
    ),
    "NOT_YET_RECRUITING": Weighted(["NOT_YET_RECRUITING"], [1]),
    "ACTIVE_NOT_RECRUITING": Weighted(["ACTIVE_NOT_RECRUITING", "COMPLETED"], [85, 15]),
    "ENROLLING_BY_INVITATION": Weighted(["ENROLLING_BY_INVITATION"], [1]),
    "SUSPENDED": Weighted(["SUSPENDED"], [1]),
    "AVAILABLE": Weighted(["AVAILABLE"], [1]),
}
_OFFICIAL_COUNTS = Weighted([0, 1, 2, 3, 4, 6], [22, 65, 8, 3, 1, 1])
_OFFICIAL_ROLES = Weighted(
    ["PRINCIPAL_INVESTIGATOR", "STUDY_DIRECTOR", "STUDY_CHAIR", "SUB_INVESTIGATOR"], [70, 18, 11, 1]
)
_INDUSTRY_OFFICIALS = ("Medical Director", "Clinical Trials", "Study Director", "Clinical Development")
BARE_SITES = 0.03  # the share of studies listing their sites without a country
_RECRUITING = frozenset({"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "AVAILABLE"})


def locations(
    world: World,
    lead: Organization,
    lead_facility: Facility | None,
    status: str,
    count: int,
    rng: random.Random,
) -> list[dict[str, Any]]:
    """``count`` distinct sites (fewer if the draws keep repeating a site)."""
    if lead_facility is not None:
        home = lead_facility.country
    elif lead.agency_class == "INDUSTRY" and rng.random() < 0.4:
        home = lead.country
    else:
        home = world.site_countries(rng)
    countries = _countries(world, home, count, rng)
    home_share = 1.0 if len(countries) == 1 else 0.2 + 0.5 * rng.random()
    statuses = _SITE_STATUSES.get(status)
    with_people = rng.random() < (0.7 if status in _RECRUITING else 0.3)
    # As in the registry's older records (3% of its trials): every site a facility and a city
    # only, no country, postal code, status, people or coordinates.
    bare = rng.random() < BARE_SITES
    seen: set[tuple[str, str, str]] = set()
    sites = []
    for position in range(count):
        for _ in range(6):
            if position == 0 and lead_facility is not None and rng.random() < 0.85:
                facility = lead_facility
            else:
                country = countries[0] if rng.random() < home_share else pick(rng, countries[1:] or countries)
                facility = _facility(world, lead, country, rng)
            place = (facility.name, facility.city.name, facility.country.name)
            if place not in seen:
                break
        else:
            continue  # the law keeps giving sites this study already has: list fewer
        seen.add(place)
        if bare:
            sites.append(
                {"facility": facility.name, "city": facility.city.name}
                if rng.random() < 0.9
                else {"city": facility.city.name}
            )
        else:
            sites.append(_location(world, facility, statuses, with_people, rng))
    return sites


def _countries(world: World, home: Country, count: int, rng: random.Random) -> list[Country]:
    if count <= 3:
        wanted = 1 if rng.random() < 0.9 else 2
    elif count <= 20:
        wanted = 1 + int(rng.random() * count / 6)
    else:
        wanted = min(len(COUNTRIES), 2 + int(count**0.55))
    chosen = [home]
    for _ in range(wanted * 5):
        if len(chosen) >= wanted:
            break
        country = world.site_countries(rng)
        if country not in chosen:
            chosen.append(country)
    return chosen


def _facility(world: World, lead: Organization, country: Country, rng: random.Random) -> Facility:
    if lead.site_label and rng.random() < 0.9:
        city = world.cities[country.name](rng)
        return Facility(f"{lead.site_label}:{country.name}:{city.name}", lead.site_label, city, country, "")
    return world.site_facility(country, rng)


def _location(
    world: World, facility: Facility, statuses: Weighted[str] | None, with_people: bool, rng: random.Random
) -> dict[str, Any]:
    site: dict[str, Any] = {}
    if rng.random() < 0.995:
        respelt = rng.random() < 0.1
        site["facility"] = (
            names.respell_organization(facility.name, "", "en", rng) if respelt else facility.name
        )
    if statuses is not None:
        site["status"] = statuses(rng)
    city = facility.city
    site["city"] = city.name
    if city.state and rng.random() < 0.8:
        site["state"] = city.state
    if facility.postcode and rng.random() < 0.6:
        site["zip"] = facility.postcode
    site["country"] = facility.country.name
    if with_people and rng.random() < 0.75:
        people = _site_people(world, facility, site.get("status") in _RECRUITING, rng)
        if people:
            site["contacts"] = people
    if rng.random() < 0.92:
        site["geoPoint"] = {"lat": city.latitude, "lon": city.longitude}
    return site


def _site_people(
    world: World, facility: Facility, recruiting: bool, rng: random.Random
) -> list[dict[str, Any]]:
    place, language = facility.ident, facility.country.language
    people: list[dict[str, Any]] = []
    if recruiting and rng.random() < 0.7:
        people.append(contact(world.staff(place, language, rng), facility.name, facility.country, rng))
    if rng.random() < 0.85:
        investigator = world.staff(place, language, rng)
        people.append(
            {
                "name": names.respell_person(investigator.name, investigator.degrees, rng),
                "role": "PRINCIPAL_INVESTIGATOR",
            }
        )
    for _ in range(pick(rng, (0, 0, 0, 1, 2))):
        helper = world.staff(place, language, rng)
        people.append(
            {"name": names.respell_person(helper.name, helper.degrees, rng), "role": "SUB_INVESTIGATOR"}
        )
    return people


def contact(person: Person, organization: str, country: Country, rng: random.Random) -> dict[str, Any]:
    """A contact entry with a phone number and an e-mail address at the organization."""
    if country.name == "United States":
        phone = f"{between(rng, 201, 990)}-{between(rng, 200, 999)}-{between(rng, 1000, 9999)}"
    else:
        phone = f"+{between(rng, 20, 99)} {between(rng, 10, 99)} {between(rng, 100_000, 9_999_999)}"
    entry: dict[str, Any] = {"name": person.name, "role": "CONTACT", "phone": phone}
    if rng.random() < 0.8:
        entry["email"] = (
            f"{_ascii(person.name).replace(' ', '.')}@{_ascii(organization).replace(' ', '')[:16]}.org"
        )
    return entry


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == " "))


def officials(
    world: World,
    lead: Organization,
    lead_facility: Facility | None,
    affiliation: str,
    rng: random.Random,
) -> list[dict[str, Any]]:
    """Overall officials: the lead's own people first, then people of other institutions."""
    found = []
    for number in range(_OFFICIAL_COUNTS(rng)):
        role = _OFFICIAL_ROLES(rng)
        if number == 0 and lead.agency_class == "INDUSTRY" and rng.random() < 0.5:
            entry = {
                "name": pick(rng, _INDUSTRY_OFFICIALS),
                "affiliation": affiliation,
                "role": "STUDY_DIRECTOR",
            }
            found.append(entry)
            continue
        if number == 0 and lead_facility is None:
            person = world.staff(lead.ident, lead.country.language, rng)
            where = affiliation
        else:
            facility = (
                lead_facility
                if number == 0 and lead_facility
                else world.institution(world.sponsor_countries(rng), rng)
            )
            person = world.staff(facility.ident, facility.country.language, rng)
            where = (
                names.respell_organization(facility.name, "", "en", rng)
                if rng.random() < 0.35
                else facility.name
            )
        entry = {"name": names.respell_person(person.name, person.degrees, rng)}
        if rng.random() < 0.95:
            entry["affiliation"] = where
        entry["role"] = role
        found.append(entry)
    return found
