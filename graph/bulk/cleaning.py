"""Registry texts in polars columns cleaned as the per-record reader cleans them one by one
(:mod:`graph.read.text.plain`, :mod:`graph.read.registry.typedstudy`): line ends normalised,
markdown escapes undone, UTF-8 once read as Windows-1252 repaired (in Python, once per distinct
text that may need it), the ends stripped of what Python's ``str.strip`` removes, blank values
``null``; words of a vocabulary checked.
"""

from __future__ import annotations

import polars as pl

from graph.read.text.plain import repair_mojibake

# What Python's str.strip removes: every character str.isspace holds true for.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ESCAPED = r"\\([!-/:-@\[-`{-~])"  # a markdown backslash-escape (graph.read.text.plain.unescape)
_MAYBE_MOJIBAKE = "[\u00c2-\U0010ffff]"  # where graph.read.text.plain.repair_mojibake looks


def cleaned(column: pl.Series) -> pl.Series:
    """Texts as :func:`graph.read.text.plain.clean` makes them: line ends normalised, markdown
    escapes undone, UTF-8 once read as Windows-1252 repaired, the ends stripped; ``null`` where
    nothing is left."""
    text = (
        column.str.replace_all("\r\n", "\n", literal=True)
        .str.replace_all("\r", "\n", literal=True)
        .str.replace_all(_ESCAPED, "$1")
    )
    suspect = text.filter(text.str.contains(_MAYBE_MOJIBAKE)).unique().to_list()
    repaired = {found: fixed for found in suspect if (fixed := repair_mojibake(found)) != found}
    if repaired:
        text = text.replace(repaired)
    text = text.str.strip_chars(WHITESPACE)
    return text.to_frame().select(pl.when(text != "").then(text)).to_series().alias(column.name)


def stripped(column: pl.Series) -> pl.Series:
    """A value as the per-record reader takes a word or an id: stripped, ``null`` if blank."""
    text = column.str.strip_chars(WHITESPACE)
    return text.to_frame().select(pl.when(text != "").then(text)).to_series().alias(column.name)


def unknown(column: pl.Series, vocabulary: frozenset[str]) -> pl.Series:
    """Whether each word, stripped, is given and not in ``vocabulary``: the per-record reader
    reports it."""
    word = stripped(column)
    return word.is_not_null() & ~word.is_in(sorted(vocabulary))


def texts(frame: pl.DataFrame, keys: list[str], column: str) -> pl.DataFrame:
    """A list of texts of each row, exploded: ``keys``, ``k`` (the text's place in its list) and
    the text cleaned, blank ones left out (as the per-record reader's ``_texts``)."""
    items = (
        frame.select(*keys, column)
        .explode(column)
        .with_columns(pl.int_range(pl.len()).over(keys).alias("k"))
        .drop_nulls(column)
    )
    return items.with_columns(cleaned(items[column]).alias(column)).drop_nulls(column)
