"""A stand-in for ClinicalTrials.gov API v2 in tests: ``GET /api/v2/studies`` over the 880 real
records of ``../shared/data/registry/studies.zip``, on 127.0.0.1, with switches for faults.

:func:`api_double` runs it (``python -m tests.apidouble --port N``) and stops it by its PID.

Paging is the API's: ``pageSize`` (default 10, at most 1000); ``countTotal=true`` adds
``totalCount`` to a first page; every page but the last has ``nextPageToken``; a ``pageToken``
answers only with the parameters it was made for (400 otherwise: the registry asks for the same
parameters on every page). Records are in NCT order; a record added later takes its place in it.

Matching is a documented simplification of the registry's search (no stemming, synonyms,
Essie operators or ranking). The words of a ``query.*`` value (runs of letters and digits, case
ignored) must all be words of the record's:

- ``query.cond``: conditions and keywords (``conditionsModule``);
- ``query.intr``: intervention names and other names (``armsInterventionsModule.interventions``);
- ``query.spons``: lead sponsor and collaborator names (``sponsorCollaboratorsModule``);
- ``query.term``: any text of the record.

``filter.overallStatus`` and ``filter.ids`` take comma- or pipe-separated values, matched
exactly; ``filter.advanced`` only ``AREA[LastUpdatePostDate]RANGE[YYYY-MM-DD,MAX]`` (a record
without that date does not match). Any other parameter or ``filter.advanced`` is a 400.

Switches (JSON POSTs): ``/double/faults`` ``{"kind", "page", "times", "retryAfter"}`` queues a
fault for page ``page`` of any search (any page when left out), ``times`` times (default 1):
``429`` (with ``Retry-After`` when given), ``503``, ``drop`` (half the page, then the connection
closed), ``garble`` (half the page, sent as if whole: not JSON), ``no-nct`` (the first study
without its NCT ID), ``repeat-token`` (the next page token is the one that asked). ``/double/records``
``[study, ...]`` replaces or adds records by NCT ID; ``/double/reset`` undoes both. ``GET
/double/requests`` lists the study requests answered: parameters, User-Agent, status.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from bench.servers import free_port, running
from tests.paths import SHARED

STUDIES_ZIP = SHARED / "data" / "registry" / "studies.zip"
KNOWN = {
    "format",
    "query.cond",
    "query.term",
    "query.intr",
    "query.spons",
    "filter.overallStatus",
    "filter.ids",
    "filter.advanced",
    "pageSize",
    "pageToken",
    "countTotal",
}
PAGING = {"pageSize", "pageToken", "countTotal"}  # may differ from page to page
ADVANCED = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]")
FAULTS = {"429", "503", "drop", "garble", "no-nct", "repeat-token"}


def words(text: str) -> set[str]:
    """The words of ``text`` as the double matches them: runs of letters and digits, case ignored.

    >>> sorted(words("Non-Small Cell Lung Cancer (NSCLC)"))
    ['cancer', 'cell', 'lung', 'non', 'nsclc', 'small']
    """
    return set(re.findall(r"[^\W_]+", text.casefold()))


def texts(value: Any) -> Iterator[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


@dataclass(frozen=True, slots=True)
class Record:
    """A study as the double serves it: its JSON text and what the search parameters look at."""

    nct_id: str
    raw: bytes
    cond: set[str]
    intr: set[str]
    spons: set[str]
    term: set[str]
    status: str | None
    updated: str | None

    @classmethod
    def of(cls, raw: bytes) -> Record:
        study = orjson.loads(raw)
        protocol = study.get("protocolSection", {})
        conditions = protocol.get("conditionsModule", {})
        interventions = protocol.get("armsInterventionsModule", {}).get("interventions", [])
        sponsors = protocol.get("sponsorCollaboratorsModule", {})
        status = protocol.get("statusModule", {})
        return cls(
            nct_id=protocol["identificationModule"]["nctId"],
            raw=raw,
            cond=words(" ".join([*conditions.get("conditions", []), *conditions.get("keywords", [])])),
            intr=words(
                " ".join(t for i in interventions for t in [i.get("name", ""), *i.get("otherNames", [])])
            ),
            spons=words(
                " ".join(
                    s.get("name", "")
                    for s in [sponsors.get("leadSponsor", {}), *sponsors.get("collaborators", [])]
                )
            ),
            term=words(" ".join(texts(study))),
            status=status.get("overallStatus"),
            updated=status.get("lastUpdatePostDateStruct", {}).get("date"),
        )


def registry_records() -> dict[str, bytes]:
    """The JSON text of each record of the shared zip, by NCT ID."""
    with zipfile.ZipFile(STUDIES_ZIP) as archive:
        return {Path(name).stem: archive.read(name) for name in sorted(archive.namelist())}


@dataclass
class Fault:
    kind: str
    page: int | None
    times: int
    retry_after: str | None


@dataclass
class DoubleState:
    """What the double serves now: the records (NCT order), the faults queued, the requests seen."""

    originals: dict[str, Record]
    records: dict[str, Record] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def reset(self) -> None:
        self.records = dict(self.originals)
        self.faults.clear()
        self.requests.clear()

    def fault_for(self, page: int) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.page in (None, page):
                fault.times -= 1
                return fault
        return None


def _digest(params: dict[str, str]) -> str:
    search = sorted((name, value) for name, value in params.items() if name not in PAGING)
    return hashlib.blake2b(repr(search).encode(), digest_size=6).hexdigest()


def _token(offset: int, digest: str) -> str:
    return base64.urlsafe_b64encode(f"{offset}:{digest}".encode()).decode().rstrip("=")


def _offset(token: str, digest: str) -> int | None:
    try:
        offset, made_for = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(":")
        return int(offset) if made_for == digest else None
    except ValueError:
        return None


def _matches(record: Record, params: dict[str, str]) -> bool:
    for area in ("cond", "intr", "spons", "term"):
        if (asked := params.get(f"query.{area}")) and not words(asked) <= getattr(record, area):
            return False
    if (statuses := params.get("filter.overallStatus")) and record.status not in re.split(r"[,|]", statuses):
        return False
    if (ids := params.get("filter.ids")) and record.nct_id not in re.split(r"[,|]", ids):
        return False
    if advanced := params.get("filter.advanced"):
        since = ADVANCED.fullmatch(advanced)
        return since is not None and record.updated is not None and record.updated >= since.group(1)
    return True


class Dropped(Response):
    """Half of a page under a Content-Length for all of it; then the connection is closed."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(self.body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": self.body[: len(self.body) // 2], "more_body": True}
        )
        raise ConnectionAbortedError("the double drops the connection in the middle of a page")


