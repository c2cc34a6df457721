"""Reloading while serving: SIGHUP and ``--watch`` build the new graph beside the old one and swap it
in whole; broken data keeps the old graph serving and says why, in ``/health`` and on stderr."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.servers import free_port, running
from graph.build.loading import TrialGraph, load_graph
from graph.synth import CorpusSpec, write_corpus
from server.reload import GraphHolder, Reloader, ReloadError
from tests.live import LiveServer
from tests.paths import CTGOV, REPO, SEED_PAGE, SEEDS

SEED_ID = "NCT05697718"
CTGOV_FILES = sorted(CTGOV.glob("*.json"))
STATS = {"query": "{ stats { trials } }"}


# ---- a live server whose output is kept in a file (also used by test_drain and test_hostile)


@dataclass(frozen=True)
class Served:
    server: LiveServer
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(
    *args: str, log: Path, cwd: Path = REPO, env: Mapping[str, str] | None = None, start_seconds: float = 120
) -> Iterator[Served]:
    """``trialgraph serve ARGS`` on 127.0.0.1 with stdout and stderr in ``log``; stopped by its PID."""
    port = free_port()
    command = [sys.executable, "-m", "server.cli", "serve", "-q", "--host", "127.0.0.1", "--port", str(port)]
    log.unlink(missing_ok=True)
    with running([*command, *args], port, log, start_seconds, cwd=cwd, env=env) as server:
        yield Served(LiveServer(server.url, server.pid), server.process, log)


def until(check: Callable[[], Any], seconds: float = 60, what: str = "the condition") -> Any:
    """Poll ``check`` until it returns something true; that value."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {seconds} s")
        time.sleep(0.05)


def health(served: Served) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(f"{served.server.url}/health", timeout=10).json()
    return answer


def trials(served: Served) -> int:
    answer = httpx.post(served.server.graphql, json=STATS, timeout=10).json()
    return int(answer["data"]["stats"]["trials"])


