"""Entities placed and named in columns, as :meth:`graph.build.builder.Builder.finish` places
and names them one by one.

A facility listed without a country is the one site of that name and city that other trials
place in a country, if there is exactly one: its spellings and attributes join that site's (few
sites move, so that is done site by site, in the builder's order). Then every entity is named
by the spelling most of its mentions use, a mixed-case one before one in capitals or lower case,
the first written on a tie (:func:`graph.build.builder.best_spelling`): a site's facility,
city, state and country each so, a person without titles and degrees. An organization takes the
agency class most often stated.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from graph.bulk.entities import Entities
from graph.bulk.rows import INVESTIGATOR, SITE, SITE_ATTRIBUTES
from graph.keys import split_person_name
from graph.model import LIST_SEPARATOR

PARTS = ("name", "city", "state", "country")  # of a site's spelling, in order


@dataclass(slots=True)
class Named:
    """What naming adds, by node (sites moved into others left out): ``spellings`` (joined by
    lines), ``name``; a site's ``city``, ``state``, ``country`` where spelt; a person's
    ``degrees``; an organization's ``agencyClass``. ``moved``: each site listed without a
    country (``node``) and the site it joined (``into``)."""

    names: pl.DataFrame
    moved: pl.DataFrame
    entities: Entities  # with the moved sites' spellings and attributes joined into their sites


def name_entities(entities: Entities) -> Named:
    """Place the sites listed without a country, then name every entity."""
    placed, moved = _placed(entities)
    spellings = placed.spellings.filter(pl.col("spelling") != "")
    kinds = placed.nodes.select("node", "kind")
    spellings = spellings.join(kinds, on="node", how="left", maintain_order="left")
    names = pl.concat(
        [
            _named_sites(spellings.filter(pl.col("kind") == SITE)),
            _named_people(spellings.filter(pl.col("kind") == INVESTIGATOR)),
            _named(spellings.filter(~pl.col("kind").is_in([SITE, INVESTIGATOR]))),
            _classes(placed.classes),
        ],
        how="diagonal_relaxed",
    )
    names = kinds.select("node").join(names.group_by("node").agg(pl.all().drop_nulls().first()), on="node")
    return Named(names=names, moved=moved, entities=placed)


def _mixed(spellings: pl.Series) -> pl.Series:
    """Whether each spelling is in mixed case: neither all capitals nor all lower case, as
    Python's ``str.isupper`` and ``str.islower`` tell (text without a cased letter is neither).
    For ASCII that is having both a capital and a small letter, or neither; other text is asked
    of Python, once per distinct spelling."""
    frame = spellings.alias("text").to_frame()
    ascii_text = pl.col("text").str.contains(r"^[\x00-\x7f]*$")
    plain = pl.col("text").str.contains("[a-z]") == pl.col("text").str.contains("[A-Z]")
    other = frame.filter(~ascii_text)["text"].unique().to_list()
    asked = {text: not text.isupper() and not text.islower() for text in other}
    return frame.select(
        pl.when(ascii_text).then(plain).otherwise(pl.col("text").replace_strict(asked, default=False))
    ).to_series()


def _best(frame: pl.DataFrame, by: str, value: str) -> pl.DataFrame:
    """Per ``by`` (in the order first met), the ``value`` most counted, mixed case first, the
    first met on a tie; ``frame`` holds ``count`` and is in the order values were first met."""
    ranked = frame.select(by, value, "count", _mixed(frame[value]).alias("mixed")).with_row_index("at")
    best = ranked.sort(["mixed", "count", "at"], descending=[True, True, False]).unique(by, keep="first")
    return (
        ranked.select(by)
        .unique(maintain_order=True)
        .join(best.select(by, value), on=by, maintain_order="left")
    )


def _joined(column: str) -> pl.Expr:
    """The values of a group joined by lines (:func:`graph.model.joined`: lines within a value
    become spaces, where any value holds one)."""
    values = pl.col(column)
    lined = values.str.contains(LIST_SEPARATOR, literal=True).any()
    flat = values.str.replace_all(LIST_SEPARATOR, " ", literal=True)
    return pl.when(lined).then(flat.str.join(LIST_SEPARATOR)).otherwise(values.str.join(LIST_SEPARATOR))


def _named(spellings: pl.DataFrame) -> pl.DataFrame:
    joined = spellings.group_by("node", maintain_order=True).agg(_joined("spelling").alias("spellings"))
    best = _best(spellings, "node", "spelling").rename({"spelling": "name"})
    return joined.join(best, on="node", maintain_order="left")


def _named_people(spellings: pl.DataFrame) -> pl.DataFrame:
    """A person is named by the name most used without titles and degrees, with the degrees of
    that name's most used spelling."""
    split = {text: split_person_name(text) for text in spellings["spelling"].unique().to_list()}
    spellings = spellings.with_columns(
        pl.col("spelling")
        .replace_strict({t: n for t, (n, _) in split.items()}, return_dtype=pl.String)
        .alias("bare"),
        pl.col("spelling")
        .replace_strict({t: d for t, (_, d) in split.items()}, return_dtype=pl.String)
        .alias("degrees"),
    )
    names = spellings.group_by("node", "bare", maintain_order=True).agg(pl.col("count").sum())
    best = _best(names, "node", "bare").rename({"bare": "name"})
    chosen = spellings.join(best, on="node", maintain_order="left").filter(pl.col("bare") == pl.col("name"))
    degrees = _best(chosen, "node", "spelling").join(
        spellings.select("node", "spelling", "degrees"), on=["node", "spelling"], maintain_order="left"
    )
    joined = spellings.group_by("node", maintain_order=True).agg(_joined("spelling").alias("spellings"))
    return joined.join(best, on="node", maintain_order="left").join(
        degrees.select("node", "degrees"), on="node", how="left", maintain_order="left"
    )


