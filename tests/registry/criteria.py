"""Eligibility criteria split into items, by the contract's rule, written apart from the product.

The rule (contract README, Meanings): one string per listed criterion, in order, without its
number or bullet; indented sub-items and the paragraphs that continue an item belong to that item;
a sentence before a part's first item is not an item; headings such as ``Key Inclusion Criteria:``
open the inclusion part; a short line between items that heads the items after it (``Pregnant
Women:``, ``A) Previous or current Medical Conditions``) is a sub-heading, neither an item nor
joined to the items under it; a part written as paragraphs without bullets has one item per
paragraph; markdown backslash-escapes are removed and white space folded. FORMAT.md adds that
notes may follow the last item.

How this reads the rule where the text is messy (the report lists the trials it disagrees on):

- Item markers: a bullet (``*``, ``-``, ``+``, ``•`` and the like, with or without a space
  after it) or a number (``1.``, ``1)``, ``7a.``, ``(1)``, ``1、``, ``5.2.1``, and ``3 .mixed``
  whose period slipped onto the word) at the start of a line, with text after it (a bare ``-``
  is nothing). A letter or roman numeral (``a)``, ``A.``, ``(c)``, ``ii.``, with a space after
  it) marks an item only before the first bullet or number under a part heading, one indented
  under a lettered item aside (a part lettered ``A.`` to ``F.``); after one, a lettered line is
  text: a sub-heading or part of an item.
- A marker line opens an item when it is indented at most one space deeper than the part's
  shallowest marker line; a deeper one is a sub-item and keeps its marker.
- A sub-heading comes after a blank line and heads the items after it:
  - one short phrase (ten words at most, no sentence in it) right before an item (indented or
    not), or ending with ``:`` and followed by further such lines or lead-ins, then an item;
  - a lead-in: one sentence ending with ``:`` (up to 300 characters; not starting in lower case
    or with a digit) right before an item (``Subjects meeting any of the following criteria
    are ineligible for study entry:``);
  - a lettered phrase (``A) Previous or current Medical Conditions``, ``c. Bevacizumab-Specific
    Concerns``) whose letter starts a sequence (``A``) or comes later in the alphabet than the
    part's last lettered line, right before an item, or before a lead-in and then an item; as
    an item marker it must head items of another kind (bullets under ``A)``); the next letter
    after a lettered sub-heading (``B)`` after ``A)``) is one however long, and one written at
    the end of the line above its items (``... prior to the study. C) Abnormal Laboratory
    Values``) ends that line;
  - a short marker line ending with ``:`` right before an item of the other kind (numbers
    after a bullet), or indented deeper than the items and right before one (``-Part C2:``).
  But a lettered line after a lettered line that continued an item continues it too (``v)``
  after ``iv)``, ``o`` after ``o``).
- Otherwise an indented line, a line right under the item's last line with no blank line
  between, and any paragraph after an item that ends with ``:`` continue the item. A paragraph
  at the items' level after a blank line continues the item before it, but after the part's
  last item it is a note: not an item, not glue.
- A part heading is a line, or the head of a line before ``:``, that names inclusion or
  exclusion (``Non-inclusion`` is exclusion, ``Pre-inclusion`` is not a part), short, and not
  a sentence about the criteria (``Not meeting inclusion criteria``, ``Other criteria may
  apply.``). On a marker line only a whole-line heading that says ``criteria`` counts
  (``1. Inclusion Criteria``; ``* Other Exclusions:`` is an item), or one run onto the end of
  an item of the other part after words one of which is in lower case (``* Stable
  heterosexual relationship Exclusion Criteria:``: the words are the item). A heading ends the
  item before it. Text on the heading's line after the ``:`` is read as the part's first line; a
  heading run onto the end of a sentence (``... prior immunotherapy. Exclusion Criteria``)
  ends that line.
- Text with no part heading at all is read as the inclusion part; text before the first
  heading is not an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

Part = Literal["inclusion", "exclusion"]

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BULLET = re.compile(r"^[*\-+•·▪◦●○■□➢►✓–—](?=[^*]|$)\s*")
_NUMBER = re.compile(
    r"^(?:\d{1,3}[a-z]?[.)、．](?!\d)|\(\d{1,3}\)|\d{1,2}(?:\.\d{1,2}){2,3}\.?(?=\s)|\d{1,2}\.\d{1,2}\.(?=\s)"
    r"|\d{1,3} \.(?=[^\W\d_]))\s*"
)
# A letter or a roman numeral before a line's text: ``a)``, ``B.``, ``(c)``, ``ii.``; ``e.g.`` is none.
_LETTER = re.compile(r"^\(?(?P<letter>[a-zA-Z]|[ivx]{2,4}|[IVX]{2,4})[.)]\s+(?=\S)")
# A lettered sub-heading written at the end of the line above its items: ``... study. C) Abnormal
# Laboratory Values``.
_LETTER_AT_END = re.compile(r"(?<=[\s.;,])(?P<letter>[A-Za-z])\)\s+(?P<title>[A-Z][^.:;]*?)\s*:?$")
_PART_WORD = re.compile(r"(?<![\w-])(non[-\s]?inclusion|inclusions?|exclusions?)\b", re.IGNORECASE)
_NOT_A_HEADING = re.compile(
    r"\b(not|no|does|do|meet|meets|meeting|met|apply|applies|could|may|must|are|is|note)\b", re.IGNORECASE
)
_ENUMERATED = re.compile(r"^(?:\(?[ivxlcdm]+[.)]|\(?[a-zA-Z][.)]|o\s)", re.IGNORECASE)
_HEADING_AFTER_SENTENCE = re.compile(
    r"^(?P<before>.*?[.;])\s*(?P<heading>(?:key\s+)?(?:inclusion|exclusion)\s+criteria\s*:?)\s*$",
    re.IGNORECASE,
)
# A part heading at the end of an item's line, capitalised and with its colon: ``* Stable
# heterosexual relationship Exclusion Criteria:``.
_HEADING_AT_ITEM_END = re.compile(
    r"^(?P<before>.*?\S)\s+(?P<heading>(?:Inclusion|Exclusion|INCLUSION|EXCLUSION)\s+(?:Criteria|CRITERIA)\s*[:：])$"
)
_COLON_HEAD = re.compile(r"^(?P<head>[^:：]{1,120}?)\s*[:：]\s*(?P<rest>.*)$")
_SENTENCE_END = (".", ";", ",", "?", "!")
_LEAD_IN_LENGTH = 300  # the longest one-sentence line read as a lead-in to the items after it
_HEADING_LINES = 3  # the most further lines a sub-heading is read over


def unescaped(text: str) -> str:
    r"""The text without the registry's markdown backslash-escapes.

    >>> unescaped(r"\< 2 points \[a\] x\\y")
    '< 2 points [a] x\\y'
    """
    return _ESCAPE.sub(r"\1", text)


def folded(text: str) -> str:
    """Runs of white space as one space, none at the ends."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class _Line:
    indent: int
    marker: str | None  # "bullet" or "number"; None for text and for a bare marker
    text: str  # without its marker
    written: str  # as written, marker included, without the indent
    heading: bool = False  # where a part heading was: the item before it ends there
    letter: str = ""  # for text that starts with a letter (``B)``, ``ii.``): the letter


