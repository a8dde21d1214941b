"""FalkorDB's compact result format (`--compact`) read into the rows every store returns.

A reply is `[header, rows, statistics]` (or just `[statistics]` for a query that returns
nothing). Each value comes as `[type, value]`; nodes and relationships name their property
keys by number, and those numbers are read from `CALL db.propertyKeys()` (`PropertyKeys`).
A node or relationship becomes the dict of its properties, a path the list of its nodes'
property dicts, as `hub.store.base.GraphStore` promises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hub.store.resp import RespError
from schema.store import Row

# The value types of the compact format (FalkorDB's resultset_replycompact.c) that the hub
# reads. The others (points, vectors, temporal values) it never stores: it keeps dates as
# ISO text (`hub.store.values`), and a query returning one fails by name.
NULL, STRING, INTEGER, BOOLEAN, DOUBLE, ARRAY, EDGE, NODE, PATH, MAP = range(1, 11)
_VERBATIM = frozenset({STRING, INTEGER})  # hiredis has made them str and int already


class UnknownPropertyKey(LookupError):
    """A node or relationship names a property key created after the keys were read."""


class ReplyError(RuntimeError):
    """The reply is not a result set this module understands; the message says why."""


class PropertyKeys:
    """Property key names by number, as `CALL db.propertyKeys()` lists them."""

    def __init__(self, names: Sequence[str] = ()) -> None:
        self.names = list(names)

    def __getitem__(self, number: int) -> str:
        if number >= len(self.names):
            raise UnknownPropertyKey(number)
        return self.names[number]


def error_of(reply: Any) -> RespError | None:
    """The error a reply carries, at its top or as its last element (a failed query)."""
    if isinstance(reply, RespError):
        return reply
    if isinstance(reply, list) and reply and isinstance(reply[-1], RespError):
        return reply[-1]
    return None


def rows_of(reply: Any, keys: PropertyKeys) -> list[Row]:
    """The rows of a compact reply, each a dict by column name."""
    if not isinstance(reply, list) or len(reply) not in (1, 3):
        raise ReplyError(f"unexpected FalkorDB reply of type {type(reply).__name__}")
    if len(reply) == 1:
        return []
    header, rows = reply[0], reply[1]
    names = [column[1] for column in header]
    return [
        dict(zip(names, [c[1] if c[0] in _VERBATIM else value(c, keys) for c in row], strict=True))
        for row in rows
    ]


def value(cell: list[Any], keys: PropertyKeys) -> Any:
    kind, raw = cell
    if kind in _VERBATIM:  # the commonest, first
        return raw
    if kind in _SIMPLE:
        return _SIMPLE[kind](raw)
    if kind == ARRAY:
        return [value(item, keys) for item in raw]
    if kind == MAP:
        return {raw[i]: value(raw[i + 1], keys) for i in range(0, len(raw), 2)}
    if kind == NODE:
        return _properties(raw[2], keys)
    if kind == EDGE:
        return _properties(raw[4], keys)
    if kind == PATH:
        return value(raw[0], keys)  # its nodes, an array (its relationships are left out)
    raise ReplyError(f"FalkorDB returned a value of type {kind}, which the hub does not read")


def _properties(props: list[list[Any]], keys: PropertyKeys) -> dict[str, Any]:
    return {keys[prop[0]]: value(prop[1:], keys) for prop in props}


def _null(raw: Any) -> None:
    return None


def _boolean(raw: Any) -> bool:
    return bool(raw == "true")


_SIMPLE: dict[int, Callable[[Any], Any]] = {NULL: _null, BOOLEAN: _boolean, DOUBLE: float}
