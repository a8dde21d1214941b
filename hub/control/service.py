"""Control requests as service functions: request, answer, cancel, read, receive.

Each takes the store, the caller and arguments already checked (`RequestArgs`,
`AnswerArgs`), reads what it must, checks the rules that need the store, then writes with
conditional queries so that a second answer (or a cancel racing an answer) changes
nothing. Every function runs a bounded number of queries. Refusals are the gate's
(`Forbidden`, `NotFound`, `BadInput`): whoever calls these (GraphQL, the file exchange)
records them through the gate.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hub.alerts import raising
from hub.control import measures
from hub.control.rules import (
    ACTIVE_STATES,
    ANSWERABLE,
    CANCELLABLE,
    MEASURE_OF,
    WITH_TERM,
    Action,
    Outcome,
    RuleBroken,
    Status,
    TargetKind,
    check_not_wage_account,
    check_renewal,
    check_transition,
    check_until,
    last_day,
    money,
)
from hub.control.targets import Target, route
from hub.security.principal import Principal
from hub.security.refusals import BadInput, Forbidden, NotFound
from hub.store import GraphStore
from schema.departments import Department

Row = dict[str, Any]
RESPONDENT = "respondent"


def bad(error: RuleBroken) -> BadInput:
    return BadInput(error.argument, error.reason)


@dataclass(frozen=True)
class RequestArgs:
    case_number: str
    action: Action
    target: Target
    amount: Decimal | None
    until: date | None
    ruling_number: str | None
    notice_number: str | None
    measure_id: str | None
    note: str | None


@dataclass(frozen=True)
class Sighting:
    at: str
    place: str
    kind: str


@dataclass(frozen=True)
class WageArrears:
    found: bool
    amount: Decimal | None
    workers: int | None


@dataclass(frozen=True)
class AnswerArgs:
    request_id: str
    outcome: Outcome
    amount_controlled: Decimal | None = None
    effective_from: date | None = None
    effective_until: date | None = None
    receipt_number: str | None = None
    reason: str | None = None
    earlier_measures: tuple[str, ...] = ()
    sightings: tuple[Sighting, ...] = ()
    wage_arrears: WageArrears | None = None


@dataclass(frozen=True)
class Found:
    """A request as read back: its node's properties, its case's officer, its measure."""

    request: Row
    officer_id: str | None = None
    measure: Row | None = None
    holders: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, row: Row) -> Found:
        return cls(row["request"], row.get("officer_id"), row.get("measure"))


def event(status: Status, at: datetime, actor: str, note: str | None = None) -> str:
    """One entry of a request's history, kept as JSON text (a list of strings is stored the
    same by both engines)."""
    entry = {"status": status.value, "at": at.isoformat(), "actor": actor}
    if note:
        entry["note"] = note
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def actor_of(principal: Principal) -> str:
    if principal.role == "department" and principal.department:
        return f"{principal.department}/{principal.subject}"
    return principal.subject


# --- requestControl --------------------------------------------------------------------------


async def find_target(store: GraphStore, args: RequestArgs) -> list[Row]:
    """The target's rows (one per direct holder, with the holder's roles in the case)."""
    target = args.target
    rows = await store.read(target.query, target.lookup(args.case_number))
    if not rows:
        raise NotFound(f"no {target.kind} {target.key} in the graph")
    return rows


async def request_control(
    store: GraphStore,
    departments: Mapping[str, Department],
    principal: Principal,
    args: RequestArgs,
    found: Row,
    now: datetime,
) -> Found:
    """Check the target (`found`: its holder in the case, `holder_in_case`) against the
    rules, route it, write the request."""
    target = args.target
    try:
        check_not_wage_account(found.get("account_type"), args.action)
        asset = target.asset_key(found)
        until = args.until
        if args.action in (Action.RENEW, Action.RELEASE):
            until = await _check_measure(store, args, asset, now.date())
        elif args.action in WITH_TERM:
            until = check_until(target.kind, args.until, now.date())
        department = route(target.kind, found.get("source"), departments)
    except RuleBroken as error:
        raise bad(error) from None
    warnings = await _wage_warnings(store, args, found)
    actor = actor_of(principal)
    params = {
        "request_id": uuid.uuid4().hex,
        "case_number": args.case_number,
        "action": args.action.value,
        "target_kind": target.kind.value,
        "target_key": target.key,
        "asset_key": asset,
        "bank_code": target.bank_code,
        "account_number": target.account_number,
        "cert_number": target.cert_number,
        "vin": found.get("vin") or target.vin,
        "plate_number": found.get("plate_number") or target.plate_number,
        "uscc": target.uscc,
        "holder_id": target.holder,
        "id_number": target.id_number,
        "description": target.describe(found),
        "subject_id": found["holder_id"],
        "subject_name": found.get("holder_name"),
        "subject_kind": "ENTERPRISE" if found.get("enterprise") else "PERSON",
        "department": department.code,
        "department_name": department.name,
        "status": Status.PENDING.value,
        "requested_by": principal.subject,
        "requested_at": now.isoformat(),
        "amount": None if args.amount is None else money(args.amount),
        "until": None if until is None else until.isoformat(),
        "ruling_number": args.ruling_number,
        "notice_number": args.notice_number,
        "measure_id": args.measure_id,
        "note": args.note,
        "warnings": warnings,
        "history": [event(Status.PENDING, now, actor)],
        "source": "court",
    }
    alert = raising.control_requested(params, now)
    created = await store.write(
        "control_request_create", {**params, "alert_id": alert["alert_id"], "alert": alert}
    )
    if not created:
        raise NotFound(f"case {args.case_number} does not exist")
    return Found.of(created[0])


async def _wage_warnings(store: GraphStore, args: RequestArgs, found: Row) -> list[str]:
    """A SEAL or FREEZE of an enterprise's asset while a wage check of it is unanswered or
    found arrears: the court is to see to 农民工工资 before the assets are disposed of."""
    if args.action not in (Action.SEAL, Action.FREEZE) or not found.get("enterprise"):
        return []
    latest = await latest_wage_check(store, found["holder_id"])
    if latest is None:
        return []
    if latest["status"] in ANSWERABLE:
        return [
            "a wage check (农民工工资核查) of this enterprise is not answered yet: see to "
            "migrant workers' wages before its assets are disposed of / 农民工工资核查尚未答复"
        ]
    if latest.get("found"):
        return [
            "the latest wage check (农民工工资核查) found wage arrears: migrant workers' wages "
            "come first when its assets are disposed of / 该企业存在拖欠农民工工资"
        ]
    return []


async def latest_wage_check(store: GraphStore, enterprise: str) -> Row | None:
    """The enterprise's latest wage check not cancelled, or None: one query."""
    rows = await store.read(
        "control_wage_check_latest",
        {
            "subject": enterprise,
            "wage_check": Action.WAGE_CHECK.value,
            "cancelled": Status.CANCELLED.value,
        },
    )
    return rows[0] if rows else None


