"""``trialgraph fetch``: the studies of a registry search written to a JSON Lines file, one study a
line as the registry returned it, the file appearing only when complete.

While it runs, the studies go to ``FILE.part`` a page at a time, and ``FILE.part.state`` (JSON)
says how far: the search, the token of the next page, the pages and studies written, the bytes of
``FILE.part`` they fill, the page tokens used. The state is replaced (atomically) only once a
page is on disk, so a run killed at any point leaves a state naming a whole prefix of
``FILE.part``; the same command started again cuts the part back to it and goes on from the next
page. A study the registry gives twice is written once. When the last page is in, the state says
so, ``FILE.part`` becomes ``FILE`` (a rename) and the state goes; the search stays beside the
file, hidden, in ``.FILE.query.json`` for ``sync`` to ask again.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, TextIO

import orjson

from server.progress import StatusLine, duration
from server.registry_api import RegistryClient, RegistryError, client_for, study_nct_id
from server.registry_query import StudyQuery
from server.settings import Settings


class FetchStopped(Exception):
    """Raised when the registry failed part way; what was fetched is kept for the next run."""


@dataclass(frozen=True, slots=True)
class FetchState:
    """How far a fetch got: what ``FILE.part.state`` holds."""

    search: dict[str, Any]  # the base URL and the query: a resumed run must ask the same
    next_token: str | None = None
    pages: int = 0
    studies: int = 0
    part_bytes: int = 0  # of FILE.part, holding those studies
    total: int | None = None  # totalCount of the first page
    tokens: tuple[str, ...] = ()  # page tokens used, so that pages cannot go round
    complete: bool = False


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a fetch wrote."""

    studies: int
    pages: int
    resumed_after: int  # studies in FILE.part before this run
    repeated: int  # studies the registry gave again, written once


def part_path(output: Path) -> Path:
    return output.with_name(output.name + ".part")


def state_path(output: Path) -> Path:
    return output.with_name(output.name + ".part.state")


def query_path(output: Path) -> Path:
    """Where the search that made ``output`` is kept: hidden, so that loading a folder skips it."""
    return output.with_name(f".{output.name}.query.json")


def saved_query(output: Path) -> StudyQuery | None:
    """The search that fetched ``output``; None when it was not fetched (no query file)."""
    try:
        text = query_path(output).read_bytes()
    except FileNotFoundError:
        return None
    try:
        return StudyQuery.from_json(orjson.loads(text))
    except (orjson.JSONDecodeError, ValueError, AttributeError) as error:
        raise ValueError(f"{query_path(output)}: not a saved search: {error}") from None


def fetch_file(
    client: RegistryClient,
    query: StudyQuery,
    output: Path,
    *,
    page_size: int = 1000,
    progress: FetchProgress | None = None,
    log: TextIO | None = None,
) -> Fetched:
    """Fetch the studies of ``query`` into ``output`` through ``FILE.part``, resuming a run of the
    same search that stopped; :class:`FetchStopped` when the registry fails part way."""
    part, states = part_path(output), state_path(output)
    state = _resumable(FetchState({"baseUrl": client.base_url, "query": query.as_json()}), output, log)
    resumed_after, repeated = state.studies, 0
    if not state.complete:
        if state.pages:  # resumed
            os.truncate(part, state.part_bytes)  # a page written after the state was saved goes
            seen = _nct_ids_in(part)
        else:
            part.write_bytes(b"")
            states.unlink(missing_ok=True)  # of another search, or unreadable
            seen = set()
        if progress is not None:
            progress.start(state)
        pages = client.pages(
            query,
            token=state.next_token,
            number=state.pages + 1,
            tokens_seen=state.tokens,
            page_size=page_size,
        )
        with open(part, "ab") as file:
            try:
                for page in pages:
                    lines = []
                    for nct_id, study in zip(page.nct_ids, page.studies, strict=True):
                        if nct_id in seen:
                            repeated += 1
                            continue
                        seen.add(nct_id)
                        lines.append(orjson.dumps(study) + b"\n")
                    file.write(b"".join(lines))
                    file.flush()
                    os.fsync(file.fileno())
                    state = replace(
                        state,
                        next_token=page.next_token,
                        pages=page.number,
                        studies=state.studies + len(lines),
                        part_bytes=file.tell(),
                        total=state.total if page.total is None else page.total,
                        tokens=state.tokens + ((page.token,) if page.token else ()),
                        complete=page.next_token is None,
                    )
                    _write_atomically(states, _state_json(state))
                    if progress is not None:
                        progress(state)
            except RegistryError as error:
                if not state.pages:
                    part.unlink()
                    raise FetchStopped(f"{error}\nnothing was fetched") from None
                raise FetchStopped(
                    f"{error}\n{state.studies:,} studies of {_pages(state.pages)} are kept in {part}: "
                    "run the same command again to go on from there"
                ) from None
    _write_atomically(query_path(output), orjson.dumps(query.as_json()) + b"\n")
    if part.exists():  # not when a run stopped between the rename and removing the state
        os.replace(part, output)
        sync_folder(output.parent)
    states.unlink()
    return Fetched(state.studies, state.pages, resumed_after, repeated)


