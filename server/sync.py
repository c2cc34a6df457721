"""``trialgraph sync``: a file ``fetch`` wrote brought up to date with the registry.

It asks the search that fetched the file (``.FILE.query.json`` beside it) again, for the
studies whose last update was posted since the newest ``lastUpdatePostDate`` in the file less a
day: the registry dates updates by the day, and a study posted later that same day must not be
missed. Those studies replace the records of the same NCT ID and the others are added at the
end. The new file is written beside the old one and renamed over it, and only when something
changed: the old file stays whole until the new one is, and an unchanged file keeps its time
(``serve --watch`` does not reload it). ``serve --sync-every HOURS`` runs the same in the server.
"""

from __future__ import annotations

import argparse
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

import orjson

from server.fetch import FetchProgress, FetchState, query_path, registry_settings, saved_query, sync_folder
from server.registry_api import RegistryClient, RegistryError, client_for, study_nct_id
from server.reload import ReloadError
from server.settings import Settings, SettingsError

OVERLAP = timedelta(days=1)


class SyncError(Exception):
    """Raised when the file cannot be synced: not made by fetch, unreadable, or without dates."""


@dataclass(frozen=True, slots=True)
class SyncCounts:
    """What a sync changed, and the date it asked from."""

    added: int
    updated: int
    unchanged: int
    since: str  # YYYY-MM-DD: studies whose last update was posted that day or later were asked for

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    def __str__(self) -> str:
        return f"{self.added:,} added, {self.updated:,} updated, {self.unchanged:,} unchanged"

    def as_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "since": self.since,
        }


@dataclass(frozen=True, slots=True)
class _Held:
    """What a file holds: the NCT ID of each line (None for a blank one), the newest update."""

    nct_ids: list[str | None]
    newest: date | None


def sync_file(
    client: RegistryClient, path: Path, *, progress: FetchProgress | None = None, page_size: int = 1000
) -> SyncCounts:
    """Bring ``path`` up to date: the studies updated since its newest one (less a day) replace
    theirs or are added; the file is replaced whole, and only if anything changed."""
    try:
        query = saved_query(path)
    except ValueError as error:
        raise SyncError(str(error)) from None
    if query is None:
        raise SyncError(
            f"{path} was not made by trialgraph fetch: no {query_path(path).name} beside it says "
            "what to ask the registry; fetch it first"
        )
    held = _held(path)
    if held.newest is None:
        raise SyncError(f"{path}: no study has a lastUpdatePostDate to sync from; fetch it again")
    since = (held.newest - OVERLAP).isoformat()
    if query.updated_since is not None and query.updated_since > since:
        since = query.updated_since  # the fetch asked for nothing older
    updates: dict[str, dict[str, Any]] = {}
    total = None  # given with the first page
    for page in client.pages(replace(query, updated_since=since), page_size=page_size):
        updates.update(zip(page.nct_ids, page.studies, strict=True))
        total = page.total if page.total is not None else total
        if progress is not None:
            done = page.next_token is None
            progress(FetchState({}, pages=page.number, studies=len(updates), total=total, complete=done))
    return _merge(path, held.nct_ids, updates, since)


def _held(path: Path) -> _Held:
    nct_ids: list[str | None] = []
    newest: date | None = None
    with open(path, "rb") as file:
        for number, line in enumerate(file, 1):
            if not line.strip():
                nct_ids.append(None)
                continue
            try:
                study = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise SyncError(f"{path}:{number}: not JSON ({error})") from None
            nct_id = study_nct_id(study)
            if nct_id is None:
                raise SyncError(f"{path}:{number}: no NCT ID at protocolSection.identificationModule.nctId")
            nct_ids.append(nct_id)
            posted = _last_update_posted(study)
            if posted is not None and (newest is None or posted > newest):
                newest = posted
    return _Held(nct_ids, newest)


