"""A faster way through a query: the same resolvers, without graphql-core's executor around them.

graphql-core spends several microseconds on every field it resolves (building an info object,
running extensions, checking awaitables), many times the graph work of a field. For a query
it has validated once, :class:`FastPath` keeps a plan (the fields of each selection set,
collected and merged once) and walks it calling the Strawberry resolvers directly, building
the answer as plain dicts.

Whatever the plan does not cover (directives, introspection, mutations, a resolver raising, a
null where the schema promises a value) makes it step aside: the query then runs the standard
way, which gives the errors their usual shape. So the answer is always the standard one; the
fast way only gets there sooner. Tests run queries both ways and compare the answers whole.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
    validate,
)
from graphql.error import GraphQLError
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.validation import specified_rules
from strawberry.schema.schema_converter import GraphQLCoreConverter, get_arguments

PLAN_CACHE_SIZE = 1024


class StepAside(Exception):
    """The fast path cannot give this answer; the standard path will."""


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
    # Made once per plan for its field and type: (source, variables, info) -> value, and
    # (value, variables, info) -> the value as answered.
    resolve: Callable[[Any, Any, Any], Any] | None = None
    complete: Callable[[Any, Any, Any], Any] | None = None


@dataclass(slots=True)
class _Info:
    """What resolvers read of ``info``: the request context."""

    context: Any


class FastPath:
    """Plans per query text and operation name, for one schema."""

    def __init__(self, schema: Any, validation_rules: list[Any], max_tokens: int) -> None:
        self.strawberry = schema
        self.schema: GraphQLSchema = schema._schema
        self.rules = [*specified_rules, *validation_rules]
        self.max_tokens = max_tokens
        self.plans: OrderedDict[tuple[str, str | None], Callable[..., Any] | None] = OrderedDict()

    def execute(
        self, query: str, variables: dict[str, Any] | None, context: Any, operation_name: str | None
    ) -> dict[str, Any] | None:
        """The answer's ``data``, or ``None`` when the standard path should answer."""
        key = (query, operation_name)
        plan = self.plans.get(key, ...)
        if plan is ...:
            plan = self._plan(query, operation_name)
            self.plans[key] = plan
            if len(self.plans) > PLAN_CACHE_SIZE:
                self.plans.popitem(last=False)
        else:
            self.plans.move_to_end(key)
        if plan is None:
            return None
        try:
            result: dict[str, Any] | None = plan(variables or {}, context)
        except StepAside:
            return None
        except Exception:
            return None
        return result

    # -- planning --------------------------------------------------------------------------------

    def _plan(self, query: str, operation_name: str | None) -> Callable[..., Any] | None:
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        if validate(self.schema, document, self.rules):
            return None
        operation = _operation(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY or operation.directives:
            return None
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        query_type = self.schema.query_type
        assert query_type is not None
        try:
            root = self._selections(query_type, [operation.selection_set], fragments)
        except StepAside:
            return None
        definitions = operation.variable_definitions or ()

        def run(inputs: dict[str, Any], context: Any) -> dict[str, Any]:
            coerced = get_variable_values(self.schema, definitions, inputs)
            if isinstance(coerced, list):  # variables that do not fit: the standard path says so
                raise StepAside
            info = _Info(context)
            root_value = self.strawberry.query()
            return self._object(root_value, root, coerced, info)

        return run

    def _selections(
        self,
        parent: GraphQLObjectType,
        selection_sets: list[SelectionSetNode],
        fragments: dict[str, FragmentDefinitionNode],
    ) -> list[FieldPlan]:
        """The fields of ``parent`` these selection sets ask for, merged by response key."""
        grouped: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(parent, selection_set, fragments, grouped)
        plans = []
        for key, nodes in grouped.items():
            node = nodes[0]
            name = node.name.value
            if name == "__typename":
                plans.append(FieldPlan(key, name, node, None, None, None))
                continue
            if name.startswith("__"):
                raise StepAside  # introspection: the standard path (and its switch) answers
            definition = parent.fields[name]
            plan = FieldPlan(
                key,
                name,
                node,
                definition,
                definition.extensions[GraphQLCoreConverter.DEFINITION_BACKREF],
                _constant_arguments(definition, node),
            )
            plan.resolve = self._resolver(plan)
            plan.complete = self._completer(definition.type, plan.selections)
            inner = _named(definition.type)
            children = [n.selection_set for n in nodes if n.selection_set is not None]
            if isinstance(inner, GraphQLObjectType):
                plan.selections[inner.name] = self._selections(inner, children, fragments)
            elif isinstance(inner, GraphQLInterfaceType):
                for possible in self.schema.get_possible_types(inner):
                    plan.selections[possible.name] = self._selections(possible, children, fragments)
            plans.append(plan)
        return plans

    def _collect(
        self,
        parent: GraphQLObjectType,
        selection_set: SelectionSetNode,
        fragments: dict[str, FragmentDefinitionNode],
        grouped: dict[str, list[FieldNode]],
    ) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise StepAside  # @include / @skip: left to the standard path
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                condition: Any = fragment.type_condition
                inner = fragment.selection_set
            elif isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            else:  # pragma: no cover - no other kind of selection exists
                raise StepAside
            if condition is None or self._applies(condition.name.value, parent):
                self._collect(parent, inner, fragments, grouped)

    def _applies(self, condition: str, parent: GraphQLObjectType) -> bool:
        if condition == parent.name:
            return True
        abstract = self.schema.get_type(condition)
        return isinstance(abstract, GraphQLInterfaceType) and self.schema.is_sub_type(abstract, parent)

    # -- execution -------------------------------------------------------------------------------

    def _object(self, source: Any, plans: list[FieldPlan], variables: Any, info: _Info) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        for plan in plans:
            if plan.complete is None or plan.resolve is None:  # __typename
                answer[plan.key] = type(source).__strawberry_definition__.name
                continue
            answer[plan.key] = plan.complete(plan.resolve(source, variables, info), variables, info)
        return answer

    def _resolver(self, plan: FieldPlan) -> Callable[[Any, Any, Any], Any]:
        """How the plan's field is resolved: an attribute, a resolver taking no arguments, or
        one given its arguments (from variables when they hold any) as Strawberry gives them."""
        field = plan.strawberry
        if field.base_resolver is None:
            name = field.python_name
            return lambda source, variables, info: getattr(source, name)
        function = field.base_resolver.wrapped_func
        if plan.constant_arguments == {} and not field.arguments:
            if field.base_resolver.info_parameter is None:
                return lambda source, variables, info: function(source)
            return lambda source, variables, info: function(source, info=info)

        def resolve(source: Any, variables: Any, info: Any) -> Any:
            raw = plan.constant_arguments
            if raw is None:
                raw = get_argument_values(plan.definition, plan.node, variables)  # type: ignore[arg-type]
            args, kwargs = get_arguments(
                field=field,
                source=source,
                info=info,
                kwargs=raw,
                config=self.strawberry.config,
                scalar_registry=self.strawberry.schema_converter.scalar_registry,
            )
            return function(*args, **kwargs)

        return resolve

    def _completer(self, kind: Any, selections: dict[str, list[FieldPlan]]) -> Callable[[Any, Any, Any], Any]:
        """How a value of ``kind`` is answered; ``selections`` (filled in later) for objects."""
        if isinstance(kind, GraphQLNonNull):
            inner = self._completer(kind.of_type, selections)

            def non_null(value: Any, variables: Any, info: Any) -> Any:
                if value is None:
                    raise StepAside  # a null the schema does not allow: the standard error
                return inner(value, variables, info)

            return non_null
        if isinstance(kind, GraphQLList):
            item = self._completer(kind.of_type, selections)
            return lambda value, variables, info: (
                None if value is None else [item(each, variables, info) for each in value]
            )
        if isinstance(kind, GraphQLScalarType):
            serialize = kind.serialize
            if kind.name in ("String", "ID"):  # a str is answered as it is
                return lambda value, variables, info: (
                    value if type(value) is str else None if value is None else serialize(value)
                )
            return lambda value, variables, info: None if value is None else serialize(value)
        if isinstance(kind, GraphQLEnumType):
            serialize_enum = kind.serialize
            return lambda value, variables, info: (
                None if value is None else value.name if isinstance(value, Enum) else serialize_enum(value)
            )

        def complete_object(value: Any, variables: Any, info: Any) -> Any:
            if value is None:
                return None
            concrete = type(value).__strawberry_definition__.name
            return self._object(value, selections[concrete], variables, info)

        return complete_object


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def _named(kind: Any) -> Any:
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind


def _constant_arguments(definition: GraphQLField, node: FieldNode) -> dict[str, Any] | None:
    """The field's arguments coerced once, if none of them is a variable."""
    if any(_has_variable(argument.value) for argument in node.arguments or ()):
        return None
    return get_argument_values(definition, node, None)


def _has_variable(value: Any) -> bool:
    kind = type(value).__name__
    if kind == "VariableNode":
        return True
    if kind == "ListValueNode":
        return any(_has_variable(item) for item in value.values)
    if kind == "ObjectValueNode":
        return any(_has_variable(item.value) for item in value.fields)
    return False
