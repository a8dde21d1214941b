"""How a dataset of DATA-EXCHANGE.md is declared: its columns and what each one is.

One `DatasetSpec` per dataset (schema/datasets.py) says everything the code base needs to
know about it; the consumers derive their part from it and a test holds them to it:

- the connector's row model (connectors/rows.py): a field per column, parsed by its kind,
  required or not, held to the column's value limit; and the `props` a row writes;
- the seed generator's header and row shape (seed/datasets.py);
- the properties of the graph model (schema/model.py) that a dataset's rows write;
- the table of datasets in docs/datasets.md (`python -m schema.exchange_table`).

A column's value limit follows from its name (schema/limits.py, the rule of DATA-EXCHANGE.md),
so a new column gets the limit the spec gives it without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from schema.departments import DepartmentKind
from schema.fields import IDENTIFIER_KINDS, CellKind, Choice
from schema.limits import Limit, limit_of


@dataclass(frozen=True)
class Column:
    """One column of a dataset file."""

    name: str  # the header, as departments write it
    kind: CellKind  # how a cell is read (schema/fields.py)
    label: str  # 中文: what the column holds
    required: bool = False  # `*` in DATA-EXCHANGE.md: an empty cell rejects the row
    # Written into the graph as a property of the dataset's record (`props` of the row),
    # under the column's name. Keys and references are not: the mapping places them.
    stored: bool = True
    choice: Choice | None = None  # the enumeration of a "choice" column
    party_type: str | None = None  # the *_type column that decides a "party" column's kind
    default: str | None = None  # what an empty cell means, where the spec says (CNY, 100)
    unit: str = ""  # of a number, where it is not the obvious one (万元)
    # Listed in the spec's table (the seed generator writes it). An unlisted column is still
    # read: psb.vehicles takes owner_type by the general *_type rule.
    listed: bool = True

    def __post_init__(self) -> None:
        if self.kind in IDENTIFIER_KINDS and not self.required:
            raise ValueError(f"column {self.name}: a {self.kind} column is required")
        if (self.kind == "choice") != (self.choice is not None):
            raise ValueError(f"column {self.name}: a choice column, and only one, has a Choice")
        if (self.kind == "party") != (self.party_type is not None):
            raise ValueError(f"column {self.name}: a party column, and only one, has party_type")

    @property
    def limit(self) -> Limit:
        return limit_of(self.name)


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset: its name, owner, columns in the spec's order, and key."""

    name: str  # "psb.persons": the owner department kind, a dot, the table
    title: str  # 中文: 户籍人口
    owner: DepartmentKind
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the columns that identify a record: re-publishing one updates it
    record: str  # the node label or relationship type whose properties the row writes

    def __post_init__(self) -> None:
        if self.name.split(".", 1)[0] != self.owner:
            raise ValueError(f"{self.name}: a dataset's name starts with its owner kind")
        names = [column.name for column in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: a column appears twice")
        for column in self.columns:
            if column.party_type is not None and column.party_type not in names:
                raise ValueError(f"{self.name}: {column.name}'s {column.party_type} is missing")
        if missing := set(self.key) - set(names):
            raise ValueError(f"{self.name}: key columns {sorted(missing)} are not columns")

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def file_columns(self) -> tuple[str, ...]:
        """The header of a file of this dataset, in the spec's order (what seed writes)."""
        return tuple(column.name for column in self.columns if column.listed)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    @property
    def properties(self) -> tuple[str, ...]:
        """The properties a row writes on its `record`, in the spec's order."""
        return tuple(column.name for column in self.columns if column.stored)
