"""recordPunishment: a department reports that it applied a joint-punishment measure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import strawberry
from strawberry.types import Info

from hub.graphql import arguments
from hub.graphql.context import Context
from hub.graphql.credit import Measure
from hub.graphql.errors import BadUserInput, NotFound
from hub.graphql.guard import Scope, guard
from hub.security.principal import Principal
from hub.settings import MAX_NOTE_CHARS
from schema.measures import Measure as CatalogueMeasure


@strawberry.input
class PunishmentInput:
    subject: str = strawberry.field(description="idNumber or uscc of the punished party")
    case_number: str
    measure_code: str = strawberry.field(description="a code of the measures catalogue")
    applied_at: str = strawberry.field(description="date the measure was applied, YYYY-MM-DD")
    note: str | None = None


@strawberry.type(description="A department's feedback: a measure applied to a subject.")
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


@dataclass(frozen=True)
class PunishmentArgs:
    subject: str
    case_number: str
    measure: CatalogueMeasure
    applied_at: date
    note: str | None

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
        if applied_at > date.today():
            raise BadUserInput("input.appliedAt", "in the future")
        note = given.note
        return cls(
            subject=arguments.subject("input.subject", given.subject).id,
            case_number=arguments.case_number("input.caseNumber", given.case_number),
            measure=measure,
            applied_at=applied_at,
            note=None if note is None else arguments.text("input.note", note, MAX_NOTE_CHARS),
        )


async def run_record(
    context: Context, principal: Principal, args: PunishmentArgs
) -> PunishmentRecord:
    department = principal.department or principal.subject
    record_id = uuid.uuid4().hex
    recorded_at = datetime.now(UTC)
    rows = await context.store.write(
        "punishment_record",
        {
            "record_id": record_id,
            "subject": args.subject,
            "case_number": args.case_number,
            "measure_code": args.measure.code,
            "department": department,
            "applied_at": args.applied_at,
            "note": args.note,
            "recorded_by": principal.subject,
            "recorded_at": recorded_at,
        },
    )
    if not rows:
        raise NotFound(f"subject {args.subject} or case {args.case_number} is not in the graph")
    return PunishmentRecord(
        id=record_id,
        subject=args.subject,
        subject_name=rows[0].get("subject_name"),
        case_number=args.case_number,
        measure=Measure.of(args.measure),
        department=department,
        applied_at=args.applied_at.isoformat(),
        note=args.note,
        recorded_at=recorded_at.isoformat(),
    )


async def resolve_record_punishment(
    info: Info[Context, None], input: PunishmentInput
) -> PunishmentRecord:
    catalogue = info.context.services.measures
    return await guard(
        info,
        "recordPunishment",
        Scope(input.case_number, (input.subject,)),
        lambda: PunishmentArgs.check(input, catalogue),
        run_record,
    )


@strawberry.type
class PunishmentMutation:
    record_punishment: PunishmentRecord = strawberry.mutation(
        resolver=resolve_record_punishment,
        description="Record that the calling department applied a measure.",
    )
