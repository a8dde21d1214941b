"""Signing in to the console through an OpenID Connect provider (code flow with PKCE).

With HUB_OIDC_ISSUER and HUB_OIDC_CLIENT_ID set, the sign-in screen offers
通过统一身份认证登录:

    GET /session/sign-in-methods   what the sign-in screen offers (not a door: no record)
    GET /session/oidc              → 302 to the provider, with state, nonce and S256 PKCE
    GET /session/oidc/callback     the provider's redirect back → the session cookie, 303 to /

The callback checks the state against the flow's cookie (hub.console.oidc_flow), exchanges
the code at the provider (hub.console.oidc_client checks the ID token), maps the token's
claims to the principal exactly as the external provider's bearer tokens are mapped
(`sub`; `role` and `dept`, or the claims HUB_OIDC_ROLE_CLAIM and HUB_OIDC_DEPARTMENT_CLAIM
name), and sets the same session cookie a password sign-in sets (hub.console.sessions). It
is audited as signIn, each refusal too, with the reason; a refusal answers a short page
saying why, in Chinese and then English.

A provider session is a session token as an account's is, within the same idle and
absolute bounds, but it names no hub account: no `acc` claim (so no account check applies
to it), and `idp`, the issuer it came from. Its renewal (`GET /session`, here) checks that
the same provider is still configured and that the role and department are still
accepted; it does not ask the provider again (the hub keeps none of the provider's
tokens), so someone the provider disables keeps their session until it goes idle or
reaches HUB_SESSION_ABSOLUTE_HOURS.

Password sign-in stays: the admin's and the department clerks' accounts need not be at
the provider, and the hub stays reachable when the provider is not.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from hub.console import sessions
from hub.console.oidc_client import Provider, SignInRefused
from hub.console.oidc_flow import FLOW_COOKIE, FLOW_PATH, Flow, UsedStates
from hub.console.pages import HEADERS
from hub.security.accounts import Account
from hub.security.gate import Gate, visit_of
from hub.security.principal import ROLES, Principal
from hub.security.tokens import (
    AuthError,
    TokenVerifier,
)
from hub.settings import MAX_OIDC_PARAM_CHARS, OIDC_FLOW_S, Settings

CALLBACK_PARAMETERS = ("state", "code", "error", "error_description", "iss")
SIGN_IN_LABEL = "通过统一身份认证登录"


async def sign_in_methods(request: Request) -> Response:
    """What the sign-in screen offers: passwords always, the provider when configured."""
    configured = bool(request.app.state.settings.oidc_issuer)
    provider = {"label": SIGN_IN_LABEL, "start": FLOW_PATH} if configured else None
    return JSONResponse({"password": True, "provider": provider})


async def begin(request: Request) -> Response:
    """Sends the browser to the provider, with a new flow in its cookie."""
    state = request.app.state
    visit = visit_of(request.state, request.scope, sessions.DOOR)
    try:
        provider = provider_of(state)
        discovery = await provider.discovery()
    except SignInRefused as refused:
        visit.conclude(refused.outcome, f"signIn through the identity provider: {refused.en}")
        return _page(refused)
    flow = Flow.begin()
    target = provider.authorization_url(discovery, _redirect_uri(request), flow)
    visit.conclude("ALLOWED", "signIn through the identity provider: sent to the provider")
    response = RedirectResponse(target, 302, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        FLOW_COOKIE,
        flow.sealed(state.verifier.secret),
        max_age=OIDC_FLOW_S,
        path=FLOW_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return response


async def callback(request: Request) -> Response:
    """The provider's redirect back: a session, or a page saying why not."""
    state = request.app.state
    gate = Gate.of(state)
    visit = visit_of(request.state, request.scope, sessions.DOOR)
    actor: str | None = None
    try:
        provider = provider_of(state)
        given = _parameters(request)
        flow = _flow(request, given, state)
        _provider_answer(given, provider)
        token = await provider.id_token(given["code"], _redirect_uri(request), flow.verifier)
        claims = await provider.verified_claims(token, flow.nonce)
        actor = str(claims["sub"])[:64]
        principal = _principal(state.settings, state.verifier, claims)
    except SignInRefused as refused:
        reason = f"identity provider: {refused.en}"
        await sessions.record_session_event(
            gate, visit, "signIn", refused.outcome, actor, None, reason
        )
        return _without_flow(_page(refused))
    session, ends = _session_token(state, principal, provider.issuer, datetime.now(UTC))
    reason = f"identity provider {provider.issuer}: subject {principal.subject}"
    account = _as_account(principal)
    await sessions.record_session_event(gate, visit, "signIn", "ALLOWED", actor, account, reason)
    redirect = RedirectResponse("/", 303, headers={"Cache-Control": "no-store"})
    return _without_flow(sessions.with_session_cookies(redirect, request, session, ends))


