"""A loaded trial graph: the graph, its index, what loading it found, its version; made from
documents (:func:`load_graph`) or opened from a snapshot (:func:`open_snapshot`)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from graph.build import build
from graph.compact.graph import CompactGraph
from graph.compact.snapshot import read_snapshot, write_snapshot
from graph.errors import Problem
from graph.index import GraphIndex
from graph.load import Progress, load_records
from graph.sources import input_fingerprint


@dataclass(slots=True)
class TrialGraph:
    """Everything the upper layers need to answer from one load of documents."""

    graph: CompactGraph
    index: GraphIndex
    problems: list[Problem]
    skipped: list[str]
    version: str  # changes whenever the loaded data changes
    fingerprint: str  # of the input files (paths, sizes, modification times)


def load_graph(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> TrialGraph:
    """Load documents, resolve them into one graph and index it.

    Raises :class:`~graph.errors.LoadError` when a document is broken, unless
    ``skip_invalid`` is set; a broken document never reaches the graph.
    """
    paths = list(paths)
    loaded = load_records(paths, skip_invalid=skip_invalid, progress=progress)
    digest = hashlib.blake2b(digest_size=8)
    for record in loaded.records:
        digest.update(f"{record.nct_id}|{record.last_updated}|{record.source}\n".encode())
    version = digest.hexdigest()
    documents = sorted({source.path for found in loaded.sources.values() for source in found})
    attributes = {"dataVersion": version, "trials": len(loaded.records), "sourceDocuments": documents}
    graph, index = build(loaded.records, loaded.sources, attributes)
    return TrialGraph(graph, index, loaded.problems, loaded.skipped, version, input_fingerprint(paths))


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
