"""Typed access to one JSON object (:class:`Fields`), reporting a value of the wrong type, or a
string no UTF-8 output can hold, as an error at its JSON path."""

from __future__ import annotations

import math
import re
import sys
from typing import Any

from graph import vocabulary as words
from graph.errors import Report
from graph.model import LARGEST_COUNT
from graph.read.text.criteria import age_in_years
from graph.read.text.plain import clean, lone_surrogate

DATE = re.compile(r"^[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$")
_TYPE_NAMES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    type(None): "null",
}


def json_type(value: object) -> str:
    """How a message names the JSON type of a value.

    >>> json_type(3), json_type(None), json_type([])
    ('an integer', 'null', 'a list')
    """
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _shown(value: object) -> str:
    """A value as a message shows it after its type: a scalar quoted and cut short; a list or
    object not at all, as it may be nested past what ``repr`` can recurse into.

    >>> _shown("PHASE1"), _shown(5), _shown([[]]), _shown(10**5000)[:20]
    (" 'PHASE1'", " '5'", '', ' (more than 4,300 di')
    """
    if isinstance(value, list | dict):
        return ""
    try:
        return f" {str(value)[:40]!r}"
    except ValueError:  # an integer with more digits than str() converts
        return f" (more than {sys.get_int_max_str_digits():,} digits)"


class Fields:
    """Typed access to one JSON object, reporting wrong types at their JSON path."""

    def __init__(self, value: Any, path: str, report: Report, checked: bool = False) -> None:
        self.path = path
        self.report = report
        self.checked = checked  # its strings are known to hold no lone surrogate
        if value is not None and not isinstance(value, dict):
            report.error(path, f"expected an object, got {json_type(value)}")
            value = None
        self.value: dict[str, Any] = value or {}

    def at(self, key: str) -> str:
        return f"{self.path}.{key}"

    def _typed(self, key: str, kinds: tuple[type, ...], what: str) -> Any:
        value = self.value.get(key)
        if value is None:
            return None
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            self.report.error(self.at(key), f"expected {what}, got {json_type(value)}{_shown(value)}")
            return None
        if not self.checked and isinstance(value, str) and not self._unicode(self.at(key), value):
            return None
        return value

    def _string(self, key: str) -> Any:
        """:meth:`_typed` for a string; a string known to hold no lone surrogate is taken as it is
        (most values of a study: the quick way)."""
        value = self.value.get(key)
        if value is None or (self.checked and type(value) is str):
            return value
        return self._typed(key, (str,), "a string")

    def _unicode(self, path: str, value: str) -> bool:
        """Whether ``value`` can be written out as UTF-8; an error at ``path`` if it cannot."""
        if self.checked:
            return True
        at = lone_surrogate(value)
        if at is not None:
            self.report.error(
                path, f"not valid Unicode: a lone surrogate U+{ord(value[at]):04X} at character {at + 1}"
            )
        return at is None

    def object(self, key: str) -> Fields:
        return Fields(self.value.get(key), self.at(key), self.report, self.checked)

    def objects(self, key: str) -> list[Fields]:
        items = self._typed(key, (list,), "a list of objects") or []
        return [
            Fields(item, f"{self.at(key)}[{n}]", self.report, self.checked) for n, item in enumerate(items)
        ]

    def text(self, key: str) -> str | None:
        """A string, as plain text (markdown escapes removed)."""
        return clean(self._string(key))

    def string(self, key: str) -> str | None:
        value = self._string(key)
        return value.strip() or None if value is not None else None

    def strings(self, key: str) -> list[str]:
        return [text for _, text in self._strings(key)]

    def _strings(self, key: str) -> list[tuple[int, str]]:
        """The non-blank strings of a list, as plain text, each with its index in the list."""
        items = self._typed(key, (list,), "a list of strings") or []
        found = []
        for n, item in enumerate(items):
            if isinstance(item, str):
                if (self.checked or self._unicode(f"{self.at(key)}[{n}]", item)) and (text := clean(item)):
                    found.append((n, text))
            else:
                self.report.error(f"{self.at(key)}[{n}]", f"expected a string, got {json_type(item)}")
        return found

    def integer(self, key: str) -> int | None:
        value = self._typed(key, (int,), "an integer")
        if value is not None and not 0 <= value <= LARGEST_COUNT:
            self.report.error(
                self.at(key), f"expected a count from 0 to {LARGEST_COUNT:,}, got{_shown(value)}"
            )
            return None
        return value  # type: ignore[no-any-return]

    def number(self, key: str) -> float | None:
        value = self._typed(key, (int, float), "a number")
        if value is None:
            return None
        try:
            number = float(value)
        except OverflowError:  # an integer past a float's range
            number = math.inf
        if not math.isfinite(number):
            self.report.error(self.at(key), f"expected a finite number, got{_shown(value)}")
            return None
        return number

    def boolean(self, key: str) -> bool | None:
        return self._typed(key, (bool,), "true or false")  # type: ignore[no-any-return]

    def enum(self, key: str, vocabulary: frozenset[str]) -> str | None:
        value = self.string(key)
        if value is not None and value not in vocabulary:
            self.report.error(self.at(key), f"{value!r} is not known; expected {words.expected(vocabulary)}")
            return None
        return value

    def enums(self, key: str, vocabulary: frozenset[str]) -> list[str]:
        values = self._strings(key)
        for n, value in values:
            if value not in vocabulary:
                self.report.error(
                    f"{self.at(key)}[{n}]", f"{value!r} is not known; expected {words.expected(vocabulary)}"
                )
        return [value for _, value in values if value in vocabulary]

    def date(self, key: str) -> str | None:
        value = self.string(key)
        if value is not None and not DATE.match(value):
            self.report.error(self.at(key), f"{value!r} is not a date; expected YYYY-MM-DD, YYYY-MM or YYYY")
            return None
        return value

    def age(self, key: str) -> str | None:
        value = self.string(key)
        if value is not None and age_in_years(value) is None:
            self.report.error(
                self.at(key), f"{value!r} is not an age; expected a number and a unit, as in '18 Years'"
            )
            return None
        return value