async def session_info(request: Request) -> Response:
    """`GET /session`: a provider session is renewed here, an account's by
    hub.console.sessions."""
    state = request.app.state
    claims = _provider_session(request)
    if claims is None:
        return await sessions.session_info(request)
    if claims["idp"] != (state.settings.oidc_issuer or "").rstrip("/"):
        refusal = {"error": "sign-in through that identity provider is no longer configured"}
        return sessions.without_session_cookies(JSONResponse(refusal, 401))
    try:
        principal = state.verifier.principal_of(claims)
    except AuthError as refused:
        return sessions.without_session_cookies(JSONResponse({"error": refused.reason}, 401))
    auth_time = datetime.fromtimestamp(int(claims["auth_time"]), UTC)
    token, ends = _session_token(state, principal, claims["idp"], auth_time)
    about = sessions.session_about(_as_account(principal), ends, state.departments)
    answer = JSONResponse({**about, "signedInWith": "oidc"})
    return sessions.with_session_cookies(answer, request, token, ends)


async def sign_out(request: Request) -> Response:
    """`DELETE /session`: a provider session's sign-out is recorded with its principal."""
    state = request.app.state
    claims = _provider_session(request)
    if claims is None:
        return await sessions.sign_out(request)
    visit = visit_of(request.state, request.scope, sessions.DOOR)
    try:
        account: Account | None = _as_account(state.verifier.principal_of(claims))
    except AuthError:
        account = None
    reason = f"identity provider {claims['idp']}: subject {claims['sub']}"
    await sessions.record_session_event(
        Gate.of(state), visit, "signOut", "ALLOWED", claims.get("sub"), account, reason
    )
    return sessions.without_session_cookies(Response(status_code=204))


def provider_of(state: State) -> Provider:
    """The app's provider, made on first use; refused when none is configured."""
    provider: Provider | None = getattr(state, "oidc_provider", None)
    if provider is not None:
        return provider
    settings: Settings = state.settings
    if not settings.oidc_issuer:
        raise SignInRefused(
            404,
            "本平台没有配置统一身份认证，请用账户和密码登录",
            "sign-in through an identity provider is not configured (HUB_OIDC_ISSUER)",
        )
    try:
        provider = Provider(settings)
    except OSError as error:
        raise SignInRefused(
            503,
            "统一身份认证的客户端密钥文件无法读取",
            f"HUB_OIDC_CLIENT_SECRET_FILE cannot be read: {error.strerror}",
            "ERROR",
        ) from None
    state.oidc_provider = provider
    state.oidc_used_states = UsedStates()
    return provider


def _parameters(request: Request) -> dict[str, str]:
    """The callback's parameters: each once, at most MAX_OIDC_PARAM_CHARS, no control
    characters (a NUL included)."""
    given: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in CALLBACK_PARAMETERS:
            continue
        if name in given:
            raise _bad_request(f"回调参数 {name} 出现了多次", f"the callback repeats {name}")
        if len(value) > MAX_OIDC_PARAM_CHARS:
            raise _bad_request(
                f"回调参数 {name} 过长（超过 {MAX_OIDC_PARAM_CHARS} 个字符）",
                f"the callback's {name} is longer than {MAX_OIDC_PARAM_CHARS} characters",
            )
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
            raise _bad_request(
                f"回调参数 {name} 含有控制字符", f"the callback's {name} holds a control character"
            )
        given[name] = value
    return given


