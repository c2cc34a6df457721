"""The ``trialgraph`` command: check documents, serve the graph, print the schema."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from graph.load import load_records
from server.progress import ProgressPrinter


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Validate documents: one line per problem, exit 1 if any is an error."""
    loaded = load_records(args.paths, skip_invalid=True, progress=_progress(args, err))
    for problem in loaded.problems:
        out.write(f"{problem}\n")
    errors = sum(problem.is_error for problem in loaded.problems)
    warnings = len(loaded.problems) - errors
    err.write(f"{len(loaded.records):,} trials loaded; {errors} error(s), {warnings} warning(s)\n")
    return 1 if errors else 0


def _progress(args: argparse.Namespace, err: TextIO) -> ProgressPrinter | None:
    return None if args.quiet else ProgressPrinter(err)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="trialgraph", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate trial documents (pages, registry JSON, zips)")
    check.add_argument("paths", nargs="+", help="files or directories (read recursively)")
    check.add_argument("-q", "--quiet", action="store_true", help="no progress on standard error")
    check.set_defaults(run=_check)
    return main


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args, out or sys.stdout, err or sys.stderr))


if __name__ == "__main__":
    sys.exit(main())
