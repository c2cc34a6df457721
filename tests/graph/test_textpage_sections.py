"""Section headings: a section's name is its heading when the section's fixed sentence follows it;
elsewhere the same words are text (``graph/read/pages/headings.py``). Pages are the seed with a paragraph
added, a sentence or a section taken out, and the real registry pages."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from typing import Any

import pytest

from graph.errors import Report
from graph.model import Source, TrialRecord
from graph.read.pages.headings import SECTIONS
from graph.read.pages.page import parse_page
from graph.read.records import load_records
from graph.read.text.plain import clean
from tests.paths import SEED_PAGE, SHARED

REGISTRY = SHARED / "data" / "registry"
PAGE = SEED_PAGE.read_text(encoding="utf-8")
DESCRIPTION = PAGE.split("\n\n")[PAGE.split("\n\n").index(SECTIONS["Detailed Description"]) + 1]
TRUNCATED = "the page ends without its closing 'More Related Trials' section; it looks truncated"


def _read(text: str) -> tuple[TrialRecord | None, list[str]]:
    report = Report("page.txt")
    record = parse_page(text, Source("page.txt"), report)
    return record, [str(problem) for problem in report.problems]


SEED, _ = _read(PAGE)


def _replaced(old: str, new: str, text: str = PAGE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _without_section(name: str, following: str, text: str = PAGE) -> str:
    """The page without section ``name``, which ``following``'s heading ends."""
    start, end = (
        text.index(f"{name}\n\n{SECTIONS[name]}\n"),
        text.index(f"{following}\n\n{SECTIONS[following]}\n"),
    )
    return text[:start] + text[end:]


@pytest.mark.parametrize(
    "name",
    ["Interventions", "Study Design", "Basic Information", "Detailed Description", "More Related Trials"],
)
def test_a_section_name_inside_a_description_is_text(name: str) -> None:
    text = f"{DESCRIPTION}\n\n{name}\n\nEach patient is assigned to one of two arms."
    record, problems = _read(_replaced(DESCRIPTION, text))
    assert problems == []
    assert SEED is not None and record == replace(SEED, detailed_description=clean(text))


def test_a_section_name_in_a_group_description_is_text() -> None:
    described = "Human umbilical cord mesenchymal stem cells(hMSCs)5.0×10\\^7 cells"
    record, problems = _read(_replaced(described, f"Interventions\n\n{described}"))
    assert problems == []
    assert SEED is not None and record is not None
    assert record.arms[0].description == clean(f"Interventions\n\n{described}")
    assert record == replace(SEED, arms=[record.arms[0], *SEED.arms[1:]])


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("Study Groups", 81),  # after Study Design: labels and values, no free text
        ("Interventions", 121),  # after Study Groups, before Eligibility Criteria: the usual order
        ("Sponsors", 180),  # after the criteria
        ("Countries", 222),
        ("More Related Trials", 238),
    ],
)
def test_a_heading_that_lost_its_sentence_still_opens_its_section(name: str, line: int) -> None:
    record, problems = _read(_replaced(f"{name}\n\n{SECTIONS[name]}", name))
    assert problems == [f"page.txt:{line}: warning: section {name!r} lacks its explanatory sentence"]
    assert record == SEED


def test_a_section_name_where_that_section_is_missing_and_out_of_order_is_text() -> None:
    # No Locations on the page; after the description the next section is Conditions, which
    # comes before Locations: the paragraph cannot be its heading.
    page = _without_section("Locations", "Countries")
    text = f"{DESCRIPTION}\n\nLocations\n\nOne hospital in Beijing."
    record, problems = _read(_replaced(DESCRIPTION, text, page))
    assert problems == []
    assert SEED is not None and record == replace(SEED, detailed_description=clean(text), locations=[])


def test_a_section_name_where_that_section_is_missing_and_fits_the_order_is_its_heading() -> None:
    # No Conditions on the page; between the description and Study Design the name fits: read as
    # the heading whose sentence went missing, and said so with its line.
    page = _without_section("Conditions", "Study Design")
    record, problems = _read(_replaced(DESCRIPTION, f"{DESCRIPTION}\n\nConditions\n\nIschemic Stroke", page))
    assert problems == ["page.txt:55: warning: section 'Conditions' lacks its explanatory sentence"]
    assert record == SEED


def test_a_section_written_twice_with_its_sentence_is_an_error() -> None:
    countries = f"Countries\n\n{SECTIONS['Countries']}\n\nChina\n\n"
    record, problems = _read(_replaced(countries, countries * 2))
    assert record is None
    assert problems == ["page.txt:228: section 'Countries' appears twice (first on line 222)"]


