"""Tokens of the built-in issuer: what is accepted, and the plain reason for each refusal."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from pydantic import SecretStr

from hub.security.principal import Principal
from hub.security.tokens import (
    AuthError,
    SecretKeyError,
    TokenVerifier,
    issue_token,
    load_secret_key,
)
from hub.settings import Settings
from schema.departments import default_departments
from tests.security.support import TEST_SECRET, token


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, secret_key=SecretStr(TEST_SECRET))


@pytest.fixture
def verifier(settings: Settings) -> TokenVerifier:
    return TokenVerifier(settings, default_departments())


def signed(claims: dict[str, Any], secret: str = TEST_SECRET) -> str:
    return jwt.encode(claims, secret.encode(), algorithm="HS256")


def claims(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "iss": "hub",
        "sub": "fy0821-001",
        "role": "officer",
        "exp": datetime.now(UTC) + timedelta(hours=1),
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


async def refusal(verifier: TokenVerifier, header: str | None) -> str:
    with pytest.raises(AuthError) as refused:
        await verifier.verify(header)
    return refused.value.reason


async def test_an_issued_officer_token_names_its_subject_and_role(verifier: TokenVerifier) -> None:
    principal = await verifier.verify(f"Bearer {token('officer', 'fy0821-001')}")

    assert principal == Principal(subject="fy0821-001", role="officer", department=None)


async def test_a_department_token_carries_its_department(verifier: TokenVerifier) -> None:
    principal = await verifier.verify(f"Bearer {token('department', 'psb-sys', 'psb')}")

    assert principal == Principal(subject="psb-sys", role="department", department="psb")


async def test_an_expired_token_is_refused(verifier: TokenVerifier) -> None:
    expired = signed(claims(exp=datetime.now(UTC) - timedelta(minutes=5)))

    assert await refusal(verifier, f"Bearer {expired}") == "token expired"


async def test_a_token_signed_with_another_key_is_refused(verifier: TokenVerifier) -> None:
    forged = signed(claims(), secret="another-secret-key-of-at-least-32-chars")

    assert await refusal(verifier, f"Bearer {forged}") == "signature does not match"


@pytest.mark.parametrize("garbage", ["abc", "not.a.token", "eyJhbGciOiJIUzI1NiJ9.e30"])
async def test_a_malformed_token_is_refused(verifier: TokenVerifier, garbage: str) -> None:
    assert await refusal(verifier, f"Bearer {garbage}") == "token is malformed"


async def test_a_token_without_a_role_is_refused(verifier: TokenVerifier) -> None:
    assert await refusal(verifier, f"Bearer {signed(claims(role=None))}") == (
        "token has no role claim"
    )


async def test_a_token_with_an_unknown_role_is_refused(verifier: TokenVerifier) -> None:
    reason = await refusal(verifier, f"Bearer {signed(claims(role='superuser'))}")

    assert reason.startswith("unknown role 'superuser'")


async def test_a_department_token_must_name_a_known_department(verifier: TokenVerifier) -> None:
    without = signed(claims(role="department"))
    unknown = signed(claims(role="department", dept="no-such-dept"))

    assert await refusal(verifier, f"Bearer {without}") == "department token has no dept claim"
    assert "unknown department 'no-such-dept'" in await refusal(verifier, f"Bearer {unknown}")


async def test_a_token_without_expiry_or_issuer_is_refused(verifier: TokenVerifier) -> None:
    assert await refusal(verifier, f"Bearer {signed(claims(exp=None))}") == (
        "token has no exp claim"
    )
    assert await refusal(verifier, f"Bearer {signed(claims(iss=None))}") == (
        "token has no iss claim"
    )


async def test_unsigned_tokens_are_refused(verifier: TokenVerifier) -> None:
    unsigned = jwt.encode(claims(), "", algorithm="none")

    assert "'none' is not accepted" in await refusal(verifier, f"Bearer {unsigned}")


async def test_provider_tokens_are_refused_when_no_provider_is_configured(
    verifier: TokenVerifier,
) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    provider_token = jwt.encode(claims(), key, algorithm="ES256")

    reason = await refusal(verifier, f"Bearer {provider_token}")

    assert reason == "token is signed with ES256, but no identity provider is configured"


@pytest.mark.parametrize("header", [None, "", "Basic dXNlcjpwYXNz", "Bearer "])
async def test_a_request_without_a_bearer_token_is_refused(
    verifier: TokenVerifier, header: str | None
) -> None:
    reason = await refusal(verifier, header)

    assert "Bearer" in reason or "bearer" in reason


async def test_a_verified_token_is_taken_on_trust_only_until_it_expires(
    verifier: TokenVerifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[str] = []
    decode = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        decoded.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting)
    expires = datetime.now(UTC) + timedelta(minutes=2)
    header = f"Bearer {signed(claims(exp=expires))}"
    first = await verifier.verify(header)
    again = await verifier.verify(header)
    assert again == first and len(decoded) == 1  # checked once

    forged = f"Bearer {signed(claims(exp=expires), secret='another key ' * 4)}"
    for _ in range(2):  # a refused token is checked every time
        with pytest.raises(AuthError):
            await verifier.verify(forged)
    assert len(decoded) == 3

    later = expires.timestamp() + 1
    monkeypatch.setattr("hub.security.tokens.time.time", lambda: later)
    await verifier.verify(header)  # expired by the hub's clock: checked again (pyjwt's says no)
    assert len(decoded) == 4


def test_the_secret_key_is_generated_once_into_the_data_dir_owner_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")

    first = load_secret_key(settings)
    second = load_secret_key(settings)

    assert first == second and len(first) >= 32
    key_file = tmp_path / "var" / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["secret.key"]


def test_a_short_configured_secret_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SecretKeyError, match="at least 32"):
        load_secret_key(Settings(data_dir=tmp_path, secret_key=SecretStr("short")))


def test_issuing_refuses_a_department_token_without_department() -> None:
    with pytest.raises(ValueError, match="department code"):
        issue_token(
            TEST_SECRET.encode(),
            role="department",
            subject="x",
            department=None,
            ttl=timedelta(hours=1),
        )