def holder_in_case(rows: list[Row], case_number: str) -> Row:
    """The direct holder that is a party of the case (a respondent first), or `Forbidden`."""
    parties = [row for row in rows if row.get("holder_id") and row.get("roles")]
    if not parties:
        raise Forbidden(
            "the target's direct holder must be a party of the case: the holder of this "
            f"target is not a party of case {case_number} / 财产的直接持有人不是本案当事人"
        )
    parties.sort(key=lambda row: RESPONDENT not in row["roles"])
    return parties[0]


async def _check_measure(
    store: GraphStore, args: RequestArgs, asset: str | None, today: date
) -> date | None:
    """The measure a RENEW or RELEASE acts on must be on this target, of this case, and
    still standing; a renewal's new end is checked against the legal term."""
    rows = await store.read("control_measure_get", {"measure_id": args.measure_id})
    measure = rows[0]["measure"] if rows else None
    if measure is None or measure.get("asset_key") != asset:
        raise RuleBroken("input.measureId", "no such measure on this target")
    if measure.get("reported"):
        raise RuleBroken(
            "input.measureId",
            "the measure is an earlier seal the department reported (在先查封), not one the "
            "hub served: it ends when the department publishes the asset released",
        )
    if measure.get("case_number") != args.case_number:
        raise RuleBroken(
            "input.measureId",
            f"the measure serves another case: only case {measure.get('case_number')} may "
            "renew or release it",
        )
    state = measure.get("state")
    if args.action == Action.RELEASE:
        if state not in ("IN_FORCE", "WAITING"):
            raise RuleBroken("input.measureId", f"the measure is {state}: nothing to release")
        return None
    if state != "IN_FORCE":
        raise RuleBroken("input.measureId", f"only a measure in force is renewed; it is {state}")
    end = date.fromisoformat(measure["effective_until"])
    return check_renewal(args.target.kind, args.until, end, today, "input.until")


