"""Refuse query documents too deep or too big to answer cheaply: QUERY_TOO_COMPLEX.

Runs with GraphQL validation, before any resolver. Per operation it measures the depth of
field nesting, the number of field selections (fragments expanded where they are spread),
and the number of top-level fields (each a guarded, audited operation with its own queries).
A fragment spread counts as a selection too, so spreads alone cannot make the walk explode.
Introspection (`__schema`, `__type` and what they select) is measured apart: its depth
against MAX_INTROSPECTION_DEPTH (the IDE's own introspection query is deeper than any data
query needs to be), and its selections not at all (the schema bounds its answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

from hub.settings import (
    MAX_INTROSPECTION_DEPTH,
    MAX_QUERY_DEPTH,
    MAX_QUERY_ROOT_FIELDS,
    MAX_QUERY_SELECTIONS,
)

CODE = "QUERY_TOO_COMPLEX"


@dataclass
class _Measure:
    depth: int = 0
    introspection_depth: int = 0
    selections: int = 0
    roots: int = 0


class ComplexityRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        measure = _Measure()
        _walk(node.selection_set, fragments, 1, measure, ())
        if measure.roots > MAX_QUERY_ROOT_FIELDS:
            self._refuse(node, f"{measure.roots} top-level fields; at most {MAX_QUERY_ROOT_FIELDS}")
        elif measure.depth > MAX_QUERY_DEPTH:
            self._refuse(node, f"fields nested {measure.depth} deep; at most {MAX_QUERY_DEPTH}")
        elif measure.introspection_depth > MAX_INTROSPECTION_DEPTH:
            self._refuse(
                node,
                f"introspection nested {measure.introspection_depth} deep; "
                f"at most {MAX_INTROSPECTION_DEPTH}",
            )
        elif measure.selections > MAX_QUERY_SELECTIONS:
            self._refuse(
                node,
                f"over {MAX_QUERY_SELECTIONS} field selections; at most {MAX_QUERY_SELECTIONS}",
            )

    def _refuse(self, node: OperationDefinitionNode, why: str) -> None:
        name = node.name.value if node.name else "the operation"
        self.report_error(
            GraphQLError(f"query too complex: {name} has {why}", node, extensions={"code": CODE})
        )


def _fragment_selections(
    selection: FragmentSpreadNode | InlineFragmentNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: tuple[str, ...],
) -> tuple[SelectionSetNode | None, tuple[str, ...]]:
    if isinstance(selection, InlineFragmentNode):
        return selection.selection_set, seen
    name = selection.name.value
    fragment = fragments.get(name)
    if fragment is None or name in seen:  # unknown or cyclic: other rules report it
        return None, seen
    return fragment.selection_set, (*seen, name)


def _walk(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    depth: int,
    measure: _Measure,
    seen: tuple[str, ...],
    introspection: bool = False,
) -> None:
    for selection in selection_set.selections:
        if measure.selections > MAX_QUERY_SELECTIONS:
            return  # refused anyway; stop before fragments spread into each other explode
        if isinstance(selection, FieldNode):
            inside = introspection or selection.name.value.startswith("__")
            if inside:
                measure.introspection_depth = max(measure.introspection_depth, depth)
            else:
                measure.selections += 1
                measure.roots += depth == 1
                measure.depth = max(measure.depth, depth)
            if selection.selection_set is not None:
                _walk(selection.selection_set, fragments, depth + 1, measure, seen, inside)
            continue
        assert isinstance(selection, FragmentSpreadNode | InlineFragmentNode)
        measure.selections += 1  # a spread costs like a field, so spreads alone cannot explode
        inner, inner_seen = _fragment_selections(selection, fragments, seen)
        if inner is not None:
            _walk(inner, fragments, depth, measure, inner_seen, introspection)
