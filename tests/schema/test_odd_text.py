"""Every text argument of every query field, given odd text, gets an answer or a named error.

The text a client sends reaches lookups, hashes and error messages: a lone surrogate (JSON's
``"\\ud800"``, which no UTF-8 output can hold), NUL and control characters, right-to-left and
astral characters, a long string. None of them may end in an unexpected error.
"""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

from graph.build.loading import TrialGraph
from schema.context import Context
from schema.limits import Limits

ODD_TEXT = {
    "lone surrogate": "NCT0\ud800 caf\udc00",
    "nul and controls": "a\x00b\x07\x1b[31m",
    "right to left and astral": "\u202eالسرطان \U0001f9ea",
    "long": "x" * 5_000,
    "empty": "",
}


NEUTRAL = {"String": "a", "ID": "Trial:NCT00184067", "Int": 1, "Float": 1.0, "Boolean": True}


def _named(kind: Any) -> Any:
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind


def _neutral(kind: GraphQLInputType) -> Any:
    """A plain value of a required ``kind``."""
    named = _named(kind)
    if isinstance(named, GraphQLEnumType):
        value: Any = next(iter(named.values))
    elif isinstance(named, GraphQLInputObjectType):
        value = {
            name: _neutral(f.type) for name, f in named.fields.items() if isinstance(f.type, GraphQLNonNull)
        }
    else:
        assert isinstance(named, GraphQLScalarType)
        value = NEUTRAL[named.name]
    return [value] if isinstance(GraphQLNonNull(kind).of_type, GraphQLList) else value


def _text_places(kind: GraphQLInputType, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every place in a value of ``kind`` that holds text: () for the value itself, else the
    input-object fields leading to it."""
    named = _named(kind)
    if isinstance(named, GraphQLScalarType):
        return [path] if named.name in ("String", "ID") else []
    if isinstance(named, GraphQLInputObjectType):
        return [place for name, f in named.fields.items() for place in _text_places(f.type, (*path, name))]
    return []


def _with_text(kind: GraphQLInputType, place: tuple[str, ...], text: str) -> Any:
    """A value of ``kind`` with ``text`` at ``place`` and plain values where they are required."""
    named = _named(kind)
    if not place:
        value: Any = text
    else:
        value = _neutral(named)
        value[place[0]] = _with_text(named.fields[place[0]].type, place[1:], text)
    return [value] if isinstance(GraphQLNonNull(kind).of_type, GraphQLList) else value


def _calls(schema: strawberry.Schema, text: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Per query field and per place of text in its arguments: what is asked, the query with
    ``text`` in that place, and its variables."""
    query = schema._schema.query_type
    assert query is not None
    calls = []
    for name, field in query.fields.items():
        signature = ", ".join(f"${arg}: {spec.type}" for arg, spec in field.args.items())
        passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
        selection = (
            "" if isinstance(_named(field.type), GraphQLScalarType | GraphQLEnumType) else "{ __typename }"
        )
        document = f"query Odd({signature}) {{ {name}({passed}) {selection} }}"
        required = {
            arg: _neutral(spec.type)
            for arg, spec in field.args.items()
            if isinstance(spec.type, GraphQLNonNull)
        }
        for arg, spec in field.args.items():
            for place in _text_places(spec.type):
                variables = {**required, arg: _with_text(spec.type, place, text)}
                calls.append((".".join((name, arg, *place)), document, variables))
    return calls


@pytest.mark.parametrize("odd", list(ODD_TEXT))
def test_odd_text_in_any_argument_gets_an_answer_or_a_named_error(
    schema: strawberry.Schema, loaded: TrialGraph, odd: str
) -> None:
    calls = _calls(schema, ODD_TEXT[odd])
    assert len(calls) >= 40, [name for name, _, _ in calls]
    unexpected = []
    for place, query, variables in calls:
        result = schema.execute_sync(
            query, variable_values=variables, context_value=Context(loaded, Limits())
        )
        unexpected += [
            f"{place}: {error.message}" for error in result.errors or [] if "Unexpected" in error.message
        ]
    assert unexpected == []
