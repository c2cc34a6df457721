"""The registry JSON ingest under generated and mutated studies: a valid study loads with zero
problems and every value lands in its field; any other JSON or bytes give problem lines located
at a ``$.json.path`` or a line, never an exception.

Valid studies are made from random values in the registry's shape (``STRUCTURE.md``) and by the
corpus generator (:mod:`graph.synth`), and written as one study, a list, a search page or JSON
Lines. Mutants are made from the real records and from generated ones: values deleted or
replaced by any JSON value (a wrong type, deep nesting, huge or empty values, surrogates and
control characters, numbers past every range), enum words changed, bytes flipped or cut.

``HYPOTHESIS_PROFILE=long`` runs the long profile (``tests/conftest.py``); the number of
documents tried is printed when the module ends.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from graph import vocabulary as words
from graph.errors import LoadError, Problem, Report
from graph.model import Source, TrialRecord
from graph.read.records import load_records
from graph.read.registry.study import parse_study
from graph.read.text.plain import clean
from graph.synth.records import StudyMaker
from graph.synth.spec import NCT_SPAN, CorpusSpec
from tests.graph.test_fuzz_pages import assert_servable, counting, mutated_bytes
from tests.paths import CTGOV

REAL_STUDIES = {
    path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(CTGOV.glob("*.json"))
}
NAME = "study.json"
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


@pytest.fixture(scope="module")
def tried(request: pytest.FixtureRequest) -> Iterator[Counter[str]]:
    yield from counting(request)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-json")


# -- checks ----------------------------------------------------------------------------------


def assert_path_in(document: Any, path: str) -> None:
    """``path`` (``$.a.b[2]``) steps through ``document``: every index names an item; a key may
    be missing (a required field) or step into a value of the wrong type (reported there too)."""
    node = document
    for step in _STEP.finditer(path, 1):
        key, index = step.groups()
        if key is not None:
            if not isinstance(node, dict) or key not in node:
                return
            node = node[key]
        else:
            assert isinstance(node, list) and int(index) < len(node), f"{path}: no item {index}"
            node = node[int(index)]


def assert_json_located(
    problems: list[Problem], name: str, text: str, document: Any = None, json_lines: bool = False
) -> None:
    """Every problem is at ``NAME: $.path``, ``NAME:LINE`` or ``NAME:LINE: $.path`` (JSON Lines),
    or at the whole file; a path steps through ``document`` when it is known (for JSON Lines,
    ``document`` is the list of the lines' values)."""
    lines = text.count("\n") + text.count("\r") + 1
    for problem in problems:
        assert problem.message, problem
        match = re.fullmatch(re.escape(name) + r"(?::(\d+))?(?:: (\$.*))?", problem.where)
        assert match is not None, f"not located by line or JSON path: {problem}"
        line, path = match.groups()
        if line is not None:
            assert 1 <= int(line) <= lines, f"line out of range (1..{lines}): {problem}"
        if path is not None:
            steps = _STEP.finditer(path, 1)
            assert path[:1] == "$" and "".join(step.group() for step in steps) == path[1:], problem
            if document is not None:
                assert_path_in(document[int(line) - 1] if json_lines else document, path)


def assert_study_parsed(value: Any) -> TrialRecord | None:
    """``parse_study`` takes any value: a record exactly when it reports no error."""
    report = Report(NAME)
    record = parse_study(value, "$", Source(NAME, format="ctgov-json"), report)
    assert (record is None) == report.has_errors, [str(p) for p in report.problems]
    assert_json_located(report.problems, NAME, "", value)
    if record is not None:
        assert_servable(record)
    return record


def assert_file_loaded(
    path: Path, data: bytes, document: Any = None, json_lines: bool = False
) -> list[TrialRecord]:
    """Loading a file of any bytes returns, or raises :class:`LoadError` only, with every problem
    located in the file."""
    path.write_bytes(data)
    loaded = load_records([path], skip_invalid=True)
    text = data.decode("utf-8", "replace")
    assert_json_located(loaded.problems, str(path), text, document, json_lines)
    for record in loaded.records:
        assert_servable(record)
    errors = [problem for problem in loaded.problems if problem.is_error]
    try:
        load_records([path])
    except LoadError as error:
        assert [str(p) for p in error.problems] == [str(p) for p in loaded.problems]
    else:
        assert not errors
    return loaded.records


# -- valid studies ---------------------------------------------------------------------------

# Any text but a lone surrogate, which UTF-8 cannot carry: control characters, markdown
# escapes and mojibake included.
texts = st.text(max_size=40)
names = texts.filter(lambda text: clean(text) is not None)


def enum(vocabulary: frozenset[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(vocabulary))


dates = st.builds(lambda day, size: day.isoformat()[:size], st.dates(), st.sampled_from([4, 7, 10])).filter(
    lambda date: not date.startswith("0") or len(date) >= 4
)
date_structs = st.fixed_dictionaries({"date": dates}, optional={"type": enum(words.DATE_TYPES)})
ages = st.builds(
    "{} {}".format, st.integers(0, 120), st.sampled_from(["Years", "Months", "Weeks", "Days", "Hours"])
)
coordinates = st.floats(-90, 90, allow_nan=False)


def _optional(**values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=values)


@st.composite
def arms_and_interventions(draw: st.DrawFn) -> dict[str, Any]:
    labels = draw(st.lists(names, max_size=4, unique_by=clean))
    arms = [
        {"label": label, **draw(_optional(type=enum(words.ARM_TYPES), description=texts))} for label in labels
    ]
    interventions = []
    for _ in range(draw(st.integers(0, 4))):
        intervention = {"name": draw(names), **draw(_optional(type=enum(words.INTERVENTION_TYPES)))}
        intervention |= draw(_optional(description=texts, otherNames=st.lists(texts, max_size=2)))
        if labels:
            intervention["armGroupLabels"] = draw(st.lists(st.sampled_from(labels), unique=True, max_size=3))
        interventions.append(intervention)
    module = draw(_optional(interventions=st.just(interventions)))
    return {"armGroups": arms, **module} if arms or draw(st.booleans()) else module


@st.composite
def locations(draw: st.DrawFn) -> dict[str, Any]:
    site = draw(
        _optional(
            facility=texts,
            city=texts,
            state=texts,
            country=texts,
            zip=texts,
            status=enum(words.RECRUITMENT_STATUSES),
            contacts=st.lists(_optional(name=texts, role=enum(words.CONTACT_ROLES), email=texts), max_size=2),
        )
    )
    if draw(st.booleans()):
        site["geoPoint"] = {"lat": draw(coordinates), "lon": draw(st.floats(-180, 180, allow_nan=False))}
    return site


@st.composite
def studies(draw: st.DrawFn) -> dict[str, Any]:
    """A study object with random valid values in every field the ingest reads."""
    identification = {"nctId": f"NCT{draw(st.integers(0, 10**8 - 1)):08d}"}
    identification |= draw(
        _optional(
            briefTitle=texts,
            officialTitle=texts,
            acronym=texts,
            organization=_optional(fullName=texts, **{"class": enum(words.AGENCY_CLASSES)}),
            orgStudyIdInfo=_optional(id=texts, type=enum(words.ORG_STUDY_ID_TYPES), link=texts),
            secondaryIdInfos=st.lists(
                _optional(id=texts, type=enum(words.SECONDARY_ID_TYPES), domain=texts, link=texts), max_size=3
            ),
        )
    )
    status = _optional(
        overallStatus=enum(words.STATUSES),
        lastKnownStatus=enum(words.STATUSES),
        whyStopped=texts,
        statusVerifiedDate=dates,
        startDateStruct=date_structs,
        primaryCompletionDateStruct=date_structs,
        completionDateStruct=date_structs,
        studyFirstSubmitDate=dates,
        studyFirstPostDateStruct=date_structs,
        lastUpdatePostDateStruct=date_structs,
    )
    sponsor = _optional(name=texts, **{"class": enum(words.AGENCY_CLASSES)})
    sponsors = _optional(
        leadSponsor=sponsor,
        collaborators=st.lists(sponsor, max_size=3),
        responsibleParty=_optional(
            type=enum(words.RESPONSIBLE_PARTY_TYPES),
            investigatorFullName=texts,
            investigatorTitle=texts,
            investigatorAffiliation=texts,
        ),
    )
    design = _optional(
        studyType=enum(words.STUDY_TYPES),
        phases=st.lists(enum(words.PHASES), max_size=2, unique=True),
        enrollmentInfo=_optional(count=st.integers(0, 2**31 - 1), type=enum(words.DATE_TYPES)),
        designInfo=_optional(
            allocation=enum(words.ALLOCATIONS),
            interventionModel=enum(words.INTERVENTION_MODELS),
            interventionModelDescription=texts,
            primaryPurpose=enum(words.PRIMARY_PURPOSES),
            observationalModel=enum(words.OBSERVATIONAL_MODELS),
            timePerspective=enum(words.TIME_PERSPECTIVES),
            maskingInfo=_optional(
                masking=enum(words.MASKINGS),
                maskingDescription=texts,
                whoMasked=st.lists(enum(words.WHO_MASKED), max_size=4, unique=True),
            ),
        ),
    )
    eligibility = _optional(
        eligibilityCriteria=texts,
        healthyVolunteers=st.booleans(),
        sex=enum(words.SEXES),
        minimumAge=ages,
        maximumAge=ages,
        stdAges=st.lists(enum(words.STANDARD_AGES), max_size=3, unique=True),
        studyPopulation=texts,
        samplingMethod=enum(words.SAMPLING_METHODS),
    )
    places = _optional(
        overallOfficials=st.lists(
            _optional(name=texts, role=enum(words.OFFICIAL_ROLES), affiliation=texts), max_size=3
        ),
        locations=st.lists(locations(), max_size=3),
    )
    protocol = {"identificationModule": identification}
    protocol |= draw(
        _optional(
            statusModule=status,
            sponsorCollaboratorsModule=sponsors,
            descriptionModule=_optional(briefSummary=texts, detailedDescription=texts),
            conditionsModule=_optional(
                conditions=st.lists(texts, max_size=3), keywords=st.lists(texts, max_size=3)
            ),
            designModule=design,
            armsInterventionsModule=arms_and_interventions(),
            eligibilityModule=eligibility,
            contactsLocationsModule=places,
        )
    )
    return {"protocolSection": protocol, **draw(_optional(hasResults=st.booleans()))}


def _text(value: str | None) -> str | None:
    return None if value is None else clean(value)


def _string(value: str | None) -> str | None:
    return None if value is None else value.strip() or None


def _texts(values: list[str]) -> list[str]:
    return [text for value in values if (text := clean(value))]


def assert_round_trip(study: dict[str, Any], record: TrialRecord) -> None:
    """Every value of the study is in its field of the record."""
    protocol = study["protocolSection"]

    def module(name: str) -> dict[str, Any]:
        return protocol.get(name, {})  # type: ignore[no-any-return]

    identification = module("identificationModule")
    assert record.nct_id == identification["nctId"]
    assert record.brief_title == _text(identification.get("briefTitle"))
    assert record.official_title == _text(identification.get("officialTitle"))
    assert record.acronym == _text(identification.get("acronym"))
    organization = identification.get("organization", {})
    assert (record.organization, record.organization_class) == (
        _text(organization.get("fullName")),
        organization.get("class"),
    )
    identifiers = [("org_study_id", identification.get("orgStudyIdInfo", {}))] + [
        ("secondary_id", info) for info in identification.get("secondaryIdInfos", [])
    ]
    assert [(i.source, i.value, i.type) for i in record.identifiers] == [
        (source, _string(info["id"]), info.get("type"))
        for source, info in identifiers
        if _string(info.get("id"))
    ]
    status = module("statusModule")
    assert record.status == status.get("overallStatus")
    assert record.last_known_status == status.get("lastKnownStatus")
    assert record.why_stopped == _text(status.get("whyStopped"))
    assert record.status_verified == status.get("statusVerifiedDate")
    assert record.first_submitted == status.get("studyFirstSubmitDate")
    for struct, date, kind in (
        ("startDateStruct", record.start_date, record.start_date_type),
        ("primaryCompletionDateStruct", record.primary_completion_date, record.primary_completion_date_type),
        ("completionDateStruct", record.completion_date, record.completion_date_type),
        ("studyFirstPostDateStruct", record.first_posted, None),
        ("lastUpdatePostDateStruct", record.last_updated, None),
    ):
        written = status.get(struct, {})
        assert date == written.get("date"), struct
        if struct.endswith("CompletionDateStruct") or struct == "startDateStruct":
            assert kind == written.get("type"), struct
    sponsors = module("sponsorCollaboratorsModule")
    expected = [("LEAD", sponsors.get("leadSponsor", {}))] + [
        ("COLLABORATOR", collaborator) for collaborator in sponsors.get("collaborators", [])
    ]
    assert [(s.role, s.name, s.agency_class) for s in record.sponsors] == [
        (role, _text(s["name"]), s.get("class")) for role, s in expected if _text(s.get("name"))
    ]
    party = sponsors.get("responsibleParty", {})
    assert record.responsible_party.type == party.get("type")
    assert record.responsible_party.investigator_name == _text(party.get("investigatorFullName"))
    description = module("descriptionModule")
    assert record.brief_summary == _text(description.get("briefSummary"))
    assert record.detailed_description == _text(description.get("detailedDescription"))
    conditions = module("conditionsModule")
    assert record.conditions == _texts(conditions.get("conditions", []))
    assert record.keywords == _texts(conditions.get("keywords", []))
    design = module("designModule")
    assert record.study_type == design.get("studyType")
    assert record.phases == design.get("phases", [])
    enrollment = design.get("enrollmentInfo", {})
    assert (record.enrollment, record.enrollment_type) == (enrollment.get("count"), enrollment.get("type"))
    info = design.get("designInfo", {})
    masking = info.get("maskingInfo", {})
    assert (
        record.design.allocation,
        record.design.intervention_model,
        record.design.primary_purpose,
        record.design.observational_model,
        record.design.time_perspective,
        record.design.masking,
        record.design.who_masked,
    ) == (
        info.get("allocation"),
        info.get("interventionModel"),
        info.get("primaryPurpose"),
        info.get("observationalModel"),
        info.get("timePerspective"),
        masking.get("masking"),
        masking.get("whoMasked", []),
    )
    arms_module = module("armsInterventionsModule")
    arms = arms_module.get("armGroups", [])
    interventions = arms_module.get("interventions", [])
    assert [(a.label, a.type, a.description) for a in record.arms] == [
        (_text(a["label"]), a.get("type"), _text(a.get("description"))) for a in arms
    ]
    assert [(i.name, i.type, i.description, i.other_names) for i in record.interventions] == [
        (_text(i["name"]), i.get("type"), _text(i.get("description")), _texts(i.get("otherNames", [])))
        for i in interventions
    ]
    assert [arm.interventions for arm in record.arms] == _links(arms, interventions)
    eligibility = module("eligibilityModule")
    criteria = _string(eligibility.get("eligibilityCriteria"))
    assert record.eligibility.criteria == (clean(criteria) if criteria else None)
    assert (
        record.eligibility.minimum_age,
        record.eligibility.maximum_age,
        record.eligibility.sex,
        record.eligibility.healthy_volunteers,
        record.eligibility.standard_ages,
        record.eligibility.study_population,
        record.eligibility.sampling_method,
    ) == (
        eligibility.get("minimumAge"),
        eligibility.get("maximumAge"),
        eligibility.get("sex"),
        eligibility.get("healthyVolunteers"),
        eligibility.get("stdAges", []),
        _text(eligibility.get("studyPopulation")),
        eligibility.get("samplingMethod"),
    )
    places = module("contactsLocationsModule")
    assert [(o.name, o.role, o.affiliation) for o in record.officials] == [
        (_text(o["name"]), o.get("role"), _text(o.get("affiliation")))
        for o in places.get("overallOfficials", [])
        if _text(o.get("name"))
    ]
    sites = places.get("locations", [])
    assert len(record.locations) == len(sites)
    for location, site in zip(record.locations, sites, strict=True):
        point = site.get("geoPoint", {})
        assert (
            location.facility,
            location.city,
            location.state,
            location.country,
            location.zip,
            location.status,
            location.latitude,
            location.longitude,
        ) == (
            _text(site.get("facility")),
            _text(site.get("city")) or "",
            _text(site.get("state")) or "",
            _text(site.get("country")) or "",
            _string(site.get("zip")),
            site.get("status"),
            point.get("lat"),
            point.get("lon"),
        )
        assert [(i.name, i.role) for i in location.investigators] == [
            (_text(c["name"]), c["role"])
            for c in site.get("contacts", [])
            if _text(c.get("name")) and c.get("role") in words.OFFICIAL_ROLES
        ]
    countries = [location.country for location in record.locations if location.country]
    assert record.countries == list(dict.fromkeys(countries))
    assert record.has_results == study.get("hasResults")


def _links(arms: list[dict[str, Any]], interventions: list[dict[str, Any]]) -> list[list[int]]:
    """Each arm's interventions: by the interventions' arm labels, or else (older records) by the
    arms' "Type: name" strings naming one intervention."""
    if any(_texts(i.get("armGroupLabels", [])) for i in interventions):
        return [
            [n for n, i in enumerate(interventions) if arm["label"] in i.get("armGroupLabels", [])]
            for arm in arms
        ]
    by_name: dict[str | None, list[int]] = {}
    for n, intervention in enumerate(interventions):
        by_name.setdefault(_text(intervention["name"]), []).append(n)
    links = []
    for arm in arms:
        found: list[int] = []
        for written in _texts(arm.get("interventionNames", [])):
            named = by_name.get(written.split(": ", 1)[-1], [])
            if len(named) == 1 and named[0] not in found:
                found.append(named[0])
        links.append(found)
    return links


@st.composite
def containers(
    draw: st.DrawFn, found: st.SearchStrategy[dict[str, Any]]
) -> tuple[str, str, list[dict[str, Any]]]:
    """Studies with distinct NCT IDs, written as one study, a list, a search page or JSON Lines:
    the file's suffix, its text and the studies."""
    shape = draw(st.sampled_from(["study", "list", "search page", "json lines"]))
    event(f"written as {shape}")
    count = 1 if shape == "study" else draw(st.integers(1, 3))
    written = draw(
        st.lists(
            found,
            min_size=count,
            max_size=count,
            unique_by=lambda s: s["protocolSection"]["identificationModule"]["nctId"],
        )
    )
    indent = draw(st.sampled_from([None, 2]))
    ascii_only = draw(st.booleans())

    def dump(value: Any, indent: int | None = indent) -> str:
        return json.dumps(value, indent=indent, ensure_ascii=ascii_only)

    if shape == "json lines":
        return ".jsonl", "".join(dump(study, None) + "\n" for study in written), written
    value: Any = {"study": written[0], "list": written, "search page": {"studies": written}}[shape]
    return ".json", dump(value), written


@given(written=containers(studies()))
def test_a_generated_study_loads_whole(
    written: tuple[str, str, list[dict[str, Any]]], folder: Path, tried: Counter[str]
) -> None:
    suffix, text, found = written
    path = folder / f"generated{suffix}"
    path.write_text(text, encoding="utf-8")
    loaded = load_records([path])
    tried["generated"] += len(found)
    assert [str(problem) for problem in loaded.problems] == []
    by_id = {record.nct_id: record for record in loaded.records}
    assert len(by_id) == len(found)
    for study in found:
        record = by_id[study["protocolSection"]["identificationModule"]["nctId"]]
        assert_round_trip(study, record)
        assert_servable(record)


@functools.cache
def _maker(seed: int) -> StudyMaker:
    return StudyMaker(CorpusSpec(trials=NCT_SPAN, seed=seed))


synth_studies = st.builds(
    lambda seed, index: _maker(seed).study(index), st.integers(0, 7), st.integers(0, NCT_SPAN - 1)
)


@given(written=containers(synth_studies))
def test_a_synthetic_study_loads_whole(
    written: tuple[str, str, list[dict[str, Any]]], folder: Path, tried: Counter[str]
) -> None:
    suffix, text, found = written
    path = folder / f"synthetic{suffix}"
    path.write_text(text, encoding="utf-8")
    loaded = load_records([path])
    tried["synthetic"] += len(found)
    assert [str(problem) for problem in loaded.problems] == []
    by_id = {record.nct_id: record for record in loaded.records}
    for study in found:
        assert_round_trip(study, by_id[study["protocolSection"]["identificationModule"]["nctId"]])


def test_every_real_record_loads_whole() -> None:
    loaded = load_records(sorted(CTGOV.glob("*.json")))
    assert [str(problem) for problem in loaded.problems] == []
    assert [record.nct_id for record in loaded.records] == sorted(REAL_STUDIES)


# -- mutants ---------------------------------------------------------------------------------


def _keys(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys(item, found)
    return found


# The registry's own keys, so that random objects reach the ingest's branches.
KEYS = sorted(_keys(list(REAL_STUDIES.values()), {"studies"}))
ENUM_WORDS = sorted(set().union(*(v for k, v in vars(words).items() if k.isupper())))
hostile_text = st.one_of(
    st.text(st.characters(codec=None, categories=("Cc", "Cs", "Zl", "Zp", "Cf", "Co", "Cn")), max_size=20),
    st.text(max_size=20),
    st.sampled_from(
        ["", " ", "\x00", "\ud800", "a\udfffb", "\ufeff", "NCT1234567", "NCT123456789", "NCT٠١٢٣٤٥٦٧"]
    ),
    st.sampled_from(["2024-13", "2024-02-30", "٢٠٢٤", "20240101", "-1 Years", "1e400 Years", "18 years"]),
    st.sampled_from(ENUM_WORDS).map(str.lower),
    st.integers(1, 6).map(lambda power: "x" * 10**power),  # huge values, up to a megabyte
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([-1, 2**31, 2**63, 2**64, 10**400, -(10**300)]),
    st.floats(),
    st.sampled_from(ENUM_WORDS),
    hostile_text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=4),
    ),
    max_leaves=20,
)


def _deep(depth: int, leaf: Any = None) -> Any:
    value = leaf
    for n in range(depth):
        value = [value] if n % 2 else {"protocolSection": value}
    return value


@functools.cache
def _paths(name: str) -> list[tuple[Any, ...]]:
    return _all_paths(REAL_STUDIES[name])


def _all_paths(value: Any) -> list[tuple[Any, ...]]:
    """The path of every value in ``value``, down to a depth of 40."""
    found: list[tuple[Any, ...]] = []
    pending: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while pending:
        here, node = pending.pop()
        found.append(here)
        if len(here) < 40 and isinstance(node, dict | list):
            items = node.items() if isinstance(node, dict) else enumerate(node)
            pending.extend(((*here, step), item) for step, item in items)
    return found


def _replaced(value: Any, path: tuple[Any, ...], change: Any) -> Any:
    """``value`` with the value at ``path`` given to ``change``; containers on the path are
    copied, the rest is shared."""
    if not path:
        return change(value)
    step, rest = path[0], path[1:]
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[step] = _replaced(value[step], rest, change)
    return copy


def _apply(container: Any, path: tuple[Any, ...], how: str, new: Any) -> Any:
    if not path:
        return new if how != "delete" else {}
    parent, last = path[:-1], path[-1]

    def change(node: Any) -> Any:
        node = dict(node) if isinstance(node, dict) else list(node)
        if how == "delete":
            del node[last]
        elif how == "duplicate" and isinstance(node, list):
            node.insert(last, node[last])
        elif how == "unknown key" and isinstance(node, dict):
            node[f"x-{len(node)}"] = new
        else:
            node[last] = new
        return node

    return _replaced(container, parent, change)


@st.composite
def mutated_studies(draw: st.DrawFn) -> Any:
    """A real or generated study with one to four values deleted, duplicated or replaced."""
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(REAL_STUDIES)))
        study: Any = REAL_STUDIES[name]
        paths = _paths(name)
    else:
        study = draw(st.one_of(studies(), synth_studies))
        paths = _all_paths(study)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(
            st.sampled_from(["replace", "replace", "delete", "duplicate", "unknown key", "enum word", "deep"])
        )
        event(how)
        path = draw(st.sampled_from(paths))
        if how == "enum word":
            new: Any = draw(st.one_of(st.sampled_from(ENUM_WORDS), hostile_text))
        elif how == "deep":
            new = _deep(draw(st.sampled_from([10, 100, 500, 990, 2000, 10_000])), draw(scalars))
        else:
            new = draw(json_values)
        try:
            study = _apply(study, path, how, new)
        except (KeyError, IndexError, TypeError):
            continue  # the path went away with an earlier mutation
        if how not in ("replace", "enum word", "deep") and len(paths) < 5000:
            paths = _all_paths(study)
    return study


