"""Trials read and planned in other processes while this one builds the graph.

Reading a document, parsing it and planning what it adds (:func:`graph.build.trialplan.plan_trial`)
needs nothing but the document, and is most of a load's work. For a large load, child
processes do it and send batches of plans over pipes as :mod:`marshal` bytes (a plan holds only
plain values); this process only adds them to the graph. One JSON Lines file (a registry
corpus) is read in chunks of :data:`CHUNK_BYTES`, dealt to the children in turn, each child
counting the lines of the chunks it passes over so that every document keeps its line; other
inputs are read by one child, in order. Either way the trials, the problems, the documents left
out and the progress come here in the order a load in this process finds them, so the graph and
the report are the same.

Each pipe is drained by a thread of its own into a short queue: a child that gets ahead waits,
so memory stays flat. An exception in a child is raised here, with the child's traceback as a
note; closing the iterator early stops the children. A child is a fresh interpreter
(``python -c``, calling :func:`main`): never a fork of a process that may run threads, never an
import of the caller's main module.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import IO, Any

from graph.build.trialplan import TrialPlan, plan_trial
from graph.errors import Problem, Report, Severity
from graph.model import Source, TrialRecord
from graph.read.documents import EMPTY_FILE, JSON_LINES_SUFFIXES, SNIFF, Input
from graph.read.records import Progress, Reading, iter_records, record_of
from graph.read.registry.files import LinesRead, count_lines, json_lines_documents
from graph.read.sources import find_inputs

# Inputs of at least this many bytes (about 700 registry records) are read in other processes,
# when there is another core: below it, starting the processes costs more than it saves.
READ_AHEAD_BYTES = 4 << 20
CHUNK_BYTES = 1 << 20  # of one JSON Lines file, dealt to the children in turn
MOST_CHILDREN = 4  # beyond that this process, adding what they plan, cannot keep up
BATCH = 64  # trials a message carries at most
QUEUED = 8  # messages a child may have waiting here

# A trial as the builder takes it: NCT ID, update date, the document it came from, its plan.
Planned = tuple[str, str | None, Source, TrialPlan]
Paths = Sequence[str | os.PathLike[str]]


def planned_trials(
    paths: Paths,
    reading: Reading,
    progress: Callable[[Progress], None] | None = None,
    read_ahead: bool | None = None,
) -> Generator[Planned, None, None]:
    """Every valid trial under ``paths`` with its plan, in the order read; problems go to
    ``reading``. ``read_ahead``: in other processes (by default when the inputs are large and
    there is another core)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if read_ahead is None:
        read_ahead = cores > 1 and _input_bytes(paths) >= READ_AHEAD_BYTES
    if not read_ahead:
        return _planned_here(paths, reading, progress)
    item = _one_json_lines_file(paths)
    if item is not None:
        return _planned_in_chunks(item, max(2, min(cores, MOST_CHILDREN)), reading, progress)
    return _planned_ahead(paths, reading, progress)


def _planned_here(
    paths: Paths, reading: Reading, progress: Callable[[Progress], None] | None
) -> Generator[Planned, None, None]:
    for record in iter_records(paths, reading, progress):
        yield _planned(record)


def _planned(record: TrialRecord) -> Planned:
    return record.nct_id, record.last_updated, record.source, plan_trial(record, [record.source])


def _planned_ahead(
    paths: Paths, reading: Reading, progress: Callable[[Progress], None] | None
) -> Generator[Planned, None, None]:
    """Read and planned by one child, in order."""
    with _Children([["all", *(os.fspath(path) for path in paths)]]) as children:
        records = 0
        while True:
            trials, _, found, done = yield from _message(children, 0, reading)
            records += trials
            if found is not None and progress is not None:
                progress(Progress(found[0], found[1], records, *found[2:]))
            if done:
                return


