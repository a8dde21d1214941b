"""Console sessions: sign in with an account's password, act by a cookie, sign out.

A session is a token of the built-in issuer (hub.security.tokens) kept in an HttpOnly,
SameSite=Strict cookie (Secure when the request came over TLS), so the gate accepts it
where it accepts a bearer token and the same policy and audit apply. It carries the
account's principal, the account name (`acc`) and when the password was given
(`auth_time`). It lasts `session_idle_minutes`; the console renews it with `GET /session`
while the officer works, never past `session_absolute_hours` after signing in. Every
request signed in by a session has its account checked by the gate
(hub.security.account_states), so a disabled account's session ends at once: within
`session_recheck_seconds` when another hub process disabled it.

CSRF: a cookie-authenticated request other than GET must carry the `X-CSRF-Token` header
with the value of the `hub_csrf` cookie (readable by the console's script, not by another
site's); SameSite=Strict already keeps the cookies off requests from other sites.

    POST   /session   {"name": …, "password": …}   sign in      (audited signIn)
    GET    /session                                 who, until when; renews (not audited)
    DELETE /session                                 sign out     (audited signOut)
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.security.account_states import ended
from hub.security.accounts import Account, Accounts, SignIn
from hub.security.audit import AuditRecord, Outcome
from hub.security.cookies import CSRF_COOKIE, SESSION_COOKIE
from hub.security.gate import Gate, Visit, visit_of
from hub.security.tokens import BUILT_IN_ALGORITHM, BUILT_IN_ISSUER, issue_token
from hub.settings import MAX_FORM_BYTES, Settings
from hub.store import GraphStore
from schema.datasets import SPECS
from schema.departments import Department

DOOR = "session"
REFUSALS = {
    "unknown": "wrong name or password",
    "wrong_password": "wrong name or password",
    "disabled": "wrong name or password",  # not said: an attacker learns no names
    "locked": "too many wrong passwords: the account is locked for a while",
}


def _now() -> datetime:
    return datetime.now(UTC)


def session_token(
    secret: bytes,
    account: Account,
    settings: Settings,
    auth_time: datetime,
    *,
    signed_in_by: Mapping[str, str] | None = None,
) -> tuple[str, datetime]:
    """A session token for `account`, and when it ends (idle, within the absolute bound).
    `signed_in_by` names what vouched for it: the hub account (`acc`) by default, or the
    identity provider (`idp`, hub.console.oidc)."""
    now = _now()
    ends = min(
        now + timedelta(minutes=settings.session_idle_minutes),
        auth_time + timedelta(hours=settings.session_absolute_hours),
    )
    token = issue_token(
        secret,
        role=account.role,
        subject=account.subject,
        department=account.department,
        ttl=ends - now,
        extra={
            **(signed_in_by or {"acc": account.name}),
            "auth_time": int(auth_time.timestamp()),
        },
    )
    return token, ends


def with_session_cookies(
    response: Response, request: Request, token: str, ends: datetime
) -> Response:
    secure = request.url.scheme == "https"
    age = max(0, int((ends - _now()).total_seconds()))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(24),
        max_age=age,
        path="/",
        secure=secure,
        samesite="strict",
    )
    return response


def without_session_cookies(response: Response) -> Response:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", samesite="strict")
    return response


async def record_session_event(
    gate: Gate,
    visit: Visit,
    operation: str,
    outcome: Outcome,
    actor: str | None,
    account: Account | None,
    reason: str,
) -> None:
    await gate.write(
        visit,
        AuditRecord(
            actor=account.subject if account else actor,
            role=account.role if account else None,
            department=account.department if account else None,
            operation=operation,
            case_number=None,
            subjects=(),
            outcome=outcome,
            result_count=1 if outcome == "ALLOWED" else 0,
            client_address=visit.client_address,
            request_id=visit.request_id,
            reason=reason,
            client_request_id=visit.client_request_id,
        ),
    )


async def _credentials(request: Request) -> tuple[str, str] | None:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    try:
        if request.headers.get("content-type", "").startswith("application/json"):
            data: Any = json.loads(body)
        else:
            form = await request.form()
            data = {key: form.get(key) for key in ("name", "password")}
    except (ValueError, UnicodeDecodeError):
        return None
    name, password = (
        (data.get("name"), data.get("password")) if isinstance(data, dict) else (None, None)
    )
    if not isinstance(name, str) or not isinstance(password, str):
        return None
    return name.strip(), password


async def sign_in(request: Request) -> Response:
    state = request.app.state
    settings: Settings = state.settings
    gate = Gate.of(state)
    visit = visit_of(request.state, request.scope, DOOR)
    given = await _credentials(request)
    if given is None:
        visit.conclude("DENIED", "signIn: no name and password")
        return JSONResponse({"error": "send a name and a password"}, 400)
    name, password = given
    accounts = Accounts(
        state.store,
        max_failures=settings.sign_in_max_failures,
        lockout=timedelta(minutes=settings.sign_in_lockout_minutes),
    )
    result: SignIn = await accounts.sign_in(name, password)
    shown = name[:64]
    if result.account is None:
        refusal = result.refusal or "unknown"
        until = f" until {result.locked_until.isoformat()}" if result.locked_until else ""
        await record_session_event(
            gate, visit, "signIn", "DENIED", shown, None, f"{refusal}{until}"
        )
        status = 423 if refusal == "locked" else 401
        return JSONResponse({"error": REFUSALS[refusal]}, status)
    account = result.account
    token, ends = session_token(state.verifier.secret, account, settings, _now())
    await record_session_event(
        gate, visit, "signIn", "ALLOWED", shown, account, f"account {account.name}"
    )
    about = session_about(account, ends, state.departments)
    return with_session_cookies(JSONResponse(about), request, token, ends)


async def session_info(request: Request) -> Response:
    """Who the session is, until when; renewed while the account may still sign in."""
    state = request.app.state
    settings: Settings = state.settings
    claims = session_claims(request, state.verifier.secret)
    if claims is None:
        return without_session_cookies(JSONResponse({"error": "not signed in"}, 401))
    account = await _account(state.store, claims["acc"])
    if account is None or account.disabled:
        return without_session_cookies(JSONResponse({"error": ended(str(claims["acc"]))}, 401))
    auth_time = datetime.fromtimestamp(int(claims["auth_time"]), UTC)
    token, ends = session_token(state.verifier.secret, account, settings, auth_time)
    about = session_about(account, ends, state.departments)
    return with_session_cookies(JSONResponse(about), request, token, ends)


async def sign_out(request: Request) -> Response:
    state = request.app.state
    visit = visit_of(request.state, request.scope, DOOR)
    claims = session_claims(request, state.verifier.secret)
    if claims is None:
        visit.conclude("DENIED", "signOut: not signed in")
        return without_session_cookies(Response(status_code=204))
    account = await _account(state.store, claims["acc"])
    await record_session_event(
        Gate.of(state),
        visit,
        "signOut",
        "ALLOWED",
        claims.get("sub"),
        account,
        f"account {claims['acc']}",
    )
    return without_session_cookies(Response(status_code=204))


async def _account(store: GraphStore, name: str) -> Account | None:
    rows = await store.read("user_get", {"name": name})
    return Account.from_row(rows[0]["user"]) if rows else None


def session_claims(
    request: Request, secret: bytes, signed_in_by: str = "acc"
) -> dict[str, Any] | None:
    """The claims of the request's session cookie, when it is a valid session vouched for
    by `signed_in_by` (`acc`: a hub account; `idp`: the identity provider)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[BUILT_IN_ALGORITHM],
            issuer=BUILT_IN_ISSUER,
            options={"require": ["exp", "sub", signed_in_by, "auth_time"]},
        )
    except jwt.PyJWTError:
        return None
    return claims


def session_about(
    account: Account, ends: datetime, departments: Mapping[str, Department]
) -> dict[str, Any]:
    """Who the session is; a department account also learns its department's name and the
    datasets it publishes (DATA-EXCHANGE.md), for the clerk's 数据上报 screen."""
    about: dict[str, Any] = {
        "name": account.name,
        "role": account.role,
        "subject": account.subject,
        "department": account.department,
        "expiresAt": ends.isoformat(),
    }
    department = departments.get(account.department or "")
    if account.role == "department" and department is not None:
        about["departmentName"] = department.name
        about["departmentKind"] = department.kind
        about["datasets"] = [
            {"name": spec.name, "title": spec.title}
            for spec in SPECS.values()
            if department.owns(spec.name)
        ]
    return about


def session_account_name(request: Request) -> str | None:
    """The account name of the request's console session, when the session is what signs
    the request in (no Authorization header)."""
    if "authorization" in request.headers:
        return None
    claims = session_claims(request, request.app.state.verifier.secret)
    return str(claims["acc"]) if claims else None
