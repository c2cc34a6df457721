"""Registry JSON Lines read by DuckDB into polars frames, a frame per kind of mention, each value
cleaned as the per-record reader makes it (:mod:`graph.read.registry.typedstudy`), with no Python
per mention.

DuckDB decodes the file told the fields to read and their types (those of the msgspec structs the
per-record reader decodes into, :func:`graph.bulk.duckdbcolumns.schema_of`) and unnests each list
of mentions; polars cleans the texts (:mod:`graph.bulk.cleaning`). Every part of a record is read:
conditions, sponsors, the trial's officials, sites and the people named at them, countries, MeSH
terms with the texts the registry found them as and their ancestors, the responsible party,
interventions and arms (:mod:`graph.bulk.arms`), and the trial's own fields
(:mod:`graph.bulk.trialfields`).
``tests/graph/test_bulk_registry.py`` checks each against the records the per-record reader
makes.

Only lines the per-record reader's typed decoder takes are read, as it decoded them
(:mod:`graph.bulk.jsonlines`), so none fails the read or is read otherwise; the rest, and the lines
of studies the per-record reader would report on or whose NCT ID is on two lines, are named
(``unread``) for the loader to read the per-record way (``tests/graph/test_bulk_unread.py``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from graph import vocabulary as words
from graph.bulk.arms import arms_of, interventions_of
from graph.bulk.cleaning import WHITESPACE, cleaned, stripped, unknown
from graph.bulk.duckdbcolumns import schema_of
from graph.bulk.jsonlines import LARGEST_LINE, write_typed_lines
from graph.bulk.trialfields import trial_fields
from graph.read.registry.shapes import Study
from graph.read.registry.study import NCT_FORM

_PROTOCOL = "protocolSection"
_NCT = f"{_PROTOCOL}.identificationModule.nctId"
_SPACE = "".join(f"\\x{{{ord(space):x}}}" for space in WHITESPACE)  # as RE2 writes them
_NCT_KEY = f"nullif(regexp_replace({_NCT}, '^[{_SPACE}]+|[{_SPACE}]+$', '', 'g'), '')"  # stripped
_BROWSE = "derivedSection.conditionBrowseModule"
_LISTS = {
    "conditions": f"{_PROTOCOL}.conditionsModule.conditions",
    "meshes": f"{_BROWSE}.meshes",
    "ancestors": f"{_BROWSE}.ancestors",
    "leaves": f"{_BROWSE}.browseLeaves",
    "arms": f"{_PROTOCOL}.armsInterventionsModule.armGroups",
    "interventions": f"{_PROTOCOL}.armsInterventionsModule.interventions",
    "collaborators": f"{_PROTOCOL}.sponsorCollaboratorsModule.collaborators",
    "officials": f"{_PROTOCOL}.contactsLocationsModule.overallOfficials",
    "sites": f"{_PROTOCOL}.contactsLocationsModule.locations",
}


def _listed(connection: duckdb.DuckDBPyConnection, path: str, objects: bool = True) -> pl.DataFrame:
    """Each item of a list of every study, with the study's NCT ID and its place ``n`` in the
    list; an object's fields as columns."""
    item = "unnest(item)" if objects else "item"
    return pl.DataFrame(
        connection.sql(
            f"select nct, n, {item} from (select nct, "
            f"generate_subscripts({path}, 1) - 1 as n, unnest({path}) as item from s)"
        )
    )


