"""Console sign-in through a real OpenID Connect provider, over HTTP: the code flow with
PKCE, state and nonce; the session it leaves, renewed and used on /graphql; sign-out; and
every refusal, each with its reason in Chinese and English and its signIn audit record."""

from __future__ import annotations

import base64
import hashlib
import html
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import jwt
import pytest
from pydantic import SecretStr

from hub.console.oidc_flow import FLOW_COOKIE
from hub.security.cookies import CSRF_COOKIE, SESSION_COOKIE
from hub.settings import MAX_OIDC_PARAM_CHARS, TOKEN_LEEWAY_S
from tests.console.oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    IdentityProvider,
    OidcHub,
    new_subject,
)
from tests.console.oidc_provider import (
    oidc_hub as oidc_hub,
)
from tests.console.oidc_provider import (
    provider as provider,
)
from tests.graphql.conftest import Hub
from tests.serving import free_port, serving

MY_CASES = {"query": "{ myCases { caseNumber } }"}
AUDIT = """query($f: AuditFilter) { auditEvents(filter: $f, first: 200) { edges { node {
  operation outcome actor role department reason requestId } } } }"""


@pytest.fixture
def client(oidc_hub: OidcHub) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=oidc_hub.url, timeout=30) as browser:
        yield browser


def begin(client: httpx.Client) -> str:
    """`GET /session/oidc`: the provider's authorization URL it redirects to."""
    answer = client.get("/session/oidc")
    assert answer.status_code == 302, answer.text
    location: str = answer.headers["location"]
    return location


def at_provider(authorization_url: str, subject: str | None = None) -> str:
    """The user picks `subject` at the provider's page (or, with None, denies): the URL
    the provider sends the browser back to."""
    form = {"sub": subject} if subject else {"action": "deny"}
    answer = httpx.post(authorization_url, data=form, timeout=30)
    assert answer.status_code == 302, answer.text
    location: str = answer.headers["location"]
    return location


def signed_in(client: httpx.Client, subject: str) -> httpx.Response:
    return client.get(at_provider(begin(client), subject))


def records(hub: Hub, operation: str) -> list[dict[str, Any]]:
    answer = hub.post(AUDIT, {"f": {"operation": operation}}, token=hub.auditor)
    return [edge["node"] for edge in answer["data"]["auditEvents"]["edges"]]


def record_of(hub: Hub, answer: httpx.Response, operation: str = "signIn") -> dict[str, Any]:
    request_id = answer.headers["x-request-id"]
    [found] = [r for r in records(hub, operation) if r["requestId"] == request_id]
    return found


def assert_refused(
    oidc_hub: OidcHub, answer: httpx.Response, status: int, zh: str, en: str, outcome: str
) -> None:
    """The page says why, in Chinese then English; the signIn record says it too."""
    assert answer.status_code == status, answer.text
    text = html.unescape(answer.text)
    assert zh in text and en in text, text
    assert text.index(zh) < text.index(en)
    assert "text/html" in answer.headers["content-type"]
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert SESSION_COOKIE not in answer.cookies
    record = record_of(oidc_hub.county, answer)
    assert record["outcome"] == outcome, record
    assert en in record["reason"], record


def test_the_sign_in_screen_offers_the_provider_only_when_one_is_configured(
    oidc_hub: OidcHub, hub: Hub
) -> None:
    offered = httpx.get(f"{oidc_hub.url}/session/sign-in-methods", timeout=10).json()
    plain = httpx.get(f"{hub.url}/session/sign-in-methods", timeout=10).json()

    assert offered == {
        "password": True,
        "provider": {"label": "通过统一身份认证登录", "start": "/session/oidc"},
    }
    assert plain == {"password": True, "provider": None}
    unconfigured = httpx.get(f"{hub.url}/session/oidc", timeout=10)
    assert unconfigured.status_code == 404
    assert "本平台没有配置统一身份认证" in unconfigured.text
    assert "not configured" in unconfigured.text


