"""The one gate every door calls: who is calling, may they, and the record of what happened.

A door is a way into the hub over HTTP: `/graphql`, `/ingest/{dataset}` and a run's rejects,
the console's, and the doors to come (control files, alerts). Every door takes the same
steps, here:

    authenticate → rate limit → check the arguments → authorize        (`Gate.admit`)
    → the door runs the operation → close the open audit record        (`OpenRecord.close`)

`Gate.admit` returns the caller (`Principal`) and the open audit record of the operation,
or raises a `Refusal` (hub.security.refusals) that it has already recorded as DENIED. The
door closes the record with the outcome (ALLOWED with the result count, or ERROR) before it
answers; `Gate.run` does all of it for a door whose operation is one call.

"Every request leaves a record" holds by construction: `EveryRequestRecorded`, an ASGI
middleware in front of the doors, gives each request a `Visit` and holds back the start of
its answer until the visit has a record. A request that ran no operation (refused before
the gate, say a body too large or not JSON; or one that asked for no operation) gets a
record of its own then, from the door's own conclusion (`Visit.conclude`) or from the HTTP
status. When a record cannot be written, the caller gets no data: the gate raises
`AuditFailed` (INTERNAL), and the middleware answers 500 instead of anything not recorded.
"""

from __future__ import annotations

import contextlib
import logging
import math
import traceback
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sized
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Generic, Protocol, TypeVar

from starlette.datastructures import State
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.metrics import REQUESTS
from hub.security import policy
from hub.security.account_states import AccountStates, session_account
from hub.security.audit import AuditLog, AuditRecord, Outcome
from hub.security.cookies import cookie_credential
from hub.security.limits import RateLimiter
from hub.security.principal import Principal
from hub.security.refusals import (
    Internal,
    Refusal,
    Unauthenticated,
    Unavailable,
    retry_after_header,
)
from hub.security.tokens import AuthError, TokenVerifier
from hub.settings import MAX_AUDITED_CHARS, MAX_REASON_CHARS
from hub.store import GraphStore, StoreUnavailable, unavailable_cause
from schema.departments import Department

log = logging.getLogger(__name__)

INTERNAL_REASON = "internal error"


@dataclass(frozen=True)
class Subjects:
    """What a call is about: the case it is made for, the subjects and dataset it names."""

    case_number: str | None = None
    subjects: tuple[str, ...] = ()
    dataset: str | None = None

    @property
    def subject(self) -> str | None:
        """The one subject the policy checks against the case (None for several or none)."""
        return self.subjects[0] if len(self.subjects) == 1 else None

    def cut(self) -> Subjects:
        """Raw, unchecked arguments, each cut short for the audit record."""
        return Subjects(
            None if self.case_number is None else self.case_number[:MAX_AUDITED_CHARS],
            tuple(s[:MAX_AUDITED_CHARS] for s in self.subjects),
            None if self.dataset is None else self.dataset[:MAX_AUDITED_CHARS],
        )


class Checked(Protocol):
    """Arguments that passed their checks, and what they are about."""

    @property
    def scope(self) -> Subjects: ...


A = TypeVar("A", bound=Checked)
R = TypeVar("R")


@dataclass(frozen=True)
class Unchecked:
    """The arguments of an operation that has none to check beyond what they name."""

    scope: Subjects = Subjects()


@dataclass
class Visit:
    """One request at a door: its facts, its caller once verified, and its audit records."""

    door: str  # the audit operation of a record that names no operation of its own
    authorization: str | None
    client_address: str | None
    request_id: str  # made by the hub (hub.security.request_log)
    client_request_id: str | None = None  # the caller's X-Request-ID, sanitised
    records: int = 0  # audit records written for this request
    audit_failed: bool = False  # a record could not be written: the answer holds no data
    exempt: str | None = None  # why this request needs no record (the IDE page)
    outcome: Outcome | None = None  # how the door says it ended, for its own record
    reason: str | None = None
    _caller: Principal | AuthError | None = field(default=None, repr=False)
    _refused: Refusal | None = field(default=None, repr=False)  # of an anonymous caller
    _session_open: bool = field(default=False, repr=False)  # its account checked this request

    @classmethod
    def of(cls, scope: Scope, door: str) -> Visit:
        state = scope.setdefault("state", {})
        headers: dict[bytes, str] = {}
        for name, value in scope["headers"]:  # several Cookie headers are one list of cookies
            text = bytes(value).decode("latin-1")
            headers[name] = (
                f"{headers[name]}; {text}" if name == b"cookie" and name in headers else text
            )
        authorization: str | None = headers.get(b"authorization")
        refused = None
        if authorization is None and b"cookie" in headers:  # a console session
            credential = cookie_credential(
                headers[b"cookie"], headers.get(b"x-csrf-token"), scope.get("method", "GET")
            )
            if isinstance(credential, AuthError):
                refused = credential
            else:
                authorization = credential
        client = scope.get("client")
        return cls(
            door=door,
            authorization=authorization,
            client_address=client[0] if client else None,
            request_id=state.get("request_id") or _new_id(),
            client_request_id=state.get("client_request_id"),
            _caller=refused,
        )

    async def caller(self, verifier: TokenVerifier) -> Principal:
        """The caller, verified once per request; raises AuthError."""
        if self._caller is None:
            try:
                self._caller = await verifier.verify(self.authorization)
            except AuthError as error:
                self._caller = error
        if isinstance(self._caller, AuthError):
            raise self._caller
        return self._caller

    @property
    def principal(self) -> Principal | None:
        """The caller when already verified and accepted."""
        return self._caller if isinstance(self._caller, Principal) else None

    @property
    def refusal(self) -> Refusal | None:
        """The refusal of a caller found without a valid token (`Gate.authenticate`)."""
        return self._refused

    @property
    def needs_record(self) -> bool:
        """No record yet, none being refused (a failed write made the answer INTERNAL), and
        not exempt."""
        return self.records == 0 and self.exempt is None and not self.audit_failed

    def conclude(self, outcome: Outcome, reason: str | None) -> None:
        """What the door's own record says, should no operation have recorded the request."""
        self.outcome, self.reason = outcome, reason


