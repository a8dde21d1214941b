"""Whether a console session's account may still act: read again at every door, cheaply.

A console session is a token of the built-in issuer carrying the account's name (`acc`,
hub/console/sessions.py). The token alone would let a disabled account act until it
expires, so the gate (`Gate.authenticate`) asks here for every request signed in by one,
whichever door and whether the token came in the cookie or in an Authorization header.

Accounts live in the graph store, shared by every hub process, so the answer is read from
there; each process keeps what it read for `session_recheck_seconds` (a store round trip at
most that often per account, none in between). A disable is seen at once by the process
that made it (`forget`) and by every other one within that time. What ends a session:

- the account is disabled (`hub user disable`, `disableUser`), or no longer exists;
- not a lock-out: anyone may lock an account by typing wrong passwords, and ending the
  officer's open session for it would let them sign anyone out. (There is no password
  change yet; when there is, a session signed in before it should end here too.)

A disabled account stays disabled, so that answer is kept for good; only an open one is
read again.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import weakref
from typing import Final

from hub.security.tokens import BUILT_IN_ISSUER
from hub.settings import MAX_ACCOUNT_NAME_CHARS
from hub.store import GraphStore

SESSION_ENDED: Final = (
    "账户已停用，会话已结束 / the account {name} is disabled: its session has ended"
)
MAX_KNOWN: Final = 10_000  # accounts whose state one process keeps

_everywhere: weakref.WeakSet[AccountStates] = weakref.WeakSet()


def session_account(authorization: str | None) -> str | None:
    """The account name (`acc`) of a bearer token already verified, or None when the token
    is no account's console session (no `acc`, another issuer, or a provider's session,
    whose `acc` holds a colon no account name has). The verifier checked the signature:
    this only reads the claims."""
    if not authorization:
        return None
    parts = authorization.partition(" ")[2].strip().split(".")
    if len(parts) != 3:
        return None
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(claims, dict) or claims.get("iss") != BUILT_IN_ISSUER:
        return None
    account = claims.get("acc")
    if not isinstance(account, str) or ":" in account:
        return None  # a provider's session (`oidc:<subject>`, hub.console.oidc): no account
    return account


class AccountStates:
    """The accounts of one hub process's sessions: open or ended, and when last read."""

    def __init__(self, recheck_seconds: float) -> None:
        self.recheck_seconds = recheck_seconds
        self._open: dict[str, float] = {}  # account name → when it was read open (monotonic)
        self._ended: set[str] = set()
        _everywhere.add(self)

    async def refusal(self, store: GraphStore, account: str) -> str | None:
        """Why a session of `account` may no longer act (SESSION_ENDED), or None."""
        if account in self._ended:
            return ended(account)
        now = time.monotonic()
        read_at = self._open.get(account)
        if read_at is not None and now - read_at < self.recheck_seconds:
            return None
        rows = await store.read("user_session_state", {"name": account})
        if not rows or rows[0]["disabled"]:
            self._open.pop(account, None)
            self._ended.add(account)
            return ended(account)
        if len(self._open) >= MAX_KNOWN and account not in self._open:
            del self._open[next(iter(self._open))]  # the longest kept
        self._open[account] = now
        return None

    def forget(self, account: str) -> None:
        self._open.pop(account, None)


def ended(account: str) -> str:
    """The refusal of a session of `account`, disabled: Chinese for the console's screen,
    English after it, as the hub's other bilingual refusals."""
    return SESSION_ENDED.format(name=account[:MAX_ACCOUNT_NAME_CHARS])


def forget(account: str) -> None:
    """`account` changed (disabled in this process): every session check here reads it
    again at once."""
    for states in list(_everywhere):
        states.forget(account)
