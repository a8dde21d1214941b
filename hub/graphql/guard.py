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
from hub.security.gate import Checked, Subjects, result_count
from hub.security.policy import Purpose
from hub.security.principal import Principal

Scope = Subjects  # what a call is about: its case, the subjects it names

A = TypeVar("A", bound=Checked)
R = TypeVar("R")

Run = Callable[[Context, Principal, A], Awaitable[R]]

__all__ = ["Checked", "Scope", "guard", "purpose", "result_count"]


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


def purpose(context: Context) -> Purpose:
    """The purpose check the operation's first query is to carry (`Purpose.read`)."""
    if context.purpose is None:
        raise RuntimeError("this operation's first query carries the purpose check: none given")
    return context.purpose
