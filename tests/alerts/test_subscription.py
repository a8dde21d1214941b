"""The `alerts` subscription over a real WebSocket (graphql-transport-ws on /graphql):
authenticated when the connection opens, audited, fed from the store (so an alert raised by
a CLI ingest in another process arrives), re-checked before each delivery."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from hub.security.tokens import BUILT_IN_ALGORITHM, BUILT_IN_ISSUER
from tests.alerts.conftest import CASE_E, publish_case
from tests.control.conftest import (
    ACCOUNTS,
    CASE_A,
    OFFICER,
    OTHER_OFFICER,
    RESPONDENT,
    ControlHub,
    _csv,
)
from tests.control.helpers import account_target, answered, control_input, requested

PROTOCOL = "graphql-transport-ws"
SUBSCRIBE = "subscription { alerts { id kind caseNumber ref message subject { id } } }"
AUDIT = """
query($filter: AuditFilter) {
  auditEvents(filter: $filter, first: 200) {
    edges { node { actor operation outcome resultCount reason subjects } }
  }
}
"""


def socket_url(hub: ControlHub) -> str:
    return hub.url.replace("http://", "ws://") + "/graphql"


@pytest.fixture
def sockets() -> Iterator[contextlib.ExitStack]:
    """Closes the test's sockets after it."""
    with contextlib.ExitStack() as stack:
        yield stack


def opened(
    hub: ControlHub, sockets: contextlib.ExitStack, payload: dict[str, Any] | None = None
) -> ClientConnection:
    """A real socket on the hub's /graphql that has sent its `connection_init`."""
    ws = sockets.enter_context(
        connect(socket_url(hub), subprotocols=[PROTOCOL], open_timeout=10)  # type: ignore[list-item]
    )
    if payload is not None:
        ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    return ws


@pytest.fixture
def subscribe(alert_hub: ControlHub, sockets: contextlib.ExitStack) -> Any:
    def start(token: str) -> ClientConnection:
        ws = opened(alert_hub, sockets, {"Authorization": f"Bearer {token}"})
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        return ws

    return start


def received(ws: ClientConnection, wanted: int, timeout: float = 15) -> list[dict[str, Any]]:
    """The messages that arrive until `wanted` alerts have, or `timeout` passes."""
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len([m for m in found if m["type"] == "next"]) < wanted:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            found.append(json.loads(ws.recv(timeout=left)))
        except TimeoutError:
            break
        if found[-1]["type"] in ("complete", "error"):
            break
    return found


def alerts_in(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["payload"]["data"]["alerts"] for m in messages if m["type"] == "next"]


def audit(hub: ControlHub) -> list[dict[str, Any]]:
    result = hub.post(
        AUDIT, {"filter": {"operation": "alerts"}}, token=hub.token("auditor", "sj-001")
    )
    assert "errors" not in result, result
    return [e["node"] for e in result["data"]["auditEvents"]["edges"]]


