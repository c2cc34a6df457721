"""Reloading the served graph without stopping: a holder every handler reads the graph through,
and a reloader that builds the new graph beside the old one and swaps it in whole.

A reload is asked for by SIGHUP, or by ``watch``: a fingerprint of the input files (their paths,
sizes and modification times; the snapshot file when serving one) polled every few seconds; or
it follows a sync of the served file with the registry every ``sync_every`` hours
(:mod:`server.sync`), when the sync changed the file. A sync that fails is shown as a failed
reload (trigger ``sync``), the old graph serving; one that changed nothing reloads nothing. The
new graph is built in a background thread while the old one answers; a request reads the graph
once, so it is answered from one graph, old or new. A reload that fails (documents that do not
load, a snapshot that does not open) keeps the old graph, writes every problem on standard
error and leaves its outcome in :attr:`GraphHolder.last_reload`, which ``/health`` shows.

With ``--workers N`` uvicorn's supervisor owns SIGHUP: it restarts the workers one at a time,
each new one opening the snapshot before the old one stops. :class:`WorkerSupervisor` makes the
restart wait until the new graph is ready: the snapshot rebuilt from the documents when serve
made it, or the given snapshot checked to open; when that fails the workers keep serving.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from socket import socket
from typing import TYPE_CHECKING, TextIO

from uvicorn import Config
from uvicorn.supervisors import Multiprocess

from graph.build.loading import TrialGraph, load_graph, open_snapshot, save_snapshot
from graph.errors import LoadError, TrialGraphError
from graph.read.sources import input_fingerprint
from server.settings import Settings

if TYPE_CHECKING:
    from server.sync import SyncCounts

SHOWN_PROBLEMS = 20  # problems /health shows; standard error has them all


class ReloadError(Exception):
    """Raised by a graph loader when the new data cannot be served; ``problems`` say why."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    """What the last reload did: when, why, whether the new graph is served, and its problems."""

    at: datetime
    trigger: str  # "SIGHUP", "watch" or "sync"
    ok: bool
    problems: tuple[str, ...]
    seconds: float
    sync: SyncCounts | None = None  # what the sync before it changed, for trigger "sync"

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "at": self.at.isoformat(timespec="seconds"),
            "trigger": self.trigger,
            "ok": self.ok,
            "problems": list(self.problems[:SHOWN_PROBLEMS]),
            "problemCount": len(self.problems),
            "seconds": round(self.seconds, 3),
        }
        if self.sync is not None:
            found["sync"] = self.sync.as_json()
        return found


@dataclass(frozen=True, slots=True)
class ServedGraph:
    """A graph as served: its generation (up by one with each swap) and the reload that brought it."""

    generation: int
    trial_graph: TrialGraph
    last_reload: ReloadOutcome | None = None


class GraphHolder:
    """The graph the service answers from now: read once per request, swapped whole by a reload."""

    def __init__(self, trial_graph: TrialGraph) -> None:
        # One attribute, so that a reader sees a graph, its generation and the reload that
        # brought it together.
        self._served = ServedGraph(0, trial_graph)
        self._listeners: list[Callable[[], None]] = []

    @property
    def state(self) -> ServedGraph:
        """The graph served now, with its generation and last reload, read together."""
        return self._served

    @property
    def current(self) -> TrialGraph:
        return self._served.trial_graph

    @property
    def last_reload(self) -> ReloadOutcome | None:
        return self._served.last_reload

    def served(self) -> tuple[int, TrialGraph]:
        """The graph and its generation, which goes up by one with each swap."""
        served = self._served
        return served.generation, served.trial_graph

    def on_swap(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every swap, as to drop what was cached from the old graph."""
        self._listeners.append(listener)

    def swap(self, trial_graph: TrialGraph, outcome: ReloadOutcome | None = None) -> None:
        """Serve ``trial_graph`` from now on, brought by the reload ``outcome``."""
        self._served = ServedGraph(self._served.generation + 1, trial_graph, outcome)
        for listener in self._listeners:
            listener()

    def failed(self, outcome: ReloadOutcome) -> None:
        """Record a reload that failed, or a sync that failed or changed nothing: the graph stays."""
        served = self._served
        self._served = ServedGraph(served.generation, served.trial_graph, outcome)