def _new_id() -> str:
    return uuid.uuid4().hex


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


def log_failure(visit: Visit, where: str, error: BaseException) -> None:
    """Log an unexpected error with where it happened, never its message: that may quote an
    argument or a cell of a department's file."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error(
        "request %s: %s failed with %s at\n%s",
        visit.request_id,
        where,
        type(error).__name__,
        frames,
    )


class AuditFailed(Internal):
    """The audit record could not be written: the request is answered with no data."""

    def __init__(self) -> None:
        super().__init__(
            "the request could not be recorded in the audit log, so it was not answered; "
            "try again later"
        )


def store_unavailable(down: StoreUnavailable) -> Unavailable:
    """The caller's side of `down`: the why (paths, errno) stays in the log."""
    wait = max(1, math.ceil(down.retry_after))
    return Unavailable(f"the graph store is restarting or unreachable; try again in {wait} s", wait)


class AuditUnavailable(Unavailable, AuditFailed):
    """The audit record could not be written because the graph store is down (restarting,
    say): the request is answered UNAVAILABLE, 503 with Retry-After, and no data."""

    def __init__(self, down: StoreUnavailable) -> None:
        refusal = store_unavailable(down)  # Refusal's own __init__: AuditFailed's takes none
        Refusal.__init__(self, refusal.message, **refusal.details)
        self.retry_after = refusal.retry_after


