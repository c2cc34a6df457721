"""Reading ahead in other processes (graph/build/readahead.py) loads what a load in one process loads:
the same graph, index and version, the same problems in the same order, the same documents left
out, and progress to the end; one JSON Lines file is read in chunks by several processes, other
inputs by one."""

from __future__ import annotations

import codecs
import json
import os
import zipfile
from pathlib import Path

import pytest

import graph.build.readahead as readahead
from graph.build.loading import TrialGraph, load_graph
from graph.errors import LoadError
from graph.read.records import Progress, Reading
from tests.graph.test_trialgraph import _whole
from tests.paths import CTGOV

pytestmark = pytest.mark.timeout(300)


def _study_line(path: Path) -> bytes:
    return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def studies() -> list[bytes]:
    """The shared registry records, one JSON line each, in NCT order."""
    return [_study_line(path) for path in sorted(CTGOV.glob("*.json"))]


def _awkward(studies: list[bytes]) -> bytes:
    """The shared records as JSON Lines with everything a line can be: a byte-order mark,
    CRLF and lone CR line ends, blank lines, lines that are not JSON or not UTF-8, a study with
    an error, a line far longer than a chunk, no line feed at the end."""
    broken = json.loads(studies[3])
    broken["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": "many"}
    long = json.loads(studies[5])
    long["protocolSection"]["descriptionModule"]["detailedDescription"] = "Long. " * 3000
    return b"".join(
        [
            codecs.BOM_UTF8 + studies[0] + b"\r\n",
            b"\n  \n",
            studies[1] + b"\r" + studies[2] + b"\n",
            b"{not json\n",
            b'{"a": "\xff\xfe"}\n',
            json.dumps(broken).encode() + b"\n",
            studies[4] + b"\n",
            json.dumps(long).encode() + b"\n",
            b"\n".join(studies[6:]),
        ]
    )


def _loaded(paths: list[Path], read_ahead: bool, progress: list[Progress] | None = None) -> TrialGraph:
    return load_graph(
        paths,
        skip_invalid=True,
        read_ahead=read_ahead,
        progress=None if progress is None else progress.append,
    )


def _same_load(paths: list[Path]) -> TrialGraph:
    """Load both ways; the two loads agree in everything. The load read ahead is returned."""
    here = _loaded(paths, read_ahead=False)
    seen: list[Progress] = []
    ahead = _loaded(paths, read_ahead=True, progress=seen)
    assert _whole(ahead) == _whole(here)
    assert ahead.problems == here.problems
    assert ahead.skipped == here.skipped
    reading = [found for found in seen if not found.building]
    assert reading[-1].inputs_done == reading[-1].inputs_total
    assert reading[-1].bytes_done == reading[-1].bytes_total
    assert reading[-1].records == ahead.graph.graph["trials"]
    assert [found.records for found in reading] == sorted(found.records for found in reading)
    return ahead


@pytest.mark.parametrize("chunk_bytes", [700, 9_000, 200_000])
@pytest.mark.parametrize("cores", [2, 3])
def test_one_json_lines_file_in_chunks(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    studies: list[bytes],
    chunk_bytes: int,
    cores: int,
) -> None:
    path = tmp_path / "awkward.jsonl"
    path.write_bytes(_awkward(studies))
    monkeypatch.setattr(readahead, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(cores)))
    started = []
    original = readahead._planned_in_chunks
    monkeypatch.setattr(
        readahead, "_planned_in_chunks", lambda *args: started.append(args[1]) or original(*args)
    )
    ahead = _same_load([path])
    assert started == [cores]  # children, each dealt chunks
    assert ahead.graph.graph["trials"] == len(studies) - 1
    assert [(problem.where, problem.message[:15]) for problem in ahead.problems] == [
        (f"{path}:6", "invalid JSON: E"),
        (f"{path}:7", "not valid UTF-8"),
        (f"{path}:8: $.protocolSection.designModule.enrollmentInfo.count", "expected an int"),
    ]
    assert ahead.skipped == [f"{path}:8", f"{path}:6", f"{path}:7"]


