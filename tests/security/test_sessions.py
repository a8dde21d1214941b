"""Console sessions over HTTP: sign in, act by the cookie on /graphql, CSRF, lock-out,
renewal, sign-out; each step audited."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from hub.security.accounts import Account, Accounts
from hub.security.audit import AuditFilter, AuditLog
from hub.security.cookies import CSRF_COOKIE, SESSION_COOKIE
from hub.security.tokens import BUILT_IN_ALGORITHM, BUILT_IN_ISSUER
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import OFFICER, TEST_SECRET, app_client, with_test_secret

PASSWORD = "镇赉县法院-correct horse"
MY_CASES = {"query": "{ myCases { caseNumber } }"}


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name), sign_in_max_failures=3)


@pytest.fixture
async def client(settings: Settings, store: GraphStore) -> AsyncIterator[httpx.AsyncClient]:
    await Accounts(store).add(OFFICER, "officer", OFFICER, None, PASSWORD)
    async with app_client(settings, store) as client:
        yield client


async def sign_in(client: httpx.AsyncClient, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/session", json={"name": OFFICER, "password": password})


async def audit_trail(store: GraphStore) -> list[tuple[str, str, str | None]]:
    page = await AuditLog(store.audit_store()).events(AuditFilter(), 50, None)
    return [(e.operation, e.outcome, e.actor) for e in reversed(page.events)]


async def test_an_officer_signs_in_and_the_cookie_works_as_a_token(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    signed_in = await sign_in(client)

    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["role"] == "officer"
    cookie = signed_in.headers.get_list("set-cookie")
    session = next(c for c in cookie if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session and "SameSite=strict" in session and "Path=/" in session
    csrf = client.cookies[CSRF_COOKIE]

    answer = await client.post("/graphql", json=MY_CASES, headers={"X-CSRF-Token": csrf})
    assert answer.json() == {"data": {"myCases": []}}

    trail = await audit_trail(store)
    assert trail[0] == ("signIn", "ALLOWED", OFFICER)
    assert trail[1][:2] == ("myCases", "ALLOWED") and trail[1][2] == OFFICER


@pytest.mark.parametrize("csrf", [None, "forged"])
async def test_a_cookie_post_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, store: GraphStore, csrf: str | None
) -> None:
    await sign_in(client)
    headers = {"X-CSRF-Token": csrf} if csrf else {}

    answer = await client.post("/graphql", json=MY_CASES, headers=headers)

    assert answer.json()["data"] is None
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "X-CSRF-Token" in answer.json()["errors"][0]["message"]
    assert (await audit_trail(store))[-1] == ("myCases", "DENIED", None)


async def test_wrong_passwords_lock_the_account_and_each_try_is_audited(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    statuses = [(await sign_in(client, "wrong password!")).status_code for _ in range(3)]
    after_lock = await sign_in(client)  # the right password, while locked

    assert statuses == [401, 401, 423]
    assert after_lock.status_code == 423
    assert SESSION_COOKIE not in client.cookies
    trail = await audit_trail(store)
    assert [t[:2] for t in trail] == [("signIn", "DENIED")] * 4
    assert all(t[2] == OFFICER for t in trail)


async def test_an_unknown_name_reads_like_a_wrong_password(client: httpx.AsyncClient) -> None:
    unknown = await client.post("/session", json={"name": "nobody", "password": PASSWORD})
    wrong = await sign_in(client, "wrong password!")

    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b'{"name": 1, "password": 2}', b"[]", b'{"name": "' + b"n" * 5000 + b'"}'],
)
async def test_a_sign_in_without_name_and_password_is_400_and_recorded(
    client: httpx.AsyncClient, store: GraphStore, body: bytes
) -> None:
    answer = await client.post(
        "/session", content=body, headers={"Content-Type": "application/json"}
    )

    assert answer.status_code == 400
    assert (await audit_trail(store))[-1][:2] == ("session", "DENIED")


async def test_sign_out_ends_the_session_and_is_audited(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    await sign_in(client)
    csrf = client.cookies[CSRF_COOKIE]

    out = await client.delete("/session")

    assert out.status_code == 204
    assert SESSION_COOKIE not in client.cookies
    answer = await client.post("/graphql", json=MY_CASES, headers={"X-CSRF-Token": csrf})
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert ("signOut", "ALLOWED", OFFICER) in await audit_trail(store)


async def test_renewal_stops_when_the_account_is_disabled(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    await sign_in(client)
    renewed = await client.get("/session")
    assert renewed.status_code == 200 and renewed.json()["name"] == OFFICER

    await Accounts(store).disable(OFFICER)

    assert (await client.get("/session")).status_code == 401
    assert SESSION_COOKIE not in client.cookies


async def test_renewal_never_goes_past_the_absolute_bound(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    signed_in_at = datetime.now(UTC) - timedelta(hours=settings.session_absolute_hours, minutes=-5)
    account = Account(OFFICER, "officer", OFFICER, None)
    old = jwt.encode(
        {
            "iss": BUILT_IN_ISSUER, "sub": OFFICER, "role": "officer", "acc": account.name,
            "auth_time": int(signed_in_at.timestamp()),
            "iat": signed_in_at, "exp": datetime.now(UTC) + timedelta(minutes=5),
        },
        TEST_SECRET.encode(),
        algorithm=BUILT_IN_ALGORITHM,
    )  # fmt: skip
    client.cookies.set(SESSION_COOKIE, old)

    renewed = await client.get("/session")

    ends = datetime.fromisoformat(renewed.json()["expiresAt"])
    assert ends <= signed_in_at + timedelta(hours=settings.session_absolute_hours, seconds=1)
    assert ends < datetime.now(UTC) + timedelta(minutes=6)
