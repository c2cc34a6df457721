"""The words text search finds trials by, found in columns (graph/bulk/textwords.py), are the
words the per-record path finds (graph.compact.index.text_words over a trial's attributes and
conditions): on the 880 registry records, and on texts of every kind (not ASCII, an ampersand, a
hyphen or an apostrophe inside or around a word, keywords ASCII and not in one trial)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from graph.build.trialattributes import trial_attributes
from graph.bulk.registryjson import read_registry_json
from graph.bulk.textwords import key_pairs, words_of, words_of_trials
from graph.compact.index import text_words
from graph.compact.index import trial_words as words_per_record
from graph.compact.tables import MultiMap
from graph.read.records import load_records
from tests.graph.registryframes import edited, registry_studies, write_json_lines

pytestmark = pytest.mark.timeout(600)
TEXTS = [
    "Stem-cell therapy, in stroke; APG-2575",
    "R&D of Crohn's disease",
    "Hôpital Saint-Louis & APG-2575, M.D.",
    "Diyarbakır Søndre Ærø",
    "don't -- stop' 'quoted' a-'b x'-y",
    "日本語のテキスト and English",
    "two\nlines & more",
    "   ",
    "",
    "UPPER lower MiXeD 123abc",
]


def _by_trial(frame: pl.DataFrame, by: str) -> dict[object, set[str]]:
    found: dict[object, set[str]] = {}
    for key, word in frame.select(by, "word").iter_rows():
        found.setdefault(key, set()).add(word)
    return found


def test_each_texts_words_are_those_text_words_finds() -> None:
    texts = pl.DataFrame({"at": list(range(len(TEXTS))) * 2, "text": TEXTS + [None] * len(TEXTS)})
    found = _by_trial(words_of(texts, "at"), "at")
    assert found == {at: text_words(text) for at, text in enumerate(TEXTS) if text_words(text)}


def test_a_trials_words_in_columns_are_the_per_record_paths(tmp_path: Path) -> None:
    studies = registry_studies()
    edits = [
        ("protocolSection.conditionsModule.keywords", ["Q.Z.X", "Ünïcode-based", "plain words"]),
        ("protocolSection.conditionsModule.keywords", ["Crohn's", "stem-cell"]),
        ("protocolSection.identificationModule.briefTitle", "Étude de l'hôpital & co, phase-2"),
        ("protocolSection.identificationModule.acronym", "A&B"),
        ("protocolSection.descriptionModule.briefSummary", "x'-y -- 'quoted' a-'b"),
        ("protocolSection.conditionsModule.conditions", ["Søndre & Ærø", "R&D", "Non-Small Cell"]),
    ]
    for at, (place, value) in enumerate(edits):
        studies[at] = edited(studies[at], place, value)
    path = write_json_lines(tmp_path / "registry.jsonl", studies)
    found = read_registry_json(path)
    records = load_records([path]).records
    assert len(records) == found["studies"].height == 880
    expected = {
        record.nct_id: words_per_record(trial_attributes(record, [record.source]), record.conditions)
        for record in records
    }
    assert _by_trial(words_of_trials(found["trials"], found["conditions"]), "nct") == expected
    # Keywords are one text: with one not ASCII, all are split as words() splits them.
    assert {"qzx", "unicodebased", "plain", "words"} <= expected[records[0].nct_id]


def test_words_given_in_columns_are_indexed_as_words_given_one_by_one() -> None:
    words = pl.Series(["stroke", "care", "stroke", "flu", "care"])
    numbers = pl.Series([3, 3, 1, 2, 1], dtype=pl.UInt32)
    table = MultiMap.build({"stroke": [5], "fever": [4]}, pairs=[key_pairs(words, numbers)])
    one_by_one = MultiMap.build({"stroke": [5, 3, 1], "care": [3, 1], "flu": [2], "fever": [4]})
    for key in ("stroke", "care", "flu", "fever", "none"):
        assert table.get(key).tolist() == one_by_one.get(key).tolist(), key
    assert table.get("stroke").tolist() == [1, 3, 5]
