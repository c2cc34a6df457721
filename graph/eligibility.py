"""Eligibility as data: age limits in years, and criteria text split into listed items.

The criteria text is the registry's own: an inclusion and an exclusion part under headings that
vary (``Inclusion Criteria``, ``Key Inclusion Criteria:``), items numbered or bulleted with
indented sub-items, a sentence before the first item, paragraphs continuing an item, and notes
after the last one. An item keeps its sub-items and continuing paragraphs, without its own
number or bullet, with white space folded and markdown escapes removed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from graph.plaintext import fold, unescape

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(year|month|week|day|hour|minute)s?\s*$", re.I)
_YEARS_PER_UNIT = {
    "year": 1.0,
    "month": 1 / 12,
    "week": 7 / 365.25,
    "day": 1 / 365.25,
    "hour": 1 / (365.25 * 24),
    "minute": 1 / (365.25 * 24 * 60),
}
_HEADING = re.compile(
    r"^[#*_\s]*(?:(?:key|main|major|general|additional|other|study|patient|participant)s?\s+)?"
    r"(inclusion|exclusion)(?:\s+criteria)?\b(?P<rest>[^.]{0,80})$",
    re.I,
)
_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<number>\d{1,3}[.)])|(?P<bullet>[*\-•·+▪◦‣])"
    r"|(?P<letter>(?:[a-zA-Z]|[ivxIVX]{1,4})[.)]|\(\w{1,4}\)))[ \t]+(?P<text>\S.*)$"
)


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


@dataclass(slots=True)
class _Item:
    lines: list[str]
    indent: int
    style: str


@dataclass(slots=True)
class _Part:
    kind: str  # "inclusion" or "exclusion"
    items: list[_Item] = field(default_factory=list)
    paragraphs: list[list[str]] = field(default_factory=list)  # used when no item is marked
    after_last: list[str] = field(default_factory=list)  # unindented lines after an item


def split_criteria(text: str) -> tuple[list[str], list[str]]:
    """Split criteria text into its inclusion and exclusion items.

    >>> split_criteria("Inclusion Criteria:\\n\\n* Adults\\n* Consent\\n\\n"
    ...                "Exclusion Criteria:\\n\\n1. Pregnancy\\n   * or lactation\\n2. HIV \\\\> 0")
    (['Adults', 'Consent'], ['Pregnancy * or lactation', 'HIV > 0'])
    """
    parts: list[_Part] = []
    part: _Part | None = None
    blank_before = False
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            blank_before = True
            continue
        marker = _MARKER.match(line)
        heading = None if marker is not None else _HEADING.match(line.strip())
        if heading is not None:
            part = _Part(heading.group(1).lower())
            parts.append(part)
            inline = heading.group("rest").strip().lstrip(":*_ ").strip()
            if inline:
                part.paragraphs.append([inline])
        elif part is not None:
            _add_line(part, line, marker, blank_before)
        blank_before = False
    inclusion: list[str] = []
    exclusion: list[str] = []
    for part in parts:
        (inclusion if part.kind == "inclusion" else exclusion).extend(_items_of(part))
    return inclusion, exclusion


def _add_line(part: _Part, line: str, marker: re.Match[str] | None, blank_before: bool) -> None:
    indent = len(line) - len(line.lstrip())
    if marker is not None:
        style = next(name for name in ("number", "bullet", "letter") if marker.group(name))
        top = part.items[0] if part.items else None
        if top is None or (indent <= top.indent and style == top.style):
            _settle(part, following_item=True)
            part.items.append(_Item([marker.group("text")], indent, style))
            return
        _settle(part, following_item=True)
        part.items[-1].lines.append(line.strip())
    elif not part.items:
        if blank_before or not part.paragraphs:
            part.paragraphs.append([])
        part.paragraphs[-1].append(line.strip())
    elif indent > part.items[0].indent and not part.after_last:
        part.items[-1].lines.append(line.strip())
    else:
        part.after_last.append(line.strip())


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


def _items_of(part: _Part) -> list[str]:
    _settle(part, following_item=False)
    groups = [item.lines for item in part.items] if part.items else part.paragraphs
    return [text for text in (fold(unescape(" ".join(lines))) for lines in groups) if text]
