"""Loading documents into trial records: every input read, every document parsed, one record
per trial.

Loading is all or nothing: a document with an error stops the load with every problem found
(:class:`~graph.errors.LoadError`), unless ``skip_invalid`` is set, in which case the broken
document is left out whole and reported. A trial found in several documents is one trial:
the record updated last wins (on the same day registry JSON over classic XML over a page,
then the later input), and every document stays in its provenance.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from graph.errors import LoadError, Problem, Report
from graph.model import Source, TrialRecord
from graph.read.documents import Document
from graph.read.pages.page import parse_page
from graph.read.registry.study import parse_study
from graph.read.registry.typedstudy import typed_study
from graph.read.sources import find_inputs, read_input
from graph.read.xml.study import parse_clinical_study

FORMAT_RANK = {"page": 0, "ctgov-xml": 1, "ctgov-json": 2}


BUILT = "built"  # the last step of a load


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a load has come: inputs read of all inputs, records read so far (a trial read
    from two documents counts twice), and bytes read of all the inputs' bytes; once building,
    the step under way and how much of it is done (0 of 0 for a step not counted), and at the
    end the step :data:`BUILT`."""

    inputs_done: int
    inputs_total: int
    records: int
    current: str
    bytes_done: int = 0
    bytes_total: int = 0
    step: str = ""  # once every input is read: the step of building the graph under way
    step_done: int = 0
    step_total: int = 0

    @property
    def building(self) -> bool:
        """Whether every input is read and the graph is being built."""
        return bool(self.step)


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
    if document.xml is not None:
        source = Source(item.path, item.member, format="ctgov-xml")
        return parse_clinical_study(document.xml, source, report)
    source = Source(item.path, item.member, document.line, document.json_path, "ctgov-json")
    if document.typed is not None:
        return typed_study(document.typed, document.json_text, source, report)
    return parse_study(document.study, document.json_path, source, report, document.unicode_checked)


@dataclass(slots=True)
class Reading:
    """What reading documents found besides records: every problem, and what was left out."""

    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def record_of(document: Document, reading: Reading) -> TrialRecord | None:
    """The record of ``document``; ``None`` if it has errors (in ``reading``, which notes it
    left out)."""
    record = parse_document(document, Report(document.name, sink=reading.problems))
    if record is None:
        where = document.name if document.json_path == "$" else f"{document.name} {document.json_path}"
        reading.skipped.append(where)
    return record


def iter_records(
    paths: Iterable[str | os.PathLike[str]],
    reading: Reading,
    progress: Callable[[Progress], None] | None = None,
) -> Iterator[TrialRecord]:
    """Every valid record under ``paths``, in the order read; problems go to ``reading``.

    ``progress`` hears after every document (a printer chooses how often to show it).
    """
    finding = Report(sink=reading.problems)
    inputs = find_inputs(paths, finding)
    reading.skipped.extend(problem.where for problem in finding.problems if problem.is_error)
    records = 0
    total = sum(item.size for item in inputs)
    before = 0  # bytes of the inputs done
    for done, item in enumerate(inputs, start=1):
        report = Report(sink=reading.problems)
        for document in read_input(item, report):
            record = record_of(document, reading)
            if record is not None:
                records += 1
                yield record
            if progress is not None:
                progress(Progress(done - 1, len(inputs), records, item.name, before + document.read, total))
        reading.skipped.extend(problem.where for problem in report.problems if problem.is_error)
        before += item.size
        if progress is not None:
            progress(Progress(done, len(inputs), records, item.name, before, total))


def load_records(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> Loaded:
    """Read and parse every document under ``paths``; one record per trial, in NCT order.

    Raises
    ------
    LoadError
        If a document has an error and ``skip_invalid`` is not set; nothing is returned then.
    """
    reading = Reading()
    chosen, sources = chosen_records(iter_records(paths, reading, progress))
    if not skip_invalid and any(problem.is_error for problem in reading.problems):
        raise LoadError(reading.problems)
    records = [chosen[nct] for nct in sorted(chosen)]
    return Loaded(records, {nct: sources[nct] for nct in sorted(sources)}, reading.problems, reading.skipped)


def chosen_records(records: Iterable[TrialRecord]) -> tuple[dict[str, TrialRecord], dict[str, list[Source]]]:
    """One record per trial of ``records`` (in the order read): the one updated last (on the
    same day registry JSON over classic XML over a page, then the later one); and every source
    naming each trial."""
    chosen: dict[str, TrialRecord] = {}
    sources: dict[str, list[Source]] = {}
    for record in records:
        sources.setdefault(record.nct_id, []).append(record.source)
        current = chosen.get(record.nct_id)
        if current is None or _recency(record) >= _recency(current):
            chosen[record.nct_id] = record
    return chosen, sources


def _recency(record: TrialRecord) -> tuple[str, int]:
    return record.last_updated or "", FORMAT_RANK.get(record.source.format, 0)
