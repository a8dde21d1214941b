"""Bearer tokens: the built-in HS256 issuer, and RS256/ES256 from an identity provider's JWKS.

Every refusal is an `AuthError` whose reason is plain words a client developer can act on
("token expired", "signature does not match"); it never echoes the token.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from hub.security.principal import ROLES, Principal, Role
from hub.settings import (
    JWKS_CACHE_S,
    JWKS_REFRESH_COOLDOWN_S,
    JWKS_TIMEOUT_S,
    MAX_TOKEN_TTL,
    MIN_SECRET_KEY_BYTES,
    TOKEN_CACHE_S,
    TOKEN_CACHE_SIZE,
    TOKEN_LEEWAY_S,
    Settings,
)
from schema.departments import Department

log = logging.getLogger(__name__)

BUILT_IN_ALGORITHM = "HS256"
BUILT_IN_ISSUER = "hub"
PROVIDER_ALGORITHMS = ("RS256", "ES256")
SECRET_KEY_FILE = "secret.key"  # noqa: S105 - a file name, not a secret
OWNER_ONLY = 0o600


class AuthError(Exception):
    """The request carries no usable credentials; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SecretKeyError(ValueError):
    """HUB_SECRET_KEY or the generated key file is unusable."""


def load_secret_key(settings: Settings) -> bytes:
    """HUB_SECRET_KEY, or the key in `<data_dir>/secret.key`, generated there when missing."""
    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value().encode("utf-8")
        if len(key) < MIN_SECRET_KEY_BYTES:
            raise SecretKeyError(
                f"HUB_SECRET_KEY is too short: use at least {MIN_SECRET_KEY_BYTES} characters "
                "(for example the output of `openssl rand -hex 32`)"
            )
        return key
    path = settings.data_dir / SECRET_KEY_FILE
    if not path.exists():
        _create_key_file(path)
    return _read_key_file(path)


def _read_key_file(path: Path) -> bytes:
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by other users; run `chmod 600` on it", path)
    key = path.read_bytes().strip()
    if len(key) < MIN_SECRET_KEY_BYTES:
        raise SecretKeyError(f"{path} holds no usable key; delete it to have a new one generated")
    return key


def _create_key_file(path: Path) -> None:
    """Write a new key so that concurrent first starts end up sharing one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
        # link() refuses to replace an existing file: the first process to get here wins,
        # and nobody ever reads a half-written key.
        try:
            os.link(draft, path)
            log.info("generated the token signing key in %s", path)
        except FileExistsError:
            pass
    finally:
        draft.unlink()


def issue_token(
    secret: bytes,
    *,
    role: Role,
    subject: str,
    department: str | None,
    ttl: timedelta,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """A token of the built-in issuer, valid for `ttl` from now; `extra` claims beside the
    standard ones (a console session's account and sign-in time)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
    if not subject:
        raise ValueError("a token needs a subject")
    if role == "department" and not department:
        raise ValueError("a department token needs a department code")
    if not timedelta(0) < ttl <= MAX_TOKEN_TTL:
        longest = MAX_TOKEN_TTL.days
        raise ValueError(f"a token's lifetime must be positive and at most {longest} days")
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": BUILT_IN_ISSUER,
        "sub": subject,
        "role": role,
        "iat": now,
        "exp": now + ttl,
    }
    if department:
        claims["dept"] = department
    claims = {**(extra or {}), **claims}  # the standard claims cannot be overridden
    return jwt.encode(claims, secret, algorithm=BUILT_IN_ALGORITHM)


