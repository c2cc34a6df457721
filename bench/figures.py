"""Figures: one measured value beside its baseline measured in the same run, their ratio, and the
issue's target; printed as a table and written as JSON.

``ratio`` is always ``value / baseline``; ``better`` says how many times better ours is
(``baseline / value`` where lower is better), so a ratio reads the same way in every row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO


@dataclass(frozen=True, slots=True)
class Target:
    """The issue's target for a figure: on its value, or on its ratio to the baseline."""

    limit: float
    at_most: bool  # value <= limit; else value >= limit
    on_ratio: bool = False

    def met(self, value: float, ratio: float) -> bool:
        measured = ratio if self.on_ratio else value
        return measured <= self.limit if self.at_most else measured >= self.limit

    def __str__(self) -> str:
        subject = "ratio " if self.on_ratio else ""
        return f"{subject}{'≤' if self.at_most else '≥'} {_number(self.limit)}"


@dataclass(frozen=True, slots=True)
class Figure:
    group: str  # ingest, start-up, in process, HTTP ...
    name: str
    unit: str
    value: float  # ours
    baseline: float
    baseline_label: str  # what the baseline is
    lower_is_better: bool
    target: Target | None = None
    samples: int | None = None  # calls or requests behind the value
    baseline_samples: int | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else math.inf

    @property
    def better(self) -> float:
        """How many times better than the baseline (below 1: worse)."""
        if self.lower_is_better:
            return self.baseline / self.value if self.value else math.inf
        return self.ratio

    def as_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "name": self.name,
            "unit": self.unit,
            "value": _rounded(self.value),
            "baseline": _rounded(self.baseline),
            "baseline_label": self.baseline_label,
            "ratio": _rounded(self.ratio),
            "times_better": _rounded(self.better),
            "lower_is_better": self.lower_is_better,
            "target": None if self.target is None else str(self.target),
            "target_met": None if self.target is None else self.target.met(self.value, self.ratio),
            "samples": self.samples,
            "baseline_samples": self.baseline_samples,
            "note": self.note,
        }


def _rounded(value: float) -> float | None:
    if not math.isfinite(value):
        return None
    return round(value, 4) if abs(value) < 10 else round(value, 1)


def _number(value: float) -> str:
    if not math.isfinite(value):
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _times(value: float) -> str:
    return f"{_number(value)}x" if math.isfinite(value) else "-"


def print_table(figures: Sequence[Figure], out: TextIO) -> None:
    """One line per figure, grouped, with its baseline, ratio and target."""
    header = (
        f"{'figure':<44} {'unit':<10} {'ours':>10} {'baseline':>10} {'ratio':>8} {'better':>8}  "
        f"{'target':<14} {'met':<4}"
    )
    group = None
    for figure in figures:
        if figure.group != group:
            group = figure.group
            out.write(f"\n== {group}\n{header}\n")
        target = "" if figure.target is None else str(figure.target)
        met = (
            ""
            if figure.target is None
            else ("yes" if figure.target.met(figure.value, figure.ratio) else "NO")
        )
        out.write(
            f"{figure.name:<44} {figure.unit:<10} {_number(figure.value):>10} {_number(figure.baseline):>10} "
            f"{_number(figure.ratio):>8} {_times(figure.better):>8}  {target:<14} {met:<4}\n"
        )
    out.write("\nbaselines:\n")
    seen: dict[str, None] = {}
    for figure in figures:
        line = f"  {figure.group}: {figure.baseline_label}"
        if line not in seen:
            seen[line] = None
            out.write(line + "\n")
    notes = [f"  {figure.group} / {figure.name}: {figure.note}" for figure in figures if figure.note]
    if notes:
        out.write("notes:\n" + "\n".join(notes) + "\n")
