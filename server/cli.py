"""The ``trialgraph`` command: check documents, serve the graph, print the schema, export, audit,
fetch studies from ClinicalTrials.gov and keep them in sync."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from graph.build.loading import save_snapshot
from graph.errors import UnknownNodeError
from graph.export import FORMATS, export_file, select
from graph.query.audit import audit
from graph.read.records import load_records
from server import arguments
from server import serve as serving
from server.audit_report import audit_json, audit_text
from server.loading import command_settings, load_documents, open_snapshot_of, progress_printer
from server.progress import WritingProgress
from server.registry_commands import add_registry_commands
from server.runtime import tune_collector
from server.settings import SettingsError


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Validate documents: one line per problem, exit 1 if any is an error."""
    loaded = load_records(args.paths, skip_invalid=True, progress=progress_printer(args, err))
    for problem in loaded.problems:
        out.write(f"{problem}\n")
    errors = sum(problem.is_error for problem in loaded.problems)
    warnings = len(loaded.problems) - errors
    err.write(f"{len(loaded.records):,} trial(s) loaded; {errors} error(s), {warnings} warning(s)\n")
    return 1 if errors else 0


def _snapshot(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load documents once and write the snapshot ``serve --snapshot`` starts from."""
    settings = command_settings(args)
    started = time.monotonic()
    loaded = load_documents(settings, args, err)
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
    settings = command_settings(args)
    loaded = load_documents(settings, args, err)
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


def _audit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Count how the documents' mentions were merged into nodes, per kind, with the nodes of most
    spellings and the biggest hubs (:mod:`graph.query.audit`)."""
    settings = command_settings(args)
    if settings.snapshot is not None:
        loaded = open_snapshot_of(settings, args, err)
    else:
        loaded = load_documents(settings, args, err)
    if loaded is None:
        return 1
    started = time.monotonic()
    found = audit(loaded.graph, args.top)
    out.write(audit_json(found) if args.json else audit_text(found))
    out.flush()  # the report before the line on standard error
    if not args.quiet:
        err.write(
            f"audited {found.trials:,} trials ({found.nodes:,} nodes) in {time.monotonic() - started:.1f} s\n"
        )
    return 0


def _synth(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write a synthetic corpus of registry records for benchmarks; one seed, one set of bytes."""
    from graph.synth import CorpusSpec, ProgressLine, SynthError, write_corpus

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
        type=arguments.amount,
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
        "--watch-seconds", type=arguments.amount, metavar="S", help="how often --watch looks (default 2)"
    )
    serve.add_argument(
        "--drain-seconds",
        type=int,
        metavar="S",
        help="on SIGTERM, how long requests in flight may take to finish (default 30)",
    )
    serve.add_argument(
        "--sync-every",
        type=arguments.amount,
        metavar="HOURS",
        help="sync the --data file fetch wrote with the registry every HOURS, then reload (default never)",
    )
    serve.add_argument("--base-url", metavar="URL", help="the registry --sync-every asks (as fetch)")
    serve.set_defaults(run=serving.serve)
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
        "--hops",
        type=arguments.count,
        metavar="N",
        help="with --node: edges away from it, any number (default 1)",
    )
    export.add_argument(
        "--jobs",
        type=arguments.jobs,
        metavar="N",
        default=os.cpu_count() or 1,
        help="processes writing a whole-graph GraphML export (default: one per CPU)",
    )
    export.set_defaults(run=_export)
    audit_command = commands.add_parser(
        "audit", help="count how mentions were merged into nodes: per kind, most spellings, biggest hubs"
    )
    _add_data_options(audit_command)
    audit_command.add_argument(
        "--snapshot",
        metavar="FILE",
        help="audit this snapshot (`trialgraph snapshot`) instead of loading documents",
    )
    audit_command.add_argument(
        "--top", type=arguments.count, default=10, metavar="N", help="nodes in each list (default 10)"
    )
    audit_command.add_argument("--json", action="store_true", help="print JSON instead of the report")
    audit_command.set_defaults(run=_audit)
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
    add_registry_commands(commands)
    return main


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    err = err or sys.stderr
    tune_collector()  # loading and serving alike
    try:
        return int(args.run(args, out or sys.stdout, err))
    except SettingsError as error:
        err.write(f"trialgraph: {error}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
