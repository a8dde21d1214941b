"""The alerts subscription over a real WebSocket, signed in by the console's session cookie:
once the account is disabled, a new connection is refused (4403) and the refusal audited
with why, as at every other door (test_session_disabled.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from hub.security.accounts import Accounts
from hub.security.audit import AuditFilter, AuditLog
from hub.security.cookies import CSRF_COOKIE, SESSION_COOKIE
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import OFFICER, with_test_secret
from tests.serving import serving

PASSWORD = "镇赉县法院-correct horse"
PROTOCOL = "graphql-transport-ws"
ENDED_EN = f"the account {OFFICER} is disabled: its session has ended"


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name))


@pytest.fixture
def hub_url(settings: Settings) -> Iterator[str]:
    with serving(settings) as (url, _app):
        yield url


def connected(url: str, cookie: str) -> str:
    """Opens the subscription's socket with the session cookie and sends connection_init;
    the answer's type, or how the hub closed the socket."""
    socket = url.replace("http://", "ws://") + "/graphql"
    with connect(
        socket,
        subprotocols=[PROTOCOL],  # type: ignore[list-item]
        additional_headers={"Cookie": cookie},
        open_timeout=10,
    ) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        try:
            kind: str = json.loads(ws.recv(timeout=10))["type"]
            return kind
        except ConnectionClosed as closed:
            return f"closed {closed.rcvd.code if closed.rcvd else None}"


async def test_a_disabled_accounts_session_cannot_open_the_subscription(
    hub_url: str, store: GraphStore
) -> None:
    await Accounts(store).add(OFFICER, "officer", OFFICER, None, PASSWORD)
    async with httpx.AsyncClient(base_url=hub_url, timeout=60) as client:
        signed_in = await client.post("/session", json={"name": OFFICER, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        cookie = "; ".join(
            f"{name}={client.cookies[name]}" for name in (SESSION_COOKIE, CSRF_COOKIE)
        )
    assert await asyncio.to_thread(connected, hub_url, cookie) == "connection_ack"

    await Accounts(store).disable(OFFICER)  # in the hub's process: seen at once
    refused = await asyncio.to_thread(connected, hub_url, cookie)

    assert refused == "closed 4403"
    page = await AuditLog(store.audit_store()).events(AuditFilter(), 1, None)
    [record] = page.events
    assert (record.operation, record.outcome) == ("alerts", "DENIED")
    assert record.reason and ENDED_EN in record.reason