def _seed_folder(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(SEED_PAGE, folder / SEED_PAGE.name)
    return folder


def _reloaded(served: Served, count: int) -> Callable[[], dict[str, Any] | None]:
    """A check: the reload that gave ``count`` is done."""

    def check() -> dict[str, Any] | None:
        answer = health(served)
        return answer if answer.get("reload") and answer["trials"] == count else None

    return check


def _failed_reload(served: Served) -> Callable[[], dict[str, Any] | None]:
    def check() -> dict[str, Any] | None:
        answer = health(served)
        return answer if answer.get("reload") and not answer["reload"]["ok"] else None

    return check


# ---- SIGHUP


def test_sighup_reloads_the_documents_and_health_tells(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    with serving("--data", str(data), log=tmp_path / "server.log") as served:
        before = health(served)
        assert set(before) == {"status", "trials", "dataVersion"}  # no reload yet
        shutil.copy(CTGOV_FILES[0], data)
        os.kill(served.server.pid, signal.SIGHUP)
        after = until(_reloaded(served, 2), what="the reload")
        assert trials(served) == 2
        query = {"query": f'{{ trial(nctId: "{CTGOV_FILES[0].stem}") {{ nctId }} }}'}
        found = httpx.post(served.server.graphql, json=query).json()
    assert found == {"data": {"trial": {"nctId": CTGOV_FILES[0].stem}}}
    assert after["dataVersion"] != before["dataVersion"]
    reload = after["reload"]
    assert (reload["trigger"], reload["ok"], reload["problems"], reload["problemCount"]) == (
        "SIGHUP",
        True,
        [],
        0,
    )
    assert reload["at"].endswith("+00:00")
    assert "trialgraph: reloaded (SIGHUP) in " in served.output()
    assert "serving 2 trials, dataVersion " in served.output()


def test_a_reload_of_broken_documents_keeps_the_old_graph_and_says_why(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    with serving("--data", str(data), log=tmp_path / "server.log") as served:
        version = health(served)["dataVersion"]
        (data / "broken.json").write_text('{"protocolSection": {"identificationModule": {"nctId": "NCT1"}}}')
        shutil.copy(CTGOV_FILES[0], data)  # a good document beside it does not get in either
        os.kill(served.server.pid, signal.SIGHUP)
        after = until(_failed_reload(served), what="the failed reload")
        answers = trials(served)
        (data / "broken.json").unlink()
        os.kill(served.server.pid, signal.SIGHUP)  # fixed: the next reload serves the new data
        fixed = until(_reloaded(served, 2), what="the reload after the fix")
    nct_id = "$.protocolSection.identificationModule.nctId"
    problem = f"{data / 'broken.json'}: {nct_id}: 'NCT1' is not 'NCT' and 8 digits"
    refusal = "the documents did not load; fix them or pass --skip-invalid"
    assert (after["trials"], after["dataVersion"], answers) == (1, version, 1)
    assert after["reload"]["trigger"] == "SIGHUP"
    assert after["reload"]["problems"] == [problem, refusal]
    assert fixed["reload"]["ok"] is True
    output = served.output()
    assert (
        f"{problem}\n{refusal}\n"
        f"trialgraph: reload (SIGHUP) failed; still serving 1 trials, dataVersion {version}\n" in output
    )
    assert "Traceback" not in output


def test_with_skip_invalid_a_reload_leaves_out_broken_documents(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    with serving("--data", str(data), "--skip-invalid", log=tmp_path / "server.log") as served:
        (data / "broken.json").write_text('{"protocolSection": {"identificationModule": {"nctId": "NCT1"}}}')
        shutil.copy(CTGOV_FILES[0], data)
        os.kill(served.server.pid, signal.SIGHUP)
        after = until(_reloaded(served, 2), what="the reload")
    assert after["reload"]["ok"] is True
    assert after["reload"]["problemCount"] == 1
    assert after["reload"]["problems"][0].startswith(f"{data / 'broken.json'}: ")


# ---- --watch


def test_watch_reloads_when_documents_change(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    args = ("--data", str(data), "--watch", "--watch-seconds", "0.2")
    with serving(*args, log=tmp_path / "server.log") as served:
        shutil.copy(CTGOV_FILES[0], data)
        added = until(_reloaded(served, 2), what="the reload after a document was added")
        (data / CTGOV_FILES[0].name).unlink()
        removed = until(_reloaded(served, 1), what="the reload after a document was removed")
        time.sleep(1)  # nothing changes: no more reloads
        quiet = health(served)
    assert added["reload"]["trigger"] == removed["reload"]["trigger"] == "watch"
    assert quiet["reload"]["at"] == removed["reload"]["at"]
    assert served.output().count("trialgraph: reloaded (watch)") == 2


def test_watch_tries_broken_documents_once_until_they_change(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    args = ("--data", str(data), "--watch", "--watch-seconds", "0.2")
    with serving(*args, log=tmp_path / "server.log") as served:
        (data / "broken.json").write_text("{")
        failed = until(_failed_reload(served), what="the failed reload")
        time.sleep(1.5)
        assert health(served)["reload"]["at"] == failed["reload"]["at"]
        (data / "broken.json").unlink()
        shutil.copy(CTGOV_FILES[0], data)
        fixed = until(_reloaded(served, 2), what="the reload after the fix")
    assert failed["trials"] == 1 and failed["reload"]["trigger"] == "watch"
    assert failed["reload"]["problems"][0].startswith(f"{data / 'broken.json'}:")
    assert fixed["reload"]["ok"] is True
    assert served.output().count("reload (watch) failed") == 1


# ---- snapshots


def _snapshot(data: Path | str, output: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "server.cli", "snapshot", "-q", "--data", str(data), "--output", str(output)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )


def test_sighup_reopens_the_snapshot_and_a_damaged_one_is_refused(tmp_path: Path) -> None:
    snapshot = tmp_path / "graph.snapshot"
    _snapshot(SEEDS, snapshot)
    with serving("--snapshot", str(snapshot), log=tmp_path / "server.log") as served:
        _snapshot(CTGOV, snapshot)
        os.kill(served.server.pid, signal.SIGHUP)
        until(_reloaded(served, 14), what="the reload of the new snapshot")
        snapshot.write_bytes(b"not a snapshot")
        os.kill(served.server.pid, signal.SIGHUP)
        refused = until(_failed_reload(served), what="the refused snapshot")
        answers = trials(served)
    assert (refused["trials"], answers) == (14, 14)
    assert refused["reload"]["problems"] == [f"{snapshot}: not a trialgraph snapshot"]


def _replaced_mappings(pid: int, snapshot: Path) -> int:
    """How many snapshots the server still maps that were replaced at ``snapshot``'s path."""
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return len({line.split()[4] for line in lines if line.endswith(f"{snapshot} (deleted)")})


def test_a_reload_frees_the_graph_it_replaced(tmp_path: Path) -> None:
    # The server's heap is frozen out of the collector while it serves (server.runtime); a swap
    # thaws it and collects the old graph, whose store holds cycles. Each snapshot replaced at the
    # path is unmapped once the next serves.
    snapshot = tmp_path / "graph.snapshot"
    _snapshot(SEEDS, snapshot)
    with serving("--snapshot", str(snapshot), log=tmp_path / "server.log") as served:
        for data, count in ((CTGOV, 14), (SEEDS, 1), (CTGOV, 14)):
            _snapshot(data, snapshot)  # written beside it, then renamed over it
            os.kill(served.server.pid, signal.SIGHUP)
            until(_reloaded(served, count), what=f"the reload of {count} trials")
            assert trials(served) == count
        until(
            lambda: _replaced_mappings(served.server.pid, snapshot) == 0,
            seconds=10,
            what="the old graphs freed",
        )


def test_watch_follows_the_snapshot_file(tmp_path: Path) -> None:
    snapshot = tmp_path / "graph.snapshot"
    _snapshot(SEEDS, snapshot)
    args = ("--snapshot", str(snapshot), "--watch", "--watch-seconds", "0.2")
    with serving(*args, log=tmp_path / "server.log") as served:
        _snapshot(CTGOV, snapshot)  # written beside it, then renamed over it
        after = until(_reloaded(served, 14), what="the reload of the new snapshot")
    assert after["reload"]["trigger"] == "watch"


def test_a_snapshot_checked_against_documents_is_refused_once_they_differ(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    snapshot = tmp_path / "graph.snapshot"
    _snapshot(data, snapshot)
    with serving("--snapshot", str(snapshot), "--data", str(data), log=tmp_path / "server.log") as served:
        shutil.copy(CTGOV_FILES[0], data)  # the documents changed, the snapshot not yet
        os.kill(served.server.pid, signal.SIGHUP)
        refused = until(_failed_reload(served), what="the refused snapshot")
        _snapshot(data, snapshot)
        os.kill(served.server.pid, signal.SIGHUP)
        until(_reloaded(served, 2), what="the reload of the remade snapshot")
    assert refused["trials"] == 1
    assert refused["reload"]["problems"][0].startswith(f"{snapshot}: made from other documents")


# ---- serving while reloading


@pytest.fixture(scope="module")
def synth_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus that takes a few seconds to load."""
    output = tmp_path_factory.mktemp("synth") / "synth.jsonl"
    write_corpus(CorpusSpec(1500, 7), output)
    return output


def test_requests_are_answered_while_the_new_graph_is_built(tmp_path: Path, synth_corpus: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(synth_corpus, data / "synth.jsonl")
    with serving("--data", str(data), log=tmp_path / "server.log") as served:
        shutil.copy(SEED_PAGE, data)
        os.kill(served.server.pid, signal.SIGHUP)
        slowest, answered = 0.0, 0
        while True:
            started = time.monotonic()
            count = trials(served)
            slowest = max(slowest, time.monotonic() - started)
            if "reload" in health(served):  # swapped, maybe before the count was asked
                break
            assert count == 1500  # the old graph, while the new one is built
            answered += 1
        assert trials(served) == 1501
    assert answered >= 10, "the reload was too quick to see requests answered meanwhile"
    assert slowest < 2.0


def test_each_answer_comes_from_one_graph_while_graphs_are_swapped(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    query = {"query": f'{{ stats {{ trials }} trial(nctId: "{CTGOV_FILES[0].stem}") {{ nctId }} }}'}
    seen: set[str] = set()
    failures: list[str] = []
    # No rate limit: four clients asking as fast as they can.
    with serving("--data", str(data), "--rate-limit", "0", log=tmp_path / "server.log") as served:
        stop = threading.Event()

        def ask() -> None:
            with httpx.Client(timeout=10) as client:
                while not stop.is_set():
                    response = client.post(served.server.graphql, json=query)
                    answer = response.json()
                    if response.status_code != 200 or "errors" in answer:
                        failures.append(response.text)
                    else:
                        seen.add(repr(answer["data"]))

        askers = [threading.Thread(target=ask) for _ in range(4)]
        for asker in askers:
            asker.start()
        try:
            for number in range(6):
                if number % 2 == 0:
                    shutil.copy(CTGOV_FILES[0], data)
                else:
                    (data / CTGOV_FILES[0].name).unlink()
                os.kill(served.server.pid, signal.SIGHUP)
                until(_reloaded(served, 2 if number % 2 == 0 else 1), what=f"reload {number}")
                time.sleep(0.2)
        finally:
            stop.set()
            for asker in askers:
                asker.join()
    assert failures == []
    # A trial and the count always from the same graph: never 1 trial with the new trial found.
    assert seen == {
        repr({"stats": {"trials": 1}, "trial": None}),
        repr({"stats": {"trials": 2}, "trial": {"nctId": CTGOV_FILES[0].stem}}),
    }


def test_the_graphiql_page_follows_the_reloaded_graph(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    with serving("--data", str(data), log=tmp_path / "server.log") as served:
        page = httpx.get(served.server.graphql, headers={"Accept": "text/html"}).text
        (data / SEED_PAGE.name).unlink()
        shutil.copy(CTGOV_FILES[0], data)
        os.kill(served.server.pid, signal.SIGHUP)
        until(_reloaded(served, 1), what="the reload")
        reloaded = httpx.get(served.server.graphql, headers={"Accept": "text/html"}).text
    assert SEED_ID in page and CTGOV_FILES[0].stem not in page
    assert CTGOV_FILES[0].stem in reloaded and SEED_ID not in reloaded


# ---- worker processes


def _answers(served: Served, times: int = 20) -> set[int]:
    return {trials(served) for _ in range(times)}


def test_workers_restart_on_the_rebuilt_snapshot_and_not_on_broken_data(tmp_path: Path) -> None:
    data = _seed_folder(tmp_path / "data")
    with serving("--data", str(data), "--workers", "2", log=tmp_path / "server.log") as served:
        assert _answers(served) == {1}
        shutil.copy(CTGOV_FILES[0], data)
        os.kill(served.server.pid, signal.SIGHUP)
        until(lambda: _answers(served) == {2}, what="every worker serving the new data")
        (data / "broken.json").write_text("{")
        os.kill(served.server.pid, signal.SIGHUP)
        until(lambda: "reload (SIGHUP) failed" in served.output(), what="the failed reload")
        time.sleep(1)
        kept = _answers(served)
        os.kill(served.server.pid, signal.SIGTERM)
        served.process.wait(timeout=30)
    assert kept == {2}
    assert served.process.returncode == 0
    assert served.output().count("trialgraph: restarting 2 worker(s)") == 1
    assert "Traceback" not in served.output()


# ---- the holder and the reloader, in process


@pytest.fixture(scope="module")
def seed_graph() -> TrialGraph:
    return load_graph([SEEDS])


def test_a_swap_moves_the_generation_and_tells_the_listeners(seed_graph: TrialGraph) -> None:
    holder = GraphHolder(seed_graph)
    told: list[int] = []
    holder.on_swap(lambda: told.append(holder.served()[0]))
    other = load_graph([SEEDS])
    holder.swap(other)
    assert (holder.served(), holder.current, told) == ((1, other), other, [1])


def test_a_failed_reload_keeps_the_graph_and_records_why(seed_graph: TrialGraph) -> None:
    def broken() -> TrialGraph:
        raise ReloadError(["a.json: broken", "b.json: broken too"])

    holder, log = GraphHolder(seed_graph), io.StringIO()
    outcome = Reloader(holder, broken, log).reload("SIGHUP")
    assert (outcome.ok, outcome.problems, holder.current, holder.last_reload) == (
        False,
        ("a.json: broken", "b.json: broken too"),
        seed_graph,
        outcome,
    )
    assert log.getvalue().splitlines() == [
        "a.json: broken",
        "b.json: broken too",
        f"trialgraph: reload (SIGHUP) failed; still serving 1 trials, dataVersion {seed_graph.version}",
    ]


def test_an_unexpected_failure_is_shown_whole_and_the_graph_kept(seed_graph: TrialGraph) -> None:
    def faulty() -> TrialGraph:
        raise ZeroDivisionError("a bug")

    holder, log = GraphHolder(seed_graph), io.StringIO()
    outcome = Reloader(holder, faulty, log).reload("SIGHUP")
    assert (outcome.ok, outcome.problems, holder.current) == (
        False,
        ("ZeroDivisionError: a bug",),
        seed_graph,
    )
    assert "Traceback" in log.getvalue()


def test_the_reloader_thread_answers_requests_and_fingerprint_changes(seed_graph: TrialGraph) -> None:
    fingerprints = ["a"]
    loads: list[str] = []

    def load() -> TrialGraph:
        loads.append(fingerprints[0])
        return load_graph([SEEDS])

    holder = GraphHolder(seed_graph)
    reloader = Reloader(
        holder,
        load,
        io.StringIO(),
        fingerprint=lambda: fingerprints[0],
        loaded_fingerprint="a",
        interval=0.02,
    )
    reloader.start()
    try:
        time.sleep(0.2)
        assert loads == []  # nothing changed
        fingerprints[0] = "b"
        until(lambda: holder.served()[0] == 1, seconds=10, what="the watch reload")
        reloader.request("SIGHUP")
        until(lambda: holder.served()[0] == 2, seconds=10, what="the requested reload")
    finally:
        reloader.stop()
    assert loads == ["b", "b"]
    assert holder.last_reload is not None and holder.last_reload.trigger == "SIGHUP"
