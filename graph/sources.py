"""Finding and reading input documents: files, directories, zip files, and the JSON shapes.

An *input* is one file, or one member of a zip file. Reading an input gives the trial
documents it holds: a trial page, a classic registry XML study (``<clinical_study>``), or
registry study objects from a single study, a list, a search page ``{"studies": [...]}`` or
JSON Lines. What cannot be read (a missing path, an empty, binary, badly encoded, malformed or
unrecognised file) is reported with its location.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
import os
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from graph.ctgov import json_type
from graph.errors import Report

PAGE_SUFFIXES = (".txt",)
JSON_SUFFIXES = (".json",)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
XML_SUFFIXES = (".xml",)
ZIP_SUFFIXES = (".zip",)
KNOWN_SUFFIXES = PAGE_SUFFIXES + JSON_SUFFIXES + JSON_LINES_SUFFIXES + XML_SUFFIXES + ZIP_SUFFIXES
XML_ROOT = b"<clinical_study"
SNIFF = 8192  # bytes read first to tell a file's kind
EMPTY_FILE = "empty file; expected a trial page or registry JSON"


@dataclass(frozen=True, slots=True)
class Input:
    """A file, or a member of a zip file, to read documents from."""

    path: str
    member: str = ""
    size: int = 0  # bytes: the file's, or the member's uncompressed

    @property
    def name(self) -> str:
        return f"{self.path}!{self.member}" if self.member else self.path

    @property
    def suffix(self) -> str:
        return Path(self.member or self.path).suffix.lower()


@dataclass(frozen=True, slots=True)
class Document:
    """One trial document: page text, classic XML as read, or a study object found at
    ``json_path``."""

    name: str  # where problems are located: a file, "archive.zip!member", "file.jsonl:LINE"
    input: Input
    line: int  # line of JSON Lines, else 0
    page: str | None = None
    study: Any = None
    json_path: str = "$"
    xml: bytes | None = None  # undecoded: the XML declaration names the encoding
    read: int = 0  # bytes of its input read once it was found (of JSON Lines, through its line)
    unicode_checked: bool = False  # its JSON is known to hold no lone surrogate


def find_inputs(paths: Iterable[str | os.PathLike[str]], report: Report) -> list[Input]:
    """Every input named by ``paths``: files, directories walked recursively, zip members.

    In a directory, hidden entries are passed over and files of other types are reported
    as warnings; a file named directly is read whatever its name.
    """
    found: list[Input] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file in sorted(files):
                    if file.startswith("."):
                        continue
                    child = Path(root, file)
                    if child.suffix.lower() in KNOWN_SUFFIXES:
                        found.extend(_expand(child, report))
                    else:
                        report.warning(
                            str(child),
                            "skipped: not a trial page (.txt), registry JSON (.json, .jsonl) or .zip",
                        )
        elif path.is_file():
            found.extend(_expand(path, report))
        else:
            report.error(str(path), "no such file or directory")
    return found


def input_fingerprint(paths: Iterable[str | os.PathLike[str]]) -> str:
    """A fingerprint of the files ``paths`` name (found as :func:`find_inputs` finds them), from
    their absolute paths, sizes and modification times: it changes when any of them does."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted({os.path.abspath(item.path) for item in find_inputs(paths, Report())}):
        stat = os.stat(path)
        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _expand(path: Path, report: Report) -> list[Input]:
    if not _is_zip(path):
        return [Input(str(path), size=_size(path))]
    try:
        with zipfile.ZipFile(path) as archive:
            sizes = {i.filename: i.file_size for i in archive.infolist() if not i.is_dir()}
            members = sorted(sizes)
    except (zipfile.BadZipFile, OSError) as error:
        report.error(str(path), f"unreadable zip file: {error}")
        return []
    inputs = []
    for member in members:
        base = member.rsplit("/", 1)[-1]
        if base.startswith(".") or member.startswith("__MACOSX/"):
            continue
        if Path(member).suffix.lower() in KNOWN_SUFFIXES and Path(member).suffix.lower() not in ZIP_SUFFIXES:
            inputs.append(Input(str(path), member, sizes[member]))
        else:
            report.warning(f"{path}!{member}", "skipped: not a trial page or registry JSON")
    if not inputs:
        report.error(str(path), "the zip file holds no trial page or registry JSON")
    return inputs


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when it is read
        return 0


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def read_input(item: Input, report: Report) -> Iterator[Document]:
    """The documents an input holds; problems reading it go to ``report``."""
    if item.suffix in JSON_LINES_SUFFIXES:
        yield from _json_lines(item, report)
        return
    data = _read_bytes(item, report)
    if data is None:
        return
    if _is_xml(data, item):
        yield Document(item.name, item, 0, xml=data, read=item.size)
        return
    text = _decode(data, item.name, report)
    if text is None:
        return
    first = text.lstrip()[:1]
    if (
        first in ("{", "[") and item.suffix not in PAGE_SUFFIXES
    ) or item.suffix in JSON_SUFFIXES + JSON_LINES_SUFFIXES:
        yield from _json_documents(text, item, report)
    elif any(line.startswith("NCT ID:") for line in text.splitlines()[:12]) or item.suffix in PAGE_SUFFIXES:
        yield Document(item.name, item, 0, page=text, read=item.size)
    else:
        report.error(
            item.name,
            "not a trial document: expected a trial page (FORMAT.md) or ClinicalTrials.gov study JSON",
        )


