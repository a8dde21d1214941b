"""The console's session cookie as a credential: what the gate reads of a request.

A console session (hub/console/sessions.py) is a token of the built-in issuer in the
HttpOnly cookie `hub_session`; the gate takes it where a request has no Authorization
header. A request other than GET or HEAD that authenticates by the cookie must also carry
the header `X-CSRF-Token` equal to the `hub_csrf` cookie (double submit): a page of
another site can neither read that cookie nor set that header.
"""

from __future__ import annotations

import hmac

from starlette.requests import cookie_parser

from hub.security.tokens import AuthError

SESSION_COOKIE = "hub_session"
CSRF_COOKIE = "hub_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD"})


def cookie_credential(
    cookie_header: str, csrf_header: str | None, method: str
) -> str | AuthError | None:
    """The Authorization the session cookie stands for, an AuthError when its CSRF check
    fails, or None when the request has no session cookie."""
    cookies = cookie_parser(cookie_header)
    token = cookies.get(SESSION_COOKIE)
    if not token:
        return None
    if method not in SAFE_METHODS:
        expected = cookies.get(CSRF_COOKIE, "")
        if not (expected and csrf_header and hmac.compare_digest(expected, csrf_header)):
            return AuthError(
                f"a request signed in by the console's cookie needs the {CSRF_HEADER} header "
                "(reload the console)"
            )
    return f"Bearer {token}"
