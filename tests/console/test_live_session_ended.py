"""An officer's open page signs out by itself when the account is disabled: the page sits on
我的案件 with its live alerts subscription open and nothing to deliver; `hub user disable`
runs in another process; WITHOUT a click the hub ends the subscription (UNAUTHENTICATED,
alert_stream.py) and the page lands on the sign-in screen saying 账户已停用，会话已结束 (the
English as its title), within HUB_ALERT_POLL_SECONDS + HUB_SESSION_RECHECK_SECONDS and a
margin; it does not open the subscription again. Ended for any other reason (here by a hub
the test plays), the subscription is opened again after 5 s, then 10 s; opened again once
the account was disabled meanwhile, the hub's refusal (4403) signs the page out too."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from playwright.sync_api import Page, WebSocket, WebSocketRoute, expect

from hub.queries import load_queries
from hub.security.accounts import Accounts
from hub.settings import Settings
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from tests.conftest import drop_graph
from tests.console.browsing import PASSWORD, Visit, sign_in
from tests.security.support import run_hub
from tests.serving import serving

OFFICER = "wang.wu.live"
OTHER_OFFICER = "zhao.qi.live"  # never disabled
AWAY_OFFICER = "sun.ba.live"  # disabled while the page's socket is down
POLL = 0.2  # HUB_ALERT_POLL_SECONDS of this hub
RECHECK = 1.0  # HUB_SESSION_RECHECK_SECONDS of this hub
MARGIN = 4.0  # a loaded machine's hub, CLI's end, socket and browser
ENDED_ZH = "账户已停用，会话已结束"
ENDED_EN = f"the account {OFFICER} is disabled: its session has ended"


@dataclass(frozen=True)
class QuickHub:
    """A hub that looks for alerts every POLL and reads a session's account every RECHECK."""

    url: str
    settings: Settings


async def _prepare(server: EmbeddedServer, graph: str) -> None:
    """The graph's schema and the officer's account (no cases: nothing to deliver)."""
    assert server.address
    store = FalkorDBStore.connect(
        load_queries("falkordb"),
        graph,
        unix_socket=server.address.unix_socket,
        port=server.address.port or 0,
    )
    try:
        await apply_schema(store)
        await Accounts(store).add(OFFICER, "officer", "fy0821-live", None, PASSWORD)
        await Accounts(store).add(OTHER_OFFICER, "officer", "fy0821-live2", None, PASSWORD)
        await Accounts(store).add(AWAY_OFFICER, "officer", "fy0821-live3", None, PASSWORD)
    finally:
        await store.close()


@pytest.fixture(scope="module")
def quick_hub(data_dir: Path, embedded_server: EmbeddedServer) -> Iterator[QuickHub]:
    graph = f"live_{uuid4().hex[:10]}"
    # In a thread of its own: sync Playwright may keep an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, _prepare(embedded_server, graph)).result()
    settings = Settings(
        graph_uri="embedded",
        data_dir=data_dir,
        graph_database=graph,
        alert_poll_seconds=POLL,
        session_recheck_seconds=RECHECK,
    )
    try:
        with serving(settings) as (url, _app):
            yield QuickHub(url, settings)
    finally:
        drop_graph("falkordb", embedded_server, graph)


def test_the_open_page_lands_on_sign_in_when_the_account_is_disabled_without_a_click(
    quick_hub: QuickHub, visit: Visit, tmp_path: Path
) -> None:
    page = visit.page
    sockets: list[WebSocket] = []
    page.on("websocket", lambda socket: sockets.append(socket))
    page.goto(f"{quick_hub.url}/")
    sign_in(page, OFFICER, PASSWORD)
    expect(page.locator("[data-test=my-cases]")).to_be_visible()
    badge = page.locator("[data-test=unread-alerts]")
    expect(badge).to_have_attribute("data-live", "yes")  # the subscription is acknowledged
    page.wait_for_timeout(5 * POLL * 1000)  # a few looks with nothing to deliver
    clicks_before = len(visit.requests)

    disabled = run_hub(quick_hub.settings, "user", "disable", OFFICER, cwd=tmp_path)
    assert disabled.returncode == 0, disabled.stderr
    disabled_at = time.monotonic()

    notice = page.locator("[data-test=session-ended] .el-alert__title")
    expect(notice).to_have_text(ENDED_ZH, timeout=(POLL + RECHECK + MARGIN) * 1000)
    took = time.monotonic() - disabled_at
    expect(notice).to_have_attribute("title", ENDED_EN)
    expect(page.get_by_placeholder("用户名")).to_be_visible()
    expect(page.locator("[data-test=my-cases]")).to_have_count(0)
    # the subscription's end said it: after the disable the page asked the hub nothing but
    # the sign-in screen's own question
    asked = {urlsplit(r.url).path for r in visit.requests[clicks_before:]}
    assert asked <= {"/session/sign-in-methods"}, (asked, took)
    page.wait_for_timeout(3 * POLL * 1000)
    assert len(sockets) == 1 and sockets[0].is_closed()  # not opened again
    assert visit.problems == []


