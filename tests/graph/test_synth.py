"""The corpus generator: the same seed gives the same bytes, the product loads every record, the
corpus has the registry's skew, and respellings of one organization resolve to one node."""

from __future__ import annotations

import doctest
import importlib
import io
import json
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graph.build.loading import TrialGraph, load_graph
from graph.keys import organization_key
from graph.read.records import load_records
from graph.synth import CorpusSpec, ProgressLine, SynthError, Written, write_corpus
from graph.synth.distributions import SiteCounts
from graph.synth.records import StudyMaker
from server.cli import main

MODULES = [
    "distributions", "eligibility", "entities", "facilities", "names", "places", "records", "sites",
    "spec", "texts", "timeline", "writer",
]  # fmt: skip


def _studies(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as file:
        return [json.loads(line) for line in file]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "corpus.jsonl"
    write_corpus(CorpusSpec(trials=3000, seed=11), path)
    return path


@pytest.fixture(scope="module")
def studies(corpus: Path) -> list[dict[str, Any]]:
    return _studies(corpus)


@pytest.fixture(scope="module")
def loaded(corpus: Path) -> TrialGraph:
    return load_graph([corpus])


# -- determinism ---------------------------------------------------------------------------------


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_bytes(tmp_path: Path) -> None:
    first, again, other = tmp_path / "first.jsonl", tmp_path / "again.jsonl", tmp_path / "other.jsonl"
    write_corpus(CorpusSpec(trials=400, seed=5), first)
    write_corpus(CorpusSpec(trials=400, seed=5), again)
    write_corpus(CorpusSpec(trials=400, seed=6), other)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    assert len(first.read_bytes().splitlines()) == 400


# -- the product loads it --------------------------------------------------------------------------


def test_every_record_loads_without_a_single_problem(corpus: Path) -> None:
    records = load_records([corpus])
    assert records.problems == []
    assert records.skipped == []
    assert len(records.records) == 3000


def test_the_graph_is_built_from_every_record_without_a_problem(loaded: TrialGraph) -> None:
    kinds = Counter(data["kind"] for _, data in loaded.graph.nodes(data=True))
    assert loaded.problems == []
    assert kinds["Trial"] == 3000
    assert set(kinds) == {
        "Trial", "Condition", "Organization", "Investigator", "Site", "Country", "Arm", "Intervention",
    }  # fmt: skip


# -- the registry's shape and skew -----------------------------------------------------------------


def _site_counts(studies: list[dict[str, Any]]) -> list[int]:
    sections = (study["protocolSection"] for study in studies)
    return [len(section.get("contactsLocationsModule", {}).get("locations", [])) for section in sections]


def test_most_trials_have_one_site_or_none_and_a_few_very_many(studies: list[dict[str, Any]]) -> None:
    counts = _site_counts(studies)
    assert statistics.median(counts) <= 1
    assert 0.75 * 6 <= statistics.mean(counts) <= 1.25 * 6
    assert max(counts) >= 30 * statistics.mean(counts)
    assert 0.5 <= sum(count <= 1 for count in counts) / len(counts) <= 0.7


def test_the_average_sites_per_trial_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    write_corpus(CorpusSpec(trials=3000, seed=2, sites_per_trial=14), path)
    counts = _site_counts(_studies(path))
    assert statistics.median(counts) <= 1
    assert 0.75 * 14 <= statistics.mean(counts) <= 1.25 * 14


def test_the_site_count_law_reaches_its_mean_with_a_thin_far_tail() -> None:
    six, fourteen = SiteCounts(6.0), SiteCounts(14.0)
    assert (round(six.mean, 9), six.median, round(fourteen.mean, 9), fourteen.median) == (6.0, 1, 14.0, 1)
    assert 0.00005 < six.share_above(1000) < 0.0005  # tens of trials in 500,000
    assert six.share_above(2000) == 0.0
    with pytest.raises(ValueError, match="out of reach"):
        SiteCounts(500.0)


def test_some_trials_list_their_sites_without_a_country_and_other_trials_place_them(
    studies: list[dict[str, Any]],
) -> None:
    """As in the registry's older records: facility and city only, for every site of a trial."""
    listed = [
        study["protocolSection"].get("contactsLocationsModule", {}).get("locations", []) for study in studies
    ]
    listed = [sites for sites in listed if sites]
    bare = [sites for sites in listed if all("country" not in site for site in sites)]
    placed = [sites for sites in listed if all("country" in site for site in sites)]
    assert len(bare) + len(placed) == len(listed)  # a trial lists all its sites one way
    assert 0.01 * len(listed) <= len(bare) <= 0.06 * len(listed)
    assert all(set(site) <= {"facility", "city"} for sites in bare for site in sites)
    places = {(site.get("facility"), site["city"]) for sites in placed for site in sites}
    assert any((site.get("facility"), site["city"]) in places for sites in bare for site in sites)


def test_the_most_common_condition_is_in_many_trials(studies: list[dict[str, Any]]) -> None:
    trials_by_condition = Counter(
        name.lower()
        for study in studies
        for name in set(study["protocolSection"]["conditionsModule"]["conditions"])
    )
    (top, count), *_ = trials_by_condition.most_common(1)
    assert top == "breast cancer"
    assert count >= 0.05 * len(studies)  # tens of thousands at 500,000
    assert sum(n == 1 for n in trials_by_condition.values()) >= 0.5 * len(trials_by_condition)


def test_sponsors_are_shared_as_the_registry_shares_them(studies: list[dict[str, Any]]) -> None:
    trials_by_sponsor = Counter(
        organization_key(study["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"])
        for study in studies
    )
    top = trials_by_sponsor.most_common(3)
    assert all(count >= 0.008 * len(studies) for _, count in top)
    assert sum(count == 1 for count in trials_by_sponsor.values()) >= 0.5 * len(trials_by_sponsor)


def test_the_records_have_the_registry_irregularities(studies: list[dict[str, Any]]) -> None:
    seen: Counter[str] = Counter()
    for study in studies:
        section = study["protocolSection"]
        status, design = section["statusModule"], section["designModule"]
        seen["partial date"] += len(status["startDateStruct"]["date"]) == 7
        seen["date without type"] += "type" not in status["startDateStruct"]
        seen["last update posted"] += "lastUpdatePostDateStruct" in status
        unknown = status["overallStatus"] == "UNKNOWN"
        seen["unknown with last known"] += unknown and "lastKnownStatus" in status
        observational = design["studyType"] == "OBSERVATIONAL"
        seen["observational"] += observational
        seen["observational with phases"] += observational and "phases" in design
        seen["combined phases"] += len(design.get("phases", [])) == 2
        seen["observational without arms"] += observational and "armsInterventionsModule" not in section
        seen["no outcomes"] += "outcomesModule" not in section
        seen["no contacts and locations"] += "contactsLocationsModule" not in section
        people = section.get("contactsLocationsModule", {})
        seen["no officials"] += "overallOfficials" not in people
        seen["several officials"] += len(people.get("overallOfficials", [])) > 1
        seen["collaborators"] += "collaborators" in section["sponsorCollaboratorsModule"]
        seen["no minimum age"] += "minimumAge" not in section.get("eligibilityModule", {"minimumAge": ""})
        sites = people.get("locations", [])
        roles = {contact["role"] for site in sites for contact in site.get("contacts", [])}
        seen["site investigators"] += "PRINCIPAL_INVESTIGATOR" in roles
        seen["sites"] += len(sites)
        seen["sites with a geoPoint"] += sum("geoPoint" in site for site in sites)
    total = len(studies)
    statuses = Counter(study["protocolSection"]["statusModule"]["overallStatus"] for study in studies)
    assert statuses.most_common(1)[0][0] == "COMPLETED"
    assert seen["observational with phases"] == 0
    assert seen["last update posted"] >= 0.9 * total
    assert seen["sites with a geoPoint"] >= 0.85 * seen["sites"]
    for irregular in (
        "partial date", "date without type", "unknown with last known", "combined phases",
        "observational without arms", "no outcomes", "no contacts and locations", "no officials",
        "several officials", "collaborators", "no minimum age", "site investigators",
    ):  # fmt: skip
        assert 0.005 * total <= seen[irregular] <= 0.9 * total, irregular


def test_nct_ids_are_unique_realistic_and_in_order(studies: list[dict[str, Any]]) -> None:
    ids = [study["protocolSection"]["identificationModule"]["nctId"] for study in studies]
    assert all(re.fullmatch(r"NCT\d{8}", nct_id) for nct_id in ids)
    assert ids == sorted(set(ids))
    assert ids[0] < "NCT00100000" and ids[-1] > "NCT06500000"  # the registry's whole range


def test_arms_and_interventions_link_many_to_many(loaded: TrialGraph) -> None:
    graph = loaded.graph
    arms_per_intervention = Counter(target for _, target, key in graph.edges(keys=True) if key == "RECEIVES")
    interventions_per_arm = Counter(source for source, _, key in graph.edges(keys=True) if key == "RECEIVES")
    assert max(arms_per_intervention.values()) > 1 and max(interventions_per_arm.values()) > 1


# -- one entity however spelt -----------------------------------------------------------------------


def _organization_spellings(studies: list[dict[str, Any]]) -> set[str]:
    found = set()
    for study in studies:
        section = study["protocolSection"]
        sponsors = section["sponsorCollaboratorsModule"]
        found.add(sponsors["leadSponsor"]["name"])
        found.update(collaborator["name"] for collaborator in sponsors.get("collaborators", []))
        found.update(
            official["affiliation"]
            for official in section.get("contactsLocationsModule", {}).get("overallOfficials", [])
            if "affiliation" in official
        )
        if "investigatorAffiliation" in sponsors["responsibleParty"]:
            found.add(sponsors["responsibleParty"]["investigatorAffiliation"])
    return found


def test_respelt_organizations_resolve_to_one_node(studies: list[dict[str, Any]], loaded: TrialGraph) -> None:
    spellings = _organization_spellings(studies)
    organizations = {
        node: data["spellings"].split("\n")
        for node, data in loaded.graph.nodes(data=True)
        if data["kind"] == "Organization"
    }
    assert sum(len(written) for written in organizations.values()) == len(spellings)
    assert len(organizations) < 0.85 * len(spellings)
    assert sum(len(written) > 1 for written in organizations.values()) > 0.1 * len(organizations)
    most_spelt = max(organizations.values(), key=len)
    assert len(most_spelt) >= 5
    assert len({organization_key(name) for name in most_spelt}) == 1


def test_site_investigators_recur_across_the_trials_of_their_site(loaded: TrialGraph) -> None:
    graph = loaded.graph
    trials_by_investigator = Counter(
        target
        for _, target, data in graph.edges(data=True)
        if data["kind"] == "INVESTIGATED_BY" and "PRINCIPAL_INVESTIGATOR" in data.get("siteRoles", "")
    )
    assert max(trials_by_investigator.values()) >= 3


# -- writing -----------------------------------------------------------------------------------------


def test_the_command_writes_the_file_and_reports_progress(tmp_path: Path) -> None:
    output = tmp_path / "corpus.jsonl"
    out, err = io.StringIO(), io.StringIO()
    code = main(["synth", "--trials", "1200", "--seed", "4", "--output", str(output)], out=out, err=err)
    assert code == 0
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert lines[-2].startswith("synth: 1,200/1,200 trials (100%), ")
    assert re.fullmatch(r"wrote 1,200 trials \([\d,]+ bytes\) to .*corpus\.jsonl in [\d.]+ s", lines[-1])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["corpus.jsonl"]
    assert len(_studies(output)) == 1200


def test_the_command_refuses_what_it_cannot_make(tmp_path: Path) -> None:
    err = io.StringIO()
    output = tmp_path / "corpus.jsonl"
    assert main(["synth", "--trials", "0", "--output", str(output)], err=err) == 2
    assert main(["synth", "--trials", "5", "--sites-per-trial", "0.5", "--output", str(output)], err=err) == 2
    assert err.getvalue().splitlines() == [
        "trialgraph synth: --trials must be 1 to 7,000,000, got 0",
        "trialgraph synth: --sites-per-trial must be 1.5 to 100, got 0.5",
    ]
    assert not output.exists()
    with pytest.raises(SynthError):
        CorpusSpec(trials=10, sites_per_trial=250)


def test_progress_is_told_block_by_block() -> None:
    stream = io.StringIO()
    printer = ProgressLine(stream, interval=0.0)
    for studies in (500, 1000, 1200):
        printer(Written(studies, 1200, studies * 5000, studies / 1000))
    assert stream.getvalue().splitlines() == [
        "synth: 500/1,200 trials (42%), 2.5 MB, 1,000 trials/s",
        "synth: 1,000/1,200 trials (83%), 5.0 MB, 1,000 trials/s",
        "synth: 1,200/1,200 trials (100%), 6.0 MB, 1,000 trials/s",
    ]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "corpus.jsonl"
    output.write_text("the old corpus\n", encoding="utf-8")
    told: list[int] = []

    def broken(self: StudyMaker, index: int) -> dict[str, Any]:
        if index == 700:
            raise RuntimeError("the disk is full")
        return original(self, index)

    original = StudyMaker.study
    monkeypatch.setattr(StudyMaker, "study", broken)
    with pytest.raises(RuntimeError, match="the disk is full"):
        write_corpus(CorpusSpec(trials=1000, seed=9), output, lambda written: told.append(written.studies))
    assert told == [500]
    assert output.read_text(encoding="utf-8") == "the old corpus\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["corpus.jsonl"]


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_hold(name: str) -> None:
    module = importlib.import_module(f"graph.synth.{name}")
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failed == 0