# --- answerControl ---------------------------------------------------------------------------


async def answer_control(
    store: GraphStore,
    principal: Principal,
    args: AnswerArgs,
    now: datetime,
    found: Found | None = None,
) -> Found:
    """Record a department's answer and what it does to the asset's measures (`found`: the
    request, when the caller has read it already)."""
    found = found or await get(store, args.request_id)
    request = found.request
    if request.get("department") != principal.department:
        raise Forbidden(
            "a request is answered by the department it is addressed to: request "
            f"{args.request_id} is not addressed to {principal.department}"
        )
    try:
        check_transition(Status(request["status"]), Status(args.outcome.value))
        changes = _answer_changes(request, args, now)
        await _check_still_standing(store, request, args.outcome)
    except RuleBroken as error:
        raise bad(error) from None
    actor = actor_of(principal)
    events = []
    if request["status"] == Status.PENDING.value:  # answered without fetching: 送达 now
        changes["received_at"] = now.isoformat()
        events.append(event(Status.RECEIVED, now, actor))
    events.append(event(Status(args.outcome.value), now, actor, args.reason))
    alert = raising.control_answered(request, found.officer_id, args.outcome.value, now)
    rows = await store.write(
        "control_request_update",
        {
            "request_id": args.request_id,
            "from": list(ANSWERABLE),
            "changes": changes,
            "events": events,
            "alerts": [] if alert is None else [alert],
        },
    )
    if not rows:  # answered or cancelled meanwhile
        again = await get(store, args.request_id)
        try:
            check_transition(Status(again.request["status"]), Status(args.outcome.value))
        except RuleBroken as error:
            raise bad(error) from None
        raise BadInput("input.requestId", "the request changed meanwhile; send the answer again")
    answered = rows[0]["request"]
    measure = await measures.apply_answer(store, answered, now)
    if measure is None and answered.get("measure_id"):  # ended meanwhile: read it as it is
        return await get(store, args.request_id)
    return Found(answered, found.officer_id, measure)


async def _check_still_standing(store: GraphStore, request: Row, outcome: Outcome) -> None:
    """A renewal or release is done only on a measure still standing: one that lapsed or was
    released meanwhile cannot be renewed (查扣冻规定 art. 27) or released again."""
    action = Action(request["action"])
    if action not in (Action.RENEW, Action.RELEASE) or outcome not in (
        Outcome.DONE,
        Outcome.PARTIAL,
    ):
        return
    rows = await store.read("control_measure_get", {"measure_id": request["measure_id"]})
    measure = rows[0]["measure"] if rows else {}
    state = measure.get("state")
    if state in ACTIVE_STATES:
        return
    ended = (measure.get("ended_at") or "")[:10]
    raise RuleBroken(
        "input.outcome",
        f"measure {request['measure_id']} is {state} since {ended or 'before this answer'}: "
        f"there is nothing to {action.value.lower()}; answer NOT_DONE with the reason / "
        "该措施已失效",
    )