def _named_sites(spellings: pl.DataFrame) -> pl.DataFrame:
    """A site's facility, city, state and country, each by its own most used spelling; its
    spellings are its facility's."""
    parts = spellings.with_columns(
        pl.col("spelling").str.split_exact(LIST_SEPARATOR, len(PARTS) - 1).struct.rename_fields(list(PARTS))
    ).unnest("spelling")
    named = parts.select("node").unique(maintain_order=True)
    for part in PARTS:
        spelt = (
            parts.filter(pl.col(part) != "")
            .group_by("node", part, maintain_order=True)
            .agg(pl.col("count").sum())
        )
        found = _best(spelt, "node", part)
        if part == "name":
            found = found.join(
                spelt.group_by("node", maintain_order=True).agg(_joined("name").alias("spellings")),
                on="node",
                maintain_order="left",
            )
        named = named.join(found, on="node", how="left", maintain_order="left")
    return named


def _classes(classes: pl.DataFrame) -> pl.DataFrame:
    """The agency class each organization is most often stated to have (the first stated on a tie)."""
    return classes.group_by("node", maintain_order=True).agg(
        pl.col("agencyClass").sort_by("count", descending=True, maintain_order=True).first()
    )


def _placed(entities: Entities) -> tuple[Entities, pl.DataFrame]:
    """Sites listed without a country joined into the one site of their name and city placed in
    a country, where there is exactly one; which sites moved where."""
    single = (
        entities.placed.group_by("facility", "city", maintain_order=True)
        .agg(pl.col("node").first().alias("into"), pl.col("trial").first().alias("into_trial"), pl.len())
        .filter(pl.col("len") == 1)
    )
    moves = entities.countryless.join(single, on=["facility", "city"], maintain_order="left")
    moved = moves.select("node", "into")
    if not len(moves):
        return entities, moved
    touched = pl.concat([moves["node"], moves["into"]]).unique()
    spelt: dict[str, dict[str, int]] = {}
    for node, spelling, count in entities.spellings.filter(
        pl.col("node").is_in(touched.implode())
    ).iter_rows():
        spelt.setdefault(node, {})[spelling] = count
    sites = {
        found["node"]: found
        for found in entities.sites.filter(pl.col("node").is_in(touched.implode())).iter_rows(named=True)
    }
    appended: dict[str, list[str]] = {}
    for node, trial, into, into_trial in moves.select("node", "trial", "into", "into_trial").iter_rows():
        both = [spelt.get(into, {}), spelt.pop(node, {})]
        merged: dict[str, int] = {}
        for written in both if into_trial < trial else both[::-1]:  # in NCT order, for ties
            for spelling, count in written.items():
                merged[spelling] = merged.get(spelling, 0) + count
        spelt[into] = merged
        source, target = sites.pop(node), sites[into]
        for name in SITE_ATTRIBUTES:  # the builder's setdefault: added after the site's own
            if target[name] is None and source[name] is not None:
                target[name] = source[name]
                appended.setdefault(into, []).append(name)
    gone = moves["node"].implode()
    targets = moves["into"].unique().implode()
    spellings = pl.concat(
        [
            entities.spellings.filter(~pl.col("node").is_in(gone) & ~pl.col("node").is_in(targets)),
            pl.DataFrame(
                [
                    (node, spelling, count)
                    for node in moves["into"].unique(maintain_order=True)
                    for spelling, count in spelt[node].items()
                ],
                schema=entities.spellings.schema,
                orient="row",
            ),
        ]
    )
    later = int(entities.spellings["count"].sum())  # a row after every mention's: given last
    for into, names in appended.items():
        for place, name in enumerate(names):
            sites[into][f"{name}.row"] = later + place
    updated = pl.DataFrame(list(sites.values()), schema=entities.sites.schema, orient="row")
    site_frame = entities.sites.filter(~pl.col("node").is_in(touched.implode()))
    return (
        Entities(
            nodes=entities.nodes.filter(~pl.col("node").is_in(gone)),
            spellings=spellings,
            sites=pl.concat([site_frame, updated]),
            terms=entities.terms,
            interventions=entities.interventions,
            classes=entities.classes,
            placed=entities.placed,
            countryless=entities.countryless,
        ),
        moved,
    )
