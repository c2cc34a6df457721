"""The product as a client meets it: one form of the registry data loaded alone, and the
contract's operations run verbatim through the real schema, in process."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graph.build.loading import TrialGraph, load_graph
from schema.build import create_schema
from schema.context import Context
from schema.limits import Limits
from tests.paths import CONTRACT
from tests.registry.records import Form, data_path


@cache
def operations() -> dict[str, str]:
    """Each operation of the contract's ``.graphql`` files, as its own document, verbatim."""
    found = {}
    for path in sorted(CONTRACT.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^query\s+(\w+)", text, re.MULTILINE):
            depth, index = 0, text.index("{", match.start())
            while True:
                depth += {"{": 1, "}": -1}.get(text[index], 0)
                index += 1
                if depth == 0:
                    break
            found[match.group(1)] = text[match.start() : index]
    return found


@dataclass(frozen=True, slots=True)
class Answer:
    data: Any
    errors: list[str]


@dataclass(slots=True)
class Product:
    """The loaded graph of one form and the served schema; a strict load that fails is kept as
    ``load_error`` and the trials that do load are asked all the same (a load that fails even
    leaving broken documents out answers every question with its error)."""

    form: Form
    graph: TrialGraph | None
    load_error: str | None
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)

    def ask(self, operation: str, **variables: Any) -> Answer:
        if self.graph is None:
            return Answer(None, [f"nothing loaded: {self.load_error}"])
        result = _schema().execute_sync(
            operations()[operation], variable_values=variables, context_value=Context(self.graph, Limits())
        )
        return Answer(result.data, [error.message for error in result.errors or []])


@cache
def _schema() -> Any:
    return create_schema()


@cache
def product(form: Form) -> Product:
    """The product with one form of the data loaded alone (strictly if it can be)."""
    path = data_path(form)
    try:
        return Product(form, load_graph([path]), None)
    except Exception as error:  # the load's own error type is the product's; any failure counts
        strict = f"{type(error).__name__}: {str(error)[:2000]}"
    try:
        return Product(form, load_graph([path], skip_invalid=True), strict)
    except Exception as error:
        return Product(
            form, None, f"{strict}; with skip_invalid: {type(error).__name__}: {str(error)[:2000]}"
        )