def _flow(request: Request, given: dict[str, str], state: State) -> Flow:
    """This browser's flow, when the callback's state is its own and not used before."""
    flow = Flow.unsealed(request.cookies.get(FLOW_COOKIE), state.verifier.secret)
    if flow is None:
        raise _bad_request(
            f"这个浏览器没有进行中的统一身份认证登录（或已超过 {OIDC_FLOW_S // 60} 分钟），"
            "请重新登录",
            "no sign-in through the identity provider is under way in this browser (or it "
            f"began more than {OIDC_FLOW_S // 60} minutes ago): sign in again",
        )
    if "state" not in given and "error" in given:
        # An error answer makes no session, so its reason is shown even without the state
        # (which some providers leave out of error answers, against RFC 6749 4.1.2.1).
        _provider_answer(given, None)
    if "state" not in given:
        raise _bad_request("回调缺少 state 参数", "the callback has no state")
    if given["state"] != flow.state:
        raise _bad_request(
            "回调的 state 与这个浏览器发起的登录不符",
            "the callback's state is not that of the sign-in this browser began",
        )
    if not state.oidc_used_states.use(flow):
        raise _bad_request(
            "这次登录的回调已经用过，不能再用，请重新登录",
            "this sign-in's callback was already used: sign in again",
        )
    return flow


def _provider_answer(given: dict[str, str], provider: Provider | None) -> None:
    """The provider's error, or a code from the expected issuer (RFC 9207)."""
    if "error" in given:
        error = given["error"][:64]
        described = given.get("error_description", "")[:200]
        raise SignInRefused(
            401,
            f"统一身份认证没有同意登录（{error}）",
            f"the identity provider refused the sign-in: {error}"
            + (f" ({described})" if described else ""),
        )
    if provider and "iss" in given and given["iss"].rstrip("/") != provider.issuer:
        raise _bad_request(
            "回调来自另一个签发方（iss）", "the callback comes from another issuer (iss)"
        )
    if not given.get("code"):
        raise _bad_request("回调缺少授权码（code）", "the callback has no code")


def _principal(settings: Settings, verifier: TokenVerifier, claims: dict[str, Any]) -> Principal:
    """The principal of the ID token's claims, mapped as the provider's bearer tokens are."""
    role = claims.get(settings.oidc_role_claim)
    department = claims.get(settings.oidc_department_claim)
    mapped = {"sub": claims["sub"], "role": role, "dept": department}
    try:
        return verifier.principal_of(mapped)
    except AuthError as refused:
        if role is None:
            zh = f"身份令牌中没有角色声明（{settings.oidc_role_claim}）"
        elif role not in ROLES:
            zh = f"身份令牌中的角色 {str(role)[:64]!r} 不是本平台的角色"
        elif department is None:
            zh = f"部门身份令牌中没有部门声明（{settings.oidc_department_claim}）"
        else:
            zh = "身份令牌中的部门不是本平台登记的部门"
        raise SignInRefused(403, zh, refused.reason) from None


def _session_token(
    state: State, principal: Principal, issuer: str, auth_time: datetime
) -> tuple[str, datetime]:
    """A session token of `principal` with an account session's bounds, naming the
    provider (`idp`) instead of an account: the gate's account check does not apply to it."""
    secret, account = state.verifier.secret, _as_account(principal)
    return sessions.session_token(
        secret, account, state.settings, auth_time, signed_in_by={"idp": issuer}
    )


def _provider_session(request: Request) -> dict[str, Any] | None:
    """The claims of the request's session cookie when it is a provider session."""
    claims = sessions.session_claims(request, request.app.state.verifier.secret, "idp")
    return None if claims is None or "acc" in claims else claims


def _as_account(principal: Principal) -> Account:
    """The principal as the Account that sessions' records and answers are made of; named
    by its subject (there is no hub account)."""
    return Account(principal.subject, principal.role, principal.subject, principal.department)


def _redirect_uri(request: Request) -> str:
    configured: str | None = request.app.state.settings.oidc_redirect_uri
    return configured or str(request.url_for("oidc_callback"))


def _bad_request(zh: str, en: str) -> SignInRefused:
    return SignInRefused(400, zh, en)


def _page(refused: SignInRefused) -> Response:
    """A refusal as a page: Chinese first, English after, and the way back."""
    body = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>登录失败</title></head><body>"
        "<h1>统一身份认证登录失败</h1>"
        f'<p data-test="reason-zh">{html.escape(refused.zh)}</p>'
        f'<p lang="en" data-test="reason-en">{html.escape(refused.en)}</p>'
        '<p><a href="/">返回登录页 / back to sign-in</a></p></body></html>'
    )
    return HTMLResponse(body, refused.status, headers={**HEADERS, "Cache-Control": "no-store"})


def _without_flow(response: Response) -> Response:
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH, httponly=True, samesite="lax")
    return response
