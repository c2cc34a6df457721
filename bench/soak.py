"""Soak: 64 concurrent clients send the contract's operations to ``trialgraph serve`` for minutes.

Run from the repository root (it is not part of the test suite)::

    .venv/bin/python bench/soak.py                           # a 20,000-trial synth corpus, 10 minutes
    .venv/bin/python bench/soak.py --snapshot S --minutes 2  # a snapshot made by `trialgraph snapshot`
    .venv/bin/python bench/soak.py --data DIR --clients 16

It starts the service on 127.0.0.1 (a free port; the rate limit off, since every client has the
same address) from ``--snapshot``, ``--data``, or a synth corpus and snapshot it makes in a
temporary folder (``--trials``, ``--seed``). It picks variables from the loaded data: trials
paged through with ``FindTrials``, then the cards of some of them give conditions, organizations,
investigators, countries, title words and node ids. Each candidate is tried once and one that
answers with an error is left out (a neighborhood over the size limit, say), and counted.

Then ``--clients`` tasks each send one operation after another, chosen by weight, the documents
of ``/work/shared/contract`` verbatim with an ``operationName``, over kept-alive connections,
for a warm-up (``--warmup-seconds``, not measured: caches fill, the snapshot's pages are read in)
and then ``--minutes``. An error is any answer but 200, a body with ``errors``, or a failed
exchange. The server's RSS (``VmRSS`` and ``RssAnon`` of ``/proc/PID/status``) is read at start,
after the warm-up and at the end. It prints a table a window (``--window-seconds``, a minute)
and a JSON summary, and exits 1 unless: no errors, the last window's p99 within 20 % of the
first's, RSS after the warm-up to the end grown by under 5 %. The server is stopped by its PID.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.servers import free_port, running, serve_command

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO.parent / "shared" / "contract"
HOST = "127.0.0.1"  # the load only ever goes here
WEIGHTS = {
    "TrialCard": 30,
    "FindTrials": 20,
    "ConditionTrials": 10,
    "OrganizationTrials": 10,
    "InvestigatorTrials": 8,
    "Refetch": 10,
    "Neighborhood": 8,
    "HowConnected": 4,
}
CANDIDATES_PER_OPERATION = 300
P99_DRIFT = 0.20
RSS_GROWTH = 0.05


@dataclass
class Window:
    """What one window of the measured run saw."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0


@dataclass
class Tally:
    windows: list[Window]
    by_operation: dict[str, Window] = field(default_factory=dict)
    first_errors: list[str] = field(default_factory=list)


# ---- the server


def _rss(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``RssAnon`` of a process, in kB, and the CPU time it has used, in ms."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon"):
            found[name] = int(value.split()[0])
    user, system = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13]
    found["cpu_ms"] = (int(user) + int(system)) * 1000 // os.sysconf("SC_CLK_TCK")
    return found


def _synth_snapshot(folder: Path, trials: int, seed: int) -> Path:
    corpus, snapshot = folder / f"synth-{trials}-{seed}.jsonl", folder / f"synth-{trials}-{seed}.snapshot"
    trialgraph = [sys.executable, "-m", "server.cli"]
    print(f"making {trials:,} synth trials (seed {seed}) and a snapshot in {folder}", file=sys.stderr)
    subprocess.run(
        [*trialgraph, "synth", "-q", "--trials", str(trials), "--seed", str(seed), "--output", str(corpus)],
        cwd=REPO,
        check=True,
    )
    subprocess.run(
        [*trialgraph, "snapshot", "-q", "--data", str(corpus), "--output", str(snapshot)],
        cwd=REPO,
        check=True,
    )
    corpus.unlink()
    return snapshot


# ---- the operations and their variables


def contract_documents(folder: Path) -> dict[str, str]:
    """The document to send for each operation name: the whole file that declares it."""
    documents = {}
    for path in sorted(folder.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"^query (\w+)", text, flags=re.MULTILINE):
            documents[name] = text
    missing = set(WEIGHTS) - set(documents)
    if missing:
        raise SystemExit(f"{folder}: no operation {', '.join(sorted(missing))}")
    return documents


