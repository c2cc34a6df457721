"""A loaded trial graph: the networkx graph, its index, where its data came from, its version."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from graph.build import build
from graph.compact.graph import CompactGraph
from graph.errors import Problem
from graph.index import GraphIndex
from graph.load import Progress, load_records
from graph.model import Source


@dataclass(slots=True)
class TrialGraph:
    """Everything the upper layers need to answer from one load of documents."""

    graph: CompactGraph
    index: GraphIndex
    sources: dict[str, list[Source]]
    problems: list[Problem]
    skipped: list[str]
    version: str  # changes whenever the loaded data changes


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
    loaded = load_records(paths, skip_invalid=skip_invalid, progress=progress)
    digest = hashlib.blake2b(digest_size=8)
    for record in loaded.records:
        digest.update(f"{record.nct_id}|{record.last_updated}|{record.source}\n".encode())
    version = digest.hexdigest()
    attributes = {"dataVersion": version, "trials": len(loaded.records)}
    graph, index = build(loaded.records, loaded.sources, attributes)
    return TrialGraph(graph, index, loaded.sources, loaded.problems, loaded.skipped, version)
