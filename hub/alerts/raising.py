"""Raising alerts about control requests and measures, right after the write they follow.

An alert's id is derived from its kind, what it is about (`ref`: a request or measure id)
and its recipient, and it is written with MERGE on that id: raising the same event again
(a second expiry run, an answer file sent twice) stores nothing new. Each function runs at
most two queries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.alerts.kinds import AlertKind
from hub.control.rules import MeasureState
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


async def _raise(
    store: GraphStore,
    kind: AlertKind,
    recipient: Recipient,
    ref: str,
    request: Row | None,
    case_number: str,
    message: str,
    now: datetime,
) -> None:
    request = request or {}
    await store.write(
        "alert_raise",
        {
            "alert_id": alert_id(kind, ref, recipient),
            "kind": kind.value,
            "officer_id": recipient.officer_id,
            "department": recipient.department,
            "case_number": case_number,
            "subject_id": request.get("subject_id"),
            "subject_name": request.get("subject_name"),
            "subject_kind": request.get("subject_kind"),
            "message": message,
            "at": now.isoformat(),
            "ref": ref,
        },
    )


def _what(request: Row) -> str:
    action = ACTION_NAMES.get(request.get("action") or "", request.get("action") or "")
    return f"{action}{request.get('description') or ''}"


async def control_requested(store: GraphStore, request: Row, now: datetime) -> None:
    """CONTROL_REQUESTED, for the department a new request is addressed to."""
    await _raise(
        store,
        AlertKind.CONTROL_REQUESTED,
        Recipient(department=request["department"]),
        request["request_id"],
        request,
        request["case_number"],
        f"收到{request['case_number']}的控制请求：{_what(request)}",
        now,
    )


async def control_answered(
    store: GraphStore, request: Row, officer_id: str | None, now: datetime
) -> None:
    """CONTROL_ANSWERED, for the officer of the request's case."""
    if not officer_id:
        return
    outcome = OUTCOME_NAMES.get(request.get("status") or "", request.get("status") or "")
    await _raise(
        store,
        AlertKind.CONTROL_ANSWERED,
        Recipient(officer_id=officer_id),
        request["request_id"],
        request,
        request["case_number"],
        f"{request['department']}答复控制请求（{_what(request)}）：{outcome}",
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
    await _raise(
        store,
        AlertKind.QUEUE_ADVANCED,
        Recipient(officer_id=row["officer_id"]),
        measure["measure_id"],
        row.get("request"),
        measure["case_number"],
        f"轮候的{_measure_text(measure, row.get('request'))}已生效，"
        f"至{measure.get('effective_until')}",
        now,
    )


async def control_lapsed(store: GraphStore, measure_id: str, now: datetime) -> None:
    """CONTROL_LAPSED, for the officer of the case a lapsed measure served."""
    rows = await store.read("alert_measure_context", {"measure_id": measure_id})
    if not rows or not rows[0].get("officer_id"):
        return
    row = rows[0]
    measure = row["measure"]
    await _raise(
        store,
        AlertKind.CONTROL_LAPSED,
        Recipient(officer_id=row["officer_id"]),
        measure_id,
        row.get("request"),
        measure["case_number"],
        f"{_measure_text(measure, row.get('request'))}已于{measure.get('effective_until')}到期",
        now,
    )
