"""Plain fields executed at less cost each.

graphql-core runs every field the same way: it builds a resolve-info object, calls the
field's resolver through strawberry's wrapper and then dispatches on the return type. That
costs about 8 µs a field on these machines, and a creditCheck of 1,000 subjects answers
some 6,000 fields, nearly all of them attributes of the answer object read straight into a
scalar or enum. For such a field (no resolver and no extension of ours, a leaf type) this
reads the attribute and coerces it the way graphql-core would. Every other field, and every
attribute that is null or fails to coerce, takes graphql-core's own path, so answers,
errors and their paths are the same.
"""

from __future__ import annotations

from typing import Any, ClassVar

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

PlainLeaf = tuple[str, GraphQLLeafType]


def plain_leaf(field: GraphQLField) -> PlainLeaf | None:
    """The attribute name and leaf type of a field that merely reads an attribute."""
    if not getattr(field.resolve, "_is_default", False):  # strawberry marks basic fields so
        return None
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if definition is None or not is_leaf_type(leaf):
        return None
    return definition.python_name, leaf


class PlainFieldExecution(StrawberryGraphQLCoreExecutionContext):
    # What each field of the schema is, by id(); the entry holds the field itself, so its id
    # cannot be reused by another object while the entry exists.
    _plain: ClassVar[dict[int, tuple[GraphQLField, PlainLeaf | None]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Middleware (a schema extension with a resolve hook) must see every field.
        manager = self.middleware_manager
        self._middleware = bool(manager and manager.middlewares)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        field = parent_type.fields.get(field_details_list[0].node.name.value)
        if field is not None and not self._middleware:
            coerced = self._plain_value(field, source)
            if coerced is not Undefined:
                return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _plain_value(self, field: GraphQLField, source: Any) -> Any:
        """The field's value, coerced, when it is a plain leaf whose value is there and
        coerces; otherwise Undefined, and graphql-core's own path takes the field."""
        known = self._plain.get(id(field))
        plain = known[1] if known else self._remember(field)
        if plain is None:
            return Undefined
        name, leaf = plain
        value = getattr(source, name, None)
        if value is None:
            return Undefined
        try:
            coerced = leaf.coerce_output_value(value)
        except Exception:  # graphql-core's own path reports it
            return Undefined
        return Undefined if coerced is None else coerced

    @classmethod
    def _remember(cls, field: GraphQLField) -> PlainLeaf | None:
        plain = plain_leaf(field)
        cls._plain[id(field)] = (field, plain)
        return plain
