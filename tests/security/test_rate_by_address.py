"""A caller without a valid token is rate-limited by its address: each address has its own
bucket, refusals say when to retry and are audited, and a valid token is limited by its
subject, not by the address it comes from. Through /graphql and /ingest of a private hub."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from hub.security.audit import AuditEvent, AuditFilter, AuditLog
from hub.security.limits import RateLimiter
from hub.settings import Settings
from hub.store.embedded import EmbeddedServer
from tests.faults import FaultyStore, PrivateApp, faulty_graph, private_app
from tests.security.support import bearer, with_test_secret

BURST = 2
MEASURES = {"query": "{ measures { code } }"}
ATTACKER, NEIGHBOUR = "10.9.0.1", "10.9.0.2"


@pytest.fixture
async def store(embedded_server: EmbeddedServer, graph_name: str) -> AsyncIterator[FaultyStore]:
    async with faulty_graph(embedded_server, graph_name) as store:
        yield store


@pytest.fixture
async def hub(
    settings_for: Callable[[str, str], Settings],
    graph_name: str,
    tmp_path: Path,
    store: FaultyStore,
) -> AsyncIterator[PrivateApp]:
    settings = with_test_secret(settings_for("falkordb", graph_name), data_dir=tmp_path)
    async with private_app(settings, store) as app:
        # One request a minute after a burst of two: nothing refills during the test.
        app.app.state.limiter = RateLimiter(per_minute=1, burst=BURST)
        yield app


async def graphql(hub: PrivateApp, address: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with hub.client(address) as client:
        return await client.post("/graphql", json=MEASURES, headers=headers)


def code_of(response: httpx.Response) -> str:
    [error] = response.json()["errors"]
    code: str = error["extensions"]["code"]
    return code


async def denied(store: FaultyStore, operation: str) -> list[AuditEvent]:
    page = await AuditLog(store.audit_store()).events(
        AuditFilter(operation=operation, outcome="DENIED"), first=50, after=None
    )
    return list(page.events)


async def test_an_address_without_a_token_is_limited_after_its_burst(
    hub: PrivateApp, store: FaultyStore
) -> None:
    first = [await graphql(hub, ATTACKER) for _ in range(BURST)]
    limited = await graphql(hub, ATTACKER)

    assert [code_of(r) for r in first] == ["UNAUTHENTICATED"] * BURST
    assert limited.status_code == 200  # a GraphQL error; only UNAVAILABLE is HTTP 503
    assert code_of(limited) == "RATE_LIMITED"
    [error] = limited.json()["errors"]
    assert error["message"] == "too many requests: try again in 60 s"
    assert error["extensions"]["retryAfter"] == pytest.approx(60, abs=2)  # a minute a request
    assert limited.json()["data"] is None
    reasons = [(e.client_address, e.reason or "") for e in await denied(store, "measures")]
    assert len(reasons) == BURST + 1
    newest_address, newest_reason = reasons[0]
    assert newest_address == ATTACKER
    assert newest_reason.startswith("RATE_LIMITED: too many requests")
    assert all(reason.startswith("UNAUTHENTICATED") for _, reason in reasons[1:])


async def test_a_bad_token_counts_against_the_address_too(hub: PrivateApp) -> None:
    answers = [await graphql(hub, ATTACKER, "not-a-token") for _ in range(BURST + 1)]

    assert [code_of(r) for r in answers] == ["UNAUTHENTICATED"] * BURST + ["RATE_LIMITED"]


async def test_each_address_has_its_own_bucket(hub: PrivateApp) -> None:
    for _ in range(BURST + 1):
        await graphql(hub, ATTACKER)

    assert code_of(await graphql(hub, NEIGHBOUR)) == "UNAUTHENTICATED"


async def test_a_valid_token_from_a_limited_address_is_limited_by_its_subject(
    hub: PrivateApp,
) -> None:
    for _ in range(BURST + 1):
        await graphql(hub, ATTACKER)
    officer = bearer("officer")["Authorization"].removeprefix("Bearer ")

    answers = [await graphql(hub, ATTACKER, officer) for _ in range(BURST + 1)]

    assert [r.status_code for r in answers[:BURST]] == [200] * BURST
    assert all("errors" not in r.json() for r in answers[:BURST]), answers[0].text
    assert code_of(answers[BURST]) == "RATE_LIMITED"  # the officer's own bucket ran out


async def test_the_ingest_door_limits_an_address_without_a_token(
    hub: PrivateApp, store: FaultyStore
) -> None:
    async with hub.client(ATTACKER) as client:
        answers = [
            await client.post(
                "/ingest/psb.persons", content=b"id_number\n", headers={"Content-Type": "text/csv"}
            )
            for _ in range(BURST + 1)
        ]

    assert [r.status_code for r in answers] == [401] * BURST + [429]
    assert answers[-1].json()["error"].startswith("too many requests: try again in")
    assert int(answers[-1].headers["Retry-After"]) >= 50
    [newest, *_] = await denied(store, "ingest")
    assert (newest.client_address, newest.dataset) == (ATTACKER, "psb.persons")
    assert (newest.reason or "").startswith("RATE_LIMITED")
