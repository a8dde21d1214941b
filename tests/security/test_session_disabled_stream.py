"""The alerts subscription over a real WebSocket, signed in by the console's session cookie:
once the account is disabled, a new connection is refused (4403) and an open subscription
with nothing to deliver ends within HUB_ALERT_POLL_SECONDS + HUB_SESSION_RECHECK_SECONDS,
each refusal audited once with why, as at every other door (test_session_disabled.py)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from hub.security.accounts import Accounts
from hub.security.audit import AuditFilter, AuditLog
from hub.security.cookies import CSRF_COOKIE, SESSION_COOKIE
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import OFFICER, run_hub, with_test_secret
from tests.serving import serving

PASSWORD = "镇赉县法院-correct horse"
PROTOCOL = "graphql-transport-ws"
ENDED_ZH = "账户已停用，会话已结束"
ENDED_EN = f"the account {OFFICER} is disabled: its session has ended"
SUBSCRIBE = "subscription { alerts { id kind message } }"
POLL = 0.2  # HUB_ALERT_POLL_SECONDS of this hub
RECHECK = 1.0  # HUB_SESSION_RECHECK_SECONDS of this hub
SLACK = 0.5  # a loaded machine's delay in the hub's thread and the socket


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(
        settings_for(engine, graph_name), alert_poll_seconds=POLL, session_recheck_seconds=RECHECK
    )


@pytest.fixture
def hub_url(settings: Settings) -> Iterator[str]:
    with serving(settings) as (url, _app):
        yield url


async def session_cookie(url: str, store: GraphStore) -> str:
    """The Cookie header of the officer's console session, signed in by password."""
    await Accounts(store).add(OFFICER, "officer", OFFICER, None, PASSWORD)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        signed_in = await client.post("/session", json={"name": OFFICER, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        return "; ".join(f"{name}={client.cookies[name]}" for name in (SESSION_COOKIE, CSRF_COOKIE))


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
    cookie = await session_cookie(hub_url, store)
    assert await asyncio.to_thread(connected, hub_url, cookie) == "connection_ack"

    await Accounts(store).disable(OFFICER)  # in the hub's process: seen at once
    refused = await asyncio.to_thread(connected, hub_url, cookie)

    assert refused == "closed 4403"
    page = await AuditLog(store.audit_store()).events(AuditFilter(), 1, None)
    [record] = page.events
    assert (record.operation, record.outcome) == ("alerts", "DENIED")
    assert record.reason and ENDED_EN in record.reason


def subscribed_until_ended(
    url: str, cookie: str, disable: Callable[[], None], timeout: float
) -> tuple[list[dict[str, Any]], float]:
    """Subscribes with the session cookie, waits through a few looks with nothing to
    deliver, runs `disable`; the messages that came until the subscription completed (or
    `timeout` after `disable` passed), and how long after `disable` returned it completed."""
    socket = url.replace("http://", "ws://") + "/graphql"
    with connect(
        socket,
        subprotocols=[PROTOCOL],  # type: ignore[list-item]
        additional_headers={"Cookie": cookie},
        open_timeout=10,
    ) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        with pytest.raises(TimeoutError):  # open, nothing pending: silent
            ws.recv(timeout=3 * POLL)
        disable()
        disabled_at = time.monotonic()
        messages: list[dict[str, Any]] = []
        while not messages or messages[-1]["type"] not in ("complete", "error"):
            left = disabled_at + timeout - time.monotonic()
            try:
                messages.append(json.loads(ws.recv(timeout=max(left, 0.01))))
            except TimeoutError:
                break
        return messages, time.monotonic() - disabled_at


async def test_an_open_subscription_ends_once_another_process_disables_the_account(
    hub_url: str, store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    cookie = await session_cookie(hub_url, store)

    def disable() -> None:
        done = run_hub(settings, "user", "disable", OFFICER, cwd=tmp_path)
        assert done.returncode == 0, done.stderr

    messages, took = await asyncio.to_thread(
        subscribed_until_ended, hub_url, cookie, disable, 10 * (POLL + RECHECK)
    )

    assert [m["type"] for m in messages] == ["next", "complete"], messages
    assert took < POLL + RECHECK + SLACK, f"ended {took:.2f} s after the disable"
    [error] = messages[0]["payload"]["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"] == f"{ENDED_ZH} / {ENDED_EN}"
    await asyncio.sleep(3 * POLL)  # no record per look after the end, nor before it
    page = await AuditLog(store.audit_store()).events(AuditFilter(), 200, None)
    refused = [e for e in page.events if e.reason and ENDED_EN in e.reason]
    assert [(e.operation, e.outcome) for e in refused] == [("alerts", "DENIED")], page.events
    assert refused[0].reason == f"UNAUTHENTICATED: {ENDED_ZH} / {ENDED_EN}"
    subscription = [e.outcome for e in reversed(page.events) if e.operation == "alerts"]
    assert subscription == ["ALLOWED", "DENIED"]  # connected, ended: no record per look
