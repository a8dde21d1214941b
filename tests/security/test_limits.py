"""The per-subject token bucket, and its rates set by the environment (HUB_RATE_LIMIT_*)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import ValidationError

from hub.security.limits import RateLimited, RateLimiter
from hub.security.principal import Principal
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import OTHER_OFFICER, app_client, bearer, with_test_secret

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


def test_memory_is_bounded_by_forgetting_full_buckets_only() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, max_subjects=3, clock=clock)
    for n in range(3):
        limiter.check(Principal(f"s{n}", "department", "psb"), "x")
    clock.now += 10  # their buckets have refilled: the same as having none
    limiter.check(officer, "x")  # a fourth bucket, over the bound: the full ones go

    assert limiter.subjects_tracked == 1
    limiter.check(officer, "x")  # the busy bucket was kept: its second token, its last
    with pytest.raises(RateLimited):
        limiter.check(officer, "x")


def test_requests_without_a_token_have_their_own_rate_by_address() -> None:
    limiter = RateLimiter(per_minute=600, burst=50, address_per_minute=60, address_burst=2)
    for _ in range(2):
        limiter.check_address("10.0.0.7")
    with pytest.raises(RateLimited) as limited:
        limiter.check_address("10.0.0.7")

    assert limited.value.retry_after == pytest.approx(1.0, abs=0.05)  # 60 a minute
    limiter.check_address("10.0.0.8")
    for _ in range(50):
        limiter.check(officer, "x")


def test_the_rates_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().subject_rate == (120, 40)
    assert Settings().address_rate == (120, 40)
    monkeypatch.setenv("HUB_RATE_LIMIT_PER_MINUTE", "3")
    assert Settings().subject_rate == (3, 3)  # the burst never lets more through than the rate
    monkeypatch.setenv("HUB_RATE_LIMIT_PER_MINUTE", "6000")
    monkeypatch.setenv("HUB_RATE_LIMIT_BURST", "500")
    monkeypatch.setenv("HUB_RATE_LIMIT_BY_ADDRESS_PER_MINUTE", "30")
    assert Settings().subject_rate == (6000, 500)
    assert Settings().address_rate == (30, 30)
    monkeypatch.setenv("HUB_RATE_LIMIT_BY_ADDRESS_BURST", "5")
    assert Settings().address_rate == (30, 5)


def test_a_rate_of_zero_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_RATE_LIMIT_PER_MINUTE", "0")
    with pytest.raises(ValidationError, match="rate_limit_per_minute"):
        Settings()


MEASURES = {"query": "{ measures { code } }"}


@pytest.mark.parametrize("per_minute", [3, 5])
async def test_the_configured_rate_refuses_the_next_request_over_http(
    monkeypatch: pytest.MonkeyPatch,
    settings_for: Callable[[str, str], Settings],
    store: GraphStore,
    engine: str,
    graph_name: str,
    per_minute: int,
) -> None:
    monkeypatch.setenv("HUB_RATE_LIMIT_PER_MINUTE", str(per_minute))
    settings = with_test_secret(settings_for(engine, graph_name))
    async with app_client(settings, store) as client:
        answers = [
            (await client.post("/graphql", json=MEASURES, headers=bearer("officer"))).json()
            for _ in range(per_minute + 1)
        ]
        colleague = await client.post(
            "/graphql", json=MEASURES, headers=bearer("officer", OTHER_OFFICER)
        )

    assert all("errors" not in answer for answer in answers[:per_minute]), answers
    assert answers[per_minute]["data"] is None
    [error] = answers[per_minute]["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["message"].startswith("too many requests: try again in ")
    # One token comes back every 60/per_minute seconds.
    assert 0 < error["extensions"]["retryAfter"] <= 60 / per_minute
    assert "errors" not in colleague.json()  # another subject, another bucket


async def test_requests_without_a_token_are_limited_by_address_over_http(
    monkeypatch: pytest.MonkeyPatch,
    settings_for: Callable[[str, str], Settings],
    store: GraphStore,
    engine: str,
    graph_name: str,
) -> None:
    monkeypatch.setenv("HUB_RATE_LIMIT_BY_ADDRESS_PER_MINUTE", "2")
    settings = with_test_secret(settings_for(engine, graph_name))
    async with app_client(settings, store) as client:
        codes = [
            (await client.post("/graphql", json=MEASURES)).json()["errors"][0]["extensions"]["code"]
            for _ in range(3)
        ]
        with_token = await client.post("/graphql", json=MEASURES, headers=bearer("officer"))

    assert codes == ["UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]
    assert "errors" not in with_token.json()  # a subject's own rate is the default 120