def _line(raw: str) -> _Line:
    expanded = raw.replace("\t", "    ")
    written = expanded.strip()
    indent = len(expanded) - len(expanded.lstrip())
    for kind, pattern in (("bullet", _BULLET), ("number", _NUMBER)):
        found = pattern.match(written)
        if found:
            text = written[found.end() :].strip()
            return _Line(indent, kind if text else None, text, written if text else "")
    lettered = _LETTER.match(written)
    return _Line(indent, None, written, written, letter=lettered["letter"] if lettered else "")


def _after_letter(line: _Line) -> str:
    """A line's text without its letter (``B) Concomitant Medication`` -> ``Concomitant Medication``)."""
    return _LETTER.sub("", line.text, count=1) if line.letter else line.text


_HEADING = _Line(0, None, "", "", heading=True)


def _word_count(text: str) -> int:
    return len(text.split())


def _names_a_part(head: str) -> Part | None:
    """The part a heading names: ``... criteria ...`` or two or three words (``Other
    Exclusions``), not a sentence about criteria."""
    found = _PART_WORD.search(head)
    if found is None or _NOT_A_HEADING.search(head) or head[:1].isdigit():
        return None
    if "criteri" not in head.lower() and _word_count(head) > 3:
        return None
    return "inclusion" if found.group(1).lower().startswith("inclusion") else "exclusion"


