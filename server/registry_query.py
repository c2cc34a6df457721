"""What ``fetch`` asks ClinicalTrials.gov API v2 for: a search in the registry's own words, as
the query parameters of ``GET /studies`` and as the JSON ``fetch`` keeps beside a file for
``sync`` to ask again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

STATUSES = (  # filter.overallStatus values the registry knows
    "ACTIVE_NOT_RECRUITING",
    "APPROVED_FOR_MARKETING",
    "AVAILABLE",
    "COMPLETED",
    "ENROLLING_BY_INVITATION",
    "NOT_YET_RECRUITING",
    "NO_LONGER_AVAILABLE",
    "RECRUITING",
    "SUSPENDED",
    "TEMPORARILY_NOT_AVAILABLE",
    "TERMINATED",
    "UNKNOWN",
    "WITHDRAWN",
    "WITHHELD",
)


@dataclass(frozen=True, slots=True)
class StudyQuery:
    """A search of the registry in its own words; nothing set asks for every study."""

    cond: str | None = None
    term: str | None = None
    intr: str | None = None
    spons: str | None = None
    statuses: tuple[str, ...] = ()
    nct_ids: tuple[str, ...] = ()
    updated_since: str | None = None  # YYYY-MM-DD, of the last update posted

    def params(self) -> dict[str, str]:
        """The query parameters of ``GET /studies``, the same on every page.

        >>> StudyQuery(cond="stroke", statuses=("RECRUITING", "COMPLETED")).params()
        {'format': 'json', 'query.cond': 'stroke', 'filter.overallStatus': 'RECRUITING,COMPLETED'}
        >>> StudyQuery(updated_since="2026-04-22").params()["filter.advanced"]
        'AREA[LastUpdatePostDate]RANGE[2026-04-22,MAX]'
        """
        params = {"format": "json"}
        words = (("cond", self.cond), ("term", self.term), ("intr", self.intr), ("spons", self.spons))
        params.update({f"query.{name}": value for name, value in words if value})
        if self.statuses:
            params["filter.overallStatus"] = ",".join(self.statuses)
        if self.nct_ids:
            params["filter.ids"] = ",".join(self.nct_ids)
        if self.updated_since:
            params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{self.updated_since},MAX]"
        return params

    def as_json(self) -> dict[str, Any]:
        return {
            name: list(value) if isinstance(value, tuple) else value for name, value in asdict(self).items()
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> StudyQuery:
        """The query :meth:`as_json` gave; ``ValueError`` for anything else."""
        try:
            values: dict[str, Any] = {
                name: tuple(v) if isinstance(v, list) else v for name, v in value.items()
            }
            query = cls(**values)
        except TypeError as error:
            raise ValueError(f"not a saved query: {error}") from None
        texts = (query.cond, query.term, query.intr, query.spons, query.updated_since)
        items = (*query.statuses, *query.nct_ids)
        if not all(text is None or isinstance(text, str) for text in texts) or not all(
            isinstance(item, str) for item in items
        ):
            raise ValueError("not a saved query: a value is not text")
        return query
