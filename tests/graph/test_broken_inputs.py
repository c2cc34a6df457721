"""Every kind of broken input gets its exact problem lines; strict loading refuses it, skipping
leaves it out whole while the good documents beside it load; warnings never stop a load.

Broken documents are made from the real ones: the seed page and a registry record, cut short,
re-encoded or with one value changed.
"""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from graph.errors import LoadError
from graph.read.pages.page import SECTIONS
from graph.read.records import Loaded, load_records
from tests.paths import CTGOV, SEED_PAGE

SEED_ID = "NCT05697718"
RECORD = CTGOV / "NCT05932303.json"  # has a site in Québec: a non-ASCII character to break
GOOD = [SEED_PAGE, RECORD]
GOOD_SOURCES = {SEED_ID: [str(SEED_PAGE)], "NCT05932303": [str(RECORD)]}
PAGE = SEED_PAGE.read_text(encoding="utf-8")
TRUNCATED = "the page ends without its closing 'More Related Trials' section; it looks truncated"
# The record cut in half ends after a comma, at the end of line 186.
CUT_IN_HALF = "Expecting property name enclosed in double quotes at column 1; the document looks truncated"
PHASES_AS_STRING = "expected a list of strings, got a string 'PHASE1'"
PHASES = "one of EARLY_PHASE1, NA, PHASE1, PHASE2, PHASE3, PHASE4"
STATUSES = (
    "one of ACTIVE_NOT_RECRUITING, APPROVED_FOR_MARKETING, AVAILABLE, COMPLETED, ENROLLING_BY_INVITATION, "
    "NOT_YET_RECRUITING, NO_LONGER_AVAILABLE, RECRUITING, SUSPENDED, TEMPORARILY_NOT_AVAILABLE, TERMINATED, "
    "UNKNOWN, WITHDRAWN, WITHHELD"
)


def _study() -> Any:
    return json.loads(RECORD.read_text(encoding="utf-8"))


def _page_before(marker: str) -> str:
    """The seed page cut just before the first occurrence of ``marker``."""
    return PAGE[: PAGE.index(marker)]


def _page_with(old: str, new: str) -> str:
    assert PAGE.count(old) == 1, old
    return PAGE.replace(old, new)


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _write_study(path: Path, study: Any) -> Path:
    return _write(path, json.dumps(study, indent=2, ensure_ascii=False))


def _assert_refused(broken: Path, problems: list[str], skipped: list[str]) -> Loaded:
    """Strict loading raises with exactly ``problems``; skipping loads the good documents only."""
    paths = [*GOOD, broken]
    with pytest.raises(LoadError) as raised:
        load_records(paths)
    assert [str(problem) for problem in raised.value.problems] == problems
    loaded = load_records(paths, skip_invalid=True)
    assert [str(problem) for problem in loaded.problems] == problems
    assert loaded.skipped == skipped
    return loaded


def _assert_only_good_loaded(loaded: Loaded) -> None:
    assert [record.nct_id for record in loaded.records] == sorted(GOOD_SOURCES)
    sources = {nct: [str(source) for source in found] for nct, found in loaded.sources.items()}
    assert sources == GOOD_SOURCES


# -- files that are not text ------------------------------------------------------------------


def test_an_empty_file(tmp_path: Path) -> None:
    broken = _write(tmp_path / "NCT05932303.json", "")
    message = f"{broken}: empty file; expected a trial page or registry JSON"
    _assert_only_good_loaded(_assert_refused(broken, [message], [str(broken)]))


def test_a_whitespace_only_file(tmp_path: Path) -> None:
    broken = _write(tmp_path / "page.txt", " \n\t\n   \n")
    message = f"{broken}: empty file; expected a trial page or registry JSON"
    _assert_only_good_loaded(_assert_refused(broken, [message], [str(broken)]))


