"""The same trials in every container give the same graph; a trial given twice is one trial.

The shared registry records are repackaged as one JSON list, a search page, JSON Lines, zips
and a directory tree; only the provenance attributes may differ, and they name each input.
"""

from __future__ import annotations

import itertools
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.build.loading import load_graph
from graph.model import NodeKind
from graph.read.records import Progress, load_records
from tests.paths import CTGOV, PAGES, SEED_PAGE, SHARED_NCT_IDS

PROVENANCE = {"source", "sources", "sourceDocuments"}
RECORDS = [CTGOV / f"{nct}.json" for nct in SHARED_NCT_IDS]
Shape = tuple[list[str], list[tuple[str, str, str, dict[str, Any]]], dict[str, dict[str, Any]], int]
# A container: the paths to load, and the source each trial is expected to name.
Container = tuple[list[Path], dict[str, str]]


def _shape(graph: nx.MultiDiGraph) -> Shape:
    """The whole graph but where its trials were read from."""
    nodes = sorted(graph.nodes)
    edges = sorted((u, v, k, data) for u, v, k, data in graph.edges(keys=True, data=True))
    attributes = {
        node: {name: value for name, value in data.items() if name not in PROVENANCE}
        for node, data in graph.nodes(data=True)
    }
    return nodes, edges, attributes, graph.graph["trials"]


