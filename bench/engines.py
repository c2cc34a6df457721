"""What the compiled engines a columnar ingest could stand on cost on our records, beside orjson,
and what the columnar path built so far (:mod:`graph.bulk`) costs.

``python -m bench.engines CORPUS [--trials N]`` times, in
CPU per trial (every thread counted) over the first N records of a JSON Lines corpus (default
20,000):

- ``orjson.loads`` of each line: the floor any loader pays, and the unit of the issue's bound
  (ingest CPU at most 8 times it);
- msgspec decoding each line into the typed structs a load reads registry JSON into
  (:mod:`graph.read.registry.shapes`), the types checked in C, and kept;
- polars ``read_ndjson`` and DuckDB ``read_json`` decoding the file into nested columns, each
  told the fields to read and their types (the same structs' schema, :func:`schema_of`): with
  nothing told, both infer a schema from every field and cost many times more;
- DuckDB decoding and unnesting every mention (conditions, sponsors, people, sites and the people
  named at them, interventions, arms, MeSH terms) into polars frames: what a compiled reader of
  registry JSON would hand to the group-bys, no Python per mention; and the product's reader so
  far (:func:`graph.bulk.registryjson.read_registry_json`: the lines msgspec's typed decoder
  takes, sorted from the rest and written out as it decoded them, then every kind of mention and
  the trial's own fields, the criteria split into items in Python once per distinct text; every
  text cleaned as the per-record reader cleans it);
- the eligibility criteria cut into lines and classified in polars;
- the columnar path as built, from the product's own records: reading their mentions in Python
  (:func:`graph.bulk.rows.read_mentions`, the lists then made frames), node ids made once per
  distinct spelling, entities and edges resolved by group-bys (:mod:`graph.bulk.entities`,
  :mod:`graph.bulk.edges`), sites placed and entities named (:mod:`graph.bulk.names`); beside
  it, the per-record plan and merge of the same records;
- the load in columns step by step (read, mentions, node ids, entities, edges, each trial's own
  part, handed to the builder, its finish), the whole load in columns
  (:func:`graph.bulk.load.load_in_columns`) and record by record
  (:func:`graph.build.loading.load_graph`, in this process), giving the same graph.

It measures designs: the result is one JSON line on stdout.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import msgspec
import polars as pl

from bench.stages import DEFAULT_TRIALS, corpus_records, cpu_time, decode_each, measure_from_command_line
from graph.build.builder import Builder
from graph.build.loading import load_graph
from graph.build.trialplan import plan_trial
from graph.bulk.duckdbcolumns import schema_of
from graph.bulk.edges import resolve_edges
from graph.bulk.entities import resolve_entities
from graph.bulk.handover import handed_over
from graph.bulk.load import load_in_columns
from graph.bulk.names import name_entities
from graph.bulk.recordrows import read_rows
from graph.bulk.registryjson import read_registry_json
from graph.bulk.registrymentions import registry_mentions
from graph.bulk.rows import node_ids
from graph.bulk.textwords import words_of_trials
from graph.bulk.trialparts import trial_parts
from graph.model import Source
from graph.read.records import Reading
from graph.read.registry.shapes import Study, decode_study
from server.runtime import tune_collector

T = TypeVar("T")
_PROTOCOL = "s.protocolSection"
# A list of objects unnested into a row per object, a column per field (lists in it kept whole).
_OBJECTS = (
    "select trial, position, unnest(item) from (select trial, "
    "generate_subscripts({0}, 1) - 1 as position, unnest({0}) as item from s)"
)
# Each kind of mention as DuckDB unnests it from the decoded studies (a table ``s`` with the
# study's place in the file as ``trial``).
MENTIONS = {
    "conditions": f"select trial, unnest({_PROTOCOL}.conditionsModule.conditions) as text from s",
    "lead sponsors": f"select trial, unnest({_PROTOCOL}.sponsorCollaboratorsModule.leadSponsor) from s",
    "collaborators": _OBJECTS.format(f"{_PROTOCOL}.sponsorCollaboratorsModule.collaborators"),
    "officials": _OBJECTS.format(f"{_PROTOCOL}.contactsLocationsModule.overallOfficials"),
    "sites": _OBJECTS.format(f"{_PROTOCOL}.contactsLocationsModule.locations"),
    "people at sites": (
        "select trial, position, unnest(contact) from "
        "(select trial, position, unnest(contacts) as contact from ("
        + _OBJECTS.format(f"{_PROTOCOL}.contactsLocationsModule.locations")
        + "))"
    ),
    "interventions": _OBJECTS.format(f"{_PROTOCOL}.armsInterventionsModule.interventions"),
    "arms": _OBJECTS.format(f"{_PROTOCOL}.armsInterventionsModule.armGroups"),
    "meshes": _OBJECTS.format("s.derivedSection.conditionBrowseModule.meshes"),
    "ancestors": _OBJECTS.format("s.derivedSection.conditionBrowseModule.ancestors"),
}


def polars_schema_of(struct: type[msgspec.Struct]) -> dict[str, pl.DataType]:
    """The fields of a msgspec struct (by their JSON names) as a polars schema."""
    info = msgspec.inspect.type_info(struct)
    assert isinstance(info, msgspec.inspect.StructType)
    return {field.encode_name: _polars(field.type) for field in info.fields}


_SCALARS: dict[type[msgspec.inspect.Type], pl.DataType] = {
    msgspec.inspect.StrType: pl.String(),
    msgspec.inspect.IntType: pl.Int64(),
    msgspec.inspect.FloatType: pl.Float64(),
    msgspec.inspect.BoolType: pl.Boolean(),
}


def _polars(kind: msgspec.inspect.Type) -> pl.DataType:
    if isinstance(kind, msgspec.inspect.UnionType):  # a field that may be null
        [kind] = [one for one in kind.types if not isinstance(one, msgspec.inspect.NoneType)]
    if isinstance(kind, msgspec.inspect.ListType):
        return pl.List(_polars(kind.item_type))
    if isinstance(kind, msgspec.inspect.StructType):
        return pl.Struct({field.encode_name: _polars(field.type) for field in kind.fields})
    return _SCALARS[type(kind)]


def _duckdb_read(connection: duckdb.DuckDBPyConnection, sample: Path, columns: dict[str, str]) -> int:
    """Decode the file into a DuckDB table ``s``, the study's place in the file as ``trial``."""
    told = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
    connection.sql("drop table if exists s")
    connection.sql(
        "create table s as select row_number() over () - 1 as trial, * from "
        f"read_json('{sample}', format = 'newline_delimited', columns = {told})"
    )
    [(count,)] = connection.sql("select count(*) from s").fetchall()
    return int(count)


