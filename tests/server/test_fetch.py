"""`trialgraph fetch` against the API double (tests/apidouble.py) on 127.0.0.1: what it asks,
what it writes, the faults it survives, the bad answers it reports, and a run killed with
SIGKILL and started again. Expected studies are worked out from the records themselves."""

from __future__ import annotations

import gc
import io
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from server.cli import main
from server.registry_api import USER_AGENT, Politeness, RegistryClient
from server.registry_query import StudyQuery
from tests.apidouble import ApiDouble, registry_records, words
from tests.paths import REPO

STUDIES = {nct_id: orjson.loads(raw) for nct_id, raw in registry_records().items()}


def trialgraph(*args: str | Path) -> tuple[int, str, str]:
    """``trialgraph ARGS`` run here: exit code, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    thresholds = gc.get_threshold()  # the command tunes the collector for itself
    try:
        code = main([str(arg) for arg in args], out, err)
    finally:
        gc.set_threshold(*thresholds)
    return code, out.getvalue(), err.getvalue()


def fetch(double: ApiDouble, output: Path, *args: str) -> tuple[int, str, str]:
    """``trialgraph fetch`` from the double, no rate limit and short backoffs."""
    polite = ("--rate", "0", "--backoff", "0.01", "--max-wait", "2", "-q")
    return trialgraph("fetch", "--base-url", double.base_url, *polite, "--output", output, *args)


def written(path: Path) -> list[dict[str, Any]]:
    with open(path, "rb") as file:
        return [orjson.loads(line) for line in file]


def nct_ids(studies: list[dict[str, Any]]) -> list[str]:
    return [study["protocolSection"]["identificationModule"]["nctId"] for study in studies]


def protocol(study: dict[str, Any], module: str) -> dict[str, Any]:
    found: dict[str, Any] = study["protocolSection"].get(module, {})
    return found


def condition_words(study: dict[str, Any]) -> set[str]:
    """The words query.cond matches in the double: of the conditions and keywords."""
    module = protocol(study, "conditionsModule")
    return words(" ".join([*module.get("conditions", []), *module.get("keywords", [])]))


def leftovers(output: Path) -> list[str]:
    return sorted(path.name for path in output.parent.iterdir() if path.name.startswith(output.name))


def each_study_once(output: Path, expected: set[str]) -> None:
    """``output`` holds each expected study exactly once, as the registry gave it."""
    studies = written(output)
    assert sorted(nct_ids(studies)) == sorted(expected)
    assert all(study == STUDIES[nct_id] for study, nct_id in zip(studies, nct_ids(studies), strict=True))
    assert leftovers(output) == [output.name]  # no .part, no state


# ---- what it asks and writes


def test_fetch_by_condition_gives_exactly_the_matching_records(double: ApiDouble, tmp_path: Path) -> None:
    expected = {nct_id for nct_id, study in STUDIES.items() if condition_words(study) >= {"breast", "cancer"}}
    assert 10 < len(expected) < 100
    output = tmp_path / "breast.jsonl"
    code, _, err = fetch(double, output, "--cond", "breast cancer", "--page-size", "7")
    assert (code, err.splitlines()[-1].split(" in ")[0]) == (
        0,
        f"fetched {len(expected)} studies (5 pages) to {output}",
    )
    each_study_once(output, expected)
    assert orjson.loads((tmp_path / ".breast.jsonl.query.json").read_bytes())["cond"] == "breast cancer"
    asked = double.requests()
    assert [request["status"] for request in asked] == [200] * 5
    assert {request["userAgent"] for request in asked} == {USER_AGENT} == {"trialgraph/0.1.0"}
    search = {"format": "json", "query.cond": "breast cancer", "pageSize": "7"}
    assert asked[0]["params"] == {**search, "countTotal": "true"}
    assert all(request["params"].keys() - search.keys() == {"pageToken"} for request in asked[1:])
    assert all(request["params"].items() >= search.items() for request in asked)


def test_all_gives_every_record(double: ApiDouble, tmp_path: Path) -> None:
    output = tmp_path / "all.jsonl"
    code, _, err = fetch(double, output, "--all")
    assert code == 0, err
    each_study_once(output, set(STUDIES))
    assert len(STUDIES) == 880
    assert double.requests()[0]["params"] == {"format": "json", "pageSize": "1000", "countTotal": "true"}


def _updated(study: dict[str, Any]) -> str:
    found: str = protocol(study, "statusModule").get("lastUpdatePostDateStruct", {}).get("date", "")
    return found


SOME_IDS = sorted(STUDIES)[100:400:60]
SEARCHES: dict[str, tuple[list[str], dict[str, str], Callable[[dict[str, Any]], bool]]] = {
    "statuses": (
        ["--status", "RECRUITING", "--status", "not yet recruiting"],
        {"filter.overallStatus": "RECRUITING,NOT_YET_RECRUITING"},
        lambda study: (
            protocol(study, "statusModule").get("overallStatus") in {"RECRUITING", "NOT_YET_RECRUITING"}
        ),
    ),
    "NCT IDs": (
        [arg for nct_id in SOME_IDS for arg in ("--nct", nct_id.lower())],
        {"filter.ids": ",".join(SOME_IDS)},
        lambda study: study["protocolSection"]["identificationModule"]["nctId"] in SOME_IDS,
    ),
    "updated since": (
        ["--updated-since", "2026-03-01"],
        {"filter.advanced": "AREA[LastUpdatePostDate]RANGE[2026-03-01,MAX]"},
        lambda study: _updated(study) >= "2026-03-01",
    ),
    "intervention": (
        ["--intr", "Placebo"],
        {"query.intr": "Placebo"},
        lambda study: (
            "placebo"
            in words(
                " ".join(
                    text
                    for item in protocol(study, "armsInterventionsModule").get("interventions", [])
                    for text in [item.get("name", ""), *item.get("otherNames", [])]
                )
            )
        ),
    ),
    "sponsor and status": (
        ["--spons", "pfizer", "--status", "COMPLETED"],
        {"query.spons": "pfizer", "filter.overallStatus": "COMPLETED"},
        lambda study: (
            protocol(study, "statusModule").get("overallStatus") == "COMPLETED"
            and any(
                "pfizer" in words(sponsor.get("name", ""))
                for sponsor in [
                    protocol(study, "sponsorCollaboratorsModule").get("leadSponsor", {}),
                    *protocol(study, "sponsorCollaboratorsModule").get("collaborators", []),
                ]
            )
        ),
    ),
    "term": (
        ["--term", "insulin"],
        {"query.term": "insulin"},
        lambda study: "insulin" in words(orjson.dumps(study).decode()),
    ),
}


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_search_words_and_filters(double: ApiDouble, tmp_path: Path, name: str) -> None:
    args, params, matches = SEARCHES[name]
    expected = {nct_id for nct_id, study in STUDIES.items() if matches(study)}
    assert expected, "a search that finds nothing proves little"
    output = tmp_path / "found.jsonl"
    code, _, err = fetch(double, output, *args, "--page-size", "100")
    assert code == 0, err
    each_study_once(output, expected)
    assert double.requests()[0]["params"] == {
        "format": "json",
        "pageSize": "100",
        "countTotal": "true",
        **params,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "trialgraph fetch: say what to fetch: --cond, --term, --intr, --spons, --status, --nct or "),
        (["--all", "--cond", "asthma"], "trialgraph fetch: --all fetches the whole registry; it takes no"),
    ],
)
def test_a_fetch_of_nothing_or_of_everything_and_something_is_refused(
    double: ApiDouble, tmp_path: Path, args: list[str], message: str
) -> None:
    code, _, err = fetch(double, tmp_path / "x.jsonl", *args)
    assert (code, err[: len(message)]) == (2, message)
    assert double.requests() == [] and list(tmp_path.iterdir()) == []


# ---- faults survived, bad answers reported


def test_429_503_and_a_dropped_connection_are_survived(double: ApiDouble, tmp_path: Path) -> None:
    double.fault("429", page=2, retry_after=1)
    double.fault("503", page=3, times=2)
    double.fault("drop", page=4)
    output = tmp_path / "cancer.jsonl"
    code, _, err = fetch(double, output, "--cond", "cancer", "--page-size", "25")
    assert code == 0, err
    each_study_once(output, {n for n, s in STUDIES.items() if condition_words(s) >= {"cancer"}})
    statuses = [request["status"] for request in double.requests()]
    # The dropped page is a 200 as far as the double knows: its body was cut.
    assert statuses == [200, 429, 200, 503, 503, 200, 200, 200, 200, 200]
    waits = [line for line in err.splitlines() if line.startswith("trialgraph: page ")]
    assert (
        waits[0]
        == "trialgraph: page 2: HTTP 429 Too Many Requests; waiting 1.0 s (Retry-After), then try 2 of 6"
    )
    assert [line.split(";")[0] for line in waits[1:]] == [
        "trialgraph: page 3: HTTP 503 Service Unavailable",
        "trialgraph: page 3: HTTP 503 Service Unavailable",
        "trialgraph: page 4: RemoteProtocolError: peer closed connection without sending complete "
        + waits[3].split(" without sending complete ")[1].split(";")[0],
    ]
    assert all("(backoff), then try" in line for line in waits[1:])


def test_a_garbled_page_stops_the_fetch_naming_it_and_the_next_run_resumes(
    double: ApiDouble, tmp_path: Path
) -> None:
    expected = {n for n, s in STUDIES.items() if condition_words(s) >= {"cancer"}}
    double.fault("garble", page=3)
    output = tmp_path / "cancer.jsonl"
    code, _, err = fetch(double, output, "--cond", "cancer", "--page-size", "25")
    lines = err.splitlines()
    assert code == 1
    assert lines[0].startswith("trialgraph fetch: page 3: not JSON (unexpected end of data: ")
    assert lines[1] == (
        f"50 studies of 2 pages are kept in {output}.part: run the same command again to go on from there"
    )
    assert leftovers(output) == ["cancer.jsonl.part", "cancer.jsonl.part.state"]
    code, _, err = fetch(double, output, "--cond", "cancer", "--page-size", "25")
    assert code == 0
    assert err.splitlines()[0] == "trialgraph fetch: resuming after 50 studies (2 pages)"
    assert err.splitlines()[-1].endswith(", 50 of them by an earlier run")
    each_study_once(output, expected)
    tokens = [request["params"].get("pageToken") for request in double.requests()]
    assert tokens[2] == tokens[3] and len(set(tokens)) == len(tokens) - 1  # page 3 asked twice, once a run


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "no-nct",
            "trialgraph fetch: page 2: study 1 of 25: no NCT ID at "
            "protocolSection.identificationModule.nctId",
        ),
        (
            "repeat-token",
            "trialgraph fetch: page 2: nextPageToken '{token}' was given before: the pages would go round",
        ),
    ],
)
def test_a_bad_answer_is_an_error_naming_the_page(
    double: ApiDouble, tmp_path: Path, kind: str, message: str
) -> None:
    double.fault(kind, page=2)
    output = tmp_path / "cancer.jsonl"
    code, _, err = fetch(double, output, "--cond", "cancer", "--page-size", "25")
    token = double.requests()[1]["params"]["pageToken"]
    assert code == 1
    assert err.splitlines() == [
        message.format(token=token),
        f"25 studies of 1 page are kept in {output}.part: run the same command again to go on from there",
    ]


def test_it_gives_up_after_its_retries_with_a_clear_message(double: ApiDouble, tmp_path: Path) -> None:
    double.fault("503", times=100)
    output = tmp_path / "all.jsonl"
    code, _, err = fetch(double, output, "--all", "--retries", "2")
    assert code == 1
    assert err.splitlines()[-2:] == [
        f"trialgraph fetch: page 1: HTTP 503 Service Unavailable from {double.base_url}/studies; "
        "gave up after 3 tries",
        "nothing was fetched",
    ]
    assert len(double.requests()) == 3 and list(tmp_path.iterdir()) == []


def test_a_retry_after_longer_than_the_longest_wait_stops_at_once(double: ApiDouble, tmp_path: Path) -> None:
    double.fault("429", retry_after=30)
    code, _, err = fetch(double, tmp_path / "all.jsonl", "--all")
    assert code == 1
    assert err.splitlines()[0] == (
        "trialgraph fetch: page 1: HTTP 429 Too Many Requests; the registry asks to wait 30 s (Retry-After), "
        "longer than the 2 s allowed: try again later"
    )
    assert len(double.requests()) == 1


def test_a_part_of_another_search_is_started_over(double: ApiDouble, tmp_path: Path) -> None:
    output = tmp_path / "found.jsonl"
    double.fault("garble", page=2)
    assert fetch(double, output, "--cond", "cancer", "--page-size", "25")[0] == 1
    code, _, err = fetch(double, output, "--cond", "breast cancer", "--page-size", "25")
    assert code == 0
    assert (
        err.splitlines()[0] == f"trialgraph fetch: {output}.part is a fetch of another search; starting over"
    )
    each_study_once(output, {n for n, s in STUDIES.items() if condition_words(s) >= {"breast", "cancer"}})


# ---- the client alone: backoff and pace, with the waits recorded instead of slept


def test_backoff_doubles_with_jitter_up_to_its_cap_and_the_pace_keeps_the_rate(double: ApiDouble) -> None:
    double.fault("503", page=1, times=4)
    waits: list[float] = []
    politeness = Politeness(rate=2, retries=4, backoff_seconds=1, max_wait_seconds=3)
    with RegistryClient(double.base_url, politeness, sleep=waits.append, jitter=random.Random(7)) as client:
        pages = list(client.pages(StudyQuery(cond="cancer"), page_size=50))
    assert [len(page.studies) for page in pages] == [50, 50, 46]
    assert pages[0].total == 146 and [page.number for page in pages] == [1, 2, 3]
    backoffs = [wait for wait in waits if wait > 0.5]
    ceilings = [1, 2, 3, 3]  # doubling from 1 s, capped at 3 s
    assert len(backoffs) == 4
    assert all(ceiling / 2 <= wait <= ceiling for wait, ceiling in zip(backoffs, ceilings, strict=True))
    assert all(0 < wait <= 0.5 for wait in waits if wait <= 0.5)  # at most 2 requests a second


# ---- SIGKILL half way, then the same command again


def _studies_in_state(output: Path) -> int:
    try:
        return int(orjson.loads(Path(f"{output}.part.state").read_bytes())["studies"])
    except (FileNotFoundError, orjson.JSONDecodeError):
        return 0


def test_a_fetch_killed_half_way_resumes_and_ends_with_every_study_once(
    double: ApiDouble, tmp_path: Path
) -> None:
    output = tmp_path / "all.jsonl"
    command = [sys.executable, "-m", "server.cli", "fetch", "--all", "--base-url", double.base_url]
    command += ["--page-size", "5", "--rate", "60", "-q", "--output", str(output)]
    for kill_after in (150, 500):  # twice, at different points
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while _studies_in_state(output) < kill_after and process.poll() is None:
                assert time.monotonic() < deadline, "the fetch did not get far enough"
                time.sleep(0.01)
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            assert process.stderr is not None
            process.stderr.close()
        assert process.returncode == -signal.SIGKILL
        assert not output.exists() and Path(f"{output}.part").exists()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("trialgraph fetch: resuming after ")
    each_study_once(output, set(STUDIES))
