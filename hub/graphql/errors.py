"""The errors a GraphQL client sees, each with the `extensions.code` API.md lists.

They are the refusals of `hub.security.refusals`, the same classes every door raises; their
code comes from its one table (`ANSWERS`). A resolver (through the guard) raises one of
these; anything else that escapes is an INTERNAL error whose message says nothing about the
cause (no stack trace, no Cypher): where it happened goes to the log under the request id
the client is given.
"""

from __future__ import annotations

from hub.security.refusals import (
    INTERNAL_MESSAGE,
    BadInput,
    Code,
    Forbidden,
    Internal,
    NotFound,
    RateLimited,
    Refusal,
    TooComplex,
    Unauthenticated,
    Unavailable,
)

ApiError = Refusal  # an error with a code from API.md; its message is safe to show
BadUserInput = BadInput  # names the argument and why, before any query runs
QueryTooComplex = TooComplex

__all__ = [
    "INTERNAL_MESSAGE",
    "ApiError",
    "BadUserInput",
    "Code",
    "Forbidden",
    "Internal",
    "NotFound",
    "QueryTooComplex",
    "RateLimited",
    "Unauthenticated",
    "Unavailable",
]
