"""Helpers for connector tests: valid identifiers, files, and a graph snapshot to compare."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hub.store import GraphStore
from schema.identifiers import make_id_number, make_uscc

PROVENANCE = frozenset({"source", "batch_id", "loaded_at"})
NODE_KEYS = (
    "party_id",
    "vin",
    "cert_number",
    "key",
    "code",
    "number",
    "text",
    "case_number",
    "run_id",
)


def csv_text(*lines: str) -> str:
    """A CSV file's content from its lines (header first)."""
    return "\n".join(lines) + "\n"


def write_file(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file the hub wrote (UTF-8 with a BOM, for Excel)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def person_id(n: int, gender: str = "M") -> str:
    """A valid 18-character id_number, distinct for each n below 36,500."""
    return make_id_number("220821", date(1960, 1, 1) + timedelta(days=n), 7, gender)


def enterprise_id(n: int) -> str:
    return make_uscc("220821", 1000 + n)


def key_of(props: dict[str, Any]) -> str:
    return next(str(props[key]) for key in NODE_KEYS if key in props)


@dataclass
class Graph:
    """Nodes by key and relationships as (type, start key, end key, properties)."""

    nodes: dict[str, tuple[frozenset[str], dict[str, Any]]] = field(default_factory=dict)
    relationships: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)

    def props(self, key: str) -> dict[str, Any]:
        return self.nodes[key][1]

    def labels(self, key: str) -> frozenset[str]:
        return self.nodes[key][0]

    def with_label(self, label: str) -> dict[str, dict[str, Any]]:
        return {key: props for key, (labels, props) in self.nodes.items() if label in labels}

    def edges(self, rel_type: str) -> list[tuple[str, str, dict[str, Any]]]:
        return [(a, b, p) for t, a, b, p in self.relationships if t == rel_type]

    def comparable(self) -> tuple[dict[str, Any], list[Any]]:
        """Without provenance, so graphs loaded by different runs compare equal."""
        nodes = {
            key: (sorted(labels), _without_provenance(props))
            for key, (labels, props) in self.nodes.items()
        }
        rels = sorted(
            (t, a, b, sorted(_without_provenance(p).items())) for t, a, b, p in self.relationships
        )
        return nodes, rels


def _without_provenance(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in PROVENANCE}


async def snapshot(store: GraphStore) -> Graph:
    """The whole graph except connector run reports."""
    graph = Graph()
    for row in await store.read("test_nodes"):
        if "ConnectorRun" not in row["labels"]:
            props = dict(row["props"])
            graph.nodes[key_of(props)] = (frozenset(row["labels"]), props)
    for row in await store.read("test_relationships"):
        graph.relationships.append((row["type"], row["start"], row["end"], dict(row["props"])))
    return graph
