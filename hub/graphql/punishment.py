"""Punishment feedback (惩戒反馈) both ways (API.md; docs/punishment.md).

`recordPunishment`: a department reports that it applied a joint-punishment measure. It
is refused, naming the argument, for a measure another department kind carries out, a
subject no measure applies to (decided as creditCheck decides, on the day applied) or a
measure that does not apply to it; the same report again (subject, measure, department,
date) returns the stored record. A new record raises PUNISHMENT_RECORDED for the case's
officer in the same write.

`punishments`: the court reads what departments did (an officer for the parties of their
own case, a department its own records, an admin all); creditCheck's `punishments` reads
them for a whole batch in one query (`punishments_of`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import strawberry
from strawberry.types import Info

from hub.alerts.kinds import AlertKind
from hub.alerts.raising import Recipient, alert
from hub.control.clock import CLOCK
from hub.graphql import arguments
from hub.graphql.context import Context
from hub.graphql.credit import Measure, measures_applying
from hub.graphql.errors import BadUserInput, Forbidden, NotFound
from hub.graphql.guard import Scope, guarded
from hub.security.gate import OpenRecord
from hub.security.principal import Principal
from hub.settings import MAX_NOTE_CHARS, MAX_PAGE_SIZE
from schema.identifiers import Party
from schema.measures import Measure as CatalogueMeasure

Row = dict[str, Any]

DEFAULT_PAGE: Final = 50  # punishments(first:) when not given (API.md)
PER_SUBJECT: Final = 50  # records of one subject in a creditCheck result
SUBJECT_KINDS: Final = {"person": "PERSON", "enterprise": "ENTERPRISE"}


@strawberry.input
class PunishmentInput:
    subject: str = strawberry.field(description="idNumber or uscc of the punished party")
    case_number: str
    measure_code: str = strawberry.field(description="a code of the measures catalogue")
    applied_at: str = strawberry.field(description="date the measure was applied, YYYY-MM-DD")
    note: str | None = None


@strawberry.type(description="A department's feedback (惩戒反馈): a measure applied to a subject.")
class PunishmentRecord:
    id: str
    subject: str
    subject_name: str | None
    case_number: str
    measure: Measure
    department: str
    applied_at: str
    note: str | None
    recorded_at: str


def record_id(subject: str, measure_code: str, department: str, applied_at: date) -> str:
    """The same for the same report: what makes a repeat return the stored record."""
    text = f"{subject}\n{measure_code}\n{department}\n{applied_at.isoformat()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _record(
    row: Row, catalogue: tuple[CatalogueMeasure, ...], subject: str, case_number: str
) -> PunishmentRecord:
    """A stored record as the API shows it (`row`: its properties)."""
    code = row["measure_code"]
    measure = next((m for m in catalogue if m.code == code), None)
    return PunishmentRecord(
        id=row["record_id"],
        subject=subject,
        subject_name=row.get("subject_name"),
        case_number=case_number,
        measure=Measure.of(measure)
        if measure is not None  # a code since dropped from the catalogue: shown as stored
        else Measure(
            code=code,
            name=code,
            name_en=None,
            department=row["department"],
            department_name="",
            legal_basis="",
            applies_to=[],
        ),
        department=row["department"],
        applied_at=row["applied_at"],
        note=row.get("note"),
        recorded_at=row["recorded_at"],
    )


# --- recordPunishment ------------------------------------------------------------------------


@dataclass(frozen=True)
class PunishmentArgs:
    party: Party
    case_number: str
    measure: CatalogueMeasure
    applied_at: date
    note: str | None

    @property
    def subject(self) -> str:
        return self.party.id

    @property
    def scope(self) -> Scope:
        return Scope(self.case_number, (self.subject,))

    @classmethod
    def check(
        cls, given: PunishmentInput, catalogue: tuple[CatalogueMeasure, ...]
    ) -> PunishmentArgs:
        measure = next((m for m in catalogue if m.code == given.measure_code), None)
        if measure is None:
            raise BadUserInput(
                "input.measureCode", f"no measure {given.measure_code[:64]!r} in the catalogue"
            )
        applied_at = arguments.iso_date("input.appliedAt", given.applied_at)
        if applied_at > CLOCK.today():
            raise BadUserInput("input.appliedAt", "in the future")
        note = given.note
        return cls(
            party=arguments.subject("input.subject", given.subject),
            case_number=arguments.case_number("input.caseNumber", given.case_number),
            measure=measure,
            applied_at=applied_at,
            note=None if note is None else arguments.text("input.note", note, MAX_NOTE_CHARS),
        )


def _check_department_kind(
    context: Context, principal: Principal, measure: CatalogueMeasure
) -> str:
    """The caller's department code, when its kind carries out `measure`."""
    code = principal.department or principal.subject
    department = context.services.departments.get(code)
    if department is None:
        raise Forbidden(f"department {code!r} is not registered with the hub")
    if department.kind != measure.department:
        raise BadUserInput(
            "input.measureCode",
            f"{measure.code} ({measure.name}) is carried out by {measure.department} "
            f"departments ({measure.department_name}); {code} is of kind {department.kind}",
        )
    return code


