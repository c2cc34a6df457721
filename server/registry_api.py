"""The ClinicalTrials.gov API v2 client of ``fetch`` and ``sync``: ``GET {base}/studies`` a page at
a time, politely, every page checked.

Polite: one request at a time, at most ``rate`` a second, with a ``User-Agent`` naming trialgraph
and its version. On 429 or 5xx, or a connection that fails or drops in the middle of an answer,
it waits (``Retry-After`` when the registry gives it, otherwise exponential backoff with jitter)
and asks again, at most ``retries`` times. The environment is not read (``trust_env=False``):
a proxy is a setting (``TRIALGRAPH_REGISTRY_PROXY``).

Errors::

    RegistryError             what fetch and sync could not get from the registry
    ├── RegistryUnavailable   429, 5xx or a failed connection after every retry, or a
    │                         Retry-After longer than the longest wait allowed
    └── BadAnswer             an answer that cannot be used: another status (400, 404 ...), not
                              JSON, not a page of studies, a study without an NCT ID, a next
                              page token given before (the pages would go round)

Each message starts with the page it is about (``page 3: ...``).
"""

from __future__ import annotations

import email.utils
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType
from typing import Any, TextIO

import httpx
import orjson

from server.registry_query import StudyQuery
from server.settings import Settings

try:
    USER_AGENT = f"trialgraph/{version('trialgraph')}"
except PackageNotFoundError:  # run from a checkout that was never installed
    USER_AGENT = "trialgraph/unknown"
MAX_PAGE_SIZE = 1000  # the registry's largest page
NCT_ID = re.compile(r"NCT\d{8}")


class RegistryError(Exception):
    """Raised when the registry did not give the studies asked for; the message names the page."""


class RegistryUnavailable(RegistryError):
    """Raised when the registry still answers 429 or 5xx, or cannot be reached, after every retry."""


class BadAnswer(RegistryError):
    """Raised for an answer that cannot be used; asking again would not help."""


@dataclass(frozen=True, slots=True)
class Page:
    """One checked page of studies: each study has an NCT ID (``nct_ids``, in the same order)."""

    number: int  # 1 for the first
    token: str | None  # the pageToken that asked for it; None for the first
    studies: list[dict[str, Any]]
    nct_ids: list[str]
    next_token: str | None  # None on the last page
    total: int | None  # totalCount, on the first page


@dataclass(frozen=True, slots=True)
class Politeness:
    """How hard the client may press the registry."""

    rate: float = 1.0  # requests a second at most; 0 for no limit
    retries: int = 5  # tries after the first, on 429, 5xx or a failed connection
    backoff_seconds: float = 1.0  # the first wait without Retry-After; it doubles with each retry
    max_wait_seconds: float = 120.0  # the longest single wait, backoff or Retry-After
    timeout_seconds: float = 120.0  # for connecting, and between bytes of an answer


