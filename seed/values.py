"""Small value helpers: weighted picks, the county's reference date, and cell formatting."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from itertools import accumulate
from typing import Final, Generic, TypeVar

from seed.terms import Term

T = TypeVar("T")

# The county's "today". Fixed rather than date.today() so that output is deterministic.
REFERENCE_DATE: Final = date(2024, 12, 31)
BALANCE_DATE: Final = date(2024, 12, 31)


class Picker(Generic[T]):
    """Weighted choice with one random() call (random.choices is several times slower)."""

    def __init__(self, weighted: Sequence[tuple[T, float]]) -> None:
        if not weighted:
            raise ValueError("a picker needs at least one item")
        self.items: tuple[T, ...] = tuple(item for item, _ in weighted)
        self._cumulative = list(accumulate(weight for _, weight in weighted))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect_right(self._cumulative, rng.random() * self._total)]


# random.randint and friends cost about half a microsecond a call, several times a single
# random(); these helpers are for the paths that run millions of times.


def below(rng: random.Random, limit: int) -> int:
    """A random int in [0, limit)."""
    return int(rng.random() * limit)


def between(rng: random.Random, low: int, high: int) -> int:
    """A random int in [low, high]."""
    return low + int(rng.random() * (high - low + 1))


def choose(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def random_date(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random date in [start, end]."""
    return date.fromordinal(between(rng, start.toordinal(), end.toordinal()))


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def hundredths(value: int) -> str:
    """A non-negative number with exactly two decimals, from hundredths: 8645 -> "86.45"."""
    return f"{value // 100}.{value % 100:02d}"


def yuan(cents: int) -> str:
    """Money in yuan with exactly two decimals, from whole fen."""
    return hundredths(cents)


def wan_yuan(hundredths: int) -> str:
    """Capital in 万元 with up to two decimals (trailing zeros dropped: "50", "12.5")."""
    whole, fraction = divmod(hundredths, 100)
    return str(whole) if fraction == 0 else f"{whole}.{fraction:02d}".rstrip("0")


def percent(millionths: int) -> str:
    """A percentage with up to four decimals, from millionths of the whole (1_000_000 = 100)."""
    whole, fraction = divmod(millionths, 10_000)
    return str(whole) if fraction == 0 else f"{whole}.{fraction:04d}".rstrip("0")


def timestamp(day: date, second_of_day: int) -> str:
    """ISO 8601 timestamp in China Standard Time."""
    hours, rest = divmod(second_of_day, 3600)
    return f"{day.isoformat()}T{hours:02d}:{rest // 60:02d}:{rest % 60:02d}+08:00"


class Styler:
    """The variation the spec allows and departments really produce.

    Now and then a date comes as YYYYMMDD or YYYY/MM/DD instead of YYYY-MM-DD, and an
    enumeration as its English code instead of its Chinese value.
    """

    def __init__(
        self, rng: random.Random, date_variation: float = 0.04, code_variation: float = 0.04
    ) -> None:
        self._rng = rng
        self._date_variation = date_variation
        self._code_variation = code_variation

    def date(self, day: date) -> str:
        roll = self._rng.random()
        if roll >= self._date_variation:
            return day.isoformat()
        if roll < self._date_variation / 2:
            return f"{day.year:04d}{day.month:02d}{day.day:02d}"
        return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"

    def term(self, term: Term) -> str:
        return term.code if self._rng.random() < self._code_variation else term.zh
