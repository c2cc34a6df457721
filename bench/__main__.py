"""``python -m bench``: every figure of issue 6 measured beside its baseline, in one run.

Prints a table and a JSON summary (stdout); progress goes to stderr. ``--quick`` is a small
smoke run (a few hundred trials, short measurements): its figures only show that everything
runs. See :mod:`bench.suite` for what is measured in which order, and the README's Performance
section for how to read the table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.figures import print_table
from bench.suite import Options, run_suite

QUICK_TRIALS = 300


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    main.add_argument(
        "--trials", type=int, help="trials in the synthetic corpus (default 20,000; 300 with --quick)"
    )
    main.add_argument("--corpus", type=Path, help="use this corpus (JSON Lines) instead of making one")
    main.add_argument(
        "--work", type=Path, help="folder for the corpus, snapshot and logs (default: temporary)"
    )
    main.add_argument("--quick", action="store_true", help="a small, short smoke run")
    main.add_argument(
        "--seed", type=int, default=1, help="of the synthetic corpus and the workload (default 1)"
    )
    main.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients (default 16)")
    main.add_argument("--seconds", type=float, default=5.0, help="measured seconds per HTTP run (default 5)")
    main.add_argument(
        "--workers", type=int, default=1, help="worker processes of trialgraph serve (default 1)"
    )
    main.add_argument(
        "--registry",
        action="store_true",
        help="at registry scale: no networkx baseline (standard execution and this run's ingest instead)",
    )
    main.add_argument("--json", type=Path, help="also write the JSON summary here")
    return main


def main() -> int:
    args = parser().parse_args()
    trials = args.trials or (QUICK_TRIALS if args.quick else 20_000)
    options = Options(
        trials=trials,
        corpus=args.corpus,
        work=args.work,
        quick=args.quick,
        seed=args.seed,
        clients=args.clients,
        seconds=args.seconds,
        workers=args.workers,
        registry=args.registry,
    )
    figures, summary = run_suite(options)
    corpus = summary["corpus"]
    sys.stdout.write(
        f"trialgraph benchmark: {corpus['trials']:,} trials ({corpus['nodes']:,} nodes, {corpus['edges']:,} "
        f"edges), {summary['machine']['cpus']} CPUs, {summary['seconds']:,.0f} s\n"
    )
    print_table(figures, sys.stdout)
    text = json.dumps(summary, indent=2)
    sys.stdout.write(text + "\n")
    if args.json is not None:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
