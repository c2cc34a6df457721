"""Normalised keys and display forms of names, written from the contract's Meanings alone.

A key ignores case, accents (letters without a decomposition too), spacing and punctuation, and
reads ``&`` as ``and``; organization and facility keys also drop trailing company forms, dotted
or spaced ones included. People lose the titles before their name and the degrees after the
first comma.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Letters that NFKD leaves whole, folded as the contract says (upper-case forms too).
_FOLDED = {
    "ı": "i",
    "ø": "o",
    "Ø": "O",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ß": "ss",
    "ẞ": "SS",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "TH",
    "ł": "l",
    "Ł": "L",
    "ħ": "h",
    "Ħ": "H",
}

COMPANY_FORMS = frozenset(
    {
        *("inc", "incorporated", "co", "corp", "corporation", "company", "ltd", "limited"),
        *("llc", "llp", "lp", "plc", "gmbh", "ag", "kgaa", "kg", "sa", "sas", "sarl", "srl", "spa"),
        *("bv", "nv", "kk", "pty", "pte", "ab", "as", "asa", "oy", "oyj", "se", "lda", "ltda", "sl"),
    }
)

_TITLE = re.compile(r"^(?:(?:professor|prof|miss|mrs|mr|ms|dr|pr)(?:\.\s*|\s+))+", re.IGNORECASE)
_APOSTROPHES = "'’"


def folded(text: str) -> str:
    """Accents dropped, letters without a decomposition folded, case folded, ``&`` as ``and``.

    >>> folded("Montréal Łódź ÆRØ"), words("R&D")
    ('montreal lodz aero', ['r', 'and', 'd'])
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(_FOLDED.get(char, char) for char in decomposed if not unicodedata.combining(char))
    return kept.casefold().replace("&", " and ")


def words(text: str) -> list[str]:
    """The words of a name: runs of letters and digits, where ``-`` or ``'`` inside a word and
    ``.`` between letters join rather than split.

    >>> words("Co., Ltd. K.K. Tel-Aviv O'Neil 3.5")
    ['co', 'ltd', 'kk', 'telaviv', 'oneil', '3', '5']
    """
    text = folded(text)
    found: list[str] = []
    current: list[str] = []
    for index, char in enumerate(text):
        if char.isalnum():
            current.append(char)
            continue
        before = text[index - 1] if index > 0 else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        joins = (char == "-" or char in _APOSTROPHES) and before.isalnum() and after.isalnum()
        joins = joins or (char == "." and before.isalpha() and after.isalpha())
        if joins:
            continue
        if current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


@cache
def key(text: str) -> str:
    """The key of a condition, person, city, country or intervention name.

    >>> spellings = ("Non-Small Cell Lung Cancer", "Nonsmall Cell Lung Cancer", "Non Small Cell Lung Cancer")
    >>> len({key(spelling) for spelling in spellings})
    1
    >>> key("Type 1 Diabetes") == key("Type1diabetes")
    True
    """
    return "".join(words(text))


def _strip_company_forms(name_words: list[str]) -> list[str]:
    """Trailing company forms dropped, repeatedly, never the whole name; a form may be spelt
    as single letters (``K. K.``, ``S. p. A.``), and an ``and`` before one goes with it."""
    while len(name_words) > 1:
        for size in (1, 2, 3):
            tail = name_words[-size:]
            if len(tail) < size or len(name_words) - size < 1:
                continue
            if size > 1 and any(len(word) != 1 for word in tail):
                continue
            if "".join(tail) in COMPANY_FORMS:
                name_words = name_words[:-size]
                if len(name_words) > 1 and name_words[-1] == "and":  # "X and Company", "X & Co."
                    name_words = name_words[:-1]
                break
        else:
            break
    return name_words


@cache
def organization_key(text: str) -> str:
    """The key of an organization or a facility: company forms at the end are dropped.

    >>> organization_key("Shanghai IxCell Biotechnology Co., LTD") == organization_key("ixcell biotechnology")
    False
    >>> organization_key("IxCell Biotechnology Co., LTD") == organization_key("ixcell biotechnology")
    True
    >>> organization_key("Takeda K. K.") == organization_key("TAKEDA KK") == organization_key("Takeda")
    True
    >>> organization_key("Menarini S. p. A."), organization_key("Limited")
    ('menarini', 'limited')
    >>> organization_key("Eli Lilly and Company"), organization_key("Smith & Co.")
    ('elililly', 'smith')
    """
    return "".join(_strip_company_forms(words(text)))


def person_name(text: str) -> str:
    """A person's name without the titles before it and the degrees after the first comma.

    >>> person_name("Prof Dr. Mohamed badreldin, MD")
    'Mohamed badreldin'
    >>> person_name("  junwei Hao, Doctor "), person_name("Drew Barry")
    ('junwei Hao', 'Drew Barry')
    """
    name = text.split(",", 1)[0].strip()
    return _TITLE.sub("", name).strip()


def person_key(text: str) -> str:
    """The key of a person as written anywhere (titles and degrees ignored)."""
    return key(person_name(text))


def is_mixed_case(text: str) -> bool:
    """Neither all capitals nor all lower case (a spelling that says how the name is written).

    >>> is_mixed_case("Research Site"), is_mixed_case("RESEARCH SITE"), is_mixed_case("北京")
    (True, False, False)
    """
    return text.upper() != text and text.lower() != text


_CODE = r"[\s#:\-.]*[A-Za-z0-9][A-Za-z0-9\-./ ]*"
_ANONYMISED = [
    re.compile(rf"^(?:research site|clinical site|study cent(?:er|re)|research facility)(?:{_CODE})?$", re.I),
    re.compile(
        r"^(?:.+\s)?investigat(?:ional|ive) site(?:\s*(?:number|no\.?)?\s*[:#]?\s*[A-Za-z0-9\-]*\d)?$", re.I
    ),
    re.compile(r"^local institution(?:\s*-\s*\d+)?$", re.I),
    re.compile(r"^site\s*(?:#\s*)?\d+$", re.I),
    re.compile(r"^for additional information regarding investigative sites", re.I),
]


@cache
def is_anonymised(facility: str) -> bool:
    """Whether a facility name stands for a sponsor's site rather than a place.

    >>> [is_anonymised(name) for name in ("Research Site", "Research Site US-12345-001",
    ...     "Teva Investigational Site 1234", "Investigational Site Number : 840001",
    ...     "Local Institution - 0170", "Site # 12", "Research Site Hospital", "Site Les Viviers")]
    [True, True, True, True, True, True, False, False]
    """
    name = " ".join(facility.split())
    if name.lower().startswith(("research site", "clinical site", "study cent", "research facility")):
        rest = re.sub(
            r"^(?:research site|clinical site|study cent(?:er|re)|research facility)", "", name, flags=re.I
        )
        if rest and not any(char.isdigit() for char in rest):
            return False
    return any(pattern.match(name) for pattern in _ANONYMISED)