class TokenVerifier:
    """Turns an `Authorization` header into a `Principal`, or refuses with an `AuthError`.

    A client sends the same token with request after request, and checking it costs more
    than a store query here (pyjwt decodes and checks every character of it). So a verified
    token's principal is kept, by the token's exact text, until the token expires but never
    longer than TOKEN_CACHE_S: the time a withdrawn provider key stays trusted anyway, as the
    key set itself is cached that long. Refused tokens are not kept.
    """

    def __init__(
        self,
        settings: Settings,
        departments: Mapping[str, Department],
        *,
        jwks_refresh_cooldown_s: float = JWKS_REFRESH_COOLDOWN_S,
    ) -> None:
        self._secret = load_secret_key(settings)
        self._departments = departments
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._jwks: jwt.PyJWKClient | None = None
        self._verified: dict[str, tuple[Principal, float]] = {}  # token → principal, until
        if settings.jwks_url:
            # The whole key set is cached for JWKS_CACHE_S, and an unknown `kid` refetches it
            # (at most once per cooldown). Keys are not cached one by one: that cache never
            # expires, so a key the provider withdrew would stay trusted.
            self._jwks = jwt.PyJWKClient(
                settings.jwks_url,
                cache_jwk_set=True,
                lifespan=JWKS_CACHE_S,
                timeout=JWKS_TIMEOUT_S,
                cooldown_duration=jwks_refresh_cooldown_s,
            )

    @property
    def secret(self) -> bytes:
        """The built-in issuer's key: console sessions are signed with it too."""
        return self._secret

    async def verify(self, authorization_header: str | None) -> Principal:
        token = _bearer_token(authorization_header)
        now = time.time()
        known = self._verified.get(token)
        if known is not None and now < known[1]:
            return known[0]
        claims = await self._verified_claims(token)
        principal = self._principal(claims)
        self._remember(token, principal, min(float(claims["exp"]), now + TOKEN_CACHE_S))
        return principal

    def _remember(self, token: str, principal: Principal, until: float) -> None:
        self._verified.pop(token, None)
        if len(self._verified) >= TOKEN_CACHE_SIZE:
            del self._verified[next(iter(self._verified))]  # the longest kept
        self._verified[token] = (principal, until)

    async def _verified_claims(self, token: str) -> dict[str, Any]:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.DecodeError:
            raise AuthError("token is malformed") from None
        if algorithm == BUILT_IN_ALGORITHM:
            return _decode(token, self._secret, algorithm, issuer=BUILT_IN_ISSUER, audience=None)
        if algorithm in PROVIDER_ALGORITHMS:
            key = await self._provider_key(token, algorithm)
            return _decode(token, key, algorithm, issuer=self._issuer, audience=self._audience)
        accepted = ", ".join((BUILT_IN_ALGORITHM, *PROVIDER_ALGORITHMS))
        raise AuthError(f"token algorithm {algorithm!r} is not accepted ({accepted})")

    async def _provider_key(self, token: str, algorithm: str) -> Any:
        if self._jwks is None:
            raise AuthError(
                f"token is signed with {algorithm}, but no identity provider is configured"
            )
        try:
            signing_key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError:
            log.warning("the identity provider's keys could not be fetched")
            raise AuthError("the identity provider's keys could not be fetched") from None
        except jwt.PyJWKClientError:
            unknown = "token is signed by a key the identity provider does not list"
            raise AuthError(unknown) from None
        except jwt.DecodeError:
            raise AuthError("token is malformed") from None
        return signing_key.key

    def principal_of(self, claims: Mapping[str, Any]) -> Principal:
        """The principal of an identity provider's verified claims (`sub`, `role`, `dept`),
        checked as a bearer token's are: the console's sign-in through the provider."""
        return self._principal(claims)

    def _principal(self, claims: Mapping[str, Any]) -> Principal:
        subject, role, department = claims.get("sub"), claims.get("role"), claims.get("dept")
        if not isinstance(subject, str) or not subject:
            raise AuthError("token has no subject (sub claim)")
        if role is None:
            raise AuthError("token has no role claim")
        if role not in ROLES:
            raise AuthError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
        if department is not None and not isinstance(department, str):
            raise AuthError("token's dept claim is not a department code")
        if role == "department" and department not in self._departments:
            if department is None:
                raise AuthError("department token has no dept claim")
            raise AuthError(f"department token names an unknown department {department!r}")
        return Principal(subject=subject, role=role, department=department)


def _bearer_token(header: str | None) -> str:
    if not header:
        raise AuthError("no credentials: send Authorization: Bearer <token>")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("the Authorization header is not a bearer token")
    return token.strip()


def _decode(
    token: str, key: Any, algorithm: str, *, issuer: str | None, audience: str | None
) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            issuer=issuer,
            audience=audience,
            leeway=TOKEN_LEEWAY_S,
            options={"require": ["exp", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthError("token expired") from None
    except jwt.InvalidSignatureError:
        raise AuthError("signature does not match") from None
    except jwt.MissingRequiredClaimError as exc:
        raise AuthError(f"token has no {exc.claim} claim") from None
    except jwt.InvalidIssuerError:
        raise AuthError("token issuer is not accepted") from None
    except jwt.InvalidAudienceError:
        raise AuthError("token audience is not accepted") from None
    except jwt.ImmatureSignatureError:
        raise AuthError("token is not valid yet") from None
    except jwt.DecodeError:
        raise AuthError("token is malformed") from None
    except (jwt.InvalidTokenError, jwt.InvalidKeyError) as exc:
        raise AuthError(f"token is invalid: {exc}") from None
    return claims
