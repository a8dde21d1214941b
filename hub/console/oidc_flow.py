"""One sign-in through the identity provider, from the redirect to it to its redirect back:
its `state`, `nonce` and PKCE verifier, kept in a signed, short-lived cookie of the browser
that began it.

A cookie rather than the server's memory: the redirect back may reach another process of
the hub than the one that sent the browser away, and the cookie needs nothing shared. It is
HttpOnly, lives OIDC_FLOW_S, is signed with a key derived from the hub's secret for this use
only (so it is neither a session nor a token), and is SameSite=Lax: the provider's redirect
back is a top-level navigation from another site, which a Strict cookie would not follow.
Its path is /session/oidc, so it travels with nothing else.

A flow is used once: the callback clears the cookie, and each process keeps the states it
has used until they expire, so a replayed redirect (cookie and all) is refused as repeated.
The provider's code is single-use besides.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt

from hub.settings import OIDC_FLOW_S

FLOW_COOKIE = "hub_oidc_flow"
FLOW_PATH = "/session/oidc"
_ISSUER = "hub-oidc-flow"  # never the built-in issuer: the gate refuses it as a token
_ALGORITHM = "HS256"
_KEY_LABEL = b"hub console: OpenID Connect sign-in flow"
_REMEMBERED = 10_000  # used states kept by one process (each at most OIDC_FLOW_S)


@dataclass(frozen=True)
class Flow:
    state: str
    nonce: str
    verifier: str  # PKCE code_verifier (RFC 7636): 64 characters of [A-Za-z0-9_-]
    expires: int  # Unix time

    @classmethod
    def begin(cls) -> Flow:
        return cls(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            verifier=secrets.token_urlsafe(48),
            expires=int(time.time()) + OIDC_FLOW_S,
        )

    @property
    def challenge(self) -> str:
        """The S256 code_challenge of the verifier."""
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def sealed(self, secret: bytes) -> str:
        claims: dict[str, Any] = {
            "iss": _ISSUER,
            "exp": self.expires,
            "state": self.state,
            "nonce": self.nonce,
            "verifier": self.verifier,
        }
        return jwt.encode(claims, _key(secret), algorithm=_ALGORITHM)

    @classmethod
    def unsealed(cls, cookie: str | None, secret: bytes) -> Flow | None:
        """The flow of a cookie this hub set and that has not expired; else None."""
        if not cookie:
            return None
        try:
            claims = jwt.decode(
                cookie,
                _key(secret),
                algorithms=[_ALGORITHM],
                issuer=_ISSUER,
                options={"require": ["exp", "iss", "state", "nonce", "verifier"]},
            )
        except jwt.PyJWTError:
            return None
        return cls(claims["state"], claims["nonce"], claims["verifier"], int(claims["exp"]))


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, _KEY_LABEL, hashlib.sha256).digest()


class UsedStates:
    """The states of this process's finished flows, until they would have expired anyway."""

    def __init__(self) -> None:
        self._until: dict[str, int] = {}

    def use(self, flow: Flow) -> bool:
        """Marks the flow used; False when it already was."""
        now = int(time.time())
        for state in [s for s, until in self._until.items() if until < now]:
            del self._until[state]
        if flow.state in self._until:
            return False
        if len(self._until) >= _REMEMBERED:
            del self._until[next(iter(self._until))]  # the oldest
        self._until[flow.state] = flow.expires
        return True
