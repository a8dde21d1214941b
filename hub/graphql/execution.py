"""Answers made of plain fields completed in one pass.

graphql-core completes every value the same way: for each field it builds a resolve-info
object, calls the resolver through strawberry's wrapper, then dispatches on the return
type. That costs about 8 µs a field on these machines, and a creditCheck of 1,000 subjects
answers some 7,000 values, nearly all of them attributes of the answer objects.

So when a value is to be completed as an object or a list whose selection holds only plain
fields (no resolver, no extension, no abstract type, no @defer or @stream), this completes
it in one walk: read the attribute, coerce leaves as graphql-core would, recurse. The walk
is compiled once per selection (`Completion`) and kept for the requests that follow.

Anything the walk cannot vouch for (a null where the schema says non-null, a value that
does not coerce, a missing attribute, `is_type_of` saying no) makes it give up on that
value, and graphql-core's own completion takes it; that one calls back here for each field
and item, so only the part that fails goes the long way, and answers, errors and their
paths are graphql-core's own. A value given up on has its attributes read a second time,
so this suits plain data objects, not properties with side effects.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from hub.settings import COMPLETIONS_KEPT

ResolveInfo = GraphQLResolveInfo[Any]
# Completes a value, or returns Undefined to leave it to graphql-core.
Completion = Callable[[Any, ResolveInfo], Any]
CONDITIONAL = frozenset({"skip", "include"})  # applied when the fields are collected
# Scalars whose coercion hands back a value of exactly this type unchanged: such values
# skip the call. (Int is not among them: it must also be in range.)
PASSED_AS_THEY_ARE: dict[GraphQLScalarType, type] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
}


def plain_attribute(field: GraphQLField) -> str | None:
    """The attribute a field reads, when reading it is all the field does."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or not definition.is_basic_field:
        return None
    name: str = definition.python_name
    return name


def _leaf(leaf: GraphQLLeafType) -> Completion:
    coerce = leaf.coerce_output_value

    def complete(value: Any, info: ResolveInfo) -> Any:
        if value is None:
            return None
        if isinstance(value, Exception):
            return Undefined
        try:
            coerced = coerce(value)
        except Exception:  # graphql-core's own path reports it
            return Undefined
        return Undefined if coerced is None else coerced

    return complete


def _non_null(inner: Completion) -> Completion:
    def complete(value: Any, info: ResolveInfo) -> Any:
        completed = inner(value, info)
        return Undefined if completed is None else completed

    return complete


def _list(item: Completion, exact: type | None) -> Completion:
    def complete(value: Any, info: ResolveInfo) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            return Undefined
        completed = []
        for each in value:
            if each.__class__ is not exact:
                each = item(each, info)
                if each is Undefined:
                    return Undefined
            completed.append(each)
        return completed

    return complete


# (response key, attribute or None for __typename, type passed through as is, completion)
Field = tuple[str, str | None, type | None, Completion | None]


def _object(object_type: GraphQLObjectType, fields: list[Field]) -> Completion:
    is_type_of = object_type.is_type_of
    typename = object_type.name

    def complete(value: Any, info: ResolveInfo) -> Any:
        if value is None:
            return None
        if is_type_of is not None and is_type_of(value, info) is not True:
            return Undefined
        completed = {}
        for key, attribute, exact, field in fields:
            if attribute is None or field is None:
                completed[key] = typename
                continue
            done: Any = getattr(value, attribute, Undefined)
            if done.__class__ is not exact:
                done = field(done, info)
                if done is Undefined:
                    return Undefined
            completed[key] = done
        return completed

    return complete


def _exact(return_type: GraphQLOutputType) -> type | None:
    """The Python type whose values a leaf type coerces to themselves (strings, booleans)."""
    leaf = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    return PASSED_AS_THEY_ARE.get(leaf) if isinstance(leaf, GraphQLScalarType) else None


class PlainFieldExecution(StrawberryGraphQLCoreExecutionContext):
    # Completions by the ids of a type and of the field nodes, and the values of the Boolean
    # variables (all that @skip and @include can depend on). Documents come from strawberry's
    # parser cache, so the same nodes come back request after request. An entry holds its
    # type and nodes, so that their ids are not reused while it exists.
    _known: ClassVar[dict[Hashable, tuple[object, Completion | None]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Middleware (a schema extension with a resolve hook) must see every field.
        manager = self.middleware_manager
        self._middleware = bool(manager and manager.middlewares)
        variables = self.variable_values.coerced.items()
        self._conditions = tuple(sorted((k, v) for k, v in variables if isinstance(v, bool)))

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: ResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if not self._middleware and not is_leaf_type(return_type):
            completion = self._completion(return_type, field_details_list)
            if completion is not None:
                completed = completion(result, info)
                if completed is not Undefined:
                    return completed
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _completion(
        self, return_type: GraphQLOutputType, field_details_list: FieldDetailsList
    ) -> Completion | None:
        nodes = tuple(details.node for details in field_details_list)
        key = (id(return_type), tuple(map(id, nodes)), self._conditions)
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= COMPLETIONS_KEPT:
                self._known.clear()
            known = ((return_type, nodes), self._compile(return_type, field_details_list))
            self._known[key] = known
        return known[1]

    def _compile(
        self, return_type: GraphQLOutputType, field_details_list: FieldDetailsList
    ) -> Completion | None:
        """How to complete values of this type and selection in one walk, if they can be."""
        if isinstance(return_type, GraphQLNonNull):
            inner = self._compile(return_type.of_type, field_details_list)
            return _non_null(inner) if inner else None
        if isinstance(return_type, GraphQLList):
            item_type = return_type.of_type
            item = self._compile(item_type, field_details_list)
            return _list(item, _exact(item_type)) if item else None
        if is_leaf_type(return_type):
            return _leaf(return_type)
        if isinstance(return_type, GraphQLObjectType):
            return self._compile_object(return_type, field_details_list)
        return None  # an interface or union: the concrete type is graphql-core's to find

    def _compile_object(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Completion | None:
        grouped, deferred, _ = self.collect_subfields(object_type, field_details_list)
        if deferred:
            return None
        fields: list[Field] = []
        for key, details in grouped.items():
            node = details[0].node
            if node.name.value == "__typename":
                fields.append((key, None, None, None))
                continue
            field = object_type.fields.get(node.name.value)
            attribute = plain_attribute(field) if field else None
            directives = {d.name.value for each in details for d in each.node.directives or ()}
            if field is None or attribute is None or directives - CONDITIONAL:
                return None
            completion = self._compile(field.type, details)
            if completion is None:
                return None
            fields.append((key, attribute, _exact(field.type), completion))
        return _object(object_type, fields)
