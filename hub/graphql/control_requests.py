"""Control requests over GraphQL: requestControl, answerControl, cancelControl,
controlRequests, controlRequest (API.md, "Control requests"; docs/control.md).

Every operation goes through the gate (`Gate.admit`: authenticate, rate limit, check the
arguments, the role and, for requestControl, that the case is the officer's own). What needs
the stored request or target (the holder a party of the case, the department a request is
addressed to) is checked next; a refusal then is recorded as DENIED in the operation's one
audit record, which names the case and the subject once they are known.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from hub.control import service
from hub.control.clock import CLOCK
from hub.control.rules import (
    ON_MEASURE,
    WITH_TERM,
    WITHOUT_DOCUMENTS,
    Action,
    Outcome,
    RuleBroken,
    Status,
    TargetKind,
    check_action,
    check_until,
    parse_amount,
)
from hub.control.targets import FIELDS, Target
from hub.graphql import arguments
from hub.graphql.assets import AssetSubject, SubjectKind
from hub.graphql.context import Context
from hub.graphql.control_measures import ControlMeasure
from hub.graphql.errors import BadUserInput, NotFound
from hub.graphql.guard import Checked, Scope, guarded
from hub.security.gate import OpenRecord
from hub.security.principal import Principal
from hub.settings import (
    CONTROL_REQUESTS_PAGE,
    MAX_CONTROL_TEXT_CHARS,
    MAX_EARLIER_MEASURES,
    MAX_PAGE_SIZE,
    MAX_SIGHTINGS,
    MAX_WAGE_WORKERS,
)

ControlAction = strawberry.enum(Action, name="ControlAction")
ControlTargetKind = strawberry.enum(TargetKind, name="ControlTargetKind")
ControlStatus = strawberry.enum(Status, name="ControlStatus")
ControlOutcome = strawberry.enum(Outcome, name="ControlOutcome")

IDENT = 64  # identifiers and document numbers (DATA-EXCHANGE.md limits)
MAX_NOTE_CHARS = MAX_CONTROL_TEXT_CHARS
MAX_WORKERS = MAX_WAGE_WORKERS
DEFAULT_PAGE = CONTROL_REQUESTS_PAGE
MAX_PAGE = MAX_PAGE_SIZE

A = TypeVar("A", bound=Checked)
R = TypeVar("R")


@strawberry.enum
class SightingKind(Enum):
    HOTEL = "HOTEL"
    TRAVEL = "TRAVEL"
    VEHICLE = "VEHICLE"
    OTHER = "OTHER"


# --- inputs ----------------------------------------------------------------------------------


@strawberry.input(description="What a control request acts on: `kind` and that kind's fields.")
class ControlTarget:
    kind: TargetKind
    bank_code: str | None = None
    account_number: str | None = None
    cert_number: str | None = strawberry.field(default=None, description="不动产权证号")
    vin: str | None = None
    plate_number: str | None = None
    uscc: str | None = strawberry.field(
        default=None, description="EQUITY: the company; ENTERPRISE: the enterprise"
    )
    holder: str | None = strawberry.field(
        default=None, description="EQUITY: whose shares (idNumber or uscc)"
    )
    id_number: str | None = None


@strawberry.input
class ControlRequestInput:
    case_number: str
    action: Action
    target: ControlTarget
    amount: str | None = strawberry.field(
        default=None, description="Yuan (FREEZE and DEDUCT of an account), e.g. 125000.50"
    )
    until: str | None = strawberry.field(
        default=None,
        description="YYYY-MM-DD the measure ends; default and maximum the legal term "
        "(民诉法解释 art. 485)",
    )
    ruling_number: str | None = strawberry.field(default=None, description="裁定书文号")
    notice_number: str | None = strawberry.field(default=None, description="协助执行通知书文号")
    measure_id: str | None = strawberry.field(
        default=None, description="RENEW, RELEASE: the measure acted on"
    )
    note: str | None = None


@strawberry.input
class SightingInput:
    at: str
    place: str
    kind: SightingKind


@strawberry.input
class WageArrearsInput:
    found: bool
    amount: str | None = None
    workers: int | None = None


@strawberry.input
class ControlAnswerInput:
    request_id: str
    outcome: Outcome
    amount_controlled: str | None = None
    effective_from: str | None = None
    effective_until: str | None = None
    receipt_number: str | None = strawberry.field(default=None, description="回执文号")
    reason: str | None = None
    earlier_measures: list[str] | None = strawberry.field(
        default=None, description="在先冻结/查封, as the department reports them"
    )
    sightings: list[SightingInput] | None = None
    wage_arrears: WageArrearsInput | None = None


@strawberry.input
class ControlFilter:
    case_number: str | None = None
    status: Status | None = None
    action: Action | None = None
    department: str | None = None


# --- outputs ---------------------------------------------------------------------------------


@strawberry.type
class ControlRequestTarget:
    kind: TargetKind
    bank_code: str | None
    account_number: str | None
    cert_number: str | None
    vin: str | None
    plate_number: str | None
    uscc: str | None
    holder: str | None
    id_number: str | None
    description: str


@strawberry.type
class ControlEvent:
    status: Status
    at: str
    actor: str
    note: str | None


@strawberry.type
class Sighting:
    at: str
    place: str
    kind: SightingKind


@strawberry.type
class WageArrears:
    found: bool
    amount: str | None
    workers: int | None


@strawberry.type
class ControlAnswer:
    outcome: Outcome
    amount_controlled: str | None
    effective_from: str | None
    effective_until: str | None
    receipt_number: str | None
    reason: str | None
    earlier_measures: list[str]
    sightings: list[Sighting]
    wage_arrears: WageArrears | None


@strawberry.type(description="An officer's request that a department act (控), and its answer.")
class ControlRequest:
    id: strawberry.ID
    case_number: str
    action: Action
    target: ControlRequestTarget
    subject: AssetSubject
    department: str
    status: Status
    requested_by: str
    requested_at: str
    received_at: str | None
    answered_at: str | None
    amount: str | None
    until: str | None
    ruling_number: str | None
    notice_number: str | None
    note: str | None
    cancel_reason: str | None
    warnings: list[str]
    answer: ControlAnswer | None
    measure: ControlMeasure | None
    history: list[ControlEvent]

    @classmethod
    def of(cls, found: service.Found) -> ControlRequest:
        r = found.request
        return cls(
            id=strawberry.ID(r["request_id"]),
            case_number=r["case_number"],
            action=Action(r["action"]),
            target=ControlRequestTarget(
                kind=TargetKind(r["target_kind"]),
                bank_code=r.get("bank_code"),
                account_number=r.get("account_number"),
                cert_number=r.get("cert_number"),
                vin=r.get("vin"),
                plate_number=r.get("plate_number"),
                uscc=r.get("uscc"),
                holder=r.get("holder_id"),
                id_number=r.get("id_number"),
                description=r.get("description") or "",
            ),
            subject=AssetSubject(
                id=r["subject_id"], name=r.get("subject_name"), kind=SubjectKind(r["subject_kind"])
            ),
            department=r["department"],
            status=Status(r["status"]),
            requested_by=r["requested_by"],
            requested_at=r["requested_at"],
            received_at=r.get("received_at"),
            answered_at=r.get("answered_at"),
            amount=r.get("amount"),
            until=r.get("until"),
            ruling_number=r.get("ruling_number"),
            notice_number=r.get("notice_number"),
            note=r.get("note"),
            cancel_reason=r.get("cancel_reason"),
            warnings=list(r.get("warnings") or []),
            answer=_answer(r),
            measure=None if found.measure is None else ControlMeasure.of(found.measure),
            history=[_event(text) for text in r.get("history") or []],
        )


def _answer(r: dict[str, Any]) -> ControlAnswer | None:
    if not r.get("outcome"):
        return None
    found = r.get("wage_found")
    workers = r.get("wage_workers")
    return ControlAnswer(
        outcome=Outcome(r["outcome"]),
        amount_controlled=r.get("amount_controlled"),
        effective_from=r.get("effective_from"),
        effective_until=r.get("effective_until"),
        receipt_number=r.get("receipt_number"),
        reason=r.get("reason"),
        earlier_measures=list(r.get("earlier_measures") or []),
        sightings=[
            Sighting(at=s["at"], place=s["place"], kind=SightingKind(s["kind"]))
            for s in map(json.loads, r.get("sightings") or [])
        ],
        wage_arrears=None
        if found is None
        else WageArrears(
            found=bool(found),
            amount=r.get("wage_amount"),
            workers=None if workers is None else int(workers),
        ),
    )


def _event(text: str) -> ControlEvent:
    entry = json.loads(text)
    return ControlEvent(
        status=Status(entry["status"]), at=entry["at"], actor=entry["actor"], note=entry.get("note")
    )


@strawberry.type
class ControlRequestEdge:
    cursor: str
    node: ControlRequest


@strawberry.type(name="ControlPageInfo")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ControlRequestConnection:
    edges: list[ControlRequestEdge]
    page_info: PageInfo

    @property
    def result_count(self) -> int:
        return len(self.edges)


# --- argument checks (no store) --------------------------------------------------------------


def _rule(check: Callable[[], R]) -> R:
    try:
        return check()
    except RuleBroken as error:
        raise BadUserInput(error.argument, error.reason) from None


def _optional(argument: str, value: str | None, max_chars: int) -> str | None:
    if value is None or not value.strip():
        return None
    return arguments.text(argument, value, max_chars)


def _date(argument: str, value: str | None) -> date | None:
    return None if value is None or not value.strip() else arguments.iso_date(argument, value)


def check_target(given: ControlTarget) -> Target:
    kind = TargetKind(given.kind)
    fields = {
        "bankCode": given.bank_code,
        "accountNumber": given.account_number,
        "certNumber": given.cert_number,
        "vin": given.vin,
        "plateNumber": given.plate_number,
        "uscc": given.uscc,
        "holder": given.holder,
        "idNumber": given.id_number,
    }
    for name, value in fields.items():
        if value is not None and name not in FIELDS[kind]:
            raise BadUserInput(
                f"input.target.{name}",
                f"not a field of a {kind} target, which is named by {', '.join(FIELDS[kind])}",
            )

    def need(name: str) -> str:
        value = fields[name]
        if value is None:
            raise BadUserInput(f"input.target.{name}", f"required for a {kind} target")
        return arguments.text(f"input.target.{name}", value, IDENT)

    match kind:
        case TargetKind.ACCOUNT:
            return Target(kind, bank_code=need("bankCode"), account_number=need("accountNumber"))
        case TargetKind.PROPERTY:
            return Target(kind, cert_number=need("certNumber"))
        case TargetKind.VEHICLE:
            if given.vin is None and given.plate_number is None:
                raise BadUserInput("input.target.vin", "a VEHICLE target needs vin or plateNumber")
            vin = None if given.vin is None else need("vin")
            plate = None if given.plate_number is None else need("plateNumber")
            return Target(kind, vin=vin, plate_number=plate)
        case TargetKind.EQUITY:
            return Target(
                kind,
                uscc=arguments.subject("input.target.uscc", need("uscc")).id,
                holder=arguments.subject("input.target.holder", need("holder")).id,
            )
        case TargetKind.PERSON:
            return Target(
                kind, id_number=arguments.id_number("input.target.idNumber", need("idNumber"))
            )
        case TargetKind.ENTERPRISE:
            party = arguments.subject("input.target.uscc", need("uscc"))
            if party.kind != "enterprise":
                raise BadUserInput("input.target.uscc", "not a uscc (统一社会信用代码)")
            return Target(kind, uscc=party.id)


@dataclass(frozen=True)
class RequestControlArgs:
    checked: service.RequestArgs

    @property
    def scope(self) -> Scope:
        target = self.checked.target
        named = target.id_number or target.holder or target.uscc
        return Scope(self.checked.case_number, (named,) if named else ())

    @classmethod
    def check(cls, given: ControlRequestInput) -> RequestControlArgs:
        action = Action(given.action)
        target = check_target(given.target)
        _rule(lambda: check_action(action, target.kind))
        amount = None
        if given.amount is not None:
            if action not in (Action.FREEZE, Action.DEDUCT):
                raise BadUserInput(
                    "input.amount", f"an amount is for FREEZE or DEDUCT, not {action}"
                )
            amount = _rule(lambda: parse_amount("input.amount", str(given.amount)))
        elif action in (Action.FREEZE, Action.DEDUCT) and target.kind == TargetKind.ACCOUNT:
            raise BadUserInput("input.amount", f"required for a {action} of an account")
        until = _date("input.until", given.until)
        if until is not None and action not in WITH_TERM:
            raise BadUserInput("input.until", f"a {action} has no term")
        if until is not None and action != Action.RENEW:
            today = CLOCK.today()
            _rule(lambda: check_until(target.kind, until, today))
        measure_id = _optional("input.measureId", given.measure_id, IDENT)
        if action in ON_MEASURE and measure_id is None:
            raise BadUserInput("input.measureId", f"a {action} names the measure it acts on")
        if action not in ON_MEASURE and measure_id is not None:
            raise BadUserInput("input.measureId", "only RENEW and RELEASE name a measure")
        ruling = _optional("input.rulingNumber", given.ruling_number, IDENT)
        notice = _optional("input.noticeNumber", given.notice_number, IDENT)
        if action not in WITHOUT_DOCUMENTS:
            if ruling is None:
                raise BadUserInput(
                    "input.rulingNumber", f"a {action} needs the ruling (裁定书文号)"
                )
            if notice is None:
                raise BadUserInput(
                    "input.noticeNumber", f"a {action} needs the notice (协助执行通知书文号)"
                )
        return cls(
            service.RequestArgs(
                case_number=arguments.case_number("input.caseNumber", given.case_number),
                action=action,
                target=target,
                amount=amount,
                until=until,
                ruling_number=ruling,
                notice_number=notice,
                measure_id=measure_id,
                note=_optional("input.note", given.note, MAX_NOTE_CHARS),
            )
        )


@dataclass(frozen=True)
class AnswerControlArgs:
    checked: service.AnswerArgs

    @property
    def scope(self) -> Scope:
        return Scope()

    @classmethod
    def check(cls, given: ControlAnswerInput) -> AnswerControlArgs:
        earlier = given.earlier_measures or []
        if len(earlier) > MAX_EARLIER_MEASURES:
            raise BadUserInput("input.earlierMeasures", f"at most {MAX_EARLIER_MEASURES}")
        sightings = given.sightings or []
        if len(sightings) > MAX_SIGHTINGS:
            raise BadUserInput("input.sightings", f"at most {MAX_SIGHTINGS}")
        amount = None
        if given.amount_controlled is not None:
            amount = _rule(
                lambda: parse_amount("input.amountControlled", str(given.amount_controlled))
            )
        return cls(
            service.AnswerArgs(
                request_id=arguments.text("input.requestId", given.request_id, 64),
                outcome=Outcome(given.outcome),
                amount_controlled=amount,
                effective_from=_date("input.effectiveFrom", given.effective_from),
                effective_until=_date("input.effectiveUntil", given.effective_until),
                receipt_number=_optional("input.receiptNumber", given.receipt_number, 64),
                reason=_optional("input.reason", given.reason, MAX_NOTE_CHARS),
                earlier_measures=tuple(
                    arguments.text(f"input.earlierMeasures[{n}]", text, MAX_NOTE_CHARS)
                    for n, text in enumerate(earlier)
                ),
                sightings=tuple(_sighting(n, s) for n, s in enumerate(sightings)),
                wage_arrears=None if given.wage_arrears is None else _wages(given.wage_arrears),
            )
        )


def _sighting(n: int, given: SightingInput) -> service.Sighting:
    where = f"input.sightings[{n}]"
    at = arguments.text(f"{where}.at", given.at, 64)
    try:
        date.fromisoformat(at[:10])
    except ValueError:
        raise BadUserInput(f"{where}.at", "not an ISO date or date-time") from None
    place = arguments.text(f"{where}.place", given.place, MAX_NOTE_CHARS)
    return service.Sighting(at=at, place=place, kind=SightingKind(given.kind).value)


def _wages(given: WageArrearsInput) -> service.WageArrears:
    amount: Decimal | None = None
    if given.amount is not None:
        amount = _rule(lambda: parse_amount("input.wageArrears.amount", str(given.amount)))
    if given.workers is not None:
        arguments.within("input.wageArrears.workers", given.workers, 0, MAX_WORKERS)
    if not given.found and (amount is not None or given.workers):
        raise BadUserInput("input.wageArrears", "no arrears found, yet an amount or workers given")
    return service.WageArrears(found=given.found, amount=amount, workers=given.workers)


@dataclass(frozen=True)
class RequestIdArgs:
    request_id: str
    reason: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope()


@dataclass(frozen=True)
class ListArgs:
    where: service.ListFilter
    skip: int
    first: int

    @property
    def scope(self) -> Scope:
        return Scope(self.where.case_number)

    @classmethod
    def check(cls, where: ControlFilter | None, first: int | None, after: str | None) -> ListArgs:
        given = where or ControlFilter()
        return cls(
            service.ListFilter(
                case_number=None
                if given.case_number is None
                else arguments.case_number("filter.caseNumber", given.case_number),
                status=None if given.status is None else Status(given.status).value,
                action=None if given.action is None else Action(given.action).value,
                department=_optional("filter.department", given.department, 64),
            ),
            skip=arguments.offset("control", after),
            first=arguments.page_size("first", first, DEFAULT_PAGE, MAX_PAGE),
        )


def _name(record: OpenRecord, found: service.Found) -> None:
    request = found.request
    record.scope = Scope(request.get("case_number"), (request["subject_id"],))


async def _run_request(
    context: Context, principal: Principal, args: RequestControlArgs, record: OpenRecord
) -> ControlRequest:
    checked = args.checked
    rows = await service.find_target(context.store, checked)
    holder = rows[0].get("holder_id")
    if holder:  # the record names whom the request is about, refused or not
        record.scope = Scope(checked.case_number, (holder,))
    target = service.holder_in_case(rows, checked.case_number)
    record.scope = Scope(checked.case_number, (target["holder_id"],))
    found = await service.request_control(
        context.store, context.services.departments, principal, checked, target, CLOCK.now()
    )
    return ControlRequest.of(found)


async def _run_answer(
    context: Context, principal: Principal, args: AnswerControlArgs, record: OpenRecord
) -> ControlRequest:
    found = await service.get(context.store, args.checked.request_id)
    _name(record, found)
    found = await service.answer_control(context.store, principal, args.checked, CLOCK.now(), found)
    return ControlRequest.of(found)


async def _run_cancel(
    context: Context, principal: Principal, args: RequestIdArgs, record: OpenRecord
) -> ControlRequest:
    found = await service.get(context.store, args.request_id)
    _name(record, found)
    found = await service.cancel_control(
        context.store, principal, args.request_id, args.reason or "", CLOCK.now(), found
    )
    return ControlRequest.of(found)


async def _run_get(
    context: Context, principal: Principal, args: RequestIdArgs, record: OpenRecord
) -> ControlRequest | None:
    try:
        found = await service.get(context.store, args.request_id)
    except NotFound:
        return None
    if not service.may_read(principal, found):
        return None  # another's request is as absent as a missing one
    _name(record, found)
    [found] = await service.mark_received(context.store, principal, [found], CLOCK.now())
    return ControlRequest.of(found)


async def _run_list(
    context: Context, principal: Principal, args: ListArgs, record: OpenRecord
) -> ControlRequestConnection:
    rows = await service.list_requests(
        context.store, principal, args.where, args.skip, args.first + 1
    )
    page = await service.mark_received(context.store, principal, rows[: args.first], CLOCK.now())
    edges = [
        ControlRequestEdge(
            cursor=arguments.cursor("control", args.skip + n + 1), node=ControlRequest.of(found)
        )
        for n, found in enumerate(page)
    ]
    return ControlRequestConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > args.first, end_cursor=edges[-1].cursor if edges else None
        ),
    )


async def resolve_request_control(
    info: Info[Context, None], input: ControlRequestInput
) -> ControlRequest:
    target = input.target
    named = target.id_number or target.holder or target.uscc
    return await guarded(
        info,
        "requestControl",
        Scope(input.case_number, (named,) if named else ()),
        lambda: RequestControlArgs.check(input),
        _run_request,
    )


async def resolve_answer_control(
    info: Info[Context, None], input: ControlAnswerInput
) -> ControlRequest:
    return await guarded(
        info, "answerControl", Scope(), lambda: AnswerControlArgs.check(input), _run_answer
    )


async def resolve_cancel_control(
    info: Info[Context, None], id: strawberry.ID, reason: str
) -> ControlRequest:
    def check() -> RequestIdArgs:
        return RequestIdArgs(
            arguments.text("id", str(id), 64), arguments.text("reason", reason, MAX_NOTE_CHARS)
        )

    return await guarded(info, "cancelControl", Scope(), check, _run_cancel)


async def resolve_control_request(
    info: Info[Context, None], id: strawberry.ID
) -> ControlRequest | None:
    return await guarded(
        info,
        "controlRequest",
        Scope(),
        lambda: RequestIdArgs(arguments.text("id", str(id), 64)),
        _run_get,
    )


async def resolve_control_requests(
    info: Info[Context, None],
    filter: ControlFilter | None = None,
    first: int | None = DEFAULT_PAGE,
    after: str | None = None,
) -> ControlRequestConnection:
    return await guarded(
        info,
        "controlRequests",
        Scope(None if filter is None else filter.case_number),
        lambda: ListArgs.check(filter, first, after),
        _run_list,
    )


@strawberry.type
class ControlRequestsQuery:
    control_requests: ControlRequestConnection = strawberry.field(
        resolver=resolve_control_requests,
        description="Officer: the requests of their cases; department: those addressed to it; "
        "admin, auditor: all. Newest first.",
    )
    control_request: ControlRequest | None = strawberry.field(
        resolver=resolve_control_request,
        description="One control request, if the caller may see it.",
    )


@strawberry.type
class ControlRequestsMutation:
    request_control: ControlRequest = strawberry.mutation(
        resolver=resolve_request_control,
        description="Officer: ask the department that holds an asset to act on it (控).",
    )
    answer_control: ControlRequest = strawberry.mutation(
        resolver=resolve_answer_control,
        description="Department: answer a request addressed to it.",
    )
    cancel_control: ControlRequest = strawberry.mutation(
        resolver=resolve_cancel_control,
        description="Officer: cancel a request of their case while PENDING or RECEIVED.",
    )
