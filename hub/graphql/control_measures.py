"""ControlMeasure: a freeze or seal on an asset, as controlRequest and locateAssets show it."""

from __future__ import annotations

from typing import Any

import strawberry

from hub.control.rules import MeasureKind, MeasureState

ControlMeasureKind = strawberry.enum(MeasureKind, name="ControlMeasureKind")
ControlMeasureState = strawberry.enum(MeasureState, name="ControlMeasureState")


@strawberry.type(description="A freeze or seal on an asset, whichever case it serves.")
class ControlMeasure:
    id: str
    kind: MeasureKind
    case_number: str | None
    amount: str | None
    effective_from: str | None
    effective_until: str | None
    queue_position: int | None = strawberry.field(
        description="1 = in force; 2, 3 … = 轮候, waiting in the order served"
    )
    state: MeasureState
    request_id: str | None
    served_at: str | None
    reported: str | None = strawberry.field(
        description="An earlier seal (在先查封) not served through the hub, as the department "
        "reported or published it: caseNumber and term are then unknown, and it ends when the "
        "department publishes the asset free of seals"
    )

    @classmethod
    def of(cls, row: dict[str, Any]) -> ControlMeasure:
        position = row.get("queue_position")
        return cls(
            id=row["measure_id"],
            kind=MeasureKind(row["kind"]),
            case_number=row.get("case_number"),
            amount=row.get("amount"),
            effective_from=row.get("effective_from"),
            effective_until=row.get("effective_until"),
            queue_position=None if position is None else int(position),
            state=MeasureState(row["state"]),
            request_id=row.get("request_id"),
            served_at=row.get("served_at"),
            reported=row.get("reported"),
        )


@strawberry.type(description="The latest wage check (农民工工资核查) of an enterprise by 人社.")
class WageCheck:
    request_id: str
    case_number: str | None
    status: str = strawberry.field(description="A ControlStatus: PENDING, RECEIVED, DONE …")
    arrears_found: bool | None = strawberry.field(description="null until answered")
    amount: str | None
    workers: int | None
    requested_at: str | None
    answered_at: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> WageCheck:
        found, workers = row.get("found"), row.get("workers")
        return cls(
            request_id=row["request_id"],
            case_number=row.get("case_number"),
            status=row["status"],
            arrears_found=None if found is None else bool(found),
            amount=row.get("amount"),
            workers=None if workers is None else int(workers),
            requested_at=row.get("requested_at"),
            answered_at=row.get("answered_at"),
        )
