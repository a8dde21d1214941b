"""auditEvents and verifyAuditChain: the auditor's view of the audit log (hub.security.audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from hub.graphql import arguments
from hub.graphql.context import Context
from hub.graphql.errors import BadUserInput
from hub.graphql.guard import Scope, guard
from hub.security.audit import AuditEvent as StoredEvent
from hub.security.audit import AuditFilter as StoredFilter
from hub.security.audit import AuditPage, InvalidCursor
from hub.security.audit import AuditVerification as StoredVerification
from hub.security.principal import Principal
from hub.settings import AUDIT_EVENTS_PAGE, MAX_PAGE_SIZE


@strawberry.enum
class AuditOutcome(Enum):
    ALLOWED = "ALLOWED"
    DENIED = "DENIED"
    ERROR = "ERROR"


@strawberry.input
class AuditFilter:
    actor: str | None = None
    department: str | None = strawberry.field(
        default=None, description="The department code of the caller's token."
    )
    case_number: str | None = None
    subject: str | None = None
    operation: str | None = None
    outcome: AuditOutcome | None = None
    from_: str | None = strawberry.field(
        default=None, name="from", description="ISO timestamp, inclusive"
    )
    to: str | None = strawberry.field(default=None, description="ISO timestamp, exclusive")


@strawberry.type(description="One record of the hash-chained audit log.")
class AuditEvent:
    seq: int
    at: str
    actor: str | None
    role: str | None
    department: str | None
    operation: str
    case_number: str | None
    subjects: list[str]
    outcome: AuditOutcome
    result_count: int
    reason: str | None
    dataset: str | None = strawberry.field(
        description="For ingest calls (数据上报): the dataset published, such as psb.persons."
    )
    client_address: str | None
    request_id: str = strawberry.field(description="Made by the hub for each request.")
    client_request_id: str | None = strawberry.field(
        description="The caller's own X-Request-ID, as sent (sanitised), if any."
    )
    hash: str
    prev_hash: str

    @classmethod
    def of(cls, event: StoredEvent) -> AuditEvent:
        return cls(
            seq=event.seq,
            at=event.at,
            actor=event.actor,
            role=event.role,
            department=event.department,
            operation=event.operation,
            case_number=event.case_number,
            subjects=list(event.subjects),
            outcome=AuditOutcome(event.outcome),
            result_count=event.result_count,
            reason=event.reason,
            dataset=event.dataset,
            client_address=event.client_address,
            request_id=event.request_id,
            client_request_id=event.client_request_id,
            hash=event.hash,
            prev_hash=event.prev_hash,
        )


@strawberry.type
class AuditEventEdge:
    cursor: str
    node: AuditEvent


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class AuditEventConnection:
    edges: list[AuditEventEdge]
    page_info: PageInfo

    @classmethod
    def of(cls, page: AuditPage) -> AuditEventConnection:
        return cls(
            edges=[AuditEventEdge(cursor=e.cursor, node=AuditEvent.of(e)) for e in page.events],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )

    @property
    def result_count(self) -> int:
        return len(self.edges)


@strawberry.type(description="The audit chain recomputed, and its signed checkpoints checked.")
class AuditVerification:
    ok: bool
    checked: int = strawberry.field(description="Records that check out before the problem.")
    first_broken_seq: int | None = strawberry.field(
        description="The first record whose hash or link is wrong."
    )
    reason: str | None
    checkpoints: int = strawberry.field(description="Signed checkpoints that check out.")
    first_bad_checkpoint: int | None = strawberry.field(
        description="The seq of the first checkpoint that disagrees with the chain."
    )

    @classmethod
    def of(cls, verification: StoredVerification) -> AuditVerification:
        return cls(
            ok=verification.ok,
            checked=verification.checked,
            first_broken_seq=verification.first_broken_seq,
            reason=verification.reason,
            checkpoints=verification.checkpoints,
            first_bad_checkpoint=verification.first_bad_checkpoint,
        )


def _moment(argument: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadUserInput(argument, f"not an ISO timestamp: {value[:40]!r}") from None


@dataclass(frozen=True)
class EventsArgs:
    filter: StoredFilter
    first: int
    after: str | None

    @property
    def scope(self) -> Scope:
        return Scope(self.filter.case_number, (self.filter.subject,) if self.filter.subject else ())

    @classmethod
    def check(cls, given: AuditFilter | None, first: int | None, after: str | None) -> EventsArgs:
        given = given or AuditFilter()
        if after is not None and not (after.isascii() and after.isdigit()):
            raise BadUserInput("after", "not a cursor this connection handed out")
        stored = StoredFilter(
            actor=given.actor,
            department=given.department,
            case_number=given.case_number,
            subject=given.subject,
            operation=given.operation,
            outcome=given.outcome.value if given.outcome else None,
            start=_moment("filter.from", given.from_),
            end=_moment("filter.to", given.to),
        )
        return cls(
            stored, arguments.page_size("first", first, AUDIT_EVENTS_PAGE, MAX_PAGE_SIZE), after
        )


@dataclass(frozen=True)
class VerifyArgs:
    @property
    def scope(self) -> Scope:
        return Scope()


async def run_events(
    context: Context, principal: Principal, args: EventsArgs
) -> AuditEventConnection:
    try:
        page = await context.services.audit.events(args.filter, args.first, args.after)
    except InvalidCursor:
        raise BadUserInput("after", "not a cursor this connection handed out") from None
    return AuditEventConnection.of(page)


async def run_verify(context: Context, principal: Principal, args: VerifyArgs) -> AuditVerification:
    return AuditVerification.of(await context.services.audit.verify())


async def resolve_audit_events(
    info: Info[Context, None],
    filter: AuditFilter | None = None,
    first: int | None = AUDIT_EVENTS_PAGE,
    after: str | None = None,
) -> AuditEventConnection:
    return await guard(
        info,
        "auditEvents",
        Scope(),
        lambda: EventsArgs.check(filter, first, after),
        run_events,
    )


async def resolve_verify_audit_chain(info: Info[Context, None]) -> AuditVerification:
    return await guard(info, "verifyAuditChain", Scope(), VerifyArgs, run_verify)


@strawberry.type
class AuditQuery:
    audit_events: AuditEventConnection = strawberry.field(
        resolver=resolve_audit_events, description="Audit records, newest first. Auditor."
    )
    verify_audit_chain: AuditVerification = strawberry.field(
        resolver=resolve_verify_audit_chain,
        description="Recompute the audit chain's hashes. Auditor.",
    )
