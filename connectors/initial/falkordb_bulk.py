"""A `CountyGraph` as FalkorDB `GRAPH.BULK` commands (the endpoint its bulk loader uses).

    GRAPH.BULK <graph> [BEGIN] <nodes> <edges> <node blobs> <edge blobs> <blob> …

Each blob describes nodes of one label set, or edges of one type: a header (the labels
joined by ':', NUL-terminated; a 4-byte property count; the property names, each
NUL-terminated), then per entity (edges: 8-byte start and end node ids first) one value
per property: a type byte (0 null: no property, 1 bool, 2 double, 3 NUL-terminated UTF-8
string, 4 int64, 5 array: an int64 length and its values) and its bytes. Numbers are
little-endian, as the server reads them (src/bulk_insert/bulk_insert.c of FalkorDB;
falkordb-bulk-loader's entity_file.py).

The server gives nodes ids in the order it creates them, from 0 in a new graph: nodes are
sent first, a blob per label set and set of property keys (so no value is missing), and
edges name their ends by those ids. Only the
first command says BEGIN, which the server refuses when the graph's key exists.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from connectors.initial.graph import PROVENANCE, PROVENANCE_KEYS, CountyGraph

MAX_COMMAND_BYTES = 64 * 2**20  # Redis takes 512 MB a blob and 1 GB a command; this is plenty

_NULL = b"\x00"
_TRUE, _FALSE = struct.pack("<B?", 1, True), struct.pack("<B?", 1, False)
_DOUBLE = struct.Struct("<Bd")
_LONG = struct.Struct("<Bq")
_ENDS = struct.Struct("<QQ")


@dataclass
class BulkCommand:
    """The arguments after `GRAPH.BULK <graph>`."""

    begin: bool
    nodes: int = 0
    edges: int = 0
    node_blobs: list[bytes] = field(default_factory=list)
    edge_blobs: list[bytes] = field(default_factory=list)

    def args(self) -> list[bytes | str | int]:
        head: list[bytes | str | int] = ["BEGIN"] if self.begin else []
        counts = [self.nodes, self.edges, len(self.node_blobs), len(self.edge_blobs)]
        return [*head, *counts, *self.node_blobs, *self.edge_blobs]

    @property
    def size(self) -> int:
        return sum(map(len, self.node_blobs)) + sum(map(len, self.edge_blobs))


def encode_value(value: Any) -> bytes:
    if value is None:
        return _NULL
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    if type(value) is str:
        return b"\x03" + value.encode() + _NULL
    if type(value) is float:
        return _DOUBLE.pack(2, value)
    if type(value) is int:
        return _LONG.pack(4, value)
    if type(value) is list:
        return _LONG.pack(5, len(value)) + b"".join(map(encode_value, value))
    raise TypeError(f"cannot bulk-load a value of type {type(value).__name__}")


def _header(name: str, keys: tuple[str, ...]) -> bytes:
    names = [key for raw in keys for key in (PROVENANCE_KEYS if raw == PROVENANCE else (raw,))]
    encoded = b"".join(key.encode() + _NULL for key in names)
    return name.encode() + _NULL + struct.pack("<I", len(names)) + encoded


class _Encoder:
    """An element's values as bytes, in the order of its blob's keys (provenance, kept as one
    property, as its three). The values repeated on most elements are encoded once each."""

    def __init__(self) -> None:
        self._repeated: dict[Any, bytes] = {}  # by value: str, bool or None only
        self._runs: dict[Any, bytes] = {}  # provenance, by run

    def entity(self, keys: tuple[str, ...], values: tuple[Any, ...]) -> bytes:
        parts = []
        repeated, runs = self._repeated, self._runs
        for key, value in zip(keys, values, strict=True):
            if key == PROVENANCE:
                encoded = runs.get(value)
                if encoded is None:
                    encoded = runs[value] = b"".join(map(encode_value, value))
            elif key in _REPEATED:
                encoded = repeated.get(value)
                if encoded is None:
                    encoded = repeated[value] = encode_value(value)
            elif type(value) is str:
                encoded = b"\x03" + value.encode() + _NULL
            else:
                encoded = encode_value(value)
            parts.append(encoded)
        return b"".join(parts)


# Properties whose few values repeat on most elements: encoded once each.
_REPEATED = frozenset({"verified", "converted_from_15", "relation", "role", "title", "status"})


class _Commands:
    """Blobs gathered into commands of at most `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.done: list[BulkCommand] = []
        self.current = BulkCommand(begin=True)

    def add(self, blob: bytes, count: int, *, edges: bool) -> None:
        if self.current.size + len(blob) > self.limit and self.current.size:
            self.done.append(self.current)
            self.current = BulkCommand(begin=False)
        if edges:
            self.current.edges += count
            self.current.edge_blobs.append(blob)
        else:
            self.current.nodes += count
            self.current.node_blobs.append(blob)

    def flush(self) -> Iterator[BulkCommand]:
        yield from self.done
        self.done = []


def _node_groups(graph: CountyGraph) -> dict[tuple[str, tuple[str, ...]], array[int]]:
    """Node numbers by labels and property keys: one blob header each, no value missing."""
    groups: dict[tuple[str, tuple[str, ...]], array[int]] = {}
    for number, node in enumerate(graph.nodes):
        keys = node.packed[0] if node.packed is not None else tuple(node.props)
        group = groups.get((node.labels, keys))
        if group is None:
            group = groups[(node.labels, keys)] = array("q")
        group.append(number)
    return groups


def _values(graph: CountyGraph, number: int) -> tuple[Any, ...]:
    node = graph.nodes[number]
    return node.packed[1] if node.packed is not None else tuple(node.props.values())


def _edge_groups(
    graph: CountyGraph, rel_type: str
) -> dict[tuple[str, ...], list[tuple[int, int, tuple[Any, ...]]]]:
    groups: dict[tuple[str, ...], list[tuple[int, int, tuple[Any, ...]]]] = {}
    sealed = graph.sealed.get(rel_type)
    if sealed is not None:
        for start, end, (keys, values) in zip(
            sealed.starts, sealed.ends, sealed.values, strict=True
        ):
            groups.setdefault(keys, []).append((start, end, values))
    for key, props in graph.relationships.get(rel_type, {}).items():
        groups.setdefault(tuple(props), []).append((key[0], key[1], tuple(props.values())))
    return groups


def bulk_commands(graph: CountyGraph, limit: int = MAX_COMMAND_BYTES) -> Iterator[BulkCommand]:
    """The commands that create `graph` in a new FalkorDB graph, in order."""
    encoder, commands = _Encoder(), _Commands(limit)
    ids = array("q", bytes(8 * len(graph.nodes)))  # node number -> the server's id
    next_id = 0
    for (labels, keys), numbers in _node_groups(graph).items():
        header = _header(labels, keys)
        blob, count, size = [header], 0, len(header)
        for number in numbers:
            ids[number] = next_id
            next_id += 1
            entity = encoder.entity(keys, _values(graph, number))
            if size + len(entity) > limit // 2 and count:
                commands.add(b"".join(blob), count, edges=False)
                yield from commands.flush()
                blob, count, size = [header], 0, len(header)
            blob.append(entity)
            size += len(entity)
            count += 1
        commands.add(b"".join(blob), count, edges=False)
        yield from commands.flush()
    for rel_type in graph.rel_types():
        for keys, edges in _edge_groups(graph, rel_type).items():
            header = _header(rel_type, keys)
            blob, count, size = [header], 0, len(header)
            for start, end, values in edges:
                entity = _ENDS.pack(ids[start], ids[end]) + encoder.entity(keys, values)
                if size + len(entity) > limit // 2 and count:
                    commands.add(b"".join(blob), count, edges=True)
                    yield from commands.flush()
                    blob, count, size = [header], 0, len(header)
                blob.append(entity)
                size += len(entity)
                count += 1
            if count:
                commands.add(b"".join(blob), count, edges=True)
                yield from commands.flush()
    if commands.current.nodes or commands.current.edges:
        yield commands.current
