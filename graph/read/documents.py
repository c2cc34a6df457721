"""What reading inputs works on: an input (a file, or a member of a zip file), the kinds of file
told by their suffixes, and the documents an input holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    # A study decoded into typed structs (graph.read.registry.shapes), with the JSON it was
    # decoded from, read the general way if the typed way cannot take it.
    typed: Any = None
    json_text: str = ""
