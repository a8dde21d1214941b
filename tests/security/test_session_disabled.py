"""A disabled account's open console session ends at every door, not at its next renewal:
refused within HUB_SESSION_RECHECK_SECONDS when another process (`hub user disable`)
disabled it, at once when this process did (`disableUser`); each refusal audited, saying
why in Chinese and English."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.security.accounts import Accounts
from hub.security.audit import AuditEvent, AuditFilter, AuditLog
from hub.security.cookies import CSRF_COOKIE, SESSION_COOKIE
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import OFFICER, app_client, bearer, run_hub, with_test_secret

PASSWORD = "镇赉县法院-correct horse"
MY_CASES = {"query": "{ myCases { caseNumber } }"}
RECHECK = 1.0  # HUB_SESSION_RECHECK_SECONDS of these hubs
ENDED_ZH = "账户已停用，会话已结束"
ENDED_EN = f"the account {OFFICER} is disabled: its session has ended"
DISABLE = "mutation($name: String!) { disableUser(name: $name) { disabled } }"


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name), session_recheck_seconds=RECHECK)


@pytest.fixture
async def client(settings: Settings, store: GraphStore) -> AsyncIterator[httpx.AsyncClient]:
    await Accounts(store).add(OFFICER, "officer", OFFICER, None, PASSWORD)
    async with app_client(settings, store) as client:
        yield client


async def signed_in(client: httpx.AsyncClient) -> dict[str, str]:
    """Signs the officer in (the client keeps the cookies); the CSRF header to send."""
    answer = await client.post("/session", json={"name": OFFICER, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"X-CSRF-Token": client.cookies[CSRF_COOKIE]}


async def my_cases(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    answer = await client.post("/graphql", json=MY_CASES, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def newest_events(store: GraphStore, count: int) -> list[AuditEvent]:
    page = await AuditLog(store.audit_store()).events(AuditFilter(), count, None)
    return list(reversed(page.events))


def assert_ended(message: str) -> None:
    assert message == f"{ENDED_ZH} / {ENDED_EN}"


async def test_a_disable_by_another_process_ends_the_session_within_the_recheck(
    client: httpx.AsyncClient, store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    headers = await signed_in(client)
    assert await my_cases(client, headers) == {"data": {"myCases": []}}

    done = await asyncio.to_thread(run_hub, settings, "user", "disable", OFFICER, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    disabled_at = time.monotonic()
    while (answer := await my_cases(client, headers))["data"] is not None:
        assert time.monotonic() - disabled_at < RECHECK + 0.5, "still acting after the bound"
        await asyncio.sleep(0.05)

    [error] = answer["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert_ended(error["message"])
    [refused] = await newest_events(store, 1)
    assert (refused.operation, refused.outcome) == ("myCases", "DENIED")
    assert refused.reason == f"UNAUTHENTICATED: {ENDED_ZH} / {ENDED_EN}"
    renewal = await client.get("/session")  # and the console's renewal says the same
    assert renewal.status_code == 401
    assert_ended(renewal.json()["error"])


async def test_a_disable_in_this_process_ends_the_session_at_once(
    settings: Settings, store: GraphStore
) -> None:
    await Accounts(store).add(OFFICER, "officer", OFFICER, None, PASSWORD)
    slow = settings.model_copy(update={"session_recheck_seconds": 300.0})
    async with app_client(slow, store) as client:
        headers = await signed_in(client)
        assert await my_cases(client, headers) == {"data": {"myCases": []}}  # read: open

        admin = bearer("admin", "operator-1")
        disabled = await client.post(
            "/graphql", json={"query": DISABLE, "variables": {"name": OFFICER}}, headers=admin
        )
        assert disabled.json() == {"data": {"disableUser": {"disabled": True}}}

        answer = await my_cases(client, headers)
    assert answer["data"] is None
    assert_ended(answer["errors"][0]["message"])


# Each door that takes the session: what it would answer an officer's open session (a
# refusal of another kind, or data), so that only the ended session makes it 401.
DOORS = [
    ("POST", "/ingest/psb.persons", 403),
    ("GET", "/audit/export", 403),
    ("GET", "/control/requests", 403),
    ("POST", "/control/answers", 403),
    ("GET", "/console/report.pdf?case=%EF%BC%882024%EF%BC%89%E5%90%890821%E6%89%A71%E5%8F%B7", 404),
]


@pytest.mark.parametrize(("method", "path", "open_status"), DOORS)
async def test_every_door_refuses_the_ended_session_and_records_it(
    client: httpx.AsyncClient, store: GraphStore, method: str, path: str, open_status: int
) -> None:
    headers = await signed_in(client)
    if method == "POST":
        headers["Content-Type"] = "text/csv"
    assert (await client.request(method, path, headers=headers, content=b"")).status_code == (
        open_status
    )

    await Accounts(store).disable(OFFICER)  # in this process: seen at once
    answer = await client.request(method, path, headers=headers, content=b"")

    assert answer.status_code == 401, answer.text
    assert_ended(answer.json()["error"])
    events = await newest_events(store, 3)
    refused = [e for e in events if e.reason and ENDED_EN in e.reason]
    assert [e.outcome for e in refused] == ["DENIED"], events


async def test_the_session_token_sent_as_a_bearer_token_ends_too(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    await signed_in(client)
    token = client.cookies[SESSION_COOKIE]
    client.cookies.clear()
    as_bearer = {"Authorization": f"Bearer {token}"}
    assert await my_cases(client, as_bearer) == {"data": {"myCases": []}}

    await Accounts(store).disable(OFFICER)
    answer = await my_cases(client, as_bearer)

    assert_ended(answer["errors"][0]["message"])