def test_a_binary_file(tmp_path: Path) -> None:
    # A record saved compressed under its plain name: gzip's flag byte is the first NUL.
    broken = _write(tmp_path / "NCT05932303.json", gzip.compress(RECORD.read_bytes(), mtime=0))
    message = f"{broken}: binary file (a NUL byte at offset 3); expected UTF-8 text"
    _assert_only_good_loaded(_assert_refused(broken, [message], [str(broken)]))


def test_invalid_utf8_in_a_page_is_located_by_line_and_character_column(tmp_path: Path) -> None:
    # Line 152 reads "... 1.5×109/L, platelet (PLT) \\< 100×109/L ..."; the second "×" pasted from
    # a Latin-1 text.
    pasted = "100×109/L"
    assert PAGE.count(pasted) == 1
    data = PAGE.encode("utf-8").replace(pasted.encode("utf-8"), pasted.encode("latin-1"))
    broken = _write(tmp_path / "page.txt", data)
    # Column 73 counts characters: the first "×" is two bytes but one character.
    message = f"{broken}:152: not valid UTF-8: byte 0xd7 at column 73; save the file as UTF-8"
    _assert_only_good_loaded(_assert_refused(broken, [message], [f"{broken}:152"]))


def test_invalid_utf8_in_json(tmp_path: Path) -> None:
    data = RECORD.read_bytes().replace("Québec".encode(), "Québec".encode("latin-1"))
    broken = _write(tmp_path / "NCT05932303.json", data)
    message = f"{broken}:217: not valid UTF-8: byte 0xe9 at column 22; save the file as UTF-8"
    _assert_only_good_loaded(_assert_refused(broken, [message], [f"{broken}:217"]))


# -- pages cut short --------------------------------------------------------------------------


def test_a_page_cut_in_the_middle_of_a_line_of_a_section(tmp_path: Path) -> None:
    broken = _write(tmp_path / "page.txt", _page_before("ischemic stroke of the anterior circulation"))
    assert broken.read_text(encoding="utf-8").endswith("2. Diagnosed with ")
    _assert_only_good_loaded(_assert_refused(broken, [f"{broken}:138: {TRUNCATED}"], [str(broken)]))


def test_a_page_cut_in_the_middle_of_an_entry(tmp_path: Path) -> None:
    broken = _write(tmp_path / "page.txt", _page_before("Sponsor Role lead"))
    problems = [
        f"{broken}:184: Sponsors: 'Shanghai IxCell Biotechnology Co., LTD' is not followed by a closing line "
        "starting 'Sponsor Role'",
        f"{broken}:186: Sponsors: 'OTHER' is not followed by a closing line starting 'Sponsor Role'",
        f"{broken}:186: {TRUNCATED}",
    ]
    _assert_only_good_loaded(_assert_refused(broken, problems, [str(broken)]))


def test_a_page_cut_before_its_closing_section(tmp_path: Path) -> None:
    broken = _write(tmp_path / "page.txt", _page_before("More Related Trials"))
    _assert_only_good_loaded(_assert_refused(broken, [f"{broken}:236: {TRUNCATED}"], [str(broken)]))


def test_a_page_ending_in_a_label_without_its_value(tmp_path: Path) -> None:
    broken = _write(tmp_path / "page.txt", _page_before("No\n\nSponsors"))
    problems = [
        f"{broken}:176: Eligibility Criteria: label 'Accepts Healthy Volunteers' has no value",
        f"{broken}:176: {TRUNCATED}",
    ]
    _assert_only_good_loaded(_assert_refused(broken, problems, [str(broken)]))


# -- JSON that does not parse or has the wrong shape ------------------------------------------


