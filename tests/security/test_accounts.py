"""Console accounts: `hub user add|list|disable` as an operator runs them, and signing in.

Signing in is tried through `Accounts.sign_in`, what the console's sign-in page calls.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.security.accounts import Accounts
from hub.security.audit import AuditFilter, AuditLog
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import hub_env, with_test_secret

PASSWORD = "镇赉县法院-correct horse"


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name))


def hub_user(
    settings: Settings, *args: str, stdin: str = "", cwd: Path
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from hub.cli import app; app()", "user", *args]
    return subprocess.run(
        command,
        env=hub_env(settings),
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_an_operator_adds_lists_and_disables_an_account(
    store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    added = hub_user(
        settings, "add", "--role", "department", "--subject", "clerk-7", "--department", "bank",
        stdin=PASSWORD + "\n", cwd=tmp_path,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "account clerk-7 added: department clerk-7" in added.stdout
    assert PASSWORD not in added.stdout + added.stderr

    listed = hub_user(settings, "list", cwd=tmp_path)
    assert listed.stdout.splitlines() == ["clerk-7\tdepartment\tclerk-7 bank\tactive"]

    signed_in = await Accounts(store).sign_in("clerk-7", PASSWORD)
    assert signed_in.account is not None
    assert signed_in.account.principal.department == "bank"

    disabled = hub_user(settings, "disable", "clerk-7", cwd=tmp_path)
    assert disabled.returncode == 0, disabled.stderr
    assert (await Accounts(store).sign_in("clerk-7", PASSWORD)).refusal == "disabled"
    assert hub_user(settings, "list", cwd=tmp_path).stdout.endswith("\tdisabled\n")

    events = (await AuditLog(store.audit_store()).events(AuditFilter(), 10, None)).events
    assert [(e.operation, e.role, (e.actor or "").startswith("cli:")) for e in events] == [
        ("userDisable", "operator", True),
        ("userAdd", "operator", True),
    ]
    assert not any(PASSWORD in str(e.to_dict()) for e in events)


@pytest.mark.parametrize(
    ("arguments", "stdin", "complaint"),
    [
        (["--role", "root", "--subject", "x"], PASSWORD, "role 'root'"),
        (["--role", "department", "--subject", "x"], PASSWORD, "needs --department"),
        (["--role", "officer", "--subject", "x", "--department", "nowhere"], PASSWORD, "'nowhere'"),
        (["--role", "officer", "--subject", "x"], "short", "at least 10 characters"),
        (["--role", "officer", "--subject", "x"], "", "standard input is empty"),
        (["--role", "officer", "--subject", "x", "--name", "a b"], PASSWORD, "account name"),
        (["--role", "officer", "--subject", "x", "--name", "n" * 65], PASSWORD, "1 to 64"),
    ],
)
async def test_a_bad_account_is_refused_in_plain_words(
    store: GraphStore,
    settings: Settings,
    tmp_path: Path,
    arguments: list[str],
    stdin: str,
    complaint: str,
) -> None:
    done = hub_user(settings, "add", *arguments, stdin=stdin + "\n" if stdin else "", cwd=tmp_path)

    assert done.returncode != 0
    assert complaint in done.stderr
    assert await Accounts(store).list() == []


async def test_a_name_is_taken_once(store: GraphStore, settings: Settings, tmp_path: Path) -> None:
    first = ["add", "--role", "officer", "--subject", "fy0821-001"]
    assert hub_user(settings, *first, stdin=PASSWORD, cwd=tmp_path).returncode == 0

    again = hub_user(settings, *first, stdin="another password!", cwd=tmp_path)

    assert again.returncode != 0
    assert "exists already" in again.stderr
    assert (await Accounts(store).sign_in("fy0821-001", PASSWORD)).account is not None


async def test_repeated_wrong_passwords_lock_the_account_for_a_while(store: GraphStore) -> None:
    accounts = Accounts(store, max_failures=3, lockout=timedelta(minutes=15))
    await accounts.add("fy0821-002", "officer", "fy0821-002", None, PASSWORD)
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)

    answers = [
        (await accounts.sign_in("fy0821-002", "wrong password", now)).refusal for _ in range(3)
    ]
    assert answers == ["wrong_password", "wrong_password", "locked"]

    locked = await accounts.sign_in("fy0821-002", PASSWORD, now + timedelta(minutes=14))
    assert (locked.account, locked.refusal) == (None, "locked")
    assert locked.locked_until == now + timedelta(minutes=15)

    later = await accounts.sign_in("fy0821-002", PASSWORD, now + timedelta(minutes=16))
    assert later.account is not None and later.account.principal.role == "officer"
    # A good password starts the count again: two more wrong ones do not lock.
    for _ in range(2):
        await accounts.sign_in("fy0821-002", "wrong password", now + timedelta(minutes=17))
    assert (await accounts.sign_in("fy0821-002", PASSWORD, now + timedelta(minutes=18))).account


async def test_an_unknown_name_is_refused_like_a_wrong_password(store: GraphStore) -> None:
    accounts = Accounts(store)

    unknown = await accounts.sign_in("nobody", PASSWORD)
    endless = await accounts.sign_in("n" * 10_000, PASSWORD)

    assert (unknown.account, unknown.refusal) == (None, "unknown")
    assert (endless.account, endless.refusal) == (None, "unknown")
