"""The ``trialgraph`` command: check documents, serve the graph, print the schema, export."""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from graph.compact.snapshot import SnapshotError
from graph.errors import LoadError, UnknownNodeError
from graph.export import FORMATS, export_file, select
from graph.load import load_records
from graph.trialgraph import TrialGraph, load_graph, open_snapshot, save_snapshot
from server.progress import ProgressPrinter, WritingProgress
from server.settings import Settings, SettingsError, publish

if TYPE_CHECKING:
    import uvicorn

    from server.reload import Reloader

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Validate documents: one line per problem, exit 1 if any is an error."""
    loaded = load_records(args.paths, skip_invalid=True, progress=_progress(args, err))
    for problem in loaded.problems:
        out.write(f"{problem}\n")
    errors = sum(problem.is_error for problem in loaded.problems)
    warnings = len(loaded.problems) - errors
    err.write(f"{len(loaded.records):,} trial(s) loaded; {errors} error(s), {warnings} warning(s)\n")
    return 1 if errors else 0


def _progress(args: argparse.Namespace, err: TextIO) -> ProgressPrinter | None:
    return None if args.quiet else ProgressPrinter(err)


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by what the command line says."""
    return Settings.from_environment(
        data=tuple(args.data) if args.data else None,
        skip_invalid=args.skip_invalid or None,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        snapshot=getattr(args, "snapshot", None),
        workers=getattr(args, "workers", None),
        cors_origins=tuple(args.cors_origin) if getattr(args, "cors_origin", None) else None,
        graphiql=False if getattr(args, "no_graphiql", False) else None,
        introspection=False if getattr(args, "no_introspection", False) else None,
        field_suggestions=False if getattr(args, "no_introspection", False) else None,
        rate_limit=getattr(args, "rate_limit", None),
        rate_burst=getattr(args, "rate_burst", None),
        watch=True if getattr(args, "watch", False) else None,
        watch_seconds=getattr(args, "watch_seconds", None),
        drain_seconds=getattr(args, "drain_seconds", None),
    )


def _load(settings: Settings, args: argparse.Namespace, err: TextIO) -> TrialGraph | None:
    try:
        loaded = load_graph(settings.data, skip_invalid=settings.skip_invalid, progress=_progress(args, err))
    except LoadError as error:
        for problem in error.problems:
            err.write(f"{problem}\n")
        err.write("trialgraph: the documents did not load; fix them or pass --skip-invalid\n")
        return None
    for problem in loaded.problems:
        err.write(f"{problem}\n")
    if loaded.skipped:
        err.write(f"trialgraph: skipped {len(loaded.skipped)} invalid document(s)\n")
    return loaded


def _serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
    from server.reload import (
        GraphHolder,
        Reloader,
        WorkerSupervisor,
        graph_loader,
        rebuilding_snapshot,
        watched_fingerprint,
    )
    from server.runtime import tune_collector

    settings = _settings(args)
    watched = watched_fingerprint(settings)
    seen = watched() if settings.watch else None  # before loading: a change while loading reloads
    loaded = _open(settings, args, err) if settings.snapshot else _load(settings, args, err)
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
        )
        if hangups:
            made.request("SIGHUP")
        return made

    load = graph_loader(settings, check_documents=bool(args.data))
    if settings.workers <= 1:
        tune_collector()
        err.write(f"serving {trials:,} trials at {where}\n")
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(holder, settings),
                host=settings.host,
                port=settings.port,
                log_level="warning",
                timeout_graceful_shutdown=settings.drain_seconds,
            )
        )
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


def _open(settings: Settings, args: argparse.Namespace, err: TextIO) -> TrialGraph | None:
    """Open the snapshot of ``--snapshot``, checked against ``--data`` when it is given."""
    assert settings.snapshot is not None
    try:
        return open_snapshot(settings.snapshot, settings.data if args.data else None)
    except SnapshotError as error:
        err.write(f"trialgraph: {error}\n")
        return None