def _provenance(graph: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """Per trial: the input its data came from, and every input it was found in."""
    trials = (data for _, data in graph.nodes(data=True) if data["kind"] == "Trial")
    return {data["nctId"]: (data["source"], data["sources"]) for data in trials}


def _study(nct: str) -> Any:
    return json.loads((CTGOV / f"{nct}.json").read_text(encoding="utf-8"))


def _json_lines() -> str:
    return "".join(json.dumps(_study(nct), ensure_ascii=False) + "\n" for nct in SHARED_NCT_IDS)


@pytest.fixture(scope="module")
def reference() -> Shape:
    return _shape(load_graph(RECORDS).graph)


def _single_files(tmp_path: Path) -> Container:
    return RECORDS, {nct: str(CTGOV / f"{nct}.json") for nct in SHARED_NCT_IDS}


def _json_list(tmp_path: Path) -> Container:
    path = tmp_path / "studies.json"
    path.write_text(json.dumps([_study(nct) for nct in SHARED_NCT_IDS], indent=2), encoding="utf-8")
    return [path], {nct: f"{path} $[{n}]" for n, nct in enumerate(SHARED_NCT_IDS)}


def _search_page(tmp_path: Path) -> Container:
    path = tmp_path / "search.json"
    page = {"totalCount": len(SHARED_NCT_IDS), "studies": [_study(nct) for nct in SHARED_NCT_IDS]}
    path.write_text(json.dumps(page), encoding="utf-8")
    return [path], {nct: f"{path} $.studies[{n}]" for n, nct in enumerate(SHARED_NCT_IDS)}


def _json_lines_file(tmp_path: Path) -> Container:
    path = tmp_path / "studies.jsonl"
    path.write_text(_json_lines(), encoding="utf-8")
    return [path], {nct: f"{path}:{n}" for n, nct in enumerate(SHARED_NCT_IDS, start=1)}


def _zip_of_files(tmp_path: Path) -> Container:
    path = tmp_path / "studies.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in RECORDS:
            archive.write(record, f"ctgov/{record.name}")
    return [path], {nct: f"{path}!ctgov/{nct}.json" for nct in SHARED_NCT_IDS}


def _zip_of_json_lines(tmp_path: Path) -> Container:
    path = tmp_path / "studies.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("studies.jsonl", _json_lines())
    return [path], {nct: f"{path}!studies.jsonl:{n}" for n, nct in enumerate(SHARED_NCT_IDS, start=1)}


def _directory_tree(tmp_path: Path) -> Container:
    """Records spread over nested folders, by the decade they were registered in."""
    root = tmp_path / "records"
    expected = {}
    for nct in SHARED_NCT_IDS:
        folder = root / ("2000s" if nct < "NCT01" else "2010s/late" if nct < "NCT05" else "2020s")
        folder.mkdir(parents=True, exist_ok=True)
        expected[nct] = str(shutil.copy(CTGOV / f"{nct}.json", folder))
    return [root], expected


CONTAINERS: dict[str, Callable[[Path], Container]] = {
    "single study files": _single_files,
    "one JSON list": _json_list,
    "a search page": _search_page,
    "JSON Lines": _json_lines_file,
    "a zip of single files": _zip_of_files,
    "a zip of one JSON Lines file": _zip_of_json_lines,
    "a directory tree": _directory_tree,
}


@pytest.mark.parametrize("container", list(CONTAINERS))
def test_every_container_gives_the_same_graph(tmp_path: Path, reference: Shape, container: str) -> None:
    paths, sources = CONTAINERS[container](tmp_path)
    loaded = load_graph(paths)
    assert loaded.problems == []
    assert _shape(loaded.graph) == reference
    assert _provenance(loaded.graph) == {nct: (source, source) for nct, source in sources.items()}


# -- a trial given twice ----------------------------------------------------------------------


def _amended_copy(folder: Path, nct: str, updated: str, title: str) -> Path:
    """The record as updated on ``updated``, with a new title."""
    study = _study(nct)
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": updated, "type": "ACTUAL"}
    study["protocolSection"]["identificationModule"]["briefTitle"] = title
    folder.mkdir()
    path = folder / f"{nct}.json"
    path.write_text(json.dumps(study, indent=2), encoding="utf-8")
    return path


def _trial(paths: list[Path], nct: str) -> dict[str, Any]:
    loaded = load_graph(paths)
    assert loaded.problems == []
    assert loaded.graph.ids_of(NodeKind.TRIAL) == [f"Trial:{nct}"]
    return dict(loaded.graph.nodes[f"Trial:{nct}"])


@pytest.mark.parametrize("page_first", [True, False])
def test_a_page_and_its_record_of_the_same_day_are_one_trial_from_the_record(page_first: bool) -> None:
    page, record = PAGES / "NCT05932303.txt", CTGOV / "NCT05932303.json"
    paths = [page, record] if page_first else [record, page]
    trial = _trial(paths, "NCT05932303")
    assert (trial["source"], trial["sourceFormat"], trial["sources"]) == (
        str(record),
        "ctgov-json",
        "\n".join(str(path) for path in paths),
    )
    assert _shape(load_graph(paths).graph) == _shape(load_graph([record]).graph)


def test_a_page_updated_after_its_record_wins(tmp_path: Path) -> None:
    text = (PAGES / "NCT05932303.txt").read_text(encoding="utf-8")
    assert "Last Updated: 2023-10-30\n" in text
    page = tmp_path / "NCT05932303.txt"
    page.write_text(
        text.replace("Last Updated: 2023-10-30\n", "Last Updated: 2024-02-01\n"), encoding="utf-8"
    )
    record = CTGOV / "NCT05932303.json"
    trial = _trial([page, record], "NCT05932303")
    assert (trial["source"], trial["sourceFormat"], trial["lastUpdated"], trial["sources"]) == (
        str(page),
        "page",
        "2024-02-01",
        f"{page}\n{record}",
    )


@pytest.mark.parametrize("newer_first", [True, False])
def test_two_copies_of_a_record_are_one_trial_from_the_one_updated_last(
    tmp_path: Path, newer_first: bool
) -> None:
    older = _amended_copy(tmp_path / "january", "NCT05932303", "2024-01-15", "Drug interaction study (v1)")
    newer = _amended_copy(tmp_path / "march", "NCT05932303", "2024-03-01", "Drug interaction study (v2)")
    paths = [newer, older] if newer_first else [older, newer]
    trial = _trial(paths, "NCT05932303")
    assert (trial["source"], trial["title"], trial["lastUpdated"], trial["sources"]) == (
        str(newer),
        "Drug interaction study (v2)",
        "2024-03-01",
        "\n".join(str(path) for path in paths),
    )


def test_two_copies_of_the_same_day_are_one_trial_from_the_later_input(tmp_path: Path) -> None:
    first = _amended_copy(tmp_path / "first", "NCT05932303", "2024-03-01", "Drug interaction study (a)")
    second = _amended_copy(tmp_path / "second", "NCT05932303", "2024-03-01", "Drug interaction study (b)")
    trial = _trial([first, second], "NCT05932303")
    assert (trial["source"], trial["title"], trial["sources"]) == (
        str(second),
        "Drug interaction study (b)",
        f"{first}\n{second}",
    )


# -- progress ---------------------------------------------------------------------------------


def test_progress_is_reported_after_every_document_and_input(tmp_path: Path) -> None:
    archive_path = tmp_path / "pair.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.write(CTGOV / "NCT00184067.json", "NCT00184067.json")
        archive.write(PAGES / "NCT00258583.txt", "NCT00258583.txt")
    lines = tmp_path / "three.jsonl"
    lines.write_text(
        "".join(json.dumps(_study(nct)) + "\n" for nct in ("NCT00465816", "NCT00711542", "NCT00973089")),
        encoding="utf-8",
    )
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(CTGOV / "NCT02210780.json", folder)
    shutil.copy(PAGES / "NCT00184067.txt", folder)  # a trial seen before: no new trial
    seen: list[Progress] = []
    loaded = load_records([SEED_PAGE, archive_path, lines, folder], progress=seen.append)
    zipped, page, study = (
        f"{archive_path}!NCT00184067.json",
        f"{archive_path}!NCT00258583.txt",
        str(folder / "NCT02210780.json"),
    )
    # Bytes: each input's size (a zip member's uncompressed), JSON Lines through each line read.
    sizes = [
        SEED_PAGE.stat().st_size,
        (CTGOV / "NCT00184067.json").stat().st_size,
        (PAGES / "NCT00258583.txt").stat().st_size,
        lines.stat().st_size,
        (PAGES / "NCT00184067.txt").stat().st_size,
        (CTGOV / "NCT02210780.json").stat().st_size,
    ]
    line_ends = list(itertools.accumulate(len(line) for line in lines.read_bytes().splitlines(keepends=True)))
    done = list(itertools.accumulate(sizes, initial=0))
    total = done[-1]
    # Inputs done so far, inputs in all, records read (a trial read twice counts twice), where,
    # bytes read of all.
    assert seen == [
        Progress(0, 6, 1, str(SEED_PAGE), done[1], total),
        Progress(1, 6, 1, str(SEED_PAGE), done[1], total),
        Progress(1, 6, 2, zipped, done[2], total),
        Progress(2, 6, 2, zipped, done[2], total),
        Progress(2, 6, 3, page, done[3], total),
        Progress(3, 6, 3, page, done[3], total),
        Progress(3, 6, 4, str(lines), done[3] + line_ends[0], total),
        Progress(3, 6, 5, str(lines), done[3] + line_ends[1], total),
        Progress(3, 6, 6, str(lines), done[3] + line_ends[2], total),
        Progress(4, 6, 6, str(lines), done[4], total),
        Progress(4, 6, 7, str(folder / "NCT00184067.txt"), done[5], total),
        Progress(5, 6, 7, str(folder / "NCT00184067.txt"), done[5], total),
        Progress(5, 6, 8, study, done[6], total),
        Progress(6, 6, 8, study, done[6], total),
    ]
    assert len(loaded.records) == 7
