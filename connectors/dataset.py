"""What a connector declares about one dataset: its mapping, its parties, its query.

The dataset's spec (schema/datasets.py) gives its columns; from it come the row model (a
pydantic `Row`: a field per column) and the `props` a row writes (connectors/rows.py). A
connector module (`psb.py`, `amr.py`, ...) adds, per dataset of DATA-EXCHANGE.md:

- the mapping from a valid row and its `props` to the query's `$rows` entry (`GraphRow`:
  plain values): the keys and references the query places itself;
- the parties the row refers to (`PartyRef`), which the pipeline makes sure exist, as
  unverified stubs if no identity or registry data has published them yet;
- checks across columns, if any: a `Row` subclass with a `model_validator`;
- the name of the query that writes the rows, and the fields of its key.

The pipeline does everything else (reading, rejects, batching, hashing, provenance, reports).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from connectors.rows import Properties, Row, row_model
from schema.columns import DatasetSpec
from schema.departments import DepartmentKind
from schema.identifiers import IdNumber, Party, PartyKind

GraphRow = dict[str, Any]
Props = dict[str, Any]


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


def no_parties(row: Row) -> Iterable[PartyRef]:
    return ()


@dataclass(frozen=True)
class Dataset:
    """One dataset of DATA-EXCHANGE.md, as its connector declares it."""

    spec: DatasetSpec
    mapping: Callable[[Row, Props], GraphRow]  # a valid row and its props -> `$rows` entry
    query: str  # the named query that writes a batch of mapped rows
    key: tuple[str, ...]  # the mapped fields that identify a record (the spec's keys)
    parties: Callable[[Row], Iterable[PartyRef]] = no_parties
    checks: type[Row] = Row  # the row model's base: checks across columns
    model: type[Row] = field(init=False)
    props: Properties = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "model", row_model(self.spec, self.checks))
        object.__setattr__(self, "props", Properties(self.spec))

    def to_graph(self, row: Row) -> GraphRow:
        return self.mapping(row, self.props(row))

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def owner(self) -> DepartmentKind:
        return self.spec.owner

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
