"""The sections of a trial page (``FORMAT.md``) and which of its paragraphs head them.

A paragraph that reads a section's name is its heading when the section's fixed sentence
(:data:`SECTIONS`) follows it; elsewhere the same words are text, such as a description's own
sub-heading ``Interventions``. A page whose sentence went missing keeps its heading (the page
parser warns) where the name cannot be text:

- the name is not written with its sentence elsewhere on the page, and has not opened a
  section already (a section appears once);
- and either the open section holds no free text (:data:`FREE_TEXT`: summaries, descriptions,
  study groups, interventions and criteria; the others hold labels, markers and one-line names,
  where a section's name can only be a heading), or the name fits the usual order there: after
  the open section and before the next heading that has its sentence.

Otherwise the paragraph stays in the open section, so no words of a description are lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.read.pages.paragraphs import Paragraph

SECTIONS: dict[str, str] = {
    "Basic Information": "Get a concise snapshot of the trial, including recruitment status, "
    "study phase, enrollment targets, and key timeline milestones.",
    "Brief Summary": "Review the sponsor-provided synopsis that highlights what the study is "
    "about and why it is being conducted.",
    "Detailed Description": "Dive into the extended narrative that explains the scientific "
    "background, objectives, and procedures in greater depth.",
    "Conditions": "See the medical conditions and disease areas that this research is "
    "targeting or investigating.",
    "Study Design": "Understand how the trial is structured, including allocation methods, "
    "masking strategies, primary purpose, and other design elements.",
    "Study Groups": "Review each arm or cohort in the study, along with the interventions and "
    "objectives associated with them.",
    "Interventions": "Learn about the drugs, procedures, or behavioral strategies being tested "
    "and how they are applied within this trial.",
    "Eligibility Criteria": "Check the participation requirements, including inclusion and "
    "exclusion rules, age limits, and whether healthy volunteers are accepted.",
    "Sponsors": "Meet the organizations funding or collaborating on the study and learn about their roles.",
    "Responsible Party": "Identify the individual or organization who holds primary "
    "responsibility for the study information submitted to regulators.",
    "Principal Investigators": "Learn about the lead researchers overseeing the trial and their "
    "institutional affiliations.",
    "Locations": "Explore where the study is taking place and check the recruitment status at "
    "each participating site.",
    "Countries": "Review the countries where the study has at least one active or historical site.",
    "Other Identifiers": "Review additional registry numbers or institutional identifiers "
    "associated with this trial.",
    "More Related Trials": "Additional clinical trials that may be relevant based on similarity analysis.",
}
LAST_SECTION = "More Related Trials"
# Sections whose paragraphs may read anything, a section's name included.
FREE_TEXT = frozenset(
    {"Brief Summary", "Detailed Description", "Study Groups", "Interventions", "Eligibility Criteria"}
)


def section_headings(found: Sequence[Paragraph]) -> dict[int, bool]:
    """Which paragraphs (after the title) are section headings, each with whether its fixed
    sentence follows; the rule is the module's.

    >>> def heads(*texts):
    ...     return section_headings([Paragraph(n, (t,)) for n, t in enumerate(texts)])
    >>> summary, described = SECTIONS["Brief Summary"], SECTIONS["Detailed Description"]
    >>> heads("Title", "Brief Summary", summary, "Conditions", "Cancer")  # its sentence lost
    {1: True, 3: False}
    >>> heads("Title", "Brief Summary", summary, "Conditions", "C", "Conditions", SECTIONS["Conditions"])
    {1: True, 5: True}
    >>> heads("Title", "Detailed Description", described, "Interventions", "Each arm ...",
    ...       "Conditions", SECTIONS["Conditions"])  # Interventions would come after Conditions
    {1: True, 5: True}
    >>> heads("Title", "Brief Summary", summary, "Basic Information", "Recruitment Status")
    {1: True}
    """
    order = {name: n for n, name in enumerate(SECTIONS)}
    with_sentence = [
        n for n in range(1, len(found) - 1) if SECTIONS.get(found[n].text, "") == found[n + 1].text
    ]
    claimed = {found[n].text for n in with_sentence}
    headings = dict.fromkeys(with_sentence, True)
    opened: set[str] = set()
    current: str | None = None
    following = 0  # with_sentence[following]: the next heading that has its sentence
    for n in range(1, len(found)):
        name = found[n].text
        if name not in SECTIONS:
            continue
        while following < len(with_sentence) and with_sentence[following] <= n:
            following += 1
        if n not in headings:
            if name in claimed or name in opened:
                continue
            if current is not None and current in FREE_TEXT:
                upcoming = found[with_sentence[following]].text if following < len(with_sentence) else None
                after_current = order[name] > order[current]
                if not after_current or (upcoming is not None and order[name] >= order[upcoming]):
                    continue
            headings[n] = False
        opened.add(name)
        current = name
    return dict(sorted(headings.items()))