def _duckdb_mentions(
    connection: duckdb.DuckDBPyConnection, sample: Path, columns: dict[str, str]
) -> dict[str, int]:
    """Decode the file and unnest every kind of mention into a polars frame; how many of each."""
    _duckdb_read(connection, sample, columns)
    return {kind: pl.DataFrame(connection.sql(query)).height for kind, query in MENTIONS.items()}


def _criteria_lines(studies: list[Study]) -> int:
    modules = [
        study.protocol_section.eligibility_module if study.protocol_section else None for study in studies
    ]
    texts = [None if module is None else module.eligibility_criteria for module in modules]
    lines = (
        pl.DataFrame({"text": texts})
        .with_row_index("trial")
        .with_columns(pl.col("text").str.split("\n"))
        .explode("text")
        .with_columns(pl.col("text").str.strip_chars())
        .with_columns(
            pl.col("text").str.contains(r"^(?:[*•\-]|\d+[.)])\s").alias("item"),
            pl.col("text").str.contains(r"(?i)^(?:inclusion|exclusion) criteria").alias("part"),
        )
        .with_columns(pl.col("part").cum_sum().over("trial").alias("part_number"))
    )
    return lines.height


def _timed(seconds: dict[str, float], name: str, work: Callable[[], T]) -> T:
    done, seconds[name] = cpu_time(work)
    return done


def _bulk(corpus: Path, trials: int, seconds: dict[str, float]) -> dict[str, int]:
    """The columnar path as built, and the per-record plan and merge, on the same records."""
    reading = Reading()
    records = list(islice(corpus_records(corpus, reading), trials))
    rows = _timed(seconds, "bulk: read mentions (Python)", lambda: read_rows(records))
    mentions = _timed(seconds, "bulk: mentions as frames", rows.frames)
    ids = _timed(seconds, "bulk: node ids", lambda: node_ids(mentions))
    entities = _timed(seconds, "bulk: entities", lambda: resolve_entities(mentions, ids))
    edges = _timed(seconds, "bulk: edges", lambda: resolve_edges(mentions, ids))
    _timed(seconds, "bulk: sites placed, entities named", lambda: name_entities(entities))
    plans = _timed(
        seconds, "per record: plan", lambda: [plan_trial(record, [record.source]) for record in records]
    )
    builder = Builder()

    def merge() -> None:
        for plan in plans:
            builder.apply(plan)

    try:
        _timed(seconds, "per record: merge", merge)
    finally:
        builder.close()
    return {
        "entity mentions": len(ids),
        "entities": entities.nodes.height,
        "trial edges": edges.trials.height,
    }