async def _ask(
    client: httpx.AsyncClient, url: str, documents: dict[str, str], name: str, variables: dict[str, Any]
) -> dict[str, Any]:
    params = {"query": documents[name], "operationName": name, "variables": variables}
    response = await client.post(url, json=params)
    answer: dict[str, Any] = response.json()
    if response.status_code != 200 or answer.get("errors"):
        raise RuntimeError(f"{name} {json.dumps(variables)}: {response.status_code} {answer.get('errors')}")
    data: dict[str, Any] = answer["data"]
    return data


async def pick_variables(
    client: httpx.AsyncClient, url: str, documents: dict[str, str], sample: int, rng: random.Random
) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """Variables for each operation from the loaded data, each tried once; and how many were left out."""
    nct_ids: list[str] = []
    after = None
    while len(nct_ids) < sample:
        page = (await _ask(client, url, documents, "FindTrials", {"first": 100, "after": after}))["trials"]
        nct_ids += [node["nctId"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    cards = [
        (await _ask(client, url, documents, "TrialCard", {"nctId": nct_id}))["trial"]
        for nct_id in rng.sample(nct_ids, min(len(nct_ids), 200))
    ]
    conditions = sorted({c["name"] for card in cards for c in card["conditions"]})
    sponsors = sorted({e["node"]["name"] for card in cards for e in card["sponsors"]["edges"]})
    people = sorted({e["node"]["name"] for card in cards for e in card["investigators"]["edges"]})
    countries = sorted({e["node"]["country"] for card in cards for e in card["sites"]["edges"]} - {None})
    words = sorted({w for card in cards for w in re.findall(r"[A-Za-z]{5,}", card["title"] or "")})
    statuses = sorted({card["status"] for card in cards if card["status"]})
    phases = sorted({phase for card in cards for phase in card["phases"]})
    trial_ids = [card["id"] for card in cards]
    node_ids = trial_ids + [
        e["node"]["id"] for card in cards for key in ("sponsors", "sites") for e in card[key]["edges"]
    ]
    node_ids += [c["id"] for card in cards for c in card["conditions"]]
    filters: list[dict[str, Any]] = [
        *({"condition": name} for name in conditions),
        *({"sponsor": name} for name in sponsors),
        *({"country": name} for name in countries),
        *({"text": word} for word in words),
        *({"status": status} for status in statuses),
        *({"phase": phase, "status": status} for phase in phases for status in statuses),
    ]
    candidates: dict[str, list[dict[str, Any]]] = {
        "TrialCard": [{"nctId": nct_id} for nct_id in nct_ids],
        "FindTrials": [{"filter": f, "first": rng.choice((10, 20, 50, 100))} for f in filters],
        "ConditionTrials": [{"name": name} for name in conditions],
        "OrganizationTrials": [{"name": name} for name in sponsors],
        "InvestigatorTrials": [{"name": name} for name in people],
        "Refetch": [{"id": node_id} for node_id in node_ids],
        "Neighborhood": [{"id": node_id, "hops": 1} for node_id in trial_ids],
        "HowConnected": [{"from": a, "to": b} for a, b in zip(trial_ids, reversed(trial_ids), strict=True)],
    }
    chosen: dict[str, list[dict[str, Any]]] = {}
    left_out = 0
    for name, found in candidates.items():
        rng.shuffle(found)
        chosen[name] = []
        for variables in found[:CANDIDATES_PER_OPERATION]:
            try:
                await _ask(client, url, documents, name, variables)
            except RuntimeError:
                left_out += 1
            else:
                chosen[name].append(variables)
        if not chosen[name]:
            raise SystemExit(f"no variables for {name} answer without errors")
    return chosen, left_out


# ---- the load


async def drive(
    url: str,
    documents: dict[str, str],
    variables: dict[str, list[dict[str, Any]]],
    clients: int,
    warmup: float,
    seconds: float,
    window: float,
    seed: int,
    on_warm: Any,
) -> Tally:
    """``clients`` tasks sending operations for ``warmup`` then ``seconds`` seconds."""
    names = list(WEIGHTS)
    weights = [WEIGHTS[name] for name in names]
    windows = [Window() for _ in range(max(1, round(seconds / window)))]
    tally = Tally(windows)
    started = time.monotonic()
    measured_from = started + warmup
    ends = measured_from + seconds
    warm = asyncio.Event()

    async def client_loop(number: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(seed * 1000 + number)
        while (now := time.monotonic()) < ends:
            if now >= measured_from and not warm.is_set():
                warm.set()
                on_warm()
            name = rng.choices(names, weights)[0]
            params = {
                "query": documents[name],
                "operationName": name,
                "variables": rng.choice(variables[name]),
            }
            sent = time.monotonic()
            error = None
            try:
                response = await client.post(url, json=params)
                if response.status_code != 200:
                    error = f"{name}: HTTP {response.status_code} {response.text[:200]}"
                elif "errors" in (answer := response.json()):
                    error = f"{name}: {json.dumps(answer['errors'])[:300]}"
            except (httpx.HTTPError, ValueError) as failure:
                error = f"{name}: {type(failure).__name__}: {failure}"
            done = time.monotonic()
            if sent < measured_from:
                continue
            slot = windows[min(int((sent - measured_from) / window), len(windows) - 1)]
            operation = tally.by_operation.setdefault(name, Window())
            for seen in (slot, operation):
                seen.latencies.append(done - sent)
                seen.errors += error is not None
            if error is not None and len(tally.first_errors) < 10:
                tally.first_errors.append(error)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        await asyncio.gather(*(client_loop(number, client) for number in range(clients)))
    return tally


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarize(tally: Tally, window: float, rss: dict[str, dict[str, int]], left_out: int) -> dict[str, Any]:
    rows = [
        {
            "window": number + 1,
            "requests": len(slot.latencies),
            "errors": slot.errors,
            "per_second": round(len(slot.latencies) / window, 1),
            "p50_ms": round(1000 * _percentile(slot.latencies, 0.50), 2),
            "p99_ms": round(1000 * _percentile(slot.latencies, 0.99), 2),
        }
        for number, slot in enumerate(tally.windows)
    ]
    requests = sum(row["requests"] for row in rows)
    errors = sum(row["errors"] for row in rows)
    first, last = rows[0]["p99_ms"], rows[-1]["p99_ms"]
    drift = (last - first) / first if first else float("nan")
    measured_seconds = window * len(rows)
    growth = (rss["end"]["VmRSS"] - rss["warm"]["VmRSS"]) / rss["warm"]["VmRSS"]
    anon_growth = (rss["end"]["RssAnon"] - rss["warm"]["RssAnon"]) / rss["warm"]["RssAnon"]
    every = [latency for slot in tally.windows for latency in slot.latencies]
    return {
        "requests": requests,
        "errors": errors,
        "per_second": round(requests / measured_seconds, 1),
        "p50_ms": round(1000 * statistics.median(every), 2) if every else None,
        "p99_ms": round(1000 * _percentile(every, 0.99), 2),
        "windows": rows,
        "window_seconds": window,
        "p99_last_vs_first": round(drift, 4),
        "rss_kb": rss,
        "rss_growth": round(growth, 4),
        "rss_anon_growth": round(anon_growth, 4),
        # The server's CPU time over the measured run, in cores: 1.0 is one core all the time.
        "server_cpu_cores": round(
            (rss["end"]["cpu_ms"] - rss["warm"]["cpu_ms"]) / 1000 / measured_seconds, 2
        ),
        "operations": {
            name: {
                "requests": len(seen.latencies),
                "errors": seen.errors,
                "p50_ms": round(1000 * _percentile(seen.latencies, 0.50), 2),
                "p99_ms": round(1000 * _percentile(seen.latencies, 0.99), 2),
            }
            for name, seen in sorted(tally.by_operation.items())
        },
        "first_errors": tally.first_errors,
        "variables_left_out": left_out,
        "passed": {
            "no_errors": errors == 0,
            "p99_within_20_percent": abs(drift) <= P99_DRIFT,
            "rss_growth_under_5_percent": growth < RSS_GROWTH,
        },
    }


def print_table(summary: dict[str, Any]) -> None:
    print(f"{'window':>10} {'requests':>9} {'errors':>6} {'req/s':>8} {'p50 ms':>9} {'p99 ms':>9}")
    for row in summary["windows"]:
        print(
            f"{row['window']:>10} {row['requests']:>9,} {row['errors']:>6} {row['per_second']:>8,.1f} "
            f"{row['p50_ms']:>9.1f} {row['p99_ms']:>9.1f}"
        )
    print(f"{'operation':>20} {'requests':>9} {'errors':>6} {'p50 ms':>9} {'p99 ms':>9}")
    for name, row in summary["operations"].items():
        print(
            f"{name:>20} {row['requests']:>9,} {row['errors']:>6} {row['p50_ms']:>9.1f} {row['p99_ms']:>9.1f}"
        )
    rss = summary["rss_kb"]
    print(
        f"total {summary['requests']:,} requests, {summary['errors']} errors, "
        f"{summary['per_second']:,.1f}/s; p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms; "
        f"p99 last window vs first {summary['p99_last_vs_first']:+.1%}; "
        f"server CPU {summary['server_cpu_cores']:.2f} cores"
    )
    print(
        f"RSS kB: started {rss['start']['VmRSS']:,}, after warm-up {rss['warm']['VmRSS']:,}, "
        f"end {rss['end']['VmRSS']:,} ({summary['rss_growth']:+.2%}; "
        f"anonymous {summary['rss_anon_growth']:+.2%})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    served = parser.add_mutually_exclusive_group()
    served.add_argument("--snapshot", help="serve this snapshot")
    served.add_argument("--data", action="append", help="serve these documents (repeatable)")
    parser.add_argument("--trials", type=int, default=20_000, help="synth corpus size (default 20,000)")
    parser.add_argument("--seed", type=int, default=1, help="synth seed, and the clients' (default 1)")
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to measure (default 10)")
    parser.add_argument(
        "--warmup-seconds", type=float, default=30.0, help="load before measuring (default 30)"
    )
    parser.add_argument("--window-seconds", type=float, default=60.0, help="p50/p99 per window (default 60)")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients (default 64)")
    parser.add_argument(
        "--sample", type=int, default=2000, help="trials to pick variables from (default 2,000)"
    )
    parser.add_argument("--contract", type=Path, default=CONTRACT, help="folder of the contract operations")
    parser.add_argument("--json", type=Path, help="also write the JSON summary here")
    args = parser.parse_args(argv)
    documents = contract_documents(args.contract)
    with tempfile.TemporaryDirectory(prefix="trialgraph-soak-") as folder:
        if args.snapshot:
            source = ["--snapshot", args.snapshot]
        elif args.data:
            source = [option for path in args.data for option in ("--data", path)]
        else:
            source = ["--snapshot", str(_synth_snapshot(Path(folder), args.trials, args.seed))]
        port = free_port()
        try:
            with running([*serve_command(port), *source], port, Path(folder) / "server.log", 600) as server:
                rss = {"start": _rss(server.pid)}
                summary = asyncio.run(_run(args, server.url + "/graphql", documents, server.pid, rss))
        except RuntimeError as error:  # the server stopped or never answered: its log says why
            raise SystemExit(str(error)) from None
    print_table(summary)
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if all(summary["passed"].values()) else 1


async def _run(
    args: argparse.Namespace, url: str, documents: dict[str, str], pid: int, rss: dict[str, dict[str, int]]
) -> dict[str, Any]:
    rng = random.Random(args.seed)
    async with httpx.AsyncClient(timeout=60) as client:
        variables, left_out = await pick_variables(client, url, documents, args.sample, rng)
    counts = ", ".join(f"{name} {len(found)}" for name, found in variables.items())
    print(f"variables: {counts}; {left_out} left out for errors", file=sys.stderr)
    tally = await drive(
        url,
        documents,
        variables,
        args.clients,
        args.warmup_seconds,
        args.minutes * 60,
        args.window_seconds,
        args.seed,
        lambda: rss.update(warm=_rss(pid)),
    )
    rss["end"] = _rss(pid)
    rss.setdefault("warm", rss["start"])
    return summarize(tally, args.window_seconds, rss, left_out)


if __name__ == "__main__":
    sys.exit(main())
