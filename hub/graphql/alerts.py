"""Alerts over GraphQL: alerts and markAlertsRead (API.md, "Alerts"; docs/alerts.md).

Both go through the gate (`guard`): authenticate, rate limit, check the arguments, the role
(officer or department), then the caller's own alerts only. An alert's subject is a party
of the officer's own case, or of a request addressed to the department: shown in full, as
controlRequests shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from strawberry.types import Info

from hub.alerts import reading
from hub.alerts.kinds import AlertKind
from hub.control.clock import CLOCK
from hub.graphql import arguments
from hub.graphql.assets import AssetSubject, SubjectKind
from hub.graphql.context import Context
from hub.graphql.errors import BadUserInput
from hub.graphql.guard import Scope, guard
from hub.security.principal import Principal
from hub.settings import MAX_PAGE_SIZE

AlertKindType = strawberry.enum(AlertKind, name="AlertKind")

DEFAULT_PAGE = 50  # alerts(first:) when not given (API.md)
IDENT = 64
CURSOR = "alerts"


@strawberry.type(description="提醒: something that happened in one of the caller's cases.")
class Alert:
    id: strawberry.ID
    kind: AlertKind
    case_number: str | None
    subject: AssetSubject | None
    message: str = strawberry.field(description="One line, in Chinese")
    at: str
    read: bool
    ref: str | None = strawberry.field(
        description="The id of the request, measure, asset or letter it is about"
    )

    @classmethod
    def of(cls, row: dict[str, object]) -> Alert:
        subject_id = row.get("subject_id")
        subject = None
        if isinstance(subject_id, str):
            name = row.get("subject_name")
            subject = AssetSubject(
                id=subject_id,
                name=name if isinstance(name, str) else None,
                kind=SubjectKind(str(row.get("subject_kind") or "PERSON")),
            )
        return cls(
            id=strawberry.ID(str(row["alert_id"])),
            kind=AlertKind(str(row["kind"])),
            case_number=None if row.get("case_number") is None else str(row["case_number"]),
            subject=subject,
            message=str(row.get("message") or ""),
            at=str(row["at"]),
            read=bool(row.get("read")),
            ref=None if row.get("ref") is None else str(row["ref"]),
        )


@strawberry.type
class AlertEdge:
    cursor: str
    node: Alert


@strawberry.type(name="AlertPageInfo")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class AlertConnection:
    edges: list[AlertEdge]
    page_info: PageInfo

    @property
    def result_count(self) -> int:
        return len(self.edges)


@dataclass(frozen=True)
class AlertsArgs:
    unread_only: bool
    skip: int
    first: int

    @property
    def scope(self) -> Scope:
        return Scope()


@dataclass(frozen=True)
class MarkArgs:
    ids: tuple[str, ...]

    @property
    def scope(self) -> Scope:
        return Scope()

    @classmethod
    def check(cls, ids: list[strawberry.ID]) -> MarkArgs:
        if not ids:
            raise BadUserInput("ids", "name at least one alert")
        if len(ids) > MAX_PAGE_SIZE:
            raise BadUserInput("ids", f"at most {MAX_PAGE_SIZE} alerts at a time")
        return cls(tuple(arguments.text(f"ids[{n}]", str(i), IDENT) for n, i in enumerate(ids)))


async def _run_list(context: Context, principal: Principal, args: AlertsArgs) -> AlertConnection:
    rows = await reading.list_alerts(
        context.store, principal, args.unread_only, args.skip, args.first + 1
    )
    edges = [
        AlertEdge(cursor=arguments.cursor(CURSOR, args.skip + n + 1), node=Alert.of(row))
        for n, row in enumerate(rows[: args.first])
    ]
    return AlertConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > args.first, end_cursor=edges[-1].cursor if edges else None
        ),
    )


async def _run_mark(context: Context, principal: Principal, args: MarkArgs) -> int:
    return await reading.mark_read(context.store, principal, list(args.ids), CLOCK.now())


async def resolve_alerts(
    info: Info[Context, None],
    unread: bool | None = None,
    first: int | None = DEFAULT_PAGE,
    after: str | None = None,
) -> AlertConnection:
    def check() -> AlertsArgs:
        return AlertsArgs(
            unread_only=bool(unread),
            skip=arguments.offset(CURSOR, after),
            first=arguments.page_size("first", first, DEFAULT_PAGE, MAX_PAGE_SIZE),
        )

    return await guard(info, "alerts", Scope(), check, _run_list)


async def resolve_mark_alerts_read(info: Info[Context, None], ids: list[strawberry.ID]) -> int:
    return await guard(info, "markAlertsRead", Scope(), lambda: MarkArgs.check(ids), _run_mark)


@strawberry.type
class AlertsQuery:
    alerts: AlertConnection = strawberry.field(
        resolver=resolve_alerts,
        description="The caller's own alerts (提醒), newest first: an officer's of their open "
        "cases, a department's addressed to it. unread: true for the unread ones only.",
    )


@strawberry.type
class AlertsMutation:
    mark_alerts_read: int = strawberry.mutation(
        resolver=resolve_mark_alerts_read,
        description="Mark the caller's alerts of `ids` read; returns how many were unread. "
        "Ids of alerts not the caller's are passed over.",
    )
