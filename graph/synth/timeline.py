"""When a study happened: its registration from its NCT number, its status, its dates.

The registry gave out NCT numbers in order, so a number says when the study was registered;
the age of the study then decides how likely it is to be finished or of unknown status, and
how old-fashioned its dates are (``YYYY-MM`` only, no ``type`` before about 2008).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from typing import Any

from graph.synth.distributions import Weighted, pick

AS_OF = 2025.5  # the corpus is a registry snapshot of mid-2025
# When NCT numbers were given out: (number, year), interpolated in between.
_NCT_YEARS = (
    (0, 1999.7), (100_000, 2004.9), (200_000, 2005.7), (300_000, 2006.2), (500_000, 2007.5),
    (700_000, 2008.45), (1_000_000, 2009.8), (1_500_000, 2011.95), (2_000_000, 2013.85),
    (2_500_000, 2015.5), (3_000_000, 2016.95), (3_500_000, 2018.3), (4_000_000, 2019.45),
    (4_500_000, 2020.55), (5_000_000, 2021.6), (5_500_000, 2022.6), (6_000_000, 2023.6),
    (6_500_000, 2024.55), (7_000_000, 2025.45),
)  # fmt: skip
_EARLY = ["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"]
_LATE, _STOPPED = ["ACTIVE_NOT_RECRUITING", "COMPLETED"], ["UNKNOWN", "TERMINATED", "WITHDRAWN", "SUSPENDED"]
_STATUSES_BY_AGE = (  # (registered at most this many years ago, statuses)
    (1.0, Weighted(_EARLY + _LATE + _STOPPED, [40, 35, 5, 6, 8, 0, 1, 3, 0.5])),
    (4.0, Weighted(_EARLY + _LATE + _STOPPED, [25, 4, 3, 12, 40, 5, 6, 4, 0.5])),
    (99.0, Weighted(_EARLY + _LATE + _STOPPED, [2.5, 0, 0.5, 4, 62, 20, 8, 3, 0.2])),
)
_ACCESS_STATUSES = Weighted(
    ["AVAILABLE", "NO_LONGER_AVAILABLE", "APPROVED_FOR_MARKETING", "TEMPORARILY_NOT_AVAILABLE"],
    [40, 40, 15, 5],
)
_LAST_KNOWN = Weighted(
    ["RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "ENROLLING_BY_INVITATION"], [60, 20, 15, 5]
)
_WHY_STOPPED = (
    "Slow accrual", "Sponsor decision", "Funding ended", "Business reasons", "Lack of efficacy",
    "Study halted due to the COVID-19 pandemic", "PI left the institution", "Safety concerns",
    "Drug supply issues", "No participants enrolled",
)  # fmt: skip
_FINISHED = frozenset({"COMPLETED", "TERMINATED", "UNKNOWN", "WITHDRAWN", "NO_LONGER_AVAILABLE"})


def registered(number: int) -> float:
    """When an NCT number was given out, as a fractional year.

    >>> round(registered(4_267_848), 2)
    2020.04
    """
    position = bisect_right([mark for mark, _ in _NCT_YEARS], number) - 1
    (low, start), (high, end) = _NCT_YEARS[position], _NCT_YEARS[min(position + 1, len(_NCT_YEARS) - 1)]
    return start if high == low else start + (end - start) * (number - low) / (high - low)


def status(registered: float, study_type: str, rng: random.Random) -> str:
    """The overall status: recruiting when new, completed or unknown when old."""
    if study_type == "EXPANDED_ACCESS":
        return _ACCESS_STATUSES(rng)
    age = AS_OF - registered
    return next(law for most, law in _STATUSES_BY_AGE if age <= most)(rng)


def date(year: float, partial: bool = False) -> str:
    """A fractional year as ``YYYY-MM-DD``, or ``YYYY-MM`` when partial.

    >>> date(2020.5), date(2020.5, partial=True), date(1999.999)
    ('2020-07-01', '2020-07', '1999-12-28')
    """
    whole = int(year)
    months = (year - whole) * 12
    month = min(int(months), 11) + 1
    day = min(int((months - int(months)) * 28), 27) + 1
    return f"{whole:04d}-{month:02d}" if partial else f"{whole:04d}-{month:02d}-{day:02d}"


def status_module(registered: float, overall: str, study_type: str, rng: random.Random) -> dict[str, Any]:
    """The status module: the status, why it stopped, and every date the registry keeps."""
    start = registered + rng.gauss(-0.15, 0.5)
    primary = start + rng.uniform(0.5, 5.0)
    completion = primary + rng.uniform(0.0, 1.5)
    finished = overall in _FINISHED
    if finished and completion > AS_OF:
        completion = max(registered, AS_OF - rng.uniform(0.05, 2.0))
        primary = min(primary, completion)
    last_news = completion if finished else AS_OF - rng.uniform(0.0, 1.0)
    updated = min(AS_OF, max(registered + 0.05, last_news) + rng.uniform(0.0, 0.5))
    partial = rng.random() < (0.85 if registered < 2017 else 0.3)
    old = registered < 2008
    module: dict[str, Any] = {"statusVerifiedDate": date(updated, partial=True), "overallStatus": overall}
    if overall == "UNKNOWN":
        module["lastKnownStatus"] = _LAST_KNOWN(rng)
    if overall in ("TERMINATED", "WITHDRAWN", "SUSPENDED") and rng.random() < 0.8:
        module["whyStopped"] = pick(rng, _WHY_STOPPED)
    if study_type != "EXPANDED_ACCESS":
        module["expandedAccessInfo"] = {"hasExpandedAccess": rng.random() < 0.02}
    module["startDateStruct"] = _struct(start, partial, old, rng)
    if study_type != "EXPANDED_ACCESS":
        module["primaryCompletionDateStruct"] = _struct(primary, partial, old, rng)
        module["completionDateStruct"] = _struct(completion, partial, old, rng)
    submitted = date(registered)
    module["studyFirstSubmitDate"] = submitted
    module["studyFirstSubmitQcDate"] = submitted
    posted = "ACTUAL" if registered >= 2017 else "ESTIMATED"  # the registry's own wording of the time
    module["studyFirstPostDateStruct"] = {"date": date(registered + rng.uniform(0.0, 0.05)), "type": posted}
    if rng.random() < 0.97:
        module["lastUpdateSubmitDate"] = date(updated)
        module["lastUpdatePostDateStruct"] = {"date": date(updated + 0.003), "type": posted}
    return module


def _struct(year: float, partial: bool, old: bool, rng: random.Random) -> dict[str, Any]:
    struct: dict[str, Any] = {"date": date(year, partial)}
    if old and rng.random() < 0.6:
        return struct  # old records give no type
    struct["type"] = "ACTUAL" if year <= AS_OF else "ESTIMATED"
    return struct
