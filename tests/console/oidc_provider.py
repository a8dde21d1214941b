"""A real OpenID Connect provider for the console's sign-in tests, and a hub that uses it.

The provider is oidc-provider-mock (authlib's authorization server on Flask): discovery,
an authorization page where a user is picked (or typed), the code exchange, RS256 ID tokens
and its JWKS. It is served by werkzeug on `localhost` (another site than the hub's
127.0.0.1, as a real provider is) in a thread. A user's claims are set at the provider
(`PUT /users/<sub>`) and go into the ID token as given, which is how the tests make the
provider issue a token with no role, another audience or issuer, another nonce or a past
expiry: a misconfigured provider, signed by its real key.

In front of it sits a fault injector for what the network may do to the code exchange:
answer it late (a timeout) or with the ID token's signature altered in transit.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import werkzeug.serving
from oidc_provider_mock import User
from oidc_provider_mock import app as provider_app
from pydantic import SecretStr

from hub.settings import Settings
from tests.graphql.conftest import Hub
from tests.serving import serving

CLIENT_ID = "hub-console"
CLIENT_SECRET = "a client secret of the hub at the provider"
TOKEN_PATH = "/oauth2/token"


@dataclass
class Faults:
    """What the injector does to the provider's answers to the code exchange."""

    token_delay_s: float = 0.0
    corrupt_signature: bool = False
    # the forms it got, with the Authorization header under that name
    token_requests: list[dict[str, str]] = field(default_factory=list)


class FaultInjector:
    """WSGI middleware in front of the provider: records each code exchange's form, and
    delays or corrupts the answer as `faults` say."""

    def __init__(self, app: Any, faults: Faults) -> None:
        self.app, self.faults = app, faults

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != TOKEN_PATH:
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        form = dict(httpx.QueryParams(body.decode("ascii")))
        self.faults.token_requests.append(
            {**form, "Authorization": environ.get("HTTP_AUTHORIZATION", "")}
        )
        environ["wsgi.input"] = _Body(body)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        answer = b"".join(self.app(environ, capture))
        if self.faults.corrupt_signature and b"id_token" in answer:
            answer = _with_signature_altered(answer)
        time.sleep(self.faults.token_delay_s)
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(answer)))])
        return [answer]


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        chunk = self.data if size < 0 else self.data[:size]
        self.data = self.data[len(chunk) :]
        return chunk


def _with_signature_altered(answer: bytes) -> bytes:
    """The token answer with one character in the middle of its ID token's signature
    changed (the middle: the last one may only carry padding bits)."""
    token = json.loads(answer)
    header, payload, signature = token["id_token"].split(".")
    middle = len(signature) // 2
    changed = "A" if signature[middle] != "A" else "B"
    token["id_token"] = f"{header}.{payload}.{signature[:middle]}{changed}{signature[middle + 1 :]}"
    return json.dumps(token).encode()


@dataclass
class IdentityProvider:
    """The running provider: its issuer URL and its faults."""

    url: str
    faults: Faults

    def set_user(self, subject: str, claims: dict[str, Any]) -> None:
        """The user `subject` at the provider, whose ID tokens carry `claims`."""
        answer = httpx.put(f"{self.url}/users/{subject}", json=claims, timeout=10)
        assert answer.status_code == 204, answer.text


@contextlib.contextmanager
def identity_provider(users: Iterable[User] = ()) -> Iterator[IdentityProvider]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("oidc_provider_mock").setLevel(logging.ERROR)
    faults = Faults()
    app = provider_app(require_nonce=True, user_claims=list(users))
    server = werkzeug.serving.make_server("localhost", 0, FaultInjector(app, faults), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
    thread.start()
    try:
        yield IdentityProvider(f"http://localhost:{server.server_port}", faults)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@dataclass
class OidcHub:
    """A hub with the provider configured: the GraphQL tests' county and graph, served by
    a second app over the same store and data directory (so the same signing key)."""

    url: str
    app: Any
    provider: IdentityProvider
    county: Hub  # the GraphQL tests' hub: its tokens, manifest and graph

    @property
    def officer_id(self) -> str:
        return self.county.manifest.scenarios.officer_id


@pytest.fixture(scope="module")
def provider(hub: Hub) -> Iterator[IdentityProvider]:
    officer = User(sub=hub.manifest.scenarios.officer_id, claims={"role": "officer"})
    with identity_provider([officer]) as running:
        yield running


@pytest.fixture(scope="module")
def oidc_hub(hub: Hub, provider: IdentityProvider) -> Iterator[OidcHub]:
    settings = Settings(
        graph_uri="embedded",
        data_dir=hub.settings.data_dir,
        graph_database=hub.graph,
        oidc_issuer=provider.url,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(CLIENT_SECRET),
    )
    with serving(settings) as (url, app):
        yield OidcHub(url, app, provider, hub)


def new_subject(prefix: str = "oidc-user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