@dataclass(frozen=True)
class Gate:
    """What the gate needs of the app; made per request from the app's state."""

    verifier: TokenVerifier
    limiter: RateLimiter
    audit: AuditLog
    store: GraphStore
    departments: Mapping[str, Department]
    accounts: AccountStates  # of console sessions: disabled ones end at once (account_states)

    @classmethod
    def of(cls, state: State) -> Gate:
        accounts = getattr(state, "account_states", None)
        if not isinstance(accounts, AccountStates):  # one per app, made on first use
            accounts = state.account_states = AccountStates(state.settings.session_recheck_seconds)
        return cls(
            state.verifier, state.limiter, state.audit, state.store, state.departments, accounts
        )

    @classmethod
    def of_request(cls, scope: Scope) -> Gate:
        """The gate of this request: made once, from the app's state as it is now."""
        state = scope.setdefault("state", {})
        gate = state.get("gate")
        if not isinstance(gate, Gate):
            gate = state["gate"] = cls.of(scope["app"].state)
        return gate

    async def admit(
        self,
        visit: Visit,
        operation: str,
        raw: Subjects,
        check: Callable[[], A],
        *,
        in_query: bool = False,
    ) -> Admission[A]:
        """Authenticate, rate-limit, check the arguments and authorize `operation`.

        `raw` is what the unchecked arguments name (recorded for a refusal before `check`);
        `check` validates them without touching the store, raising `BadInput`. Returns the
        caller, the checked arguments and the open record to close; raises a `Refusal`,
        already recorded (or `AuditFailed` when the record could not be written). With
        `in_query`, the operation's first query may carry the purpose check: the admission's
        `purpose`, which `run` sees decided (`policy.Purpose`).
        """
        record = OpenRecord(self, visit, operation, None, raw.cut())
        try:
            principal = await self.authenticate(visit)
        except Refusal as refusal:
            raise await record.refuse(refusal) from None
        record.principal = principal
        try:
            self.limiter.check(principal, operation)
            arguments = check()
            record.scope = scope = arguments.scope
            authorize = policy.authorize_in_query if in_query else policy.authorize
            purpose = await authorize(
                self.store,
                principal,
                operation,
                case_number=scope.case_number,
                subject=scope.subject,
                dataset=scope.dataset,
                departments=self.departments,
            )
        except Refusal as refusal:
            raise await record.refuse(refusal) from None
        except Exception as error:
            raise await record.fail(error, f"{operation}: the checks") from None
        return Admission(principal, arguments, record, purpose)

    async def authenticate(self, visit: Visit) -> Principal:
        """The caller, or the refusal of an anonymous one: UNAUTHENTICATED, or RATE_LIMITED
        when their address has sent too many (decided once per request). A console session
        whose account was disabled is such a caller from then on."""
        try:
            principal = await visit.caller(self.verifier)
            await self._session_still_open(visit)
            return principal
        except AuthError as error:
            if visit._refused is None:
                try:
                    self.limiter.check_address(visit.client_address)  # no token: by address
                    visit._refused = Unauthenticated(error.reason)
                except Refusal as limited:
                    visit._refused = limited
            raise visit._refused from None

    async def _session_still_open(self, visit: Visit) -> None:
        """Raises AuthError (and the visit's caller becomes it) when the request is signed in
        by a console session whose account may no longer act; checked once per request."""
        if visit._session_open:
            return
        account = session_account(visit.authorization)
        if account is not None:
            try:
                ended = await self.accounts.refusal(self.store, account)
            except Exception as error:
                down = unavailable_cause(error)
                if down is None:
                    raise
                raise store_unavailable(down) from None
            if ended is not None:
                visit._caller = AuthError(ended)
                raise visit._caller
        visit._session_open = True

    async def run(
        self,
        visit: Visit,
        operation: str,
        raw: Subjects,
        check: Callable[[], A],
        run: Callable[[Principal, A, policy.Purpose | None], Awaitable[R]],
    ) -> R:
        """`admit`, then `run` the operation and close its record with the outcome.

        `run` gets the purpose check its first query must carry, if any: refused there, it
        is recorded as refused here; not decided by the end, the caller gets no data.
        """
        admission = await self.admit(visit, operation, raw, check, in_query=True)
        record, purpose = admission.record, admission.purpose
        try:
            result = await run(admission.principal, admission.arguments, purpose)
            if purpose is not None and not purpose.decided:
                raise RuntimeError(f"{operation} answered without its purpose check")
        except Refusal as refusal:
            if purpose is not None and refusal is purpose.refusal:
                raise await record.refuse(refusal) from None
            # allowed, but answered with an error (say, NOT_FOUND)
            outcome = refusal.answer.outcome
            await record.close("ALLOWED" if outcome == "DENIED" else outcome, 0, refusal.message)
            raise
        except Exception as error:
            raise await record.fail(error, operation) from None
        await record.close("ALLOWED", result_count(result))
        return result

    async def record_visit(self, visit: Visit, status: int | None = None) -> None:
        """The record of a request that ran no operation: the door's conclusion, or what
        its HTTP status says."""
        outcome, reason = visit.outcome, visit.reason
        if outcome is None:
            outcome, reason = _outcome_of_status(status)
        with contextlib.suppress(AuthError):  # the record names the caller, if there is one
            await visit.caller(self.verifier)
        record = OpenRecord(self, visit, visit.door, visit.principal, Subjects())
        await record.close(outcome, 0, reason)

    async def write(self, visit: Visit, record: AuditRecord) -> None:
        """Append `record`; raises `AuditFailed` (after logging) when it cannot."""
        REQUESTS.labels(record.operation, record.outcome).inc()
        try:
            await self.audit.append(record)
        except Exception as error:
            visit.audit_failed = True
            down = unavailable_cause(error)
            if down is not None:  # the store is down: the caller is told to retry
                log.error(
                    "request %s: the audit record was not written: %s", visit.request_id, down
                )
                raise AuditUnavailable(down) from None
            log_failure(visit, "the audit record", error)
            raise AuditFailed() from None
        visit.records += 1


def _outcome_of_status(status: int | None) -> tuple[Outcome, str]:
    if status is None or status >= 500:
        return "ERROR", INTERNAL_REASON if status is None else _status_text(status)
    return ("ALLOWED" if status < 400 else "DENIED"), _status_text(status)


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


