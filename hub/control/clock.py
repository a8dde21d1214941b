"""The control rules' "now": the system clock, which tests move instead of sleeping
(ARCHITECTURE.md: time-driven work is a function of "now" passed in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


class Clock:
    """UTC now, plus an offset a test may set (never set in production)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def today(self) -> date:
        return self.now().date()


CLOCK = Clock()
