"""`trialgraph audit`: the real command on the 880 registry records, as a report and as JSON, and
what it says when it cannot load."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.graph.test_audit import STUDIES, STUDIES_ANONYMIZED, STUDIES_FIGURES, STUDIES_HUBS
from tests.paths import REPO

TRIALGRAPH = Path(sys.executable).parent / "trialgraph"  # the installed console script
DONE = re.compile(r"^audited 880 trials \(21,759 nodes\) in \d+\.\d s$")


def _trialgraph(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TRIALGRAPH), *map(str, arguments)], cwd=REPO, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def report() -> subprocess.CompletedProcess[str]:
    return _trialgraph("audit", "--data", STUDIES, "--top", "5")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audit") / "studies.snapshot"
    made = _trialgraph("snapshot", "--data", STUDIES, "--output", path, "-q")
    assert made.returncode == 0, made.stderr
    return path


def _row(name: str, *figures: int | None) -> str:
    cells = ["-" if figure is None else f"{figure:,}" for figure in figures]
    return f"{name:<16}  {cells[0]:>5}  {cells[1]:>8}  {cells[2]:>6}  {cells[3]:>7}"


def test_the_report_has_a_table_of_every_kind_then_a_section_each(
    report: subprocess.CompletedProcess[str],
) -> None:
    assert report.returncode == 0, report.stderr
    lines = report.stdout.splitlines()
    nodes, listings, postal, merged, apart, respelt = STUDIES_ANONYMIZED
    table = [_row(kind, *figures) for kind, figures in STUDIES_FIGURES.items()]
    table.insert(4, _row("Site, anonymised", nodes, listings, merged, respelt))
    assert lines[:11] == [
        "Audit of 880 trials: 21,759 nodes, 56,509 edges",
        "",
        "kind              nodes  mentions  merged  respelt",
        *table,
    ]
    assert lines[15:18] == [
        "",
        f"Anonymised sites: {nodes:,} nodes from {listings:,} listings; {postal:,} keyed on a postal code,",
        f"{merged:,} of them merged (2 or more listings); {apart:,} listed without a postal code, each a "
        "site of its own.",
    ]
    headings = [line for line in lines if line.startswith("== ")]
    kinds = [*list(STUDIES_FIGURES)[:4], "Site, anonymised", *list(STUDIES_FIGURES)[4:]]
    assert headings == [
        f"== {kind}: {part} (top 5)" for kind in kinds for part in ("most spellings", "biggest hubs")
    ]
    # The biggest anonymised hubs: an AstraZeneca "Research Site" per postal code of Seoul.
    start = lines.index("== Site, anonymised: biggest hubs (top 5)")
    assert lines[start + 1 : start + 4] == [
        "trials  mentions  spellings  node",
        "    14        14          1  Research Site (Seoul, Korea, Republic of, 03080)  "
        "[Site:researchsite--seoul--korearepublicof--03080]",
        "    14        14          1  Research Site (Seoul, Korea, Republic of, 03722)  "
        "[Site:researchsite--seoul--korearepublicof--03722]",
    ]
    # Progress while loading, then how long the audit took.
    assert DONE.match(report.stderr.splitlines()[-1])


def _listed_in_report(stdout: str, heading: str) -> list[str]:
    """The node ids of one list of the report, in order."""
    lines = stdout.splitlines()
    start = lines.index(heading) + 2
    end = next((at for at in range(start, len(lines)) if not lines[at]), len(lines))
    return re.findall(r"\[([^\]]+)\]$", "\n".join(lines[start:end]), re.MULTILINE)


def test_the_json_holds_what_the_report_shows(
    report: subprocess.CompletedProcess[str], snapshot: Path
) -> None:
    # A snapshot of the same documents audits the same as the documents.
    answer = _trialgraph("audit", "--snapshot", snapshot, "--data", STUDIES, "--top", "5", "--json", "-q")
    assert (answer.returncode, answer.stderr) == (0, "")
    found: dict[str, Any] = json.loads(answer.stdout)
    assert list(found) == ["trials", "nodes", "edges", "top", "kinds", "anonymizedSites"]
    assert (found["trials"], found["nodes"], found["edges"], found["top"]) == (880, 21_759, 56_509, 5)
    assert [list(kind) for kind in found["kinds"]] == [
        ["kind", "nodes", "mentions", "merged", "respelt", "mostSpellings", "biggestHubs"]
    ] * 7
    assert {k["kind"]: (k["nodes"], k["mentions"], k["merged"], k["respelt"]) for k in found["kinds"]} == (
        STUDIES_FIGURES
    )
    sites = found["anonymizedSites"]
    assert list(sites) == [
        "nodes",
        "listings",
        "withPostalCode",
        "merged",
        "withoutPostalCode",
        "respelt",
        "mostSpellings",
        "biggestHubs",
    ]
    assert tuple(list(sites.values())[:6]) == STUDIES_ANONYMIZED
    hub = sites["biggestHubs"][0]
    assert hub == {
        "id": "Site:researchsite--seoul--korearepublicof--03080",
        "name": "Research Site",
        "place": "Seoul, Korea, Republic of, 03080",
        "trials": 14,
        "mentions": 14,
        "spellings": ["Research Site"],
    }
    groups = [(kind["kind"], kind) for kind in found["kinds"]]
    groups.insert(4, ("Site, anonymised", sites))
    for name, group in groups:
        for part, key in (("most spellings", "mostSpellings"), ("biggest hubs", "biggestHubs")):
            shown = _listed_in_report(report.stdout, f"== {name}: {part} (top 5)")
            assert shown == [node["id"] for node in group[key]], (name, part)
        if name in STUDIES_HUBS:
            assert [(node["id"], node["trials"]) for node in group["biggestHubs"]] == STUDIES_HUBS[name]
    assert [(node["id"], node["trials"]) for node in sites["biggestHubs"]] == STUDIES_HUBS["anonymised"]


def test_a_path_that_does_not_load_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.zip"
    result = _trialgraph("audit", "--data", missing)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"{missing}: no such file or directory\n"
        "trialgraph: the documents did not load; fix them or pass --skip-invalid\n"
    )
    result = _trialgraph("audit", "--snapshot", missing)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"trialgraph: {missing}: cannot be read: No such file or directory\n",
    )


def test_top_must_be_a_count() -> None:
    result = _trialgraph("audit", "--top", "-1")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "trialgraph audit: error: argument --top: expected a whole number of 0 or more, got '-1'"
    )
