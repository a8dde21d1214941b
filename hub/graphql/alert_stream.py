"""The `alerts` subscription: graphql-transport-ws on /graphql (API.md, "Alerts").

- **Connecting** authenticates the caller through the gate like any operation (`alerts`:
  officers and departments), and is audited: the token comes in `connection_init`'s
  payload as `{"Authorization": "Bearer …"}`, or in the handshake's Authorization header,
  or as the console's session cookie. A refused caller's connection is closed (4403).
- **Alerts are read from the store**, not passed around in memory: every
  `HUB_ALERT_POLL_SECONDS` one query reads the caller's alerts raised since the last look,
  so an alert raised by another hub process or by a CLI ingest arrives the same way, and a
  restart loses none. The query keeps only the alerts of cases still assigned to the officer
  and open.
- **Each delivery is re-checked**: before alerts leave, the caller is admitted through the
  gate again (the token verified again: an expired one ends the subscription with
  UNAUTHENTICATED; the role, the rate limit), and the delivery is audited, naming its
  subjects.
- **Each look is re-checked too**, so a subscription with nothing to deliver does not stay
  open past its right to: the token's expiry, and for a console session its account (the
  gate's own cached check, hub.security.account_states: a store read at most every
  `HUB_SESSION_RECHECK_SECONDS`, no record per look). An expired token or a disabled
  account ends the subscription UNAUTHENTICATED, the refusal audited DENIED once, saying
  why (`账户已停用，会话已结束 / the account NAME is disabled: its session has ended`).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

import strawberry
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types import Info

from hub.alerts import reading
from hub.control.clock import CLOCK
from hub.graphql.alerts import Alert
from hub.graphql.context import Context
from hub.security.account_states import session_account
from hub.security.gate import Subjects, Unchecked, Visit
from hub.security.refusals import Refusal, Unauthenticated
from hub.security.tokens import AuthError
from hub.settings import MAX_PAGE_SIZE

OPERATION: Final = "alerts"
DOOR: Final = "graphql"
# Alerts are stamped by the process that raises them before its write lands: each look goes
# back this far, and the alerts already sent within it are passed over.
OVERLAP: Final = timedelta(seconds=30)
MAX_CREDENTIAL_CHARS: Final = 8_192


@dataclass
class StreamContext(Context):
    """A WebSocket connection's context: what its `connection_init` carried."""

    connection_params: dict[str, Any] | None = None


def _credential(context: StreamContext) -> str | None:
    params = context.connection_params or {}
    given = params.get("Authorization", params.get("authorization"))
    if given is None:
        return None
    if not isinstance(given, str) or len(given) > MAX_CREDENTIAL_CHARS:
        raise ConnectionRejectionError(
            {"reason": "connection_init Authorization must be 'Bearer <token>'"}
        )
    return given


async def connect(context: Context) -> dict[str, object]:
    """`on_ws_connect`: admit the caller (audited), or close the connection."""
    assert isinstance(context, StreamContext)
    credential = _credential(context)
    visit = context.visit
    if credential is not None:
        visit.authorization = credential
    try:
        admission = await context.gate.admit(visit, OPERATION, Subjects(), Unchecked)
        await admission.record.close("ALLOWED", 0, "alerts subscription: connected")
    except Refusal as refusal:
        raise ConnectionRejectionError({"reason": refusal.message}) from None
    return {"role": admission.principal.role}


def _visit_again(first: Visit) -> Visit:
    """A delivery's own visit: same caller and address, its own request id and record."""
    return Visit(
        door=DOOR,
        authorization=first.authorization,
        client_address=first.client_address,
        request_id=uuid.uuid4().hex,
    )


@dataclass
class _Since:
    """Where the next look starts, and the alerts already sent that it will see again."""

    floor: datetime
    sent: dict[str, str] = field(default_factory=dict)  # alert id → its `at`

    @property
    def since(self) -> str:
        newest = max(self.sent.values(), default=self.floor.isoformat())
        start = datetime.fromisoformat(newest) - OVERLAP
        return max(start, self.floor).isoformat()

    def fresh(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = [row for row in rows if row["alert_id"] not in self.sent]
        for row in found:
            self.sent[str(row["alert_id"])] = str(row["at"])
        cut = self.since
        self.sent = {key: at for key, at in self.sent.items() if at >= cut}
        return found


async def _deliver(context: Context, first: Visit, rows: list[dict[str, Any]]) -> None:
    """Admit the caller again for this delivery and audit it, naming its subjects; a
    refusal (recorded) ends the subscription with its code."""
    admission = await context.gate.admit(_visit_again(first), OPERATION, Subjects(), Unchecked)
    subjects = tuple(dict.fromkeys(str(r["subject_id"]) for r in rows if r.get("subject_id")))
    admission.record.scope = Subjects(None, subjects)
    await admission.record.close("ALLOWED", len(rows), "alerts subscription: delivered")


async def _still_admitted(context: Context, first: Visit) -> None:
    """Between looks: the token still valid and a console session's account still open.
    Otherwise the gate admits the caller again, which records the refusal (DENIED, saying
    why) and raises it, ending the subscription."""
    try:
        await context.services.verifier.verify(first.authorization)
    except AuthError:  # expired or withdrawn
        ended = True
    else:
        account = session_account(first.authorization)
        ended = account is not None and (
            await context.gate.accounts.refusal(context.store, account) is not None
        )
    if ended:
        await context.gate.admit(_visit_again(first), OPERATION, Subjects(), Unchecked)
        raise Unauthenticated("the subscription's session has ended")  # the gate raised first


async def stream(context: Context) -> AsyncGenerator[Alert, None]:
    first = context.visit
    principal = first.principal
    if principal is None:  # strawberry runs no subscription before the connection is admitted
        raise Unauthenticated("the connection was not admitted")
    interval = context.services.settings.alert_poll_seconds
    looked = _Since(CLOCK.now())
    while True:
        await asyncio.sleep(interval)
        await _still_admitted(context, first)
        rows = await reading.alerts_since(context.store, principal, looked.since, MAX_PAGE_SIZE)
        fresh = looked.fresh(rows)
        if not fresh:
            continue
        await _deliver(context, first, fresh)
        for row in fresh:
            yield Alert.of(row)


async def resolve_alert_stream(info: Info[Context, None]) -> AsyncGenerator[Alert, None]:
    async for alert in stream(info.context):
        yield alert


@strawberry.type
class AlertsSubscription:
    alerts: AsyncGenerator[Alert, None] = strawberry.subscription(
        resolver=resolve_alert_stream,
        description="The caller's new alerts (提醒) as they are raised, by this hub or any "
        "other process: an officer's of their open cases, a department's addressed to it. "
        "graphql-transport-ws on /graphql; authenticate in connection_init's payload "
        '({"Authorization": "Bearer <token>"}) or with the console\'s session.',
    )