def _answer_changes(request: Row, args: AnswerArgs, now: datetime) -> dict[str, Any]:
    action = Action(request["action"])
    kind = TargetKind(request["target_kind"])
    outcome = args.outcome
    done = outcome in (Outcome.DONE, Outcome.PARTIAL)
    if outcome in (Outcome.NOT_DONE, Outcome.RETURNED) and not args.reason:
        raise RuleBroken("input.reason", f"a {outcome} answer says why / 未办结或退回须说明理由")
    if outcome == Outcome.PARTIAL and action not in (Action.FREEZE, Action.DEDUCT):
        raise RuleBroken(
            "input.outcome", f"PARTIAL is for a FREEZE or DEDUCT done in part, not a {action}"
        )
    amount = _amount_controlled(request, args) if done else None
    effective_from = effective_until = None
    if done and action in WITH_TERM:
        effective_from, effective_until = _effective(request, args, kind, action, now.date())
    if done and action == Action.WAGE_CHECK and args.wage_arrears is None:
        raise RuleBroken("input.wageArrears", "a WAGE_CHECK answer says whether arrears were found")
    if args.sightings and action != Action.LOCATE:
        raise RuleBroken("input.sightings", f"sightings answer a LOCATE, not a {action}")
    if args.wage_arrears is not None and action != Action.WAGE_CHECK:
        raise RuleBroken("input.wageArrears", f"wage arrears answer a WAGE_CHECK, not a {action}")
    wages = args.wage_arrears
    changes: dict[str, Any] = {
        "status": outcome.value,
        "outcome": outcome.value,
        "answered_at": now.isoformat(),
        "amount_controlled": None if amount is None else money(amount),
        "effective_from": None if effective_from is None else effective_from.isoformat(),
        "effective_until": None if effective_until is None else effective_until.isoformat(),
        "receipt_number": args.receipt_number,
        "reason": args.reason,
        "earlier_measures": list(args.earlier_measures),
        "sightings": [
            json.dumps(
                {"at": s.at, "place": s.place, "kind": s.kind}, ensure_ascii=False, sort_keys=True
            )
            for s in args.sightings
        ],
        "wage_found": None if wages is None else wages.found,
        "wage_amount": None if wages is None or wages.amount is None else money(wages.amount),
        "wage_workers": None if wages is None else wages.workers,
    }
    if done and action in MEASURE_OF:  # the measure the answer puts on the asset
        changes["measure_id"] = uuid.uuid4().hex
    return changes


def _amount_controlled(request: Row, args: AnswerArgs) -> Decimal | None:
    asked = None if request.get("amount") is None else Decimal(request["amount"])
    given = args.amount_controlled
    if args.outcome == Outcome.PARTIAL:
        if given is None:
            raise RuleBroken("input.amountControlled", "a PARTIAL answer gives the amount done")
        if asked is not None and given >= asked:
            raise RuleBroken(
                "input.amountControlled",
                f"{money(given)} is not less than the {money(asked)} asked: that is DONE",
            )
        return given
    if given is not None and asked is not None and given > asked:
        raise RuleBroken(
            "input.amountControlled", f"{money(given)} is more than the {money(asked)} asked"
        )
    return given if given is not None else asked


def _effective(
    request: Row, args: AnswerArgs, kind: TargetKind, action: Action, today: date
) -> tuple[date, date]:
    start = args.effective_from or today
    if start > today:
        raise RuleBroken("input.effectiveFrom", f"{start} is in the future")
    asked = None if request.get("until") is None else date.fromisoformat(request["until"])
    if action == Action.RENEW:
        until = args.effective_until or asked
        if until is None or (asked is not None and until > asked):
            raise RuleBroken(
                "input.effectiveUntil", f"a renewal lasts at most until {asked}, as asked"
            )
        return start, until
    wanted = args.effective_until or (asked if asked and asked <= last_day(kind, start) else None)
    return start, check_until(kind, wanted, start, "input.effectiveUntil")


# --- cancelControl ---------------------------------------------------------------------------


