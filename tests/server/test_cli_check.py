"""`trialgraph check`: the real command on the shared data and on a folder of broken files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import CTGOV, PAGES, REPO, SEED_PAGE, SHARED

SHARED_SEEDS = SHARED / "seeds"
PROGRESS = re.compile(
    r"^loading: \d+% \([\d,.]+ of [\d,.]+ MB\), (\d+)/(\d+) files, (\d+) records, [\d,]+ records/s"
    r"(?:, about (?:\d+ h )?\d+ (?:s|min) left)?$"
)


def _check(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "check", *map(str, arguments)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _progress(stderr: str) -> list[tuple[int, int, int]]:
    """The progress lines of standard error as (inputs done, inputs in all, records read)."""
    found = []
    for line in stderr.splitlines():
        match = PROGRESS.match(line)
        if match:
            done, total, records = match.groups()
            found.append((int(done), int(total), int(records)))
    return found


# Paths, inputs, documents read, trials (a trial read from a page and a record is one trial).
SHARED_DATA = {
    "the seeds": ([SHARED_SEEDS], 1, 1, 1),
    "the pages": ([PAGES], 14, 14, 14),
    "the registry records": ([CTGOV], 14, 14, 14),
    "all together": ([SHARED_SEEDS, PAGES, CTGOV], 29, 29, 15),
}


@pytest.mark.parametrize("data", list(SHARED_DATA))
def test_the_shared_data_checks_clean(data: str) -> None:
    paths, inputs, documents, trials = SHARED_DATA[data]
    summary = f"{trials} trial(s) loaded; 0 error(s), 0 warning(s)"
    quiet = _check("-q", *paths)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", f"{summary}\n")
    result = _check(*paths)
    assert (result.returncode, result.stdout, result.stderr.splitlines()[-1]) == (0, "", summary)
    assert _progress(result.stderr)[-1] == (inputs, inputs, documents)


def test_progress_goes_to_standard_error_unless_quiet() -> None:
    result = _check(SHARED_SEEDS, PAGES, CTGOV)
    assert (result.returncode, result.stdout) == (0, "")
    *progress_lines, summary = result.stderr.splitlines()
    assert summary == "15 trial(s) loaded; 0 error(s), 0 warning(s)"
    progress = _progress(result.stderr)
    assert len(progress) == len(progress_lines) >= 2
    assert progress[0] == (0, 29, 1)  # the first document read, its input not done yet
    assert progress[-1] == (29, 29, 29)
    assert progress == sorted(progress)


def _broken_folder(folder: Path) -> Path:
    """The seed page beside broken copies of real documents, a note, and JSON Lines in a subfolder."""
    page = SEED_PAGE.read_text(encoding="utf-8")
    shutil.copy(SEED_PAGE, folder / "seed.txt")
    (folder / "cut.txt").write_text(page[: page.index("More Related Trials")], encoding="utf-8")
    (folder / "empty.json").write_text("", encoding="utf-8")
    study = json.loads((CTGOV / "NCT05932303.json").read_text(encoding="utf-8"))
    study["protocolSection"]["eligibilityModule"]["healthyVolunteers"] = "yes"
    (folder / "NCT05932303.json").write_text(json.dumps(study, indent=2), encoding="utf-8")
    (folder / "notes.md").write_text("Documents to check before the review.\n", encoding="utf-8")
    lines = [(CTGOV / f"{nct}.json").read_text(encoding="utf-8") for nct in ("NCT06171568", "NCT00973089")]
    compact = [json.dumps(json.loads(text)) for text in lines]
    (folder / "sub").mkdir()
    (folder / "sub" / "studies.jsonl").write_text(f"{compact[0]}\n{compact[1][:80]}\n{compact[1]}\n")
    return folder


def test_broken_files_are_reported_one_line_each(tmp_path: Path) -> None:
    folder = _broken_folder(tmp_path)
    result = _check("-q", folder)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{folder}/notes.md: warning: skipped: not a trial page (.txt), registry JSON (.json, .jsonl) "
        "or .zip",
        f"{folder}/NCT05932303.json: $.protocolSection.eligibilityModule.healthyVolunteers: "
        "expected true or false, got a string 'yes'",
        f"{folder}/cut.txt:236: the page ends without its closing 'More Related Trials' section; "
        "it looks truncated",
        f"{folder}/empty.json: empty file; expected a trial page or registry JSON",
        # Line 2 is cut inside the key "orgStudyIdInfo", which opens at column 71.
        f"{folder}/sub/studies.jsonl:2: invalid JSON: Unterminated string starting at column 71; "
        "the document looks truncated",
    ]
    assert result.stderr == "3 trial(s) loaded; 4 error(s), 1 warning(s)\n"


def test_broken_files_with_progress(tmp_path: Path) -> None:
    folder = _broken_folder(tmp_path)
    result = _check(folder, SHARED_SEEDS)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 5
    *_, summary = result.stderr.splitlines()
    assert summary == "3 trial(s) loaded; 4 error(s), 1 warning(s)"
    assert _progress(result.stderr)[-1] == (6, 6, 4)  # the seed read twice: its copy and itself


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "NCT05932303.json"
    result = _check("-q", SHARED_SEEDS, missing)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        f"{missing}: no such file or directory\n",
        "1 trial(s) loaded; 1 error(s), 0 warning(s)\n",
    )
