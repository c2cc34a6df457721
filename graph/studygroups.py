"""The Interventions and Study Groups sections of a trial page, resolved against each other.

Study Groups is positional: per arm its label, an optional description, an optional
``Group Type X``, then per intervention its name, ``Intervention Type X`` and an optional
description. A paragraph's role is not known from the paragraph alone, so an intervention named
in a group is matched with the Interventions section by name, type and description (which also
tells apart two interventions of one trial with the same name), and a run of paragraphs with no
end marker is cut into arms by shape: a short label after prose starts a new arm. What still
cannot be resolved is reported as a warning with its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from graph.errors import Report
from graph.model import Arm, Intervention
from graph.paragraphs import Paragraph
from graph.plaintext import clean
from graph.vocabulary import ARM_TYPES, INTERVENTION_TYPES, expected

INTERVENTION_TYPE = re.compile(r"^Intervention Type\s*(\S*)$")
GROUP_TYPE = re.compile(r"^Group Type\s*(\S*)$")
_SENTENCE_END = re.compile(r"[.!?;:]$|\.\s")


@dataclass(slots=True)
class Listed:
    """An intervention of the Interventions section, with its description as paragraphs."""

    intervention: Intervention
    description: tuple[str, ...]
    line: int


def parse_interventions(body: Sequence[Paragraph], report: Report) -> list[Listed]:
    """Per intervention: its name, an optional description, ``Intervention Type X``.

    Pages made from partial records list names only; paragraphs after the last type line are
    each read as the name of an intervention with no type.
    """
    listed: list[Listed] = []
    pending: list[Paragraph] = []
    for paragraph in body:
        match = INTERVENTION_TYPE.match(paragraph.text)
        if match is None:
            pending.append(paragraph)
            continue
        if not pending:
            report.error(paragraph.line, "'Intervention Type' without an intervention name before it")
            continue
        kind = _checked(match.group(1), INTERVENTION_TYPES, "intervention type", paragraph, report)
        listed.append(_listed(pending[0], pending[1:], kind, len(listed)))
        pending = []
    for paragraph in pending:
        listed.append(_listed(paragraph, [], None, len(listed)))
    return listed


def _listed(name: Paragraph, description: Sequence[Paragraph], kind: str | None, n: int) -> Listed:
    texts = tuple(p.text for p in description)
    intervention = Intervention(
        name=clean(name.text) or name.text,
        type=kind,
        description=clean("\n\n".join(texts)),
        field=f"interventions[{n}]",
    )
    return Listed(intervention, texts, name.line)


def _checked(word: str, words: frozenset[str], what: str, paragraph: Paragraph, report: Report) -> str | None:
    if word in words:
        return word
    report.error(paragraph.line, f"{what} {word!r} is not known; expected {expected(words)}")
    return None


def _is_prose(paragraph: Paragraph) -> bool:
    text = paragraph.text
    return len(paragraph.lines) > 1 or len(text) > 100 or bool(_SENTENCE_END.search(text))


class _GroupReader:
    """Reads Study Groups paragraphs in order, keeping the arms and interventions found."""

    def __init__(self, body: Sequence[Paragraph], listed: list[Listed], report: Report) -> None:
        self.body = body
        self.listed = listed
        self.report = report
        self.interventions = [entry.intervention for entry in listed]
        self.arms: list[Arm] = []
        self.run: list[Paragraph] = []
        self.used: set[int] = set()

    def read(self) -> None:
        position = 0
        while position < len(self.body):
            paragraph = self.body[position]
            following = self.body[position + 1] if position + 1 < len(self.body) else None
            group_type = GROUP_TYPE.match(paragraph.text)
            if group_type is not None:
                if self.run:
                    self._close_run(ended=True, by_group_type=True)
                    kind = _checked(group_type.group(1), ARM_TYPES, "group type", paragraph, self.report)
                    self.arms[-1].type = kind
                else:
                    self.report.error(paragraph.line, "'Group Type' without a group label before it")
                position += 1
            elif following is not None and INTERVENTION_TYPE.match(following.text):
                self._close_run(ended=True)
                position += 2 + self._mention(paragraph, following, position + 2)
            else:
                self.run.append(paragraph)
                position += 1
        self._close_run(ended=False)

    def _close_run(self, ended: bool, by_group_type: bool = False) -> None:
        """Turn the pending paragraphs into arms; ``ended`` if a marker followed them.

        A run ended by ``Group Type`` is one arm: arms of a typed section have types. Other
        runs (observational cohorts) are cut where a short label follows prose.
        """
        if not self.run:
            return
        starts = [0]
        for n in range(1, 1 if by_group_type else len(self.run)):
            if not _is_prose(self.run[n]) and _is_prose(self.run[n - 1]):
                starts.append(n)
            elif not _is_prose(self.run[n]) and (n >= 2 or not ended):
                self.report.warning(
                    self.run[n].line,
                    f"Study Groups: cannot tell whether {self.run[n].text!r} is a group label or "
                    f"part of the description of {self.run[starts[-1]].text!r}; read as description",
                )
        starts.append(len(self.run))
        for begin, end in pairwise(starts):
            label, description = self.run[begin], self.run[begin + 1 : end]
            self.arms.append(
                Arm(
                    label=clean(label.text) or label.text,
                    description=clean("\n\n".join(p.text for p in description)),
                    field=f"armGroups[{len(self.arms)}]",
                )
            )
        self.run = []

    def _mention(self, name: Paragraph, type_line: Paragraph, after: int) -> int:
        """Link the intervention named in a group to its arm; return paragraphs consumed."""
        match = INTERVENTION_TYPE.match(type_line.text)
        kind = match.group(1) if match else None
        if not self.arms:
            self.report.error(name.line, f"intervention {name.text!r} comes before any group label")
            return 0
        arm = self.arms[-1]
        candidates = [
            n
            for n, entry in enumerate(self.listed)
            if entry.intervention.name == (clean(name.text) or name.text) and entry.intervention.type == kind
        ]
        chosen, consumed = self._choose(candidates, after, arm)
        if chosen is None:
            self.report.warning(
                name.line,
                f"intervention {name.text!r} ({kind}) of group {arm.label!r} is not listed "
                "under Interventions; taken from Study Groups",
            )
            chosen, consumed = self._unlisted(name, kind, after)
        if chosen in arm.interventions:
            self.report.warning(name.line, f"group {arm.label!r} names {name.text!r} twice")
        else:
            arm.interventions.append(chosen)
        self.used.add(chosen)
        return consumed

    def _choose(self, candidates: list[int], after: int, arm: Arm) -> tuple[int | None, int]:
        texts = [p.text for p in self.body[after:]]
        matching = [
            n
            for n in candidates
            if self.listed[n].description
            and tuple(texts[: len(self.listed[n].description)]) == self.listed[n].description
        ]
        if matching:
            longest = max(len(self.listed[n].description) for n in matching)
            matching = [n for n in matching if len(self.listed[n].description) == longest]
            free = [n for n in matching if n not in arm.interventions]
            if len(free) > 1:
                self.report.warning(
                    self.body[after].line,
                    f"interventions {self.listed[free[0]].intervention.name!r} with the same "
                    "name, type and description cannot be told apart; the first unused is taken",
                )
                free.sort(key=lambda n: n in self.used)
            return (free or matching)[0], longest
        plain = [n for n in candidates if not self.listed[n].description]
        if plain:
            return plain[0], 0
        if candidates:
            self.report.warning(
                self.body[after - 2].line,
                f"the description of intervention {self.listed[candidates[0]].intervention.name!r}"
                " in this group differs from the Interventions section",
            )
            return candidates[0], 0
        return None, 0

    def _unlisted(self, name: Paragraph, kind: str | None, after: int) -> tuple[int, int]:
        """An intervention named only in Study Groups; its description is the prose after it."""
        description: list[str] = []
        for paragraph in self.body[after:]:
            if not _is_prose(paragraph):
                break
            description.append(paragraph.text)
        intervention = Intervention(
            name=clean(name.text) or name.text,
            type=kind if kind in INTERVENTION_TYPES else None,
            description=clean("\n\n".join(description)),
            field=f"interventions[{len(self.interventions)}]",
        )
        self.listed.append(Listed(intervention, tuple(description), name.line))
        self.interventions.append(intervention)
        return len(self.interventions) - 1, len(description)


def parse_study_groups(
    body: Sequence[Paragraph], listed: list[Listed], report: Report
) -> tuple[list[Arm], list[Intervention]]:
    """Resolve Study Groups with the Interventions section: the arms, and every intervention."""
    reader = _GroupReader(body, list(listed), report)
    reader.read()
    return reader.arms, reader.interventions
