"""Anonymised facility names: a sponsor's stand-in for a site, not the name of a place.

About two listings in five on the registry name no place: ``Research Site`` (AstraZeneca), ``GSK
Investigational Site``, ``Local Institution - 0170``, ``Site 12``, Lilly's boilerplate ``For
additional information regarding investigative sites ...``. Keyed on name, city and country,
each would merge every such site of a city into one false hub. Such a name identifies a site
only together with its postal code (:mod:`graph.build.trialplan` keys it so, and marks the
site ``anonymized``).

The names recognised are the contract's list, matched on normalised words
(:func:`graph.keys.words`), so case, spacing and punctuation do not matter:

- ``Research Site``, ``Clinical Site``, ``Study Center`` (``Centre``), ``Research Facility``, alone
  or followed by a number or code (``Research Site 30001-301``, ``Research Site US-30001-304``);
- ``<anything> Investigational Site`` or ``Investigative Site``, possibly followed by a number
  (``Teva Investigational Site 1234``, ``Investigational Site Number : 840001``);
- ``Local Institution``, possibly followed by a number (``Local Institution - 0170``);
- ``Site`` and a number (``Site 12``, ``Site #12``);
- the boilerplate that starts ``For additional information regarding investigative sites``.
"""

from __future__ import annotations

from functools import lru_cache

from graph.keys import KEY_CACHE_SIZE, words

_GENERIC = frozenset(
    {("research", "site"), ("clinical", "site"), ("study", "center"), ("study", "centre"),
     ("research", "facility"), ("local", "institution")}
)  # fmt: skip
_INVESTIGATIONAL = frozenset({"investigational", "investigative"})
_BOILERPLATE = ["for", "additional", "information", "regarding", "investigative", "sites"]


def _numbers(parts: list[str]) -> bool:
    """Whether every word is a number or code (holds a digit); true of none."""
    return all(any(c.isdigit() for c in part) for part in parts)


@lru_cache(maxsize=KEY_CACHE_SIZE)
def is_anonymized(facility: str) -> bool:
    """Whether a facility name stands for a sponsor's site rather than naming a place.

    >>> [is_anonymized(name) for name in ("Research Site", "Novo Nordisk Investigational Site",
    ...     "Local Institution - 0170", "Site #12", "Investigational Site Number : 840001")]
    [True, True, True, True, True]
    >>> [is_anonymized(name) for name in ("Mayo Clinic", "Clinical Research Site of Oslo",
    ...     "Site Les Viviers", "Siteman Cancer Center", "Investigational Site Hospital")]
    [False, False, False, False, False]
    """
    parts = words(facility)
    if len(parts) < 2:
        return False
    if tuple(parts[:2]) in _GENERIC:
        return _numbers(parts[2:])
    if parts[0] == "site":
        return _numbers(parts[1:])
    if parts[: len(_BOILERPLATE)] == _BOILERPLATE:
        return True
    for place in range(len(parts) - 1, 0, -1):  # "... Investigational Site [Number] [840001]"
        if parts[place] == "site" and parts[place - 1] in _INVESTIGATIONAL:
            rest = parts[place + 1 :]
            return _numbers(rest[1:] if rest[:1] == ["number"] else rest)
    return False
