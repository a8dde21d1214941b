"""A `CountyGraph` as the CSV files of `neo4j-admin database import full`, and the command.

Neo4j builds a new database from such files offline (the database stopped, or new): one
node file per label set, one relationship file per type, UTF-8 with a header naming each
column's property and type (Neo4j Operations Manual, "neo4j-admin database import"). Node
files carry an `:ID` column (the node's number in the built graph, not stored),
relationship files `:START_ID` and `:END_ID`; the command names each file's labels or type
(`--nodes=Party:Person=…`). A property column is typed by the values it holds (`string`,
`boolean`, `double`, `long`); an empty cell is no property. Constraints and indexes are
created afterwards, with the database started, by `hub db init`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.initial.graph import CountyGraph, Props

_TYPES = {bool: "boolean", float: "double", int: "long", str: "string"}


@dataclass(frozen=True)
class ImportFiles:
    directory: Path
    nodes: list[tuple[str, Path]]  # (labels, file)
    relationships: list[tuple[str, Path]]  # (type, file)

    def command(self, database: str = "neo4j") -> list[str]:
        """`neo4j-admin database import full …` for these files, as an operator runs it."""
        args = ["neo4j-admin", "database", "import", "full"]
        args += [f"--nodes={labels}={path}" for labels, path in self.nodes]
        args += [f"--relationships={rel_type}={path}" for rel_type, path in self.relationships]
        args += ["--array-delimiter=U+001F", database]
        return args


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).lower() + ".csv"


def _columns(props_list: Iterable[Props]) -> dict[str, str]:
    """Each property's column type, from the values it holds."""
    columns: dict[str, str] = {}
    for props in props_list:
        for key, value in props.items():
            if key not in columns:
                columns[key] = "string[]" if isinstance(value, list) else _TYPES[type(value)]
    return columns


ARRAY_DELIMITER = "\x1f"  # between the items of a list (run reports' ignored columns)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(_cell(item)) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _header(columns: dict[str, str]) -> list[str]:
    return [f"{key}:{kind}" if kind != "string" else key for key, kind in columns.items()]


def write_import_files(graph: CountyGraph, directory: Path) -> ImportFiles:
    directory.mkdir(parents=True, exist_ok=True)
    nodes: list[tuple[str, Path]] = []
    for labels, numbers in graph.nodes_by_labels().items():
        columns = _columns(graph.node_props(number) for number in numbers)
        path = directory / f"nodes_{_file_name(labels)}"
        rows = ([number, *_values(columns, graph.node_props(number))] for number in numbers)
        _write(path, [":ID", *_header(columns)], rows)
        nodes.append((labels, path))
    relationships: list[tuple[str, Path]] = []
    for rel_type in graph.rel_types():
        columns = _columns(props for _, _, props in graph.edges(rel_type))
        path = directory / f"relationships_{_file_name(rel_type)}"
        edges = graph.edges(rel_type)
        rows = ([start, end, *_values(columns, props)] for start, end, props in edges)
        _write(path, [":START_ID", ":END_ID", *_header(columns)], rows)
        relationships.append((rel_type, path))
    return ImportFiles(directory, nodes, relationships)


def _values(columns: dict[str, str], props: Props) -> Iterator[Any]:
    return (_cell(props.get(key)) for key in columns)


def _write(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
