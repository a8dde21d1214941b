"""Measures on assets (ControlMeasure): what an answer does to them, 轮候 queues, renewal,
release and lapse.

A DONE or PARTIAL freeze or seal puts a measure on the asset: in force when none stands on
it, else waiting behind those served before it (`queuePosition` 2, 3 …). When the measure in
force is released or lapses, the first waiting one comes into force by itself, from that day
for the legal term of the asset's kind (查扣冻规定 art. 26); a measure not renewed lapses
after its last day (art. 27), done by `expire` (`hub control expire`, and `hub serve`
hourly). A DEDUCT done lowers the account's known balance.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hub.alerts import raising
from hub.control.rules import (
    ACTIVE_STATES,
    MEASURE_OF,
    Action,
    MeasureState,
    Status,
    TargetKind,
    last_day,
    money,
)
from hub.settings import CONTROL_EXPIRY_INTERVAL_S, MAX_CONTROLS, MAX_LAPSED_PER_RUN
from hub.store import GraphStore

log = logging.getLogger(__name__)

Row = dict[str, Any]


def kind_of_asset(asset_key: str) -> TargetKind:
    return TargetKind(asset_key.split(":", 1)[0])


async def apply_answer(store: GraphStore, request: Row, now: datetime) -> Row | None:
    """What a recorded answer does to the asset: at most three queries. Returns the measure
    it created or changed, as it is now (None when it touched none)."""
    status = request["status"]
    if status not in (Status.DONE.value, Status.PARTIAL.value):
        return None
    action = Action(request["action"])
    if action in MEASURE_OF:
        earlier = await _earlier(store, request)
        created = await store.write(
            "control_measure_create",
            {
                "earlier": earlier,
                "measure_id": request["measure_id"],
                "asset_key": request["asset_key"],
                "kind": MEASURE_OF[action].value,
                "case_number": request["case_number"],
                "amount": request.get("amount_controlled"),
                "request_id": request["request_id"],
                "served_at": now.isoformat(),
                "effective_from": request.get("effective_from"),
                "effective_until": request.get("effective_until"),
                "active": list(ACTIVE_STATES),
                "in_force": MeasureState.IN_FORCE.value,
                "waiting": MeasureState.WAITING.value,
                "source": request["department"],
            },
        )
        return created[0]["measure"] if created else None
    if action == Action.RELEASE:
        ended = await end(
            store,
            request["measure_id"],
            request["asset_key"],
            MeasureState.RELEASED,
            now,
            request["request_id"],
        )
        return ended[0]["measure"] if ended else None
    if action == Action.RENEW:
        renewed = await store.write(
            "control_measure_renew",
            {
                "measure_id": request["measure_id"],
                "until": request["effective_until"],
                "now": now.isoformat(),
                "request_id": request["request_id"],
                "in_force": MeasureState.IN_FORCE.value,
            },
        )
        return renewed[0]["measure"] if renewed else None
    if action == Action.DEDUCT and request.get("amount_controlled"):
        await _deduct(store, request, now)
    return None


# Seals published as a status: what a property's or a vehicle's status says when another
# case's seal stands on it.
PUBLISHED_SEALED = frozenset({"sealed"})
# Kinds whose second seal or freeze waits (轮候) behind an earlier one. A deposit frozen in
# part by an earlier case is frozen in what remains: the answer's amount says how much.
QUEUED_KINDS = frozenset({TargetKind.PROPERTY, TargetKind.VEHICLE, TargetKind.EQUITY})


async def _earlier(store: GraphStore, request: Row) -> list[Row]:
    """The earlier seals the new measure waits behind, as the department's answer reports
    them (`earlierMeasures`); when it reports none, a seal the department published as the
    asset's status. Recorded only when none of the hub's measures stands on the asset (the
    create query decides that)."""
    kind = kind_of_asset(request["asset_key"])
    if kind not in QUEUED_KINDS:
        return []
    reported = list(request.get("earlier_measures") or [])
    if not reported:
        status = (await published_status(store, [request["asset_key"]])).get(request["asset_key"])
        if status in PUBLISHED_SEALED:
            reported = [f"在先查封（{request['department']}公布）"]
    return [
        {"measure_id": f"{request['measure_id']}-{n}", "reported": text, "position": n}
        for n, text in enumerate(reported, start=1)
    ]


async def published_status(store: GraphStore, asset_keys: list[str]) -> dict[str, str | None]:
    """What the departments last published as the status of each property or vehicle of
    `asset_keys` (others are left out): one query."""
    named: dict[TargetKind, list[str]] = {TargetKind.PROPERTY: [], TargetKind.VEHICLE: []}
    for key in asset_keys:
        kind, _, value = key.partition(":")
        named.get(TargetKind(kind), []).append(value)
    if not any(named.values()):
        return {}
    rows = await store.read(
        "control_published_status",
        {"properties": named[TargetKind.PROPERTY], "vehicles": named[TargetKind.VEHICLE]},
    )
    return {row["asset_key"]: row["status"] for row in rows}


async def release_published(store: GraphStore, now: datetime) -> list[Row]:
    """End the earlier seals recorded from a department's report or status once the
    department publishes the asset free of seals (its status no longer 查封); the first
    waiting measure comes into force (art. 26). Returns the ended measures."""
    rows = await store.read(
        "control_measures_reported",
        {"in_force": MeasureState.IN_FORCE.value, "limit": MAX_LAPSED_PER_RUN},
    )
    standing = [row["measure"] for row in rows]
    statuses = await published_status(store, [m["asset_key"] for m in standing])
    ended: list[Row] = []
    for measure in standing:
        status = statuses.get(measure["asset_key"])
        if status is None or status in PUBLISHED_SEALED:
            continue  # still sealed, or nothing published to go by
        done = await end(
            store,
            measure["measure_id"],
            measure["asset_key"],
            MeasureState.RELEASED,
            now,
            "published",
        )
        ended.extend(row["measure"] for row in done)
    return ended


async def end(
    store: GraphStore,
    measure_id: str,
    asset_key: str,
    state: MeasureState,
    now: datetime,
    ended_by: str,
) -> list[Row]:
    """End a standing measure (RELEASED or LAPSED) and move its queue up."""
    today = now.date()
    rows = await store.write(
        "control_measure_end",
        {
            "measure_id": measure_id,
            "state": state.value,
            "now": now.isoformat(),
            "ended_by": ended_by,
            "active": list(ACTIVE_STATES),
            "waiting": MeasureState.WAITING.value,
            "in_force": MeasureState.IN_FORCE.value,
            "today": today.isoformat(),
            "promoted_until": last_day(kind_of_asset(asset_key), today).isoformat(),
        },
    )
    if rows and rows[0]["moved"] and rows[0]["measure"].get("queue_position") == 1:
        await raising.queue_advanced(store, asset_key, now)  # the first waiting one is in force
    return rows


async def _deduct(store: GraphStore, request: Row, now: datetime) -> None:
    key = request["asset_key"].split(":", 1)[1]
    amount = Decimal(request["amount_controlled"])
    for _ in range(3):  # the balance is changed only from the value read
        rows = await store.read("control_account_balance", {"key": key})
        if not rows or rows[0]["balance"] is None:
            return
        old = rows[0]["balance"]
        balance = max(Decimal(str(old)) - amount, Decimal(0))
        deduction = json.dumps(
            {"request_id": request["request_id"], "amount": money(amount), "at": now.isoformat()},
            sort_keys=True,
        )
        params = {"key": key, "old": old, "balance": money(balance), "deduction": deduction}
        if await store.write("control_account_deduct", params):
            return
    log.warning("the balance of the account of request %s kept changing", request["request_id"])


async def expire(store: GraphStore, now: datetime) -> list[Row]:
    """Lapse the measures in force whose last day is before today (art. 27); those waiting
    behind them come into force. Returns the lapsed measures."""
    today: date = now.date()
    due = await store.read(
        "control_measures_due",
        {
            "in_force": MeasureState.IN_FORCE.value,
            "today": today.isoformat(),
            "limit": MAX_LAPSED_PER_RUN,
        },
    )
    lapsed = []
    for row in due:
        measure = row["measure"]
        ended = await end(
            store, measure["measure_id"], measure["asset_key"], MeasureState.LAPSED, now, "lapse"
        )
        if ended:
            lapsed.append(ended[0]["measure"])
            await raising.control_lapsed(store, measure["measure_id"], now)
    return lapsed


async def of_assets(store: GraphStore, keys: list[str]) -> dict[str, list[Row]]:
    """The standing measures on each asset of `keys`, in queue order: one query, asked even
    for no keys (a report runs as many queries however many holdings it has)."""
    rows = await store.read(
        "control_measures_of_assets",
        {"keys": keys, "active": list(ACTIVE_STATES), "limit": MAX_CONTROLS},
    )
    found: dict[str, list[Row]] = {}
    for row in rows:
        found.setdefault(row["measure"]["asset_key"], []).append(row["measure"])
    return found


EXPIRY_INTERVAL_S = CONTROL_EXPIRY_INTERVAL_S


async def expire_periodically(
    store: GraphStore, notice_days: int, interval_s: float = EXPIRY_INTERVAL_S
) -> None:
    """`hub serve`'s own run of `expire` (with `release_published` and the CONTROL_EXPIRING
    notices of `notice_days`): at start, then every `interval_s`; a failed run is logged and
    tried again at the next turn."""
    from hub.control.clock import CLOCK

    while True:
        try:
            now = CLOCK.now()
            lapsed = await expire(store, now)
            if lapsed:
                log.info("control measures lapsed: %d", len(lapsed))
            released = await release_published(store, now)
            if released:
                log.info("earlier seals published as released: %d", len(released))
            await raising.measures_expiring(store, now, notice_days)
        except Exception:
            log.exception("lapsing control measures failed; trying again in %.0f s", interval_s)
        await asyncio.sleep(interval_s)
