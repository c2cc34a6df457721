"""The commands that ask ClinicalTrials.gov: ``fetch`` (studies into a JSON Lines file) and ``sync``
(that file brought up to date), with the options they share."""

from __future__ import annotations

import argparse
from datetime import date

from server import fetch as fetching
from server import sync as syncing
from server.arguments import amount, count
from server.registry_api import MAX_PAGE_SIZE, NCT_ID
from server.registry_query import STATUSES


def _page_size(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PAGE_SIZE):
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {MAX_PAGE_SIZE}, got {text!r}")
    return int(text)


def _status(text: str) -> str:
    status = text.strip().upper().replace(" ", "_").replace(",", "")
    if status not in STATUSES:
        raise argparse.ArgumentTypeError(f"{text!r} is not a registry status; one of {', '.join(STATUSES)}")
    return status


def _nct_id(text: str) -> str:
    if not NCT_ID.fullmatch(text.strip().upper()):
        raise argparse.ArgumentTypeError(f"{text!r} is not an NCT ID ('NCT' and 8 digits)")
    return text.strip().upper()


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _add_registry_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--base-url",
        metavar="URL",
        help="the API v2 to ask, a mirror or a test server (default https://clinicaltrials.gov/api/v2)",
    )
    command.add_argument(
        "--rate", type=amount, metavar="R", help="requests a second at most, 0 for no limit (default 1)"
    )
    command.add_argument(
        "--retries",
        type=count,
        metavar="N",
        help="tries again after 429, 5xx or a lost connection (default 5)",
    )
    command.add_argument(
        "--backoff",
        type=amount,
        metavar="S",
        help="the first wait without Retry-After, doubling (default 1)",
    )
    command.add_argument("--max-wait", type=amount, metavar="S", help="the longest single wait (default 120)")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress on standard error")


def add_registry_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fetch = commands.add_parser(
        "fetch", help="fetch studies from ClinicalTrials.gov (API v2) into a JSON Lines file"
    )
    fetch.add_argument("--output", required=True, metavar="FILE.jsonl", help="the file to write")
    fetch.add_argument("--cond", metavar="TEXT", help="conditions or disease (query.cond)")
    fetch.add_argument("--term", metavar="TEXT", help="other terms, anywhere in the record (query.term)")
    fetch.add_argument("--intr", metavar="TEXT", help="intervention or treatment (query.intr)")
    fetch.add_argument("--spons", metavar="TEXT", help="sponsor or collaborator (query.spons)")
    fetch.add_argument(
        "--status",
        action="append",
        type=_status,
        metavar="S",
        help="overall status, e.g. RECRUITING (repeatable; filter.overallStatus)",
    )
    fetch.add_argument(
        "--nct", action="append", type=_nct_id, metavar="ID", help="an NCT ID (repeatable; filter.ids)"
    )
    fetch.add_argument(
        "--updated-since",
        type=_day,
        metavar="DATE",
        help="last update posted on DATE (YYYY-MM-DD) or later (filter.advanced)",
    )
    fetch.add_argument("--all", action="store_true", help="the whole registry")
    fetch.add_argument(
        "--page-size",
        type=_page_size,
        default=MAX_PAGE_SIZE,
        metavar="N",
        help=f"studies a request (default {MAX_PAGE_SIZE}, the most the registry gives)",
    )
    _add_registry_options(fetch)
    fetch.set_defaults(run=fetching.fetch)
    sync = commands.add_parser(
        "sync", help="bring a file fetch wrote up to date: updated studies replaced, new ones added"
    )
    sync.add_argument("--data", required=True, metavar="FILE.jsonl", help="the file fetch wrote")
    _add_registry_options(sync)
    sync.set_defaults(run=syncing.sync)
