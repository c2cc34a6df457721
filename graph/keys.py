"""Normalised keys that decide which mentions are one entity, and the node ids made from them.

A key ignores case, accents, spacing and punctuation; an organization's key also ignores a
trailing company form (``Inc.``, ``Co., Ltd.``, ``GmbH`` ...), and a person's key the degrees
and titles around the name. A node id is ``Kind:slug``: ASCII letters, digits and ``-``, ``_``,
``.``, ``:`` only, so that it is a valid GraphML id, and the same key always gives the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from graph.model import NodeKind

# Punctuation inside a word joins its parts: "APG-2575", "Parkinson's", "M.D." (between
# letters only, so that "2.5" and "25" stay apart).
_JOINER = re.compile(r"(?<=\w)['’‘`\-‐‑](?=\w)|(?<=[^\W\d_])\.(?=[^\W\d_])")
_SEPARATOR = re.compile(r"[\W_]+")
# Names repeat across trials (a sponsor, a site, a condition in thousands of them): keys are
# computed once per distinct spelling.
KEY_CACHE_SIZE = 1 << 18
_NON_ASCII_WORD = re.compile(r"[^a-z0-9]")

COMPANY_FORMS = frozenset(
    {
        "inc", "incorporated", "co", "corp", "corporation", "company", "ltd", "limited", "llc",
        "llp", "lp", "plc", "gmbh", "ag", "kgaa", "kg", "sa", "sas", "sarl", "srl", "spa", "bv",
        "nv", "kk", "pty", "pte", "ab", "as", "asa", "oy", "oyj", "se", "lda", "ltda", "sl",
    }
)  # fmt: skip
_PERSON_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "sir"})
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
    """
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _JOINER.sub("", text.replace("&", " and "))
    return [word for word in _SEPARATOR.split(text) if word]


@lru_cache(maxsize=KEY_CACHE_SIZE)
def lookup_key(text: str) -> str:
    """The key of a name: case, accents, spacing and punctuation ignored.

    >>> lookup_key("ischemic  STROKE") == lookup_key("Ischemic Stroke")
    True
    """
    return " ".join(words(text))


@lru_cache(maxsize=KEY_CACHE_SIZE)
def organization_key(name: str) -> str:
    """The key of an organization: a trailing company form is ignored.

    >>> organization_key("Shanghai IxCell Biotechnology Co., LTD")
    'shanghai ixcell biotechnology'
    >>> organization_key("shanghai ixcell biotechnology co ltd")
    'shanghai ixcell biotechnology'
    """
    parts = words(name)
    while len(parts) > 1 and parts[-1] in COMPANY_FORMS:
        parts.pop()
    return " ".join(parts)


def split_person_name(written: str) -> tuple[str, str | None]:
    """Split a person as written into the name and the degrees or titles after a comma.

    >>> split_person_name("junwei Hao, Doctor")
    ('junwei Hao', 'Doctor')
    >>> split_person_name("Yifan Zhai, MD, PhD")
    ('Yifan Zhai', 'MD, PhD')
    >>> split_person_name("Jane Roe")
    ('Jane Roe', None)
    """
    name, _, rest = written.partition(",")
    return name.strip(), (rest.strip() or None)


@lru_cache(maxsize=KEY_CACHE_SIZE)
def person_key(name: str) -> str:
    """The key of a person's name: titles before it and degrees after it are ignored.

    >>> person_key("Dr. Junwei Hao MD") == person_key("junwei hao")
    True
    >>> person_key("Li Ma")
    'li ma'
    """
    parts = words(split_person_name(name)[0])
    while len(parts) > 1 and parts[0] in _PERSON_TITLES:
        parts.pop(0)
    while len(parts) > 1 and parts[-1] in _DEGREES:
        parts.pop()
    return " ".join(parts)


@lru_cache(maxsize=KEY_CACHE_SIZE)
def slug(key: str) -> str:
    """The id-safe form of a key; non-ASCII words are replaced by a hash of the key.

    >>> slug("xuanwu hospital")
    'xuanwu-hospital'
    >>> slug("北京 hospital")
    'hospital_60abd185'
    """
    parts = key.split()
    ascii_parts = [part for part in parts if not _NON_ASCII_WORD.search(part)]
    text = "-".join(ascii_parts)
    if len(ascii_parts) < len(parts):
        text += "_" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return text


@lru_cache(maxsize=KEY_CACHE_SIZE)
def node_id(kind: NodeKind, *keys: str) -> str:
    """The id of a node from its kind and key parts, joined by ``--``.

    >>> node_id(NodeKind.SITE, "xuanwu hospital", "beijing", "china")
    'Site:xuanwu-hospital--beijing--china'
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
    for cached in (lookup_key, organization_key, person_key, slug, node_id):
        cached.cache_clear()
