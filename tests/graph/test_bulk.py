"""The columnar path (graph/bulk/) resolves what the per-record path resolves trial by trial:
the same entities in the same order, each with the same attributes (given in the same order),
spellings counted the same, the same agency classes and sites placed; the same edges, each with
the same attributes, several mentions of one merged the same way; the same edges between
entities. On the registry records (as JSON and as pages), the shared records in every format,
and a synthetic corpus; and registry JSON Lines read in columns (graph/bulk/registrymentions.py)."""

from __future__ import annotations

import copy
import json
import marshal
import zipfile
from pathlib import Path
from typing import Any

import pytest

from graph.build.builder import Builder, _counts
from graph.build.trialplan import ENTITY_EDGE, SITE, plan_trial
from graph.bulk.edges import resolve_edges
from graph.bulk.entities import Entities, resolve_entities
from graph.bulk.handover import hand_entities
from graph.bulk.names import Named, name_entities
from graph.bulk.recordrows import read_mentions
from graph.bulk.registryjson import read_registry_json
from graph.bulk.registrymentions import registry_mentions
from graph.bulk.rows import CONDITION, KINDS, Mentions, node_ids
from graph.model import LIST_SEPARATOR
from graph.read.records import Loaded, load_records
from graph.synth import CorpusSpec, write_corpus
from tests.graph.registryframes import registry_studies, write_json_lines
from tests.paths import CTGOV, CTGOV_XML, PAGES
from tests.registry.records import PAGES_ZIP, STUDIES_ZIP

