"""Every way the hub refuses a request, and the one table of what each refusal answers.

A refusal is an exception whose message is safe to show the caller (no stack trace, no
Cypher, no value of another person's). Whichever door a request came through (GraphQL,
ingest, the doors to come), the gate (`hub.security.gate`) records the refusal in the audit
log and the door answers it as `ANSWERS` says: the GraphQL `extensions.code`, the HTTP
status of a door that answers with one, and the outcome of the audit record.

`policy.Forbidden`, `policy.NotFound` and `limits.RateLimited` are the classes defined here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from hub.security.audit import Outcome

Code = Literal[
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "RATE_LIMITED",
    "QUERY_TOO_COMPLEX",
    "UNAVAILABLE",
    "INTERNAL",
]

INTERNAL_MESSAGE: Final = "internal error; the hub's log has the details under this request id"


class Refusal(Exception):
    """A request the hub answers with an error; `message` is safe to show the caller.

    `details` are extra fields of the answer (GraphQL extensions, JSON error fields): the
    argument a bad input names, the seconds to wait before retrying.
    """

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    @property
    def answer(self) -> Answer:
        return answer_to(self)

    @property
    def extensions(self) -> dict[str, Any]:
        """What a GraphQL error carries (graphql-core copies this from the original error)."""
        return {"code": self.answer.code, **self.details}

    @property
    def audit_reason(self) -> str:
        return f"{self.answer.code}: {self.message}"


class Unauthenticated(Refusal):
    """No token, or one the hub does not accept; the message says why in plain words."""


class Forbidden(Refusal):
    """The caller may not do this; `rule` (also the message) names the rule that refused."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


class NotFound(Refusal):
    """What the request names (a case, a subject) does not exist."""


class RateLimited(Refusal):
    """Too many requests; the caller may try again after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            f"too many requests: try again in {math.ceil(retry_after)} s",
            retryAfter=round(retry_after, 3),
        )
        self.retry_after = retry_after


class BadInput(Refusal):
    """An argument that cannot be used: names the argument and why, before any query runs."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"argument {argument}: {reason}", argument=argument)
        self.argument = argument
        self.reason = reason


class BadRequest(Refusal):
    """A request the door cannot read: not JSON, a batch, no query, an unknown operation."""


class MethodNotAllowed(Refusal):
    """An HTTP method the door does not answer."""


class TooComplex(Refusal):
    """A query document too deep or too big to answer cheaply."""


class TooLarge(Refusal):
    """A request body over the door's size limit (never read whole)."""


class UnsupportedMediaType(Refusal):
    """A body of a content type the door does not take."""


class Unavailable(Refusal):
    """The graph store cannot answer now; the caller may retry after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message, retryAfter=round(retry_after, 3))
        self.retry_after = retry_after


class Internal(Refusal):
    """The hub failed (the cause is in its log under the request id), or could not record
    the request in the audit log: the caller gets no data."""

    def __init__(self, message: str = INTERNAL_MESSAGE) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class Answer:
    code: Code  # GraphQL `extensions.code` (API.md)
    status: int  # HTTP status, for doors that answer with one
    outcome: Outcome  # of the audit record


# The one table: each refusal's GraphQL code, HTTP status and audit outcome.
ANSWERS: Final[Mapping[type[Refusal], Answer]] = {
    Unauthenticated: Answer("UNAUTHENTICATED", 401, "DENIED"),
    Forbidden: Answer("FORBIDDEN", 403, "DENIED"),
    NotFound: Answer("NOT_FOUND", 404, "DENIED"),
    RateLimited: Answer("RATE_LIMITED", 429, "DENIED"),
    BadInput: Answer("BAD_USER_INPUT", 400, "DENIED"),
    BadRequest: Answer("BAD_USER_INPUT", 400, "DENIED"),
    MethodNotAllowed: Answer("BAD_USER_INPUT", 405, "DENIED"),
    TooComplex: Answer("QUERY_TOO_COMPLEX", 400, "DENIED"),
    TooLarge: Answer("BAD_USER_INPUT", 413, "DENIED"),
    UnsupportedMediaType: Answer("BAD_USER_INPUT", 415, "DENIED"),
    Unavailable: Answer("UNAVAILABLE", 503, "ERROR"),
    Internal: Answer("INTERNAL", 500, "ERROR"),
}


def answer_to(refusal: Refusal) -> Answer:
    """The table's row for `refusal`'s class or the nearest class above it."""
    for cls in type(refusal).__mro__:
        answer = ANSWERS.get(cls)
        if answer is not None:
            return answer
    return ANSWERS[Internal]


def retry_after_header(refusal: Refusal) -> dict[str, str]:
    """`Retry-After` (whole seconds, at least 1) for a refusal that says when to retry."""
    seconds = getattr(refusal, "retry_after", None)
    if not isinstance(seconds, int | float):
        return {}
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