def _planned_in_chunks(
    item: Input, count: int, reading: Reading, progress: Callable[[Progress], None] | None
) -> Generator[Planned, None, None]:
    """One JSON Lines file in chunks: chunk ``n`` is read by child ``n % count``."""
    chunks = -(-item.size // CHUNK_BYTES)
    arguments = [str(count), str(CHUNK_BYTES), item.path]
    with _Children([["chunks", str(child), *arguments] for child in range(count)]) as children:
        records = 0
        input_skipped: list[str] = []  # told once the input is read, as iter_records does
        blank = True
        for chunk in range(chunks):
            while True:
                trials, more_skipped, found, done = yield from _message(children, chunk % count, reading)
                records += trials
                input_skipped.extend(more_skipped)
                if done:
                    blank = blank and found[2]
                    if progress is not None:
                        progress(Progress(0, 1, records, item.name, found[1], item.size))
                    break
        if blank:
            reading.problems.append(Problem(item.name, EMPTY_FILE))
            input_skipped.append(item.name)
        reading.skipped.extend(input_skipped)
        if progress is not None:
            progress(Progress(1, 1, records, item.name, item.size, item.size))


def _message(children: _Children, child: int, reading: Reading) -> Generator[Planned, None, tuple[Any, ...]]:
    """Yield the trials of a child's next message and note what it found in ``reading``; how
    many trials it held, then the rest of the message: the input's documents left out, how far
    the child has come, whether it is done (with its input, or with a chunk)."""
    trials, problems, skipped, input_skipped, found, done = children.receive(child)
    for nct_id, updated, source, plan in trials:
        yield nct_id, updated, Source(*source), plan
    reading.problems.extend(Problem(where, text, Severity(level)) for where, text, level in problems)
    reading.skipped.extend(skipped)
    return len(trials), input_skipped, found, done


def _input_bytes(paths: Paths) -> int:
    """The size of the files under ``paths``, counted until it reaches :data:`READ_AHEAD_BYTES`."""
    total = 0
    for path in paths:
        listed = os.walk(path) if os.path.isdir(path) else [("", [], [os.fspath(path)])]
        for root, _, files in listed:
            for name in files:
                try:
                    total += os.path.getsize(os.path.join(root, name))
                except OSError:
                    continue  # reading it will report it
                if total >= READ_AHEAD_BYTES:
                    return total
    return total


def _one_json_lines_file(paths: Paths) -> Input | None:
    """The input, if ``paths`` is one JSON Lines file (not in a zip file) that does not start as
    a binary file: what can be read in chunks."""
    if len(paths) != 1 or not os.path.isfile(paths[0]):
        return None
    problems: list[Problem] = []
    inputs = find_inputs(paths, Report(sink=problems))
    if problems or len(inputs) != 1 or inputs[0].member or inputs[0].suffix not in JSON_LINES_SUFFIXES:
        return None
    try:
        with open(inputs[0].path, "rb") as file:
            return None if b"\x00" in file.read(SNIFF) else inputs[0]
    except OSError:
        return None


# A child imports this package from where this process did, whatever its path.
_CHILD = "import sys; sys.path.insert(0, sys.argv.pop(1)); from graph.build.readahead import main; main()"


class _Children:
    """Child processes, each with a thread draining its pipe into a queue of messages."""

    def __init__(self, commands: list[list[str]]) -> None:
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        thresholds = ",".join(map(str, gc.get_threshold()))
        self.processes: list[subprocess.Popen[bytes]] = []
        self.queues: list[queue.Queue[bytes | None]] = []
        self.threads: list[threading.Thread] = []
        for command in commands:
            process = subprocess.Popen(
                [sys.executable, "-c", _CHILD, package_root, thresholds, *command],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
            )
            self.processes.append(process)
            self.queues.append(queue.Queue(QUEUED))
            assert process.stdout is not None
            thread = threading.Thread(
                target=_drain,
                args=(process.stdout, self.queues[-1]),
                name="trialgraph-read-ahead",
                daemon=True,
            )
            thread.start()
            self.threads.append(thread)

    def __enter__(self) -> _Children:
        return self

    def __exit__(self, *exception: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process, waiting, thread in zip(self.processes, self.queues, self.threads, strict=True):
            while thread.is_alive():  # until it has read to the end of the pipe
                with contextlib.suppress(queue.Empty):
                    waiting.get(timeout=0.05)
            process.wait()
            assert process.stdout is not None
            process.stdout.close()

    def receive(self, child: int) -> tuple[Any, ...]:
        """Child ``child``'s next message; its exception if it failed."""
        message = self.queues[child].get()
        if message is None:
            stopped = f"the process reading ahead stopped (exit code {self.processes[child].wait()})"
            raise RuntimeError(stopped)
        found: tuple[Any, ...] = marshal.loads(message)
        if found[0] == "failed":
            raise _raised(found[1], found[2])
        return found


def _drain(pipe: IO[bytes], into: queue.Queue[bytes | None]) -> None:
    """Move a child's messages (each its length in 8 bytes, then marshal bytes) into ``into``;
    ``None`` once the pipe ends."""
    while len(head := pipe.read(8)) == 8:
        into.put(pipe.read(int.from_bytes(head, "little")))
    into.put(None)


def _raised(pickled: bytes, child_traceback: str) -> BaseException:
    """The exception a child raised (or a RuntimeError if it could not be sent), noting where."""
    try:
        error: BaseException = pickle.loads(pickled) if pickled else RuntimeError("reading ahead failed")
    except Exception:
        error = RuntimeError("reading ahead failed")
    error.add_note(f"raised in the process reading ahead:\n{child_traceback}")
    return error


# -- in a child -------------------------------------------------------------------------------


class _Sender:
    """Sends a child's trials in batches, each with what was found since the last one."""

    def __init__(self, stream: IO[bytes], reading: Reading) -> None:
        self.stream, self.reading = stream, reading
        self.batch: list[Any] = []
        self.told = (0, 0)  # problems and documents left out sent so far
        self.progress: Any = None  # how far reading has come, sent with the next message

    def add(self, record_plan: Planned) -> None:
        nct_id, updated, source, plan = record_plan
        fields = (source.path, source.member, source.line, source.json_path, source.format)
        self.batch.append((nct_id, updated, fields, plan))
        if len(self.batch) == BATCH:
            self.send()

    def send(self, input_skipped: list[str] | None = None, found: Any = None, done: bool = False) -> None:
        reading, (problems, skipped) = self.reading, self.told
        new_problems = [(p.where, p.message, p.severity.value) for p in reading.problems[problems:]]
        self.told = (len(reading.problems), len(reading.skipped))
        if found is None:
            found, self.progress = self.progress, None
        message = (self.batch, new_problems, reading.skipped[skipped:], input_skipped or [], found, done)
        self.batch = []
        _write(self.stream, marshal.dumps(message))
        # What stays alive in a child (the key caches) is frozen out of later collections, which
        # would otherwise scan it again and again; a child makes no cycles worth collecting.
        gc.freeze()


def _write(stream: IO[bytes], message: bytes) -> None:
    stream.write(len(message).to_bytes(8, "little"))
    stream.write(message)
    stream.flush()


def _read_all(stream: IO[bytes], paths: list[str]) -> None:
    """Read and plan everything under ``paths``, in order; the last message says it is done."""
    reading = Reading()
    sender = _Sender(stream, reading)

    def heard(found: Progress) -> None:
        sender.progress = (
            found.inputs_done,
            found.inputs_total,
            found.current,
            found.bytes_done,
            found.bytes_total,
        )

    for planned in _planned_here(paths, reading, heard):
        sender.add(planned)
    sender.send(done=True)


def _read_chunks(stream: IO[bytes], child: int, count: int, chunk_bytes: int, path: str) -> None:
    """Read and plan chunks ``child``, ``child + count``, ... of one JSON Lines file; after each
    a message says it is done, with where it ended and whether its lines were all blank."""
    item = Input(path, size=os.path.getsize(path))
    reading = Reading()
    sender = _Sender(stream, reading)
    lines = LinesRead()
    with open(path, "rb") as file:
        for chunk in range(child, -(-item.size // chunk_bytes), count):
            start = _line_start(file, chunk * chunk_bytes)
            end = (chunk + 1) * chunk_bytes
            file.seek(lines.read)
            lines.number += count_lines(file.read(start - lines.read))  # the chunks passed over
            lines.read, lines.blank = start, True
            report = Report(sink=reading.problems)
            for document in json_lines_documents(_raw_lines(file, start, end), item, report, lines):
                record = record_of(document, reading)
                if record is not None:
                    sender.add(_planned(record))
            input_skipped = [problem.where for problem in report.problems if problem.is_error]
            sender.send(input_skipped, found=(chunk, lines.read, lines.blank), done=True)


def _line_start(file: IO[bytes], offset: int) -> int:
    """Where the first line starting at or after ``offset`` starts."""
    if offset == 0:
        return 0
    file.seek(offset - 1)
    return offset - 1 + len(file.readline())


def _raw_lines(file: IO[bytes], start: int, end: int) -> Iterator[bytes]:
    """The lines that start from ``start`` to before ``end``, with their line feeds."""
    file.seek(start)
    at = start
    while at < end and (raw := file.readline()):
        at += len(raw)
        yield raw


def main() -> None:
    """A child, with arguments ``THRESHOLDS all PATH...`` or ``THRESHOLDS chunks CHILD COUNT
    BYTES PATH``: what :func:`planned_trials` starts."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it
    gc.set_threshold(*map(int, sys.argv[1].split(",")))
    stream = sys.stdout.buffer
    try:
        if sys.argv[2] == "all":
            _read_all(stream, sys.argv[3:])
        else:
            child, count, chunk_bytes = map(int, sys.argv[3:6])
            _read_chunks(stream, child, count, chunk_bytes, sys.argv[6])
    except BrokenPipeError:
        pass  # the parent stopped reading
    except BaseException as error:
        try:
            pickled = pickle.dumps(error)
        except Exception:  # the traceback still says what it was
            pickled = b""
        _write(stream, marshal.dumps(("failed", pickled, traceback.format_exc())))