def read_registry_json(path: Path, told: Callable[[int, int], None] | None = None) -> dict[str, pl.DataFrame]:
    """The mentions a JSON Lines file of registry studies holds, by kind, in NCT order (``told``
    hears as the lines are sorted how many bytes were read and lines taken):

    - ``conditions``: ``nct``, ``position`` (among those kept), ``text``;
    - ``sponsors``: ``nct``, ``position``, ``name``, ``role``, ``agency``, ``field``;
    - ``officials``: ``nct``, ``name``, ``role``, ``affiliation``, ``field``;
    - ``sites``: ``nct``, ``position``, ``facility``, ``city``, ``state``, ``country``, ``zip``,
      ``status``, ``latitude``, ``longitude``;
    - ``people at sites``: ``nct``, ``position`` (the site's), ``name``, ``role``, ``field``;
    - ``countries``: ``nct``, ``position``, ``country``: those of its sites, each once;
    - ``meshes`` and ``ancestors``: ``nct``, ``position``, ``id`` (in one form,
      :func:`graph.keys.mesh_id`), ``term``; a MeSH term also ``found_as``, the texts the
      registry found it as;
    - ``responsible parties``: ``nct``, ``type``, ``name``, ``title``, ``affiliation`` (the
      investigator's), one per study;
    - ``interventions``: ``nct``, ``position``, ``name``, ``type``, ``description``,
      ``other_names``, ``field``;
    - ``arms``: ``nct``, ``position``, ``label``, ``type``, ``description``, ``interventions``
      (their positions: by the arm labels the interventions name, or else by the intervention
      names the arms give), ``field``;
    - ``trials``: one row per study, ``nct`` and then every field of
      :data:`~graph.bulk.trialfields.TRIAL_COLUMNS`, named as :class:`~graph.model.TrialRecord`,
      its ``design`` and its ``eligibility`` name them (``criteria`` the text); lists as list
      columns: ``phases``, ``keywords``, ``who_masked``, ``standard_ages``, and the criteria's
      ``inclusion`` and ``exclusion`` items and their sub-headings (``inclusion_groups``, ...);
    - ``identifiers``: ``nct``, ``position``, ``id``, ``source`` (``org_study_id`` first, then
      each ``secondary_id``), ``type``, ``domain``, ``link``;
    - ``studies``: ``nct`` and ``line``, the number of the line each study read is on;
    - ``unread``: ``line`` (``UInt32``, ascending), each line to read the per-record way (not
      taken by the typed decoder, its study reported on, or its NCT ID on another line too).
    """
    columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in schema_of(Study).items()) + "}"
    with tempfile.TemporaryDirectory(prefix="trialgraph-typed-") as folder:
        decoded = Path(folder) / "decoded.jsonl"
        with open(decoded, "wb") as file:
            lines = write_typed_lines(path, file, told)
        connection = duckdb.connect()
        try:
            quoted = str(decoded).replace("'", "''")  # as an SQL string
            read = f"read_json('{quoted}', format = 'newline_delimited', columns = {columns}, "
            read += f"maximum_object_size = {LARGEST_LINE})"
            # The k-th study taken is on line lines.taken[k].
            connection.sql(
                f"create table s as select row_number() over () - 1 as k, {_NCT_KEY} as nct, * from {read}"
            )
            studies = pl.DataFrame(connection.sql("select k, nct from s"))
            conditions = _listed(connection, _LISTS["conditions"], objects=False)
            party = f"{_PROTOCOL}.sponsorCollaboratorsModule.responsibleParty"
            parties = pl.DataFrame(
                connection.sql(
                    f"select nct, {party}.type as type, {party}.investigatorFullName as name, {party}"
                    f".investigatorTitle as title, {party}.investigatorAffiliation as affiliation from s"
                )
            )
            sponsor = f"{_PROTOCOL}.sponsorCollaboratorsModule.leadSponsor"
            lead = pl.DataFrame(
                connection.sql(
                    f"select nct, -1 as n, {sponsor}.name as name, {sponsor}.class as class from s"
                )
            )
            collaborators = _listed(connection, _LISTS["collaborators"])
            officials = _listed(connection, _LISTS["officials"])
            sites = _listed(connection, _LISTS["sites"])
            terms = {name: _listed(connection, _LISTS[name]) for name in ("meshes", "ancestors", "leaves")}
            arms, interventions = (
                _listed(connection, _LISTS["arms"]),
                _listed(connection, _LISTS["interventions"]),
            )
            own_fields = trial_fields(connection)
        finally:
            connection.close()
    found = {
        "conditions": _conditions(conditions),
        "sponsors": _sponsors(lead, collaborators),
        "officials": _officials(officials),
        "sites": _sites(sites),
        "people at sites": _people_at_sites(sites),
        "meshes": _terms(terms["meshes"], _found_as(terms["leaves"])),
        "ancestors": _terms(terms["ancestors"]),
    }
    found["countries"] = _countries(found["sites"])
    found["responsible parties"] = _responsible_parties(parties)
    found["interventions"] = interventions_of(interventions)
    found["arms"] = arms_of(arms, interventions, found["interventions"])
    found |= own_fields
    untyped = pl.concat([frame.filter("untyped").select("nct") for frame in found.values()])
    nct = pl.col("nct")
    studies = studies.with_columns(lines.taken.gather(studies["k"]).alias("line")).with_columns(
        (nct.str.contains(NCT_FORM.pattern) & ~nct.is_duplicated() & ~nct.is_in(untyped["nct"].implode()))
        .fill_null(False)
        .alias("kept")
    )
    kept = studies.filter("kept").select("nct", "line").sort("nct")
    unread = pl.concat([lines.unread, studies.filter(~pl.col("kept"))["line"]]).sort()
    typed = {
        name: frame.filter(nct.is_in(kept["nct"].implode())).drop("untyped").sort("nct", maintain_order=True)
        for name, frame in found.items()
    }
    return typed | {"studies": kept, "unread": unread.to_frame("line")}


