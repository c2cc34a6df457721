"""Registry JSON read the quick, typed way (msgspec structs, :mod:`graph.read.registry.shapes`)
gives what the general way (:func:`graph.read.registry.study.parse_study`) gives: the same
record for every study, the same graph, index and problems for a whole load; a study the typed
way cannot take is read the general way, its problems named at their JSON path as before."""

from __future__ import annotations

import hashlib
import itertools
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import graph.read.registry.files as files
from graph.build.loading import TrialGraph, load_graph, save_snapshot
from graph.errors import Report
from graph.model import Source
from graph.read.documents import Document
from graph.read.registry.files import decode_json
from graph.read.registry.shapes import decode_studies, decode_study
from graph.read.registry.study import parse_study
from graph.read.registry.typedstudy import Untyped, typed_record
from graph.read.sources import find_inputs, read_input
from graph.synth import CorpusSpec, generate_studies, write_corpus
from tests.paths import CTGOV
from tests.registry.records import STUDIES_ZIP

pytestmark = pytest.mark.timeout(600)
SOURCE = Source("corpus.jsonl", line=1, json_path="$", format="ctgov-json")


def _registry() -> Iterator[str]:
    with zipfile.ZipFile(STUDIES_ZIP) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(".json"):
                yield archive.read(name).decode("utf-8")


def _shared() -> Iterator[str]:
    for path in sorted(CTGOV.glob("*.json")):
        yield path.read_text(encoding="utf-8")


def _synthetic() -> Iterator[str]:
    for study in generate_studies(CorpusSpec(trials=1500, seed=3)):
        yield json.dumps(study, ensure_ascii=False)


@pytest.mark.parametrize("corpus", [_registry, _shared, _synthetic], ids=["registry", "shared", "synthetic"])
def test_every_study_reads_the_same_either_way(corpus: object) -> None:
    studies = list(corpus())  # type: ignore[operator]
    typed = valid = 0
    for text in studies:
        report = Report("corpus.jsonl:1")
        value, checked = decode_json(text)
        general = parse_study(value, "$", SOURCE, report, checked)
        study = decode_study(text)
        assert study is not None, text[:200]
        if report.problems:  # the typed way leaves it to the general way
            with pytest.raises(Untyped):
                typed_record(study, SOURCE)
            continue
        valid += 1
        assert typed_record(study, SOURCE) == general
        typed += 1
    assert studies and typed == valid


def _digests(loaded: TrialGraph, folder: Path, name: str) -> tuple[object, ...]:
    snapshot = folder / f"{name}.snapshot"
    save_snapshot(loaded, snapshot)
    problems = [(p.where, p.message, p.severity) for p in loaded.problems]
    return hashlib.sha256(snapshot.read_bytes()).hexdigest(), problems, loaded.skipped


