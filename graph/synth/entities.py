"""The entities trials share: companies, institutions and their sites, people, conditions, interventions.

Each universe is unbounded in effect (hundreds of thousands of ranks) and nothing of it is
stored: the entity at a rank is derived from the seed and the rank alone, through the digits
of a hash (:class:`~graph.synth.distributions.Draws`), and recently used ones are kept in a
bounded cache. Trials draw ranks from Zipf laws, so a few entities are in thousands of trials
and most in one or two.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from graph.synth import facilities, medicine, names
from graph.synth.distributions import Draws, Weighted, Zipf
from graph.synth.facilities import LETTERS
from graph.synth.places import COUNTRIES, City, Country

# Sizes and Zipf laws (exponent, offset) of the universes; at 100,000 trials they give the most
# common condition in 7% of trials, the top lead sponsor in 1.4%, 60% of lead sponsors in one trial.
FACILITIES_PER_WEIGHT = 8_000  # facility ranks per unit of a country's site weight
FACILITY_LAW = (1.0, 5.0)  # (exponent, offset) of the facilities within a country
INSTITUTION_LAW = (1.1, 1.0)  # the same facilities as academic lead sponsors: a steeper head
COMPANIES, COMPANY_LAW = 60_000, (1.0, 3.0)
CONDITIONS, CONDITION_LAW = 300_000, (1.0, 1.0)
INTERVENTIONS, INTERVENTION_LAW = 400_000, (1.0, 6.0)
PEOPLE_PER_PLACE, PERSON_LAW = 40, (1.2, 0.0)  # the people of one facility or company
_CACHE = 1 << 16

_COMPANY_COUNTRIES = {
    "United States": 45, "China": 10, "Germany": 5, "Japan": 5, "Switzerland": 4, "United Kingdom": 5,
    "France": 4, "Korea, Republic of": 4, "Denmark": 2, "Netherlands": 2, "Belgium": 2, "Italy": 2,
    "Spain": 2, "Canada": 2, "Taiwan": 2, "India": 2, "Israel": 1, "Sweden": 1, "Australia": 1,
}  # fmt: skip
# How industry sponsors name sites they do not name: one label for every city.
_SITE_LABELS = (("{short} Investigational Site", 10), ("{short} Investigative Site", 4),
                ("Research Site", 4), ("Local Institution", 2), ("Clinical Research Site", 1))  # fmt: skip
# Agencies and networks, real names, with weights among themselves.
AGENCIES: tuple[tuple[str, str, float], ...] = (
    ("National Cancer Institute (NCI)", "NIH", 40),
    ("National Institute of Allergy and Infectious Diseases (NIAID)", "NIH", 10),
    ("National Heart, Lung, and Blood Institute (NHLBI)", "NIH", 10),
    ("National Institute of Mental Health (NIMH)", "NIH", 8),
    ("National Institute on Drug Abuse (NIDA)", "NIH", 8),
    ("National Institute on Aging (NIA)", "NIH", 6),
    ("National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)", "NIH", 6),
    ("National Institute of Neurological Disorders and Stroke (NINDS)", "NIH", 4),
    ("National Institutes of Health Clinical Center (CC)", "NIH", 6),
    ("VA Office of Research and Development", "FED", 10),
    ("Centers for Disease Control and Prevention", "FED", 3),
    ("United States Department of Defense", "FED", 3),
    ("Medical Research Council", "OTHER_GOV", 2),
    ("Canadian Institutes of Health Research (CIHR)", "OTHER_GOV", 3),
    ("Institut National de la Santé Et de la Recherche Médicale, France", "OTHER_GOV", 3),
    ("National Natural Science Foundation of China", "OTHER_GOV", 2),
    ("Children's Oncology Group", "NETWORK", 4),
    ("ECOG-ACRIN Cancer Research Group", "NETWORK", 3),
    ("SWOG Cancer Research Network", "NETWORK", 3),
    ("NRG Oncology", "NETWORK", 3),
    ("Alliance for Clinical Trials in Oncology", "NETWORK", 3),
    ("European Organisation for Research and Treatment of Cancer - EORTC", "NETWORK", 3),
    ("AIDS Clinical Trials Group", "NETWORK", 2),
    ("Canadian Cancer Trials Group", "NETWORK", 2),
)


@dataclass(frozen=True, slots=True)
class Organization:
    """A sponsor, collaborator or affiliation: its name without company form, and the form."""

    ident: str  # stable, for deriving the organization's people
    base: str
    form: str
    style: str  # which company forms its respellings use
    agency_class: str
    country: Country
    site_label: str = ""  # how an industry sponsor names the sites of its trials, if it does

    @property
    def name(self) -> str:
        return names.canonical_organization(self.base, self.form)


@dataclass(frozen=True, slots=True)
class Facility:
    """A place trials are conducted at; also an academic sponsor when it leads trials."""

    ident: str
    name: str
    city: City
    country: Country
    postcode: str


@dataclass(frozen=True, slots=True)
class Person:
    name: str  # without degrees
    degrees: str


@dataclass(frozen=True, slots=True)
class Intervention:
    name: str
    type: str


class World:
    """Every universe of one seed, and the laws trials draw from them with."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.site_countries = Weighted(COUNTRIES, [country.site_weight for country in COUNTRIES])
        self.sponsor_countries = Weighted(COUNTRIES, [country.sponsor_weight for country in COUNTRIES])
        by_name = {country.name: country for country in COUNTRIES}
        self.company_countries = Weighted(
            [by_name[name] for name in _COMPANY_COUNTRIES], list(_COMPANY_COUNTRIES.values())
        )
        self.cities = {
            country.name: Weighted(country.cities, [c.weight for c in country.cities])
            for country in COUNTRIES
        }
        sizes = {
            country.name: max(200, int(country.site_weight * FACILITIES_PER_WEIGHT)) for country in COUNTRIES
        }
        self.facility_ranks = {name: Zipf(size, *FACILITY_LAW) for name, size in sizes.items()}
        self.institution_ranks = {name: Zipf(size, *INSTITUTION_LAW) for name, size in sizes.items()}
        self.company_ranks = Zipf(COMPANIES, *COMPANY_LAW)
        self.condition_ranks = Zipf(CONDITIONS, *CONDITION_LAW)
        self.intervention_ranks = Zipf(INTERVENTIONS, *INTERVENTION_LAW)
        self.person_ranks = Zipf(PEOPLE_PER_PLACE, *PERSON_LAW)
        self.agencies = Weighted(AGENCIES, [weight for _, _, weight in AGENCIES])
        self.countries = by_name
        self.facility: Callable[[str, int], Facility] = lru_cache(_CACHE)(self._facility)
        self.company: Callable[[int], Organization] = lru_cache(_CACHE)(self._company)
        self.person: Callable[[str, int, str], Person] = lru_cache(_CACHE)(self._person)
        self.condition: Callable[[int], tuple[str, str]] = lru_cache(_CACHE)(self._condition)
        self.intervention: Callable[[int], Intervention] = lru_cache(_CACHE)(self._intervention)

    def _draws(self, *key: object) -> Draws:
        return Draws(self.seed, *key)

    # -- drawing ------------------------------------------------------------------------------

    def site_facility(self, country: Country, rng: random.Random) -> Facility:
        return self.facility(country.name, self.facility_ranks[country.name](rng))

    def institution(self, country: Country, rng: random.Random) -> Facility:
        """An academic sponsor: one of the country's facilities, the big ones far more often."""
        return self.facility(country.name, self.institution_ranks[country.name](rng))

    def some_company(self, rng: random.Random) -> Organization:
        return self.company(self.company_ranks(rng))

    def some_condition(self, rng: random.Random) -> tuple[str, str]:
        return self.condition(self.condition_ranks(rng))

    def some_intervention(self, rng: random.Random) -> Intervention:
        return self.intervention(self.intervention_ranks(rng))

    def agency(self, rng: random.Random) -> Organization:
        name, agency_class, _ = self.agencies(rng)
        return Organization(f"agency:{name}", name, "", "en", agency_class, COUNTRIES[0])

    def staff(self, place: str, language: str, rng: random.Random) -> Person:
        """One of the people of a facility or company, the same few most often."""
        return self.person(place, self.person_ranks(rng), language)

    @staticmethod
    def as_organization(facility: Facility) -> Organization:
        return Organization(
            facility.ident, facility.name, "", facility.country.company_style, "OTHER", facility.country
        )

    # -- deriving an entity from its rank ----------------------------------------------------

    def _facility(self, country_name: str, rank: int) -> Facility:
        country = self.countries[country_name]
        rng = self._draws("facility", country_name, rank)
        city = self.cities[country.name](rng)
        name = facilities.facility_name(country, city, rank < 40 or rng.random() < 0.3, rng)
        return Facility(f"{country.name}:{rank}", name, city, country, facilities.postcode(country, rng))

    def _company(self, rank: int) -> Organization:
        rng = self._draws("company", rank)
        country = self.company_countries(rng)
        style = country.company_style if country.company_style in names.COMPANY_FORMS else "us"
        if style in ("cn", "tw"):
            place = self.cities[country.name](rng)
            stem = rng.choice(names.PINYIN) + rng.choice(names.PINYIN).lower()
            base = f"{place.state or place.name} {stem} {rng.choice(names.CHINESE_COMPANY_KINDS)}"
        else:
            stem = rng.choice(names.STEM_STARTS) + rng.choice(names.STEM_ENDS)
            base = f"{stem} {rng.choice(names.COMPANY_KINDS)}" if rng.random() < 0.85 else stem
        forms = names.COMPANY_FORMS[style]
        form = (forms[0] if rng.random() < 0.7 else rng.choice(forms)) if rng.random() < 0.6 else ""
        label = ""
        if rng.random() < 0.25:
            label = _SITE_LABEL_LAW(rng).format(short=stem)
        return Organization(f"company:{rank}", base, form, style, "INDUSTRY", country, label)

    def _person(self, place: str, rank: int, language: str) -> Person:
        rng = self._draws("person", place, rank)
        language = language if language in names.LAST_NAMES else "en"
        middle = LETTERS[rng.below(26)] if language == "en" and rng.random() < 0.35 else ""
        name = names.person_name(
            rng.choice(names.FIRST_NAMES[language]), middle, rng.choice(names.LAST_NAMES[language])
        )
        return Person(name, rng.choice(names.DEGREES))

    def _condition(self, rank: int) -> tuple[str, str]:
        """A condition and the sex it restricts to: real names first, made-up ones in the tail."""
        if rank < len(medicine.CONDITIONS):
            return medicine.CONDITIONS[rank]
        rng = self._draws("condition", rank)
        if rng.random() < 0.6:
            base, sex = rng.choice(medicine.DISEASES)
            return f"{rng.choice(medicine.CONDITION_MODIFIERS)} {base}", sex
        if rng.random() < 0.5:
            gene = "".join(LETTERS[rng.below(26)] for _ in range(rng.choice((3, 4)))) + str(1 + rng.below(19))
            return f"{gene} {rng.choice(medicine.RARE_DISEASE_WORDS)}", ""
        surname = rng.choice(names.LAST_NAMES[rng.choice(tuple(names.LAST_NAMES))])
        return f"{surname} {rng.choice(medicine.RARE_DISEASE_WORDS)}", ""

    def _intervention(self, rank: int) -> Intervention:
        if rank < len(medicine.INTERVENTIONS):
            return Intervention(*medicine.INTERVENTIONS[rank])
        rng = self._draws("intervention", rank)
        kind = rng.random()
        if kind < 0.55:
            ending = rng.choice(medicine.DRUG_ENDINGS)
            name = (
                rng.choice(medicine.DRUG_STEMS) + rng.choice(("", "li", "ti", "ro", "va")) + ending
            ).capitalize()
            return Intervention(name, "BIOLOGICAL" if ending.endswith(medicine.BIOLOGIC_ENDINGS) else "DRUG")
        if kind < 0.8:
            letters = "".join(LETTERS[rng.below(26)] for _ in range(rng.choice((2, 3, 3, 4))))
            separator = rng.choice(("-", "-", "", " "))
            return Intervention(f"{letters}{separator}{100 + rng.below(99_900)}", "DRUG")
        if kind < 0.88:
            brand = rng.choice(names.STEM_STARTS) + rng.choice(names.STEM_ENDS)
            return Intervention(f"{brand} {rng.choice(medicine.DEVICE_NOUNS)}", "DEVICE")
        if kind < 0.96:
            program = f"{rng.choice(medicine.PROGRAM_ADJECTIVES)} {rng.choice(medicine.PROGRAM_NOUNS)}"
            return Intervention(program, "BEHAVIORAL")
        supplement = f"{rng.choice(medicine.DRUG_STEMS).capitalize()} Extract"
        return Intervention(supplement, rng.choice(("DIETARY_SUPPLEMENT", "PROCEDURE", "OTHER")))


_SITE_LABEL_LAW = Weighted([label for label, _ in _SITE_LABELS], [weight for _, weight in _SITE_LABELS])
