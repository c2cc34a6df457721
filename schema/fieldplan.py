"""A query's plan, field by field, and a selection set's plan compiled to one function.

:mod:`schema.fastpath` makes a :class:`FieldPlan` for each response key of each selection set
of a query it has validated, then answers with :func:`compiled_answer`'s functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from keyword import iskeyword
from operator import attrgetter
from typing import Any

from graphql import FieldNode, GraphQLField, get_named_type


@dataclass(slots=True)
class FieldPlan:
    """One response key of a selection set."""

    key: str
    name: str
    node: FieldNode
    definition: GraphQLField | None  # None for __typename
    strawberry: Any
    constant_arguments: dict[str, Any] | None  # arguments without variables, coerced once
    selections: dict[str, list[FieldPlan]] = field(default_factory=dict)  # by concrete type
    # Made once per plan for its field and type. How the field is read from its source, one of
    # ("attribute", name), ("method", f) for f(source), ("method_info", f) for f(source, info=info),
    # ("method_arguments", (f, kwargs)) for f(source, **kwargs), ("method_info_arguments", (f,
    # kwargs)) for f(source, info=info, **kwargs), ("call", f) for f(source, variables, info);
    # and (value, variables, info) -> the value as answered.
    read: tuple[str, Any] | None = None
    complete: Callable[[Any, Any, Any], Any] | None = None


# How each way of reading a field is written in a compiled answer, for its n-th field.
_READS = {
    "attribute": "read{n}(source)",
    "method": "read{n}(source)",
    "method_info": "read{n}(source, info=info)",
    "method_arguments": "read{n}(source, **arguments{n})",
    "method_info_arguments": "read{n}(source, info=info, **arguments{n})",
    "call": "read{n}(source, variables, info)",
}
# Values a scalar answers as they are: type(value) is the class -> the value.
_PASSED = {"String": "str", "ID": "str", "Boolean": "bool"}


def compiled_answer(type_name: str, plans: list[FieldPlan]) -> Callable[[Any, Any, Any], dict[str, Any]]:
    """The answer to ``plans`` for a source of type ``type_name``, as one function.

    The function is one dict display: each entry reads its field (an attribute directly, a
    resolver with the arguments it needs) and completes the value, a string or boolean in line.
    It is made with ``exec`` from text holding only fixed names, numbered names and ``repr`` of
    the response keys and type name; every value it uses is passed in its namespace. Calling
    it spares a loop over the plans and two calls per field.
    """
    namespace: dict[str, Any] = {}
    entries = []
    for n, plan in enumerate(plans):
        if plan.read is None or plan.complete is None:  # __typename
            entries.append(f"{plan.key!r}: {type_name!r}")
            continue
        how, what = plan.read
        if how == "attribute" and what.isidentifier() and not iskeyword(what):
            read = f"source.{what}"
        else:
            if how.endswith("_arguments"):
                what, namespace[f"arguments{n}"] = what
            namespace[f"read{n}"] = attrgetter(what) if how == "attribute" else what
            read = _READS[how].format(n=n)
        namespace[f"complete{n}"] = plan.complete
        assert plan.definition is not None
        passed = _PASSED.get(get_named_type(plan.definition.type).name)
        if passed is None:
            entries.append(f"{plan.key!r}: complete{n}({read}, variables, info)")
        else:
            value = f"value{n}"
            entries.append(
                f"{plan.key!r}: {value} if type({value} := {read}) is {passed} "
                f"else complete{n}({value}, variables, info)"
            )
    text = "def answer(source, variables, info):\n    return {" + ", ".join(entries) + "}\n"
    exec(text, namespace)  # the text holds no text of the request but repr()s: see the docstring
    answer: Callable[[Any, Any, Any], dict[str, Any]] = namespace["answer"]
    return answer