def _dumps(value: Any) -> str | None:
    try:
        return json.dumps(value, ensure_ascii=True)
    except (RecursionError, ValueError):  # too deep for the encoder, or an integer too long for str()
        return None


@given(study=mutated_studies())
def test_a_mutated_study_gives_problems_at_json_paths(study: Any, folder: Path, tried: Counter[str]) -> None:
    assert_study_parsed(study)
    tried["mutated studies"] += 1
    text = _dumps(study)
    if text is not None:
        records = assert_file_loaded(folder / "mutant.json", text.encode(), json.loads(text))
        assert len(records) <= 1
        tried["mutated studies"] += 1


@given(value=st.one_of(json_values, json_values.map(lambda v: {"protocolSection": v}), st.just(_deep(5000))))
def test_any_json_value_gives_problems_at_json_paths(value: Any, folder: Path, tried: Counter[str]) -> None:
    assert_study_parsed(value)
    tried["any value"] += 1
    text = _dumps(value)
    if text is not None:
        if isinstance(value, dict):
            assert_file_loaded(folder / "value.json", text.encode(), json.loads(text))
        else:
            assert_file_loaded(folder / "value.jsonl", text.encode(), [json.loads(text)], json_lines=True)
        tried["any value"] += 1


@functools.cache
def _real_text(name: str) -> str:
    return (CTGOV / f"{name}.json").read_text(encoding="utf-8")