def test_an_officer_signs_in_through_the_provider_and_works_with_the_session(
    oidc_hub: OidcHub, client: httpx.Client
) -> None:
    officer = oidc_hub.officer_id
    began = client.get("/session/oidc")
    assert began.status_code == 302
    sent = parse_qs(urlsplit(began.headers["location"]).query)
    assert began.headers["location"].startswith(f"{oidc_hub.provider.url}/oauth2/authorize?")
    assert sent["response_type"] == ["code"] and sent["client_id"] == [CLIENT_ID]
    assert sent["redirect_uri"] == [f"{oidc_hub.url}/session/oidc/callback"]
    assert sent["code_challenge_method"] == ["S256"] and sent["scope"] == ["openid"]
    assert len(sent["state"][0]) >= 32 and len(sent["nonce"][0]) >= 32
    flow_cookie = began.headers["set-cookie"]
    assert flow_cookie.startswith(f"{FLOW_COOKIE}=")
    assert "HttpOnly" in flow_cookie and "SameSite=lax" in flow_cookie
    assert "Path=/session/oidc" in flow_cookie

    back = at_provider(began.headers["location"], officer)
    answer = client.get(back)

    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/"
    session_cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")
    )
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie
    assert FLOW_COOKIE not in client.cookies  # the flow is over
    # PKCE: the code exchange carried the verifier whose S256 the authorization request sent
    exchange = oidc_hub.provider.faults.token_requests[-1]
    digest = hashlib.sha256(exchange["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == sent["code_challenge"][0]
    assert exchange["redirect_uri"] == sent["redirect_uri"][0]
    credentials = base64.b64encode(f"{CLIENT_ID}:{quote(CLIENT_SECRET, safe='')}".encode())
    assert exchange["Authorization"] == f"Basic {credentials.decode()}"  # client_secret_basic
    assert "client_secret" not in exchange
    signed_in_record = record_of(oidc_hub.county, answer)
    assert signed_in_record["outcome"] == "ALLOWED"
    assert (signed_in_record["actor"], signed_in_record["role"]) == (officer, "officer")
    assert f"identity provider {oidc_hub.provider.url}" in signed_in_record["reason"]

    session = client.get("/session")
    assert session.status_code == 200, session.text
    about = session.json()
    assert (about["role"], about["subject"], about["signedInWith"]) == ("officer", officer, "oidc")
    cases = client.post(
        "/graphql", json=MY_CASES, headers={"X-CSRF-Token": client.cookies[CSRF_COOKIE]}
    )
    assert cases.status_code == 200 and (cases.json()["data"] or {}).get("myCases"), cases.text
    my_cases = record_of(oidc_hub.county, cases, "myCases")
    assert (my_cases["actor"], my_cases["role"], my_cases["outcome"]) == (
        officer,
        "officer",
        "ALLOWED",
    )

    signed_out = client.delete("/session", headers={"X-CSRF-Token": client.cookies[CSRF_COOKIE]})
    assert signed_out.status_code == 204
    out = record_of(oidc_hub.county, signed_out, "signOut")
    assert (out["actor"], out["role"], out["outcome"]) == (officer, "officer", "ALLOWED")
    assert client.get("/session").status_code == 401


def test_a_provider_session_is_renewed_within_its_first_sign_in_and_ends_without_the_provider(
    oidc_hub: OidcHub, client: httpx.Client, hub: Hub
) -> None:
    assert signed_in(client, oidc_hub.officer_id).status_code == 303
    first = jwt.decode(client.cookies[SESSION_COOKIE], options={"verify_signature": False})
    time.sleep(1.1)

    renewed = client.get("/session")

    assert renewed.status_code == 200, renewed.text
    again = jwt.decode(renewed.cookies[SESSION_COOKIE], options={"verify_signature": False})
    assert again["auth_time"] == first["auth_time"]  # the absolute bound counts from sign-in
    assert again["exp"] > first["exp"]
    assert again["idp"] == oidc_hub.provider.url and "acc" not in again  # no hub account
    # A hub (same key) with no provider configured ends the provider's session at renewal.
    elsewhere = httpx.get(
        f"{hub.url}/session", cookies={SESSION_COOKIE: renewed.cookies[SESSION_COOKIE]}
    )
    assert elsewhere.status_code == 401
    assert "no longer configured" in elsewhere.json()["error"]


def test_the_provider_refusing_the_sign_in(oidc_hub: OidcHub, client: httpx.Client) -> None:
    back = at_provider(begin(client), None)
    assert "error=access_denied" in back

    answer = client.get(back)

    assert_refused(
        oidc_hub,
        answer,
        401,
        "统一身份认证没有同意登录（access_denied）",
        "the identity provider refused the sign-in: access_denied",
        "DENIED",
    )


def test_a_callback_without_this_browsers_flow(oidc_hub: OidcHub, client: httpx.Client) -> None:
    back = at_provider(begin(client), oidc_hub.officer_id)

    answer = httpx.get(back, timeout=30)  # another browser: no flow cookie

    assert_refused(
        oidc_hub,
        answer,
        400,
        "这个浏览器没有进行中的统一身份认证登录",
        "no sign-in through the identity provider is under way in this browser",
        "DENIED",
    )


def test_a_callback_with_no_state_or_another_state(oidc_hub: OidcHub, client: httpx.Client) -> None:
    back = at_provider(begin(client), oidc_hub.officer_id)
    code = parse_qs(urlsplit(back).query)["code"][0]

    missing = client.get("/session/oidc/callback", params={"code": code})
    assert_refused(
        oidc_hub, missing, 400, "回调缺少 state 参数", "the callback has no state", "DENIED"
    )

    back = at_provider(begin(client), oidc_hub.officer_id)
    code = parse_qs(urlsplit(back).query)["code"][0]
    other = client.get("/session/oidc/callback", params={"code": code, "state": "x" * 43})
    assert_refused(
        oidc_hub,
        other,
        400,
        "回调的 state 与这个浏览器发起的登录不符",
        "the callback's state is not that of the sign-in this browser began",
        "DENIED",
    )


def test_a_callback_used_twice(oidc_hub: OidcHub, client: httpx.Client) -> None:
    began = client.get("/session/oidc")
    flow_cookie = client.cookies[FLOW_COOKIE]
    back = at_provider(began.headers["location"], oidc_hub.officer_id)
    assert client.get(back).status_code == 303

    # The same redirect again, with the flow's cookie as it was (say, copied)
    replay = httpx.get(back, cookies={FLOW_COOKIE: flow_cookie}, timeout=30)

    assert_refused(
        oidc_hub,
        replay,
        400,
        "这次登录的回调已经用过",
        "this sign-in's callback was already used",
        "DENIED",
    )


def test_a_code_the_provider_does_not_know(oidc_hub: OidcHub, client: httpx.Client) -> None:
    back = at_provider(begin(client), oidc_hub.officer_id)
    state = parse_qs(urlsplit(back).query)["state"][0]

    answer = client.get("/session/oidc/callback", params={"state": state, "code": "not-a-code"})

    assert_refused(
        oidc_hub,
        answer,
        401,
        "统一身份认证不接受这次登录的授权码（invalid_grant）",
        "the identity provider refused the code: invalid_grant",
        "DENIED",
    )


def test_a_code_exchange_answered_too_late(oidc_hub: OidcHub, client: httpx.Client) -> None:
    back = at_provider(begin(client), oidc_hub.officer_id)
    provider = oidc_hub.app.state.oidc_provider
    provider.timeout, oidc_hub.provider.faults.token_delay_s = 0.5, 2.0
    try:
        answer = client.get(back)
    finally:
        provider.timeout, oidc_hub.provider.faults.token_delay_s = 10, 0.0

    assert_refused(
        oidc_hub,
        answer,
        504,
        "统一身份认证的令牌端点在 0.5 秒内没有答复",
        "the identity provider's token endpoint did not answer within 0.5 s",
        "ERROR",
    )


def test_an_id_token_whose_signature_was_altered(oidc_hub: OidcHub, client: httpx.Client) -> None:
    back = at_provider(begin(client), oidc_hub.officer_id)
    oidc_hub.provider.faults.corrupt_signature = True
    try:
        answer = client.get(back)
    finally:
        oidc_hub.provider.faults.corrupt_signature = False

    assert_refused(
        oidc_hub,
        answer,
        401,
        "身份令牌的签名与统一身份认证的密钥不符",
        "the ID token's signature does not match the provider's key",
        "DENIED",
    )


# Users the provider issues tokens for with claims a misconfigured provider would put in:
# (claims, status, Chinese, English)
MISCONFIGURED: dict[str, tuple[dict[str, Any], int, str, str]] = {
    "another audience": (
        {"role": "officer", "aud": "another-application"},
        401,
        "身份令牌不是签发给本平台的",
        "the ID token's audience (aud) is not this hub's client id",
    ),
    "another issuer": (
        {"role": "officer", "iss": "http://idp.elsewhere.example"},
        401,
        "身份令牌的签发方（iss）不是配置的统一身份认证",
        "the ID token's issuer (iss) is not HUB_OIDC_ISSUER",
    ),
    "another nonce": (
        {"role": "officer", "nonce": "the nonce of another sign-in"},
        401,
        "身份令牌的 nonce 与本次登录不符",
        "the ID token's nonce is not this sign-in's",
    ),
    "expired": (
        {"role": "officer", "exp": int(time.time()) - TOKEN_LEEWAY_S - 600},
        401,
        "身份令牌已过期",
        "the ID token has expired",
    ),
    "no role": ({}, 403, "身份令牌中没有角色声明（role）", "token has no role claim"),
    "unknown role": (
        {"role": "judge"},
        403,
        "身份令牌中的角色 'judge' 不是本平台的角色",
        "unknown role 'judge'",
    ),
    "department without its dept": (
        {"role": "department"},
        403,
        "部门身份令牌中没有部门声明（dept）",
        "department token has no dept claim",
    ),
    "unknown department": (
        {"role": "department", "dept": "no-such-department"},
        403,
        "身份令牌中的部门不是本平台登记的部门",
        "department token names an unknown department 'no-such-department'",
    ),
}


@pytest.mark.parametrize("case", MISCONFIGURED)
def test_an_id_token_the_hub_does_not_accept(
    oidc_hub: OidcHub, client: httpx.Client, provider: IdentityProvider, case: str
) -> None:
    claims, status, zh, en = MISCONFIGURED[case]
    subject = new_subject()
    provider.set_user(subject, claims)

    answer = signed_in(client, subject)

    assert_refused(oidc_hub, answer, status, zh, en, "DENIED")
    assert client.get("/session").status_code == 401


def test_a_department_clerk_signs_in_through_the_provider(
    oidc_hub: OidcHub, client: httpx.Client, provider: IdentityProvider
) -> None:
    clerk = new_subject("bank-clerk")
    provider.set_user(clerk, {"role": "department", "dept": "bank"})

    assert signed_in(client, clerk).status_code == 303

    about = client.get("/session").json()
    assert (about["role"], about["subject"], about["department"]) == ("department", clerk, "bank")
    assert {"name": "bank.accounts", "title": "账户与余额"} in about["datasets"]


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (
            "s" * (MAX_OIDC_PARAM_CHARS + 1),
            f"回调参数 state 过长（超过 {MAX_OIDC_PARAM_CHARS} 个字符）",
            f"the callback's state is longer than {MAX_OIDC_PARAM_CHARS} characters",
        ),
        (
            "abc\x00def",
            "回调参数 state 含有控制字符",
            "the callback's state holds a control character",
        ),
    ],
    ids=["over-long", "NUL"],
)
def test_callback_parameters_too_long_or_with_a_nul(
    oidc_hub: OidcHub, client: httpx.Client, value: str, zh: str, en: str
) -> None:
    begin(client)

    answer = client.get("/session/oidc/callback", params={"state": value, "code": "c"})

    assert_refused(oidc_hub, answer, 400, zh, en, "DENIED")


