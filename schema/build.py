"""The GraphQL schema, made by a factory so that each app gets its own configured instance."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

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
from strawberry.types import ExecutionContext, ExecutionResult

import schema.arms
import schema.entities
import schema.mesh
import schema.trial  # noqa: F401  (every node type registers itself)
from graph.errors import TrialGraphError
from schema.fastpath import FastPath
from schema.limits import Limits, limit_extensions, validation_rules
from schema.query import Query

CACHE_SIZE = 1024
_SUGGESTION = re.compile(r" Did you mean .*\?$", re.DOTALL)


class NoSuggestions(SchemaExtension):
    """Strips "Did you mean ...?" from every validation error: graphql-core's rules suggest
    argument names, enum values and type names too, not only the field names Strawberry's
    ``disable_field_suggestions`` silences, and each of them reveals the schema."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            error.message = _SUGGESTION.sub("", error.message)


def _expected(error: GraphQLError) -> bool:
    """Errors clients should read; everything else is masked."""
    # Variable coercion errors wrap a GraphQLError of the request itself.
    return error.original_error is None or isinstance(error.original_error, (TrialGraphError, GraphQLError))


class TrialSchema(strawberry.Schema):
    """Answers through :class:`~schema.fastpath.FastPath` when it can, else the standard way;
    logs only unexpected errors: a client asking past a limit is not a fault of the service."""

    fast: FastPath | None = None

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        super().process_errors([error for error in errors if not _expected(error)], execution_context)

    def _fast(
        self, query: str | None, variables: Any, context: Any, operation: str | None
    ) -> ExecutionResult | None:
        if self.fast is None or query is None:
            return None
        data = self.fast.execute(query, variables, context, operation)
        return None if data is None else ExecutionResult(data=data, errors=None)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Any = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        fast = self._fast(query, variable_values, context_value, operation_name)
        if fast is not None:
            return fast
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )

    def execute_sync(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Any = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        fast = self._fast(query, variable_values, context_value, operation_name)
        if fast is not None:
            return fast
        return super().execute_sync(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )


def create_schema(
    limits: Limits | None = None,
    *,
    introspection: bool = True,
    field_suggestions: bool = True,
    fast: bool = True,
) -> TrialSchema:
    """The schema with its limits, caches, error masking and fast path.

    Unexpected errors reach clients as ``Unexpected error.``; errors of the documents
    themselves and the graph layer's own errors (limits, unknown cursors) keep their message.
    """
    limits = limits or Limits()
    rules = validation_rules(limits)
    extensions: list[Callable[[], SchemaExtension]] = [
        *limit_extensions(rules, limits),
        partial(ParserCache, maxsize=CACHE_SIZE),
        partial(ValidationCache, maxsize=CACHE_SIZE),
        partial(MaskErrors, should_mask_error=lambda error: not _expected(error)),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    if not field_suggestions:
        extensions.insert(0, NoSuggestions)  # first, so that it sees cached validation errors too
    config = StrawberryConfig(disable_field_suggestions=not field_suggestions)
    built = TrialSchema(query=Query, extensions=extensions, config=config)
    if fast:
        built.fast = FastPath(built, rules, limits.max_tokens)
    return built