def create_double(state: DoubleState) -> Starlette:
    """The double's app over ``state``."""

    async def studies(request: Request) -> Response:
        params = dict(request.query_params)
        answer = _studies(state, params)
        state.requests.append(
            {"params": params, "userAgent": request.headers.get("user-agent"), "status": answer.status_code}
        )
        return answer

    async def faults(request: Request) -> Response:
        asked = await request.json()
        if asked.get("kind") not in FAULTS:
            return PlainTextResponse(f"kind: one of {sorted(FAULTS)}", status_code=400)
        retry_after = asked.get("retryAfter")
        fault = Fault(
            asked["kind"], asked.get("page"), asked.get("times", 1), retry_after and str(retry_after)
        )
        state.faults.append(fault)
        return JSONResponse({"queued": len(state.faults)})

    async def records(request: Request) -> Response:
        for study in await request.json():
            record = Record.of(orjson.dumps(study))
            state.records[record.nct_id] = record
        state.records = dict(sorted(state.records.items()))
        return JSONResponse({"records": len(state.records)})

    async def reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"records": len(state.records)})

    async def requests(request: Request) -> Response:
        return JSONResponse(state.requests)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/api/v2/studies", studies, methods=["GET"]),
            Route("/double/faults", faults, methods=["POST"]),
            Route("/double/records", records, methods=["POST"]),
            Route("/double/reset", reset, methods=["POST"]),
            Route("/double/requests", requests, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
        ]
    )