def _heading(line: _Line) -> tuple[Part, str] | None:
    """The part a line opens and what follows the heading on the line, if it is a heading.

    >>> headings = ("Key Inclusion Criteria:", "Non-inclusion Criteria:", "1. Exclusion Criteria")
    >>> [_heading(_line(text)) for text in headings]
    [('inclusion', ''), ('exclusion', ''), ('exclusion', '')]
    >>> _heading(_line("Exclusion Criteria:- Primary hypoactive sexual desire."))
    ('exclusion', '- Primary hypoactive sexual desire.')
    >>> sentences = ("Other protocol defined exclusion criteria could apply.",
    ...     "Not meeting inclusion criteria", "* Pre-inclusion: consent",
    ...     "* Inclusion: Patient has", "Note: inclusion")
    >>> [_heading(_line(text)) for text in sentences]
    [None, None, None, None, None]
    """
    text = line.text
    if line.marker is not None and ("criteri" not in text.lower() or line.indent > 1):
        return None
    colon = _COLON_HEAD.match(text)
    if colon and _word_count(colon["head"]) <= 12 and (line.marker is None or not colon["rest"]):
        part = _names_a_part(colon["head"])
        if part is not None:
            return part, colon["rest"].strip()
    bare = text.rstrip(" :：")
    if _word_count(bare) <= 8 and not bare.endswith(_SENTENCE_END) and not re.search("[:：]", bare):
        part = _names_a_part(bare)
        if part is not None:
            return part, ""
    return None


def _phrase(text: str) -> bool:
    """Short, one phrase, not the end of a sentence."""
    return (
        _word_count(text) <= 10 and len(text) <= 100 and ". " not in text and not text.endswith(_SENTENCE_END)
    )


def _announces(item: list[str]) -> bool:
    """An item that ends with a colon: what follows is its own."""
    return item[-1].endswith((":", "："))


def _next_written(lines: list[_Line], index: int) -> int | None:
    return next((later for later in range(index + 1, len(lines)) if lines[later].written), None)


def _lead_in(text: str) -> bool:
    """One sentence that asks for the items after it (``Subjects meeting any of the following
    criteria are ineligible for study entry:``)."""
    start = text.lstrip("*_ ")[:1]
    return (
        text.endswith((":", "："))
        and ". " not in text
        and len(text) <= _LEAD_IN_LENGTH
        and not (start.islower() or start.isdigit())
    )


def _next_letter(letter: str) -> str:
    return chr(ord(letter) + 1) if len(letter) == 1 else ""


def _in_sequence(letter: str, before: str) -> bool:
    """Whether a letter can head a run of items after the part's last lettered line: it starts a
    sequence (``A``) or comes later in the alphabet than the letter before it (``c.`` after ``a.``)."""
    if letter in ("A", "a"):
        return True
    return len(before) == 1 and len(letter) == 1 and before.isupper() == letter.isupper() and letter > before


