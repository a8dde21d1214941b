"""The admin's 账户与部门: console accounts (`users`, `disableUser`) and the registered
departments (`departments`). Admin only, through the gate, one audit record per call.

Accounts are made on the server (`hub user add`): a password is never typed into the
console, so there is no mutation that adds one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from hub.graphql.context import Context
from hub.graphql.errors import BadUserInput, NotFound
from hub.graphql.guard import Scope, guard
from hub.security.accounts import Account, AccountError, Accounts, check_name
from hub.security.principal import Principal
from schema.datasets import DATASETS_IN_LOAD_ORDER
from schema.departments import Department


@strawberry.type(description="A console account (控制台账户); never its password hash.")
class ConsoleAccount:
    name: str = strawberry.field(description="what its holder signs in with")
    role: str
    subject: str = strawberry.field(description="whom its sessions act as")
    department: str | None
    disabled: bool = strawberry.field(description="停用: it can no longer sign in")
    locked_until: str | None = strawberry.field(
        description="locked (锁定) after wrong passwords until then (ISO 8601, UTC); "
        "null when not locked now"
    )
    last_sign_in_at: str | None = strawberry.field(description="ISO 8601, UTC")

    @classmethod
    def of(cls, account: Account, now: datetime) -> ConsoleAccount:
        locked = account.locked_until
        still_locked = locked is not None and datetime.fromisoformat(locked) > now
        return cls(
            name=account.name,
            role=account.role,
            subject=account.subject,
            department=account.department,
            disabled=account.disabled,
            locked_until=locked if still_locked else None,
            last_sign_in_at=account.last_sign_in,
        )


@strawberry.type(description="A registered department (部门) and the datasets it publishes.")
class DepartmentInfo:
    code: str = strawberry.field(description="what its tokens carry in their `dept` claim")
    kind: str = strawberry.field(description="psb | amr | bank | nrb | court | hrss | other")
    name: str
    datasets: list[str] = strawberry.field(description="the datasets of its kind (上报数据集)")

    @classmethod
    def of(cls, department: Department) -> DepartmentInfo:
        owned = [name for name in DATASETS_IN_LOAD_ORDER if department.owns(name)]
        return cls(code=department.code, kind=department.kind, name=department.name, datasets=owned)


@dataclass(frozen=True)
class NoArgs:
    @property
    def scope(self) -> Scope:
        return Scope()


@dataclass(frozen=True)
class AccountName:
    name: str

    @property
    def scope(self) -> Scope:
        return Scope()

    @classmethod
    def check(cls, name: str) -> AccountName:
        try:
            return cls(check_name(name))
        except AccountError as error:
            raise BadUserInput("name", str(error)) from None


async def _users(context: Context, principal: Principal, args: NoArgs) -> list[ConsoleAccount]:
    now = datetime.now(UTC)
    return [ConsoleAccount.of(a, now) for a in await Accounts(context.store).list()]


async def _disable(context: Context, principal: Principal, args: AccountName) -> ConsoleAccount:
    rows = await context.store.read("user_get", {"name": args.name})
    if not rows:
        raise NotFound(f"there is no console account named {args.name!r}", argument="name")
    account = Account.from_row(rows[0]["user"])
    if account.role == principal.role and account.subject == principal.subject:
        raise BadUserInput(
            "name", f"{args.name!r} is your own account: an admin may not disable it"
        )
    try:
        await Accounts(context.store).disable(args.name)
    except AccountError:  # removed between the two queries
        raise NotFound(
            f"there is no console account named {args.name!r}", argument="name"
        ) from None
    return ConsoleAccount.of(dataclasses.replace(account, disabled=True), datetime.now(UTC))


async def _departments(
    context: Context, principal: Principal, args: NoArgs
) -> list[DepartmentInfo]:
    departments = context.services.departments
    return [DepartmentInfo.of(departments[code]) for code in sorted(departments)]


async def resolve_users(info: Info[Context, None]) -> list[ConsoleAccount]:
    return await guard(info, "users", Scope(), NoArgs, _users)


async def resolve_departments(info: Info[Context, None]) -> list[DepartmentInfo]:
    return await guard(info, "departments", Scope(), NoArgs, _departments)


async def resolve_disable_user(info: Info[Context, None], name: str) -> ConsoleAccount:
    return await guard(info, "disableUser", Scope(), lambda: AccountName.check(name), _disable)


@strawberry.type
class AccountsQuery:
    users: list[ConsoleAccount] = strawberry.field(
        resolver=resolve_users,
        description="Every console account (控制台账户), by name. Admin.",
    )
    departments: list[DepartmentInfo] = strawberry.field(
        resolver=resolve_departments,
        description="The registered departments (部门), by code. Admin.",
    )


@strawberry.type
class AccountsMutation:
    disable_user: ConsoleAccount = strawberry.field(
        resolver=resolve_disable_user,
        description="停用: the account `name` can no longer sign in (its history stays). "
        "Admin; not their own account. Accounts are added on the server (`hub user add`).",
    )
