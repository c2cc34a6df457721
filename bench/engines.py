"""What the compiled engines a columnar ingest could stand on cost on our records, beside orjson.

``python -m bench.engines CORPUS [--trials N]`` (after ``pip install -e '.[engines]'``) times, in
CPU per trial over the first N records of a JSON Lines corpus (default 20,000):

- ``orjson.loads`` of each line: the floor any loader pays, and the unit of the issue's bound
  (ingest CPU at most 8 times it);
- msgspec decoding each line into the typed structs a load reads registry JSON into
  (:mod:`graph.read.registry.shapes`), the types checked in C, and kept (the steps after it read
  them);
- polars ``read_ndjson`` and DuckDB ``read_json`` decoding the whole file into nested columns;
- the first steps of a columnar load after msgspec: the mentions of conditions, sponsors, people
  and sites flattened into columns, keyed once per distinct spelling with the product's own key
  functions, grouped in polars; and the eligibility criteria cut into lines classified in polars.

It measures designs, it builds nothing: the result is one JSON line on stdout.
"""

from __future__ import annotations

import tempfile
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from bench.stages import DEFAULT_TRIALS, cpu_time, decode_each, measure_from_command_line
from graph.keys import lookup_key, organization_key, person_key
from graph.read.registry.shapes import Study, decode_study
from server.runtime import tune_collector


def _mentions(studies: list[Study]) -> dict[str, pl.DataFrame]:
    """The mentions of conditions, sponsors, people and sites, a column per field."""
    conditions: dict[str, list[Any]] = {"nct": [], "text": []}
    sponsors: dict[str, list[Any]] = {"nct": [], "name": []}
    people: dict[str, list[Any]] = {"nct": [], "name": [], "role": []}
    sites: dict[str, list[Any]] = {"nct": [], "facility": [], "city": [], "country": []}
    for study in studies:
        protocol = study.protocol_section
        assert protocol is not None and protocol.identification_module is not None
        nct = protocol.identification_module.nct_id
        if protocol.conditions_module is not None:
            written = protocol.conditions_module.conditions or []
            conditions["text"] += written
            conditions["nct"] += [nct] * len(written)
        named = protocol.sponsor_collaborators_module
        if named is not None:
            found = [named.lead_sponsor, *(named.collaborators or ())]
            sponsors["name"] += [one.name for one in found if one is not None]
            sponsors["nct"] += [nct for one in found if one is not None]
        places = protocol.contacts_locations_module
        if places is None:
            continue
        for person in places.overall_officials or ():
            people["nct"].append(nct)
            people["name"].append(person.name)
            people["role"].append(person.role)
        for site in places.locations or ():
            sites["nct"].append(nct)
            sites["facility"].append(site.facility)
            sites["city"].append(site.city)
            sites["country"].append(site.country)
            for contact in site.contacts or ():
                people["nct"].append(nct)
                people["name"].append(contact.name)
                people["role"].append(contact.role)
    tables = {"conditions": conditions, "sponsors": sponsors, "people": people, "sites": sites}
    return {name: pl.DataFrame(columns) for name, columns in tables.items()}


def _keyed(frames: dict[str, pl.DataFrame]) -> int:
    """Each mention keyed once per distinct spelling (the product's key functions), then the
    nodes each kind resolves to, grouped with their spellings counted."""
    keyed = {
        "conditions": ("text", lookup_key),
        "sponsors": ("name", organization_key),
        "people": ("name", person_key),
        "sites": ("facility", lookup_key),
    }
    nodes = 0
    for name, (column, key) in keyed.items():
        frame = frames[name].drop_nulls(column)
        spellings = frame.select(pl.col(column).unique())
        keys = spellings.with_columns(
            pl.Series("key", [key(text) for text in spellings[column].to_list()], dtype=pl.String)
        )
        grouped = frame.join(keys, on=column).group_by("key", column).len()
        nodes += grouped.group_by("key").agg(pl.col(column).sort_by("len").last()).height
    return nodes


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


def measure_engines(corpus: Path, trials: int = DEFAULT_TRIALS) -> dict[str, Any]:
    """CPU seconds of each engine and step over the first ``trials`` records of ``corpus``."""
    tune_collector()
    with open(corpus, "rb") as stream:
        lines = [line for line in islice(stream, trials) if line.strip()]
    seconds: dict[str, float] = {}
    _, seconds["orjson"] = cpu_time(lambda: decode_each(lines))
    decoded, seconds["msgspec typed"] = cpu_time(lambda: [decode_study(line) for line in lines])
    studies = [study for study in decoded if study is not None]
    with tempfile.TemporaryDirectory(prefix="trialgraph-engines-") as folder:
        sample = Path(folder) / "sample.jsonl"
        sample.write_bytes(b"".join(lines))
        _, seconds["polars read_ndjson"] = cpu_time(lambda: pl.read_ndjson(sample).height)
        connection = duckdb.connect()
        query = f"select count(*) from read_json('{sample}', format='newline_delimited')"
        _, seconds["duckdb read_json"] = cpu_time(lambda: connection.sql(query).fetchall())
        connection.close()
    frames, seconds["mentions flattened"] = cpu_time(lambda: _mentions(studies))
    nodes, seconds["keyed and grouped"] = cpu_time(lambda: _keyed(frames))
    criteria, seconds["criteria lines"] = cpu_time(lambda: _criteria_lines(studies))
    mentions = {name: frame.height for name, frame in frames.items()}
    return {
        "trials": len(lines),
        "seconds": seconds,
        "us_per_trial": {name: value * 1e6 / len(lines) for name, value in seconds.items()},
        "over_orjson": {name: value / seconds["orjson"] for name, value in seconds.items()},
        "mentions": mentions,
        "nodes": nodes,
        "criteria_lines": criteria,
    }


def main() -> None:
    measure_from_command_line("bench.engines", __doc__, measure_engines)


if __name__ == "__main__":
    main()