class RegistryClient:
    """Asks ``{base_url}/studies`` for pages of studies, one request at a time; close it after use."""

    def __init__(
        self,
        base_url: str,
        politeness: Politeness | None = None,
        *,
        proxy: str | None = None,
        log: TextIO | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.politeness = politeness = politeness or Politeness()
        self.log = log
        self.sleep = sleep
        self.jitter = jitter or random.Random()
        self._last_request: float | None = None
        self._http = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=politeness.timeout_seconds,
            follow_redirects=True,
            trust_env=False,
            proxy=proxy,
        )

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def pages(
        self,
        query: StudyQuery,
        *,
        token: str | None = None,
        number: int = 1,
        tokens_seen: Iterable[str] = (),
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[Page]:
        """The pages of ``query`` from the one ``token`` asks for (numbered ``number``) to the
        last; a next page token among ``tokens_seen`` or given before is a :class:`BadAnswer`."""
        seen = set(tokens_seen)
        while True:
            if token is not None:
                seen.add(token)
            page = self.page(query, token, number, page_size)
            if page.next_token is not None and page.next_token in seen:
                raise BadAnswer(
                    f"page {number}: nextPageToken {page.next_token!r} was given before: "
                    "the pages would go round"
                )
            yield page
            if page.next_token is None:
                return
            token, number = page.next_token, number + 1

    def page(self, query: StudyQuery, token: str | None, number: int, page_size: int = MAX_PAGE_SIZE) -> Page:
        """The page ``token`` asks for (the first when None), checked; ``number`` names it in errors."""
        params = {**query.params(), "pageSize": str(page_size)}
        if token is None:
            params["countTotal"] = "true"  # the registry counts on the first page only
        else:
            params["pageToken"] = token
        return read_page(self._get(params, number), number, token)

    def _get(self, params: dict[str, str], number: int) -> bytes:
        url = f"{self.base_url}/studies"
        tries = self.politeness.retries + 1
        for attempt in range(tries):
            self._pace()
            try:
                response = self._http.get(url, params=params)
            except httpx.RequestError as error:
                problem = f"{type(error).__name__}: {str(error) or 'the connection failed'}"
                wait, why = self._backoff(attempt), "backoff"
            else:
                status = response.status_code
                if status == 200:
                    return response.content
                if status != 429 and status < 500:
                    body = response.text[:300].strip()
                    raise BadAnswer(
                        f"page {number}: HTTP {status} {response.reason_phrase} from {url}: {body}"
                    )
                problem = f"HTTP {status} {response.reason_phrase}"
                asked = retry_after(response.headers.get("Retry-After"))
                if asked is not None and asked > self.politeness.max_wait_seconds:
                    raise RegistryUnavailable(
                        f"page {number}: {problem}; the registry asks to wait {asked:.0f} s (Retry-After), "
                        f"longer than the {self.politeness.max_wait_seconds:.0f} s allowed: try again later"
                    )
                wait, why = (
                    (asked, "Retry-After") if asked is not None else (self._backoff(attempt), "backoff")
                )
            if attempt + 1 == tries:
                plural = "y" if tries == 1 else "ies"
                raise RegistryUnavailable(
                    f"page {number}: {problem} from {url}; gave up after {tries} tr{plural}"
                )
            if self.log is not None:
                self.log.write(
                    f"trialgraph: page {number}: {problem}; waiting {wait:.1f} s ({why}), "
                    f"then try {attempt + 2} of {tries}\n"
                )
                self.log.flush()
            self.sleep(wait)
        raise AssertionError("unreachable")  # the last try returns or raises

    def _pace(self) -> None:
        """Wait until a request may start at the rate allowed; one at a time in any case."""
        rate = self.politeness.rate
        if rate > 0 and self._last_request is not None:
            gap = 1 / rate - (time.monotonic() - self._last_request)
            if gap > 0:
                self.sleep(gap)
        self._last_request = time.monotonic()

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: between half and all of the doubled wait, capped."""
        ceiling = min(self.politeness.max_wait_seconds, self.politeness.backoff_seconds * 2.0**attempt)
        return ceiling / 2 + self.jitter.uniform(0, ceiling / 2)


def client_for(settings: Settings, log: TextIO | None = None) -> RegistryClient:
    """The client of the registry ``settings`` name, as polite as they say."""
    politeness = Politeness(
        rate=settings.registry_rate,
        retries=settings.registry_retries,
        backoff_seconds=settings.registry_backoff_seconds,
        max_wait_seconds=settings.registry_max_wait_seconds,
    )
    return RegistryClient(settings.registry_url, politeness, proxy=settings.registry_proxy, log=log)


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds, or an HTTP date); None without one.

    >>> retry_after("3"), retry_after(None), retry_after("soon")
    (3.0, None, None)
    >>> retry_after("Wed, 21 Oct 2015 07:28:00 GMT")  # past
    0.0
    """
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def read_page(body: bytes, number: int, token: str | None = None) -> Page:
    """The page in an answer's ``body``, checked: JSON, a ``studies`` list, each study with an
    NCT ID, a next page token that is text.

    >>> read_page(b'{"studies": [], "totalCount": 0}', 1).total
    0
    >>> read_page(b'{"studies": [{"protocolSection": {}}]}', 2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    server.registry_api.BadAnswer: page 2: study 1 of 1: no NCT ID at protocolSection...nctId
    """
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadAnswer(f"page {number}: not JSON ({error}) in an answer of {len(body):,} bytes") from None
    if not isinstance(value, dict) or not isinstance(value.get("studies"), list):
        raise BadAnswer(f'page {number}: not a page of studies: no "studies" list')
    next_token, total = value.get("nextPageToken"), value.get("totalCount")
    if next_token is not None and (not isinstance(next_token, str) or not next_token):
        raise BadAnswer(f"page {number}: nextPageToken {next_token!r} is not a token")
    if total is not None and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
        raise BadAnswer(f"page {number}: totalCount {total!r} is not a count")
    studies: list[dict[str, Any]] = value["studies"]
    nct_ids = [
        _nct_id(study, f"page {number}: study {index} of {len(studies)}")
        for index, study in enumerate(studies, 1)
    ]
    return Page(number, token, studies, nct_ids, next_token, total)


def study_nct_id(study: Any) -> str | None:
    """A study's ``protocolSection.identificationModule.nctId``; None when absent or not text."""
    if not isinstance(study, dict):
        return None
    found = study.get("protocolSection", {})
    for key in ("identificationModule", "nctId"):
        found = found.get(key) if isinstance(found, dict) else None
    return found if isinstance(found, str) else None


def _nct_id(study: Any, where: str) -> str:
    if not isinstance(study, dict):
        raise BadAnswer(f"{where}: not a study object but {type(study).__name__}")
    nct_id = study_nct_id(study)
    if nct_id is None:
        raise BadAnswer(f"{where}: no NCT ID at protocolSection.identificationModule.nctId")
    if not NCT_ID.fullmatch(nct_id):
        raise BadAnswer(f"{where}: NCT ID {nct_id!r} is not 'NCT' and 8 digits")
    return nct_id
