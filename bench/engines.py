"""What the compiled engines a columnar ingest could stand on cost on our records, beside orjson.

``python -m bench.engines CORPUS [--trials N]`` (after ``pip install -e '.[engines]'``) times, in
CPU per trial over the first N records of a JSON Lines corpus (default 20,000):

- ``orjson.loads`` of each line: the floor any loader pays, and the unit of the issue's bound
  (ingest CPU at most 8 times it);
- msgspec decoding each line into typed structs of the fields the graph reads
  (:data:`Study`), the types checked in C, and kept (the steps after it read them);
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
import msgspec
import polars as pl

from bench.stages import DEFAULT_TRIALS, cpu_time, decode_each, measure_from_command_line
from graph.keys import lookup_key, organization_key, person_key
from server.runtime import tune_collector


# Field names are the registry's own (camelCase).
class Named(msgspec.Struct):
    name: str | None = None


class Party(msgspec.Struct):
    investigatorFullName: str | None = None
    investigatorAffiliation: str | None = None


class Sponsors(msgspec.Struct):
    leadSponsor: Named | None = None
    collaborators: list[Named] = []
    responsibleParty: Party | None = None


class Official(msgspec.Struct):
    name: str | None = None
    affiliation: str | None = None
    role: str | None = None


class Location(msgspec.Struct):
    facility: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    contacts: list[Official] = []


class Places(msgspec.Struct):
    overallOfficials: list[Official] = []
    locations: list[Location] = []


class Conditions(msgspec.Struct):
    conditions: list[str] = []
    keywords: list[str] = []


class Eligibility(msgspec.Struct):
    eligibilityCriteria: str | None = None
    sex: str | None = None
    minimumAge: str | None = None
    maximumAge: str | None = None


class Arm(msgspec.Struct):
    label: str | None = None
    type: str | None = None
    description: str | None = None
    interventionNames: list[str] = []


class Intervention(msgspec.Struct):
    type: str | None = None
    name: str | None = None
    description: str | None = None
    otherNames: list[str] = []


class Arms(msgspec.Struct):
    armGroups: list[Arm] = []
    interventions: list[Intervention] = []


class Identification(msgspec.Struct):
    nctId: str
    briefTitle: str | None = None
    officialTitle: str | None = None


class Protocol(msgspec.Struct):
    identificationModule: Identification
    sponsorCollaboratorsModule: Sponsors | None = None
    conditionsModule: Conditions | None = None
    armsInterventionsModule: Arms | None = None
    eligibilityModule: Eligibility | None = None
    contactsLocationsModule: Places | None = None


class Study(msgspec.Struct):
    protocolSection: Protocol


def _mentions(studies: list[Study]) -> dict[str, pl.DataFrame]:
    """The mentions of conditions, sponsors, people and sites, a column per field."""
    conditions: dict[str, list[Any]] = {"nct": [], "text": []}
    sponsors: dict[str, list[Any]] = {"nct": [], "name": []}
    people: dict[str, list[Any]] = {"nct": [], "name": [], "role": []}
    sites: dict[str, list[Any]] = {"nct": [], "facility": [], "city": [], "country": []}
    for study in studies:
        protocol = study.protocolSection
        nct = protocol.identificationModule.nctId
        if protocol.conditionsModule is not None:
            conditions["text"] += protocol.conditionsModule.conditions
            conditions["nct"] += [nct] * len(protocol.conditionsModule.conditions)
        named = protocol.sponsorCollaboratorsModule
        if named is not None:
            found = [named.leadSponsor, *named.collaborators]
            sponsors["name"] += [one.name for one in found if one is not None]
            sponsors["nct"] += [nct for one in found if one is not None]
        places = protocol.contactsLocationsModule
        if places is None:
            continue
        for person in places.overallOfficials:
            people["nct"].append(nct)
            people["name"].append(person.name)
            people["role"].append(person.role)
        for site in places.locations:
            sites["nct"].append(nct)
            sites["facility"].append(site.facility)
            sites["city"].append(site.city)
            sites["country"].append(site.country)
            for person in site.contacts:
                people["nct"].append(nct)
                people["name"].append(person.name)
                people["role"].append(person.role)
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
    texts = [
        None if study.protocolSection.eligibilityModule is None
        else study.protocolSection.eligibilityModule.eligibilityCriteria
        for study in studies
    ]  # fmt: skip
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
    decoder = msgspec.json.Decoder(Study)
    studies, seconds["msgspec typed"] = cpu_time(lambda: [decoder.decode(line) for line in lines])
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
