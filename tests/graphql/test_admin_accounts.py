"""The admin's 账户与部门 over HTTP: `users`, `disableUser`, `departments` (admin only, each
call one audit record); a disabled account can no longer sign in at POST /session."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx
import pytest

from hub.queries import load_queries
from hub.security.accounts import Accounts
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from tests.graphql.audit_trail import events_since, last_seq
from tests.graphql.conftest import Hub, dump

PASSWORD = "镇赉县法院-账户测试口令"
USERS = "{ users { name role subject department disabled lockedUntil lastSignInAt } }"
DISABLE = "mutation($name: String!) { disableUser(name: $name) { name disabled role } }"
DEPARTMENTS = "{ departments { code kind name datasets } }"
ADMIN_SUBJECT = "operator-1"  # the subject of `hub.admin`
LONG_AGO = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)


def with_accounts(
    hub: Hub, server: EmbeddedServer, work: Callable[[Accounts], Awaitable[None]]
) -> None:
    """`work` on the hub's console accounts, from the test's side."""

    async def run() -> None:
        assert server.address
        store = FalkorDBStore.connect(
            load_queries("falkordb"),
            hub.graph,
            unix_socket=server.address.unix_socket,
            port=server.address.port or 0,
        )
        try:
            await work(Accounts(store))
        finally:
            await store.close()

    asyncio.run(run())


def add_account(
    hub: Hub, server: EmbeddedServer, role: str, subject: str, department: str | None = None
) -> str:
    """A console account made as `hub user add` makes it; its (unique) name."""
    name = f"{subject}.{uuid.uuid4().hex[:6]}"

    async def add(accounts: Accounts) -> None:
        await accounts.add(name, role, subject, department, PASSWORD)

    with_accounts(hub, server, add)
    return name


def sign_in(hub: Hub, name: str) -> httpx.Response:
    return httpx.post(f"{hub.url}/session", json={"name": name, "password": PASSWORD}, timeout=60)


def test_an_admin_lists_the_accounts_without_password_hashes(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    name = add_account(hub, embedded_server, "department", "bank-clerk-1", "bank")
    assert sign_in(hub, name).status_code == 200

    answer = hub.post(USERS, token=hub.admin)

    assert "errors" not in answer, dump(answer)
    [listed] = [a for a in answer["data"]["users"] if a["name"] == name]
    assert listed["role"] == "department" and listed["subject"] == "bank-clerk-1"
    assert listed["department"] == "bank" and listed["disabled"] is False
    assert listed["lockedUntil"] is None and listed["lastSignInAt"]
    names = [a["name"] for a in answer["data"]["users"]]
    assert names == sorted(names)
    assert "argon2" not in dump(answer)


def test_lockeduntil_is_given_while_the_lock_lasts(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    locked_now = add_account(hub, embedded_server, "officer", "fy0821-097")
    locked_once = add_account(hub, embedded_server, "officer", "fy0821-098")

    async def lock(accounts: Accounts) -> None:
        for _ in range(accounts.max_failures):
            await accounts.sign_in(locked_once, "wrong password!", now=LONG_AGO)

    with_accounts(hub, embedded_server, lock)  # locked in 2020, for 15 minutes
    statuses = [
        httpx.post(
            f"{hub.url}/session", json={"name": locked_now, "password": "wrong"}, timeout=60
        ).status_code
        for _ in range(5)
    ]
    assert statuses[-1] == 423, statuses

    by_name = {a["name"]: a for a in hub.post(USERS, token=hub.admin)["data"]["users"]}
    until = by_name[locked_now]["lockedUntil"]
    assert until and datetime.fromisoformat(until) > datetime.now(UTC)
    assert by_name[locked_once]["lockedUntil"] is None


def test_a_disabled_account_can_no_longer_sign_in(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    name = add_account(hub, embedded_server, "officer", "fy0821-099")
    assert sign_in(hub, name).status_code == 200
    before = last_seq(hub, embedded_server)

    answer = hub.post(DISABLE, {"name": name}, token=hub.admin)

    assert answer == {"data": {"disableUser": {"name": name, "disabled": True, "role": "officer"}}}
    refused = sign_in(hub, name)
    assert refused.status_code in (401, 423), refused.text
    [listed] = [a for a in hub.post(USERS, token=hub.admin)["data"]["users"] if a["name"] == name]
    assert listed["disabled"] is True
    records = events_since(hub, embedded_server, before)
    [disabled] = [r for r in records if r.operation == "disableUser"]
    assert (disabled.outcome, disabled.actor, disabled.role) == ("ALLOWED", ADMIN_SUBJECT, "admin")


def test_disabling_an_unknown_account_is_not_found_naming_it(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    before = last_seq(hub, embedded_server)

    answer = hub.post(DISABLE, {"name": "no-such-account"}, token=hub.admin)

    assert answer["data"] is None
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["argument"] == "name"
    assert "no-such-account" in error["message"]
    [record] = events_since(hub, embedded_server, before)
    assert record.operation == "disableUser" and record.result_count == 0


def test_an_admin_may_not_disable_their_own_account(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    own = add_account(hub, embedded_server, "admin", ADMIN_SUBJECT)

    answer = hub.post(DISABLE, {"name": own}, token=hub.admin)

    [error] = answer["errors"]
    assert (error["extensions"]["code"], error["extensions"]["argument"]) == (
        "BAD_USER_INPUT",
        "name",
    )
    assert own in error["message"]
    assert sign_in(hub, own).status_code == 200  # still enabled


def test_a_malformed_name_is_bad_user_input_before_any_query(hub: Hub) -> None:
    answer = hub.post(DISABLE, {"name": "a b"}, token=hub.admin)

    [error] = answer["errors"]
    assert (error["extensions"]["code"], error["extensions"]["argument"]) == (
        "BAD_USER_INPUT",
        "name",
    )


def test_an_admin_sees_the_registered_departments_and_their_datasets(hub: Hub) -> None:
    answer = hub.post(DEPARTMENTS, token=hub.admin)

    assert "errors" not in answer, dump(answer)
    by_code = {d["code"]: d for d in answer["data"]["departments"]}
    assert set(by_code) == {"psb", "amr", "bank", "nrb", "court", "hrss", "other"}
    assert by_code["bank"] == {
        "code": "bank",
        "kind": "bank",
        "name": "银行",
        "datasets": ["bank.accounts"],
    }
    assert by_code["psb"]["datasets"] == ["psb.persons", "psb.relations", "psb.vehicles"]
    assert by_code["hrss"]["datasets"] == []


@pytest.mark.parametrize("operation", ["users", "departments", "disableUser"])
@pytest.mark.parametrize("role", ["officer", "department", "auditor"])
def test_other_roles_are_forbidden_and_recorded(
    hub: Hub, embedded_server: EmbeddedServer, operation: str, role: str
) -> None:
    token = {"officer": hub.officer, "department": hub.department("bank"), "auditor": hub.auditor}
    query = {"users": USERS, "departments": DEPARTMENTS, "disableUser": DISABLE}[operation]
    before = last_seq(hub, embedded_server)

    answer = hub.post(
        query, {"name": "anyone"} if operation == "disableUser" else {}, token=token[role]
    )

    assert answer["data"] is None
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    [record] = events_since(hub, embedded_server, before)
    assert (record.operation, record.outcome, record.role) == (operation, "DENIED", role)


def test_each_call_is_one_audit_record(hub: Hub, embedded_server: EmbeddedServer) -> None:
    before = last_seq(hub, embedded_server)

    hub.post(USERS, token=hub.admin)
    hub.post(DEPARTMENTS, token=hub.admin)

    records = events_since(hub, embedded_server, before)
    assert [(r.operation, r.outcome, r.actor) for r in records] == [
        ("users", "ALLOWED", ADMIN_SUBJECT),
        ("departments", "ALLOWED", ADMIN_SUBJECT),
    ]
    assert records[1].result_count == 7