class _Marked:
    """A part's lines read as items: which lines open one, and what heads the items after it."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        # Letters are the items' markers only before the first bullet or number under a part
        # heading (not one indented under a lettered item); after one, a lettered line is a
        # sub-heading or continues an item.
        listed = []
        marked = False  # a bullet or a number came since the last part heading
        lettered_at: int | None = None  # the indent of the first lettered line since then
        for index, line in enumerate(lines):
            if line.heading:
                marked, lettered_at = False, None
            if line.marker and (lettered_at is None or line.indent <= lettered_at + 1):
                marked = True
            if line.marker or (line.letter and not marked):
                listed.append(index)
                if line.letter and lettered_at is None:
                    lettered_at = line.indent
        self.base = min(lines[index].indent for index in listed)
        self.openers = {index for index in listed if lines[index].indent <= self.base + 1}

    def kind(self, index: int) -> str:
        line = self.lines[index]
        return line.marker or ("letter" if line.letter else "")

    def heads(self, index: int, other_kind: bool = False) -> bool:
        """Whether the line at ``index`` heads the item after it: that item comes next, or after
        further heading lines when this line asks for them (ends with ``:``), or after one lead-in
        line when it is lettered."""
        line = self.lines[index]
        asks = line.text.endswith((":", "："))
        lettered = bool(line.letter)
        later: int | None = index
        for _ in range(_HEADING_LINES + 1):
            later = _next_written(self.lines, later)
            if later is None:
                return False
            if later in self.openers:
                return not other_kind or self.kind(later) != self.kind(index)
            following = self.lines[later]
            if following.marker or following.letter:
                return False
            if asks and _phrase(following.text.rstrip(":：")):
                pass
            elif not ((asks or lettered) and _lead_in(following.text)):
                return False
            asks, lettered = following.text.endswith((":", "：")), False
        return False

    def items(self) -> list[str]:
        lines = self.lines
        items: list[list[str]] = []
        current: list[str] | None = None
        previous_blank = True
        glued = False  # the line before was an enumerated text line continuing an item
        heading_letter = ""  # the letter of the part's last lettered sub-heading
        letter_seen = ""  # the letter of the part's last lettered item or sub-heading
        last_opener = max(self.openers)
        for index, line in enumerate(lines):
            if line.heading:
                current, glued = None, False
            if not line.written:
                previous_blank = True
                continue
            after = _next_written(lines, index)
            enumerated = bool(_ENUMERATED.match(line.text))
            continues_letters = glued and enumerated
            words = _after_letter(line)
            may_head = previous_blank and not continues_letters and _phrase(words.rstrip(":："))
            glued = False
            text = line.written
            if (
                line.letter
                and line.letter == _next_letter(heading_letter)
                and previous_blank
                and after in self.openers
            ):  # ``B) ...`` after ``A) ...``: a sub-heading however long
                current, heading_letter, letter_seen = None, line.letter, line.letter
            elif index in self.openers:
                if line.letter:
                    heads = may_head and self.heads(index, other_kind=True)
                else:
                    heads = (
                        may_head and line.text.endswith((":", "：")) and self.heads(index, other_kind=True)
                    )
                if heads:
                    current, heading_letter = None, line.letter
                else:
                    current = [words]
                    items.append(current)
                    text = ""
                letter_seen = line.letter or letter_seen
            elif (
                may_head
                and not line.marker
                and (not line.letter or _in_sequence(line.letter, letter_seen))
                and self.heads(index)
            ):
                current, heading_letter = None, line.letter  # a sub-heading
                letter_seen = line.letter or letter_seen
            elif (
                previous_blank
                and line.marker
                and line.text.endswith((":", "："))
                and _phrase(line.text.rstrip(":："))
                and after in self.openers
            ):
                current = None  # an indented marked line asking for the items after it: a sub-heading
            elif previous_blank and not line.marker and _lead_in(line.text) and after in self.openers:
                current = None  # a lead-in to the items after it
            elif (
                line.indent > self.base
                or not previous_blank
                or continues_letters
                or (current is not None and _announces(current))
            ):
                glued = enumerated
            elif index > last_opener:
                current = None  # a note after the last item
            else:
                glued = enumerated
            if current is not None and text:
                current.append(text)
            if current is not None and heading_letter and after in self.openers:
                # a line that ends with the next lettered sub-heading: ``... study. C) Abnormal
                # Laboratory Values``; the item ends before it
                at_end = _LETTER_AT_END.search(current[-1])
                if at_end and at_end["letter"] == _next_letter(heading_letter) and _phrase(at_end["title"]):
                    current[-1] = current[-1][: at_end.start()].rstrip()
                    current, heading_letter = None, at_end["letter"]
                    letter_seen = heading_letter
            previous_blank = False
        return [text for text in (folded(" ".join(parts)) for parts in items) if text]


def _paragraph_items(lines: list[_Line]) -> list[str]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.written:
            paragraphs[-1].append(line.written)
        elif paragraphs[-1]:
            paragraphs.append([])
    texts = [folded(" ".join(paragraph)) for paragraph in paragraphs if paragraph]
    return [
        text
        for index, text in enumerate(texts)
        if not (index + 1 < len(texts) and text.endswith((":", "：")) and _word_count(text) <= 10)
    ]


def _items(lines: list[_Line]) -> list[str]:
    if any(line.marker or line.letter for line in lines):
        return _Marked(lines).items()
    return _paragraph_items(lines)


def _lines(text: str) -> list[_Line]:
    """The text's lines; a part heading run onto the end of a sentence (``... immunotherapy.
    Exclusion Criteria``) is a line of its own."""
    found = []
    for raw in unescaped(text).splitlines():
        line = _line(raw)
        if line.written and _heading(line) is None:
            trailing = _HEADING_AFTER_SENTENCE.match(raw)
            if trailing and _heading(_line(trailing["heading"])) is not None:
                found += [_line(trailing["before"]), _line(" " * line.indent + trailing["heading"])]
                continue
        found.append(line)
    return found


def _item_then_heading(line: _Line) -> tuple[_Line, Part] | None:
    """An item's line that ends with a part heading: the item, and the part the heading names.
    The words before the heading are the item's when one of them is in lower case (``* Stable
    relationship Exclusion Criteria:``); capitalised ones name the heading (``* Donor Exclusion
    Criteria:``)."""
    found = _HEADING_AT_ITEM_END.match(line.text) if line.marker else None
    if found is None or not any(word[:1].islower() for word in found["before"].split()):
        return None
    part: Part = "inclusion" if found["heading"].lower().startswith("inclusion") else "exclusion"
    before = found["before"]
    return replace(
        line, text=before, written=line.written[: len(line.written) - len(line.text)] + before
    ), part


def split_criteria(text: str | None) -> tuple[list[str], list[str]]:
    """The inclusion and the exclusion criteria of a record's criteria text, one string an item.

    >>> split_criteria('''Inclusion Criteria:
    ...
    ... Pregnant Women:
    ...
    ... * Age \\\\> 18
    ... * Consent, as
    ...
    ...   continued here
    ...
    ... Exclusion Criteria:
    ...
    ... A) Medical Conditions
    ...
    ... 1. Pregnant
    ...    * first trimester
    ... 2) Other
    ...
    ... Note: other criteria apply''')
    (['Age > 18', 'Consent, as continued here'], ['Pregnant * first trimester', 'Other'])

    Letters mark the items of a lettered part; a heading at the end of an item's line ends it; a
    sentence asking for the items after it heads them:

    >>> inclusion, exclusion = split_criteria('''Inclusion Criteria:
    ...
    ... * Adults
    ... * Stable heterosexual relationship Exclusion Criteria:
    ... * Smokers
    ...
    ... Subjects meeting any of the following criteria are ineligible for study entry:
    ...
    ... * Minors
    ...
    ... Other Exclusion Criteria:
    ...
    ... A. Refusal of consent B. Psychiatric illness.
    ...
    ... F. Prior surgery''')
    >>> inclusion
    ['Adults', 'Stable heterosexual relationship']
    >>> exclusion
    ['Smokers', 'Minors', 'Refusal of consent B. Psychiatric illness.', 'Prior surgery']
    """
    if text is None:
        return [], []
    lines = _lines(text)
    parts: dict[Part, list[_Line]] = {"inclusion": [], "exclusion": []}
    current: Part | None = None
    seen_heading = False
    for line in lines:
        heading = _heading(line) if line.written else None
        item_then_heading = _item_then_heading(line) if heading is not None else None
        if item_then_heading is not None:
            item, part = item_then_heading
            if current is None or part == current:  # words of the part the line is in
                heading = None
            else:
                parts[current].append(item)
                heading = part, ""
        if heading is not None:
            current, rest = heading
            seen_heading = True
            parts[current].append(_HEADING)
            if rest:
                parts[current].append(_line(" " * line.indent + rest))
            continue
        if current is not None:
            parts[current].append(line)
    if not seen_heading:
        parts["inclusion"] = lines
    return _items(parts["inclusion"]), _items(parts["exclusion"])
