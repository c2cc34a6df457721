"""The Interventions and Study Groups sections of a trial page, resolved against each other.

Study Groups is positional: per arm its label, an optional description, an optional
``Group Type X``, then per intervention its name, ``Intervention Type X`` and an optional
description. A paragraph's role is not known from the paragraph alone, so the section is read
in two steps.

First the markers: an intervention named in a group is matched with the Interventions section
by name, type and description (which also tells apart two interventions of one trial with the
same name), and each ``Group Type`` or intervention closes the run of paragraphs before it. A
run closed by ``Group Type`` is one arm. Interventions alike in name, type and description (the
registry may list one copy per arm) cannot be told apart: the page does not say which copy a
group receives. The first copy not yet received is taken, and each group where that choice was
made is reported at the intervention's line (NCT04361305 lists its two ``Tadalafil`` copies in
the other order than its groups receive them).

Then the runs without a type (observational cohorts) are cut into arms by shape: prose, or a
paragraph after one that ends in a colon, is description; a short paragraph after a prose
description is a new label. A short paragraph after a short one is read as the rest of the
section shows its arms, with a description or without (the registry describes the arms of one
trial alike); where the section does not show it, the paragraph is reported with its line and
read as the registry usually has it, a label and then its description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from graph.errors import Report
from graph.model import Arm, Intervention
from graph.read.pages.paragraphs import Paragraph
from graph.read.text.plain import clean
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


def _introduces(paragraph: Paragraph) -> bool:
    """A paragraph ending in a colon introduces the one after it (``Day +1:``)."""
    return paragraph.text.endswith(":")


def _label_after_prose(previous: Paragraph, paragraph: Paragraph) -> bool:
    """A short paragraph after a prose one (not introducing it) starts a group, where the prose
    one is a description: a label is never prose."""
    return _is_prose(previous) and not _introduces(previous) and not _is_prose(paragraph)


@dataclass(slots=True)
class _Run:
    """Paragraphs up to a marker (``Group Type``, an intervention) or the section's end: one
    group or more, the last of which the marker belongs to."""

    paragraphs: list[Paragraph]
    typed: bool = False
    kind: str | None = None
    interventions: list[int] = field(default_factory=list)
    # Warnings naming the run's last group, said once its label is known.
    notes: list[tuple[int, Callable[[str], str]]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return not self.typed and not self.interventions


def _described(runs: Sequence[_Run]) -> bool | None:
    """Whether this section's groups have descriptions, as its markers and prose show it:
    ``True`` or ``False`` where all that is shown agrees, ``None`` where it shows both.

    Shown with a description: a typed group with a paragraph between its label and
    ``Group Type``; prose (or a colon's continuation) after a label. Shown without: a typed group
    of one paragraph; a label alone before a marker or at the end; a short paragraph after a
    prose description, at the end of a run. Where nothing is shown, a run of an odd number of
    short paragraphs (three or more) cannot be labels each with a one-paragraph description, so
    shows groups without one.
    """
    shown: set[bool] = set()
    odd = False
    for run in runs:
        paragraphs = run.paragraphs
        if run.typed:
            shown.add(len(paragraphs) > 1)
            continue
        if len(paragraphs) == 1:
            shown.add(False)
        elif _introduces(paragraphs[0]) or any(_is_prose(p) for p in paragraphs[1:]):
            shown.add(True)
        else:
            odd = odd or len(paragraphs) % 2 == 1
        if len(paragraphs) > 2 and _label_after_prose(paragraphs[-2], paragraphs[-1]):
            shown.add(False)  # a run's last label follows a description: nothing describes it
    if not shown:
        return False if odd else None
    return shown.pop() if len(shown) == 1 else None


class _GroupReader:
    """Reads Study Groups paragraphs in order, keeping the arms and interventions found."""

    def __init__(self, body: Sequence[Paragraph], listed: list[Listed], report: Report) -> None:
        self.body = body
        self.listed = listed
        self.report = report
        self.interventions = [entry.intervention for entry in listed]
        self.runs: list[_Run] = []
        self.used: set[int] = set()

    def read(self) -> list[Arm]:
        self._scan()
        described = _described(self.runs)
        arms: list[Arm] = []
        for run in self.runs:
            for label, description in self._groups(run, described):
                arms.append(
                    Arm(
                        label=clean(label.text) or label.text,
                        description=clean("\n\n".join(p.text for p in description)),
                        field=f"armGroups[{len(arms)}]",
                    )
                )
            arms[-1].type, arms[-1].interventions = run.kind, run.interventions
            for line, message in run.notes:
                self.report.warning(line, message(arms[-1].label))
        return arms

    def _scan(self) -> None:
        """Cut the section into runs of paragraphs, each closed by its markers."""
        run: _Run | None = None
        position = 0
        while position < len(self.body):
            paragraph = self.body[position]
            following = self.body[position + 1] if position + 1 < len(self.body) else None
            group_type = GROUP_TYPE.match(paragraph.text)
            if group_type is not None:
                if run is not None and run.open:
                    run.typed = True
                    run.kind = _checked(group_type.group(1), ARM_TYPES, "group type", paragraph, self.report)
                else:
                    self.report.error(paragraph.line, "'Group Type' without a group label before it")
                position += 1
            elif following is not None and INTERVENTION_TYPE.match(following.text):
                position += 2
                if run is None:
                    self.report.error(
                        paragraph.line, f"intervention {paragraph.text!r} comes before any group label"
                    )
                else:
                    position += self._mention(run, paragraph, following, position)
            else:
                if run is None or not run.open:
                    run = _Run([])
                    self.runs.append(run)
                run.paragraphs.append(paragraph)
                position += 1

    def _groups(self, run: _Run, described: bool | None) -> list[tuple[Paragraph, list[Paragraph]]]:
        """Cut a run into groups, each a label and its description paragraphs.

        A run closed by ``Group Type`` is one group: the groups of a typed section all have
        types. In other runs a paragraph is part of the description before it when that one
        ends with a colon or when it is prose, and a label when it is short after a prose
        description. A short paragraph after a label or a short description is read as the
        section shows its groups (:func:`_described`): a label where they have no description;
        else the description of a label that has none yet, and a label after one. Where the
        section shows nothing (or both), that reading is reported: it is the registry's usual
        (most groups have a description), not the page's. A run of two closed by a marker is
        a label and its description without a report (the marker's group is the second
        paragraph's only if the first were a group with no description, type or intervention).
        """
        paragraphs = run.paragraphs
        if run.typed:
            return [(paragraphs[0], paragraphs[1:])]
        groups: list[tuple[Paragraph, list[Paragraph]]] = [(paragraphs[0], [])]
        for previous, paragraph in pairwise(paragraphs):
            label, description = groups[-1]
            if _introduces(previous) or _is_prose(paragraph):
                description.append(paragraph)
            elif (description and _label_after_prose(previous, paragraph)) or described is False:
                groups.append((paragraph, []))
            else:
                if described is None and (description or run.open):
                    self._cannot_tell(paragraph, label, "a group label" if description else "description")
                if description:
                    groups.append((paragraph, []))
                else:
                    description.append(paragraph)
        last, before = groups[-1], groups[-2] if len(groups) > 1 else None
        if described and before and before[1] and not last[1] and not _is_prose(before[1][-1]):
            # Every group shows a description, yet this label would have none.
            self._cannot_tell(last[0], before[0], "a group label")
        return groups

    def _cannot_tell(self, paragraph: Paragraph, label: Paragraph, read_as: str) -> None:
        self.report.warning(
            paragraph.line,
            f"Study Groups: cannot tell whether {paragraph.text!r} is a group label or "
            f"part of the description of {label.text!r}; read as {read_as}",
        )

    def _mention(self, run: _Run, name: Paragraph, type_line: Paragraph, after: int) -> int:
        """Link the intervention named in a group to its run; return paragraphs consumed."""
        match = INTERVENTION_TYPE.match(type_line.text)
        kind = match.group(1) if match else None
        candidates = [
            n
            for n, entry in enumerate(self.listed)
            if entry.intervention.name == (clean(name.text) or name.text) and entry.intervention.type == kind
        ]
        chosen, consumed, alike = self._choose(candidates, after, run.interventions)
        if alike:
            run.notes.append(
                (
                    name.line,
                    lambda label: (
                        f"Study Groups: group {label!r} receives {name.text!r} ({kind}), listed "
                        f"{alike} times under Interventions with the same name, type and "
                        "description; which of them cannot be told: the first not yet received "
                        "is taken"
                    ),
                )
            )
        if chosen is None:
            run.notes.append(
                (
                    name.line,
                    lambda label: (
                        f"intervention {name.text!r} ({kind}) of group {label!r} is not listed "
                        "under Interventions; taken from Study Groups"
                    ),
                )
            )
            chosen, consumed = self._unlisted(name, kind, after)
        if chosen in run.interventions:
            run.notes.append((name.line, lambda label: f"group {label!r} names {name.text!r} twice"))
        else:
            run.interventions.append(chosen)
        self.used.add(chosen)
        return consumed

    def _choose(self, candidates: list[int], after: int, taken: list[int]) -> tuple[int | None, int, int]:
        """The intervention a group names, the paragraphs of its description, and how many listed
        interventions are alike where it could be several (0 where the page tells which):
        ``candidates`` share its name and type, ``taken`` are those the group already receives."""
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
            chosen, alike = self._first_free(matching, taken)
            return chosen, longest, alike
        plain = [n for n in candidates if not self.listed[n].description]
        if plain:
            chosen, alike = self._first_free(plain, taken)
            return chosen, 0, alike
        if candidates:
            self.report.warning(
                self.body[after - 2].line,
                f"the description of intervention {self.listed[candidates[0]].intervention.name!r}"
                " in this group differs from the Interventions section",
            )
            return candidates[0], 0, 0
        return None, 0, 0

    def _first_free(self, alike: list[int], taken: list[int]) -> tuple[int, int]:
        """Of interventions the page cannot tell apart, the first the group does not receive yet,
        one no group received before it first; and how many are alike where more than one is
        free (0 where the choice is the page's)."""
        free = sorted((n for n in alike if n not in taken), key=lambda n: n in self.used)
        return (free or alike)[0], len(alike) if len(free) > 1 else 0

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
    arms = reader.read()
    return arms, reader.interventions