def _texts_of_studies() -> st.SearchStrategy[str]:
    real = st.sampled_from(sorted(REAL_STUDIES)).map(_real_text)
    made = containers(st.one_of(studies(), synth_studies)).map(lambda written: written[1])
    return st.one_of(real, made)


@st.composite
def mutated_json_text(draw: st.DrawFn) -> str:
    """JSON text with brackets, quotes, digits or spans inserted, deleted or repeated."""
    text = draw(_texts_of_studies())
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "delete", "repeat", "truncate", "nest", "long number"]))
        event(f"text: {how}")
        if how == "insert":
            pieces = st.sampled_from(['"', "{", "[", "]", "}", ",", ":", "\\", "\\u", "NaN", "-"])
            piece = draw(st.one_of(pieces, st.text(max_size=5)))
            text = text[:at] + piece + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif how == "repeat":
            end = min(len(text), at + draw(st.integers(1, 200)))
            text = text[:end] + text[at:end] * draw(st.integers(1, 3)) + text[end:]
        elif how == "truncate":
            text = text[:at]
        elif how == "nest":
            depth = draw(st.sampled_from([100, 990, 5000, 100_000]))
            text = text[:at] + draw(st.sampled_from(["[", '{"a":'])) * depth + text[at:]
        else:  # a number past what Python converts
            text = text[:at] + "9" * 5000 + text[at:]
    return text


@given(text=mutated_json_text(), suffix=st.sampled_from([".json", ".jsonl"]))
def test_mutated_json_text_gives_problem_lines_only(
    text: str, suffix: str, folder: Path, tried: Counter[str]
) -> None:
    assert_file_loaded(folder / f"text{suffix}", text.encode("utf-8", "surrogatepass"))
    tried["mutated text"] += 1


@given(data=mutated_bytes(_texts_of_studies()), suffix=st.sampled_from([".json", ".jsonl", ".ndjson"]))
def test_mutated_json_bytes_give_problem_lines_only(
    data: bytes, suffix: str, folder: Path, tried: Counter[str]
) -> None:
    assert_file_loaded(folder / f"bytes{suffix}", data)
    tried["mutated bytes"] += 1
