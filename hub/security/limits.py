"""Per-subject rate limit: a token bucket for each caller, in memory.

Each process keeps its own buckets, so with N workers a subject gets up to N times the
rate; the limit is there to stop a runaway script or a scraping officer account, not to
meter exactly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from hub.security.principal import Principal
from hub.security.refusals import RateLimited
from hub.settings import RATE_LIMIT_BURST, RATE_LIMIT_MAX_SUBJECTS, RATE_LIMIT_PER_MINUTE

__all__ = ["RateLimited", "RateLimiter"]

log = logging.getLogger(__name__)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(
        self,
        *,
        per_minute: float = RATE_LIMIT_PER_MINUTE,
        burst: int = RATE_LIMIT_BURST,
        max_subjects: int = RATE_LIMIT_MAX_SUBJECTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = per_minute / 60.0  # tokens per second
        self._burst = float(burst)
        self._max_subjects = max_subjects
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    @property
    def subjects_tracked(self) -> int:
        return len(self._buckets)

    def check(self, principal: Principal, operation: str) -> None:
        """Take one request from the principal's bucket, or raise `RateLimited`."""
        try:
            self._take(f"{principal.role}:{principal.subject}")
        except RateLimited:
            log.info("rate limited a %s token (%s)", principal.role, operation)
            raise

    def check_address(self, client_address: str | None) -> None:
        """The same limit for requests that carry no valid token, by client address."""
        self._take(f"address:{client_address}")

    def _take(self, key: str) -> None:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            tokens = self._burst
        else:
            tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        if tokens < 1:
            raise RateLimited((1 - tokens) / self._rate)
        self._buckets[key] = _Bucket(tokens - 1, now)
        if len(self._buckets) > self._max_subjects:
            self._forget_full_buckets(now)

    def _forget_full_buckets(self, now: float) -> None:
        """A bucket that has refilled is the same as no bucket: drop those."""
        full = [
            key
            for key, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.updated) * self._rate >= self._burst
        ]
        for key in full:
            del self._buckets[key]
