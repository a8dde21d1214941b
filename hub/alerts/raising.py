"""Raising alerts about control requests and measures.

A request's and an answer's alert ride in the request's own write (its create or update
query MERGEs the alert given as `$alert`); a measure's (queue advanced, lapsed) are raised
right after the write that ended a measure, in two queries. An alert's id is derived from
its kind, what it is about (`ref`: a request or measure id) and its recipient, and it is
written with MERGE on that id: raising the same event again stores nothing new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from hub.alerts.kinds import AlertKind
from hub.alerts.reading import OPEN
from hub.control.rules import MeasureState
from hub.settings import MAX_EXPIRING_PER_RUN
from hub.store import GraphStore

Row = dict[str, Any]

ACTION_NAMES = {
    "FREEZE": "冻结",
    "SEAL": "查封",
    "DEDUCT": "扣划",
    "RENEW": "续行",
    "RELEASE": "解除",
    "LOCATE": "查找",
    "WAGE_CHECK": "农民工工资核查",
}
OUTCOME_NAMES = {"DONE": "已办结", "PARTIAL": "部分办结", "NOT_DONE": "未办结", "RETURNED": "退回"}
MEASURE_NAMES = {"FREEZE": "冻结", "SEAL": "查封"}


@dataclass(frozen=True)
class Recipient:
    officer_id: str | None = None
    department: str | None = None

    @property
    def key(self) -> str:
        return f"officer:{self.officer_id}" if self.officer_id else f"department:{self.department}"


def alert_id(kind: AlertKind, ref: str, recipient: Recipient) -> str:
    """The same for the same event and recipient: what makes an alert raised once."""
    text = f"{kind.value}\n{ref}\n{recipient.key}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def alert(
    kind: AlertKind,
    recipient: Recipient,
    ref: str,
    request: Row | None,
    case_number: str,
    message: str,
    now: datetime,
) -> Row:
    """An alert's properties, for `MERGE (a:Alert {alert_id: $alert_id}) ON CREATE SET a +=
    $alert` in whichever write raises it."""
    request = request or {}
    at = now.isoformat()
    return {
        "alert_id": alert_id(kind, ref, recipient),
        "kind": kind.value,
        "officer_id": recipient.officer_id,
        "department": recipient.department,
        "case_number": case_number,
        "subject_id": request.get("subject_id"),
        "subject_name": request.get("subject_name"),
        "subject_kind": request.get("subject_kind"),
        "message": message,
        "at": at,
        "read": False,
        "ref": ref,
        "source": "hub",
        "batch_id": ref,
        "loaded_at": at,
    }


async def _raise(store: GraphStore, raised: Row) -> None:
    await store.write("alert_raise", {"alert_id": raised["alert_id"], "alert": raised})


def _what(request: Row) -> str:
    action = ACTION_NAMES.get(request.get("action") or "", request.get("action") or "")
    return f"{action}{request.get('description') or ''}"


def control_requested(request: Row, now: datetime) -> Row:
    """CONTROL_REQUESTED, for the department a new request (`request`: the parameters of
    its create) is addressed to: raised by control_request_create itself."""
    return alert(
        AlertKind.CONTROL_REQUESTED,
        Recipient(department=request["department"]),
        request["request_id"],
        request,
        request["case_number"],
        f"收到{request['case_number']}的控制请求：{_what(request)}",
        now,
    )


def control_answered(
    request: Row, officer_id: str | None, outcome: str, now: datetime
) -> Row | None:
    """CONTROL_ANSWERED, for the officer of the request's case: raised by the answer's
    control_request_update itself (None when the case has no officer)."""
    if not officer_id:
        return None
    return alert(
        AlertKind.CONTROL_ANSWERED,
        Recipient(officer_id=officer_id),
        request["request_id"],
        request,
        request["case_number"],
        f"{request.get('department_name') or request['department']}答复控制请求"
        f"（{_what(request)}）：{OUTCOME_NAMES[outcome]}",
        now,
    )


def _measure_text(measure: Row, request: Row | None) -> str:
    kind = MEASURE_NAMES.get(measure.get("kind") or "", measure.get("kind") or "")
    described = (request or {}).get("description") or measure.get("asset_key") or ""
    return f"{kind}{described}"


async def queue_advanced(store: GraphStore, asset_key: str, now: datetime) -> None:
    """QUEUE_ADVANCED, for the officer of the waiting measure that came into force on
    `asset_key` (轮候转为正式)."""
    rows = await store.read(
        "alert_measure_in_force",
        {"asset_key": asset_key, "in_force": MeasureState.IN_FORCE.value},
    )
    if not rows or not rows[0].get("officer_id"):
        return
    row = rows[0]
    measure = row["measure"]
    raised = alert(
        AlertKind.QUEUE_ADVANCED,
        Recipient(officer_id=row["officer_id"]),
        measure["measure_id"],
        row.get("request"),
        measure["case_number"],
        f"轮候的{_measure_text(measure, row.get('request'))}已生效，"
        f"至{measure.get('effective_until')}",
        now,
    )
    await _raise(store, raised)


async def control_lapsed(store: GraphStore, measure_id: str, now: datetime) -> None:
    """CONTROL_LAPSED, for the officer of the case a lapsed measure served."""
    rows = await store.read("alert_measure_context", {"measure_id": measure_id})
    if not rows or not rows[0].get("officer_id"):
        return
    row = rows[0]
    measure = row["measure"]
    raised = alert(
        AlertKind.CONTROL_LAPSED,
        Recipient(officer_id=row["officer_id"]),
        measure_id,
        row.get("request"),
        measure["case_number"],
        f"{_measure_text(measure, row.get('request'))}已于{measure.get('effective_until')}到期",
        now,
    )
    await _raise(store, raised)


async def measures_expiring(store: GraphStore, now: datetime, notice_days: int) -> int:
    """CONTROL_EXPIRING, for the officer of each measure in force that ends within
    `notice_days` (HUB_EXPIRY_NOTICE_DAYS): once per measure and end, so a renewed measure
    is noticed again before its new end. Two queries; returns the alerts looked at."""
    today = now.date()
    rows = await store.read(
        "alerts_measures_expiring",
        {
            "in_force": MeasureState.IN_FORCE.value,
            "today": today.isoformat(),
            "until": (today + timedelta(days=notice_days)).isoformat(),
            "open": OPEN,
            "limit": MAX_EXPIRING_PER_RUN,
        },
    )
    raised = []
    for row in rows:
        measure = row["measure"]
        end = measure["effective_until"]
        left = (date.fromisoformat(end) - today).days
        raised.append(
            alert(
                AlertKind.CONTROL_EXPIRING,
                Recipient(officer_id=row["officer_id"]),
                f"{measure['measure_id']}\n{end}",
                row.get("request"),
                measure["case_number"],
                f"{_measure_text(measure, row.get('request'))}将于{end}到期（还有{left}天），"
                "如需续行请在到期前申请",
                now,
            )
            | {"ref": measure["measure_id"]}
        )
    if raised:
        await store.write("alerts_raise_many", {"alerts": raised})
    return len(raised)
