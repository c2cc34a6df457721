"""Eligibility as data: age limits in years, and criteria text split into listed items.

The criteria text is the registry's own: an inclusion and an exclusion part under headings that
vary (``Inclusion Criteria``, ``Key Inclusion Criteria:``, ``Donor Exclusion Criteria:``; the
lines are read by :mod:`graph.read.text.criterialines`), items numbered or bulleted with indented sub-items,
a sentence before the first item, paragraphs continuing an item, sub-headings over runs of items
(``Pregnant Women:``, ``A) Previous or current Medical Conditions``, an indented
``Asthma-related criteria``) and notes after the last item. Text without a part heading is the
inclusion part.

Each bullet or number is an item of its own at its level; a marker indented deeper than the item
above it, and a letter (``a)``, ``ii.``) under a bulleted or numbered item, is a sub-item and
stays in that item. A sub-heading is a short line after a blank line that heads the item right
after it, or one ending with a colon that heads an item after further such lines (one sentence
asking for the items after it is one too); among lettered items, a short lettered line heading
items of another kind, right after it or after a line asking for them (``c. Bevacizumab-Specific
Concerns`` over ``Subjects meeting any of the following ...:`` over numbers). It is neither
an item nor part of one, and the items after it (to the next sub-heading or the part's end)
carry it as their group. An item keeps its sub-items and continuing paragraphs, without its own
number or bullet, with white space folded and markdown escapes removed; a group likewise,
without a letter marker, emphasis or a trailing colon, its words as written. A part written as
paragraphs has one item per paragraph, a short paragraph ending with a colon heading those after.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from graph.read.text.criterialines import EMPHASIS, Line, heading_like, read_line
from graph.read.text.plain import fold, unescape

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(year|month|week|day|hour|minute)s?\s*$", re.I)
_YEARS_PER_UNIT = {
    "year": 1.0,
    "month": 1 / 12,
    "week": 7 / 365.25,
    "day": 1 / 365.25,
    "hour": 1 / (365.25 * 24),
    "minute": 1 / (365.25 * 24 * 60),
}
# A lettered sub-heading glued to the end of a line: `` C) Abnormal Laboratory Values``.
_GLUED = re.compile(r"(?<=[\s.;,])(?P<letter>[A-Z])\)\s+(?P<title>[A-Z][^.:;]{2,79}?)[\s:]*$")
_HEADING_LINES = 3  # the most lines a sub-heading is read over (it is rarely more than one)
_COLON = (":", "：")


def age_in_years(written: str) -> float | None:
    """An age limit as written (``18 Years``, ``6 Months``) in years; ``None`` if unreadable.

    >>> age_in_years("18 Years"), age_in_years("6 Months"), age_in_years("N/A")
    (18.0, 0.5, None)
    >>> age_in_years("1" + "0" * 400 + " Years") is None  # past a float's range
    True
    """
    match = _AGE.match(written)
    if match is None:
        return None
    years = float(match.group(1)) * _YEARS_PER_UNIT[match.group(2).lower()]
    return years if math.isfinite(years) else None


class Criteria(NamedTuple):
    """A criteria text's items by part, in order, and each item's sub-heading ("" where none)."""

    inclusion: list[str]
    exclusion: list[str]
    inclusion_groups: list[str]
    exclusion_groups: list[str]


@dataclass(slots=True)
class _Item:
    lines: list[str]
    indent: int
    group: str


@dataclass(slots=True)
class _Part:
    kind: str  # "inclusion" or "exclusion"
    items: list[_Item] = field(default_factory=list)
    paragraphs: list[list[str]] = field(default_factory=list)  # used when no item is marked
    after_last: list[str] = field(default_factory=list)  # unindented lines after an item
    heading: list[str] = field(default_factory=list)  # the lines of a sub-heading before its items
    group: str = ""
    group_letter: str = ""  # the letter of the last lettered sub-heading: ``A`` for ``A)``
    lettered: bool = False  # its items are lettered (``a)``), not numbered or bulleted


def split_criteria(text: str) -> Criteria:
    """Split criteria text into its inclusion and exclusion items, each with its sub-heading.

    >>> split_criteria("Inclusion Criteria:\\n\\n* Adults\\n* Consent\\n\\n"
    ...                "Exclusion Criteria:\\n\\n1. Pregnancy\\n   * or lactation\\n2. HIV \\\\> 0")
    Criteria(inclusion=['Adults', 'Consent'], exclusion=['Pregnancy * or lactation', 'HIV > 0'], \
inclusion_groups=['', ''], exclusion_groups=['', ''])

    A short line over a run of items is their sub-heading, neither an item nor part of one:

    >>> split = split_criteria("Inclusion Criteria:\\n\\nPregnant Women:\\n\\n* 18 or older\\n"
    ...                        "* Consents\\n\\nClinicians\\n\\n* 18 or older\\n")
    >>> list(zip(split.inclusion, split.inclusion_groups))
    [('18 or older', 'Pregnant Women'), ('Consents', 'Pregnant Women'), ('18 or older', 'Clinicians')]
    """
    return _Splitter(text).split()


class _Splitter:
    def __init__(self, text: str) -> None:
        self.lines: list[Line] = []
        blank_before = False
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        for written in text.split("\n"):
            line = read_line(written, blank_before)
            blank_before = line is None
            if line is not None:
                self.lines.append(line)

    def split(self) -> Criteria:
        parts: list[_Part] = []
        part: _Part | None = None
        if not any(line.heading for line in self.lines):  # no heading: the criteria to meet
            part = _Part("inclusion")
            parts.append(part)
        for at, line in enumerate(self.lines):
            heading = line.heading
            if heading is not None and heading.before:  # ``* Stable relationship Exclusion Criteria:``
                if part is None or part.kind == heading.kind:
                    heading = None  # words of the part it is in
                else:
                    self._read(part, at, replace(line, text=heading.before.rstrip(), heading=None))
            if heading is not None:
                part = _Part(heading.kind)
                parts.append(part)
                if heading.named and self._heads_items(at, part, line):
                    part.heading.append(line.text)
                elif heading.said is not None:
                    self._read(part, at, heading.said)
            elif part is not None:
                if part.group_letter:
                    self._read(part, at, line)
                elif line.kind:
                    self._marker(part, at, line)
                else:
                    self._plain(part, at, line)
        split = Criteria([], [], [], [])
        for part in parts:
            items, groups = _items_of(part)
            if part.kind == "inclusion":
                split.inclusion.extend(items)
                split.inclusion_groups.extend(groups)
            else:
                split.exclusion.extend(items)
                split.exclusion_groups.extend(groups)
        return split

    def _read(self, part: _Part, at: int, line: Line) -> None:
        """Read a line into a part, and a lettered sub-heading glued to its end."""
        glued = self._glued_subheading(part, at, line) if part.group_letter else None
        if glued is not None:  # ``6. Use of X. C) Abnormal Laboratory Values``
            line = replace(line, text=line.text[: glued.start()].rstrip())
        if line.kind:
            self._marker(part, at, line)
        else:
            self._plain(part, at, line)
        if glued is not None:
            part.heading.append(glued.group("title"))
            part.group_letter = glued.group("letter")

    def _plain(self, part: _Part, at: int, line: Line) -> None:
        if not part.items:
            if heading_like(line.text, lead=True) and self._heads_items(at, part, line):
                part.heading.append(line.text)
                return
            if line.blank_before or not part.paragraphs:
                part.paragraphs.append([])
            part.paragraphs[-1].append(line.text)
        elif self._is_subheading(part, at, line):
            _settle(part, following_item=True)
            part.heading.append(line.text)
        elif line.indent > part.items[-1].indent and not part.after_last:
            part.items[-1].lines.append(line.text)
        else:
            part.after_last.append(line.text)

    def _marker(self, part: _Part, at: int, line: Line) -> None:
        text = line.text
        if not part.items:
            if line.kind == "letter" and heading_like(text, lead=True) and self._heads_items(at, part, line):
                part.heading.append(text)
                part.group_letter = _letter_of(line)
            elif self._heads_other_items(at, line):
                part.heading.append(text)
            else:
                part.lettered = line.kind == "letter"
                self._new_item(part, line)
            return
        last = part.items[-1]
        if line.indent > last.indent and line.blank_before and self._heads_as_marked(part, at, line):
            _settle(part, following_item=True)
            part.heading.append(text)
            return
        if line.kind == "letter" and not part.lettered:
            if self._is_subheading(part, at, line):
                _settle(part, following_item=True)
                part.heading.append(text)
                part.group_letter = _letter_of(line)
                return
        elif part.heading or line.indent <= last.indent:
            if line.blank_before and self._heads_other_items(at, line):
                _settle(part, following_item=True)
                part.heading.append(text)
            else:
                self._new_item(part, line)
            return
        _settle(part, following_item=True)
        last.lines.append(line.written)

    def _new_item(self, part: _Part, line: Line) -> None:
        if part.after_last:
            _settle(part, following_item=True)
        if part.heading:
            part.group = _group_text(part.heading)
            part.heading = []
        part.items.append(_Item([line.text], line.indent, part.group))

    def _glued_subheading(self, part: _Part, at: int, line: Line) -> re.Match[str] | None:
        """The next lettered sub-heading of a part, written at the end of the line above its
        items (``... prior to the study. C) Abnormal Laboratory Values``)."""
        glued = _GLUED.search(line.text)
        if glued is None or glued.group("letter") != chr(ord(part.group_letter) + 1):
            return None
        return glued if self._heads_items(at, part, line) else None

    def _is_subheading(self, part: _Part, at: int, line: Line) -> bool:
        """Whether a line among a part's items heads the items after it."""
        if part.heading:  # a further line of a sub-heading already begun
            return heading_like(line.text) and self._heads_items(at, part, line)
        if not line.blank_before:  # a line straight under an item continues it
            return False
        if line.kind == "letter":
            letter = _letter_of(line)
            if part.group_letter and letter == chr(ord(part.group_letter) + 1):
                return self._heads_items(at, part, line)  # ``B) ...`` after ``A) ...``: however long
            if letter not in ("A", "a"):  # ``v)`` in a run of lettered sub-items is one of them
                return False
        if not heading_like(line.text):
            return False
        if not line.text.endswith(_COLON) and part.items[-1].lines[-1].endswith(_COLON):
            return False  # the item above asks for what follows: it continues that item
        return self._heads_items(at, part, line)

    def _heads_items(self, at: int, part: _Part, line: Line) -> bool:
        """Whether the lines after ``at`` are an item, or further heading lines and then an item
        (a phrase without a colon heads only the item right after it)."""
        deeper = bool(part.items) and line.indent > part.items[-1].indent
        asks = line.text.endswith(_COLON)
        for following in self.lines[at + 1 : at + 2 + _HEADING_LINES]:
            if following.heading is not None and not following.heading.before:
                return False
            if not following.kind:
                if not asks or not heading_like(following.text, lead=not part.items):
                    return False
                asks = following.text.endswith(_COLON)
                continue
            if following.kind == "letter" and (line.kind == "letter" or (part.items and not part.lettered)):
                return False  # a letter under a heading-like letter or under an item: a sub-item
            if deeper:  # an indented line heads only an item of the level above it
                return following.indent <= part.items[-1].indent
            if not part.items:  # items indented under a lettered line are its sub-items
                return line.kind != "letter" or following.indent <= line.indent + 1
            return following.indent >= line.indent
        return False

    def _heads_as_marked(self, part: _Part, at: int, line: Line) -> bool:
        """Whether an indented bulleted or numbered line asking for more (``  -Part C2:``) heads
        the item right after it rather than being a sub-item of the item above."""
        if line.kind == "letter" or not line.blank_before or not line.text.endswith(_COLON):
            return False
        following = self.lines[at + 1] if at + 1 < len(self.lines) else None
        return (
            following is not None
            and following.kind in ("bullet", "number")
            and following.indent <= part.items[-1].indent
            and following.heading is None
            and heading_like(line.text, lead=True)
        )

    def _heads_other_items(self, at: int, line: Line) -> bool:
        """Whether a short marked line heads items of another kind after it: a bulleted or
        numbered one asking for them (``- As follows:`` over numbers), right before them; a
        lettered one among lettered items (``c. Bevacizumab-Specific Concerns`` over numbers), also
        over a line asking for them (``Subjects meeting any of the following ...:``)."""
        if not line.blank_before:
            return False
        following = self.lines[at + 1] if at + 1 < len(self.lines) else None
        if line.kind == "letter":
            if following is not None and not following.kind and following.heading is None:
                if not following.text.endswith(_COLON) or not heading_like(following.text):
                    return False
                following = self.lines[at + 2] if at + 2 < len(self.lines) else None
        elif not line.text.endswith(_COLON):
            return False
        return (
            following is not None
            and following.kind not in ("", "letter", line.kind)
            and following.indent <= line.indent + 1
            and following.heading is None
            and heading_like(line.text, lead=True)
        )