async def _check_applies(context: Context, args: PunishmentArgs) -> None:
    """Refuse a subject no measure applies to on the day applied, or a measure that does not
    apply to it: creditCheck's own decision (`measures_applying`)."""
    applying = await measures_applying(context, args.party, args.applied_at)
    if not applying:
        raise BadUserInput(
            "input.subject",
            f"no measure applies to {args.subject} on {args.applied_at.isoformat()}: not on "
            "the dishonest list (失信被执行人名单), nor the legal representative, actual "
            "controller or a responsible person of a listed enterprise",
        )
    if args.measure.code not in {m.code for m in applying}:
        raise BadUserInput(
            "input.measureCode",
            f"{args.measure.code} applies to {', '.join(args.measure.applies_to)}, not to "
            f"{args.subject} as restricted on {args.applied_at.isoformat()}",
        )


def _alert(
    args: PunishmentArgs, key: str, department: str, officer_id: str | None, name: str | None
) -> list[Row]:
    """PUNISHMENT_RECORDED for the officer of the record's case (none without one)."""
    if not officer_id:
        return []
    subject = {
        "subject_id": args.subject,
        "subject_name": name,
        "subject_kind": SUBJECT_KINDS[args.party.kind],
    }
    message = (
        f"{department}反馈：已对{name or args.subject}采取惩戒措施“{args.measure.name}”"
        f"（{args.applied_at.isoformat()}）"
    )
    recipient = Recipient(officer_id=officer_id)
    kind = AlertKind.PUNISHMENT_RECORDED
    return [alert(kind, recipient, key, subject, args.case_number, message, CLOCK.now())]


async def run_record(
    context: Context, principal: Principal, args: PunishmentArgs, record: OpenRecord
) -> PunishmentRecord:
    catalogue = context.services.measures
    department = _check_department_kind(context, principal, args.measure)
    key = record_id(args.subject, args.measure.code, department, args.applied_at)
    found = await context.store.read(
        "punishment_context",
        {"case_number": args.case_number, "subject": args.subject, "record_id": key},
    )
    if not found:
        raise NotFound(f"subject {args.subject} or case {args.case_number} is not in the graph")
    [context_row] = found
    name = context_row.get("subject_name")
    existing = context_row.get("existing")
    if existing:  # the same report again: the stored record, nothing written
        return _record({**existing, "subject_name": name}, catalogue, args.subject, _case(existing))
    await _check_applies(context, args)
    registered = context.services.departments[department]
    reporter = registered.name or department  # as the other alerts name a department
    now = CLOCK.now().isoformat()
    batch_id = uuid.uuid4().hex
    properties = {
        "record_id": key,
        "subject_id": args.subject,
        "case_number": args.case_number,
        "measure_code": args.measure.code,
        "department": department,
        "applied_at": args.applied_at.isoformat(),
        "note": args.note,
        "recorded_by": principal.subject,
        "recorded_at": now,
        "source": department,
        "batch_id": batch_id,
        "loaded_at": now,
    }
    rows = await context.store.write(
        "punishment_record",
        {
            "subject": args.subject,
            "case_number": args.case_number,
            "record_id": key,
            "record": properties,
            "batch_id": batch_id,
            "department": department,
            "recorded_at": now,
            "alerts": _alert(args, key, reporter, context_row.get("officer_id"), name),
        },
    )
    if not rows:
        raise NotFound(f"subject {args.subject} or case {args.case_number} is not in the graph")
    stored = rows[0]["record"]
    return _record({**stored, "subject_name": name}, catalogue, args.subject, _case(stored))


