"""The per-subject token bucket."""

from __future__ import annotations

import pytest

from hub.security.limits import RateLimited, RateLimiter
from hub.security.principal import Principal

officer = Principal("fy0821-001", "officer", None)
colleague = Principal("fy0821-002", "officer", None)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_the_subject_waits_for_the_bucket_to_refill() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=5, clock=clock)

    for _ in range(5):
        limiter.check(officer, "tracePerson")
    with pytest.raises(RateLimited) as limited:
        limiter.check(officer, "tracePerson")

    assert limited.value.retry_after == pytest.approx(1.0)
    clock.now += 1.0
    limiter.check(officer, "tracePerson")


def test_each_subject_has_its_own_bucket() -> None:
    limiter = RateLimiter(per_minute=60, burst=2, clock=Clock())
    limiter.check(officer, "person")
    limiter.check(officer, "person")

    limiter.check(colleague, "person")
    with pytest.raises(RateLimited):
        limiter.check(officer, "person")


def test_an_idle_bucket_refills_only_up_to_the_burst() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    limiter.check(officer, "myCases")

    clock.now += 3600
    for _ in range(3):
        limiter.check(officer, "myCases")
    with pytest.raises(RateLimited):
        limiter.check(officer, "myCases")


def test_memory_is_bounded_by_forgetting_full_buckets() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, max_subjects=10, clock=clock)
    limiter.check(officer, "x")
    limiter.check(officer, "x")
    for n in range(10):
        limiter.check(Principal(f"s{n}", "department", "psb"), "x")
        clock.now += 10

    # Over the bound: buckets that had refilled were forgotten, a busy one was not.
    assert limiter.subjects_tracked <= 10
    limiter.check(officer, "x")  # refilled by now, forgotten or not
