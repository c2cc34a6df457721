"""A loaded trial graph: the graph, its index, what loading it found, its version; made from
documents (:func:`load_graph`) or opened from a snapshot (:func:`open_snapshot`)."""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from graph.build.builder import Builder, BuildProgress, build
from graph.build.readahead import planned_trials
from graph.compact.graph import CompactGraph
from graph.compact.index import GraphIndex
from graph.compact.snapshot import read_snapshot, write_snapshot
from graph.errors import LoadError, Problem
from graph.model import Source
from graph.read.records import BUILT, Progress, Reading, load_records
from graph.read.sources import input_fingerprint


@dataclass(slots=True)
class TrialGraph:
    """Everything the upper layers need to answer from one load of documents."""

    graph: CompactGraph
    index: GraphIndex
    problems: list[Problem]
    skipped: list[str]
    version: str  # changes whenever the loaded data changes
    fingerprint: str  # of the input files (paths, sizes, modification times)


# While a graph is built, what it holds so far is frozen out of the collector's scans this often
# (trials added): the builder's tables only grow, and scanning them again at every full
# collection cost a tenth of a load. Frozen garbage cycles wait until the load ends (thawed).
FREEZE_EVERY = 4096
# Per trial: its NCT ID, update date, the document it was taken from and every document naming it.
TrialSeen = tuple[str, str | None, Source, list[Source]]


def load_graph(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    progress: Callable[[Progress], None] | None = None,
    read_ahead: bool | None = None,
) -> TrialGraph:
    """Load documents, resolve them into one graph and index it.

    Raises :class:`~graph.errors.LoadError` when a document is broken, unless
    ``skip_invalid`` is set; a broken document never reaches the graph.

    Documents that come in NCT order, each trial once (a registry download, a corpus in one
    JSON Lines file), are built as they are read, so only the graph stays in memory. Otherwise
    the records are all read first, a trial read twice is resolved (the record updated last
    wins), and the graph is built from them in NCT order: the same graph either way.

    ``read_ahead``: documents in NCT order are read and planned in other processes while this
    one builds (:mod:`graph.build.readahead`); by default when the inputs are large and there is
    another core. The graph is the same either way.
    """
    paths = list(paths)
    relay = Relay(progress)
    streamed = _load_in_order(paths, skip_invalid, relay, read_ahead)
    if streamed is not None:
        return streamed
    loaded = load_records(paths, skip_invalid=skip_invalid, progress=relay)
    seen = [(r.nct_id, r.last_updated, r.source, loaded.sources[r.nct_id]) for r in loaded.records]
    reading = Reading(loaded.problems, loaded.skipped)
    return finish_load(
        lambda attributes, told: build(loaded.records, loaded.sources, attributes, told),
        seen,
        reading,
        paths,
        relay,
    )


class Relay:
    """Passes a load's progress on, keeping the last, so that the steps of building can be told
    with the figures reading ended on."""

    def __init__(self, progress: Callable[[Progress], None] | None) -> None:
        self.progress = progress
        self.last: Progress | None = None

    def __call__(self, found: Progress) -> None:
        self.last = found
        if self.progress is not None:
            self.progress(found)

    def building(self, step: str, done: int = 0, total: int = 0) -> None:
        if self.progress is not None and self.last is not None:
            self.progress(replace(self.last, step=step, step_done=done, step_total=total))


def _load_in_order(
    paths: list[str | os.PathLike[str]], skip_invalid: bool, relay: Relay, read_ahead: bool | None
) -> TrialGraph | None:
    """Build as documents are read; ``None`` as soon as a trial comes out of NCT order."""
    reading = Reading()
    builder = Builder()
    seen: list[TrialSeen] = []
    trials = planned_trials(paths, reading, relay, read_ahead)
    try:
        for nct_id, updated, source, plan in trials:
            if seen and nct_id <= seen[-1][0]:
                return None
            seen.append((nct_id, updated, source, [source]))
            builder.apply(plan)
            if len(seen) % FREEZE_EVERY == 0:
                gc.freeze()
        if not skip_invalid and any(problem.is_error for problem in reading.problems):
            raise LoadError(reading.problems)
        gc.freeze()
        return finish_load(builder.finish, seen, reading, paths, relay)
    finally:
        gc.unfreeze()
        trials.close()
        builder.close()


def finish_load(
    make: Callable[[dict[str, Any], BuildProgress], tuple[CompactGraph, GraphIndex]],
    seen: list[TrialSeen],
    reading: Reading,
    paths: list[str | os.PathLike[str]],
    relay: Relay,
) -> TrialGraph:
    """Make the graph, with its version (changed by any trial's NCT ID, update date or source),
    telling ``relay`` the steps."""
    digest = hashlib.blake2b(digest_size=8)
    documents: set[str] = set()
    for nct, updated, source, sources in seen:
        digest.update(f"{nct}|{updated}|{source}\n".encode())
        documents.update(found.path for found in sources)
    version = digest.hexdigest()
    attributes = {"dataVersion": version, "trials": len(seen), "sourceDocuments": sorted(documents)}
    graph, index = make(attributes, relay.building)
    relay.building(BUILT)
    return TrialGraph(graph, index, reading.problems, reading.skipped, version, input_fingerprint(paths))


def save_snapshot(trial_graph: TrialGraph, path: str | os.PathLike[str]) -> int:
    """Write a snapshot of a loaded graph; return its size in bytes."""
    return write_snapshot(path, trial_graph.graph, trial_graph.index, trial_graph.fingerprint)


def open_snapshot(
    path: str | os.PathLike[str], documents: Iterable[str | os.PathLike[str]] | None = None
) -> TrialGraph:
    """Open a snapshot; with ``documents``, refuse it unless it was made from exactly those.

    Raises :class:`~graph.compact.snapshot.SnapshotError` for a snapshot of another version or
    of other documents.
    """
    expected = None if documents is None else input_fingerprint(list(documents))
    snapshot = read_snapshot(path, expected)
    version = str(snapshot.graph.graph.get("dataVersion", ""))
    return TrialGraph(snapshot.graph, snapshot.index, [], [], version, snapshot.fingerprint)