class Reloader:
    """Reloads a holder's graph in a background thread: on :meth:`request`, when
    ``fingerprint`` (polled every ``interval`` seconds) differs from the one last loaded, and
    after ``sync`` (called every ``sync_interval`` seconds) changed the inputs."""

    def __init__(
        self,
        holder: GraphHolder,
        load: Callable[[], TrialGraph],
        log: TextIO,
        *,
        fingerprint: Callable[[], str] | None = None,
        loaded_fingerprint: str | None = None,
        interval: float = 2.0,
        sync: Callable[[], SyncCounts] | None = None,
        sync_interval: float = 0.0,
    ) -> None:
        self.holder = holder
        self.load = load
        self.log = log
        self.fingerprint = fingerprint
        self.loaded_fingerprint = loaded_fingerprint  # of the inputs the served graph came from
        self.interval = interval
        self.sync = sync
        self.sync_interval = sync_interval
        self._wake = threading.Event()
        self._trigger = "SIGHUP"
        self._stopping = False
        self._thread: threading.Thread | None = None

    def request(self, trigger: str = "SIGHUP") -> None:
        """Ask for a reload; returns at once, and may be called from a signal handler."""
        self._trigger = trigger
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="trialgraph-reload", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread; a reload under way is abandoned (the thread is a daemon)."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        next_sync = time.monotonic() + self.sync_interval if self.sync is not None else None
        while True:
            asked = self._wake.wait(self._timeout(next_sync))
            if self._stopping:
                return
            if asked:
                self._wake.clear()
                self.reload(self._trigger)
            elif next_sync is not None and time.monotonic() >= next_sync:
                self.sync_and_reload()
                next_sync = time.monotonic() + self.sync_interval
            elif (seen := self._fingerprint()) is not None and seen != self.loaded_fingerprint:
                self.reload("watch")

    def _timeout(self, next_sync: float | None) -> float | None:
        """How long to wait for a request: until the next look at the inputs or the next sync."""
        waits = [self.interval] if self.fingerprint is not None else []
        if next_sync is not None:
            waits.append(max(next_sync - time.monotonic(), 0.0))
        return min(waits) if waits else None

    def _fingerprint(self) -> str | None:
        if self.fingerprint is None:
            return None
        try:
            return self.fingerprint()
        except OSError:  # a file went away while it was looked at: look again next time
            return None

    def sync_and_reload(self) -> ReloadOutcome:
        """Sync the inputs with the registry, then reload if that changed them; a sync that
        fails is recorded as a failed reload (trigger ``sync``), the old graph serving."""
        started, at = time.monotonic(), datetime.now(UTC)
        assert self.sync is not None
        try:
            counts = self.sync()
        except ReloadError as error:
            problems = error.problems
        except Exception as error:  # a fault of ours: keep serving, show it all
            problems = [f"{type(error).__name__}: {error}"]
            self.log.write(traceback.format_exc())
        else:
            if counts.changed:
                self.log.write(f"trialgraph: synced: {counts}\n")
                return self.reload("sync", counts)
            outcome = ReloadOutcome(at, "sync", True, (), time.monotonic() - started, counts)
            self.holder.failed(outcome)  # nothing to reload
            self.log.write(f"trialgraph: synced: {counts}; nothing to reload\n")
            self.log.flush()
            return outcome
        outcome = ReloadOutcome(at, "sync", False, tuple(problems), time.monotonic() - started)
        self.holder.failed(outcome)
        lines = [*problems, f"trialgraph: sync failed; still serving {_describe(self.holder.current)}"]
        self.log.write("".join(f"{line}\n" for line in lines))
        self.log.flush()
        return outcome

    def reload(self, trigger: str, sync: SyncCounts | None = None) -> ReloadOutcome:
        """Build the new graph and swap it in; on failure keep the old one and say why. ``sync``:
        what the sync that asked for it changed."""
        started, at = time.monotonic(), datetime.now(UTC)
        seen = self._fingerprint()  # before loading: a change while loading brings another reload
        try:
            trial_graph = self.load()
        except ReloadError as error:
            problems = error.problems
            trial_graph = None
        except Exception as error:  # a fault of ours, not of the data: keep serving, show it all
            problems = [f"{type(error).__name__}: {error}"]
            trial_graph = None
            self.log.write(traceback.format_exc())
        if seen is not None:
            self.loaded_fingerprint = seen  # broken inputs are tried again only once they change
        seconds = time.monotonic() - started
        if trial_graph is None:
            outcome = ReloadOutcome(at, trigger, False, tuple(problems), seconds, sync)
            self.holder.failed(outcome)
            served = self.holder.current
            lines = [*problems, f"trialgraph: reload ({trigger}) failed; still serving {_describe(served)}"]
        else:
            problems = [str(problem) for problem in trial_graph.problems]
            outcome = ReloadOutcome(at, trigger, True, tuple(problems), seconds, sync)
            self.holder.swap(trial_graph, outcome)
            done = f"trialgraph: reloaded ({trigger}) in {seconds:.1f} s: serving {_describe(trial_graph)}"
            lines = [*problems, done]
        self.log.write("".join(f"{line}\n" for line in lines))
        self.log.flush()
        return outcome


