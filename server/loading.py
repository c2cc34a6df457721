"""What the commands share: their settings (the environment, then the command line) and the
graph those name, loaded or opened with every problem on standard error."""

from __future__ import annotations

import argparse
from typing import TextIO

from graph.build.loading import TrialGraph, load_graph, open_snapshot
from graph.compact.snapshot import SnapshotError
from graph.errors import LoadError
from server.progress import ProgressPrinter
from server.settings import Settings


def progress_printer(args: argparse.Namespace, err: TextIO) -> ProgressPrinter | None:
    return None if args.quiet else ProgressPrinter(err)


def command_settings(args: argparse.Namespace) -> Settings:
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


def load_documents(settings: Settings, args: argparse.Namespace, err: TextIO) -> TrialGraph | None:
    try:
        loaded = load_graph(
            settings.data, skip_invalid=settings.skip_invalid, progress=progress_printer(args, err)
        )
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


def open_snapshot_of(settings: Settings, args: argparse.Namespace, err: TextIO) -> TrialGraph | None:
    """Open the snapshot of ``--snapshot``, checked against ``--data`` when it is given."""
    assert settings.snapshot is not None
    try:
        return open_snapshot(settings.snapshot, settings.data if args.data else None)
    except SnapshotError as error:
        err.write(f"trialgraph: {error}\n")
        return None
