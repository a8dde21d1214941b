"""A dataset's row model and the properties a row writes, both derived from its spec.

`row_model(spec)` is a pydantic model with one field per column of the spec
(schema/datasets.py), parsed by the column's kind (schema/fields.py), required or not as
the spec says; a connector passes a subclass of `Row` with its checks across columns as
the base. `Properties(spec)` picks the `props` a row writes on its record: the stored
columns, empty cells left out.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, create_model, model_validator

from schema.columns import Column, DatasetSpec
from schema.fields import CellKind, ColumnError, cell_annotation
from schema.limits import MAX_IDENTIFIER_CHARS, limit_of


class Row(BaseModel):
    """A validated row; fields are the dataset's columns, extra columns are ignored.

    Before any column is parsed, every cell of a column is held to its length limit
    (schema/limits.py): an over-long value rejects the row, naming the column.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    @model_validator(mode="before")
    @classmethod
    def _within_limits(cls, cells: Any) -> Any:
        if isinstance(cells, dict):
            for column, value in cells.items():
                # The shortest limit first, without a call: nearly every cell is shorter.
                if type(value) is not str or len(value) <= MAX_IDENTIFIER_CHARS:
                    continue
                if column in cls.model_fields and (problem := limit_of(column).problem(value)):
                    raise ColumnError(column, *problem)
        return cells

    if TYPE_CHECKING:
        # The fields are the spec's columns, made at run time: each one's value is typed Any.
        def __getattr__(self, name: str) -> Any: ...


def row_model(spec: DatasetSpec, base: type[Row] = Row) -> type[Row]:
    """The model of `spec`'s rows: a field per column, a party's *_type column first."""
    fields: dict[str, Any] = {}
    for column in _in_validation_order(spec):
        annotation = cell_annotation(
            column.kind,
            required=column.required,
            choice=column.choice,
            party_type=column.party_type,
        )
        fields[column.name] = (annotation, ...) if column.required else (annotation, None)
    name = "".join(part.title() for part in spec.name.replace(".", "_").split("_")) + "Row"
    return create_model(name, __base__=base, **fields)


def _in_validation_order(spec: DatasetSpec) -> list[Column]:
    """The spec's columns, each *_type column moved right before the party column it decides
    (a field is validated after the fields before it, and the party's parser reads it)."""
    deciders = {column.party_type for column in spec.columns if column.party_type}
    ordered: list[Column] = []
    for column in spec.columns:
        if column.name in deciders:
            continue
        if column.party_type is not None:
            ordered.append(spec.column(column.party_type))
        ordered.append(column)
    return ordered


# Kinds whose values the graph holds as numbers (schema/README.md, "Values"); the rest go to
# the store as parsed (money as exact Decimal, dates as date: the store writes them as text).
_GRAPH_NUMBERS: dict[CellKind, Callable[[Any], Any]] = {"percent": float, "area": float}


class Properties:
    """The `props` a row writes on its record: the spec's stored columns, in its order."""

    def __init__(self, spec: DatasetSpec) -> None:
        self._columns = tuple(
            (
                column.name,
                _GRAPH_NUMBERS.get(column.kind),
                None if column.default is None else _default(column),
            )
            for column in spec.columns
            if column.stored
        )

    def __call__(self, row: Row) -> dict[str, Any]:
        props: dict[str, Any] = {}
        for name, to_graph, default in self._columns:
            value = getattr(row, name)
            if value is None:
                value = default
                if value is None:
                    continue  # unknown: leaves what was stored before
            props[name] = value if to_graph is None else to_graph(value)
        return props


def _default(column: Column) -> Any:
    """What an empty cell of `column` means, as the parsed value would be."""
    assert column.default is not None
    return Decimal(column.default) if column.kind in _DECIMAL_KINDS else column.default


_DECIMAL_KINDS: tuple[CellKind, ...] = ("money", "percent", "area")
