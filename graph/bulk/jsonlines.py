"""The lines of a JSON Lines file of registry studies sorted in two: those the columnar reader
takes, and those it leaves to the per-record reader, each by the number the per-record reader
gives it (:func:`graph.read.registry.files.json_lines_documents`: from 1, a lone carriage return
ending a line too, the first line read without its byte order mark).

A line is taken when the typed decoder the per-record reader reads studies with
(:class:`graph.read.registry.shapes.Study`, msgspec) takes it alone: UTF-8, one JSON object in
strict JSON (no trailing comma, NaN, Infinity or lone surrogate, nesting within the decoder's
limits), each field the reader reads of its type. Each study taken is written out as the decoder
decoded it, one a line, its known fields only, and DuckDB reads that: its own JSON reader is laxer
than Python's (it takes a trailing comma, ``nan`` and ``inf``, casts ``1`` to ``'1'``, ``"1"`` and
``1.5`` to integers, keeps the first value of a key given twice where Python keeps the last) and
checks types strictly only where every key is present, so what it reads is what msgspec decoded.
A blank line (all white space to Python) holds nothing; every other line is left to the
per-record reader, whose messages keep its ``FILE:LINE``: not JSON, not UTF-8, not one object (a
list of studies, a number, two objects), a value of the wrong type, a study past what DuckDB reads.

The file is decoded a chunk of whole lines at a time, all of a chunk's lines in one call. Where
that fails, msgspec's message says where (the byte, or the item): the lines before are taken in
one call, that line alone, and the lines after in runs of 1, 2, 4 ... lines, so Python's calls
grow with the lines not taken, not with the lines taken (where msgspec cannot say, a run is
halved). What the file says as a whole (a NUL byte early on, no line but blank ones) is the
loader's to report, as :func:`graph.read.registry.files.json_lines` does.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import msgspec
import numpy as np
import polars as pl

from graph.read.registry.shapes import Study

CHUNK = 1 << 18  # bytes decoded in one call: the fastest of 64 KB to 4 MB on the bench's corpus
LARGEST_LINE = 1 << 24  # bytes of a study written out, at most: DuckDB's maximum_object_size
_STUDIES = msgspec.json.Decoder(list[Study])
_STUDY = msgspec.json.Decoder(Study)
_ENCODER = msgspec.json.Encoder()
_AT_BYTE = re.compile(r"\(byte (\d+)\)$")  # where msgspec found JSON malformed
_AT_ITEM = re.compile(r"at `\$\[(\d+)\]")  # which item msgspec found of the wrong type
_FAILED = (msgspec.DecodeError, RecursionError)  # not of the shapes, or nested too deep


@dataclass(frozen=True, slots=True)
class SortedLines:
    """The numbers (``UInt32``, ascending) of the lines taken, their studies written out in this
    order, and of the lines left to the per-record reader."""

    taken: pl.Series
    unread: pl.Series


def write_typed_lines(
    source: Path, typed: IO[bytes], told: Callable[[int, int], None] | None = None
) -> SortedLines:
    """Sort the lines of JSON Lines ``source``, writing each study taken to ``typed`` as the typed
    decoder decoded it, one a line; ``told`` hears after each chunk how many bytes were read and
    how many lines taken so far.

    >>> import io, tempfile
    >>> study = b'{"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}'
    >>> with tempfile.NamedTemporaryFile(suffix=".jsonl") as file:
    ...     _ = file.write(study + b"\\n\\n[1]\\n" + study[:-1] + b",}\\r\\n" + study + b"\\n")
    ...     _ = file.seek(0)
    ...     lines = write_typed_lines(Path(file.name), typed := io.BytesIO())
    >>> lines.taken.to_list(), lines.unread.to_list(), typed.getvalue().count(b"NCT00000001")
    ([1, 5], [3, 4], 2)
    """
    sorter = _Sorter(typed)
    number = 1
    with open(source, "rb") as file:
        chunk = file.read(CHUNK).removeprefix(codecs.BOM_UTF8)  # as the per-record reader reads line 1
        while chunk:
            chunk += file.readline()  # whole lines
            number = sorter.chunk(chunk.removesuffix(b"\n"), number)
            if told is not None:
                told(file.tell(), sorter.taken)
            chunk = file.read(CHUNK)
    runs = pl.DataFrame({"first": [run[0] for run in sorter.runs], "count": [run[1] for run in sorter.runs]})
    taken = runs.select(
        pl.int_ranges("first", pl.col("first") + pl.col("count"), dtype=pl.UInt32).explode().alias("line")
    )
    return SortedLines(taken["line"].drop_nulls(), pl.Series("line", sorter.unread, dtype=pl.UInt32))


_TAKEN = -1  # every line tried was taken


class _Sorter:
    """Lines sorted as they are read: runs of lines taken (first number, how many), and lines
    left to the per-record reader."""

    def __init__(self, typed: IO[bytes]) -> None:
        self.typed = typed
        self.runs: list[tuple[int, int]] = []
        self.unread: list[int] = []
        self.taken = 0  # lines taken so far

    def chunk(self, text: bytes, number: int) -> int:
        """Sort the whole lines of a chunk (without its last line feed), the first numbered
        ``number``; the number of the line after them."""
        if b"\r" in text:  # each line's last carriage return dropped, the others ending lines
            text = text.removesuffix(b"\r").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        self.lines(text, number)
        return number + text.count(b"\n") + 1

    def lines(self, text: bytes, number: int) -> None:
        """Sort whole lines ``text``, the first numbered ``number``: all in one call if every line
        is taken, else a run at a time, doubling after each line taken alone."""
        count = text.count(b"\n") + 1
        stopped = self._tried(text, number, count)
        if stopped == _TAKEN:
            return
        ends = np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == ord("\n"))
        starts, stops = np.append(0, ends + 1), np.append(ends, len(text))
        line, span = 0, count  # ``stopped`` says how trying lines line to line + span went
        while True:
            if stopped == _TAKEN:
                line, span = line + span, span * 2
            elif stopped == 0 or (stopped is None and span == 1):
                self.alone(text[starts[line] : stops[line]], number + line)
                line, span = line + 1, 1
            else:  # the lines before the one it stopped at, or else half as many
                span = span // 2 if stopped is None else stopped
            if line == count:
                return
            span = min(span, count - line)
            stopped = self._tried(text[starts[line] : stops[line + span - 1]], number + line, span)

    def _tried(self, text: bytes, number: int, count: int) -> int | None:
        """Take the ``count`` lines of ``text`` in one call: ``_TAKEN`` if every one is taken, else
        the index of the line the decoder stopped at, or ``None`` if it cannot tell."""
        if not text.isascii() and (not_utf8 := _not_utf8_at(text)) is not None:
            return _line_of(text, not_utf8)
        try:
            studies = _STUDIES.decode(b"[" + text.replace(b"\n", b",") + b"]")
        except _FAILED as error:
            return _failed_line(error, text, count)
        if len(studies) != count:  # a line holding several values, "{...}, {...}"
            return None
        self._write(studies, number)
        return _TAKEN

    def alone(self, line: bytes, number: int) -> None:
        """Sort one line: taken, blank, or left to the per-record reader."""
        try:
            blank = not line.decode("utf-8").strip()
        except UnicodeDecodeError:
            blank = False
        else:
            if blank:
                return
            try:
                self._write([_STUDY.decode(line)], number)
                return
            except _FAILED:
                pass
        self.unread.append(number)

    def _write(self, studies: list[Study], number: int) -> None:
        encoded = _ENCODER.encode_lines(studies)
        if len(encoded) > LARGEST_LINE:  # one study may be past what DuckDB reads
            for n, study in enumerate(studies):
                if len(one := _ENCODER.encode_lines([study])) > LARGEST_LINE:
                    self.unread.append(number + n)
                else:
                    self.typed.write(one)
                    self._ran(number + n, 1)
            return
        self.typed.write(encoded)
        self._ran(number, len(studies))

    def _ran(self, first: int, count: int) -> None:
        self.taken += count
        if self.runs and sum(self.runs[-1]) == first:  # on from the last run
            self.runs[-1] = (self.runs[-1][0], self.runs[-1][1] + count)
        else:
            self.runs.append((first, count))


def _not_utf8_at(text: bytes) -> int | None:
    """The offset of the first byte of ``text`` that is not UTF-8, as Python decodes it."""
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return None


def _line_of(text: bytes, offset: int) -> int:
    """The index of the line of ``text`` holding the byte at ``offset``."""
    return text.count(b"\n", 0, offset)


def _failed_line(error: Exception, text: bytes, count: int) -> int | None:
    """The index of the line of ``text`` where decoding it as a list stopped, if msgspec says:
    the lines before it were decoded."""
    message = str(error)
    if found := _AT_ITEM.search(message):
        item = int(found.group(1))
        return item if item < count else None
    if found := _AT_BYTE.search(message):  # in "[" + the lines, each line feed made a comma
        return min(_line_of(text, int(found.group(1)) - 1), count - 1)
    return None
