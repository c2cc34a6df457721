"""`trialgraph sync` and `serve --sync-every` against the API double (tests/apidouble.py): the
double changes 10 records and adds 5, the file takes them in whole, and a server watching the
file (or syncing it itself) answers the new values; a sync that fails leaves the file, and the
served graph, as they were."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

from tests.apidouble import ApiDouble
from tests.paths import REPO
from tests.server.test_fetch import STUDIES, condition_words, fetch, nct_ids, trialgraph, written
from tests.server.test_reload import Served, health, serving, until


def day_before_newest(studies: Iterable[dict[str, Any]]) -> str:
    """What a sync asks from: the newest lastUpdatePostDate of ``studies`` less a day."""
    newest = max(
        study["protocolSection"].get("statusModule", {}).get("lastUpdatePostDateStruct", {}).get("date", "")
        for study in studies
    )
    return (date.fromisoformat(newest) - timedelta(days=1)).isoformat()


# The tests that serve the file fetch the trials of one status, so that they load in a second.
SEARCH = ("--status", "NOT_YET_RECRUITING")
SEARCHED = sorted(
    nct_id
    for nct_id, study in STUDIES.items()
    if study["protocolSection"].get("statusModule", {}).get("overallStatus") == "NOT_YET_RECRUITING"
)
SINCE = day_before_newest(STUDIES[nct_id] for nct_id in SEARCHED)
SINCE_ALL = day_before_newest(STUDIES.values())
LATER = (date.fromisoformat(SINCE_ALL) + timedelta(days=4)).isoformat()  # of the double's changes
CHANGED_IDS = SEARCHED[::6][:10]
ADDED_IDS = [f"NCT990000{index:02d}" for index in range(1, 6)]


def sync(double: ApiDouble, data: Path, *args: str) -> tuple[int, str, str]:
    polite = ("--rate", "0", "--backoff", "0.01", "--max-wait", "2", "-q")
    return trialgraph("sync", "--base-url", double.base_url, *polite, "--data", data, *args)


def _posted_later(study: dict[str, Any], nct_id: str, title: str) -> dict[str, Any]:
    study = copy.deepcopy(study)
    protocol = study["protocolSection"]
    protocol["identificationModule"].update(nctId=nct_id, briefTitle=title)
    protocol.setdefault("statusModule", {})["lastUpdatePostDateStruct"] = {"date": LATER, "type": "ACTUAL"}
    return study


def changes() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """10 records updated (a new title, posted later) and 5 added (copies under new NCT IDs)."""
    changed = [_posted_later(STUDIES[nct_id], nct_id, f"Updated title of {nct_id}") for nct_id in CHANGED_IDS]
    sources = SEARCHED[1:6]
    added = [
        _posted_later(STUDIES[source], nct_id, f"Added trial {nct_id}")
        for source, nct_id in zip(sources, ADDED_IDS, strict=True)
    ]
    assert (len(changed), len(added)) == (10, 5)
    return changed, added


def title(served: Served, nct_id: str) -> Any:
    query = {"query": f'{{ trial(nctId: "{nct_id}") {{ title }} }}'}
    return httpx.post(served.server.graphql, json=query, timeout=10).json()


def test_sync_takes_in_the_changes_and_the_watching_server_answers_them(
    double: ApiDouble, tmp_path: Path
) -> None:
    output = tmp_path / "found.jsonl"
    assert fetch(double, output, *SEARCH)[0] == 0
    before = output.read_bytes().splitlines()
    changed, added = changes()
    served_trials, unchanged = len(SEARCHED) + 5, len(SEARCHED) - 10
    args = ("--data", str(output), "--watch", "--watch-seconds", "0.5")
    with serving(*args, log=tmp_path / "server.log") as served:
        assert title(served, CHANGED_IDS[0]) != title_answer(changed[0])
        double.put_records(changed + added)
        code, out, err = sync(double, output)
        assert (code, err) == (0, "")
        assert out == (
            f"synced {output}: 5 added, 10 updated, {unchanged} unchanged (updates posted since {SINCE})\n"
        )
        after = until(
            lambda: (answer := health(served))["trials"] == served_trials and answer, what="the reload"
        )
        titles = [title(served, study_id(study)) for study in (*changed, *added)]
    assert after["reload"]["trigger"] == "watch" and after["reload"]["ok"] is True
    assert titles == [title_answer(study) for study in (*changed, *added)]
    lines = output.read_bytes().splitlines()
    assert nct_ids(written(output)) == [*SEARCHED, *ADDED_IDS]  # replaced in place, added at the end
    by_id = {study_id(study): study for study in (*changed, *added)}
    for line, old, nct_id in zip(lines, [*before, *[b""] * 5], nct_ids(written(output)), strict=True):
        assert orjson.loads(line) == by_id[nct_id] if nct_id in by_id else line == old
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".found.jsonl.query.json",
        "found.jsonl",
        "server.log",
    ]
    assert double.requests()[-1]["params"] == {
        "format": "json",
        "filter.overallStatus": "NOT_YET_RECRUITING",
        "filter.advanced": f"AREA[LastUpdatePostDate]RANGE[{SINCE},MAX]",
        "pageSize": "1000",
        "countTotal": "true",
    }


def study_id(study: dict[str, Any]) -> str:
    found: str = study["protocolSection"]["identificationModule"]["nctId"]
    return found


def title_answer(study: dict[str, Any]) -> dict[str, Any]:
    return {"data": {"trial": {"title": study["protocolSection"]["identificationModule"]["briefTitle"]}}}


def test_a_sync_that_finds_nothing_new_leaves_the_file_untouched(double: ApiDouble, tmp_path: Path) -> None:
    output = tmp_path / "all.jsonl"
    assert fetch(double, output, "--all")[0] == 0
    stat = output.stat()
    code, out, _ = sync(double, output)
    assert (code, out) == (
        0,
        f"synced {output}: 0 added, 0 updated, 880 unchanged (updates posted since {SINCE_ALL})\n",
    )
    assert (output.stat().st_mtime_ns, output.stat().st_ino) == (stat.st_mtime_ns, stat.st_ino)


def test_a_sync_asks_the_search_that_fetched_the_file(double: ApiDouble, tmp_path: Path) -> None:
    asthma = sorted(nct_id for nct_id, study in STUDIES.items() if "asthma" in condition_words(study))
    other = next(nct_id for nct_id, study in STUDIES.items() if "asthma" not in condition_words(study))
    output = tmp_path / "asthma.jsonl"
    assert fetch(double, output, "--cond", "asthma")[0] == 0
    double.put_records(
        [
            _posted_later(STUDIES[asthma[0]], "NCT99000011", "Another asthma trial"),
            _posted_later(STUDIES[other], "NCT99000012", "Not about asthma"),
        ]
    )
    since = day_before_newest(STUDIES[nct_id] for nct_id in asthma)
    assert since < SINCE_ALL
    code, out, _ = sync(double, output)
    assert (code, out) == (
        0,
        f"synced {output}: 1 added, 0 updated, {len(asthma)} unchanged (updates posted since {since})\n",
    )
    assert nct_ids(written(output)) == [*asthma, "NCT99000011"]
    assert double.requests()[-1]["params"]["query.cond"] == "asthma"


def test_a_failed_sync_leaves_the_file_as_it_was(double: ApiDouble, tmp_path: Path) -> None:
    output = tmp_path / "all.jsonl"
    assert fetch(double, output, "--all")[0] == 0
    before = output.read_bytes()
    double.put_records([*changes()[0]])
    double.fault("503", times=100)
    code, out, err = sync(double, output, "--retries", "1")
    assert (code, out) == (1, "")
    assert err.splitlines()[-2:] == [
        f"trialgraph sync: page 1: HTTP 503 Service Unavailable from {double.base_url}/studies; "
        "gave up after 2 tries",
        f"trialgraph sync: {output} is as it was",
    ]
    assert output.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [".all.jsonl.query.json", "all.jsonl"]


def test_a_file_fetch_did_not_write_is_not_synced(double: ApiDouble, tmp_path: Path) -> None:
    output = tmp_path / "all.jsonl"
    output.write_bytes(b"".join(orjson.dumps(study) + b"\n" for study in list(STUDIES.values())[:3]))
    code, _, err = sync(double, output)
    assert code == 1
    assert err.splitlines()[0] == (
        f"trialgraph sync: {output} was not made by trialgraph fetch: no .all.jsonl.query.json beside it "
        "says what to ask the registry; fetch it first"
    )
    assert double.requests() == []


# ---- serve --sync-every


def test_serve_syncs_every_so_often_and_keeps_its_graph_when_a_sync_fails(
    double: ApiDouble, tmp_path: Path
) -> None:
    output = tmp_path / "found.jsonl"
    assert fetch(double, output, *SEARCH)[0] == 0
    changed, added = changes()
    served_trials, unchanged = len(SEARCHED) + 5, len(SEARCHED) - 10
    env = {
        **os.environ,
        "TRIALGRAPH_REGISTRY_RATE": "0",
        "TRIALGRAPH_REGISTRY_RETRIES": "1",
        "TRIALGRAPH_REGISTRY_BACKOFF_SECONDS": "0.01",
    }
    # Every 0.0003 h: about a second.
    args = ("--data", str(output), "--sync-every", "0.0003", "--base-url", double.base_url)
    with serving(*args, log=tmp_path / "server.log", env=env) as served:
        double.put_records(changed + added)
        until(lambda: health(served)["trials"] == served_trials, what="the sync and reload")
        new_title = title(served, CHANGED_IDS[0])
        quiet = until(
            lambda: (
                (answer := health(served))["reload"].get("sync", {}).get("unchanged") == served_trials
                and answer
            ),
            what="a sync that finds nothing new",
        )
        double.fault("503", times=10_000)
        failed = until(
            lambda: not (answer := health(served))["reload"]["ok"] and answer, what="a failed sync"
        )
        still = title(served, CHANGED_IDS[0])
        log = served.output()
    assert new_title == still == title_answer(changed[0])
    reload = quiet["reload"]
    assert (reload["trigger"], reload["ok"], reload["problems"]) == ("sync", True, [])
    later_since = (date.fromisoformat(LATER) - timedelta(days=1)).isoformat()
    assert reload["sync"] == {"added": 0, "updated": 0, "unchanged": served_trials, "since": later_since}
    assert failed["trials"] == served_trials and failed["dataVersion"] == quiet["dataVersion"]
    assert (failed["reload"]["trigger"], failed["reload"]["problems"]) == (
        "sync",
        [
            f"page 1: HTTP 503 Service Unavailable from {double.base_url}/studies; gave up after 2 tries",
            f"{output} is as it was",
        ],
    )
    synced = (
        f"trialgraph: synced: 5 added, 10 updated, {unchanged} unchanged\ntrialgraph: reloaded (sync) in "
    )
    assert synced in log
    assert f"trialgraph: sync failed; still serving {served_trials} trials, dataVersion " in log
    assert "Traceback" not in log


def test_serve_sync_every_needs_a_file_fetch_wrote(tmp_path: Path) -> None:
    data = tmp_path / "some.jsonl"
    data.write_bytes(orjson.dumps(next(iter(STUDIES.values()))) + b"\n")
    command = [sys.executable, "-m", "server.cli", "serve", "-q", "--port", "1", "--data", str(data)]
    result = subprocess.run(
        [*command, "--sync-every", "24"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stderr) == (
        2,
        f"trialgraph: --sync-every: {data} was not written by trialgraph fetch "
        "(no .some.jsonl.query.json beside it)\n",
    )