def test_a_broken_document_stops_the_load_the_same_way(tmp_path: Path, studies: list[bytes]) -> None:
    path = tmp_path / "awkward.jsonl"
    path.write_bytes(_awkward(studies))
    with pytest.raises(LoadError) as here:
        load_graph([path], read_ahead=False)
    with pytest.raises(LoadError) as ahead:
        load_graph([path], read_ahead=True)
    assert ahead.value.problems == here.value.problems


def test_a_blank_file_is_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\n \r\n\t\n" * 400)
    monkeypatch.setattr(readahead, "CHUNK_BYTES", 100)
    ahead = _same_load([path])
    assert [problem.message for problem in ahead.problems] == [
        "empty file; expected a trial page or registry JSON"
    ]


def test_a_binary_file_is_reported_as_in_one_process(tmp_path: Path, studies: list[bytes]) -> None:
    path = tmp_path / "binary.jsonl"
    path.write_bytes(b"\x00\x01" + b"\n".join(studies))
    ahead = _same_load([path])
    assert [problem.message[:11] for problem in ahead.problems] == ["binary file"]


def test_other_inputs_are_read_by_one_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, studies: list[bytes]
) -> None:
    """Two JSON Lines files, one of them in a zip file, and single studies: one child reads them
    in order."""
    first = tmp_path / "a.jsonl"
    first.write_bytes(b"\n".join(studies[:4]) + b"\n{broken\n")
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as archive:
        archive.writestr("b.jsonl", b"\n".join(studies[4:9]))
    for path in sorted(CTGOV.glob("*.json"))[9:]:
        (tmp_path / f"c-{path.name}").write_bytes(path.read_bytes())
    monkeypatch.setattr(
        readahead,
        "_planned_in_chunks",
        lambda *args: pytest.fail("one JSON Lines file only is read in chunks"),
    )
    ahead = _same_load([tmp_path])
    assert ahead.graph.graph["trials"] == len(studies)
    assert ahead.skipped == [f"{first}:5"]


def test_documents_out_of_nct_order_fall_back_to_reading_first(tmp_path: Path, studies: list[bytes]) -> None:
    path = tmp_path / "shuffled.jsonl"
    path.write_bytes(b"\n".join(studies[7:] + studies[:7]))
    assert _same_load([path]).graph.graph["trials"] == len(studies)


def test_large_inputs_are_read_ahead_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, studies: list[bytes]
) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\n".join(studies))
    chosen: list[str] = []
    for name in ("_planned_here", "_planned_in_chunks"):
        original = getattr(readahead, name)
        monkeypatch.setattr(readahead, name, lambda *args, o=original, n=name: chosen.append(n) or o(*args))
    load_graph([path])
    monkeypatch.setattr(readahead, "READ_AHEAD_BYTES", path.stat().st_size)
    load_graph([path])
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    load_graph([path])
    assert chosen == ["_planned_here", "_planned_in_chunks", "_planned_here"]


def _child_processes() -> set[int]:
    """The processes this one started, whichever of its threads started them (a thread that
    ends while they are listed, such as one of a library's pool, is passed over)."""
    children: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            listed = (task / "children").read_text()
        except FileNotFoundError:
            continue
        children.update(int(pid) for pid in listed.split())
    return children


def test_closing_early_stops_the_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, studies: list[bytes]
) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\n".join(studies * 40))  # more than the pipes and queues hold
    monkeypatch.setattr(readahead, "CHUNK_BYTES", 50_000)
    before = _child_processes()
    trials = readahead.planned_trials([path], Reading(), read_ahead=True)
    next(trials)
    assert len(_child_processes() - before) == 2
    trials.close()
    assert _child_processes() == before


def test_an_exception_in_a_child_is_raised_here_with_its_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "gone.jsonl"
    children = readahead._Children([["chunks", "0", "1", "1000", str(missing)]])
    with children, pytest.raises(FileNotFoundError) as raised:
        children.receive(0)
    assert str(missing) in str(raised.value)
    assert any("raised in the process reading ahead" in note for note in raised.value.__notes__)


def test_a_child_that_dies_is_reported(tmp_path: Path, studies: list[bytes]) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\n".join(studies * 40))
    with readahead._Children([["all", str(path)]]) as children:
        children.processes[0].kill()
        with pytest.raises(RuntimeError, match=r"the process reading ahead stopped \(exit code -9\)"):
            while True:
                children.receive(0)
