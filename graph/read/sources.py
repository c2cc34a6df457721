"""Finding and reading input documents: files, directories and zip files, told apart by suffix
and content.

An *input* is one file, or one member of a zip file (:mod:`graph.read.documents`). Reading an input
gives the trial documents it holds: a trial page, a classic registry XML study
(``<clinical_study>``), or registry study objects (:mod:`graph.read.registry.files`: a single study, a
list, a search page ``{"studies": [...]}`` or JSON Lines). What cannot be read (a missing path,
an empty, binary, badly encoded, malformed or unrecognised file) is reported with its location.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import Report
from graph.read.documents import (
    EMPTY_FILE,
    JSON_LINES_SUFFIXES,
    JSON_SUFFIXES,
    KNOWN_SUFFIXES,
    PAGE_SUFFIXES,
    SNIFF,
    XML_ROOT,
    XML_SUFFIXES,
    ZIP_SUFFIXES,
    Document,
    Input,
)
from graph.read.registry.files import json_documents, json_lines


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
        yield from json_lines(item, report)
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
        yield from json_documents(text, item, report)
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