def _snapshot(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load documents once and write the snapshot ``serve --snapshot`` starts from."""
    settings = _settings(args)
    started = time.monotonic()
    loaded = _load(settings, args, err)
    if loaded is None:
        return 1
    size = save_snapshot(loaded, args.output)
    graph = loaded.graph
    err.write(
        f"wrote {args.output}: {graph.graph['trials']:,} trials, {graph.number_of_nodes():,} nodes, "
        f"{graph.number_of_edges():,} edges, {size / 1e6:,.1f} MB in {time.monotonic() - started:.1f} s\n"
    )
    return 0


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from schema.build import create_schema

    out.write(str(create_schema()).rstrip("\n") + "\n")
    return 0


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the graph, or one node's neighborhood, to a file graph tools open.

    Unlike the service, the command sets no limit on hops or neighborhood size: it runs on the
    operator's machine, for the operator.
    """
    if args.hops is not None and args.node is None:
        err.write("trialgraph export: --hops needs --node\n")
        return 2
    settings = _settings(args)
    loaded = _load(settings, args, err)
    if loaded is None:
        return 1
    hops = 1 if args.hops is None else args.hops
    try:
        export = select(loaded.graph, args.node, hops)
    except UnknownNodeError as error:
        err.write(f"trialgraph export: --node: {error}\n")
        return 1
    try:
        progress = None if args.quiet else WritingProgress(err)
        written = export_file(export, args.format, args.output, args.jobs, progress)
        if progress is not None:
            progress.done(written)
    except OSError as error:  # the message, without the name of the temporary file
        err.write(f"trialgraph export: cannot write {args.output}: {error.strerror or error}\n")
        return 1
    except (TypeError, ValueError) as error:  # a value the format cannot hold; nothing was written
        err.write(f"trialgraph export: nothing written to {args.output}: {error}\n")
        return 1
    err.write(
        f"exported {export.number_of_nodes:,} nodes and {export.number_of_edges:,} edges "
        f"({written:,} bytes, {args.format}) to {args.output}\n"
    )
    return 0


def _jobs(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def _hops(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, got {text!r}")
    return int(text)


def _amount(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of 0 or more, got {text!r}")
    return value


def _synth(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write a synthetic corpus of registry records for benchmarks; one seed, one set of bytes."""
    from bench.synth import CorpusSpec, ProgressLine, SynthError, write_corpus

    try:
        spec = CorpusSpec(args.trials, args.seed, args.sites_per_trial)
    except SynthError as error:
        err.write(f"trialgraph synth: {error}\n")
        return 2
    try:
        written = write_corpus(spec, args.output, None if args.quiet else ProgressLine(err))
    except OSError as error:  # the message, without the name of the temporary file
        err.write(f"trialgraph synth: cannot write {args.output}: {error.strerror or error}\n")
        return 1
    seconds = f"{written.seconds:.1f} s"
    err.write(f"wrote {written.studies:,} trials ({written.size:,} bytes) to {args.output} in {seconds}\n")
    return 0


def _add_data_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--data",
        action="append",
        metavar="PATH",
        help="a file or directory of documents (repeatable; default: seeds/)",
    )
    command.add_argument(
        "--skip-invalid", action="store_true", help="leave broken documents out and report them"
    )
    command.add_argument("-q", "--quiet", action="store_true", help="no progress on standard error")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="trialgraph", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate trial documents (pages, registry JSON, zips)")
    check.add_argument("paths", nargs="+", help="files or directories (read recursively)")
    check.add_argument("-q", "--quiet", action="store_true", help="no progress on standard error")
    check.set_defaults(run=_check)
    serve = commands.add_parser("serve", help="load documents and serve them at http://HOST:PORT/graphql")
    _add_data_options(serve)
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default 8000)")
    serve.add_argument(
        "--snapshot", help="serve this snapshot (`trialgraph snapshot`) instead of loading documents"
    )
    serve.add_argument("--workers", type=int, help="worker processes sharing one snapshot (default 1)")
    serve.add_argument(
        "--cors-origin",
        action="append",
        metavar="ORIGIN",
        help="an origin browsers may call from (repeatable)",
    )
    serve.add_argument("--no-graphiql", action="store_true", help="do not offer GraphiQL at /graphql")
    serve.add_argument(
        "--no-introspection",
        action="store_true",
        help="refuse introspection and field suggestions (production)",
    )
    serve.add_argument(
        "--rate-limit",
        type=_amount,
        metavar="R",
        help="requests a second each client address may send, 0 for no limit (default 100)",
    )
    serve.add_argument(
        "--rate-burst", type=int, metavar="N", help="requests a client may send at once (default 200)"
    )
    serve.add_argument(
        "--watch",
        action="store_true",
        help="reload when the documents (or the snapshot) change; SIGHUP reloads in any case",
    )
    serve.add_argument(
        "--watch-seconds", type=_amount, metavar="S", help="how often --watch looks (default 2)"
    )
    serve.add_argument(
        "--drain-seconds",
        type=int,
        metavar="S",
        help="on SIGTERM, how long requests in flight may take to finish (default 30)",
    )
    serve.set_defaults(run=_serve)
    snapshot = commands.add_parser(
        "snapshot", help="load documents once into a snapshot that serve starts from"
    )
    _add_data_options(snapshot)
    snapshot.add_argument("--output", required=True, help="the snapshot file to write")
    snapshot.set_defaults(run=_snapshot)
    schema = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(run=_schema)
    export = commands.add_parser(
        "export", help="write the graph, or a node's neighborhood, as GraphML, GEXF, Cytoscape JSON or CSV"
    )
    _add_data_options(export)
    export.add_argument("--format", required=True, choices=list(FORMATS), help="the file format")
    export.add_argument(
        "--output", required=True, metavar="PATH", help="the file to write (csv: a zip of CSV files)"
    )
    export.add_argument("--node", metavar="ID", help="export this node's neighborhood (default: whole graph)")
    export.add_argument(
        "--hops", type=_hops, metavar="N", help="with --node: edges away from it, any number (default 1)"
    )
    export.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        default=os.cpu_count() or 1,
        help="processes writing a whole-graph GraphML export (default: one per CPU)",
    )
    export.set_defaults(run=_export)
    synth = commands.add_parser(
        "synth", help="write a synthetic corpus of registry study records (JSON Lines) for benchmarks"
    )
    synth.add_argument("--trials", type=int, required=True, metavar="N", help="how many trials")
    synth.add_argument(
        "--seed", type=int, default=0, metavar="S", help="the same seed writes the same bytes (default 0)"
    )
    synth.add_argument("--output", required=True, metavar="PATH", help="the .jsonl file to write")
    synth.add_argument(
        "--sites-per-trial",
        type=float,
        default=6.0,
        metavar="AVG",
        help="average sites per trial, most having one (default 6, as the registry)",
    )
    synth.add_argument("-q", "--quiet", action="store_true", help="no progress on standard error")
    synth.set_defaults(run=_synth)
    return main


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    err = err or sys.stderr
    try:
        return int(args.run(args, out or sys.stdout, err))
    except SettingsError as error:
        err.write(f"trialgraph: {error}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
