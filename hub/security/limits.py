"""Per-subject rate limit: a token bucket for each caller, in memory.

Each process keeps its own buckets, so with N workers a subject gets up to N times the
rate; the limit is there to stop a runaway script or a scraping officer account, not to
meter exactly. The rates are settings (HUB_RATE_LIMIT_*, hub/settings.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from hub.security.principal import Principal
from hub.security.refusals import RateLimited
from hub.settings import (
    RATE_LIMIT_BURST,
    RATE_LIMIT_MAX_SUBJECTS,
    RATE_LIMIT_PER_MINUTE,
    Settings,
)

__all__ = ["RateLimited", "RateLimiter"]

log = logging.getLogger(__name__)

ADDRESS_KEY = "address:"  # the key of an address's bucket: no subject's key starts so


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass(frozen=True)
class _Rate:
    per_second: float
    burst: float


class RateLimiter:
    """Buckets of `per_minute` and `burst` for subjects; for client addresses without a valid
    token, `address_per_minute` and `address_burst` (by default the same)."""

    def __init__(
        self,
        *,
        per_minute: float = RATE_LIMIT_PER_MINUTE,
        burst: int = RATE_LIMIT_BURST,
        address_per_minute: float | None = None,
        address_burst: int | None = None,
        max_subjects: int = RATE_LIMIT_MAX_SUBJECTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._subject_rate = _Rate(per_minute / 60.0, float(burst))
        self._address_rate = _Rate(
            (address_per_minute or per_minute) / 60.0,
            float(address_burst if address_burst is not None else burst),
        )
        self._max_subjects = max_subjects
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        (per_minute, burst), (by_address, address_burst) = (
            settings.subject_rate,
            settings.address_rate,
        )
        return cls(
            per_minute=per_minute,
            burst=burst,
            address_per_minute=by_address,
            address_burst=address_burst,
        )

    @property
    def subjects_tracked(self) -> int:
        return len(self._buckets)

    def check(self, principal: Principal, operation: str) -> None:
        """Take one request from the principal's bucket, or raise `RateLimited`."""
        try:
            self._take(f"{principal.role}:{principal.subject}", self._subject_rate)
        except RateLimited:
            log.info("rate limited a %s token (%s)", principal.role, operation)
            raise

    def check_address(self, client_address: str | None) -> None:
        """The same limit for requests that carry no valid token, by client address."""
        self._take(f"{ADDRESS_KEY}{client_address}", self._address_rate)

    def _take(self, key: str, rate: _Rate) -> None:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            tokens = rate.burst
        else:
            tokens = min(rate.burst, bucket.tokens + (now - bucket.updated) * rate.per_second)
        if tokens < 1:
            raise RateLimited((1 - tokens) / rate.per_second)
        self._buckets[key] = _Bucket(tokens - 1, now)
        if len(self._buckets) > self._max_subjects:
            self._forget_full_buckets(now)

    def _forget_full_buckets(self, now: float) -> None:
        """A bucket that has refilled is the same as no bucket: drop those."""
        full = []
        for key, bucket in self._buckets.items():
            rate = self._address_rate if key.startswith(ADDRESS_KEY) else self._subject_rate
            if bucket.tokens + (now - bucket.updated) * rate.per_second >= rate.burst:
                full.append(key)
        for key in full:
            del self._buckets[key]