def _case(stored: Row) -> str:
    return str(stored.get("case_number") or "")


async def resolve_record_punishment(
    info: Info[Context, None], input: PunishmentInput
) -> PunishmentRecord:
    catalogue = info.context.services.measures
    return await guarded(
        info,
        "recordPunishment",
        Scope(input.case_number, (input.subject,)),
        lambda: PunishmentArgs.check(input, catalogue),
        run_record,
    )


# --- punishments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PunishmentsArgs:
    subject: str | None
    case_number: str | None
    first: int

    @property
    def scope(self) -> Scope:
        return Scope(self.case_number, (self.subject,) if self.subject else ())

    @classmethod
    def check(
        cls, subject: str | None, case_number: str | None, first: int | None
    ) -> PunishmentsArgs:
        return cls(
            subject=None if subject is None else arguments.subject("subject", subject).id,
            case_number=None
            if case_number is None
            else arguments.case_number("caseNumber", case_number),
            first=arguments.page_size("first", first, DEFAULT_PAGE, MAX_PAGE_SIZE),
        )


def _order(row: Row) -> tuple[str, str, str]:
    record = row["record"]
    return (record.get("applied_at") or "", record.get("recorded_at") or "", record["record_id"])


async def run_punishments(
    context: Context, principal: Principal, args: PunishmentsArgs, record: OpenRecord
) -> list[PunishmentRecord]:
    params = {"subject": args.subject, "case_number": args.case_number, "limit": args.first}
    if principal.role == "officer":  # the gate checked that the case is theirs
        rows = await context.store.read("punishment_list_of_case", params)
    else:
        own = principal.department if principal.role == "department" else None
        rows = await context.store.read("punishment_list", {**params, "department": own})
    unique = {row["record"]["record_id"]: row for row in rows}  # an officer's two branches
    latest = sorted(unique.values(), key=_order, reverse=True)[: args.first]
    catalogue = context.services.measures
    return [
        _record(
            {**row["record"], "subject_name": row.get("subject_name")},
            catalogue,
            row["subject"],
            row["case_number"],
        )
        for row in latest
    ]


async def resolve_punishments(
    info: Info[Context, None],
    subject: str | None = None,
    case_number: str | None = None,
    first: int | None = DEFAULT_PAGE,
) -> list[PunishmentRecord]:
    return await guarded(
        info,
        "punishments",
        Scope(case_number, (subject,) if subject else ()),
        lambda: PunishmentsArgs.check(subject, case_number, first),
        run_punishments,
    )


async def punishments_of(context: Context, ids: list[str]) -> dict[str, list[PunishmentRecord]]:
    """The records of each of `ids`, latest applied first, in one query (creditCheck)."""
    rows = await context.store.read(
        "punishment_of_subjects", {"ids": ids, "per_subject": PER_SUBJECT}
    )
    catalogue = context.services.measures
    return {
        row["id"]: [
            _record(
                {**entry["record"], "subject_name": row.get("subject_name")},
                catalogue,
                row["id"],
                entry["case_number"],
            )
            for entry in row["records"]
        ]
        for row in rows
    }


@strawberry.type
class PunishmentQuery:
    punishments: list[PunishmentRecord] = strawberry.field(
        resolver=resolve_punishments,
        description="惩戒反馈 as departments reported it, latest applied first: an officer's "
        "for the parties of their own case (caseNumber required), a department's own, an "
        "admin's all.",
    )


@strawberry.type
class PunishmentMutation:
    record_punishment: PunishmentRecord = strawberry.mutation(
        resolver=resolve_record_punishment,
        description="Record that the calling department applied a measure (惩戒反馈); the "
        "same report again returns the stored record.",
    )