async def cancel_control(
    store: GraphStore,
    principal: Principal,
    request_id: str,
    reason: str,
    now: datetime,
    found: Found | None = None,
) -> Found:
    found = found or await get(store, request_id)
    if found.officer_id != principal.subject:
        raise Forbidden(
            "officers cancel only the requests of their own cases: request "
            f"{request_id} is of a case assigned to another officer"
        )
    status = Status(found.request["status"])
    if status.value not in CANCELLABLE:
        raise BadInput(
            "id", f"the request is {status}: only a PENDING or RECEIVED request is cancelled"
        )
    rows = await store.write(
        "control_request_update",
        {
            "request_id": request_id,
            "from": list(CANCELLABLE),
            "changes": {"status": Status.CANCELLED.value, "cancel_reason": reason},
            "events": [event(Status.CANCELLED, now, actor_of(principal), reason)],
            "alerts": [],
        },
    )
    if not rows:
        raise BadInput("id", "the request was answered meanwhile: it is no longer cancelled")
    return await get(store, request_id)


# --- reading ---------------------------------------------------------------------------------


async def get(store: GraphStore, request_id: str) -> Found:
    rows = await store.read("control_request_get", {"request_id": request_id})
    if not rows:
        raise NotFound(f"no control request {request_id}")
    return Found.of(rows[0])


def may_read(principal: Principal, found: Found) -> bool:
    """Officers read the requests of their own cases, departments those addressed to them,
    admins and auditors all."""
    if principal.role == "officer":
        return found.officer_id == principal.subject
    if principal.role == "department":
        return found.request.get("department") == principal.department
    return principal.role in ("admin", "auditor")


@dataclass(frozen=True)
class ListFilter:
    case_number: str | None = None
    status: str | None = None
    action: str | None = None
    department: str | None = None


async def list_requests(
    store: GraphStore, principal: Principal, where: ListFilter, skip: int, limit: int
) -> list[Found]:
    params: dict[str, Any] = {
        "case_number": where.case_number,
        "status": where.status,
        "action": where.action,
        "skip": skip,
        "limit": limit,
    }
    if principal.role == "officer":
        rows = await store.read(
            "control_requests_of_officer", {**params, "officer": principal.subject}
        )
    elif principal.role == "department":
        rows = await store.read(
            "control_requests_of_department", {**params, "department": principal.department}
        )
    else:
        rows = await store.read("control_requests_all", {**params, "department": where.department})
    return [Found.of(row) for row in rows]


async def mark_received(
    store: GraphStore, principal: Principal, found: list[Found], now: datetime
) -> list[Found]:
    """The department addressed has read these requests: the PENDING ones become RECEIVED
    (送达), in one write; others read them without changing them."""
    pending = [
        f.request["request_id"]
        for f in found
        if principal.role == "department"
        and f.request.get("department") == principal.department
        and f.request.get("status") == Status.PENDING.value
    ]
    if not pending:
        return found
    rows = await store.write(
        "control_requests_mark_received",
        {
            "ids": pending,
            "department": principal.department,
            "pending": Status.PENDING.value,
            "received": Status.RECEIVED.value,
            "now": now.isoformat(),
            "event": event(Status.RECEIVED, now, actor_of(principal)),
        },
    )
    received = {row["request"]["request_id"]: row["request"] for row in rows}
    return [
        Found(received.get(f.request["request_id"], f.request), f.officer_id, f.measure, f.holders)
        for f in found
    ]


async def receive(
    store: GraphStore, principal: Principal, statuses: list[str], limit: int, now: datetime
) -> list[Row]:
    """The requests addressed to the caller's department in `statuses`; PENDING ones become
    RECEIVED (送达)."""
    rows = await store.write(
        "control_requests_receive",
        {
            "department": principal.department,
            "statuses": statuses,
            "limit": limit,
            "pending": Status.PENDING.value,
            "received": Status.RECEIVED.value,
            "now": now.isoformat(),
            "event": event(Status.RECEIVED, now, actor_of(principal)),
        },
    )
    return [row["request"] for row in rows]
