"""The one path every GraphQL operation takes; no resolver does these steps itself.

authenticate → rate limit → check the arguments → authorize → run the operation's named
queries (building response types masks non-subjects) → append the audit record → answer.

Every call leaves exactly one audit record, refusals included. The record is written before
the answer leaves: when it cannot be written, the caller gets INTERNAL and no data.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sized
from dataclasses import dataclass
from typing import Protocol, TypeVar

from strawberry.types import Info

from hub.graphql.context import Context
from hub.graphql.errors import (
    ApiError,
    Forbidden,
    Internal,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from hub.metrics import REQUESTS
from hub.security import policy
from hub.security.audit import AuditRecord, Outcome
from hub.security.limits import RateLimited as OverLimit
from hub.security.principal import Principal
from hub.security.tokens import AuthError

log = logging.getLogger(__name__)

MAX_AUDITED_SUBJECTS_CHARS = 64  # a raw argument recorded for a refused call is cut to this


@dataclass(frozen=True)
class Scope:
    """What a call is about: the case it is made for and the subjects it names."""

    case_number: str | None = None
    subjects: tuple[str, ...] = ()

    @property
    def subject(self) -> str | None:
        """The one subject the policy checks against the case (None for several or none)."""
        return self.subjects[0] if len(self.subjects) == 1 else None

    def cut(self) -> Scope:
        """The scope of raw, unchecked arguments, each cut short for the audit record."""
        return Scope(
            None if self.case_number is None else self.case_number[:MAX_AUDITED_SUBJECTS_CHARS],
            tuple(s[:MAX_AUDITED_SUBJECTS_CHARS] for s in self.subjects),
        )


class Checked(Protocol):
    """Arguments that passed their checks, and what they are about."""

    @property
    def scope(self) -> Scope: ...


A = TypeVar("A", bound=Checked)
R = TypeVar("R")

Run = Callable[[Context, Principal, A], Awaitable[R]]


def result_count(result: object) -> int:
    """How many items an answer holds, for the audit record."""
    if result is None:
        return 0
    counted = getattr(result, "result_count", None)
    if isinstance(counted, int):
        return counted
    if isinstance(result, Sized):
        return len(result)
    return 1


async def guard(
    info: Info[Context, None],
    operation: str,
    raw: Scope,
    check: Callable[[], A],
    run: Run[A, R],
) -> R:
    """Run `operation` for the caller of this request, following the module's steps.

    `raw` is what the unchecked arguments name (for the record of a refused call); `check`
    validates the arguments without touching the store; `run` queries and builds the answer.
    """
    context = info.context
    call = _Call(context, operation, raw.cut())
    limiter = context.services.limiter
    try:
        principal = await context.principal()
    except AuthError as error:
        try:
            limiter.check_address(context.client_address)  # no token: limited by address
        except OverLimit as limited:
            raise await call.refused(_rate_limited(limited)) from None
        raise await call.refused(Unauthenticated(error.reason)) from None
    call.principal = principal
    try:
        limiter.check(principal, operation)
    except OverLimit as limited:
        raise await call.refused(_rate_limited(limited)) from None
    try:
        arguments = check()
    except ApiError as error:
        raise await call.refused(error) from None
    call.scope = arguments.scope
    try:
        await policy.authorize(
            context.store,
            principal,
            operation,
            case_number=call.scope.case_number,
            subject=call.scope.subject,
            departments=context.services.departments,
        )
    except policy.Forbidden as error:
        raise await call.refused(Forbidden(error.rule)) from None
    except policy.NotFound as error:
        raise await call.refused(NotFound(str(error))) from None
    except Exception:
        log.exception("request %s: %s: the policy check failed", context.request_id, operation)
        raise await call.failed() from None
    try:
        result = await run(context, principal, arguments)
    except ApiError as error:
        await call.record("ALLOWED", 0, error.message)
        raise
    except Exception:
        log.exception("request %s: %s failed", context.request_id, operation)
        raise await call.failed() from None
    await call.record("ALLOWED", result_count(result))
    return result


def _rate_limited(limited: OverLimit) -> RateLimited:
    return RateLimited(
        f"too many requests: retry in {limited.retry_after:.1f} s", limited.retry_after
    )


class _Call:
    """One guarded call's audit record, written once whatever the outcome."""

    def __init__(self, context: Context, operation: str, scope: Scope) -> None:
        self.context = context
        self.operation = operation
        self.scope = scope
        self.principal: Principal | None = None

    async def refused(self, error: ApiError) -> ApiError:
        await self.record("DENIED", 0, f"{error.code}: {error.message}")
        return error

    async def failed(self) -> ApiError:
        await self.record("ERROR", 0, "internal error")
        return Internal()

    async def record(self, outcome: Outcome, count: int, reason: str | None = None) -> None:
        principal = self.principal
        context = self.context
        record = AuditRecord(
            actor=principal.subject if principal else None,
            role=principal.role if principal else None,
            department=principal.department if principal else None,
            operation=self.operation,
            case_number=self.scope.case_number,
            subjects=self.scope.subjects,
            outcome=outcome,
            result_count=count,
            client_address=context.client_address,
            request_id=context.request_id,
            reason=reason,
        )
        REQUESTS.labels(self.operation, outcome).inc()
        try:
            await context.services.audit.append(record)
        except Exception:
            log.exception("request %s: the audit record could not be written", context.request_id)
            raise Internal() from None
        context.audited = True
