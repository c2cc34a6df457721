"""A JSON Lines file of registry studies loaded in columns: the same trial graph, index,
problems and version :func:`graph.build.loading.load_graph` makes of it record by record.

The reader (:func:`graph.bulk.registryjson.read_registry_json`) reads every line it takes in
columns; the lines it leaves (not JSON, a study the per-record reader reports on, an NCT ID on
two lines ...) are read record by record here, so their problems name their ``FILE:LINE``, and
strict loading and ``skip_invalid`` behave as they do there. The two parts are resolved together
in NCT order (:func:`graph.bulk.interleaved.interleaved`) and handed to the builder
(:mod:`graph.bulk.handover`), which finishes the graph.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from graph.build.builder import Builder
from graph.build.loading import Relay, TrialGraph, TrialSeen, finish_load
from graph.build.trialplan import plan_trial
from graph.bulk.edges import resolve_edges
from graph.bulk.entities import resolve_entities
from graph.bulk.handover import TrialPart, handed_over, trial_part
from graph.bulk.interleaved import interleaved
from graph.bulk.recordrows import read_mentions
from graph.bulk.registryjson import read_registry_json
from graph.bulk.registrymentions import registry_mentions
from graph.bulk.rows import node_ids
from graph.bulk.textwords import words_of_trials
from graph.bulk.trialparts import trial_parts
from graph.errors import LoadError, Report
from graph.model import Source, TrialRecord
from graph.read.documents import SNIFF, Document, Input
from graph.read.records import Progress, Reading, chosen_records, record_of
from graph.read.registry.files import LinesRead, json_lines_documents
from graph.read.sources import find_inputs

RESOLVING = "resolving in columns"  # the step after reading, before the builder's own


def load_in_columns(
    path: str | os.PathLike[str],
    *,
    skip_invalid: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> TrialGraph | None:
    """Load one JSON Lines file of registry studies in columns; ``None`` where ``path`` is not
    one (a folder, a zip, a page, a file whose whole is wrong: binary, or no study in it), to be
    loaded record by record.

    Raises :class:`~graph.errors.LoadError` when a line is broken, unless ``skip_invalid`` is set.
    """
    item = _json_lines_file(path)
    if item is None:
        return None
    relay = Relay(progress)
    relay(Progress(0, 1, 0, item.name, 0, item.size))
    reading = Reading()
    found, records = _read(
        item, reading, lambda done, taken: relay(Progress(0, 1, taken, item.name, done, item.size))
    )
    if not skip_invalid and any(problem.is_error for problem in reading.problems):
        raise LoadError(reading.problems)
    if found["studies"].is_empty() and not records:
        return None  # read record by record, to say what is wrong with the file as a whole
    relay(Progress(1, 1, found["studies"].height + len(records), item.name, item.size, item.size))
    relay.building(RESOLVING)
    builder, seen = _handed_over(item, found, records)
    del found, records  # the frames and records are done with: the builder holds what is kept
    try:
        return finish_load(builder.finish, seen, reading, [path], relay)
    finally:
        builder.close()


def _read(
    item: Input, reading: Reading, told: Callable[[int, int], None]
) -> tuple[dict[str, pl.DataFrame], list[TrialRecord]]:
    """The file read in columns, and the records of the lines the reader leaves (a trial also on
    such a line is read that way whole: the one updated last wins there); ``told`` hears how many
    bytes were read and lines taken as the lines are sorted."""
    found = read_registry_json(Path(item.path), told)
    records = _records(item, set(found["unread"]["line"].to_list()), reading)
    twice = found["studies"].filter(pl.col("nct").is_in([record.nct_id for record in records]))
    if len(twice):
        records += _records(item, set(twice["line"].to_list()), reading)
        left = ~pl.col("nct").is_in(twice["nct"].implode())
        found = {
            name: frame.filter(left) if "nct" in frame.columns else frame for name, frame in found.items()
        }
    return found, records


def _handed_over(
    item: Input, found: dict[str, pl.DataFrame], records: list[TrialRecord]
) -> tuple[Builder, list[TrialSeen]]:
    """The builder holding every trial, read in columns or record by record, resolved together in
    NCT order; and each trial as the load's version counts it."""
    chosen, sources = chosen_records(sorted(records, key=lambda record: record.source.line))
    studies = found["studies"]
    lines = dict(studies.select("nct", "line").iter_rows())

    def sources_of(nct: str) -> list[Source]:
        listed = sources.get(nct)
        return (
            listed if listed is not None else [Source(item.path, item.member, lines[nct], "$", "ctgov-json")]
        )

    every = sorted([*lines, *chosen])
    place = {nct: at for at, nct in enumerate(every)}
    by_record = [chosen[nct] for nct in sorted(chosen)]
    mentions = interleaved(
        [
            (registry_mentions(found), [place[nct] for nct in studies["nct"]]),
            (read_mentions(by_record), [place[record.nct_id] for record in by_record]),
        ]
    )
    ids = node_ids(mentions)
    parts = _in_order(
        every,
        trial_parts(found, sources_of),
        {record.nct_id: trial_part(plan_trial(record, sources[record.nct_id])) for record in by_record},
    )
    updated = dict(found["trials"].select("nct", "last_updated").iter_rows())
    updated |= {record.nct_id: record.last_updated for record in by_record}
    seen: list[TrialSeen] = []
    for nct in every:
        named = sources_of(nct)
        seen.append((nct, updated[nct], chosen[nct].source if nct in chosen else named[0], named))
    words = words_of_trials(found["trials"], found["conditions"])
    return handed_over(resolve_entities(mentions, ids), resolve_edges(mentions, ids), parts, words), seen


