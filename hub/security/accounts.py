"""Console accounts: who may sign in to the web console, and as whom.

An account names the principal its sessions act as (role, subject, department: what a token
of the built-in issuer would carry), so the console goes through the same policy and audit
as any token. Accounts live in the graph store (`User` nodes), so every hub process on one
store shares them, their lock-outs included.

Passwords are kept as argon2id hashes (argon2-cffi's defaults, RFC 9106's second
recommended profile), hashed and checked in a worker thread: each takes tens of
milliseconds of CPU by design. After `max_failures` wrong passwords in a row an account is
locked for `lockout`; an unknown name costs the same hash as a known one, so the answer
time does not tell names apart.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub.security import account_states
from hub.security.principal import ROLES, Principal, Role
from hub.settings import MAX_ACCOUNT_NAME_CHARS, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS
from hub.store import GraphStore

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")  # what a clerk types, and a log line shows

SignInRefusal = Literal["unknown", "disabled", "locked", "wrong_password"]

_hasher = PasswordHasher()
# Checked against when the name is unknown: the same work as for a real account.
_UNKNOWN_HASH = _hasher.hash("no such account: the same work as a real one")


class AccountError(ValueError):
    """An account that cannot be made or changed; the message says why, in plain words."""


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    subject: str
    department: str | None
    disabled: bool = False
    failures: int = 0
    locked_until: str | None = None  # ISO 8601, UTC
    created_at: str | None = None
    last_sign_in: str | None = None

    @property
    def principal(self) -> Principal:
        return Principal(self.subject, self.role, self.department)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Account:
        return cls(
            name=row["name"],
            role=row["role"],
            subject=row["subject"],
            department=row.get("department"),
            disabled=bool(row.get("disabled")),
            failures=int(row.get("failures") or 0),
            locked_until=row.get("locked_until"),
            created_at=row.get("created_at"),
            last_sign_in=row.get("last_sign_in"),
        )


@dataclass(frozen=True)
class SignIn:
    """How a sign-in ended: the account, or why not (and until when, when locked)."""

    account: Account | None
    refusal: SignInRefusal | None = None
    locked_until: datetime | None = None


def check_name(name: str) -> str:
    if not (0 < len(name) <= MAX_ACCOUNT_NAME_CHARS and NAME.match(name)):
        raise AccountError(
            f"account name {name[:MAX_ACCOUNT_NAME_CHARS]!r}: 1 to {MAX_ACCOUNT_NAME_CHARS} "
            "letters, digits and . _ @ -, starting with a letter or digit"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"the password may have at most {MAX_PASSWORD_CHARS} characters")
    if "\x00" in password:
        raise AccountError("the password contains a NUL character")
    return password


def check_principal(role: str, subject: str, department: str | None) -> Role:
    if role not in ROLES:
        raise AccountError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    if role == "department" and not department:
        raise AccountError("a department account needs --department CODE")
    if not (0 < len(subject.strip()) <= MAX_ACCOUNT_NAME_CHARS) or "\x00" in subject:
        raise AccountError(f"the subject must have 1 to {MAX_ACCOUNT_NAME_CHARS} characters")
    return role


def _now() -> datetime:
    return datetime.now(UTC)


class Accounts:
    """The console accounts of one graph store."""

    def __init__(
        self,
        store: GraphStore,
        *,
        max_failures: int = 5,
        lockout: timedelta = timedelta(minutes=15),
    ) -> None:
        self.store = store
        self.max_failures = max_failures
        self.lockout = lockout

    async def add(
        self, name: str, role: str, subject: str, department: str | None, password: str
    ) -> Account:
        valid_role = check_principal(role, subject, department)
        check_name(name)
        check_password(password)
        password_hash = await asyncio.to_thread(_hasher.hash, password)
        params = {
            "name": name,
            "role": valid_role,
            "subject": subject.strip(),
            "department": department,
            "password_hash": password_hash,
            "now": _now().isoformat(),
        }
        if not await self.store.write("user_add", params):
            raise AccountError(f"an account named {name!r} exists already")
        return Account(name, valid_role, subject.strip(), department, created_at=params["now"])

    async def list(self) -> list[Account]:
        return [Account.from_row(row) for row in await self.store.read("users_list")]

    async def disable(self, name: str) -> None:
        if not await self.store.write("user_disable", {"name": name, "now": _now().isoformat()}):
            raise AccountError(f"there is no account named {name!r}")
        account_states.forget(name)  # this process's sessions of it end now, not after a while

    async def sign_in(self, name: str, password: str, now: datetime | None = None) -> SignIn:
        """Check a password; counts a failure, locks after too many, resets on success."""
        now = now or _now()
        rows = (
            await self.store.read("user_get", {"name": name})
            if len(name) <= MAX_ACCOUNT_NAME_CHARS
            else []
        )
        stored = rows[0]["user"] if rows else None
        good = await asyncio.to_thread(
            _verify, stored["password_hash"] if stored else _UNKNOWN_HASH, password
        )
        if stored is None:
            return SignIn(None, "unknown")
        account = Account.from_row(stored)
        if account.disabled:
            return SignIn(None, "disabled")
        locked_until = _parse(account.locked_until)
        if locked_until is not None and locked_until > now:
            return SignIn(None, "locked", locked_until)
        if not good:
            until = (now + self.lockout).isoformat()
            params = {"name": name, "max_failures": self.max_failures, "locked_until": until}
            [row] = await self.store.write("user_sign_in_failed", params)
            locked = _parse(row["locked_until"])
            if locked is not None and locked > now:
                return SignIn(None, "locked", locked)
            return SignIn(None, "wrong_password")
        await self.store.write("user_signed_in", {"name": name, "now": now.isoformat()})
        return SignIn(account)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _parse(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None