def _studies(state: DoubleState, params: dict[str, str]) -> Response:
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        return PlainTextResponse(f"unknown parameter(s): {', '.join(unknown)}", status_code=400)
    if params.get("format", "json") != "json":
        return PlainTextResponse("format: only json here", status_code=400)
    if "filter.advanced" in params and not ADVANCED.fullmatch(params["filter.advanced"]):
        return PlainTextResponse(
            "filter.advanced: only AREA[LastUpdatePostDate]RANGE[date,MAX]", status_code=400
        )
    size = params.get("pageSize", "10")
    if not (size.isdigit() and 1 <= int(size) <= 1000):
        return PlainTextResponse(f"pageSize: {size!r} is not 1 to 1000", status_code=400)
    page_size, digest, token = int(size), _digest(params), params.get("pageToken")
    offset = 0 if token is None else _offset(token, digest)
    if offset is None:
        return PlainTextResponse("pageToken: not a token of these parameters", status_code=400)
    found = [record for record in state.records.values() if _matches(record, params)]
    page, number = found[offset : offset + page_size], offset // page_size + 1
    next_token = _token(offset + page_size, digest) if offset + page_size < len(found) else None
    fault = state.fault_for(number)
    kind = fault.kind if fault else None
    if fault is not None and kind in ("429", "503"):
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
        return PlainTextResponse(f"fault {kind}", status_code=int(kind), headers=headers)
    raws = [record.raw for record in page]
    if kind == "no-nct" and raws:
        study = orjson.loads(raws[0])
        del study["protocolSection"]["identificationModule"]["nctId"]
        raws[0] = orjson.dumps(study)
    if kind == "repeat-token" and token is not None:
        next_token = token
    body = b"{"
    if params.get("countTotal") == "true" and token is None:
        body += b'"totalCount":%d,' % len(found)
    body += b'"studies":[' + b",".join(raws) + b"]"
    if next_token is not None:
        body += b',"nextPageToken":"' + next_token.encode() + b'"'
    body += b"}"
    if kind == "drop":
        return Dropped(body)
    if kind == "garble":
        body = body[: len(body) // 2]
    return Response(body, media_type="application/json")


@dataclass(frozen=True)
class ApiDouble:
    """A running double: its base URL (what ``--base-url`` takes) and switches."""

    url: str  # http://127.0.0.1:PORT
    pid: int

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/v2"

    def fault(
        self, kind: str, page: int | None = None, times: int = 1, retry_after: int | None = None
    ) -> None:
        asked = {"kind": kind, "page": page, "times": times, "retryAfter": retry_after}
        httpx.post(f"{self.url}/double/faults", json=asked, timeout=10).raise_for_status()

    def put_records(self, studies: list[dict[str, Any]]) -> None:
        httpx.post(f"{self.url}/double/records", json=studies, timeout=30).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.url}/double/reset", timeout=10).raise_for_status()

    def requests(self) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = httpx.get(f"{self.url}/double/requests", timeout=10).json()
        return answer


@contextmanager
def api_double(log: Path) -> Iterator[ApiDouble]:
    """The double on a free port of 127.0.0.1 until the block ends; stopped by its PID."""
    port = free_port()
    command = [sys.executable, "-m", "tests.apidouble", "--port", str(port)]
    with running(command, port, log, timeout=60) as server:
        yield ApiDouble(server.url, server.pid)


def main() -> None:
    arguments = argparse.ArgumentParser(description="the ClinicalTrials.gov API v2 double of the tests")
    arguments.add_argument("--port", type=int, required=True)
    port = arguments.parse_args().port
    records = {nct_id: Record.of(raw) for nct_id, raw in registry_records().items()}
    state = DoubleState(records)
    state.reset()
    uvicorn.run(create_double(state), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
