"""linkageStats: the figures of a 府院联动 work report for a period (API.md, "Statistics of
linkage work"). Admins and auditors, through the gate; six store queries whatever the
period (hub/stats/linkage.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Final

import strawberry
from strawberry.types import Info

from hub.control.rules import money
from hub.graphql import arguments
from hub.graphql.context import Context
from hub.graphql.errors import BadUserInput
from hub.graphql.guard import Scope, guard
from hub.security.principal import Principal
from hub.stats.linkage import Figures, Period, linkage_figures
from schema.measures import Measure as CatalogueMeasure

MAX_PERIOD_DAYS: Final = 3_660  # ten years


@strawberry.type(description="Calls of one operation by one department (none: the court).")
class CallCount:
    operation: str
    department: str | None
    calls: int
    subjects: int = strawberry.field(description="subjects the calls named")


@strawberry.type(description="Control requests made in the period, by where they stand now.")
class ControlCount:
    department: str
    action: str
    status: str
    requests: int


@strawberry.type
class AmountByDepartment:
    department: str
    amount: str = strawberry.field(description="yuan, two decimals")


@strawberry.type(description="Punishments recorded (惩戒反馈) of one measure by one department.")
class PunishmentCount:
    measure_code: str
    measure_name: str | None
    department: str
    records: int


@strawberry.type(description="Letters (函) sent in the period, of one kind.")
class LetterCount:
    kind: str
    letters: int
    recipients: int
    replied: int = strawberry.field(description="recipients who replied")
    replies_due: int = strawberry.field(description="recipients asked to reply by a day")
    replied_on_time: int = strawberry.field(description="of those, replied by the day")


@strawberry.type(description="The figures of a county's 府院联动 work report for a period.")
class LinkageStats:
    from_: str = strawberry.field(name="from")
    to: str
    traces: int = strawberry.field(description="tracePerson calls answered (查人)")
    asset_searches: int = strawberry.field(description="locateAssets calls answered (查物)")
    credit_checks: int = strawberry.field(description="creditCheck calls answered")
    subjects_checked: int = strawberry.field(description="subjects those credit checks named")
    calls: list[CallCount]
    control_requests: int = strawberry.field(description="made in the period")
    control_requests_by: list[ControlCount]
    answered: int = strawberry.field(description="control requests answered in the period")
    median_hours_to_answer: float | None
    amount_frozen: str = strawberry.field(description="yuan frozen by answers in the period")
    frozen_by_department: list[AmountByDepartment]
    amount_deducted: str
    deducted_by_department: list[AmountByDepartment]
    properties_sealed: int
    vehicles_sealed: int
    new_assets_found: int = strawberry.field(
        description="assets of respondents of open cases that connector runs brought (NEW_ASSET)"
    )
    punishments_recorded: int
    punishments: list[PunishmentCount]
    letters_sent: int
    letters: list[LetterCount]

    @classmethod
    def of(
        cls, period: Period, figures: Figures, catalogue: tuple[CatalogueMeasure, ...]
    ) -> LinkageStats:
        calls = [
            CallCount(
                operation=row["operation"],
                department=row.get("department"),
                calls=int(row["calls"]),
                subjects=int(row["subjects"] or 0),
            )
            for row in figures.calls
        ]

        def total(operation: str, what: str = "calls") -> int:
            return sum(getattr(c, what) for c in calls if c.operation == operation)

        names = {m.code: m.name for m in catalogue}
        punishments = [
            PunishmentCount(
                measure_code=row["measure"],
                measure_name=names.get(row["measure"]),
                department=row["department"],
                records=int(row["records"]),
            )
            for row in figures.punishments
        ]
        letters = [
            LetterCount(
                kind=row["kind"],
                letters=int(row["letters"]),
                recipients=int(row["recipients"]),
                replied=int(row["replied"]),
                replies_due=int(row["replies_due"]),
                replied_on_time=int(row["replied_on_time"]),
            )
            for row in figures.letters
        ]
        requests = [
            ControlCount(
                department=row["department"],
                action=row["action"],
                status=row["status"],
                requests=int(row["requests"]),
            )
            for row in figures.requests
        ]
        return cls(
            from_=period.first.isoformat(),
            to=period.last.isoformat(),
            traces=total("tracePerson"),
            asset_searches=total("locateAssets"),
            credit_checks=total("creditCheck"),
            subjects_checked=total("creditCheck", "subjects"),
            calls=calls,
            control_requests=sum(r.requests for r in requests),
            control_requests_by=requests,
            answered=figures.answered,
            median_hours_to_answer=figures.median_hours,
            amount_frozen=money(sum(figures.frozen.values(), Decimal(0))),
            frozen_by_department=_amounts(figures.frozen),
            amount_deducted=money(sum(figures.deducted.values(), Decimal(0))),
            deducted_by_department=_amounts(figures.deducted),
            properties_sealed=figures.sealed.get("PROPERTY", 0),
            vehicles_sealed=figures.sealed.get("VEHICLE", 0),
            new_assets_found=figures.new_assets,
            punishments_recorded=sum(p.records for p in punishments),
            punishments=punishments,
            letters_sent=sum(letter.letters for letter in letters),
            letters=letters,
        )


def _amounts(by_department: dict[str, Decimal]) -> list[AmountByDepartment]:
    return [
        AmountByDepartment(department=department, amount=money(amount))
        for department, amount in sorted(by_department.items())
    ]


@dataclass(frozen=True)
class StatsArgs:
    period: Period

    @property
    def scope(self) -> Scope:
        return Scope()

    @classmethod
    def check(cls, first: str, last: str) -> StatsArgs:
        start, end = arguments.iso_date("from", first), arguments.iso_date("to", last)
        if end < start:
            raise BadUserInput("to", f"{end} is before from ({start})")
        if (end - start).days > MAX_PERIOD_DAYS:
            raise BadUserInput("to", f"a period is at most {MAX_PERIOD_DAYS} days")
        return cls(Period(start, end))


async def _run(context: Context, principal: Principal, args: StatsArgs) -> LinkageStats:
    figures = await linkage_figures(context.store, args.period)
    return LinkageStats.of(args.period, figures, context.services.measures)


async def resolve_linkage_stats(
    info: Info[Context, None],
    from_: Annotated[str, strawberry.argument(name="from")],
    to: str,
) -> LinkageStats:
    return await guard(info, "linkageStats", Scope(), lambda: StatsArgs.check(from_, to), _run)


@strawberry.type
class StatsQuery:
    linkage_stats: LinkageStats = strawberry.field(
        resolver=resolve_linkage_stats,
        description="The figures of the county's 府院联动 work report from `from` to `to` "
        "(both days included, YYYY-MM-DD). Admin and auditor.",
    )