def until(page: Page, done: Callable[[], bool], seconds: float) -> None:
    """Waits in the page (its events keep arriving) until `done`, at most `seconds`."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def test_a_subscription_ended_for_another_reason_is_opened_again_after_a_growing_pause(
    quick_hub: QuickHub, visit: Visit
) -> None:
    """The hub is played by the test here: it answers the first two subscriptions with a
    refusal that is not the session's (RATE_LIMITED) and `complete`, the third not at all."""
    page = visit.page
    opened: list[float] = []

    def played_hub(ws: WebSocketRoute) -> None:
        opened.append(time.monotonic())
        nth = len(opened)

        def answer(message: str | bytes) -> None:
            kind = json.loads(message)["type"]
            if kind == "connection_init":
                ws.send(json.dumps({"type": "connection_ack"}))
            elif kind == "subscribe" and nth <= 2:
                refusal = {"message": "too many requests", "extensions": {"code": "RATE_LIMITED"}}
                ws.send(
                    json.dumps({"id": "alerts", "type": "next", "payload": {"errors": [refusal]}})
                )
                ws.send(json.dumps({"id": "alerts", "type": "complete"}))

        ws.on_message(answer)

    page.route_web_socket(re.compile(r"/graphql$"), played_hub)
    page.goto(f"{quick_hub.url}/")
    sign_in(page, OTHER_OFFICER, PASSWORD)
    expect(page.locator("[data-test=my-cases]")).to_be_visible()
    badge = page.locator("[data-test=unread-alerts]")
    until(page, lambda: len(opened) >= 1, 10.0)
    page.wait_for_timeout(1_000)
    expect(badge).to_have_attribute("data-live", "no")  # ended: not shown as connected
    until(page, lambda: len(opened) >= 3, 20.0)
    expect(badge).to_have_attribute("data-live", "yes")  # the third stays open
    assert len(opened) == 3, opened
    first_pause, second_pause = opened[1] - opened[0], opened[2] - opened[1]
    assert 5.0 <= first_pause < 7.0, opened
    assert 10.0 <= second_pause < 12.0, opened
    expect(page.locator("[data-test=my-cases]")).to_be_visible()  # still signed in
    assert page.locator("[data-test=session-ended]").count() == 0
    assert visit.problems == []


def test_a_socket_refused_after_a_drop_signs_out_when_the_account_was_disabled_meanwhile(
    quick_hub: QuickHub, visit: Visit, tmp_path: Path
) -> None:
    """The first socket is played by the test (acknowledged, then dropped after the disable);
    the page's next one reaches the hub, which refuses it (4403)."""
    page = visit.page
    opened: list[WebSocketRoute] = []

    def first_played_then_the_hub(ws: WebSocketRoute) -> None:
        opened.append(ws)
        if len(opened) > 1:
            ws.connect_to_server()
            return

        def answer(message: str | bytes) -> None:
            if json.loads(message)["type"] == "connection_init":
                ws.send(json.dumps({"type": "connection_ack"}))

        ws.on_message(answer)

    page.route_web_socket(re.compile(r"/graphql$"), first_played_then_the_hub)
    page.goto(f"{quick_hub.url}/")
    sign_in(page, AWAY_OFFICER, PASSWORD)
    badge = page.locator("[data-test=unread-alerts]")
    expect(badge).to_have_attribute("data-live", "yes")
    disabled = run_hub(quick_hub.settings, "user", "disable", AWAY_OFFICER, cwd=tmp_path)
    assert disabled.returncode == 0, disabled.stderr
    opened[0].close(code=1001, reason="going away")

    notice = page.locator("[data-test=session-ended] .el-alert__title")
    expect(notice).to_have_text(ENDED_ZH, timeout=(5.0 + RECHECK + MARGIN) * 1000)
    english = f"the account {AWAY_OFFICER} is disabled: its session has ended"
    expect(notice).to_have_attribute("title", english)
    expect(page.get_by_placeholder("用户名")).to_be_visible()
    assert len(opened) == 2, opened
    assert visit.problems == []
