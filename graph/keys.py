"""Normalised keys that decide which mentions are one entity, and the node ids made from them.

A key ignores case, accents (letters without a decomposition too: ``ı`` is ``i``, ``ø`` ``o``,
``æ`` ``ae``), spacing and punctuation, and ``&`` reads ``and``: ``Non-Small Cell``, ``Non Small
Cell`` and ``Nonsmall Cell`` have one key, as have ``Tel Aviv`` and ``Tel-Aviv``. An
organization's key also ignores a trailing company form (``Inc.``, ``Co., Ltd.``, ``GmbH``,
``K.K.``, ``S. A.`` ...), and a person's key the titles before the name and the degrees after it.
A node id is ``Kind:slug``: ASCII letters, digits and ``-``, ``_``, ``.``, ``:`` only, so that it
is a valid GraphML id, and the same key always gives the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from graph.model import NodeKind

# Punctuation inside a word joins its parts: "APG-2575", "Parkinson's", "M.D." (between
# letters only, so that "2.5" and "25" stay apart as words; keys drop the space anyway).
_JOINER = re.compile(r"(?<=\w)['’‘`\-‐‑](?=\w)|(?<=[^\W\d_])\.(?=[^\W\d_])")
_SEPARATOR = re.compile(r"[\W_]+")
# Letters that Unicode does not decompose into a base letter and a mark, folded by hand
# (after casefold, so only lower-case forms are needed).
_FOLDED = str.maketrans(
    {"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ħ": "h",
     "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŉ": "n"}
)  # fmt: skip
# Names repeat across trials (a sponsor, a site, a condition in thousands of them): keys are
# computed once per distinct spelling. 150,000 synthetic trials read in one process need 563,039
# distinct node ids: with room for 262,144 entries a cache thrashed, and reading and planning
# cost 752 µs a trial instead of 561. Each entry is a few hundred bytes, in each process keying.
KEY_CACHE_SIZE = 1 << 20
_NON_ASCII = re.compile(r"[^a-z0-9]+")

COMPANY_FORMS = frozenset(
    {
        "inc", "incorporated", "co", "corp", "corporation", "company", "ltd", "limited", "llc",
        "llp", "lp", "plc", "gmbh", "ag", "kgaa", "kg", "sa", "sas", "sarl", "srl", "spa", "bv",
        "nv", "kk", "pty", "pte", "ab", "as", "asa", "oy", "oyj", "se", "lda", "ltda", "sl",
    }
)  # fmt: skip
# Titles written before a person's name (the contract's list).
PERSON_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "pr"})
_TITLE = re.compile(r"(?i)^(?:dr|prof|professor|mr|mrs|ms|miss|pr)\b\.?[\s.,]*")
# Degrees that are never a surname: "Ma", "Do", "Pa" are surnames as often as degrees, so only
# what follows a comma drops those (split_person_name).
_DEGREES = frozenset(
    {
        "md", "phd", "mph", "msc", "mbbs", "rn", "bsn", "pharmd", "dds", "dmd", "frcp", "frcpc",
        "facp", "mba", "bsc", "mscr", "dphil",
    }
)  # fmt: skip


def words(text: str) -> list[str]:
    """Split text into normalised words.

    >>> words("Shanghai IxCell Biotechnology Co., LTD")
    ['shanghai', 'ixcell', 'biotechnology', 'co', 'ltd']
    >>> words("Hôpital Saint-Louis & APG-2575, M.D.")
    ['hopital', 'saintlouis', 'and', 'apg2575', 'md']
    >>> words("Diyarbakır Søndre Ærø")
    ['diyarbakir', 'sondre', 'aero']
    """
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold().translate(_FOLDED)
    text = _JOINER.sub("", text.replace("&", " and "))
    return [word for word in _SEPARATOR.split(text) if word]


@lru_cache(maxsize=KEY_CACHE_SIZE)
def phrase(text: str) -> str:
    """Text as its normalised words with one space between: for finding a run of whole words.

    >>> phrase("Non-Small  Cell Lung Cancer")
    'nonsmall cell lung cancer'
    """
    return " ".join(words(text))


@lru_cache(maxsize=KEY_CACHE_SIZE)
def lookup_key(text: str) -> str:
    """The key of a name: case, accents, spacing and punctuation ignored.

    >>> lookup_key("Non-Small Cell Lung Cancer") == lookup_key("Nonsmall cell lung  CANCER")
    True
    >>> lookup_key("Type 1 Diabetes") == lookup_key("Type1diabetes"), lookup_key("Tel-Aviv")
    (True, 'telaviv')
    """
    return "".join(words(text))


def strip_company_form(parts: list[str]) -> list[str]:
    """The words of a name without the company forms that end it, dotted or spaced ones too
    (``K.K.`` is one word, ``K. K.`` two); never every word.

    >>> strip_company_form(["takeda", "pharmaceutical", "co", "ltd"])
    ['takeda', 'pharmaceutical']
    >>> strip_company_form(["laboratorios", "x", "s", "a"]), strip_company_form(["ltd"])
    (['laboratorios', 'x'], ['ltd'])
    >>> strip_company_form(["eli", "lilly", "and", "company"]), strip_company_form(["j", "and", "j"])
    (['eli', 'lilly'], ['j', 'and', 'j'])
    """
    end = len(parts)
    while end > 1:
        if parts[end - 1] in COMPANY_FORMS:
            end -= 1
            if end > 1 and parts[end - 1] == "and":  # "Eli Lilly and Company", "Smith & Co."
                end -= 1
            continue
        # A run of single letters that spells a form: "s", "p", "a" is S. p. A.
        start = end
        while start > 1 and len(parts[start - 1]) == 1 and end - start < 4:
            start -= 1
        for begin in range(start, end - 1):
            if "".join(parts[begin:end]) in COMPANY_FORMS:
                end = begin
                break
        else:
            break
    return parts[:end]


@lru_cache(maxsize=KEY_CACHE_SIZE)
def organization_key(name: str) -> str:
    """The key of an organization: a trailing company form is ignored.

    >>> organization_key("Shanghai IxCell Biotechnology Co., LTD")
    'shanghaiixcellbiotechnology'
    >>> organization_key("shanghai ixcell biotechnology co ltd")
    'shanghaiixcellbiotechnology'
    >>> organization_key("Astellas Pharma K. K.") == organization_key("Astellas Pharma KK")
    True
    """
    return "".join(strip_company_form(words(name)))


def split_person_name(written: str) -> tuple[str, str | None]:
    """Split a person as written into the name, without the titles before it, and the degrees
    or titles after a comma.

    >>> split_person_name("junwei Hao, Doctor")
    ('junwei Hao', 'Doctor')
    >>> split_person_name("Prof Dr. Mohamed badreldin, MD, PhD")
    ('Mohamed badreldin', 'MD, PhD')
    >>> split_person_name("Jane Roe"), split_person_name("Dr.")
    (('Jane Roe', None), ('Dr.', None))
    """
    name, _, rest = written.partition(",")
    name = name.strip()
    while (title := _TITLE.match(name)) is not None and title.end() < len(name):
        name = name[title.end() :]
    return name, (rest.strip() or None)


@lru_cache(maxsize=KEY_CACHE_SIZE)
def person_key(name: str) -> str:
    """The key of a person's name: titles before it and degrees after it are ignored.

    >>> person_key("Dr. Junwei Hao MD") == person_key("Prof junwei hao, PhD") == "junweihao"
    True
    >>> person_key("Li Ma")
    'lima'
    """
    parts = words(split_person_name(name)[0])
    while len(parts) > 1 and parts[0] in PERSON_TITLES:
        parts.pop(0)
    while len(parts) > 1 and parts[-1] in _DEGREES:
        parts.pop()
    return "".join(parts)


@lru_cache(maxsize=KEY_CACHE_SIZE)
def slug(key: str) -> str:
    """The id-safe form of a key; where it holds other than ASCII letters and digits, those are
    left out and a hash of the whole key is added.

    >>> slug("xuanwuhospital"), slug("unnamed nct00000001 3")
    ('xuanwuhospital', 'unnamed-nct00000001-3')
    >>> slug("北京hospital")
    'hospital_869861a8'
    """
    parts = key.split()
    kept = [_NON_ASCII.sub("", part) for part in parts]
    text = "-".join(part for part in kept if part)
    if kept != parts:
        text += "_" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return text


@lru_cache(maxsize=KEY_CACHE_SIZE)
def node_id(kind: NodeKind, *keys: str) -> str:
    """The id of a node from its kind and key parts, joined by ``--``.

    >>> node_id(NodeKind.SITE, "xuanwuhospital", "beijing", "china")
    'Site:xuanwuhospital--beijing--china'
    """
    return f"{kind.value}:" + "--".join(slug(key) for key in keys)


MESH_ID = re.compile(r"^[A-Z][0-9]{6,9}$")


def mesh_id(text: str) -> str:
    """A MeSH id in one form, six digits where the number fits: the registry writes ids both as
    ``D003324`` and padded to nine digits, ``D000003324``.

    >>> mesh_id("D000003324"), mesh_id("D003324"), mesh_id("D000072658"), mesh_id("D001234567")
    ('D003324', 'D003324', 'D072658', 'D001234567')
    """
    number = int(text[1:])
    return f"{text[0]}{number:06d}" if number < 1_000_000 else f"{text[0]}{number:09d}"


def clear_key_caches() -> None:
    """Forget the keys computed so far (a build is done with them)."""
    for cached in (phrase, lookup_key, organization_key, person_key, slug, node_id):
        cached.cache_clear()