def test_a_truncated_json_file(tmp_path: Path) -> None:
    text = RECORD.read_text(encoding="utf-8")
    broken = _write(tmp_path / "NCT05932303.json", text[: len(text) // 2])
    message = f"{broken}:187: invalid JSON: {CUT_IN_HALF}"
    _assert_only_good_loaded(_assert_refused(broken, [message], [f"{broken}:187"]))


def test_a_json_file_cut_inside_a_string(tmp_path: Path) -> None:
    text = RECORD.read_text(encoding="utf-8")
    broken = _write(tmp_path / "NCT05932303.json", text[: text.index("Québec") + 3])
    message = (
        f"{broken}:217: invalid JSON: Unterminated string starting at column 19; the document looks truncated"
    )
    _assert_only_good_loaded(_assert_refused(broken, [message], [f"{broken}:217"]))


SHAPES = "expected a study object, a list of them or a search page {'studies': [...]}"
WRONG_SHAPES = {
    "a number": ("42", f"{SHAPES}, got an integer"),
    "a string": ('"NCT05932303"', f"{SHAPES}, got a string"),
    "null": ("null", f"{SHAPES}, got null"),
}


@pytest.mark.parametrize("shape", sorted(WRONG_SHAPES))
def test_json_that_is_not_an_object(tmp_path: Path, shape: str) -> None:
    text, message = WRONG_SHAPES[shape]
    broken = _write(tmp_path / "NCT05932303.json", text + "\n")
    _assert_only_good_loaded(_assert_refused(broken, [f"{broken}: $: {message}"], [f"{broken}: $"]))


def test_a_study_wrapped_in_another_object(tmp_path: Path) -> None:
    broken = _write_study(tmp_path / "NCT05932303.json", {"study": _study()})
    message = (
        f"{broken}: $: not a ClinicalTrials.gov study: expected an object with 'protocolSection', "
        "got an object without 'protocolSection'"
    )
    _assert_only_good_loaded(_assert_refused(broken, [message], [str(broken)]))


def test_a_list_with_one_study_that_is_not_an_object(tmp_path: Path) -> None:
    studies = [json.loads((CTGOV / "NCT06171568.json").read_text(encoding="utf-8")), "NCT00465816"]
    broken = _write_study(tmp_path / "studies.json", studies)
    message = (
        f"{broken}: $[1]: not a ClinicalTrials.gov study: expected an object with 'protocolSection', "
        "got a string"
    )
    loaded = _assert_refused(broken, [message], [f"{broken} $[1]"])
    assert [record.nct_id for record in loaded.records] == [SEED_ID, "NCT05932303", "NCT06171568"]


# -- JSON fields of the wrong type or with unknown words --------------------------------------


def _set(study: Any, path: str, value: Any) -> None:
    """Set the field at ``path`` under protocolSection (list items by number); ``None`` removes it."""
    *parents, last = path.split(".")
    target = study["protocolSection"]
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(last)] = value
    elif value is None:
        del target[last]
    else:
        target[last] = value


WRONG_FIELDS: dict[str, tuple[str, Any, str]] = {
    "enrollment count as a string": (
        "designModule.enrollmentInfo.count",
        "47",
        "$.protocolSection.designModule.enrollmentInfo.count: expected an integer, got a string '47'",
    ),
    "phases as a string": (
        "designModule.phases",
        "PHASE1",
        f"$.protocolSection.designModule.phases: {PHASES_AS_STRING}",
    ),
    "a location that is a list": (
        "contactsLocationsModule.locations.0",
        ["Local Institution - 0001", "Québec", "Canada"],
        "$.protocolSection.contactsLocationsModule.locations[0]: expected an object, got a list",
    ),
    "healthy volunteers as yes": (
        "eligibilityModule.healthyVolunteers",
        "yes",
        "$.protocolSection.eligibilityModule.healthyVolunteers: expected true or false, got a string 'yes'",
    ),
    "a legacy status word": (
        "statusModule.overallStatus",
        "Completed",
        f"$.protocolSection.statusModule.overallStatus: 'Completed' is not known; expected {STATUSES}",
    ),
    "a legacy phase word": (
        "designModule.phases",
        ["Phase 1"],
        f"$.protocolSection.designModule.phases[0]: 'Phase 1' is not known; expected {PHASES}",
    ),
    "a missing NCT ID": (
        "identificationModule.nctId",
        None,
        "$.protocolSection.identificationModule.nctId: missing; every study needs its NCT ID",
    ),
    "an NCT ID of 7 digits": (
        "identificationModule.nctId",
        "NCT5932303",
        "$.protocolSection.identificationModule.nctId: 'NCT5932303' is not 'NCT' and 8 digits",
    ),
    "an NCT ID as a number": (
        "identificationModule.nctId",
        5932303,
        "$.protocolSection.identificationModule.nctId: expected a string, got an integer '5932303'",
    ),
}


@pytest.mark.parametrize("case", sorted(WRONG_FIELDS))
def test_a_wrong_field_in_json(tmp_path: Path, case: str) -> None:
    path, value, message = WRONG_FIELDS[case]
    study = _study()
    _set(study, path, value)
    broken = _write_study(tmp_path / "NCT05932303.json", study)
    # The good record is not given here: the broken one stands in for it.
    with pytest.raises(LoadError) as raised:
        load_records([SEED_PAGE, broken])
    assert [str(problem) for problem in raised.value.problems] == [f"{broken}: {message}"]
    loaded = load_records([SEED_PAGE, broken], skip_invalid=True)
    assert [str(problem) for problem in loaded.problems] == [f"{broken}: {message}"]
    assert loaded.skipped == [str(broken)]
    assert [record.nct_id for record in loaded.records] == [SEED_ID]


# -- pages with wrong values ------------------------------------------------------------------


WRONG_PAGE_VALUES = {
    "a legacy phase word": (
        ("Clinical Phase\n\nPHASE1\n", "Clinical Phase\n\nPhase 1\n"),
        f"23: Clinical Phase: 'Phase 1' is not known; expected {PHASES}",
    ),
    "an unknown status word": (
        ("Recruitment Status\n\nCOMPLETED\n", "Recruitment Status\n\nFINISHED\n"),
        f"19: Recruitment Status: 'FINISHED' is not known; expected {STATUSES}",
    ),
    "healthy volunteers as a word of its own": (
        ("Accepts Healthy Volunteers\n\nNo\n", "Accepts Healthy Volunteers\n\nNot accepted\n"),
        "178: Accepts Healthy Volunteers: 'Not accepted'; expected Yes or No",
    ),
    "a missing NCT ID": (
        ("NCT ID: NCT05697718\n\n", ""),
        "3: expected 'NCT ID: NCT########' after the title",
    ),
    "an NCT ID of 7 digits": (
        ("NCT ID: NCT05697718", "NCT ID: NCT0569771"),
        "3: NCT ID 'NCT0569771' is not 'NCT' and 8 digits",
    ),
    "an NCT ID without its prefix": (
        ("NCT ID: NCT05697718", "NCT ID: 05697718"),
        "3: NCT ID '05697718' is not 'NCT' and 8 digits",
    ),
}


@pytest.mark.parametrize("case", sorted(WRONG_PAGE_VALUES))
def test_a_wrong_value_on_a_page(tmp_path: Path, case: str) -> None:
    (old, new), message = WRONG_PAGE_VALUES[case]
    broken = _write(tmp_path / "page.txt", _page_with(old, new))
    _assert_only_good_loaded(_assert_refused(broken, [f"{broken}:{message}"], [str(broken)]))


# -- files that are no trial document, and containers with a broken part ----------------------


def test_an_unrecognised_text_file(tmp_path: Path) -> None:
    # A spreadsheet export named on the command line is read, and refused.
    broken = _write(tmp_path / "trials.csv", "nct_id,brief_title\nNCT05932303,A Study of BMS-986365\n")
    message = (
        f"{broken}: not a trial document: expected a trial page (FORMAT.md) or ClinicalTrials.gov study JSON"
    )
    _assert_only_good_loaded(_assert_refused(broken, [message], [str(broken)]))


def test_a_text_file_that_is_no_page(tmp_path: Path) -> None:
    broken = _write(tmp_path / "notes.txt", "Trials to review\n\nNCT05932303 and NCT05697718\n")
    message = f"{broken}:3: expected 'NCT ID: NCT########' after the title"
    _assert_only_good_loaded(_assert_refused(broken, [message], [str(broken)]))


def _compact(nct: str) -> str:
    return json.dumps(json.loads((CTGOV / f"{nct}.json").read_text(encoding="utf-8")), ensure_ascii=False)


def test_json_lines_with_one_bad_line(tmp_path: Path) -> None:
    lines = [_compact("NCT06171568"), _compact("NCT00465816"), _compact("NCT00973089")]
    cut = lines[1][: lines[1].index('"citation"')]
    broken = _write(tmp_path / "studies.jsonl", "\n".join([lines[0], cut, lines[2]]) + "\n")
    message = (
        f"{broken}:2: invalid JSON: Expecting property name enclosed in double quotes "
        f"at column {len(cut) + 1}; the document looks truncated"
    )
    loaded = _assert_refused(broken, [message], [f"{broken}:2"])
    assert [record.nct_id for record in loaded.records] == [
        "NCT00973089",
        SEED_ID,
        "NCT05932303",
        "NCT06171568",
    ]
    assert [str(source) for source in loaded.sources["NCT00973089"]] == [f"{broken}:3"]


def test_json_lines_with_one_wrongly_typed_study(tmp_path: Path) -> None:
    study = _study()
    study["protocolSection"]["designModule"]["phases"] = "PHASE1"
    lines = [_compact("NCT06171568"), json.dumps(study)]
    broken = _write(tmp_path / "studies.jsonl", "\n".join(lines) + "\n")
    message = f"{broken}:2: $.protocolSection.designModule.phases: {PHASES_AS_STRING}"
    loaded = _assert_refused(broken, [message], [f"{broken}:2"])
    assert [record.nct_id for record in loaded.records] == [SEED_ID, "NCT05932303", "NCT06171568"]


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_lone_surrogate_in_json_is_located_while_the_other_studies_load(
    tmp_path: Path, suffix: str
) -> None:
    # Most JSON is read by orjson, which refuses a lone surrogate: such a line is read the slower
    # way, whose strings are checked one by one, and only its study is refused.
    study = _study()
    study["protocolSection"]["identificationModule"]["briefTitle"] = "ab\ud800c"
    text = json.dumps(study)  # ensure_ascii: the surrogate is written "\ud800"
    lines = [_compact("NCT06171568"), text] if suffix == ".jsonl" else [text]
    broken = _write(tmp_path / f"studies{suffix}", "\n".join(lines) + "\n")
    where = f"{broken}:2" if suffix == ".jsonl" else str(broken)
    message = (
        f"{where}: $.protocolSection.identificationModule.briefTitle: "
        "not valid Unicode: a lone surrogate U+D800 at character 3"
    )
    loaded = _assert_refused(broken, [message], [where])
    found = [SEED_ID, "NCT05932303", "NCT06171568"] if suffix == ".jsonl" else [SEED_ID, "NCT05932303"]
    assert [record.nct_id for record in loaded.records] == found


def test_a_zip_with_a_good_and_a_bad_member(tmp_path: Path) -> None:
    broken = tmp_path / "x.zip"
    text = RECORD.read_text(encoding="utf-8")
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("good.json", (CTGOV / "NCT06171568.json").read_text(encoding="utf-8"))
        archive.writestr("bad.json", text[: len(text) // 2])
    message = f"{broken}!bad.json:187: invalid JSON: {CUT_IN_HALF}"
    loaded = _assert_refused(broken, [message], [f"{broken}!bad.json:187"])
    assert [str(source) for source in loaded.sources["NCT06171568"]] == [f"{broken}!good.json"]


def test_a_zip_with_a_member_of_the_wrong_type(tmp_path: Path) -> None:
    broken = tmp_path / "x.zip"
    study = _study()
    study["protocolSection"]["eligibilityModule"]["healthyVolunteers"] = "yes"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("good.json", (CTGOV / "NCT06171568.json").read_text(encoding="utf-8"))
        archive.writestr("bad.json", json.dumps(study))
    message = (
        f"{broken}!bad.json: $.protocolSection.eligibilityModule.healthyVolunteers: expected true or false, "
        "got a string 'yes'"
    )
    loaded = _assert_refused(broken, [message], [f"{broken}!bad.json"])
    assert [record.nct_id for record in loaded.records] == [SEED_ID, "NCT05932303", "NCT06171568"]


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "NCT05932303.json"
    message = f"{missing}: no such file or directory"
    _assert_only_good_loaded(_assert_refused(missing, [message], [str(missing)]))


def test_a_directory_holding_a_file_of_another_type_is_a_warning(tmp_path: Path) -> None:
    _write(tmp_path / "NCT05932303.json", RECORD.read_bytes())
    _write(tmp_path / "README.md", "Registry records downloaded for the stroke review.\n")
    loaded = load_records([SEED_PAGE, tmp_path])
    assert [str(problem) for problem in loaded.problems] == [
        f"{tmp_path / 'README.md'}: warning: skipped: not a trial page (.txt), registry JSON (.json, .jsonl) "
        "or .zip"
    ]
    assert loaded.skipped == []
    assert [record.nct_id for record in loaded.records] == [SEED_ID, "NCT05932303"]


def test_the_error_names_every_problem(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.txt", "")
    missing = tmp_path / "missing.json"
    with pytest.raises(LoadError) as raised:
        load_records([SEED_PAGE, empty, missing])
    assert str(raised.value) == (
        "2 problem(s) in the documents:\n"
        f"{missing}: no such file or directory\n"
        f"{empty}: empty file; expected a trial page or registry JSON"
    )


# -- warnings: the page loads, and what was not understood is reported ------------------------


WARNINGS = {
    "an unknown label in Basic Information": (
        ("Study Start Date\n", "Study First Posted\n"),
        "33: warning: Basic Information: unknown label 'Study First Posted' (value '2023-04-10'); "
        "expected one of Recruitment Status, Clinical Phase, Total Enrollment, Study Classification, "
        "Study Start Date, Study Completion Date",
    ),
    "an unexpected paragraph": (
        ("Responsibility Role SPONSOR\n", "Responsibility Role SPONSOR\n\nSee the sponsor's web site\n"),
        '196: warning: Responsible Party: unexpected paragraph "See the sponsor\'s web site"',
    ),
    "a section missing its explanatory sentence": (
        (f"{SECTIONS['Conditions']}\n\n", ""),
        "55: warning: section 'Conditions' lacks its explanatory sentence",
    ),
}


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_a_page_with_a_warning_loads(tmp_path: Path, case: str) -> None:
    (old, new), message = WARNINGS[case]
    page = _write(tmp_path / "page.txt", _page_with(old, new))
    loaded = load_records([page])
    assert [str(problem) for problem in loaded.problems] == [f"{page}:{message}"]
    assert [record.nct_id for record in loaded.records] == [SEED_ID]
    assert loaded.skipped == []


def test_a_section_out_of_order_is_a_warning(tmp_path: Path) -> None:
    locations, countries, identifiers = (
        PAGE.index("Locations\n"),
        PAGE.index("Countries\n"),
        PAGE.index("Other Identifiers\n"),
    )
    swapped = PAGE[:locations] + PAGE[countries:identifiers] + PAGE[locations:countries] + PAGE[identifiers:]
    page = _write(tmp_path / "page.txt", swapped)
    loaded = load_records([page])
    assert [str(problem) for problem in loaded.problems] == [
        f"{page}:212: warning: section 'Locations' is out of the usual order"
    ]
    [record] = loaded.records
    assert record.countries == ["China"]
    assert len(record.locations) == 2


@pytest.mark.parametrize(("content", "where"), [("[]", "$"), ('{"studies": []}', "$.studies")])
def test_a_json_container_without_studies_is_a_warning(tmp_path: Path, content: str, where: str) -> None:
    empty = _write(tmp_path / "empty.json", content)
    loaded = load_records([empty])
    holder = "list" if where == "$" else "search page"
    assert [str(problem) for problem in loaded.problems] == [
        f"{empty}: {where}: warning: the {holder} holds no studies"
    ]
    assert loaded.records == []