def _ranked(frame: pl.DataFrame) -> pl.DataFrame:
    """The kept items of each study numbered in their order."""
    return frame.sort("nct", "n").with_columns(pl.int_range(pl.len()).over("nct").alias("position"))


def _conditions(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(cleaned(frame["item"]).alias("text"), pl.lit(False).alias("untyped"))
    return _ranked(frame.filter(pl.col("text").is_not_null())).select("nct", "position", "text", "untyped")


def _sponsors(lead: pl.DataFrame, collaborators: pl.DataFrame) -> pl.DataFrame:
    frame = pl.concat(
        how="vertical_relaxed",
        items=[
            lead.with_columns(pl.lit("LEAD").alias("role"), pl.lit("leadSponsor").alias("field")),
            collaborators.select("nct", "n", "name", "class").with_columns(
                pl.lit("COLLABORATOR").alias("role"), pl.format("collaborators[{}]", "n").alias("field")
            ),
        ],
    )
    frame = frame.with_columns(
        cleaned(frame["name"]).alias("name"),
        stripped(frame["class"]).alias("agency"),
        unknown(frame["class"], words.AGENCY_CLASSES).alias("untyped"),
    )
    return _ranked(frame.filter(pl.col("name").is_not_null())).select(
        "nct", "position", "name", "role", "agency", "field", "untyped"
    )


def _officials(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(
        cleaned(frame["name"]).alias("name"),
        stripped(frame["role"]).alias("role"),
        cleaned(frame["affiliation"]).alias("affiliation"),
        pl.format("overallOfficials[{}]", "n").alias("field"),
        unknown(frame["role"], words.OFFICIAL_ROLES).alias("untyped"),
    )
    return (
        frame.filter(pl.col("name").is_not_null())
        .sort("nct", "n")
        .select("nct", "name", "role", "affiliation", "field", "untyped")
    )


def _sites(frame: pl.DataFrame) -> pl.DataFrame:
    point = pl.col("geoPoint")
    frame = frame.with_columns(
        cleaned(frame["facility"]).alias("facility"),
        *(cleaned(frame[name]).fill_null("").alias(name) for name in ("city", "state", "country")),
        stripped(frame["zip"]).alias("zip"),
        stripped(frame["status"]).alias("status"),
        point.struct.field("lat").alias("latitude"),
        point.struct.field("lon").alias("longitude"),
        pl.format("locations[{}]", "n").alias("field"),
    )
    untyped = unknown(frame["status"], words.RECRUITMENT_STATUSES) | (
        frame["latitude"].is_null() != frame["longitude"].is_null()
    )
    finite = frame["latitude"].is_finite().fill_null(True) & frame["longitude"].is_finite().fill_null(True)
    frame = frame.with_columns((untyped | ~finite).alias("untyped"))
    return frame.sort("nct", "n").rename({"n": "position"}).select(
        "nct", "position", "facility", "city", "state", "country", "zip", "status", "latitude", "longitude",
        "field", "untyped",
    )  # fmt: skip


def _people_at_sites(sites: pl.DataFrame) -> pl.DataFrame:
    """The people a site names among its contacts in an official's role."""
    contacts = (
        sites.select("nct", "n", "contacts", "facility")
        .with_columns(cleaned(sites["facility"]).alias("facility"))
        .explode("contacts")
        .drop_nulls("contacts")
        .with_columns(pl.int_range(pl.len()).over("nct", "n").alias("m"))
        .unnest("contacts")
    )
    contacts = contacts.with_columns(
        cleaned(contacts["name"]).alias("name"),
        stripped(contacts["role"]).alias("role"),
        pl.format("locations[{}].contacts[{}]", "n", "m").alias("field"),
        unknown(contacts["role"], words.CONTACT_ROLES).alias("untyped"),
    )
    kept = pl.col("name").is_not_null() & pl.col("role").is_in(sorted(words.OFFICIAL_ROLES))
    return (
        contacts.filter(kept | pl.col("untyped"))
        .sort("nct", "n", "m")
        .rename({"n": "position"})
        .select("nct", "position", "name", "role", "facility", "field", "untyped")
    )


def _countries(sites: pl.DataFrame) -> pl.DataFrame:
    """A study's countries: those of its sites, each once, in the order first listed."""
    listed = sites.filter(pl.col("country") != "").select(
        "nct", pl.col("position").alias("n"), "country", "untyped"
    )
    once = _ranked(listed.unique(["nct", "country"], keep="first", maintain_order=True))
    return once.select("nct", "position", "country", "untyped")


def _found_as(leaves: pl.DataFrame) -> pl.DataFrame:
    """Per study and MeSH term name, the texts the registry found the term as, each once."""
    leaves = leaves.with_columns(
        cleaned(leaves["name"]).alias("term"), cleaned(leaves["asFound"]).alias("text")
    )
    return (
        leaves.drop_nulls(["term", "text"])
        .sort("nct", "n")
        .unique(["nct", "term", "text"], keep="first", maintain_order=True)
        .group_by("nct", "term", maintain_order=True)
        .agg(pl.col("text").alias("found_as"))
    )


def _terms(frame: pl.DataFrame, found_as: pl.DataFrame | None = None) -> pl.DataFrame:
    """MeSH terms given an id and a name, each id once, in one form (:func:`graph.keys.mesh_id`);
    an id not of MeSH's form is reported."""
    frame = frame.with_columns(stripped(frame["id"]).alias("written"), cleaned(frame["term"]).alias("term"))
    frame = frame.filter(pl.col("written").is_not_null() & pl.col("term").is_not_null())
    written = pl.col("written")
    letter, number = written.str.slice(0, 1), written.str.slice(1).cast(pl.Int64, strict=False)
    digits = number.cast(pl.String)
    frame = frame.with_columns(
        (~written.str.contains(r"^[A-Z][0-9]{6,9}$")).alias("untyped"),
        pl.when(number < 1_000_000)
        .then(letter + digits.str.zfill(6))
        .otherwise(letter + digits.str.zfill(9))
        .alias("id"),
    )
    terms = _ranked(frame.sort("nct", "n").unique(["nct", "id"], keep="first", maintain_order=True))
    if found_as is None:
        return terms.select("nct", "position", "id", "term", "untyped")
    texts = terms.join(found_as, on=["nct", "term"], how="left", maintain_order="left")
    return texts.with_columns(pl.col("found_as").fill_null([])).select(
        "nct", "position", "id", "term", "found_as", "untyped"
    )


def _responsible_parties(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        stripped(frame["type"]).alias("type"),
        *(cleaned(frame[name]).alias(name) for name in ("name", "title", "affiliation")),
        unknown(frame["type"], words.RESPONSIBLE_PARTY_TYPES).alias("untyped"),
    ).sort("nct", maintain_order=True)
