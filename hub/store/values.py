"""How Python values travel into the graph and back, identically for every engine.

Dates and timestamps are stored as ISO-8601 text (which sorts chronologically) and
money as canonical decimal text (exact: never a float). Both engines then hold and
return the same primitive values, and `hub.store` never needs a type per property.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def to_store(value: Any) -> Any:
    """Convert a parameter value to what every engine stores the same way."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        return {str(k): to_store(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_store(v) for v in value]
    raise TypeError(f"cannot store a value of type {type(value).__name__}")


def params_to_store(params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: to_store(v) for k, v in (params or {}).items()}