def _letter_of(line: Line) -> str:
    """The letter of a lettered line (``B`` of ``B) ...``); "" for any other."""
    letter = line.mark.strip("().")
    return letter if len(letter) == 1 else ""


def _group_text(lines: list[str]) -> str:
    return fold(unescape(" ".join(lines))).strip(EMPHASIS).rstrip(":：").strip(EMPHASIS)


def _settle(part: _Part, following_item: bool) -> None:
    """Decide what unindented lines after an item are: its continuation or a closing note."""
    if not part.after_last:
        return
    item = part.items[-1]
    ends_open = item.lines[-1].rstrip().endswith(":")
    starts_low = part.after_last[0][:1].islower()
    if following_item or ends_open or starts_low:
        item.lines.extend(part.after_last)
    part.after_last = []


def _items_of(part: _Part) -> tuple[list[str], list[str]]:
    _settle(part, following_item=False)
    items: list[str] = []
    groups: list[str] = []
    if not part.items:  # paragraphs: one item each; a short one asking for more heads those after
        group = ""
        last = len(part.paragraphs) - 1
        for at, lines in enumerate(part.paragraphs):
            text = fold(unescape(" ".join(lines)))
            if at < last and len(lines) == 1 and text.endswith(_COLON) and heading_like(text, lead=True):
                group = _group_text(lines)
                continue
            if text:
                items.append(text)
                groups.append(group)
        return items, groups
    for item in part.items:
        text = fold(unescape(" ".join(item.lines)))
        if text:
            items.append(text)
            groups.append(item.group)
    return items, groups
