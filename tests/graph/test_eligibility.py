"""Criteria text split into listed items, each with the sub-heading it is listed under: the
contract's rules on small texts, then what must hold on the 880 real registry records."""

from __future__ import annotations

import json
import re
import zipfile
from functools import cache

import pytest

from graph.read.text.criteria import Criteria, split_criteria
from graph.read.text.plain import fold, unescape
from tests.paths import SHARED

STUDIES = SHARED / "data" / "registry" / "studies.zip"

Listed = list[tuple[str, str, str]]  # (part, group, item): "in" or "ex", "" where no group

# A sentence asking for the items after it, longer than 200 characters (NCT03813992's is 202).
_EXTENSION = (
    "Subjects are prohibited from taking part in the open-label extension phase of the study if they "
    "meet any of the following exclusion criteria at the follow-up visit of the double-blind phase, "
    "as judged by the investigator (Visit 6)"
)


def listed(split: Criteria) -> Listed:
    assert len(split.inclusion) == len(split.inclusion_groups)
    assert len(split.exclusion) == len(split.exclusion_groups)
    return [
        ("in", group, item) for item, group in zip(split.inclusion, split.inclusion_groups, strict=True)
    ] + [("ex", group, item) for item, group in zip(split.exclusion, split.exclusion_groups, strict=True)]


