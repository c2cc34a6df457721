"""The lines of eligibility criteria text as the splitter (:mod:`graph.read.text.criteria`) reads them:
each line's indent, its marker (a bullet, a number or a letter) and the part heading it is.

Markers are read as a reader of the plain text sees them: a markdown-escaped ``4\\.`` or ``\\-``
is a number or a bullet; a bullet or a number needs no space after it (``-Men``, ``9.The``), a
letter does (``e.g.`` is no marker). Numbers are ``1.``, ``1)``, ``(1)``, ``7a.``, ``1、``,
``3.4.``, ``5.3.1`` and ``3 .mixed`` (its period slipped onto the word); letters ``a)``, ``B.``,
``ii)``, ``(a)``.

A part heading names inclusion or exclusion (``Non-inclusion`` is exclusion): ``Inclusion
Criteria``, ``Key Exclusion Criteria:``, ``Exclusion criteria: <anything>``, a heading with other
words (``Donor Inclusion Criteria:``, ``Transplant Exclusion:``, ``Other Exclusions``), a
bulleted, numbered or lettered one (``1. Inclusion Criteria``, ``II. Exclusion Criteria``), or
one written at the end of a line (``* Stable relationship Exclusion Criteria:``: after words with
one in lower case; after capitalised ones, ``* Donor Exclusion Criteria:``, the words name the
heading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STANDARD = r"(?:(?:key|main|major|general|additional|other|study|patient|participant)s?\s+)?"
# ``Inclusion Criteria``, ``Key Exclusion Criteria:``, ``Exclusion Criteria Disease Related``,
# ``Exclusion criteria: <anything>``; French ``Non-inclusion Criteria`` is the exclusion part.
_HEADING = re.compile(
    rf"^[#*_\s]*(?P<prefix>{_STANDARD})(?P<part>non[- ]?inclusion|inclusion|exclusion)s?"
    r"(?P<criteria>\s+criteria)?\b"
    r"(?:\s*[:：](?P<said>.*)|(?P<rest>[^.]{0,80}))$",
    re.I,
)
# A heading with other words before it: ``Donor Inclusion Criteria:``, ``Specific exclusion
# criteria for renal transplant (RTx) patients:``, ``Transplant Exclusion:``, ``Other Exclusions``.
_NAMED_HEADING = re.compile(
    r"^[#*_\s]*(?:(?:[^\s:.]+\s+){1,3}(?P<part>inclusion|exclusion)\s+criteria\b"
    r"\s*(?:[:：(].*|(?:for|specific|related|of|in)\b.*)?"
    r"|(?:[^\s:.]+\s+){1,2}(?P<short>inclusion|exclusion)s?\s*[:：]?)$",
    re.I,
)
_NOT_A_HEADING = re.compile(
    r"\b(?:not?|does|do|meets?|meeting|met|apply|applies|could|may|must|are|is)\b", re.I
)
# A part heading at the end of a line, after a word with a colon or after a sentence: ``* Stable
# relationship Exclusion Criteria:``, ``* At least 4 weeks since. Exclusion Criteria``; not ``Does
# not meet the Inclusion Criteria``.
_GLUED_HEADING = re.compile(
    r"(?:(?<=\S)\s+(?P<part>Inclusion|Exclusion|INCLUSION|EXCLUSION)\s+(?:Criteria|CRITERIA)\s*:"
    r"|(?<=[.;)])\s*(?P<after>Inclusion|Exclusion|INCLUSION|EXCLUSION)\s+(?:Criteria|CRITERIA))$"
)
_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)(?:"
    r"(?P<number>(?:\(\d{1,3}\)|\d{1,3}(?:\.\d{1,3}){2,}\.?|\d{1,3}(?:\.\d{1,3})*[a-z]?\\?[.)、．]"
    r"|\d{1,3} \.(?=[^\W\d_]))(?=[^\d]))"
    r"|(?P<bullet>(?:\\?[*\-]|[•·+▪◦‣●○■□➢►✓–—])(?!\\?\*))"
    r"|(?P<letter>(?:[a-zA-Z]|[ivxIVX]{1,4})[.)]|\([a-zA-Z]{1,4}\))(?=[ \t])"
    r")[ \t]*(?P<text>\S.*)$"
)
# A bullet alone on its line (possibly escaped) is an empty bullet: nothing. A bullet followed by
# more of these (``* -``) is an item whose text they are.
_EMPTY_BULLETS = frozenset({"*", "-", "•", "\\*", "\\-"})
_ASKING_LENGTH = 300  # the longest one-sentence line asking for the items after it


@dataclass(slots=True)
class Heading:
    """A part heading: the part it opens, whether its words head the part's first items too (a
    named heading), what its line says after it, and for one written at the end of a line, the
    text before it."""

    kind: str  # "inclusion" or "exclusion"
    named: bool
    said: Line | None
    before: str = ""


@dataclass(slots=True)
class Line:
    """A non-blank line: its indent, its marker (kind "" for none) and its text after it."""

    indent: int
    kind: str  # "number", "bullet", "letter" or ""
    mark: str  # the marker as written: ``3.``, ``*``, ``B)``
    text: str
    written: str  # the whole line without the white space at its ends
    blank_before: bool
    heading: Heading | None = None


def read_line(written: str, blank_before: bool) -> Line | None:
    """A line as the splitter reads it; ``None`` for a blank line or a bullet with nothing after it.

    >>> line = read_line("  2\\\\. Adults", False)
    >>> line.indent, line.kind, line.mark, line.text
    (2, 'number', '2\\\\.', 'Adults')
    >>> [read_line(text, False).kind for text in ("-Men", "9.The", "e.g. x", "a) x", "1.5 mg")]
    ['bullet', 'number', '', 'letter', '']
    >>> read_line("  \\\\- ", True) is None, read_line("* -", True).text
    (True, '-')
    """
    stripped = written.strip()
    if not stripped or stripped in _EMPTY_BULLETS:
        return None
    first = stripped[0]
    # Most lines of prose start with a word: no marker, unless a letter's (``a)``, ``ii.``).
    maybe = not first.isalpha() or stripped[1:2] in (".", ")") or first in "ivxIVX"
    marker = _MARKER.match(written) if maybe else None
    if marker is None:
        line = Line(len(written) - len(written.lstrip()), "", "", stripped, stripped, blank_before)
    else:
        indent, number, bullet, letter, text = marker.groups()
        kind, mark = ("number", number) if number else ("bullet", bullet) if bullet else ("letter", letter)
        line = Line(len(indent), kind, mark, text.rstrip(), stripped, blank_before)
    if "clusion" in stripped or "CLUSION" in stripped:
        line.heading = _part_heading(line)
    return line


def heading_like(text: str, lead: bool = False) -> bool:
    """Whether a line reads as a heading: a short phrase or, among items, one sentence that ends
    with a colon, up to 300 characters (before a part's first item, such a sentence is a lead-in,
    not a heading).

    >>> heading_like("Pregnant Women:"), heading_like("Part 2 (Cohorts D to G)")
    (True, True)
    >>> heading_like("Patients must meet all of the following criteria to take part in it:")
    True
    >>> heading_like("Patients must meet all of the following criteria to take part in it:", lead=True)
    False
    >>> heading_like("3 .mixed phenotype"), heading_like("Retinitis pigmentosa.")
    (False, False)
    """
    start = text.lstrip(EMPHASIS)[:1]
    if not start or start.islower() or start.isdigit() or ". " in text:
        return False
    if text.endswith((":", "：")) and not lead:
        return len(text) <= _ASKING_LENGTH
    return len(text) <= 80 and text.count(" ") < 10 and not text.endswith((".", ";", ","))


EMPHASIS = "*_#-–• \t"  # around a sub-heading: markdown emphasis, a stray dash or bullet


def _part_heading(line: Line) -> Heading | None:
    text = line.text
    if line.kind:  # ``1. Inclusion Criteria``, ``II. Exclusion Criteria``, ``* Donor Exclusion Criteria:``
        if line.indent > 1 or "riteria" not in text.lower():
            return _glued(text)
        heading = _HEADING.match(text)
        if heading is None:  # ``* Stable relationship Exclusion Criteria:`` is an item and a heading
            return _glued(text) or (_named(text) if text.endswith((":", "：")) else None)
        if heading.group("said") or not heading.group("criteria"):
            return None  # ``* Inclusion Criteria: All answers must be YES`` is an item
        if not (heading.group("rest") or "").strip(" :"):
            return Heading(_kind(heading), False, None)
        named = text.endswith((":", "：")) and heading_like(text) and not _NOT_A_HEADING.search(text)
        return Heading(_kind(heading), True, None) if named else None
    heading = _HEADING.match(text)
    if heading is not None:
        said = (heading.group("said") or heading.group("rest") or "").strip()
        if said.startswith(("**", "__")):  # the end of ``**Inclusion Criteria:**``
            said = said.lstrip("*_ ")
        said_line = read_line(" " * line.indent + said, True) if said else None
        if said_line is not None:
            said_line.heading = None
        if heading.group("criteria") is None:  # ``Other Exclusions`` heads its items, ``Exclusion:`` not
            named = not said and bool(heading.group("prefix"))
        else:  # ``Exclusion Criteria Disease Related``; not ``Inclusion Criteria: Adults 18 or over.``
            named = said_line is not None and not said_line.kind and heading_like(said, lead=True)
        return Heading(_kind(heading), named, said_line)
    return _named(text) or _glued(text)


def _named(text: str) -> Heading | None:
    named = _NAMED_HEADING.match(text)
    if named is None or not heading_like(text) or _NOT_A_HEADING.search(text):
        return None
    return Heading((named.group("part") or named.group("short")).lower(), True, None)


def _glued(text: str) -> Heading | None:
    glued = _GLUED_HEADING.search(text)
    if glued is None:
        return None
    part = glued.group("part") or glued.group("after")
    if glued.group("part") and not any(word[:1].islower() for word in text[: glued.start()].split()):
        return None  # capitalised words before it name the heading: ``* Donor Exclusion Criteria:``
    return Heading(part.lower(), False, None, before=text[: glued.start()])


def _kind(heading: re.Match[str]) -> str:
    return "inclusion" if heading.group("part").lower() == "inclusion" else "exclusion"
