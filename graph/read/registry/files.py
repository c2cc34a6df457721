"""Registry study JSON in its shapes: one study, a list of them, a search page
``{"studies": [...]}``, and JSON Lines, read a line at a time (or from a byte range of the file,
:func:`json_lines_documents`, numbered on from the lines before it). A value that is not JSON,
not UTF-8 or past the decoder's limits is reported at its line.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson

from graph.errors import Report
from graph.read.documents import EMPTY_FILE, JSON_LINES_SUFFIXES, SNIFF, Document, Input
from graph.read.registry.fields import json_type
from graph.read.registry.shapes import decode_studies, decode_study


def json_documents(text: str, item: Input, report: Report) -> Iterator[Document]:
    if item.suffix not in JSON_LINES_SUFFIXES:
        typed = _typed_documents(text, item.name, item, 0, item.size)
        if typed is not None:
            yield from typed
            return
        try:
            value, checked = decode_json(text)
        except json.JSONDecodeError as error:
            if error.msg != "Extra data":
                report.error(f"{item.name}:{error.lineno}", _json_message(error, text))
                return
        except (RecursionError, ValueError) as error:  # past the decoder's limits
            at, message = _beyond_limits(text, error)
            report.error(f"{item.name}:{at}", message)
            return
        else:
            yield from _studies(value, item.name, item, 0, report, item.size, checked)
            return
    # A JSON file holding several values, one per line.
    for number, line in enumerate(text.split("\n"), start=1):
        yield from _json_line(line, number, item, report, item.size)


def json_lines(item: Input, report: Report) -> Iterator[Document]:
    """JSON Lines read a line at a time, so that a file of any size is never whole in memory."""
    try:
        if item.member:
            with zipfile.ZipFile(item.path) as archive, archive.open(item.member) as file:
                yield from _json_lines_of(file, item, report)
        else:
            with open(item.path, "rb") as file:
                yield from _json_lines_of(file, item, report)
    except (OSError, zipfile.BadZipFile, KeyError) as error:
        report.error(item.name, f"cannot be read: {error}")


def _json_lines_of(file: IO[bytes], item: Input, report: Report) -> Iterator[Document]:
    start = file.read(SNIFF)
    if b"\x00" in start:
        offset = start.index(b"\x00")
        report.error(item.name, f"binary file (a NUL byte at offset {offset}); expected UTF-8 text")
        return
    lines = LinesRead()
    yield from json_lines_documents(itertools.chain(_first_lines(start, file), file), item, report, lines)
    if lines.blank:
        report.error(item.name, EMPTY_FILE)


@dataclass(slots=True)
class LinesRead:
    """How far JSON Lines were read: lines (a lone carriage return ends one too), bytes, and
    whether every line so far was blank."""

    number: int = 0
    read: int = 0
    blank: bool = True


def json_lines_documents(
    raws: Iterable[bytes], item: Input, report: Report, lines: LinesRead
) -> Iterator[Document]:
    """The documents of JSON Lines ``raws`` (each a line of the file as read, with its line
    feed), numbered on from ``lines``, which they advance."""
    for raw in raws:
        lines.read += len(raw)
        # A lone carriage return ends a line too, as it does in every other input.
        for piece in raw.rstrip(b"\n").removesuffix(b"\r").split(b"\r"):
            lines.number += 1
            number = lines.number
            if number == 1:
                piece = piece.removeprefix(codecs.BOM_UTF8)
            try:
                line = piece.decode("utf-8")
            except UnicodeDecodeError as error:
                column = len(piece[: error.start].decode("utf-8")) + 1
                byte = piece[error.start]
                report.error(
                    f"{item.name}:{number}",
                    f"not valid UTF-8: byte 0x{byte:02x} at column {column}; save the file as UTF-8",
                )
                continue
            if lines.blank and line.strip():
                lines.blank = False
            yield from _json_line(line, number, item, report, lines.read)


def count_lines(data: bytes) -> int:
    """How many lines whole JSON Lines ``data`` holds, counted as :func:`json_lines_documents`
    numbers them (a lone carriage return ends a line too).

    >>> count_lines(b'{}\\n{}\\r\\n\\n{}\\r{}\\r\\r\\n')
    6
    """
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _first_lines(start: bytes, file: IO[bytes]) -> Iterator[bytes]:
    """The lines of the sniffed ``start``, the last completed from ``file``."""
    lines = start.splitlines(keepends=True)
    if lines and not lines[-1].endswith(b"\n"):
        lines[-1] += file.readline()
    yield from lines


def _json_line(line: str, number: int, item: Input, report: Report, read: int) -> Iterator[Document]:
    if not line.strip():
        return
    typed = _typed_documents(line, f"{item.name}:{number}", item, number, read)
    if typed is not None:
        yield from typed
        return
    try:
        value, checked = decode_json(line)
    except json.JSONDecodeError as error:
        report.error(f"{item.name}:{number}", _json_message(error, line))
        return
    except (RecursionError, ValueError) as error:
        report.error(f"{item.name}:{number}", _beyond_limits(line, error)[1])
        return
    yield from _studies(value, f"{item.name}:{number}", item, number, report, read, checked)


def _typed_documents(text: str, name: str, item: Input, line: int, read: int) -> list[Document] | None:
    """The documents of JSON ``text`` read the typed way (a study, a search page or a list of
    studies, :mod:`graph.read.registry.shapes`); ``None`` if it is read the general way."""
    study = decode_study(text)
    if study is not None:
        return [Document(name, item, line, read=read, typed=study, json_text=text)]
    found = decode_studies(text)
    if found is None:
        return None
    at, studies = found
    return [
        Document(name, item, line, json_path=f"{at}[{n}]", read=read, typed=study, json_text=study_text)
        for n, (study, study_text) in enumerate(studies)
    ]


def decode_json(text: str) -> tuple[Any, bool]:
    """The value of JSON ``text``, and whether its strings are known to hold no lone surrogate.

    orjson reads a study several times faster than ``json`` and refuses a lone surrogate; what
    it refuses (that, NaN, an integer past 64 bits, a syntax error) ``json`` reads as it always
    did, its errors included.

    >>> decode_json('{"a": [1, 2.5]}'), decode_json('["\\ud800", NaN]')[1]
    (({'a': [1, 2.5]}, True), False)
    """
    try:
        return orjson.loads(text), True
    except orjson.JSONDecodeError:
        return json.loads(text), False


def _json_message(error: json.JSONDecodeError, text: str) -> str:
    # An unterminated string runs to the end of the text: nothing closes it.
    truncated = not text[error.pos :].strip() or error.msg.startswith("Unterminated string")
    hint = "; the document looks truncated" if truncated else ""
    at = "" if error.msg.endswith(" at") else " at"  # "Unterminated string starting at"
    return f"invalid JSON: {error.msg}{at} column {error.colno}{hint}"


# Strings (skipped whole), brackets and numbers of JSON text.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?')


def _beyond_limits(text: str, error: Exception) -> tuple[int, str]:
    """The line and message for JSON the decoder refused for a limit rather than its syntax:
    nesting deeper than Python's recursion limit, or an integer with more digits than Python
    converts (``sys.get_int_max_str_digits``)."""
    depth = deepest = offset = 0
    digits = sys.get_int_max_str_digits()
    too_deep = isinstance(error, RecursionError)
    for token in _JSON_TOKEN.finditer(text):
        first = token.group()[0]
        if first in "[{":
            depth += 1
            if depth > deepest:
                deepest, offset = depth, token.start()
        elif first in "]}":
            depth -= 1
        elif not too_deep and (number := token.group().lstrip("-")).isdigit() and len(number) > digits:
            offset = token.start()
            break
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    if too_deep:
        return line, f"invalid JSON: nested {deepest:,} levels deep at column {column}; too deep to read"
    return line, f"invalid JSON: an integer of more than {digits:,} digits at column {column}"


def _studies(
    value: Any, name: str, item: Input, line: int, report: Report, read: int, checked: bool
) -> Iterator[Document]:
    """Study objects of one JSON value: a study, a list of them, or a search page; ``read``
    bytes of the input were read once it was; ``checked``: it holds no lone surrogate."""
    if isinstance(value, dict) and "protocolSection" not in value and "studies" in value:
        studies, at, holder = value["studies"], "$.studies", "the search page"
        if not isinstance(studies, list):
            report.error(f"{name}: {at}", f"expected a list of studies, got {json_type(studies)}")
            return
    elif isinstance(value, list):
        studies, at, holder = value, "$", "the list"
    elif isinstance(value, dict):
        yield Document(name, item, line, study=value, json_path="$", read=read, unicode_checked=checked)
        return
    else:
        what = json_type(value)
        report.error(
            f"{name}: $",
            f"expected a study object, a list of them or a search page {{'studies': [...]}}, got {what}",
        )
        return
    if not studies:
        report.warning(f"{name}: {at}", f"{holder} holds no studies")
    for n, study in enumerate(studies):
        yield Document(
            name, item, line, study=study, json_path=f"{at}[{n}]", read=read, unicode_checked=checked
        )
