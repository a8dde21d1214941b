"""What a connector declares about one dataset: its row model, its mapping, its query.

A connector module (`psb.py`, `amr.py`, ...) defines, per dataset of DATA-EXCHANGE.md:

- a row model (a pydantic `Row`): one field per column, required unless it has a default;
- a mapping from a valid row to the query's `$rows` entry (`GraphRow`: plain values);
- the parties the row refers to (`PartyRef`), which the pipeline makes sure exist, as
  unverified stubs if no identity or registry data has published them yet;
- the name of the query that writes the rows, and the spec's key for the dataset.

The pipeline does everything else (reading, rejects, batching, hashing, provenance, reports).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

from schema.departments import DepartmentKind
from schema.fields import ColumnError
from schema.identifiers import IdNumber, Party, PartyKind
from schema.limits import MAX_IDENTIFIER_CHARS, limit_of

GraphRow = dict[str, Any]


def known(**values: Any) -> dict[str, Any]:
    """The properties a row publishes, leaving out its empty cells.

    An empty cell means "value unknown": it never removes what was stored before. (Writing
    nulls would also hit a FalkorDB fault that drops the wrong properties when several are
    removed at once.)
    """
    return {name: value for name, value in values.items() if value is not None}


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


R = TypeVar("R", bound=Row)


@dataclass(frozen=True, slots=True)
class PartyRef:
    """A party a row refers to, with the name the row gives it (a stub gets that name)."""

    kind: PartyKind
    id: str
    name: str | None = None
    converted_from_15: bool = False

    @classmethod
    def of(cls, party: Party, name: str | None = None) -> PartyRef:
        return cls(party.kind, party.id, name, party.converted_from_15)

    @classmethod
    def person(cls, number: IdNumber, name: str | None = None) -> PartyRef:
        return cls("person", number.value, name, number.converted_from_15)

    @classmethod
    def enterprise(cls, uscc: str, name: str | None = None) -> PartyRef:
        return cls("enterprise", uscc, name)

    def merged(self, other: PartyRef) -> PartyRef:
        """The same party as referred to by two rows: a name from either, either's legacy flag."""
        return PartyRef(
            self.kind,
            self.id,
            self.name or other.name,
            self.converted_from_15 or other.converted_from_15,
        )

    def to_graph(self) -> GraphRow:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "converted_from_15": self.converted_from_15,
        }


@dataclass(frozen=True)
class Dataset(Generic[R]):
    """One dataset of DATA-EXCHANGE.md, as its connector declares it."""

    name: str  # "psb.persons": the owner department kind, a dot, the table
    title: str  # "户籍人口"
    model: type[R]
    to_graph: Callable[[R], GraphRow]
    query: str  # the named query that writes a batch of `to_graph` rows
    key: tuple[str, ...]  # the `to_graph` fields that identify a record (the spec's keys)
    parties: Callable[[R], Iterable[PartyRef]] = lambda row: ()

    @property
    def owner(self) -> DepartmentKind:
        kind: DepartmentKind = self.name.split(".", 1)[0]  # type: ignore[assignment]
        return kind

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(name for name, field in self.model.model_fields.items() if field.is_required())

    @property
    def optional_columns(self) -> tuple[str, ...]:
        required = set(self.required_columns)
        return tuple(name for name in self.columns if name not in required)

    def key_of(self, row: GraphRow) -> tuple[Any, ...]:
        return tuple(row[name] for name in self.key)