def _last_update_posted(study: dict[str, Any]) -> date | None:
    """``statusModule.lastUpdatePostDateStruct.date``; a month alone counts from its first day.

    >>> posted = {"lastUpdatePostDateStruct": {"date": "2026-04"}}
    >>> _last_update_posted({"protocolSection": {"statusModule": posted}})
    datetime.date(2026, 4, 1)
    """
    found: Any = study.get("protocolSection")
    for key in ("statusModule", "lastUpdatePostDateStruct", "date"):
        found = found.get(key) if isinstance(found, dict) else None
    if not isinstance(found, str):
        return None
    try:
        return date.fromisoformat(found if len(found) != 7 else f"{found}-01")
    except ValueError:
        return None


def _merge(
    path: Path, nct_ids: list[str | None], updates: dict[str, dict[str, Any]], since: str
) -> SyncCounts:
    """Write the file again beside ``path`` with ``updates`` in; rename it over ``path`` if it differs."""
    temporary = path.with_name(f".{path.name}.sync-part")  # hidden: a folder being served skips it
    updated = unchanged = 0
    try:
        with open(path, "rb") as old, open(temporary, "wb") as new:
            for number, (line, nct_id) in enumerate(itertools.zip_longest(old, nct_ids), 1):
                if line is None or (nct_id is None) != (not line.strip()):
                    raise SyncError(f"{path}:{number}: the file changed while it was synced")
                fresh = updates.pop(nct_id, None) if nct_id is not None else None
                if fresh is not None and fresh != orjson.loads(line):
                    new.write(orjson.dumps(fresh) + b"\n")
                    updated += 1
                else:
                    new.write(line if line.endswith(b"\n") else line + b"\n")
                    unchanged += nct_id is not None
            new.writelines(orjson.dumps(study) + b"\n" for study in updates.values())
            new.flush()
            os.fsync(new.fileno())
        counts = SyncCounts(len(updates), updated, unchanged, since)
        if counts.changed:
            os.chmod(temporary, os.stat(path).st_mode)
            os.replace(temporary, path)
            sync_folder(path.parent)
    finally:
        temporary.unlink(missing_ok=True)
    return counts


def sync(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The ``sync`` command: ``--data FILE.jsonl`` brought up to date; what changed on standard output."""
    path = Path(args.data)
    try:
        with client_for(registry_settings(args), err) as client:
            progress = None if args.quiet else FetchProgress(err, what="syncing")
            counts = sync_file(client, path, progress=progress)
    except (SyncError, RegistryError) as error:
        err.write(f"trialgraph sync: {error}\ntrialgraph sync: {path} is as it was\n")
        return 1
    except OSError as error:
        err.write(f"trialgraph sync: {error.filename or path}: {error.strerror or error}\n")
        return 1
    out.write(f"synced {path}: {counts} (updates posted since {counts.since})\n")
    return 0


def syncable_file(settings: Settings) -> Path:
    """The file ``serve --sync-every`` keeps up to date: the one ``--data``, made by fetch."""
    if settings.snapshot is not None:
        raise SettingsError(
            "--sync-every syncs a fetched file, not a snapshot: serve it with --data FILE.jsonl"
        )
    path = Path(settings.data[0])
    if len(settings.data) != 1 or not path.is_file():
        raise SettingsError("--sync-every needs one --data FILE.jsonl, written by trialgraph fetch")
    try:
        query = saved_query(path)
    except ValueError as error:
        raise SettingsError(f"--sync-every: {error}") from None
    if query is None:
        raise SettingsError(
            f"--sync-every: {path} was not written by trialgraph fetch (no {query_path(path).name} beside it)"
        )
    return path


def syncer(settings: Settings, log: TextIO) -> Callable[[], SyncCounts]:
    """What ``serve --sync-every`` calls: one sync of the served file; a failure is a ReloadError."""
    path = syncable_file(settings)

    def sync_now() -> SyncCounts:
        try:
            with client_for(settings, log) as client:
                return sync_file(client, path)
        except (SyncError, RegistryError) as error:
            raise ReloadError([str(error), f"{path} is as it was"]) from None
        except OSError as error:
            raise ReloadError([f"{error.filename or path}: {error.strerror or error}"]) from None

    return sync_now
