"""A load resolved in columns and handed to the builder (graph/bulk/handover.py) finishes to the
graph and index the per-record path builds: equal content digests (graph/compact/digest.py),
on the registry records (read record by record, and read as JSON Lines in columns, each trial's
own fields too: graph/bulk/trialparts.py), the shared records in every format and a synthetic
corpus."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl
import pytest

from graph.build.builder import build
from graph.build.trialplan import plan_trial
from graph.bulk import storededges
from graph.bulk.edges import resolve_edges
from graph.bulk.entities import resolve_entities
from graph.bulk.handover import TrialPart, handed_over, trial_part
from graph.bulk.recordrows import read_mentions
from graph.bulk.registryjson import read_registry_json
from graph.bulk.registrymentions import registry_mentions
from graph.bulk.rows import Mentions, node_ids
from graph.bulk.textwords import words_of_trials
from graph.bulk.trialparts import trial_parts
from graph.compact.digest import content_digest
from graph.model import Source, Sponsor, TrialRecord
from graph.read.records import Loaded, load_records
from graph.synth import CorpusSpec, write_corpus
from tests.graph.registryframes import registry_studies, write_json_lines
from tests.paths import CTGOV, CTGOV_XML, PAGES
from tests.registry.records import STUDIES_ZIP

pytestmark = pytest.mark.timeout(600)
GRAPH = {"name": "handed over"}


def _per_record(loaded: Loaded) -> str:
    graph, index = build(list(loaded.records), loaded.sources, GRAPH)
    return content_digest(graph, index)


def _handed_over(
    loaded: Loaded,
    mentions: Mentions,
    parts: Iterable[TrialPart] | None = None,
    words: pl.DataFrame | None = None,
) -> str:
    """The digest of the load finished from ``mentions``, ``parts`` (by default, those the
    plans of the loaded records state) and the ``words`` trials are found by that the parts
    leave out."""
    ids = node_ids(mentions)
    if parts is None:
        parts = [
            trial_part(plan_trial(record, loaded.sources.get(record.nct_id, [record.source])))
            for record in loaded.records
        ]
    builder = handed_over(resolve_entities(mentions, ids), resolve_edges(mentions, ids), parts, words)
    graph, index = builder.finish(dict(GRAPH))
    return content_digest(graph, index)


@pytest.mark.parametrize("corpus", ["registry JSON", "shared, every format", "synthetic"])
def test_a_load_resolved_in_columns_finishes_to_the_graph_and_index_built_record_by_record(
    corpus: str, tmp_path: Path
) -> None:
    paths = {"registry JSON": [STUDIES_ZIP], "shared, every format": [CTGOV, PAGES, CTGOV_XML]}
    if corpus == "synthetic":
        paths[corpus] = [tmp_path / "synthetic.jsonl"]
        write_corpus(CorpusSpec(trials=2000, seed=17), paths[corpus][0])
    loaded = load_records(paths[corpus], skip_invalid=True)
    assert len(loaded.records) > 20
    assert _handed_over(loaded, read_mentions(loaded.records)) == _per_record(loaded)


@pytest.mark.parametrize("trials_at_once", [4096, 37])
def test_registry_json_lines_read_in_columns_finish_to_the_graph_built_record_by_record(
    trials_at_once: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storededges, "TRIALS_AT_ONCE", trials_at_once)  # one batch of edges, or many
    path = write_json_lines(tmp_path / "registry.jsonl", registry_studies())
    loaded = load_records([path])
    assert not loaded.problems and len(loaded.records) == 880
    found = read_registry_json(path)
    parts = trial_parts(found, lambda nct: loaded.sources[nct])  # each trial's own fields, in columns
    words = words_of_trials(found["trials"], found["conditions"])
    assert _handed_over(loaded, registry_mentions(found), parts, words) == _per_record(loaded)


def test_the_content_digest_tells_graphs_apart_by_what_they_hold_not_by_their_bytes() -> None:
    def digest(*sponsors: str, name: str = "Acme Inc.") -> str:
        records = [
            TrialRecord(nct, Source("a.json"), sponsors=[Sponsor(sponsor, "LEAD")])
            for nct, sponsor in zip(("NCT00000001", "NCT00000002"), sponsors, strict=True)
        ]
        records[0].brief_title = name
        return content_digest(*build(records))

    same = digest("Acme Inc.", "ACME")
    # The same values built from strings marshal writes otherwise (not interned): the same.
    assert digest("".join(["Acme", " Inc."]), "".join(["AC", "ME"])) == same
    assert digest("Acme Inc.", "ACME", name="".join(["Acme ", "Inc."])) == same
    assert digest("ACME", "Acme Inc.") != same  # other spellings first: the node is named otherwise
    assert digest("Acme Inc.", "ACME", name="Acme") != same  # a trial's attribute
    assert digest("Acme Inc.", "Acme Corp") != same  # counted spellings