def _resumable(fresh: FetchState, output: Path, log: TextIO | None) -> FetchState:
    """The state to go on from: the one on disk if it is of the same search and its part is
    whole, else ``fresh`` (saying why on ``log``)."""
    part, states = part_path(output), state_path(output)

    def start_over(why: str) -> FetchState:
        if log is not None and part.exists():
            log.write(f"trialgraph fetch: {why}; starting over\n")
        return fresh

    try:
        saved = json.loads(states.read_text(encoding="utf-8"))
        state = FetchState(**{**saved, "tokens": tuple(saved["tokens"])})
    except FileNotFoundError:
        return start_over(f"{part} has no state file ({states.name})")
    except (ValueError, TypeError, KeyError) as error:
        return start_over(f"{states} cannot be read ({error})")
    if state.search != fresh.search:
        return start_over(f"{part} is a fetch of another search")
    if state.complete:
        if part.exists() or output.exists():
            return state
        return start_over(f"{states} says the fetch is complete but neither {part.name} nor {output.name} is")
    size = part.stat().st_size if part.exists() else -1
    if size < state.part_bytes:
        return start_over(f"{part} is shorter than its state says ({size:,} < {state.part_bytes:,} bytes)")
    if log is not None:
        log.write(f"trialgraph fetch: resuming after {state.studies:,} studies ({_pages(state.pages)})\n")
    return state


def _nct_ids_in(part: Path) -> set[str]:
    """The NCT IDs of the studies already in a part file (each line written by fetch)."""
    with open(part, "rb") as file:
        return {nct_id for line in file if (nct_id := study_nct_id(orjson.loads(line)))}


def _state_json(state: FetchState) -> bytes:
    return orjson.dumps({**asdict(state), "tokens": list(state.tokens)})


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a file beside it, flushed, renamed over it."""
    temporary = path.with_name(path.name + ".new")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a crash of the machine."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class FetchProgress:
    """Call with the state after each page: studies of the total, pages, studies a second, time left."""

    def __init__(self, stream: TextIO, interval: float = 0.5, what: str = "fetching") -> None:
        self.status = StatusLine(stream, interval)
        self.what = what
        self.first = 0  # studies before this run

    def start(self, state: FetchState) -> None:
        self.first = state.studies

    def __call__(self, state: FetchState) -> None:
        if not state.complete and not self.status.due():
            return
        this_run = state.studies - self.first
        rate = this_run / self.status.elapsed
        line = f"{self.what}: {state.studies:,}"
        if state.total:
            line += f" of {state.total:,}"
        line += f" studies, {_pages(state.pages)}, {rate:,.0f} studies/s"
        if not state.complete and state.total and rate > 0:
            left = max(state.total - state.studies, 0) / rate
            line += f", about {duration(left)} left"
        self.status.write(line, final=state.complete)


def _pages(count: int) -> str:
    """
    >>> _pages(1), _pages(1200)
    ('1 page', '1,200 pages')
    """
    return f"{count:,} page{'s' * (count != 1)}"


def registry_settings(args: argparse.Namespace) -> Settings:
    """Settings from the environment, then the registry options of ``fetch`` and ``sync``."""
    return Settings.from_environment(
        registry_url=args.base_url,
        registry_rate=args.rate,
        registry_retries=args.retries,
        registry_backoff_seconds=args.backoff,
        registry_max_wait_seconds=args.max_wait,
    )


def fetch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The ``fetch`` command: a search, or ``--all``, into ``--output``."""
    query = StudyQuery(
        cond=args.cond,
        term=args.term,
        intr=args.intr,
        spons=args.spons,
        statuses=tuple(dict.fromkeys(args.status or ())),
        nct_ids=tuple(dict.fromkeys(args.nct or ())),
        updated_since=args.updated_since,
    )
    if query == StudyQuery() and not args.all:
        err.write(
            "trialgraph fetch: say what to fetch: --cond, --term, --intr, --spons, --status, --nct or "
            "--updated-since, or --all for the whole registry\n"
        )
        return 2
    if query != StudyQuery() and args.all:
        err.write("trialgraph fetch: --all fetches the whole registry; it takes no search words\n")
        return 2
    output = Path(args.output)
    started = time.monotonic()
    try:
        with client_for(registry_settings(args), err) as client:
            progress = None if args.quiet else FetchProgress(err)
            fetched = fetch_file(client, query, output, page_size=args.page_size, progress=progress, log=err)
    except FetchStopped as error:
        err.write(f"trialgraph fetch: {error}\n")
        return 1
    except OSError as error:
        err.write(f"trialgraph fetch: cannot write {error.filename or output}: {error.strerror or error}\n")
        return 1
    took = duration(time.monotonic() - started)
    line = f"fetched {fetched.studies:,} studies ({_pages(fetched.pages)}) to {output} in {took}"
    if fetched.resumed_after:
        line += f", {fetched.resumed_after:,} of them by an earlier run"
    if fetched.repeated:
        line += f"; {fetched.repeated:,} studies given twice were written once"
    err.write(f"{line}\n")
    return 0
