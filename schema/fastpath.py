"""A faster way through a query: the same resolvers, without graphql-core's executor around them.

graphql-core spends several microseconds on every field it resolves (building an info object,
running extensions, checking awaitables), many times the graph work of a field. For a query
it has validated once, :class:`FastPath` keeps a plan (the fields of each selection set,
collected and merged once, :mod:`schema.fieldplan`), each selection set compiled to one Python
function that calls the Strawberry resolvers directly and builds its answer as a plain dict.

Whatever the plan does not cover (directives, introspection, mutations, a resolver raising, a
null where the schema promises a value) makes it step aside: the query then runs the standard
way, which gives the errors their usual shape. So the answer is always the standard one; the
fast way only gets there sooner. Tests run queries both ways and compare the answers whole.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
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
    get_named_type,
    get_nullable_type,
    parse,
    validate,
)
from graphql.error import GraphQLError
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.validation import specified_rules
from strawberry.schema.schema_converter import GraphQLCoreConverter, get_arguments
from strawberry.types.arguments import convert_arguments

from schema.fieldplan import FieldPlan, compiled_answer

PLAN_CACHE_SIZE = 1024
_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


class StepAside(Exception):
    """The fast path cannot give this answer; the standard path will."""


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
            return answer(self.strawberry.query(), coerced, _Info(context))

        answer = compiled_answer(query_type.name, root)
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
            plan.read = self._reading(plan)
            plan.complete = self._completer(definition.type, plan.selections)
            inner = get_named_type(definition.type)
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

    def _reading(self, plan: FieldPlan) -> tuple[str, Any]:
        """How the plan's field is read (see :class:`FieldPlan`): an attribute, a method given
        the source (and info, or arguments coerced once, which cannot change between calls), or
        a resolver given its arguments (from the variables when they hold any) as Strawberry
        gives them."""
        field = plan.strawberry
        if field.base_resolver is None:
            return "attribute", field.python_name
        resolver = field.base_resolver
        function = resolver.wrapped_func
        config, scalars = self.strawberry.config, self.strawberry.schema_converter.scalar_registry
        constant = plan.constant_arguments
        info = resolver.info_parameter
        if (
            constant is not None
            and all(type(value) in _IMMUTABLE or isinstance(value, Enum) for value in constant.values())
            and resolver.self_parameter is not None
            and resolver.parent_parameter is None
            and resolver.root_parameter is None
            and (info is None or info.name == "info")
            and not field.extensions
        ):
            method = "method" if info is None else "method_info"
            if not field.arguments:
                return method, function
            return f"{method}_arguments", (
                function,
                convert_arguments(constant, field.arguments, scalars, config),
            )

        def resolve(source: Any, variables: Any, info: Any) -> Any:
            raw = plan.constant_arguments
            if raw is None:
                raw = get_argument_values(plan.definition, plan.node, variables)  # type: ignore[arg-type]
            args, kwargs = get_arguments(
                field=field, source=source, info=info, kwargs=raw, config=config, scalar_registry=scalars
            )
            return function(*args, **kwargs)

        return "call", resolve

    def _completer(
        self, kind: Any, selections: dict[str, list[FieldPlan]], nullable: bool = True
    ) -> Callable[[Any, Any, Any], Any]:
        """How a value of ``kind`` is answered; ``selections`` (filled in later) for objects.
        A null where ``kind`` is non-null makes the fast path step aside (the standard path
        gives the error)."""
        if isinstance(kind, GraphQLNonNull):
            return self._completer(kind.of_type, selections, nullable=False)
        if isinstance(kind, GraphQLList):
            items_nullable = not isinstance(kind.of_type, GraphQLNonNull)
            item = self._completer(get_nullable_type(kind.of_type), selections)  # a null item answers null

            def complete_list(value: Any, variables: Any, info: Any) -> Any:
                if value is None:
                    return _null(nullable)
                answered = [item(each, variables, info) for each in value]
                if not items_nullable and None in answered:
                    raise StepAside
                return answered

            return complete_list
        if isinstance(kind, GraphQLScalarType):
            serialize = kind.serialize
            if kind.name in ("String", "ID"):  # a str is answered as it is
                return lambda value, variables, info: (
                    value if type(value) is str else _null(nullable) if value is None else serialize(value)
                )
            return lambda value, variables, info: _null(nullable) if value is None else serialize(value)
        if isinstance(kind, GraphQLEnumType):
            serialize_enum = kind.serialize
            return lambda value, variables, info: (
                _null(nullable)
                if value is None
                else value.name
                if isinstance(value, Enum)
                else serialize_enum(value)
            )

        answers: dict[type, Callable[[Any, Any, Any], dict[str, Any]]] = {}  # by the value's class

        def complete_object(value: Any, variables: Any, info: Any) -> Any:
            if value is None:
                return _null(nullable)
            answer = answers.get(type(value))
            if answer is None:  # the first of its class: compiled once (selections are complete by now)
                concrete = type(value).__strawberry_definition__.name
                answer = answers[type(value)] = compiled_answer(concrete, selections[concrete])
            return answer(value, variables, info)

        return complete_object


def _null(nullable: bool) -> None:
    """A null's answer: null where the type allows one; else the standard path gives the error."""
    if nullable:
        return None
    raise StepAside


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


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