pytestmark = pytest.mark.timeout(600)
CORPORA = [
    "registry JSON",
    "registry pages",
    "shared, every format",
    "synthetic",
    "registry JSON, in columns",
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "synthetic.jsonl"
    write_corpus(CorpusSpec(trials=3000, seed=11), path)
    return path


@pytest.fixture(scope="module")
def registry_lines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_json_lines(tmp_path_factory.mktemp("bulk") / "registry.jsonl", registry_studies())


def _loaded(corpus: str, synthetic: Path, registry_lines: Path) -> Loaded:
    paths = {
        "registry JSON": [STUDIES_ZIP],
        "registry JSON, in columns": [registry_lines],
        "registry pages": [PAGES_ZIP],
        "shared, every format": [CTGOV, PAGES, CTGOV_XML],
        "synthetic": [synthetic],
    }[corpus]
    return load_records(paths, skip_invalid=True)


def _per_record(loaded: Loaded) -> dict[str, Any]:
    """What the builder holds once every plan is added (trials as their place in the load), and
    the edges the plans state: each trial's, and those between entities (the first trial
    stating one makes it), and each site's country. Last, the entities once the builder's finish
    has placed the sites listed without a country (``moved``) and named every entity."""
    builder = Builder()
    trial_edges: list[tuple[str, str, str, dict[str, Any]]] = []
    between: dict[tuple[str, str, str], str] = {}
    located: dict[str, str] = {}
    try:
        for record in loaded.records:
            plan = plan_trial(record, loaded.sources[record.nct_id])
            builder.apply(plan)
            trial_edges += [(edge[0], edge[1], edge[3], marshal.loads(edge[5])) for edge in plan[5]]
            for step in plan[4]:
                if step[0] == ENTITY_EDGE:
                    between.setdefault((step[1], step[2], step[3]), marshal.loads(step[4])["trial"])
                elif step[0] == SITE and step[5] is not None:
                    located.setdefault(step[1], step[5])
        positions = builder.store.positions
        trial_of = {positions[f"Trial:{record.nct_id}"]: place for place, record in enumerate(loaded.records)}
        state: dict[str, Any] = copy.deepcopy(
            {
                "entities": builder.entities,
                "spellings": {node: _counts(found) for node, found in builder.spellings.items()},
                "classes": builder.classes,
                "placed": {
                    place: {site: trial_of[trial] for site, trial in sites.items()}
                    for place, sites in builder.placed.items()
                },
                "countryless": {
                    site: (place, trial_of[trial]) for site, (place, trial) in builder.countryless.items()
                },
                "trial edges": trial_edges,
                "between": between,
                "located": located,
            }
        )
        builder._place_countryless_sites()
        for node, found in builder.spellings.items():
            builder._name(builder.entities[node], _counts(found))
        for node, counts in builder.classes.items():
            builder.entities[node]["agencyClass"] = counts.most_common(1)[0][0]
        moved = [site for site in state["countryless"] if site not in builder.entities]
        return {**state, "named": builder.entities, "moved": moved}
    finally:
        builder.close()


def _in_columns(mentions: Mentions, trials: int) -> dict[str, Any]:
    ids = node_ids(mentions)
    entities = resolve_entities(mentions, ids)
    edges = resolve_edges(mentions, ids)
    named = name_entities(entities)
    return {
        **_builder_state(entities, trials),
        "trial edges": list(edges.attributes()),
        "between": {
            (source, target, kind): trial
            for source, target, kind, trial in edges.between.drop("in_trial").iter_rows()
        },
        "located": dict(edges.located.select("site", "country").iter_rows()),
        "named": _named_state(named, trials),
        "moved": named.moved["node"].to_list(),
    }


def _builder_state(entities: Entities, trials: int) -> dict[str, Any]:
    """The entities resolved in columns as the columnar load hands them to the builder, its
    ``trials`` numbered by their place in the load."""
    builder = Builder()
    try:
        hand_entities(builder, entities, range(trials))
        return {
            "entities": builder.entities,
            "spellings": builder.spellings,
            "classes": builder.classes,
            "placed": builder.placed,
            "countryless": builder.countryless,
        }
    finally:
        builder.close()


def _named_state(named: Named, trials: int) -> dict[str, dict[str, Any]]:
    """The entities' attributes once named, as the builder holds them (its ``entities``, before
    coordinates are derived): naming adds its attributes in the builder's order per kind."""
    data: dict[str, dict[str, Any]] = _builder_state(named.entities, trials)["entities"]
    for found in named.names.iter_rows(named=True):
        attributes = data[found["node"]]
        kind = attributes["kind"]
        order: tuple[str, ...]
        if kind == "Site":
            order = ("name", "spellings", "city", "state", "country")
        elif kind == "Investigator":
            order = ("spellings", "name", "degrees")
        else:
            order = ("spellings", "name", "agencyClass")
        for name in order:
            if found.get(name) is not None:
                attributes[name] = found[name]
    return data


def _ordered(state: Any) -> Any:
    """Every dict in ``state`` as its list of items, so that comparing also compares order."""
    if isinstance(state, dict):
        return [(key, _ordered(value)) for key, value in state.items()]
    if isinstance(state, list):
        return [_ordered(value) for value in state]
    if isinstance(state, tuple):
        return tuple(_ordered(value) for value in state)
    return state


@pytest.mark.parametrize("corpus", CORPORA)
def test_the_columnar_path_resolves_what_the_per_record_path_resolves(
    corpus: str, synthetic: Path, registry_lines: Path
) -> None:
    """Its mentions read from the records, or (``in columns``) read from registry JSON Lines in
    DuckDB and polars."""
    loaded = _loaded(corpus, synthetic, registry_lines)
    expected = _per_record(loaded)
    if corpus.endswith("in columns"):
        found = _in_columns(registry_mentions(read_registry_json(registry_lines)), len(loaded.records))
    else:
        found = _in_columns(read_mentions(loaded.records), len(loaded.records))
    assert found.keys() == expected.keys()
    for part in expected:
        assert _ordered(found[part]) == _ordered(expected[part]), part
    # Each part has something to compare.
    assert len(expected["entities"]) > 100 and expected["classes"] and len(expected["trial edges"]) > 1000
    assert expected["located"] and len(expected["named"]) == len(expected["entities"]) - len(
        expected["moved"]
    )
    if corpus != "registry pages":  # pages state no MeSH terms
        assert expected["between"] or corpus == "synthetic"
    if corpus not in ("registry pages", "shared, every format"):
        assert expected["moved"]  # sites placed by other trials
    # Some edges are mentioned more than once by one trial (a condition listed twice ...).
    assert any(LIST_SEPARATOR in values.get("field", "") for *_, values in expected["trial edges"])


def _conditions_listed() -> int:
    """Counted from the registry JSON itself."""
    listed = 0
    with zipfile.ZipFile(STUDIES_ZIP) as archive:
        for name in archive.namelist():
            if name.endswith(".json"):
                study = json.loads(archive.read(name))
                listed += len(study["protocolSection"].get("conditionsModule", {}).get("conditions", []))
    return listed


def test_every_condition_a_study_lists_is_counted_once_and_keeps_its_line() -> None:
    """A condition listed is one spelling counted, and one line of the ``field`` of its trial's
    ``STUDIES`` edge."""
    listed = _conditions_listed()
    mentions = read_mentions(load_records([STUDIES_ZIP]).records)
    ids = node_ids(mentions)
    entities = resolve_entities(mentions, ids)
    conditions = entities.nodes.filter(kind=CONDITION)["node"]
    counted = entities.spellings.filter(entities.spellings["node"].is_in(conditions.implode()))
    assert int(counted["count"].sum()) == listed > 880
    fields = resolve_edges(mentions, ids).attributes()
    lines = sum(
        len(values["field"].split(LIST_SEPARATOR)) for *_, values in fields if values["kind"] == "STUDIES"
    )
    assert lines == listed
    assert KINDS[CONDITION].value == "Condition"