def test_an_answer_arrives_live_to_the_cases_officer_only(
    alert_hub: ControlHub, subscribe: Any
) -> None:
    mine = subscribe(alert_hub.officer)
    theirs = subscribe(alert_hub.token("officer", OTHER_OFFICER))
    time.sleep(0.5)  # both are looking
    sent = requested(alert_hub, control_input("FREEZE", account_target("locate"), amount="10.00"))
    answered(alert_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE"})

    [alert] = alerts_in(received(mine, 1))
    assert (alert["kind"], alert["ref"], alert["caseNumber"]) == (
        "CONTROL_ANSWERED",
        sent["id"],
        CASE_A,
    )
    assert alert["subject"] == {"id": RESPONDENT}
    assert alerts_in(received(theirs, 1, timeout=2)) == []
    delivered = [
        e
        for e in audit(alert_hub)
        if e["actor"] == OFFICER and e["reason"] and "delivered" in e["reason"]
    ]
    assert any(e["resultCount"] == 1 and e["subjects"] == [RESPONDENT] for e in delivered)


def test_an_alert_raised_by_a_cli_ingest_in_another_process_arrives(
    alert_hub: ControlHub, subscribe: Any, tmp_path: Path
) -> None:
    ws = subscribe(alert_hub.officer)
    code, _, _, _, _ = ACCOUNTS["locate"]
    accounts = tmp_path / "bank.accounts.csv"
    accounts.write_text(
        _csv(
            "bank_code,account_number,holder_id,account_type,balance,balance_as_of",
            [f"{code},6222000000000951,{RESPONDENT},ordinary,10.00,2024-07-01"],
        ),
        encoding="utf-8",
    )
    settings = alert_hub.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")} | {
        "HUB_GRAPH_URI": "embedded",
        "HUB_DATA_DIR": str(settings.data_dir),
        "HUB_GRAPH_DATABASE": str(settings.graph_database),
        "HUB_DEPARTMENTS_FILE": str(settings.departments_file),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from hub.cli import app; app()",
            "ingest",
            "bank.accounts",
            str(accounts),
            "--department",
            code,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    arrived = alerts_in(received(ws, 4))  # one per open case of the officer's with 张某
    assert {(a["kind"], a["ref"]) for a in arrived} == {
        ("NEW_ASSET", f"ACCOUNT:{code}:6222000000000951")
    }
    assert CASE_A in {a["caseNumber"] for a in arrived}


def test_a_case_taken_from_the_officer_sends_no_more_alerts(
    alert_hub: ControlHub, subscribe: Any
) -> None:
    ws = subscribe(alert_hub.officer)
    publish_case(alert_hub, CASE_E, officer=OTHER_OFFICER)  # reassigned after subscribing
    code = ACCOUNTS["locate"][0]
    row = f"{code},6222000000000952,{RESPONDENT},ordinary,10.00,2024-07-01"
    alert_hub.publish(
        "bank.accounts",
        _csv("bank_code,account_number,holder_id,account_type,balance,balance_as_of", [row]),
        code,
    )
    arrived = alerts_in(received(ws, 4, timeout=5))
    cases = {a["caseNumber"] for a in arrived}
    assert CASE_A in cases and CASE_E not in cases


def test_a_credential_that_expires_ends_the_subscription_unauthenticated(
    alert_hub: ControlHub, subscribe: Any
) -> None:
    now = datetime.now(UTC)  # expired 27 s ago: still within the 30 s leeway
    claims = {
        "iss": BUILT_IN_ISSUER,
        "sub": OFFICER,
        "role": "officer",
        "iat": now,
        "exp": now - timedelta(seconds=27),
    }
    brief = jwt.encode(claims, alert_hub.secret, algorithm=BUILT_IN_ALGORITHM)
    ws = subscribe(brief)  # accepted within the 30 s leeway, refused 3 s later
    messages = received(ws, 2, timeout=10)  # the error, then complete
    [ended] = [m for m in messages if m["type"] == "next"]
    [error] = ended["payload"]["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert messages[-1]["type"] == "complete"
    refused = [e for e in audit(alert_hub) if e["outcome"] == "DENIED" and e["actor"] is None]
    assert refused, "the refusal is audited"


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        (None, "no credential"),
        ({"Authorization": "Bearer not-a-token"}, "a token the hub does not accept"),
        ({"Authorization": ["Bearer", "x"]}, "not a string"),
        ({"Authorization": "Bearer " + "A" * 9_000}, "over-long"),
    ],
)
def test_a_connection_without_a_valid_credential_is_closed(
    alert_hub: ControlHub, sockets: contextlib.ExitStack, payload: dict[str, Any] | None, why: str
) -> None:
    ws = opened(alert_hub, sockets, payload or {})
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403, why


def test_roles_without_alerts_are_refused_at_connection_and_audited(
    alert_hub: ControlHub, sockets: contextlib.ExitStack
) -> None:
    auditor = alert_hub.token("auditor", "sj-002")
    ws = opened(alert_hub, sockets, {"Authorization": f"Bearer {auditor}"})
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    assert any(e["actor"] == "sj-002" and e["outcome"] == "DENIED" for e in audit(alert_hub))


def test_a_subscription_needs_the_connection_first(
    alert_hub: ControlHub, sockets: contextlib.ExitStack
) -> None:
    ws = opened(alert_hub, sockets)
    ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
