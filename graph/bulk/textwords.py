"""The words text search finds things by, found in columns: each text's words as
:func:`graph.compact.index.text_words` finds them, and a trial's as
:func:`graph.compact.index.trial_words` finds them.

An ASCII text's words are found by polars with the same pattern (lower case, runs of letters and
digits joined by a hyphen or an apostrophe, which are then dropped); any other text is given to
:func:`~graph.compact.index.text_words` itself, once per distinct text.
"""

from __future__ import annotations

import polars as pl

from graph.compact.index import ASCII_WORD, text_words
from graph.compact.tables import KeyPairs
from graph.model import LIST_SEPARATOR

# A trial's texts whose words find it (graph.compact.index.TEXT_ATTRIBUTES), as the reader's
# trials frame names them; its conditions' too.
TRIAL_TEXTS = ("brief_title", "official_title", "acronym", "brief_summary", "nct")


def words_of(texts: pl.DataFrame, by: str) -> pl.DataFrame:
    """The distinct words of the ``text`` column of ``texts``, for each value of ``by``: a frame
    of ``by`` and ``word``, in no particular order."""
    texts = texts.select(by, "text").filter(pl.col("text").is_not_null() & (pl.col("text") != ""))
    plain = pl.col("text").str.contains(r"^[\x00-\x7f]*$")
    found = (
        texts.filter(plain)
        .select(by, word=pl.col("text").str.to_lowercase().str.extract_all(ASCII_WORD.pattern))
        .explode("word")
        .drop_nulls("word")
        .with_columns(pl.col("word").str.replace_all(r"['\-]", ""))
    )
    other = texts.filter(~plain)
    asked = [(text, word) for text in other["text"].unique().to_list() for word in text_words(text)]
    split = pl.DataFrame(asked, schema={"text": pl.String, "word": pl.String}, orient="row")
    return pl.concat([found, other.join(split, on="text").select(by, "word")]).unique()


def words_of_trials(trials: pl.DataFrame, conditions: pl.DataFrame) -> pl.DataFrame:
    """The words each trial is found by (``nct``, ``word``): those of its titles, acronym,
    summary, keywords and NCT ID (of the reader's ``trials`` frame) and its ``conditions``."""
    texts = pl.concat(
        [
            *(trials.select("nct", text=name) for name in TRIAL_TEXTS),
            trials.select(  # one text, as the trial's attribute joins them (graph.model.joined)
                "nct",
                text=pl.col("keywords")
                .list.eval(pl.element().str.replace_all(LIST_SEPARATOR, " ", literal=True))
                .list.join(LIST_SEPARATOR),
            ),
            conditions.select("nct", "text"),
        ]
    )
    return words_of(texts, "nct")


def key_pairs(keys: pl.Series, numbers: pl.Series) -> KeyPairs:
    """``keys`` and the ``numbers`` going under them, as the index takes them in columns."""
    distinct = keys.unique(maintain_order=True)
    codes = keys.replace_strict(distinct, pl.int_range(len(distinct), eager=True), return_dtype=pl.UInt32)
    return KeyPairs(distinct.to_list(), codes.to_numpy(), numbers.to_numpy())