def test_a_page_cut_short_after_a_heading_keeps_the_heading() -> None:
    record, problems = _read(PAGE[: PAGE.index("Locations\n") + len("Locations\n")])
    assert record is None
    assert problems == [
        "page.txt:206: warning: section 'Locations' lacks its explanatory sentence",
        f"page.txt:206: {TRUNCATED}",
    ]


def _study(studies: zipfile.ZipFile, nct: str) -> Any:
    return json.loads(studies.read(f"{nct}.json"))["protocolSection"]


@pytest.mark.parametrize(
    ("nct", "words"),
    [("NCT02683044", "Interventions"), ("NCT05362994", "Study Design"), ("NCT04679844", "Interventions")],
)
def test_real_pages_with_a_section_name_in_their_text_read_as_their_records(nct: str, words: str) -> None:
    with (
        zipfile.ZipFile(REGISTRY / "pages.zip") as pages,
        zipfile.ZipFile(REGISTRY / "studies.zip") as studies,
    ):
        record, problems = _read(pages.read(f"{nct}.txt").decode("utf-8"))
        study = _study(studies, nct)
    assert problems == []
    assert record is not None
    design = study["designModule"]["designInfo"]
    arms = study["armsInterventionsModule"]["armGroups"]
    interventions = study["armsInterventionsModule"]["interventions"]
    assert {
        "description": record.detailed_description,
        "conditions": record.conditions,
        "design": (
            record.design.allocation,
            record.design.intervention_model,
            record.design.primary_purpose,
            record.design.masking,
        ),
        "arms": [(arm.label, arm.type, arm.description) for arm in record.arms],
        "interventions": [(i.name, i.type, i.description) for i in record.interventions],
    } == {
        "description": clean(study["descriptionModule"]["detailedDescription"]),
        "conditions": study["conditionsModule"]["conditions"],
        "design": (
            design["allocation"],
            design["interventionModel"],
            design["primaryPurpose"],
            design["maskingInfo"]["masking"],
        ),
        "arms": [(arm["label"], arm["type"], clean(arm["description"])) for arm in arms],
        "interventions": [(i["name"], i["type"], clean(i["description"])) for i in interventions],
    }
    texts = [record.detailed_description or "", *(arm.description or "" for arm in record.arms)]
    assert any(f"\n\n{words}\n\n" in f"\n\n{text}" for text in texts)


def test_the_registry_pages_load_strictly_with_every_section_in_place() -> None:
    loaded = load_records([REGISTRY / "pages.zip"])
    assert len(loaded.records) == 880
    assert [str(problem) for problem in loaded.problems if problem.is_error] == []
    assert [str(problem) for problem in loaded.problems if "section" in problem.message] == []


def test_a_comma_without_a_space_after_it_stays_in_the_place() -> None:
    # The page joins City, State and Country with ", ": "Hankou,Wuhan" is one city (NCT06350097).
    text = _replaced("Beijing, Beijing Municipality, China", "Hankou,Wuhan, Hubei, China")
    text = _replaced("Beijing, , China", "Charlottesville,, , Korea, Republic of", text)
    record, problems = _read(text)
    assert problems == []
    assert record is not None
    assert [(site.city, site.state, site.country) for site in record.locations] == [
        ("Hankou,Wuhan", "Hubei", "China"),
        ("Charlottesville,", "", "Korea, Republic of"),
    ]


def test_registry_pages_place_their_sites_as_their_records_do() -> None:
    """Every listing's city, state and country read from its page are its record's, where the
    record writes no ", " inside a city or state (the page joins its parts with ", ", so such a
    part cannot be told from two)."""
    differing, untellable = [], 0
    with (
        zipfile.ZipFile(REGISTRY / "pages.zip") as pages,
        zipfile.ZipFile(REGISTRY / "studies.zip") as studies,
    ):
        for name in sorted(pages.namelist()):
            nct = name.removesuffix(".txt")
            record, _ = _read(pages.read(name).decode("utf-8"))
            listed = _study(studies, nct).get("contactsLocationsModule", {}).get("locations", [])
            assert record is not None and len(record.locations) == len(listed), nct
            for n, (site, written) in enumerate(zip(record.locations, listed, strict=True)):
                want = tuple(clean(written.get(part)) or "" for part in ("city", "state", "country"))
                if any(", " in part for part in want[:2]):
                    untellable += 1
                elif (site.city, site.state, site.country) != want:
                    differing.append(
                        f"{nct} locations[{n}]: {want}, read {(site.city, site.state, site.country)}"
                    )
    assert differing == []
    assert untellable == 106
