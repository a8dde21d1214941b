"""An officer's or a department's own alerts: listing and marking read, one query each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.security.principal import Principal
from hub.store import GraphStore

Row = dict[str, Any]
OPEN = "open"  # Case.status of a case still being enforced (执行中); no status counts as open


async def list_alerts(
    store: GraphStore, principal: Principal, unread_only: bool, skip: int, limit: int
) -> list[Row]:
    """The caller's alerts, newest first: an officer's of their open cases, a department's
    addressed to it."""
    params: dict[str, Any] = {"unread_only": unread_only, "skip": skip, "limit": limit}
    if principal.role == "officer":
        rows = await store.read(
            "alerts_of_officer", {**params, "officer": principal.subject, "open": OPEN}
        )
    else:
        rows = await store.read(
            "alerts_of_department", {**params, "department": principal.department}
        )
    return [row["alert"] for row in rows]


async def mark_read(store: GraphStore, principal: Principal, ids: list[str], now: datetime) -> int:
    """Mark those of `ids` that are the caller's and unread as read; how many were."""
    params: dict[str, Any] = {"ids": ids, "now": now.isoformat()}
    if principal.role == "officer":
        rows = await store.write(
            "alerts_mark_read_officer", {**params, "officer": principal.subject, "open": OPEN}
        )
    else:
        rows = await store.write(
            "alerts_mark_read_department", {**params, "department": principal.department}
        )
    return int(rows[0]["marked"]) if rows else 0


async def alerts_since(
    store: GraphStore, principal: Principal, since: str, limit: int
) -> list[Row]:
    """The caller's alerts raised at or after `since` (ISO time), oldest first: an officer's
    of cases still theirs and open, a department's addressed to it."""
    params: dict[str, Any] = {"since": since, "limit": limit}
    if principal.role == "officer":
        rows = await store.read(
            "alerts_since_officer", {**params, "officer": principal.subject, "open": OPEN}
        )
    else:
        rows = await store.read(
            "alerts_since_department", {**params, "department": principal.department}
        )
    return [row["alert"] for row in rows]
