"""How facilities are named, by the language of their country: the big academic names, and the rest.

A template's fields are filled from the facility's city and from word lists; the same draws
always give the same name, and a name never ends in a word the product would read as a
company form.
"""

from __future__ import annotations

from graph.synth import names
from graph.synth.distributions import Draws
from graph.synth.places import City, Country

# (the big academic names, the rest), by language; "ko" names like "ja".
_TEMPLATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("University of {city} Medical Center", "{city} University Hospital", "{city} General Hospital",
         "{surname} Cancer Center", "{saint} Hospital", "{city} Children's Hospital", "{city} University",
         "{surname} Memorial Hospital", "{surname} Medical Center", "{city} Heart Institute",
         "Faculty of Medicine, {city} University"),
        ("{surname} Clinical Research", "{adj} Research Associates", "{adj} Clinical Trials, LLC",
         "{surname} Family Medicine", "{adj} Dermatology", "{adj} Cardiology Associates",
         "{city} Oncology Associates", "{adj} Medical Research", "{adj} Clinical Research Center",
         "{saint} Medical Center", "{surname} Clinic", "{adj} Health System", "{city} Community Hospital",
         "{adj} Pediatrics", "{surname} Eye Institute", "{adj} Women's Health",
         "{surname} & {first} Medical Group"),
    ),
    "fr": (
        ("Hôpital {saint}", "CHU de {city}", "Centre Hospitalier Universitaire de {city}",
         "Institut {surname}", "Centre {first} {surname}"),
        ("Centre Hospitalier de {city}", "Clinique {saint}", "Hôpital Privé {saint}",
         "Groupe Hospitalier {saint}", "Cabinet Médical {surname}", "Centre de Recherche Clinique de {city}",
         "Polyclinique {saint}"),
    ),
    "de": (
        ("Universitätsklinikum {city}", "Klinikum der Universität {city}", "Klinikum {city}"),
        ("{saint} Krankenhaus", "Praxis Dr. {surname}", "Studienzentrum {surname}", "Klinik {saint}",
         "Medizinisches Versorgungszentrum {surname}", "Gemeinschaftspraxis {surname}"),
    ),
    "es": (
        ("Hospital Universitario {saint}", "Hospital Clínico {saint}",
         "Hospital General Universitario de {city}", "Hospital Universitario de {city}"),
        ("Hospital {saint}", "Clínica {surname}", "Centro Médico {surname}",
         "Instituto {surname} de Investigación", "Hospital General de {city}", "Centro de Salud {saint}"),
    ),
    "it": (
        ("Ospedale {saint}", "Azienda Ospedaliero-Universitaria di {city}", "Policlinico {saint}",
         "IRCCS {saint}", "Fondazione {surname}"),
        ("Ospedale Civile di {city}", "Azienda Ospedaliera {saint}", "Casa di Cura {saint}",
         "Istituto {surname}", "ASL {city}", "Ospedale {surname}"),
    ),
    "zh": (
        ("{city} First People's Hospital", "The First Affiliated Hospital of {city} Medical University",
         "{province} Provincial People's Hospital", "{city} Cancer Hospital",
         "The {ordinal} Affiliated Hospital of {city} University"),
        ("{city} {ordinal} People's Hospital", "{city} Hospital of Traditional Chinese Medicine",
         "{city} Children's Hospital", "{city} Maternal and Child Health Hospital",
         "{pinyin} Hospital of {city}", "{city} Central Hospital", "{city} Chest Hospital",
         "{city} Tumor Hospital", "{city} Mental Health Center"),
    ),
    "ja": (
        ("{city} University Hospital", "{city} National University Hospital", "{city} Medical Center"),
        ("{surname} Clinic", "{city} City Hospital", "{city} Red Cross Hospital",
         "{surname} Memorial Hospital", "{city} Municipal Hospital", "{surname} Medical Clinic"),
    ),
    "pt": (
        ("Hospital das Clínicas de {city}", "Hospital {saint}", "Instituto {surname}",
         "Hospital Universitário de {city}", "Centro Hospitalar Universitário de {city}"),
        ("Clínica {surname}", "Hospital {surname}", "Centro de Pesquisa Clínica {saint}",
         "Santa Casa de {city}"),
    ),
    "nl": (
        ("{city} University Medical Center", "Academisch Ziekenhuis {city}"),
        ("{saint} Ziekenhuis", "Ziekenhuis {city}", "Huisartsenpraktijk {surname}", "Medisch Centrum {city}"),
    ),
}  # fmt: skip
_SAINTS = {
    "en": ("St. Mary's", "St. Joseph's", "St. Luke's", "St. Vincent's", "St. John's", "St. Francis", "Mercy",
           "Good Samaritan", "Sacred Heart", "Holy Cross", "Providence"),
    "fr": ("Saint-Louis", "Saint-Antoine", "Pitié-Salpêtrière", "Saint-Joseph", "de la Croix-Rousse",
           "Edouard Herriot", "Bichat", "Cochin", "Necker", "Tenon", "Saint-Eloi", "Pasteur"),
    "es": ("San Carlos", "La Paz", "Virgen del Rocío", "Doce de Octubre", "Vall d'Hebron", "La Fe",
           "Ramón y Cajal", "Gregorio Marañón", "Sant Pau", "Puerta de Hierro", "Santa Creu"),
    "it": ("San Raffaele", "Sant'Orsola", "San Matteo", "Gemelli", "San Gerardo", "Careggi", "Niguarda",
           "San Martino", "Molinette", "Sant'Andrea"),
    "de": ("St. Elisabeth", "St. Josef", "Marien", "Vincenz", "St. Georg", "Elisabethen", "Augusta",
           "Franziskus"),
    "pt": ("Santa Casa", "São José", "Santa Maria", "São João", "Albert Einstein", "Sírio-Libanês",
           "Santa Marcelina"),
    "nl": ("Sint Antonius", "Sint Franciscus", "Maria", "Sint Jansdal", "Elisabeth"),
}  # fmt: skip
_ADJECTIVES = (
    "Northwest", "Pacific", "Summit", "Riverside", "Lakeside", "Mountain View", "Coastal", "Valley",
    "Heartland", "Premier", "Advanced", "Integrity", "Apex", "Bay Area", "Sunrise", "Meridian", "Pinnacle",
    "Gulf Coast", "Tri-County", "Metro", "Prime", "Horizon", "Evergreen", "Keystone", "Liberty", "Capital",
    "Central", "Southern", "Northern", "Eastern", "Western",
)  # fmt: skip
_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth")
_DIGITS, LETTERS = "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def facility_name(country: Country, city: City, big: bool, draws: Draws) -> str:
    """A facility's name in its country's language; ``big`` ones are the academic names.

    >>> from graph.synth.places import COUNTRIES
    >>> france = COUNTRIES[1]
    >>> [facility_name(france, france.cities[0], True, Draws("example", n)) for n in (1, 5)]
    ['Centre Julien Dubois', 'Centre Hospitalier Universitaire de Paris']
    """
    language = country.language if country.language in _TEMPLATES or country.language == "ko" else "en"
    templates = _TEMPLATES["ja" if language == "ko" else language]
    pattern = draws.choice(templates[0] if big else templates[1])
    people = language if language in names.LAST_NAMES else "en"
    fillers = {"city": city.name, "province": city.state or city.name}
    if "{surname}" in pattern:
        fillers["surname"] = draws.choice(names.LAST_NAMES[people])
    if "{first}" in pattern:
        fillers["first"] = draws.choice(names.FIRST_NAMES[people])
    if "{saint}" in pattern:
        fillers["saint"] = draws.choice(_SAINTS.get(language, _SAINTS["en"]))
    if "{adj}" in pattern:
        fillers["adj"] = draws.choice(_ADJECTIVES)
    if "{ordinal}" in pattern:
        fillers["ordinal"] = draws.choice(_ORDINALS)
    if "{pinyin}" in pattern:
        fillers["pinyin"] = draws.choice(names.PINYIN) + draws.choice(names.PINYIN).lower()
    return pattern.format_map(fillers)


def postcode(country: Country, draws: Draws) -> str:
    """A postcode in the country's pattern (``9`` a digit, ``A`` a letter); empty where sites give none.

    >>> from graph.synth.places import COUNTRIES
    >>> postcode(COUNTRIES[0], Draws("example", 3)), postcode(COUNTRIES[6], Draws("example", 3))
    ('92732', 'J0E 3I1')
    """
    return "".join(
        _DIGITS[draws.below(10)] if c == "9" else LETTERS[draws.below(26)] if c == "A" else c
        for c in country.postcode
    )