def _columnar_load(sample: Path, seconds: dict[str, float]) -> None:
    """The load in columns step by step (as :func:`graph.bulk.load.load_in_columns` takes them, on
    a file whose every line the reader takes)."""
    found = _timed(seconds, "columns: read", lambda: read_registry_json(sample))
    lines = dict(found["studies"].select("nct", "line").iter_rows())

    def sources(nct: str) -> list[Source]:
        return [Source(str(sample), line=lines[nct], json_path="$", format="ctgov-json")]

    mentions = _timed(seconds, "columns: mentions", lambda: registry_mentions(found))
    ids = _timed(seconds, "columns: node ids", lambda: node_ids(mentions))
    entities = _timed(seconds, "columns: entities", lambda: resolve_entities(mentions, ids))
    edges = _timed(seconds, "columns: edges", lambda: resolve_edges(mentions, ids))
    parts = _timed(seconds, "columns: each trial's own part", lambda: list(trial_parts(found, sources)))
    trials, conditions = found["trials"], found["conditions"]
    words = _timed(seconds, "columns: trials' words", lambda: words_of_trials(trials, conditions))
    builder = _timed(
        seconds, "columns: handed to the builder", lambda: handed_over(entities, edges, parts, words)
    )
    try:
        _timed(seconds, "columns: the builder's finish", lambda: builder.finish({}))
    finally:
        builder.close()


def measure_engines(corpus: Path, trials: int = DEFAULT_TRIALS) -> dict[str, Any]:
    """CPU seconds of each engine and step over the first ``trials`` records of ``corpus``."""
    tune_collector()
    with open(corpus, "rb") as stream:
        lines = [line for line in islice(stream, trials) if line.strip()]
    seconds: dict[str, float] = {}
    _timed(seconds, "orjson", lambda: decode_each(lines))
    decoded = _timed(seconds, "msgspec typed", lambda: [decode_study(line) for line in lines])
    studies = [study for study in decoded if study is not None]
    polars_schema, duckdb_columns = polars_schema_of(Study), schema_of(Study)
    with tempfile.TemporaryDirectory(prefix="trialgraph-engines-") as folder:
        sample = Path(folder) / "sample.jsonl"
        sample.write_bytes(b"".join(lines))
        _timed(
            seconds, "polars read_ndjson, schema told", lambda: pl.read_ndjson(sample, schema=polars_schema)
        )
        connection = duckdb.connect()
        try:
            _duckdb_read(connection, sample, duckdb_columns)  # its first read loads the JSON extension
            _timed(
                seconds,
                "duckdb read_json, columns told",
                lambda: _duckdb_read(connection, sample, duckdb_columns),
            )
            found = _timed(
                seconds,
                "duckdb: decoded, mentions unnested to polars",
                lambda: _duckdb_mentions(connection, sample, duckdb_columns),
            )
        finally:
            connection.close()
        _timed(seconds, "bulk: registry JSON read by DuckDB, cleaned", lambda: read_registry_json(sample))
        _columnar_load(sample, seconds)
        # The whole load, in this process both ways (the per-record load may read ahead in others).
        _timed(seconds, "load in columns, whole (graph/bulk/load.py)", lambda: load_in_columns(sample))
        _timed(seconds, "load record by record, whole", lambda: load_graph([sample], read_ahead=False))
    _timed(seconds, "criteria lines in polars", lambda: _criteria_lines(studies))
    counts = _bulk(corpus, len(lines), seconds)
    return {
        "trials": len(lines),
        "seconds": seconds,
        "us_per_trial": {name: value * 1e6 / len(lines) for name, value in seconds.items()},
        "over_orjson": {name: value / seconds["orjson"] for name, value in seconds.items()},
        "mentions unnested by duckdb": found,
        **counts,
    }


def main() -> None:
    measure_from_command_line("bench.engines", __doc__, measure_engines)


if __name__ == "__main__":
    main()
