"""Exact arithmetic on the decimal text the store holds (money, percentages): never floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final

HUNDRED: Final = Decimal(100)
CENT: Final = Decimal("0.01")
PERCENT_STEP: Final = Decimal("0.0001")


def decimal(value: object) -> Decimal | None:
    """A stored number (decimal text, or an int or float some other writer left) as a Decimal."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(value) if isinstance(value, int | str) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def percent_text(value: Decimal) -> str:
    """48.0000 → "48", 33.33335 → "33.3334": at most four decimals, no trailing zeros."""
    rounded = value.quantize(PERCENT_STEP).normalize()
    return format(rounded, "f")


def money_text(value: Decimal) -> str:
    """Yuan with two decimals: "1286540.00"."""
    return format(value.quantize(CENT), "f")