def _json_lines_file(path: str | os.PathLike[str]) -> Input | None:
    """The input ``path`` names, where it is one plain JSON Lines file that is not binary."""
    inputs = find_inputs([path], Report())
    if len(inputs) != 1 or inputs[0].member or inputs[0].suffix != ".jsonl":
        return None
    with open(inputs[0].path, "rb") as file:
        if b"\x00" in file.read(SNIFF):
            return None
    return inputs[0]


def _records(item: Input, lines: set[int], reading: Reading) -> list[TrialRecord]:
    """The records of the given lines of a JSON Lines file, read record by record."""
    records = []
    report = Report(sink=reading.problems)
    for document in _documents_at(item, lines, report):
        record = record_of(document, reading)
        if record is not None:
            records.append(record)
    # A line that is not a document at all is left out too (as graph.read.records.iter_records says).
    reading.skipped.extend(problem.where for problem in report.problems if problem.is_error)
    return records


def _documents_at(item: Input, wanted: set[int], report: Report) -> Iterator[Document]:
    """The documents of the ``wanted`` lines of a JSON Lines file (numbered as
    :func:`~graph.read.registry.files.json_lines_documents` numbers them)."""
    if not wanted:
        return
    read = LinesRead()
    last = max(wanted)
    with open(item.path, "rb") as file:
        for raw in file:
            pieces = raw.rstrip(b"\n").removesuffix(b"\r").count(b"\r") + 1  # a lone CR ends one too
            if any(number in wanted for number in range(read.number + 1, read.number + pieces + 1)):
                at = LinesRead(read.number, read.read)
                for document in json_lines_documents([raw], item, report, at):
                    if document.line in wanted:
                        yield document
            read.number += pieces
            read.read += len(raw)
            if read.number >= last:
                return


def _in_order(
    every: list[str], typed: Iterator[TrialPart], by_record: dict[str, TrialPart]
) -> Iterator[TrialPart]:
    """The trial parts of the trials read in columns (``typed``, in NCT order) and of those read
    record by record, in the order of ``every``."""
    for nct in every:
        found = by_record.get(nct)
        yield found if found is not None else next(typed)