class OpenRecord:
    """The audit record of one operation, written exactly once, whatever the outcome."""

    def __init__(
        self,
        gate: Gate,
        visit: Visit,
        operation: str,
        principal: Principal | None,
        scope: Subjects,
    ) -> None:
        self.gate = gate
        self.visit = visit
        self.operation = operation
        self.principal = principal
        self.scope = scope
        self.closed = False

    async def close(
        self, outcome: Outcome, result_count: int = 0, reason: str | None = None
    ) -> None:
        """Write the record; raises `AuditFailed` when it cannot (the caller gets no data)."""
        if self.closed:
            raise RuntimeError(f"the audit record of {self.operation} was already written")
        self.closed = True
        principal, visit, scope = self.principal, self.visit, self.scope
        record = AuditRecord(
            actor=principal.subject if principal else None,
            role=principal.role if principal else None,
            department=principal.department if principal else None,
            operation=self.operation,
            case_number=scope.case_number,
            subjects=scope.subjects,
            outcome=outcome,
            result_count=result_count,
            client_address=visit.client_address,
            request_id=visit.request_id,
            reason=None if reason is None else reason[:MAX_REASON_CHARS],
            dataset=scope.dataset,
            client_request_id=visit.client_request_id,
        )
        await self.gate.write(visit, record)

    async def follow_up(
        self, operation: str, outcome: Outcome, result_count: int = 0, reason: str | None = None
    ) -> None:
        """A further record of the same call, after this one (ingest: how a run that was
        recorded as started ended), with the same caller, subjects and request id."""
        later = OpenRecord(self.gate, self.visit, operation, self.principal, self.scope)
        await later.close(outcome, result_count, reason)

    async def refuse(self, refusal: Refusal) -> Refusal:
        """Record `refusal` (DENIED, or ERROR for the hub's own failures) and return it."""
        await self.close(refusal.answer.outcome, 0, refusal.audit_reason)
        return refusal

    async def fail(self, error: BaseException, where: str) -> Refusal:
        """Log an unexpected error (where, not what), record it as ERROR, return INTERNAL;
        UNAVAILABLE when the graph store went away (the caller may retry)."""
        down = unavailable_cause(error)
        if down is not None:
            log.warning("request %s: %s: %s", self.visit.request_id, where, down)
            refusal = store_unavailable(down)
            await self.close("ERROR", 0, refusal.audit_reason)  # AuditUnavailable if still down
            return refusal
        log_failure(self.visit, where, error)
        await self.close("ERROR", 0, INTERNAL_REASON)
        return Internal()


@dataclass(frozen=True)
class Admission(Generic[A]):
    principal: Principal
    arguments: A
    record: OpenRecord
    purpose: policy.Purpose | None = None  # to be carried by the first query (`Gate.run`)


Render = Callable[[Visit, Refusal], JSONResponse]


def render_plain(visit: Visit, refusal: Refusal) -> JSONResponse:
    """A refusal as a door that answers plain JSON says it (`plain_answer`)."""
    return plain_answer(refusal)


def plain_answer(refusal: Refusal) -> JSONResponse:
    """`{"error": message}`, the table's status, `Retry-After` when the caller may retry,
    `WWW-Authenticate` on 401."""
    headers = retry_after_header(refusal)
    if refusal.answer.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"error": refusal.message}, refusal.answer.status, headers=headers)


class EveryRequestRecorded:
    """ASGI middleware: a request to a door leaves an audit record before its answer starts.

    `doors` maps a path (exact, or a prefix ending in "/") to the door's name and how it
    renders a refusal. CORS preflights (OPTIONS) are not requests of a door: they reach no
    data and carry no token.
    """

    def __init__(self, app: ASGIApp, *, doors: Mapping[str, tuple[str, Render]]) -> None:
        self.app = app
        self.doors = doors

    def door_of(self, path: str) -> tuple[str, Render] | None:
        door = self.doors.get(path)
        if door is not None:
            return door
        for prefix, found in self.doors.items():
            if prefix.endswith("/") and path.startswith(prefix):
                return found
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        door = self.door_of(scope["path"]) if scope["type"] == "http" else None
        if door is None or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        name, render = door
        visit = Visit.of(scope, name)
        scope["state"]["visit"] = visit
        gate = Gate.of_request(scope)
        refused = False  # the answer was replaced: what the app sends is dropped

        async def send_recorded(message: Message) -> None:
            nonlocal refused
            if refused:
                return
            if message["type"] == "http.response.start" and visit.needs_record:
                try:
                    await gate.record_visit(visit, message["status"])
                except AuditFailed as failure:
                    refused = True
                    await render(visit, failure)(scope, receive, send)
                    return
            await send(message)

        try:
            await self.app(scope, receive, send_recorded)
        except BaseException:
            if visit.needs_record:
                visit.conclude("ERROR", INTERNAL_REASON)
                with contextlib.suppress(AuditFailed):  # logged; the answer is a 500
                    await gate.record_visit(visit)
            raise


def visit_of(state: Any, scope: Scope, door: str) -> Visit:
    """The request's visit (made by `EveryRequestRecorded`), or a new one."""
    visit = getattr(state, "visit", None)
    if isinstance(visit, Visit):
        return visit
    visit = Visit.of(scope, door)
    scope.setdefault("state", {})["visit"] = visit
    return visit
