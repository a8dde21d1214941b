"""The one path every GraphQL operation takes; no resolver does these steps itself.

Each root field goes through the gate every door uses (`hub.security.gate`):
authenticate → rate limit → check the arguments → authorize → run the operation's named
queries (building response types masks non-subjects) → close the audit record → answer.

Every operation leaves exactly one audit record, refusals included, written before the
answer leaves: when it cannot be written, the caller gets INTERNAL and no data.

An officer's purpose check is one more query before the operation's own, except for the
operations whose first query carries it (`policy.CHECKED_IN_QUERY`): they read it through
`purpose(context).read(…)`, and the gate records its refusal as it records its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TypeVar

from strawberry.types import Info

from hub.graphql.context import Context
from hub.security.gate import Checked, OpenRecord, Subjects, result_count
from hub.security.policy import Purpose
from hub.security.principal import Principal
from hub.security.refusals import NotFound, Refusal

Scope = Subjects  # what a call is about: its case, the subjects it names

A = TypeVar("A", bound=Checked)
R = TypeVar("R")

Run = Callable[[Context, Principal, A], Awaitable[R]]
RecordedRun = Callable[[Context, Principal, A, OpenRecord], Awaitable[R]]

__all__ = ["Checked", "Scope", "guard", "guarded", "purpose", "result_count"]


async def guard(
    info: Info[Context, None],
    operation: str,
    raw: Scope,
    check: Callable[[], A],
    run: Run[A, R],
) -> R:
    """Run `operation` for the caller of this request, through the gate.

    `raw` is what the unchecked arguments name (for the record of a refused call); `check`
    validates the arguments without touching the store; `run` queries and builds the answer.
    """
    context = info.context

    async def run_for(principal: Principal, arguments: A, purpose: Purpose | None) -> R:
        own = context if purpose is None else dataclasses.replace(context, purpose=purpose)
        return await run(own, principal, arguments)

    return await context.gate.run(context.visit, operation, raw, check, run_for)


async def guarded(
    info: Info[Context, None],
    operation: str,
    raw: Scope,
    check: Callable[[], A],
    run: RecordedRun[A, R],
) -> R:
    """`guard`, for operations whose last checks need the store (control requests,
    punishments, letters): `run` gets the open record, may name the case and subject on it
    once it knows them, and a refusal it raises is recorded as DENIED (NOT_FOUND as an
    allowed call that found nothing, as the gate does)."""
    context = info.context
    admission = await context.gate.admit(context.visit, operation, raw, check)
    record = admission.record
    try:
        result = await run(context, admission.principal, admission.arguments, record)
    except NotFound as missing:
        await record.close("ALLOWED", 0, missing.message)
        raise
    except Refusal as refusal:
        raise await record.refuse(refusal) from None
    except Exception as error:
        raise await record.fail(error, operation) from None
    await record.close("ALLOWED", result_count(result))
    return result


def purpose(context: Context) -> Purpose:
    """The purpose check the operation's first query is to carry (`Purpose.read`)."""
    if context.purpose is None:
        raise RuntimeError("this operation's first query carries the purpose check: none given")
    return context.purpose
