"""Loading documents into trial records: every input read, every document parsed, one record
per trial.

Loading is all or nothing: a document with an error stops the load with every problem found
(:class:`~graph.errors.LoadError`), unless ``skip_invalid`` is set, in which case the broken
document is left out whole and reported. A trial found in several documents is one trial:
the record updated last wins (registry JSON over a page on the same day, then the later
input), and every document stays in its provenance.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graph.ctgov import parse_study
from graph.errors import LoadError, Problem, Report
from graph.model import Source, TrialRecord
from graph.sources import Document, find_inputs, read_input
from graph.textpage import parse_page

FORMAT_RANK = {"page": 0, "ctgov-json": 1}


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a load has come: inputs read of all inputs, and trials found so far."""

    inputs_done: int
    inputs_total: int
    trials: int
    current: str


@dataclass(slots=True)
class Loaded:
    """What a load found: one record per trial in NCT order, where each came from, problems."""

    records: list[TrialRecord]
    sources: dict[str, list[Source]]
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def parse_document(document: Document, report: Report) -> TrialRecord | None:
    """Parse one document into its record; ``None`` if it has errors (all in ``report``)."""
    item = document.input
    if document.page is not None:
        source = Source(item.path, item.member, document.line, format="page")
        return parse_page(document.page, source, report)
    source = Source(item.path, item.member, document.line, document.json_path, "ctgov-json")
    return parse_study(document.study, document.json_path, source, report)


def load_records(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> Loaded:
    """Read and parse every document under ``paths``.

    Raises
    ------
    LoadError
        If a document has an error and ``skip_invalid`` is not set; nothing is returned then.
    """
    finding = Report()
    inputs = find_inputs(paths, finding)
    problems = list(finding.problems)
    skipped = [problem.where for problem in finding.problems if problem.is_error]
    chosen: dict[str, TrialRecord] = {}
    sources: dict[str, list[Source]] = {}
    for done, item in enumerate(inputs, start=1):
        reading = Report(sink=problems)
        for document in read_input(item, reading):
            record = parse_document(document, Report(document.name, sink=problems))
            if record is None:
                where = (
                    document.name if document.json_path == "$" else f"{document.name} {document.json_path}"
                )
                skipped.append(where)
                continue
            sources.setdefault(record.nct_id, []).append(record.source)
            current = chosen.get(record.nct_id)
            if current is None or _recency(record) >= _recency(current):
                chosen[record.nct_id] = record
        skipped.extend(problem.where for problem in reading.problems if problem.is_error)
        if progress is not None:
            progress(Progress(done, len(inputs), len(chosen), item.name))
    if not skip_invalid and any(problem.is_error for problem in problems):
        raise LoadError(problems)
    records = [chosen[nct] for nct in sorted(chosen)]
    return Loaded(records, {nct: sources[nct] for nct in sorted(sources)}, problems, skipped)


def _recency(record: TrialRecord) -> tuple[str, int]:
    return record.last_updated or "", FORMAT_RANK.get(record.source.format, 0)