def test_a_callback_naming_a_parameter_twice(oidc_hub: OidcHub, client: httpx.Client) -> None:
    begin(client)

    answer = client.get("/session/oidc/callback?state=a&state=b&code=c")

    assert_refused(
        oidc_hub, answer, 400, "回调参数 state 出现了多次", "the callback repeats state", "DENIED"
    )


def test_claims_named_otherwise_at_the_provider(hub: Hub, provider: IdentityProvider) -> None:
    auditor = new_subject("audit-office")
    provider.set_user(auditor, {"hub_role": "auditor", "role": "admin"})
    settings = hub.settings.model_copy(
        update={
            "oidc_issuer": provider.url,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": SecretStr(CLIENT_SECRET),
            "oidc_role_claim": "hub_role",
            "oidc_department_claim": "hub_dept",
        }
    )
    with serving(settings) as (url, _), httpx.Client(base_url=url, timeout=30) as client:
        back = signed_in(client, auditor)
        assert back.status_code == 303, html.unescape(back.text)
        about = client.get("/session").json()

    assert (about["role"], about["subject"]) == ("auditor", auditor)  # hub_role, not role


def test_a_provider_that_cannot_be_reached(hub: Hub) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = hub.settings.model_copy(update={"oidc_issuer": nowhere, "oidc_client_id": CLIENT_ID})
    with serving(settings) as (url, _):
        answer = httpx.get(f"{url}/session/oidc", timeout=30)

    assert answer.status_code == 502, answer.text
    text = html.unescape(answer.text)
    assert "无法连接统一身份认证（发现文档）" in text
    assert "the identity provider's discovery could not be reached" in text
    [record] = [
        r for r in records(hub, "session") if r["requestId"] == answer.headers["x-request-id"]
    ]
    assert record["outcome"] == "ERROR" and "could not be reached" in record["reason"]


def test_a_hub_whose_client_credentials_the_provider_refuses(
    hub: Hub, provider: IdentityProvider
) -> None:
    settings = hub.settings.model_copy(
        update={"oidc_issuer": provider.url, "oidc_client_id": CLIENT_ID}  # no secret
    )
    with serving(settings) as (url, _), httpx.Client(base_url=url, timeout=30) as client:
        answer = signed_in(client, new_subject())

    assert answer.status_code == 502, answer.text
    text = html.unescape(answer.text)
    assert "统一身份认证不认可本平台的客户端凭据（invalid_client）" in text
    assert "the identity provider does not accept the hub's client credentials" in text
    [record] = [
        r for r in records(hub, "signIn") if r["requestId"] == answer.headers["x-request-id"]
    ]
    assert record["outcome"] == "ERROR" and "invalid_client" in record["reason"]