def _is_xml(data: bytes, item: Input) -> bool:
    """An ``.xml`` file, or a file of no known type that starts as a classic study does."""
    if item.suffix in XML_SUFFIXES:
        return True
    if item.suffix in PAGE_SUFFIXES + JSON_SUFFIXES + JSON_LINES_SUFFIXES:
        return False
    start = data[:SNIFF]
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and XML_ROOT in start


def _read_bytes(item: Input, report: Report) -> bytes | None:
    try:
        if item.member:
            with zipfile.ZipFile(item.path) as archive:
                data = archive.read(item.member)
        else:
            data = Path(item.path).read_bytes()
    except (OSError, zipfile.BadZipFile, KeyError) as error:
        report.error(item.name, f"cannot be read: {error}")
        return None
    if not data.strip():
        report.error(item.name, EMPTY_FILE)
        return None
    if b"\x00" in data[:SNIFF]:
        offset = data.index(b"\x00")
        report.error(item.name, f"binary file (a NUL byte at offset {offset}); expected UTF-8 text")
        return None
    return data


def _decode(data: bytes, name: str, report: Report) -> str | None:
    # Positions in a decoding error count from after a byte-order mark.
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        # Editors count characters, not bytes; the line up to the bad byte is valid UTF-8.
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8")) + 1
        report.error(
            f"{name}:{line}",
            f"not valid UTF-8: byte 0x{data[error.start]:02x} at column {column}; save the file as UTF-8",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _json_documents(text: str, item: Input, report: Report) -> Iterator[Document]:
    if item.suffix not in JSON_LINES_SUFFIXES:
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


def _json_lines(item: Input, report: Report) -> Iterator[Document]:
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
    try:
        value, checked = decode_json(line)
    except json.JSONDecodeError as error:
        report.error(f"{item.name}:{number}", _json_message(error, line))
        return
    except (RecursionError, ValueError) as error:
        report.error(f"{item.name}:{number}", _beyond_limits(line, error)[1])
        return
    yield from _studies(value, f"{item.name}:{number}", item, number, report, read, checked)


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
        studies = value["studies"]
        if not isinstance(studies, list):
            what = json_type(studies)
            report.error(f"{name}: $.studies", f"expected a list of studies, got {what}")
            return
        if not studies:
            report.warning(f"{name}: $.studies", "the search page holds no studies")
        for n, study in enumerate(studies):
            yield Document(
                name, item, line, study=study, json_path=f"$.studies[{n}]", read=read, unicode_checked=checked
            )
    elif isinstance(value, list):
        if not value:
            report.warning(f"{name}: $", "the list holds no studies")
        for n, study in enumerate(value):
            yield Document(
                name, item, line, study=study, json_path=f"$[{n}]", read=read, unicode_checked=checked
            )
    elif isinstance(value, dict):
        yield Document(name, item, line, study=value, json_path="$", read=read, unicode_checked=checked)
    else:
        what = json_type(value)
        report.error(
            f"{name}: $",
            f"expected a study object, a list of them or a search page {{'studies': [...]}}, got {what}",
        )
