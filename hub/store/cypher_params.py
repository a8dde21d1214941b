"""FalkorDB's parameter header (`CYPHER name=value … <query>`), written fast.

FalkorDB takes parameters as Cypher literals in a header before the query; its server parses
them as values, never as query text. The falkordb client writes that header by testing each
value against every type in turn, after `hub.store.values` has already walked it once; for a
file's rows the two walks cost more Python time than anything else on the write path. This
module walks once, common types first, and quotes text the way the client does (backslash
and double quote escaped; FalkorDB reads every other character as itself).

Values convert as `hub.store.values` says for every engine: dates and timestamps become
ISO-8601 text, `Decimal` canonical decimal text. What FalkorDB cannot hold is refused with
the reason instead of being changed on the way: the NUL character (its parser ends the
query there), integers outside 64 bits (it would clamp them), NaN and infinities.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from hub.store.values import to_store

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def params_header(params: Mapping[str, Any] | None) -> str:
    """The `CYPHER a=… b=… ` header for `params` (names are identifiers from our code)."""
    if not params:
        return ""
    return "CYPHER " + " ".join(f"{name}={cypher_literal(v)}" for name, v in params.items()) + " "


def cypher_literal(value: Any) -> str:
    """`value` as a Cypher literal that FalkorDB reads back as exactly `value`."""
    kind = type(value)
    if kind is str:
        return _quoted(value)
    if kind is dict:
        return "{" + ",".join([f"{_key(k)}:{cypher_literal(v)}" for k, v in value.items()]) + "}"
    if kind is list:
        return "[" + ",".join([cypher_literal(v) for v in value]) + "]"
    if value is None:
        return "null"
    return _other(value)


def _quoted(text: str) -> str:
    if "\x00" in text:
        raise ValueError("FalkorDB cannot hold text with the NUL character (U+0000)")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(key: object) -> str:
    if not isinstance(key, str) or not key or "`" in key:
        raise ValueError(f"a map key must be text without backticks, got {key!r}")
    return f"`{key}`"


def _other(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError(f"the integer {value} does not fit in 64 bits")
        return str(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be stored; only finite numbers can")
        return repr(value)
    if isinstance(value, str):
        return _quoted(value)
    return cypher_literal(to_store(value))  # dates, decimals, other containers; or TypeError
