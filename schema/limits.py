"""Limits on what one GraphQL request may ask for, and the validation rules that hold them.

Every limit is on by default and configurable. A limit that bites answers with an error that
names the limit and its value, before anything is executed where the document alone tells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from graphql import GraphQLError, ValidationContext, ValidationRule
from graphql.language import DirectiveNode
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from graph.errors import QueryLimitError


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may ask for."""

    max_depth: int = 12
    max_aliases: int = 30
    max_directives: int = 50
    max_tokens: int = 5000
    max_page_size: int = 100
    max_hops: int = 3
    max_neighborhood_nodes: int = 2000
    max_body_bytes: int = 100_000
    max_distance_km: int = 2000


def check_page_size(limits: Limits, first: int) -> int:
    """``first`` if it is within the page-size limit; an error naming the limit otherwise."""
    if first < 0:
        raise QueryLimitError("first (page size) must be 0 or more; page size", limits.max_page_size, first)
    if first > limits.max_page_size:
        raise QueryLimitError("first (page size)", limits.max_page_size, first)
    return first


def check_hops(limits: Limits, hops: int) -> int:
    if hops < 0 or hops > limits.max_hops:
        raise QueryLimitError("hops", limits.max_hops, hops)
    return hops


def _directive_rule(maximum: int) -> type[ValidationRule]:
    class MaxDirectives(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.count = 0

        def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
            self.count += 1
            if self.count == maximum + 1:
                self.report_error(
                    GraphQLError(f"directives are limited to {maximum} per document; more were sent", node)
                )

    return MaxDirectives


def validation_rules(limits: Limits) -> list[type[ValidationRule]]:
    """The rules that hold the document-level limits besides tokens, made once per schema (the
    cache of validated documents is keyed on the rules as well as the document)."""
    return [
        depth_rule(limits.max_depth, None, None),
        alias_rule(limits.max_aliases),
        _directive_rule(limits.max_directives),
    ]


def limit_extensions(
    rules: list[type[ValidationRule]], limits: Limits
) -> list[Callable[[], SchemaExtension]]:
    """Factories of the schema extensions that hold the document-level limits."""
    return [
        partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        partial(AddValidationRules, list(rules)),
    ]
