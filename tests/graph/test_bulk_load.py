"""A JSON Lines file of registry studies loaded in columns (graph/bulk/load.py) is the load
record by record (graph.build.loading.load_graph): the same graph and index (content digests),
problems, studies left out and version; on the registry records, a synthetic corpus, and a file
with broken lines of every kind, loaded strictly and with ``skip_invalid``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.build.loading import TrialGraph, load_graph
from graph.bulk.jsonlines import CHUNK
from graph.bulk.load import RESOLVING, load_in_columns
from graph.compact.digest import content_digest
from graph.errors import LoadError
from graph.read.records import BUILT, Progress
from graph.synth import CorpusSpec, write_corpus
from tests.graph.registryframes import edited, registry_studies
from tests.registry.records import STUDIES_ZIP

pytestmark = pytest.mark.timeout(600)


def _what(loaded: TrialGraph) -> tuple[object, ...]:
    problems = [(problem.where, problem.message, problem.severity) for problem in loaded.problems]
    return content_digest(loaded.graph, loaded.index), problems, loaded.skipped, loaded.version


def _same_either_way(path: Path, skip_invalid: bool = False) -> TrialGraph:
    told: list[Progress] = []
    in_columns = load_in_columns(path, skip_invalid=skip_invalid, progress=told.append)
    assert in_columns is not None
    assert _what(in_columns) == _what(load_graph([path], skip_invalid=skip_invalid, read_ahead=False))
    steps = [found.step for found in told]
    assert RESOLVING in steps and steps[-1] == BUILT and told[0].bytes_total == path.stat().st_size
    # While it reads, it tells how far, in bytes and studies, as the per-record load does.
    reading = [found for found in told if not found.building]
    assert reading[-1].bytes_done == path.stat().st_size and reading[-1].records > 0
    if path.stat().st_size > 2 * CHUNK:
        assert any(0 < found.bytes_done < path.stat().st_size for found in reading)
        assert [found.bytes_done for found in reading] == sorted(found.bytes_done for found in reading)
    return in_columns


def _lines(path: Path, lines: list[str]) -> Path:
    path.write_bytes("".join(lines).encode("utf-8", "surrogatepass"))
    return path


def test_the_registry_records_load_in_columns_as_record_by_record(tmp_path: Path) -> None:
    studies = [json.dumps(study, ensure_ascii=False) + "\n" for study in registry_studies()]
    loaded = _same_either_way(_lines(tmp_path / "registry.jsonl", studies))
    assert loaded.index.node_counts["Trial"] == 880 and not loaded.problems


def test_a_synthetic_corpus_loads_in_columns_as_record_by_record(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.jsonl"
    write_corpus(CorpusSpec(trials=2000, seed=23), path)
    assert _same_either_way(path).index.node_counts["Trial"] == 2000


def _broken(tmp_path: Path) -> Path:
    """Registry studies, with lines of every kind the columnar reader leaves to the per-record
    reader between them."""
    studies: list[dict[str, Any]] = registry_studies()[:60]
    later = edited(studies[5], "protocolSection.statusModule.lastUpdatePostDate", "2099-01-01")
    lines = [json.dumps(study, ensure_ascii=False) + "\n" for study in studies]
    lines[3] = lines[3][: len(lines[3]) // 2] + "\n"  # cut short: not JSON
    lines[7] = json.dumps(edited(studies[7], "protocolSection.statusModule.overallStatus", "NAPPING")) + "\n"
    lines[9] = (
        json.dumps(edited(studies[9], "protocolSection.designModule.enrollmentInfo", {"count": "many"}))
        + "\n"
    )
    lines[12] = "\n"  # blank
    lines[14] = lines[14].replace('"nctId": "', '"nctId": "\\ud800', 1)  # a lone surrogate
    lines[20] = "[1, 2]\n"
    lines[25] = lines[25].rstrip("\n") + "\r" + json.dumps(later) + "\r\n"  # a lone CR: two lines
    lines[30] = '{"protocolSection": {"identificationModule": {"nctId": "NCT0000001"}}}\n'
    return _lines(tmp_path / "broken.jsonl", lines)


def test_lines_left_to_the_per_record_reader_load_as_record_by_record(tmp_path: Path) -> None:
    path = _broken(tmp_path)
    loaded = _same_either_way(path, skip_invalid=True)
    assert loaded.skipped and {problem.where.split(": ")[0].split(" ")[0] for problem in loaded.problems} >= {
        f"{path}:{line}" for line in (4, 15, 21)
    }
    with pytest.raises(LoadError) as in_columns:
        load_in_columns(path)
    with pytest.raises(LoadError) as by_record:
        load_graph([path], read_ahead=False)
    assert [str(problem) for problem in in_columns.value.problems] == [
        str(problem) for problem in by_record.value.problems
    ]


def test_what_is_not_one_json_lines_file_of_studies_is_left_to_the_per_record_load(tmp_path: Path) -> None:
    assert load_in_columns(STUDIES_ZIP) is None
    assert load_in_columns(tmp_path) is None
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b'{"a": 1}\n\x00\x01')
    assert load_in_columns(binary) is None
    assert load_in_columns(_lines(tmp_path / "blank.jsonl", ["\n", " \n"])) is None
