"""``trialgraph serve``: load or open the graph, serve it with uvicorn (one process or
``--workers N`` sharing a snapshot), reload on SIGHUP, a watched change or a sync with the
registry every ``--sync-every`` hours, and drain requests in flight on SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from graph.build.loading import TrialGraph, save_snapshot
from server.loading import command_settings, load_documents, open_snapshot_of
from server.settings import publish

if TYPE_CHECKING:
    import uvicorn

    from server.reload import Reloader

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# uvicorn's compiled event loop and HTTP parser (the protocol of server/protocol.py is
# uvicorn's httptools one; named, so that a missing one is an error rather than a slower
# server): a small answer costs the server about two thirds of the CPU asyncio's loop and h11
# take (README, Performance).
EVENT_LOOP = "uvloop"


def serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve until SIGTERM or SIGINT, which let requests in flight finish; reload on SIGHUP."""
    # A SIGHUP while loading asks for a reload once serving, rather than ending the process.
    hangups: list[int] = []
    previous = signal.signal(signal.SIGHUP, lambda signum, frame: hangups.append(signum))
    try:
        return _load_and_serve(args, err, hangups)
    finally:
        signal.signal(signal.SIGHUP, previous)


def _load_and_serve(args: argparse.Namespace, err: TextIO, hangups: list[int]) -> int:
    import uvicorn

    from server.app import create_app
    from server.protocol import DrainingHttpToolsProtocol
    from server.reload import (
        GraphHolder,
        Reloader,
        WorkerSupervisor,
        graph_loader,
        rebuilding_snapshot,
        watched_fingerprint,
    )
    from server.runtime import resettle_heap, settle_heap
    from server.sync import syncer

    settings = command_settings(args).overridden(
        sync_every=getattr(args, "sync_every", None), registry_url=getattr(args, "base_url", None)
    )
    sync = syncer(settings, err) if settings.sync_every > 0 else None  # a file fetch wrote, or refused
    watched = watched_fingerprint(settings)
    seen = watched() if settings.watch else None  # before loading: a change while loading reloads
    loaded = (
        open_snapshot_of(settings, args, err) if settings.snapshot else load_documents(settings, args, err)
    )
    if loaded is None:
        return 1
    where = f"http://{settings.host}:{settings.port}/graphql"
    trials = loaded.graph.graph["trials"]
    holder = GraphHolder(loaded)

    def reloader(load: Callable[[], TrialGraph]) -> Reloader:
        made = Reloader(
            holder,
            load,
            err,
            fingerprint=watched if settings.watch else None,
            loaded_fingerprint=seen,
            interval=settings.watch_seconds,
            sync=sync,
            sync_interval=settings.sync_every * 3600,
        )
        if hangups:
            made.request("SIGHUP")
        return made

    load = graph_loader(settings, check_documents=bool(args.data))
    if sync is not None:
        err.write(
            f"syncing {settings.data[0]} with {settings.registry_url} every {settings.sync_every:g} h\n"
        )
    if settings.workers <= 1:
        err.write(f"serving {trials:,} trials at {where}\n")
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(holder, settings),
                host=settings.host,
                port=settings.port,
                log_level="warning",
                timeout_graceful_shutdown=settings.drain_seconds,
                http=DrainingHttpToolsProtocol,
                loop=EVENT_LOOP,
            )
        )
        del loaded  # the holder keeps the graph, so that a reload frees it
        settle_heap()
        holder.on_swap(resettle_heap)
        with _signals_for_serving(server, reloader(load)):
            server.run()
        return 0 if server.started else 1
    with tempfile.TemporaryDirectory(prefix="trialgraph-") as folder:
        if settings.snapshot is None:  # the workers share one snapshot: make it once, again on reload
            shared = str(Path(folder) / "graph.snapshot")
            save_snapshot(loaded, shared)
            load = rebuilding_snapshot(load, shared)
            settings = replace(settings, snapshot=shared)
        publish(settings)
        config = uvicorn.Config(
            "server.app:app_from_environment",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            log_level="warning",
            timeout_graceful_shutdown=settings.drain_seconds,
            # A restart waits this long for each new worker (imports, the snapshot) before it
            # gives up and keeps the old one: uvicorn's 5 s is too short on a busy machine.
            timeout_worker_healthcheck=60,
            http=DrainingHttpToolsProtocol,
            loop=EVENT_LOOP,
        )
        err.write(f"serving {trials:,} trials at {where} with {settings.workers} workers\n")
        supervisor = WorkerSupervisor(config, [config.bind_socket()], reloader(load))
        supervisor.reloader.start()
        try:
            supervisor.run()  # SIGTERM: each worker drains, then the supervisor returns
        finally:
            supervisor.reloader.stop()
    return 0


@contextmanager
def _signals_for_serving(server: uvicorn.Server, reloader: Reloader) -> Iterator[None]:
    """While the block runs, SIGHUP asks ``reloader`` for a reload, and SIGTERM and SIGINT ask
    ``server`` to stop. uvicorn has its own handlers for those two while it serves: it stops
    taking connections, lets requests in flight finish, then raises the signal again for the
    handler it found, ours, which only asks again; so serve returns and exits 0 once drained."""

    def stop(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True

    hangup = signal.signal(signal.SIGHUP, lambda signum, frame: reloader.request("SIGHUP"))
    stops = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    reloader.start()
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, hangup)
        reloader.stop()
        for signum, handler in stops.items():
            signal.signal(signum, handler)