def _describe(trial_graph: TrialGraph) -> str:
    trials = trial_graph.graph.graph.get("trials", 0)
    return f"{trials:,} trials, dataVersion {trial_graph.version}"


def graph_loader(settings: Settings, check_documents: bool = False) -> Callable[[], TrialGraph]:
    """How serve loads its graph again: the snapshot reopened (refused unless made from
    ``settings.data`` when ``check_documents``), else the documents loaded as at start."""
    snapshot = settings.snapshot
    if snapshot is not None:
        documents = settings.data if check_documents else None
        return partial(_open, snapshot, documents)
    return partial(_load, settings.data, settings.skip_invalid)


def _open(snapshot: str, documents: Sequence[str] | None) -> TrialGraph:
    try:
        return open_snapshot(snapshot, documents)
    except TrialGraphError as error:
        raise ReloadError([str(error)]) from None


def _load(documents: Sequence[str], skip_invalid: bool) -> TrialGraph:
    try:
        return load_graph(documents, skip_invalid=skip_invalid)
    except LoadError as error:
        problems = [str(problem) for problem in error.problems]
        raise ReloadError(
            [*problems, "the documents did not load; fix them or pass --skip-invalid"]
        ) from None


def watched_fingerprint(settings: Settings) -> Callable[[], str]:
    """The fingerprint ``watch`` polls: of the snapshot file when serving one, else of the documents."""
    paths = [settings.snapshot] if settings.snapshot is not None else list(settings.data)
    return partial(input_fingerprint, paths)


def rebuilding_snapshot(load: Callable[[], TrialGraph], snapshot: str) -> Callable[[], TrialGraph]:
    """``load``, then the graph written to ``snapshot`` (atomically) for worker processes to open;
    the graph returned is the snapshot opened, as the workers will open it, not the one built."""

    def load_and_save() -> TrialGraph:
        built = load()
        try:
            save_snapshot(built, snapshot)
        except OSError as error:
            raise ReloadError([f"{snapshot}: cannot write the snapshot: {error.strerror or error}"]) from None
        del built  # the supervisor keeps the map of the file, not the graph in memory
        return _open(snapshot, None)

    return load_and_save


class WorkerSupervisor(Multiprocess):
    """uvicorn's supervisor of worker processes, restarting them on SIGHUP only once the
    reloader has the new graph ready; ``--watch`` asks the reloader too."""

    def __init__(self, config: Config, sockets: list[socket], reloader: Reloader) -> None:
        super().__init__(config, sockets)
        self.reloader = reloader
        self.restart_due = threading.Event()
        reloader.holder.on_swap(self.restart_due.set)

    def handle_hup(self) -> None:
        self.reloader.request("SIGHUP")

    def handle_signals(self) -> None:
        super().handle_signals()
        if self.restart_due.is_set() and not self.should_exit.is_set():
            self.restart_due.clear()
            self.reloader.log.write(
                f"trialgraph: restarting {len(self.processes)} worker(s) [{os.getpid()}]\n"
            )
            self.restart_all()
