"""The GraphQL schema, made by a factory so that each app gets its own configured instance."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

import schema.arms
import schema.entities
import schema.trial  # noqa: F401  (every node type registers itself)
from graph.errors import TrialGraphError
from schema.limits import Limits, limit_extensions
from schema.query import Query

CACHE_SIZE = 1024


def _expected(error: GraphQLError) -> bool:
    """Errors clients should read; everything else is masked."""
    # Variable coercion errors wrap a GraphQLError of the request itself.
    return error.original_error is None or isinstance(error.original_error, (TrialGraphError, GraphQLError))


class TrialSchema(strawberry.Schema):
    """Logs only unexpected errors: a client asking past a limit is not a fault of the service."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        super().process_errors([error for error in errors if not _expected(error)], execution_context)


def create_schema(
    limits: Limits | None = None, *, introspection: bool = True, field_suggestions: bool = True
) -> strawberry.Schema:
    """The schema with its limits, caches and error masking.

    Unexpected errors reach clients as ``Unexpected error.``; errors of the documents
    themselves and the graph layer's own errors (limits, unknown cursors) keep their message.
    """
    limits = limits or Limits()
    extensions: list[Callable[[], SchemaExtension]] = [
        *limit_extensions(limits),
        partial(ParserCache, maxsize=CACHE_SIZE),
        partial(ValidationCache, maxsize=CACHE_SIZE),
        partial(MaskErrors, should_mask_error=lambda error: not _expected(error)),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    config = StrawberryConfig(disable_field_suggestions=not field_suggestions)
    return TrialSchema(query=Query, extensions=extensions, config=config)
