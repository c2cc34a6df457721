"""Problems found in documents, and the exceptions of the graph layer.

Exception tree::

    TrialGraphError            any error raised by graph/
     ├── LoadError             documents did not load; ``problems`` lists every reason
     ├── UnknownNodeError      an id names no node of the graph
     └── QueryLimitError       a query asks for more than a stated limit allows

A :class:`Problem` is one line of a report: ``FILE:LINE: message`` for pages and
``FILE: $.json.path: message`` for JSON, with ``warning:`` before warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a document, located by file and line or JSON path."""

    where: str  # "FILE:LINE" or "FILE: $.path"
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.where}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class TrialGraphError(Exception):
    """Base class of the errors graph/ raises."""


class LoadError(TrialGraphError):
    """Raised when documents do not load; nothing of them reaches a graph."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error]
        lines = "\n".join(str(p) for p in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} problem(s) in the documents:\n{lines}{more}")


class UnknownNodeError(TrialGraphError, KeyError):
    """Raised when an id names no node of the graph."""

    def __init__(self, node_id: str) -> None:
        self.node_id = node_id
        super().__init__(f"no node has the id {node_id!r}")

    def __str__(self) -> str:
        return str(self.args[0])


class QueryLimitError(TrialGraphError, ValueError):
    """Raised when a query asks for more than a stated limit allows."""

    def __init__(self, limit: str, value: int, asked: int, how: str = "was asked for") -> None:
        self.limit, self.value, self.asked = limit, value, asked
        super().__init__(f"{limit} is limited to {value}; {asked} {how}")


class Report:
    """Collects the problems of one document, located in its name (file, zip member ...)."""

    def __init__(self, name: str = "", sink: list[Problem] | None = None) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.sink = sink  # where every problem also goes, in the order found

    def where(self, at: int | str) -> str:
        """``NAME:LINE`` for a line number, ``NAME: $.path`` for a JSON path; else ``at``."""
        if isinstance(at, int):
            return f"{self.name}:{at}"
        return f"{self.name}: {at}" if at.startswith("$") else at

    def error(self, at: int | str, message: str) -> None:
        self._add(Problem(self.where(at), message))

    def warning(self, at: int | str, message: str) -> None:
        self._add(Problem(self.where(at), message, Severity.WARNING))

    def _add(self, problem: Problem) -> None:
        self.problems.append(problem)
        if self.sink is not None:
            self.sink.append(problem)

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)
