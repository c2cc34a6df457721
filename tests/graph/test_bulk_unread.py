"""A line the columnar reader of registry JSON (graph/bulk/registryjson.py) cannot take never fails
the read nor is read otherwise than the per-record reader reads it: it is named in ``unread`` by
the number the per-record reader gives it, and its study is in no frame.

The 880 registry records are written as JSON Lines with chosen lines broken each way a line can
be: not JSON, not UTF-8, a lone surrogate, a value of the wrong type, not a study object, no NCT
ID, an NCT ID twice, a lone carriage return, NaN, nesting too deep, a line too long for DuckDB;
and lines DuckDB reads otherwise than Python (a key given twice, a trailing comma) or that are
fine (blank lines, unknown fields, ``\\u0000``, line ends, a byte order mark, large numbers).
What is expected comes from how each file was written and from the per-record reader's records
and reports: the lines named are exactly those broken, every other study's frames equal its
record's, and the per-record reader reports on each line named, save where a test says why not.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph.bulk.jsonlines import LARGEST_LINE
from graph.bulk.registryjson import read_registry_json
from graph.read.records import load_records
from tests.graph.registryframes import expected_frames, registry_studies

pytestmark = pytest.mark.timeout(600)

Line = tuple[bytes, str | None]  # a line as written, and the NCT ID of the study it holds intact


@cache
def _registry_lines() -> tuple[Line, ...]:
    return tuple(
        (
            json.dumps(study, ensure_ascii=False).encode(),
            study["protocolSection"]["identificationModule"]["nctId"],
        )
        for study in registry_studies()
    )


def _lines() -> list[Line]:
    return list(_registry_lines())


def _study(n: int) -> dict[str, Any]:
    return dict(json.loads(_registry_lines()[n][0]))


def _broken(study: dict[str, Any], place: str, value: Any) -> bytes:
    """``study`` as JSON with the value at the dotted ``place`` (list items by number) set, the
    objects on the way made where missing."""
    study = json.loads(json.dumps(study))
    *parents, last = place.split(".")
    held: Any = study
    for step in parents:
        held = held[int(step)] if step.isdigit() else held.setdefault(step, {})
    held[int(last) if last.isdigit() else last] = value
    return json.dumps(study, ensure_ascii=False).encode()


def _numbers(lines: list[Line]) -> list[int]:
    """Each line's number as the per-record reader numbers lines: a lone carriage return (not one
    before the line feed) ends a line too."""
    numbers, number = [], 1
    for text, _ in lines:
        numbers.append(number)
        number += text.removesuffix(b"\r").count(b"\r") + 1
    return numbers


def _reported(path: Path, problems: list[Any]) -> set[int]:
    """The lines of ``path`` the per-record reader reports an error on."""
    lines = set()
    for problem in problems:
        at = problem.where.removeprefix(f"{path}:")
        if problem.is_error and at != problem.where and at.split(":")[0].isdigit():
            lines.add(int(at.split(":")[0]))
    return lines


def _check(
    tmp_path: Path,
    lines: list[Line],
    named: list[int],
    reported: Collection[int] | None = None,
    *,
    head: bytes = b"",
    last_line_feed: bool = True,
    studies: list[tuple[str, int]] | None = None,
) -> dict[str, Any]:
    """Write ``lines`` and read them in columns: exactly the lines ``named`` are named; every line
    holding a study intact and not named (or each of ``studies``, NCT ID and line) is read, its
    study's frames equal to its record's; the per-record reader reports on each line of
    ``reported`` (all those named, unless given)."""
    path = tmp_path / "broken.jsonl"
    written = head + b"\n".join(text for text, _ in lines) + (b"\n" if last_line_feed else b"")
    path.write_bytes(written)
    found = read_registry_json(path)
    assert found["unread"]["line"].to_list() == named
    expected = sorted(
        studies
        if studies is not None
        else [
            (nct, number)
            for (_, nct), number in zip(lines, _numbers(lines), strict=True)
            if nct is not None and number not in named
        ]
    )
    assert found["studies"].rows() == expected
    loaded = load_records([path], skip_invalid=True)
    by_nct = {record.nct_id: record for record in loaded.records}
    assert [(nct, by_nct[nct].source.line) for nct, _ in expected] == expected
    for kind, rows in expected_frames([by_nct[nct] for nct, _ in expected]).items():
        assert found[kind].rows() == rows, kind
    assert set(named if reported is None else reported) <= _reported(path, loaded.problems)
    return found


def test_a_line_not_json_is_named(tmp_path: Path) -> None:
    lines = _lines()
    text = lines[0][0]
    lines[0] = (text[: len(text) // 2], None)  # truncated
    lines[300] = (b"<html><body>502 Bad Gateway</body></html>", None)
    lines[301] = (lines[301][0][:-1] + b", }", None)  # a trailing comma, which DuckDB takes
    lines[302] = (lines[302][0] + b", {}", None)  # two values, each an object
    lines[303] = (lines[303][0] + b" " + lines[304][0], None)
    lines[304] = (lines[304][0] + b" x", None)
    lines[879] = (lines[879][0] + b"\x00", None)
    _check(tmp_path, lines, [1, 301, 302, 303, 304, 305, 880])


def test_a_line_not_utf8_is_named(tmp_path: Path) -> None:
    lines = _lines()
    lines[1] = (lines[1][0].replace(b'"briefTitle": "', b'"briefTitle": "\xff', 1), None)
    # In a field the reader does not read, whose UTF-8 the typed decoder does not check.
    lines[2] = (b'{"unread": "caf\xe9", ' + lines[2][0][1:], None)
    lines[3] = (lines[3][0].replace(b'"nctId": "', b'"nctId": "\xed\xa0\x80', 1), None)  # a surrogate
    lines[879] = (lines[879][0][:-1] + b', "cut": "\xe2\x82"}', None)  # a character cut short
    _check(tmp_path, lines, [2, 3, 4, 880])


def test_a_lone_surrogate_is_named(tmp_path: Path) -> None:
    lines = _lines()
    lines[10] = (lines[10][0].replace(b'"briefTitle": "', b'"briefTitle": "\\ud800', 1), None)
    lines[11] = (b'{"unread": "\\udc00\\ud800", ' + lines[11][0][1:], None)
    # Python's json takes a lone surrogate where the reader does not look: the per-record reader
    # reads that study, but the typed decoder does not take the line.
    _check(tmp_path, lines, [11, 12], reported=[11])


def test_a_value_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    lines = _lines()
    protocol = "protocolSection"
    edits = {
        20: (f"{protocol}.designModule.enrollmentInfo.count", "many"),
        21: (f"{protocol}.conditionsModule.conditions", "flu"),  # a string where a list is
        22: (f"{protocol}.sponsorCollaboratorsModule.leadSponsor.name", 5),  # a number for a string
        23: (f"{protocol}.conditionsModule.conditions", {"flu": 1}),  # an object where a list is
        24: (f"{protocol}.contactsLocationsModule.locations", [3]),  # a number where an object is
        25: (f"{protocol}.contactsLocationsModule.locations", [{"geoPoint": "north"}]),
        26: ("hasResults", "yes"),
        27: (f"{protocol}.conditionsModule.conditions", ["flu", None]),
        28: (f"{protocol}.armsInterventionsModule.interventions", [{"name": "Aspirin", "otherNames": "ASA"}]),
        29: (f"{protocol}.designModule.enrollmentInfo.count", 1.0),  # a number for an integer
        30: (protocol, []),
        31: (f"{protocol}.identificationModule.nctId", 12345678),
    }
    for n, (place, value) in edits.items():
        lines[n] = (_broken(_study(n), place, value), None)
    count = _broken(_study(32), f"{protocol}.designModule.enrollmentInfo.count", 7)
    lines[32] = (count.replace(b'"count": 7', b'"count": 1e3'), None)  # an exponent: DuckDB reads 1000
    _check(tmp_path, lines, [n + 1 for n in [*edits, 32]])


def test_blank_lines_hold_nothing(tmp_path: Path) -> None:
    lines = _lines()
    for n, blank in [(879, b""), (600, "\u3000\x1c\xa0".encode()), (40, b" \t\r"), (0, b"")]:
        lines.insert(n, (blank, None))
    found = _check(tmp_path, [*lines, (b"   ", None)], [])
    assert found["studies"]["line"].max() == 884


def test_a_line_not_a_study_object_is_named(tmp_path: Path) -> None:
    lines = _lines()
    for n, text in enumerate(
        [b"[1]", b"3", b"null", b'"NCT00000102"', b"true", b"{}", b'{"protocolSection": {}}']
    ):
        lines[50 + n] = (text, None)
    _check(tmp_path, lines, list(range(51, 58)))


def test_studies_held_otherwise_are_left_to_the_per_record_reader(tmp_path: Path) -> None:
    """A list of studies and a search page on a line: the per-record reader reads their studies,
    which the columnar reader leaves to it."""
    lines = _lines()
    lines[60] = (b"[" + lines[60][0] + b"]", None)
    lines[61] = (b'{"studies": [' + lines[61][0] + b'], "totalCount": 1}', None)
    _check(tmp_path, lines, [61, 62], reported=[])


def test_a_study_without_its_nct_id_is_named(tmp_path: Path) -> None:
    lines = _lines()
    study = _study(70)
    del study["protocolSection"]["identificationModule"]["nctId"]
    lines[70] = (json.dumps(study).encode(), None)
    nct = "protocolSection.identificationModule.nctId"
    lines[71] = (_broken(_study(71), nct, None), None)
    lines[72] = (_broken(_study(72), nct, " \u3000"), None)
    lines[73] = (_broken(_study(73), nct, "NCT123"), None)
    lines[74] = (_broken(_study(74), "protocolSection.identificationModule", None), None)
    _check(tmp_path, lines, [71, 72, 73, 74, 75])


def test_an_nct_id_on_two_lines_is_named(tmp_path: Path) -> None:
    """The per-record reader keeps one of the two (the later updated): the loader's choice. The
    studies have no arms, whose labels would be found twice anyway."""
    lines = _lines()
    once, padded = [n for n, (text, _) in enumerate(lines) if b'"armsInterventionsModule"' not in text][:2]
    lines[600] = lines[once] = (lines[once][0], None)
    nct = lines[padded][1]
    lines[601] = (_broken(_study(padded), "protocolSection.identificationModule.nctId", f" {nct}\t"), None)
    lines[padded] = (lines[padded][0], None)
    _check(tmp_path, lines, [once + 1, padded + 1, 601, 602], reported=[])


def test_a_key_given_twice_is_read_as_the_per_record_reader_reads_it(tmp_path: Path) -> None:
    """Python keeps the last value of a key given twice, DuckDB the first: the studies are read
    with the last."""
    lines = _lines()
    decoy = b'{"protocolSection": {"identificationModule": {"nctId": "NCT99999999"}}, '
    lines[100] = (decoy + lines[100][0][1:], lines[100][1])
    with_city = next(n for n in range(101, 880) if b'"city": "' in lines[n][0])
    lines[with_city] = (
        lines[with_city][0].replace(b'"city": "', b'"city": "Decoy", "city": "', 1),
        lines[with_city][1],
    )
    with_conditions = next(n for n in range(with_city + 1, 880) if b'"conditions": [' in lines[n][0])
    text = lines[with_conditions][0].replace(
        b'"conditions": [', b'"conditions": ["Decoy"], "conditions": [', 1
    )
    lines[with_conditions] = (text, lines[with_conditions][1])
    found = _check(tmp_path, lines, [])
    assert "NCT99999999" not in found["studies"]["nct"].to_list()
    assert "Decoy" not in found["conditions"]["text"].to_list() + found["sites"]["city"].to_list()


def test_nan_and_infinity_are_named(tmp_path: Path) -> None:
    lines = _lines()
    lines[110] = (lines[110][0][:-1] + b', "unread": nan}', None)  # DuckDB takes it; Python does not
    located = next(n for n in range(111, 880) if b'"geoPoint": {"lat": ' in lines[n][0])
    point = lines[located][0].index(b'"geoPoint": {"lat": ') + len(b'"geoPoint": {"lat": ')
    lines[located] = (
        lines[located][0][:point] + b"NaN, " + lines[located][0][point:].split(b",", 1)[1],
        None,
    )
    # Python's json takes Infinity where the reader does not look: the typed decoder does not.
    lines[located + 1] = (lines[located + 1][0][:-1] + b', "unread": -Infinity}', None)
    _check(tmp_path, lines, [111, located + 1, located + 2], reported=[111, located + 1])


def test_numbers_past_64_bits_and_the_nul_escape_are_read(tmp_path: Path) -> None:
    lines = _lines()
    big = 123456789012345678901234567890
    lines[120] = (lines[120][0][:-1] + f', "unread": [{big}, -{big}, 1e400]}}'.encode(), lines[120][1])
    located = next(n for n in range(121, 880) if b'"geoPoint": {"lat": ' in lines[n][0])
    place = "protocolSection.contactsLocationsModule.locations.0.geoPoint"
    lines[located] = (_broken(_study(located), place, {"lat": big, "lon": -5}), lines[located][1])
    lines[located + 1] = (
        _broken(
            _study(located + 1), "protocolSection.conditionsModule.conditions", ["Lung\u0000Cancer", "\u0000"]
        ),
        lines[located + 1][1],
    )
    found = _check(tmp_path, lines, [])
    assert float(big) in found["sites"]["latitude"].to_list()
    assert "Lung\u0000Cancer" in found["conditions"]["text"].to_list()


def test_a_count_past_64_bits_does_not_fail_the_read(tmp_path: Path) -> None:
    """Whether the count is one the per-record reader takes is a check of the trial's own fields,
    which this reader does not read yet; DuckDB reading it must not fail."""
    path = tmp_path / "counts.jsonl"
    count = "protocolSection.designModule.enrollmentInfo.count"
    path.write_bytes(b"\n".join([_broken(_study(0), count, 10**30), _broken(_study(1), count, -(10**30))]))
    found = read_registry_json(path)
    assert sorted(found["unread"]["line"].to_list() + found["studies"]["line"].to_list()) == [1, 2]


def test_unknown_fields_are_ignored(tmp_path: Path) -> None:
    lines = _lines()
    unknown = {"nested": [1, 2.5, {"deep": [None, True]}], "text": "\\u00e9"}
    for n, place in [
        (130, "unknownSection"),
        (131, "protocolSection.identificationModule.unknown"),
        (132, "protocolSection.contactsLocationsModule.locations.0.unknown"),
        (133, "derivedSection.conditionBrowseModule.meshes.0.unknown"),
    ]:
        study = _study(n)
        if place.endswith("locations.0.unknown"):
            study["protocolSection"]["contactsLocationsModule"] = {"locations": [{"city": "Lyon"}]}
        if place.endswith("meshes.0.unknown"):
            meshes = [{"id": "D003924", "term": "Diabetes Mellitus, Type 2"}]
            study.setdefault("derivedSection", {})["conditionBrowseModule"] = {"meshes": meshes}
        lines[n] = (_broken(study, place, unknown), lines[n][1])
    _check(tmp_path, lines, [])


def test_line_ends_and_white_space_around_a_study_are_read(tmp_path: Path) -> None:
    lines = _lines()
    lines[140] = (lines[140][0] + b"   ", lines[140][1])
    lines[141] = (lines[141][0] + b"\r", lines[141][1])  # written "\r\n"
    lines[142] = (b"\t " + lines[142][0] + b"\t\r", lines[142][1])
    lines[879] = (lines[879][0] + b"\r", lines[879][1])  # the file's last line, with no line feed
    _check(tmp_path, lines, [], last_line_feed=False)


def test_a_lone_carriage_return_ends_a_line(tmp_path: Path) -> None:
    """The per-record reader ends a line at a lone carriage return, each piece a line of its own,
    so the lines after it are numbered on by one more each time."""
    lines = _lines()
    ncts = [nct for _, nct in lines]
    lines[150] = (b"{\r" + lines[150][0][1:], None)  # lines 151 and 152, neither JSON
    lines[151] = (lines[151][0] + b"\r" + _registry_lines()[150][0], None)  # 153 and 154: a study each
    lines[152] = (b"\r" + lines[152][0] + b"\r\r", None)  # 155 blank, 156 a study, 157 blank
    moved = [(ncts[151], 153), (ncts[150], 154), (ncts[152], 156)]
    studies = [(nct, n + 1 if n < 150 else n + 5) for n, nct in enumerate(ncts) if not 150 <= n <= 152]
    _check(tmp_path, lines, [151, 152], studies=[*studies, *moved])


def test_a_byte_order_mark_is_read_on_the_first_line_only(tmp_path: Path) -> None:
    lines = _lines()
    lines[160] = (codecs.BOM_UTF8 + lines[160][0], None)
    _check(tmp_path, lines, [161], head=codecs.BOM_UTF8)


def test_nesting_too_deep_is_named(tmp_path: Path) -> None:
    lines = _lines()
    lines[170] = (lines[170][0][:-1] + b', "unread": ' + b"[" * 5000 + b"]" * 5000 + b"}", None)
    _check(tmp_path, lines, [171])


def test_a_study_too_long_for_duckdb_is_named(tmp_path: Path) -> None:
    """The per-record reader reads it; DuckDB could not."""
    lines = _lines()[:3]
    lines[1] = (_broken(_study(1), "protocolSection.conditionsModule.conditions", ["x" * LARGEST_LINE]), None)
    _check(tmp_path, lines, [2], reported=[])


@pytest.mark.parametrize("text", [b"", b"\n  \n", b"[1]\n3\n", b'{"protocolSection": {}}\n'])
def test_a_file_with_no_study_taken_gives_empty_frames(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "none.jsonl"
    path.write_bytes(text)
    found = read_registry_json(path)
    assert all(frame.is_empty() for kind, frame in found.items() if kind != "unread")
    assert found["unread"]["line"].to_list() == [
        n + 1 for n, line in enumerate(text.splitlines()) if line.strip()
    ]