def _general_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document read the general way (in this process: what reads ahead is not patched)."""
    monkeypatch.setattr(files, "decode_study", lambda text: None)
    monkeypatch.setattr(files, "decode_studies", lambda text: None)


def _both_ways(
    paths: list[Path], folder: Path, monkeypatch: pytest.MonkeyPatch, read_ahead: bool
) -> tuple[tuple[object, ...], tuple[object, ...]]:
    typed = _digests(load_graph(paths, skip_invalid=True, read_ahead=read_ahead), folder, "typed")
    with monkeypatch.context() as patch:
        _general_way(patch)
        general = _digests(load_graph(paths, skip_invalid=True, read_ahead=False), folder, "general")
    return typed, general


def test_the_registry_zip_loads_to_the_same_graph_index_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed, general = _both_ways([STUDIES_ZIP], tmp_path, monkeypatch, read_ahead=False)
    assert typed == general


def test_a_synthetic_corpus_read_ahead_loads_to_the_same_graph_index_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "synthetic.jsonl"
    write_corpus(CorpusSpec(trials=1500, seed=9), corpus)
    typed, general = _both_ways([corpus], tmp_path, monkeypatch, read_ahead=True)
    assert typed == general


def _study(nct: int) -> dict[str, object]:
    module = {
        "identificationModule": {"nctId": f"NCT{nct:08d}", "briefTitle": "A study"},
        "designModule": {"phases": ["PHASE2"], "enrollmentInfo": {"count": 12}},
        "armsInterventionsModule": {
            "armGroups": [{"label": "A", "type": "EXPERIMENTAL"}],
            "interventions": [{"name": "Drug X", "type": "DRUG", "armGroupLabels": ["A"]}],
        },
        "contactsLocationsModule": {"locations": [{"facility": "Site", "geoPoint": {"lat": 1, "lon": 2}}]},
    }
    return {"protocolSection": module}


def _broken_lines() -> list[str]:
    """One good study, then one with each thing the typed way leaves to the general way."""
    lines = [json.dumps(_study(1))]
    changes = [
        ("designModule", "enrollmentInfo", {"count": "12"}),  # a wrong type
        ("identificationModule", "briefTitle", "\ud800 lone"),  # a lone surrogate
        ("designModule", "phases", ["PHASE2", "PHASE9"]),  # an unknown word
        ("armsInterventionsModule", "armGroups", [{"type": "EXPERIMENTAL"}]),  # no label
        ("contactsLocationsModule", "locations", [{"geoPoint": {"lat": 1}}]),  # half a point
        ("designModule", "enrollmentInfo", {"count": 2**40}),  # past a count
    ]
    for nct, (module, key, value) in enumerate(changes, start=2):
        study = _study(nct)
        study["protocolSection"][module][key] = value  # type: ignore[index]
        lines.append(json.dumps(study))
    warned = _study(8)  # only a warning: kept, with it
    warned["protocolSection"]["armsInterventionsModule"]["interventions"][0]["armGroupLabels"] = ["B"]  # type: ignore[index]
    lines.append(json.dumps(warned))
    deep = json.dumps(_study(9))[:-1] + ', "unread": ' + "[" * 5000 + "]" * 5000 + "}"  # past limits
    lines.append(deep)
    return lines


def test_what_the_typed_way_cannot_take_is_reported_at_its_json_path_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "broken.jsonl"
    corpus.write_text("\n".join(_broken_lines()) + "\n", encoding="utf-8")
    typed, general = _both_ways([corpus], tmp_path, monkeypatch, read_ahead=False)
    assert typed == general
    problems = typed[1]
    assert [where for where, _, _ in problems] == [  # type: ignore[union-attr]
        f"{corpus}:2: $.protocolSection.designModule.enrollmentInfo.count",
        f"{corpus}:3: $.protocolSection.identificationModule.briefTitle",
        f"{corpus}:4: $.protocolSection.designModule.phases[1]",
        f"{corpus}:5: $.protocolSection.armsInterventionsModule.armGroups[0].label",
        f"{corpus}:5: $.protocolSection.armsInterventionsModule.interventions[0].armGroupLabels",
        f"{corpus}:6: $.protocolSection.contactsLocationsModule.locations[0].geoPoint",
        f"{corpus}:7: $.protocolSection.designModule.enrollmentInfo.count",
        f"{corpus}:8: $.protocolSection.armsInterventionsModule.interventions[0].armGroupLabels",
        f"{corpus}:9",
    ]
    loaded = load_graph([corpus], skip_invalid=True)
    assert [node for node in loaded.graph if node.startswith("Trial:")] == [
        "Trial:NCT00000001",
        "Trial:NCT00000008",
    ]


def _documents(path: Path) -> list[Document]:
    report = Report(str(path))
    return [document for item in find_inputs([path], report) for document in read_input(item, report)]


def test_search_pages_and_lists_of_studies_are_read_the_typed_way_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    studies = [json.loads(text) for text in itertools.islice(_registry(), 60)]
    page, listed = tmp_path / "page.json", tmp_path / "list.json"
    page.write_text(json.dumps({"studies": studies[:30], "nextPageToken": "x", "totalCount": 30}), "utf-8")
    listed.write_text(json.dumps(studies[30:]), "utf-8")
    broken = [json.loads(line) for line in _broken_lines()[:7]]
    # Studies only the general way reports on (an unknown word, no label ...), and a page with a
    # study of a wrong type, which is read the general way whole.
    lines = tmp_path / "pages.jsonl"
    pages = [{"studies": [broken[0], *broken[3:7]]}, {"studies": [_study(10), broken[1]]}]
    lines.write_text("".join(json.dumps(page) + "\n" for page in pages), "utf-8")
    for path, count in ((page, 30), (listed, 30), (lines, 5)):
        documents = _documents(path)
        typed = [document for document in documents if document.typed is not None]
        assert len(documents) == (count + 2 if path is lines else count) and len(typed) == count
        at = "$.studies" if path is not listed else "$"
        assert [document.json_path for document in typed] == [f"{at}[{n}]" for n in range(count)]
    typed_way, general_way = _both_ways([page, listed, lines], tmp_path, monkeypatch, read_ahead=False)
    assert typed_way == general_way
    assert [where for where, _, _ in typed_way[1]] == [  # type: ignore[attr-defined]
        f"{lines}:1: $.studies[1].protocolSection.designModule.phases[1]",
        f"{lines}:1: $.studies[2].protocolSection.armsInterventionsModule.armGroups[0].label",
        f"{lines}:1: $.studies[2].protocolSection.armsInterventionsModule.interventions[0].armGroupLabels",
        f"{lines}:1: $.studies[3].protocolSection.contactsLocationsModule.locations[0].geoPoint",
        f"{lines}:1: $.studies[4].protocolSection.designModule.enrollmentInfo.count",
        f"{lines}:2: $.studies[1].protocolSection.designModule.enrollmentInfo.count",
    ]
    assert decode_studies(page.read_text("utf-8")) is not None
    assert decode_studies(json.dumps({"studies": studies[:2], "protocolSection": {}})) is None