CASES: list[tuple[str, str, Listed]] = [
    (
        "a bullet alone is empty, but a bullet's text is kept whatever it reads (a dash too)",
        "Inclusion Criteria:\n\n* -\n*\n* Adults",
        [("in", "", "-"), ("in", "", "Adults")],
    ),
    (
        "bullets and numbers; an indented sub-item stays in its item; escapes removed",
        "Inclusion Criteria:\n\n* Adults\n* Consent\n\n"
        "Exclusion Criteria:\n\n1. Pregnancy\n   * or lactation\n2. HIV \\> 0",
        [
            ("in", "", "Adults"),
            ("in", "", "Consent"),
            ("ex", "", "Pregnancy * or lactation"),
            ("ex", "", "HIV > 0"),
        ],
    ),
    (
        "a sentence before a part's first item is not an item, even one ending with a colon",
        "Inclusion Criteria:\n\n"
        "Patients must meet all of the following criteria to take part in the study:\n\n"
        "1) Adults\n2) Consent",
        [("in", "", "Adults"), ("in", "", "Consent")],
    ),
    (
        "Key ... Criteria headings open the parts",
        "Key Inclusion Criteria:\n\n1. Adults\n\nKey Exclusion Criteria:\n\n1. Pregnancy",
        [("in", "", "Adults"), ("ex", "", "Pregnancy")],
    ),
    (
        "a part written as paragraphs has one item per paragraph",
        "Inclusion Criteria:\n\nAdults with asthma.\nDiagnosed a year ago.\n\nSigned consent.\n\n"
        "Exclusion Criteria:\n\nSmokers.",
        [
            ("in", "", "Adults with asthma. Diagnosed a year ago."),
            ("in", "", "Signed consent."),
            ("ex", "", "Smokers."),
        ],
    ),
    (
        "short lines over runs of items are sub-headings, with a colon or without",
        "Inclusion Criteria:\n\nPregnant Women:\n\n* Resides in the community\n* 18 years or older\n\n"
        "Community Health Workers:\n\n* 18 years or older\n\nMinistry of Health Officials\n\n"
        "* Employed by the Ministry\n\nExclusion Criteria:\n\nPregnant Women:\n\n* Preexisting diabetes\n\n"
        "CHW, Clinicians, Ministry of Health Officials\n\n1. Unwilling to consent",
        [
            ("in", "Pregnant Women", "Resides in the community"),
            ("in", "Pregnant Women", "18 years or older"),
            ("in", "Community Health Workers", "18 years or older"),
            ("in", "Ministry of Health Officials", "Employed by the Ministry"),
            ("ex", "Pregnant Women", "Preexisting diabetes"),
            ("ex", "CHW, Clinicians, Ministry of Health Officials", "Unwilling to consent"),
        ],
    ),
    (
        "lettered sub-headings: A) heads bullets; B) stays one however long; C) glued to a line",
        "Exclusion Criteria:\n\nA) Previous or current Medical Conditions\n\n* Unstable angina\n"
        "* Retinitis pigmentosa.\n\nB) Concomitant Medication 1. Nitrates .2. Anticoagulants.\n\n"
        "3. Androgens.\n\n4. Use of vardenafil. C) Abnormal Laboratory Values\n\n"
        "1. Creatinine \\> 2.5 mg/dL.D) Other Exclusion Criteria\n\n1. Unwilling to keep a diary.",
        [
            ("ex", "Previous or current Medical Conditions", "Unstable angina"),
            ("ex", "Previous or current Medical Conditions", "Retinitis pigmentosa."),
            ("ex", "Concomitant Medication 1. Nitrates .2. Anticoagulants.", "Androgens."),
            ("ex", "Concomitant Medication 1. Nitrates .2. Anticoagulants.", "Use of vardenafil."),
            ("ex", "Abnormal Laboratory Values", "Creatinine > 2.5 mg/dL."),
            ("ex", "Other Exclusion Criteria", "Unwilling to keep a diary."),
        ],
    ),
    (
        "a sub-heading indented like the text of the item above it heads the next item",
        "Inclusion Criteria:\n\n1. Signed consent.\n2. Aged 12 or over.\n\n   Asthma-related criteria\n"
        "3. Asthma for a year.\n4. Eosinophils over 0.3.\n\n   General medical history:\n5. Not pregnant.",
        [
            ("in", "", "Signed consent."),
            ("in", "", "Aged 12 or over."),
            ("in", "Asthma-related criteria", "Asthma for a year."),
            ("in", "Asthma-related criteria", "Eosinophils over 0.3."),
            ("in", "General medical history", "Not pregnant."),
        ],
    ),
    (
        "what continues an item stays in it: after an item asking for more, right under an item, "
        "indented; a note after the last item is not an item",
        "Inclusion Criteria:\n\n* Adequate organ function, defined as:\n\nHemoglobin 9 g/dL or more\n\n"
        "* Consent\nGiven in writing\n* Adults\n\n  Aged 18 or over, as the law defines.\n\n"
        "Exclusion Criteria:\n\n* Smokers\n\nNote: the protocol lists others.",
        [
            ("in", "", "Adequate organ function, defined as: Hemoglobin 9 g/dL or more"),
            ("in", "", "Consent Given in writing"),
            ("in", "", "Adults Aged 18 or over, as the law defines."),
            ("ex", "", "Smokers"),
        ],
    ),
    (
        "lettered lines under a bulleted item are its sub-items, however short",
        "Inclusion Criteria:\n\n- Diagnosis of lymphoma, one of:\n\ni) Diffuse large B-cell lymphoma\n\n"
        "v) Epstein-Barr virus + DLBCL\n\n* Stage II-IV disease.",
        [
            (
                "in",
                "",
                "Diagnosis of lymphoma, one of: i) Diffuse large B-cell lymphoma "
                "v) Epstein-Barr virus + DLBCL",
            ),
            ("in", "", "Stage II-IV disease."),
        ],
    ),
    (
        "every bullet and number at the items' level is an item, whatever its kind",
        "Exclusion Criteria:\n\n1\\. Cardiovascular disease: 1.1. Heart failure.\n1.2. Arrhythmia.\n"
        "2\\. Infections.\n* Hepatitis B.\n(3) HIV.",
        [
            ("ex", "", "Cardiovascular disease: 1.1. Heart failure."),
            ("ex", "", "Arrhythmia."),
            ("ex", "", "Infections."),
            ("ex", "", "Hepatitis B."),
            ("ex", "", "HIV."),
        ],
    ),
    (
        "numbers of several levels",
        "Inclusion Criteria:\n\n5.2.1 Mesothelioma.\n\n5.2.2 Not resectable.",
        [("in", "", "Mesothelioma."), ("in", "", "Not resectable.")],
    ),
    (
        "numbered part headings; a named heading opens its part and heads its items; "
        "non-inclusion is exclusion",
        "1. Inclusion Criteria\n\n   1. Adults\n\n2. Exclusion Criteria\n\n   1. Pregnancy\n\n"
        "Donor Inclusion Criteria:\n\n* HLA haploidentical\n\nNon-inclusion Criteria:\n\n* Minors",
        [
            ("in", "", "Adults"),
            ("in", "Donor Inclusion Criteria", "HLA haploidentical"),
            ("ex", "", "Pregnancy"),
            ("ex", "", "Minors"),
        ],
    ),
    (
        "between items, a one-sentence line ending with a colon heads the items after it",
        "Inclusion Criteria:\n\n* Adults\n\nBefore randomisation, patients must also meet the following:\n\n"
        "* Stable disease\n\nOR\n\n* Progressive disease",
        [
            ("in", "", "Adults"),
            ("in", "Before randomisation, patients must also meet the following", "Stable disease"),
            ("in", "OR", "Progressive disease"),
        ],
    ),
    (
        "a sub-heading starts a new list: items indented under it are items, not sub-items",
        "Exclusion Criteria:\n\n* Smokers\n\nFor cohort B:\n\n  * Prior surgery\n  * Diabetes\n"
        "* Pregnancy\n  * or lactation",
        [
            ("ex", "", "Smokers"),
            ("ex", "For cohort B", "Prior surgery"),
            ("ex", "For cohort B", "Diabetes"),
            ("ex", "For cohort B", "Pregnancy * or lactation"),
        ],
    ),
    (
        "text without a part heading is the inclusion part; a short paragraph asking for more heads "
        "the paragraphs after it",
        "DISEASE CHARACTERISTICS:\n\nHistologically proven solid tumor.\n\nNo CNS metastases.",
        [
            ("in", "DISEASE CHARACTERISTICS", "Histologically proven solid tumor."),
            ("in", "DISEASE CHARACTERISTICS", "No CNS metastases."),
        ],
    ),
    (
        "a bullet or a number needs no space after it; a letter does; ``**bold**`` is no bullet",
        "Inclusion Criteria:\n\n-Men with ED\n•Enrolled in CH-1\n9.Signed consent\n\n"
        "Exclusion Criteria:\n\n* Smokers\ne.g. heavy ones\n**Also** cigars\n* Minors",
        [
            ("in", "", "Men with ED"),
            ("in", "", "Enrolled in CH-1"),
            ("in", "", "Signed consent"),
            ("ex", "", "Smokers e.g. heavy ones **Also** cigars"),
            ("ex", "", "Minors"),
        ],
    ),
    (
        "bulleted headings, a heading at the end of an item's line; a sentence naming criteria is no heading",
        "* Inclusion Criteria:\n* Adults\n* Stable relationship Exclusion Criteria:\n* Smokers\n"
        "* Does not meet the Inclusion Criteria\n* Other exclusion criteria according to the label",
        [
            ("in", "", "Adults"),
            ("in", "", "Stable relationship"),
            ("ex", "", "Smokers"),
            ("ex", "", "Does not meet the Inclusion Criteria"),
            ("ex", "", "Other exclusion criteria according to the label"),
        ],
    ),
    (
        "what a heading's line says after it is the part's first line",
        "Inclusion Criteria: • Age 18 or over\n\n* Consent\n\nExclusion Criteria:1. Smokers 2. Minors",
        [("in", "", "Age 18 or over"), ("in", "", "Consent"), ("ex", "", "Smokers 2. Minors")],
    ),
    (
        "headings with other words name sub-headings too; a bulleted line asking for more over "
        "numbered items is a sub-heading",
        "Transplant Inclusion:\n\n- Hypocalcemia\n\nTransplant Exclusion:\n\n"
        "* Common exclusion criteria of each group:\n\n  1. Dysphagia;\n\n- As follows:\n\n1. Minors",
        [
            ("in", "Transplant Inclusion", "Hypocalcemia"),
            ("ex", "Common exclusion criteria of each group", "Dysphagia;"),
            ("ex", "As follows", "Minors"),
        ],
    ),
    (
        "an indented bulleted line asking for more heads the items after it; a short indented "
        "sub-item stays in its item",
        "Inclusion Criteria:\n\n* Measurable disease\n\n  -Part C2:\n* Breast cancer\n\n"
        "  * Stage T1b-T2c\n* Consent",
        [
            ("in", "", "Measurable disease"),
            ("in", "Part C2", "Breast cancer * Stage T1b-T2c"),
            ("in", "Part C2", "Consent"),
        ],
    ),
    (
        "a phrase without a colon heads only the item right after it; otherwise it continues the item above",
        "Inclusion Criteria:\n\n* Presence of a donor\n\nEligible diagnoses:\n\n"
        "AML with one of the following:\n\n* High risk\n\nALL in remission\n\n"
        "MDS with one of the following:\n\n* IPSS INT-2",
        [
            ("in", "", "Presence of a donor"),
            ("in", "Eligible diagnoses: AML with one of the following", "High risk ALL in remission"),
            ("in", "MDS with one of the following", "IPSS INT-2"),
        ],
    ),
    (
        "a lettered part: a long lettered line is an item; a short one over a line asking for "
        "items, over numbers, is a sub-heading (NCT00295503)",
        "Exclusion Criteria:\n\na. General Concerns 5.3.1 Not pregnant. 5.3.2 No second cancer.\n\n"
        "5.3.3 No infection.\n\nc. Drug-Specific Concerns\n\n"
        "Subjects meeting any of the following are ineligible:\n\n5.3.7 Brain metastases.\n\n5.3.8 Bleeding.",
        [
            ("ex", "", "General Concerns 5.3.1 Not pregnant. 5.3.2 No second cancer."),
            ("ex", "", "No infection."),
            (
                "ex",
                "Drug-Specific Concerns Subjects meeting any of the following are ineligible",
                "Brain metastases.",
            ),
            (
                "ex",
                "Drug-Specific Concerns Subjects meeting any of the following are ineligible",
                "Bleeding.",
            ),
        ],
    ),
    (
        "letters after a numbered item asking for them continue it, at the items' indent too, to "
        "the part's end (NCT00636506)",
        "Exclusion Criteria:\n\n   1. Not willing to consent\n   2. Any of these contraindications:\n\n"
        "   i. allergy to rifampin.\n\n   ii. lupus. d) A current infection.\n\n"
        "   e) Cannot operate the pump.",
        [
            ("ex", "", "Not willing to consent"),
            (
                "ex",
                "",
                "Any of these contraindications: i. allergy to rifampin. ii. lupus. d) A current "
                "infection. e) Cannot operate the pump.",
            ),
        ],
    ),
    (
        "a heading at the end of an item's line after words in lower case ends the item; after "
        "capitalised words the line is a named heading (NCT00668135)",
        "Inclusion Criteria:\n\n* Adults\n* Stable heterosexual relationship Exclusion Criteria:\n"
        "* Smokers\n\n* Donor Inclusion Criteria:\n* HLA match",
        [
            ("in", "", "Adults"),
            ("in", "", "Stable heterosexual relationship"),
            ("in", "Donor Inclusion Criteria", "HLA match"),
            ("ex", "", "Smokers"),
        ],
    ),
    (
        "a short line asking for more that heads no item continues the item above, with the "
        "paragraphs after it (NCT01151631)",
        "Inclusion Criteria:\n\n1. Chronic cluster headache\n   * Medically intractable (see below)\n\n"
        "Definition medically intractable:\n\nFailed adequate trials of approved treatments\n\n"
        "Must have tried three of the following:\n\n1. Verapamil\n2. Lithium",
        [
            (
                "in",
                "",
                "Chronic cluster headache * Medically intractable (see below) Definition medically "
                "intractable: Failed adequate trials of approved treatments",
            ),
            ("in", "Must have tried three of the following", "Verapamil"),
            ("in", "Must have tried three of the following", "Lithium"),
        ],
    ),
    (
        "a bulleted phrase is an item; a long sentence asking for the items after it heads them "
        "(NCT01048554, NCT03813992, NCT05587465)",
        "Exclusion Criteria:\n\n* Disease-Specific Exclusions Leptomeningeal disease.\n"
        f"* General Medical Exclusions\n\n{_EXTENSION}:\n\n1. Inability to comply\n2. Pregnant",
        [
            ("ex", "", "Disease-Specific Exclusions Leptomeningeal disease."),
            ("ex", "", "General Medical Exclusions"),
            ("ex", _EXTENSION, "Inability to comply"),
            ("ex", _EXTENSION, "Pregnant"),
        ],
    ),
    (
        "a number whose period slipped onto the word is a number (NCT04478006)",
        "List of inclusion criteria:\n\n1. acute lymphoblastic leukemia (ALL) or\n"
        "2. acute myeloid leukemia (AML) or\n\n3 .mixed phenotype acute leukemia (MPAL) or\n\n"
        "4. normal bone marrow donor",
        [
            ("in", "List of inclusion criteria", "acute lymphoblastic leukemia (ALL) or"),
            ("in", "List of inclusion criteria", "acute myeloid leukemia (AML) or"),
            ("in", "List of inclusion criteria", "mixed phenotype acute leukemia (MPAL) or"),
            ("in", "List of inclusion criteria", "normal bone marrow donor"),
        ],
    ),
    (
        "a part lettered A. to F.: a letter at a line's start marks an item and is dropped; "
        "letters within a line stay (NCT06816836)",
        "Exclusion Criteria:\n\nA. Refusal of consent B. Psychiatric illness.\n\n"
        "F. Previous major surgery of limbs",
        [
            ("ex", "", "Refusal of consent B. Psychiatric illness."),
            ("ex", "", "Previous major surgery of limbs"),
        ],
    ),
    (
        "lettered part headings open their parts like numbered ones",
        "I. Inclusion Criteria\n\n1. Adults\n2. Consent\n\nII. Exclusion Criteria\n\n1. Smokers",
        [("in", "", "Adults"), ("in", "", "Consent"), ("ex", "", "Smokers")],
    ),
    (
        "bullets indented under a part's first lettered line are its sub-items, not items under a "
        "sub-heading",
        "Exclusion Criteria:\n\na) Another malignancy, except for:\n\n"
        "   * Skin cancer treated with curative intent.\n   * Carcinoma in situ.\nb) Mixed histology.",
        [
            (
                "ex",
                "",
                "Another malignancy, except for: * Skin cancer treated with curative intent. "
                "* Carcinoma in situ.",
            ),
            ("ex", "", "Mixed histology."),
        ],
    ),
    (
        "a heading followed by a bare dash says nothing",
        "Inclusion criteria: -\n\n* Adults\n\nExclusion criteria: -\n",
        [("in", "", "Adults")],
    ),
    (
        "a bullet with nothing after it is no item",
        "Inclusion Criteria:\n\n* Adults\n\nExclusion Criteria:\n\n\\-\n",
        [("in", "", "Adults")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_criteria_split_into_items_and_their_sub_headings(text: str, expected: Listed) -> None:
    assert listed(split_criteria(text)) == expected


# -- the registry's records ----------------------------------------------------------------------

# What a reader takes for a bullet or a number at the start of a line (a markdown escape read as
# what it stands for; no space needed after it, but ``**bold**`` and ``1.5 mg`` are none), and
# for any marker, lettered ones too (those need a space: ``e.g.`` is none).
_BULLET_OR_NUMBER = (
    r"(?:[*•-](?!\*)|\\[*-](?!\\\*)|\(\d{1,3}\)|\d{1,3}(?:\.\d{1,3})*\\?[.)](?!\d)|\d{1,3}(?:\.\d{1,3}){2,})"
)
_LISTED = re.compile(rf"^(?P<indent> *){_BULLET_OR_NUMBER}[ \t]*(?P<text>\S.*)$")
_MARKED = re.compile(
    rf"^\s*(?:{_BULLET_OR_NUMBER}[ \t]*|(?:[a-zA-Z]|[ivxIVX]{{1,4}})[.)][ \t]+|\([a-zA-Z]{{1,4}}\)[ \t]+)"
    r"(?P<text>\S.*)$"
)
_PART = re.compile(r"inclusion|exclusion", re.I)
# A marked line that is (or ends with) a part heading: ``* Stable relationship Exclusion Criteria:``.
_NAMES_A_PART = re.compile(r"\b(?:inclusion|exclusion)\s+criteria\b[^.]*$", re.I)


@cache
def _criteria() -> dict[str, str]:
    """Each registry record's criteria text, by NCT ID."""
    texts = {}
    with zipfile.ZipFile(STUDIES) as archive:
        for name in archive.namelist():
            study = json.loads(archive.read(name))
            text = study["protocolSection"].get("eligibilityModule", {}).get("eligibilityCriteria")
            if text:
                texts[name.removesuffix(".json")] = text
    return texts


def _listed_lines(text: str) -> list[tuple[int, str, bool]]:
    """The marked lines after a text's first part heading: indent, text and whether it is a bullet
    or a number (not a letter)."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = next((n for n, line in enumerate(lines) if _PART.search(line) and not _MARKED.match(line)), -1)
    found = []
    for line in lines[start + 1 :]:
        marked = _MARKED.match(line)
        if marked is not None:
            listed_ = _LISTED.match(line)
            indent = len(line) - len(line.lstrip())
            found.append((indent, fold(unescape(marked.group("text"))), listed_ is not None))
    return found


def _split_by_a_glued_sub_heading(line: str, split: Criteria) -> bool:
    """Whether a line is an item followed by the sub-heading of the items after it."""
    items = split.inclusion + split.exclusion
    groups = split.inclusion_groups + split.exclusion_groups
    return any(
        line.startswith(item) and line.endswith(following) and len(line) > len(item) + len(following)
        for item, following in zip(items[:-1], groups[1:], strict=True)
        if following
    )


def test_the_registry_records_are_there() -> None:
    assert len(_criteria()) == 845  # of the 880 records, those that state criteria


def test_no_item_is_a_sub_heading_or_glued_to_one() -> None:
    wrong = {}
    for nct_id, text in _criteria().items():
        split = split_criteria(text)
        items = split.inclusion + split.exclusion
        for group in {group for group in split.inclusion_groups + split.exclusion_groups if group}:
            glued = [
                item
                for item in items
                if item == group
                or (" " in group and (item.startswith(f"{group} ") or item.endswith(f" {group}")))
            ]
            if glued:
                wrong[nct_id] = (group, glued)
    assert wrong == {}


def _before_a_heading(line: str) -> str:
    """A marked line's text before the part heading it ends with, if it ends with one."""
    heading = _NAMES_A_PART.search(line)
    return line if heading is None else line[: heading.start()].strip(" .;")


def test_every_bullet_and_number_at_the_margin_starts_an_item_of_its_own() -> None:
    wrong = {}
    for nct_id, text in _criteria().items():
        split = split_criteria(text)
        items = split.inclusion + split.exclusion
        groups = set(split.inclusion_groups + split.exclusion_groups)
        missing = [
            line
            for indent, line, is_listed in _listed_lines(text)
            if is_listed
            and indent == 0
            and _before_a_heading(line)
            and not any(item.startswith(_before_a_heading(line)) for item in items)
            and not _split_by_a_glued_sub_heading(line, split)
            and line.rstrip(":") not in groups  # ``- As follows:`` over numbered items
        ]
        if missing:
            wrong[nct_id] = missing
    assert wrong == {}


def test_every_marked_line_is_in_an_item_or_a_sub_heading() -> None:
    wrong = {}
    for nct_id, text in _criteria().items():
        split = split_criteria(text)
        everything = " ".join(
            split.inclusion + split.exclusion + split.inclusion_groups + split.exclusion_groups
        )
        lost = [
            line
            for _, line, _ in _listed_lines(text)
            if _before_a_heading(line).rstrip(":") not in everything
            and not _split_by_a_glued_sub_heading(line, split)
        ]
        if lost:
            wrong[nct_id] = lost
    assert wrong == {}


def test_nct00654914_lists_26_exclusion_criteria_under_four_lettered_sub_headings() -> None:
    text = _criteria()["NCT00654914"]
    split = split_criteria(text)
    # Every line of the exclusion part that starts with a bullet or a number is one criterion;
    # two sub-headings are written at the end of the line above their items.
    lines = text[text.index("Exclusion Criteria:") :].split("\n")
    expected = [
        fold(unescape(re.sub(r"(?<=\S) ?[CD]\) [A-Za-z ]+$", "", line.split(" ", 1)[1])))
        for line in lines
        if re.match(r"(\*|\d\.) ", line)
    ]
    assert len(expected) == 26
    assert split.exclusion == expected
    concomitant = (
        "Concomitant Medication 1. Patients who are taking nitrates or nitric oxide donors (e.g. "
        "molsidomine) .2. Patients who are taking anticoagulants, with the exception of anti-platelet "
        "agents."
    )
    assert split.exclusion_groups == (
        ["Previous or current Medical Conditions"] * 16
        + [concomitant] * 4
        + ["Abnormal Laboratory Values"] * 2
        + ["Other Exclusion Criteria"] * 4
    )
    assert split.exclusion[19] == "Use of vardenafil (BAY 38-9456) at any time prior to the study."
    assert split.exclusion[21] == "Patients with serum creatinine > 2.5 mg/dL."
    assert split.inclusion == [
        "Males with erectile dysfunction for more than 6 months and no more than three years according "
        "to the NIH Consensus definition (the inability to achieve and maintain penile erection "
        "sufficient for satisfactory sexual intercourse)",
        "Stable, heterosexual relationship for more than 6 months",
        "Age range: 18 years and older",
        "Documented, written Informed Consent.",
    ]
    assert split.inclusion_groups == ["", "", "", ""]


NCT06209411: Listed = [
    ("in", "Pregnant Women", "Pregnant woman residing in one of pre-selected slum communities"),
    ("in", "Pregnant Women", "18 years or older"),
    (
        "in",
        "Pregnant Women",
        "≥ 24 weeks gestational age (as determined by self-reported last menstrual period or ultrasound)",
    ),
    (
        "in",
        "Pregnant Women",
        "Meet or exceed the threshold for GDM as determined by the CHW-delivered fasting OGTT",
    ),
    (
        "in",
        "Pregnant Women",
        "Agrees to study procedures, including in-person visits with the CHW postpartum if they are "
        "diagnosed with GDM",
    ),
    ("in", "Community Health Workers", "18 years or older"),
    (
        "in",
        "Community Health Workers",
        "Willingness to participate in study procedures and recruit eligible pregnant women",
    ),
    ("in", "Community Health Workers", "Agreement with goals of the study"),
    ("in", "Community Health Workers", "Resides in one of the study communities"),
    ("in", "Community Health Workers", "Willing to participate in surveys and interviews"),
    ("in", "Clinicians", "18 years or older"),
    ("in", "Clinicians", "Diabetes or obstetrics physicians"),
    ("in", "Clinicians", "In a patient-facing position for over 1 year"),
    ("in", "Ministry of Health Officials", "18 years or older"),
    (
        "in",
        "Ministry of Health Officials",
        "Employed by the Ministry of Health and Family Welfare, Maternal Health Division",
    ),
    ("ex", "Pregnant Women", "Preexisting diabetes diagnosis prior to current pregnancy"),
    (
        "ex",
        "Pregnant Women",
        # The record runs two criteria into one line: "hoursUnwilling".
        "Unable to tolerate food/ drink and remain fasting for 8 hoursUnwilling or unable to "
        "participate in study procedures",
    ),
    ("ex", "Pregnant Women", "Unwilling or unable to provide informed consent"),
    (
        "ex",
        "CHW, Clinicians, Ministry of Health Officials",
        "Unwilling or unable to participate in study procedures",
    ),
    (
        "ex",
        "CHW, Clinicians, Ministry of Health Officials",
        "Unwilling or unable to provide informed consent",
    ),
]


def test_nct06209411_lists_each_group_of_people_under_its_sub_heading() -> None:
    assert listed(split_criteria(_criteria()["NCT06209411"])) == NCT06209411
