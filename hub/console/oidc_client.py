"""The hub as an OpenID Connect client of the identity provider: discovery, the
authorization request, the code exchange and the ID token's checks.

Every call to the provider is server to server with a timeout (OIDC_TIMEOUT_S), through
urllib, never following redirects. The ID token is checked as OpenID Connect Core 3.1.3.7
says: signed (RS256 or ES256) by a key the provider lists at its `jwks_uri` (fetched and
kept as the bearer tokens' keys are: pyjwt's PyJWKClient), issued by the configured issuer,
for the hub's client id (and `azp` = the client id when it names several audiences),
carrying this sign-in's nonce, and not expired (TOKEN_LEEWAY_S of clock difference).
Every failure is a `SignInRefused` saying why, in Chinese and in English.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import jwt

from hub.console.oidc_flow import Flow
from hub.security.audit import Outcome
from hub.security.tokens import PROVIDER_ALGORITHMS
from hub.settings import (
    JWKS_CACHE_S,
    JWKS_REFRESH_COOLDOWN_S,
    MAX_OIDC_RESPONSE_BYTES,
    OIDC_DISCOVERY_CACHE_S,
    OIDC_TIMEOUT_S,
    TOKEN_LEEWAY_S,
    Settings,
)

DISCOVERY_PATH = "/.well-known/openid-configuration"
_KEY_TYPES = {"RS256": "RSA", "ES256": "EC"}


class SignInRefused(Exception):
    """A sign-in through the provider that cannot go on: the HTTP status, the reason in
    Chinese and in English, and how the audit record ends (DENIED, or ERROR when the
    provider failed)."""

    def __init__(self, status: int, zh: str, en: str, outcome: Outcome = "DENIED") -> None:
        super().__init__(en)
        self.status, self.zh, self.en, self.outcome = status, zh, en, outcome


@dataclass(frozen=True)
class Discovery:
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    secret_in_body: bool  # client_secret_post: the provider takes no client_secret_basic


class Provider:
    """The configured provider; made once per process (`hub.console.oidc.provider_of`)."""

    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_issuer and settings.oidc_client_id
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.client_id = settings.oidc_client_id
        self.scope = settings.oidc_scope
        self.timeout: float = OIDC_TIMEOUT_S
        self._secret = _client_secret(settings)
        self._discovery: tuple[Discovery, float] | None = None
        self._keys: jwt.PyJWKClient | None = None

    async def discovery(self) -> Discovery:
        if self._discovery is not None and time.monotonic() < self._discovery[1]:
            return self._discovery[0]
        found = _discovery_of(await self._get_json(self.issuer + DISCOVERY_PATH), self.issuer)
        if self._keys is None or self._keys.uri != found.jwks_uri:
            self._keys = jwt.PyJWKClient(
                found.jwks_uri,
                cache_jwk_set=True,
                lifespan=JWKS_CACHE_S,
                timeout=self.timeout,
                cooldown_duration=JWKS_REFRESH_COOLDOWN_S,
            )
        self._discovery = (found, time.monotonic() + OIDC_DISCOVERY_CACHE_S)
        return found

    def authorization_url(self, discovery: Discovery, redirect_uri: str, flow: Flow) -> str:
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": self.scope,
                "state": flow.state,
                "nonce": flow.nonce,
                "code_challenge": flow.challenge,
                "code_challenge_method": "S256",
            }
        )
        separator = "&" if "?" in discovery.authorization_endpoint else "?"
        return f"{discovery.authorization_endpoint}{separator}{query}"

    async def id_token(self, code: str, redirect_uri: str, verifier: str) -> str:
        """Exchanges the code at the token endpoint; the ID token it answers."""
        discovery = await self.discovery()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self._secret is None or discovery.secret_in_body:  # a public client, or _post
            form["client_id"] = self.client_id
        if self._secret is not None and discovery.secret_in_body:
            form["client_secret"] = self._secret
        elif self._secret is not None:  # client_secret_basic (RFC 6749 2.3.1)
            user = urllib.parse.quote(self.client_id, safe="")
            password = urllib.parse.quote(self._secret, safe="")
            basic = _base64(f"{user}:{password}")
            headers["Authorization"] = f"Basic {basic}"
        body = urllib.parse.urlencode(form).encode("ascii")
        answer = await self._call(discovery.token_endpoint, body, headers, exchange=True)
        token = answer.get("id_token")
        if not isinstance(token, str) or not token:
            raise SignInRefused(
                502,
                "统一身份认证换取令牌的答复中没有身份令牌（id_token）",
                "the identity provider's token answer holds no id_token (is `openid` among "
                "HUB_OIDC_SCOPE?)",
                "ERROR",
            )
        return token

    async def verified_claims(self, token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims, once every check of the module's docstring has passed."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise _token_refused("身份令牌格式不对", "the ID token is malformed") from None
        algorithm = header.get("alg")
        if algorithm not in PROVIDER_ALGORITHMS:
            raise _token_refused(
                f"身份令牌的签名算法 {algorithm!r} 不被接受",
                f"the ID token is signed with {algorithm!r}; accepted: "
                + ", ".join(PROVIDER_ALGORITHMS),
            )
        key = await self._key(header.get("kid"), algorithm)
        claims = _decoded(token, key, algorithm, issuer=self.issuer, audience=self.client_id)
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise _token_refused(
                "身份令牌签发给了多个应用，但授权方（azp）不是本平台",
                "the ID token names several audiences and its azp is not this hub's client id",
            )
        given = claims.get("nonce")
        if not isinstance(given, str) or not hmac.compare_digest(given, nonce):
            raise _token_refused(
                "身份令牌的 nonce 与本次登录不符（可能是重放的令牌）",
                "the ID token's nonce is not this sign-in's (a replayed token?)",
            )
        return claims

    async def _key(self, kid: object, algorithm: str) -> Any:
        await self.discovery()
        keys = self._keys
        assert keys is not None
        try:
            if isinstance(kid, str) and kid:
                return (await asyncio.to_thread(keys.get_signing_key, kid)).key
            listed = await asyncio.to_thread(keys.get_jwk_set)
        except jwt.PyJWKClientConnectionError:
            raise _unreachable("签名密钥", "keys (jwks_uri)") from None
        except jwt.PyJWKClientError:
            raise _token_refused(
                "身份令牌的签名密钥不在统一身份认证公布的密钥中",
                f"the ID token is signed by a key ({kid!r}) the provider does not list",
            ) from None
        # No kid: the provider's one key of the algorithm's type (OpenID Connect Core 10.1).
        fitting = [
            k
            for k in listed.keys
            if k.key_type == _KEY_TYPES[algorithm] and k.public_key_use in ("sig", None)
        ]
        if len(fitting) != 1:
            raise _token_refused(
                "身份令牌没有指明签名密钥（kid），而统一身份认证公布了多个密钥",
                f"the ID token names no key (kid) and the provider lists {len(fitting)} "
                f"{_KEY_TYPES[algorithm]} keys",
            )
        return fitting[0].key

    async def _get_json(self, url: str) -> dict[str, Any]:
        return await self._call(url, None, {}, exchange=False)

    async def _call(
        self, url: str, body: bytes | None, headers: dict[str, str], *, exchange: bool
    ) -> dict[str, Any]:
        what_zh, what_en = ("令牌端点", "token endpoint") if exchange else ("发现文档", "discovery")
        try:
            status, data = await asyncio.to_thread(_fetch, url, body, headers, self.timeout)
        except TimeoutError:
            raise SignInRefused(
                504,
                f"统一身份认证的{what_zh}在 {self.timeout:g} 秒内没有答复",
                f"the identity provider's {what_en} did not answer within {self.timeout:g} s",
                "ERROR",
            ) from None
        except OSError:
            raise _unreachable(what_zh, what_en) from None
        try:
            answer = json.loads(data)
        except ValueError:
            answer = None
        if exchange and isinstance(answer, dict) and isinstance(answer.get("error"), str):
            error = answer["error"][:64]
            described = str(answer.get("error_description") or "")[:200]
            if error in ("invalid_client", "unauthorized_client"):  # the hub's configuration
                raise SignInRefused(
                    502,
                    f"统一身份认证不认可本平台的客户端凭据（{error}），"
                    "请管理员检查 HUB_OIDC_CLIENT_ID 和客户端密钥",
                    f"the identity provider does not accept the hub's client credentials: "
                    f"{error} ({described}); check HUB_OIDC_CLIENT_ID and the client secret",
                    "ERROR",
                )
            raise SignInRefused(
                401,
                f"统一身份认证不接受这次登录的授权码（{error}），请重新登录",
                f"the identity provider refused the code: {error}"
                + (f" ({described})" if described else ""),
            )
        if status != 200 or not isinstance(answer, dict):
            raise SignInRefused(
                502,
                f"统一身份认证的{what_zh}答复有误（HTTP {status}）",
                f"the identity provider's {what_en} answered HTTP {status} without a JSON object",
                "ERROR",
            )
        return answer


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _fetch(
    url: str, body: bytes | None, headers: dict[str, str], timeout: float
) -> tuple[int, bytes]:
    """GET (or POST `body`) `url`: the status and at most MAX_OIDC_RESPONSE_BYTES of the
    answer; raises TimeoutError, or OSError when the provider cannot be reached."""
    if not url.startswith(("https://", "http://")):
        raise OSError(f"not an HTTP URL: {url[:100]}")
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - checked above
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read(MAX_OIDC_RESPONSE_BYTES)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(MAX_OIDC_RESPONSE_BYTES)
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise error.reason from None
        raise


def _discovery_of(document: dict[str, Any], issuer: str) -> Discovery:
    """The endpoints of a discovery document, which must name the configured issuer
    (OpenID Connect Discovery 4.3)."""
    named = str(document.get("issuer", "")).rstrip("/")
    if named != issuer:
        raise SignInRefused(
            502,
            "统一身份认证的发现文档中的签发方与配置的 HUB_OIDC_ISSUER 不符",
            f"the provider's discovery document names the issuer {named[:200]!r}, "
            f"not HUB_OIDC_ISSUER {issuer!r}",
            "ERROR",
        )
    endpoints = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = document.get(name)
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise SignInRefused(
                502,
                f"统一身份认证的发现文档中没有 {name}",
                f"the provider's discovery document has no usable {name}",
                "ERROR",
            )
        endpoints[name] = value
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Discovery(
        endpoints["authorization_endpoint"],
        endpoints["token_endpoint"],
        endpoints["jwks_uri"],
        secret_in_body="client_secret_basic" not in methods and "client_secret_post" in methods,
    )


def _decoded(token: str, key: Any, algorithm: str, *, issuer: str, audience: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            issuer=issuer,
            audience=audience,
            leeway=TOKEN_LEEWAY_S,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.InvalidSignatureError:
        raise _token_refused(
            "身份令牌的签名与统一身份认证的密钥不符",
            "the ID token's signature does not match the provider's key",
        ) from None
    except jwt.ExpiredSignatureError:
        raise _token_refused("身份令牌已过期", "the ID token has expired") from None
    except jwt.InvalidAudienceError:
        raise _token_refused(
            "身份令牌不是签发给本平台的（aud 不是 HUB_OIDC_CLIENT_ID）",
            "the ID token's audience (aud) is not this hub's client id",
        ) from None
    except jwt.InvalidIssuerError:
        raise _token_refused(
            "身份令牌的签发方（iss）不是配置的统一身份认证",
            "the ID token's issuer (iss) is not HUB_OIDC_ISSUER",
        ) from None
    except jwt.MissingRequiredClaimError as missing:
        raise _token_refused(
            f"身份令牌缺少 {missing.claim} 声明", f"the ID token has no {missing.claim} claim"
        ) from None
    except jwt.ImmatureSignatureError:
        raise _token_refused("身份令牌尚未生效", "the ID token is not valid yet") from None
    except jwt.PyJWTError as error:
        raise _token_refused("身份令牌无效", f"the ID token is invalid: {error}") from None
    return claims


def _token_refused(zh: str, en: str) -> SignInRefused:
    return SignInRefused(401, zh, en)


def _unreachable(what_zh: str, what_en: str) -> SignInRefused:
    return SignInRefused(
        502,
        f"无法连接统一身份认证（{what_zh}）",
        f"the identity provider's {what_en} could not be reached",
        "ERROR",
    )


def _client_secret(settings: Settings) -> str | None:
    if settings.oidc_client_secret is not None:
        return settings.oidc_client_secret.get_secret_value()
    if settings.oidc_client_secret_file is not None:
        return settings.oidc_client_secret_file.read_text(encoding="utf-8").strip()
    return None


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
