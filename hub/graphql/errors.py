"""The errors a GraphQL client sees, each with the `extensions.code` API.md lists.

A resolver (through the guard) raises one of these; anything else that escapes is an
INTERNAL error whose message says nothing about the cause (no stack trace, no Cypher):
the cause goes to the log under the request id the client is given.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from graphql import GraphQLError

Code = Literal[
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "RATE_LIMITED",
    "QUERY_TOO_COMPLEX",
    "INTERNAL",
]

INTERNAL_MESSAGE: Final = "internal error; the hub's log has the details under this request id"


class ApiError(GraphQLError):
    """An error with a code from API.md; its message is safe to show to the caller."""

    code: Code = "INTERNAL"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class Unauthenticated(ApiError):
    code = "UNAUTHENTICATED"


class Forbidden(ApiError):
    code = "FORBIDDEN"


class NotFound(ApiError):
    code = "NOT_FOUND"


class RateLimited(ApiError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message, retryAfter=round(retry_after, 3))


class QueryTooComplex(ApiError):
    code = "QUERY_TOO_COMPLEX"


class Internal(ApiError):
    code = "INTERNAL"

    def __init__(self) -> None:
        super().__init__(INTERNAL_MESSAGE)


class BadUserInput(ApiError):
    """An argument that cannot be used: names the argument and why, before any query runs."""

    code = "BAD_USER_INPUT"

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"argument {argument}: {reason}", argument=argument)
        self.argument = argument
        self.reason = reason
