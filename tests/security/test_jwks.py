"""Tokens of an external identity provider, checked against its JWKS served on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from pydantic import SecretStr

from hub.security.principal import Principal
from hub.security.tokens import AuthError, TokenVerifier
from hub.settings import Settings
from schema.departments import default_departments
from tests.security.support import TEST_SECRET


class IdentityProvider:
    """A JWKS endpoint whose key set a test can change, counting how often it is fetched."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.fetches = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.fetches += 1
                body = json.dumps({"keys": provider.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"

    def publish_rsa(self, kid: str) -> rsa.RSAPrivateKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        self.keys.append(jwk | {"kid": kid, "alg": "RS256", "use": "sig"})
        return key

    def publish_ec(self, kid: str) -> ec.EllipticCurvePrivateKey:
        key = ec.generate_private_key(ec.SECP256R1())
        jwk = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
        self.keys.append(jwk | {"kid": kid, "alg": "ES256", "use": "sig"})
        return key


@pytest.fixture
def provider() -> Iterator[IdentityProvider]:
    idp = IdentityProvider()
    thread = threading.Thread(target=idp.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield idp
    finally:
        idp.server.shutdown()
        idp.server.server_close()
        thread.join(timeout=5)


def settings_with(provider: IdentityProvider, tmp_path: Path, **more: Any) -> Settings:
    return Settings(
        data_dir=tmp_path, secret_key=SecretStr(TEST_SECRET), jwks_url=provider.url, **more
    )


def provider_token(key: Any, kid: str, algorithm: str = "RS256", **claims: Any) -> str:
    payload = {
        "sub": "fy0821-009",
        "role": "officer",
        "exp": datetime.now(UTC) + timedelta(minutes=10),
    } | claims
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


async def test_an_rs256_token_of_the_provider_is_accepted_and_its_keys_cached(
    provider: IdentityProvider, tmp_path: Path
) -> None:
    key = provider.publish_rsa("k1")
    verifier = TokenVerifier(settings_with(provider, tmp_path), default_departments())

    for _ in range(3):
        principal = await verifier.verify(f"Bearer {provider_token(key, 'k1')}")

    assert principal == Principal(subject="fy0821-009", role="officer", department=None)
    assert provider.fetches == 1


async def test_an_es256_token_of_the_provider_is_accepted(
    provider: IdentityProvider, tmp_path: Path
) -> None:
    key = provider.publish_ec("ec1")
    verifier = TokenVerifier(settings_with(provider, tmp_path), default_departments())

    token = provider_token(key, "ec1", "ES256", role="auditor", sub="jw-01")

    assert (await verifier.verify(f"Bearer {token}")).role == "auditor"


async def test_a_rotated_key_is_fetched_when_its_kid_is_unknown(
    provider: IdentityProvider, tmp_path: Path
) -> None:
    old = provider.publish_rsa("k1")
    verifier = TokenVerifier(
        settings_with(provider, tmp_path), default_departments(), jwks_refresh_cooldown_s=0
    )
    await verifier.verify(f"Bearer {provider_token(old, 'k1')}")

    new = provider.publish_rsa("k2")
    principal = await verifier.verify(f"Bearer {provider_token(new, 'k2')}")

    assert principal.subject == "fy0821-009"
    assert provider.fetches == 2


async def test_a_token_signed_by_a_key_the_provider_does_not_list_is_refused(
    provider: IdentityProvider, tmp_path: Path
) -> None:
    provider.publish_rsa("k1")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = TokenVerifier(settings_with(provider, tmp_path), default_departments())

    with pytest.raises(AuthError, match="does not list"):
        await verifier.verify(f"Bearer {provider_token(stranger, 'k9')}")


async def test_a_provider_token_signed_by_the_wrong_key_under_a_listed_kid_is_refused(
    provider: IdentityProvider, tmp_path: Path
) -> None:
    provider.publish_rsa("k1")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = TokenVerifier(settings_with(provider, tmp_path), default_departments())

    with pytest.raises(AuthError, match="signature does not match"):
        await verifier.verify(f"Bearer {provider_token(stranger, 'k1')}")


async def test_the_configured_audience_and_issuer_are_required(
    provider: IdentityProvider, tmp_path: Path
) -> None:
    key = provider.publish_rsa("k1")
    settings = settings_with(
        provider, tmp_path, jwt_audience="hub", jwt_issuer="https://idp.court.example"
    )
    verifier = TokenVerifier(settings, default_departments())
    good = provider_token(key, "k1", aud="hub", iss="https://idp.court.example")
    other_audience = provider_token(key, "k1", aud="payroll", iss="https://idp.court.example")
    other_issuer = provider_token(key, "k1", aud="hub", iss="https://elsewhere.example")

    assert (await verifier.verify(f"Bearer {good}")).subject == "fy0821-009"
    with pytest.raises(AuthError, match="audience"):
        await verifier.verify(f"Bearer {other_audience}")
    with pytest.raises(AuthError, match="issuer"):
        await verifier.verify(f"Bearer {other_issuer}")


async def test_an_unreachable_provider_refuses_with_a_plain_reason(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        secret_key=SecretStr(TEST_SECRET),
        jwks_url="http://127.0.0.1:9/jwks.json",  # discard port: nothing answers
    )
    verifier = TokenVerifier(settings, default_departments())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    with pytest.raises(AuthError, match="could not be fetched"):
        await verifier.verify(f"Bearer {provider_token(key, 'k1')}")
